"""A public screen's video with its boxes blacked out (遮蔽后的展示件): a copy of the video's
display copy made by the ffmpeg that imageio-ffmpeg bundles, one `drawbox` per box, on for
the box's time range (`enable='between(t,A,B)'`); the sound copied as it is. It carries no
metadata, like every display copy.

A copy is made once per video and set of boxes, in ffmpeg's own process with the time and
memory limits of a display copy (presenter.originals), in the background: a public screen
asking meanwhile is told to wait, and is never sent the video unredacted. Each copy is
recorded beside it (tool, parameters, the boxes, both SHA-256), as display copies are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from ..integrity import hash_file
from ..originals import TIME_LIMIT_BASE, TIME_LIMIT_PER_MB, DeriveError, _limits
from .apply import TimedBox

VERSION = 1
"""Part of a copy's key: a change in how copies are made makes them again."""
MARGIN = 1
"""Pixels a box reaches past its edges, as on pictures (presenter.redaction.apply)."""


class RedactedVideos:
    """The redacted copies of one server: made one at a time in the background, found again
    by the video's identity and the boxes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._making: dict[Path, threading.Thread] = {}
        self._failed: dict[Path, DeriveError] = {}
        self._turn = threading.Lock()  # one ffmpeg at a time: the machine has other work

    def copy(
        self, folder: Path, source: Path, boxes: Sequence[TimedBox], wait: bool = False
    ) -> Path | None:
        """The copy of the video at `source` with `boxes` blacked out, kept in `folder`: its
        path when made, None while it is being made (started now if need be; with `wait`,
        made before this returns). Raises DeriveError when it cannot be made."""
        target = copy_path(folder, source, boxes)
        with self._lock:
            if target in self._failed:
                raise self._failed[target]
            if made(target):
                return target
            worker = self._making.get(target)
            if worker is None:
                worker = threading.Thread(
                    target=self._make, args=(source, target, tuple(boxes)), daemon=True,
                    name="redacted-video",
                )  # fmt: skip
                self._making[target] = worker
                worker.start()
        if not wait:
            return None
        worker.join()
        return self.copy(folder, source, boxes)

    def _make(self, source: Path, target: Path, boxes: tuple[TimedBox, ...]) -> None:
        try:
            with self._turn:
                if not made(target):
                    make_copy(source, target, boxes)
        except DeriveError as error:
            with self._lock:
                self._failed[target] = error
        except OSError as error:  # the instance folder, the video gone meanwhile
            with self._lock:
                self._failed[target] = DeriveError(
                    f"无法生成遮蔽后的视频：{error}", f"cannot make the redacted copy: {error}"
                )
        finally:
            with self._lock:
                self._making.pop(target, None)


def copy_path(folder: Path, source: Path, boxes: Sequence[TimedBox]) -> Path:
    """Where the copy of `source` with `boxes` is kept: keyed by the video's identity (an
    edited video is copied again) and the boxes."""
    stat = source.stat()
    identity = f"{VERSION}|{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ctime_ns}"
    key = hashlib.sha256(f"{identity}|{_boxes_key(boxes)}".encode()).hexdigest()[:32]
    return folder / f"{key}.mp4"


def made(target: Path) -> bool:
    """Whether the copy is there, whole: its record is written after it."""
    return target.is_file() and target.with_suffix(".json").is_file()


def _boxes_key(boxes: Sequence[TimedBox]) -> str:
    return json.dumps([[list(b.box), b.start, b.end] for b in boxes])


def drawboxes(boxes: Sequence[TimedBox]) -> str:
    """The ffmpeg filter that blacks the boxes out: each a `drawbox` in fractions of the
    upright picture (ffmpeg turns a phone's video upright before filtering), widened to
    whole pixels and MARGIN more, on for its time range; then padded to even sizes, as
    H.264 in 4:2:0 needs."""
    filters = []
    for timed in boxes:
        x, y, w, h = (f"{v:.6f}" for v in timed.box)
        left, top = f"floor(iw*{x})-{MARGIN}", f"floor(ih*{y})-{MARGIN}"
        width = f"ceil(iw*({x}+{w}))-floor(iw*{x})+{2 * MARGIN}"
        height = f"ceil(ih*({y}+{h}))-floor(ih*{y})+{2 * MARGIN}"
        box = f"drawbox=x={left}:y={top}:w={width}:h={height}:color=black:t=fill"
        filters.append(box + _enable(timed))
    filters.append("pad=ceil(iw/2)*2:ceil(ih/2)*2")
    return ",".join(filters)


def _enable(timed: TimedBox) -> str:
    """When a box is on (quoted: the commas are the expression's, not the filter chain's)."""
    start, end = timed.start, timed.end
    if start is not None and end is not None:
        return f":enable='between(t,{start:g},{end:g})'"
    if start is not None:
        return f":enable='gte(t,{start:g})'"
    if end is not None:
        return f":enable='lte(t,{end:g})'"
    return ""


def make_copy(source: Path, target: Path, boxes: Sequence[TimedBox]) -> None:
    """Make the copy at `target` (with its record beside it): the picture re-encoded with
    the boxes drawn (H.264), the sound copied when MP4 takes it as it is (else AAC)."""
    from ..originals.media import BITEXACT, COPYABLE_AUDIO, ffmpeg, probe, tool

    _, streams = probe(source)
    sounds = [codec for kind, codec in streams if kind == "audio"]
    audio = ["-c:a", "copy"] if not sounds or sounds[0] in COPYABLE_AUDIO else ["-c:a", "aac"]
    arguments = ["-map", "0:v:0", "-map", "0:a:0?", "-vf", drawboxes(boxes)]
    arguments += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]
    arguments += [*audio, "-movflags", "+faststart", "-threads", "2"]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        command = [ffmpeg(), "-hide_banner", "-nostdin", "-y", "-i", str(source), *arguments]
        command += ["-map_metadata", "-1", "-map_chapters", "-1", *BITEXACT]
        command += ["-loglevel", "error", "-f", "mp4", temp]
        _run(command, source)
        record = {
            "source": source.name,
            "tool": tool(),
            "parameters": {"ffmpeg": " ".join(arguments)},
            "boxes": [{"box": list(b.box), "from": b.start, "to": b.end} for b in boxes],
            "source_sha256": hash_file(source, ["sha256"])["sha256"],
            "copy_sha256": hash_file(Path(temp), ["sha256"])["sha256"],
            "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        os.replace(temp, target)
        target.with_suffix(".json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    finally:
        Path(temp).unlink(missing_ok=True)


def _run(command: list[str], source: Path) -> None:
    """ffmpeg with a display copy's limits: its time by the video's size, its memory."""
    limit = TIME_LIMIT_BASE + TIME_LIMIT_PER_MB * source.stat().st_size / (1 << 20)
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=limit,
            preexec_fn=_limits if os.name == "posix" else None,  # noqa: PLW1509
        )
    except subprocess.TimeoutExpired:
        raise DeriveError(
            "遮蔽视频的生成超时，不能在旁听席屏幕播放",
            "the redacted copy took too long: it cannot be played on the public screen",
        ) from None
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        detail = lines[-1][:200] if lines else f"ffmpeg ended with {result.returncode}"
        raise DeriveError(
            f"无法生成遮蔽后的视频：{detail}", f"cannot make the redacted copy: {detail}"
        )
