"""What a sound or video file says of itself, asked of the ffmpeg that imageio-ffmpeg bundles."""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

TIMEOUT = 30.0
"""Seconds ffmpeg may take to read a file's header: it reads no more than that, so a file
that takes longer is one it cannot read."""

_DURATION = re.compile(r"Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")


def duration(path: Path) -> float | None:
    """The length in seconds of a sound or video file, or None when ffmpeg cannot tell
    (not media, no duration in its header, ffmpeg missing or too slow).

    Remembered by (path, size, modification time): a file changed since is asked again.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    return _duration(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _duration(path: str, size: int, mtime_ns: int) -> float | None:
    """One ffmpeg run per file version (size and mtime_ns are the cache key, not read)."""
    import imageio_ffmpeg

    try:
        ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:  # no bundled binary for this platform and none installed
        return None
    try:
        # "-i" alone: ffmpeg prints the file's header and stops, complaining of no output
        run = subprocess.run(
            [ffmpeg, "-hide_banner", "-nostdin", "-i", path],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return parse_duration(run.stderr.decode("utf-8", "replace"))


def parse_duration(report: str) -> float | None:
    """Seconds from ffmpeg's `Duration: 00:01:02.50,` line; None for `Duration: N/A` or none."""
    match = _DURATION.search(report)
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
