"""Sound and video originals a browser does not play (an iPhone MOV, AVI, 3GP, AMR, a WeChat
SILK voice message), copied by the ffmpeg that imageio-ffmpeg bundles: MP4 with H.264 and
AAC for video (the streams copied unchanged when they already are), Ogg Opus for sound.

Metadata is left out of the copy (a phone video carries where it was taken, and a public
screen is sent the copy); the picture's rotation is kept."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import imageio_ffmpeg

from . import DeriveError, Made, Progress, Request

_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_STREAM = re.compile(r"Stream #\d+:\d+.*?: (Video|Audio): (\w+)")
SILK_RATE = 24000
"""WeChat voice messages are 24 kHz SILK."""
COPYABLE_VIDEO = frozenset({"h264"})
COPYABLE_AUDIO = frozenset({"aac", "mp3"})
BITEXACT = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"]
"""No encoder version strings in the copy: the same original makes the same copy."""


def ffmpeg() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def tool() -> str:
    return (
        f"ffmpeg {imageio_ffmpeg.get_ffmpeg_version()} "
        f"(imageio-ffmpeg {imageio_ffmpeg.__version__})"
    )


def probe(path: Path) -> tuple[float | None, list[tuple[str, str]]]:
    """The duration in seconds and the (kind, codec) of each stream, as ffmpeg reads them."""
    result = subprocess.run(
        [ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
    )
    text = result.stderr
    match = _DURATION.search(text)
    duration = int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3]) if match else None
    return duration, [(kind.lower(), codec) for kind, codec in _STREAM.findall(text)]


def media_copy(original: Path, target: Path, request: Request, progress: Progress) -> Made:
    if _is_silk(original):
        return _silk_copy(original, target, progress)
    duration, streams = probe(original)
    if request.kind == "strip":  # every stream as it is, only the metadata left out
        arguments = ["-map", "0:v?", "-map", "0:a?", "-c", "copy"]
        if target.suffix in (".mp4", ".m4a"):
            arguments += ["-movflags", "+faststart"]
        _run(original, target, arguments, duration, progress)
        return Made(tool=tool(), parameters={"ffmpeg": " ".join(arguments)})
    videos = [codec for kind, codec in streams if kind == "video"]
    sounds = [codec for kind, codec in streams if kind == "audio"]
    if request.kind == "video" and videos:
        if videos[0] in COPYABLE_VIDEO and (not sounds or sounds[0] in COPYABLE_AUDIO):
            arguments = ["-map", "0:v:0", "-map", "0:a:0?", "-c", "copy"]
            arguments += ["-movflags", "+faststart"]
        else:
            arguments = ["-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264"]
            arguments += ["-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]
            arguments += ["-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart"]
            arguments += ["-threads", "2"]
    elif sounds:
        arguments = ["-map", "0:a:0", "-vn", "-c:a", "libopus", "-b:a", "64k"]
    else:
        raise DeriveError(
            "文件中没有可播放的音视频内容", "the file holds no sound or video that can be played"
        )
    _run(original, target, arguments, duration, progress)
    return Made(tool=tool(), parameters={"ffmpeg": " ".join(arguments)})


def _run(
    source: Path,
    target: Path,
    arguments: list[str],
    duration: float | None,
    progress: Progress,
    before: list[str] = (),  # type: ignore[assignment]
) -> None:
    command = [ffmpeg(), "-hide_banner", "-nostdin", "-y", *before, "-i", str(source)]
    command += [*arguments, "-map_metadata", "-1", "-map_chapters", "-1", *BITEXACT]
    command += ["-progress", "pipe:1", "-nostats", "-loglevel", "error", str(target)]
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=log, text=True, errors="replace"
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                if line.startswith("out_time_us=") and duration:
                    try:
                        progress(int(line.split("=", 1)[1]) / 1e6 / duration)
                    except ValueError:
                        pass
        log.seek(0)
        errors = log.read()
    if child.returncode != 0:
        detail = errors.strip().splitlines()[-1][:200] if errors.strip() else "ffmpeg failed"
        raise DeriveError(f"ffmpeg 无法转换此文件：{detail}", f"ffmpeg cannot convert it: {detail}")


def _is_silk(path: Path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(10).lstrip(b"\x02").startswith(b"#!SILK")


def _silk_copy(original: Path, target: Path, progress: Progress) -> Made:
    """A WeChat voice message: SILK decoded to PCM by silk-python, then Opus by ffmpeg."""
    import pysilk

    data = original.read_bytes()
    if data.startswith(b"\x02"):
        data = data[1:]  # WeChat's leading byte before the SILK header
    with tempfile.NamedTemporaryFile(suffix=".pcm", dir=target.parent) as pcm:
        import io

        try:
            pysilk.decode(io.BytesIO(data), pcm, SILK_RATE)
        except Exception as error:  # noqa: BLE001 - the decoder's own errors
            raise DeriveError(
                f"无法解码 SILK 语音：{error}", f"cannot decode the SILK voice message: {error}"
            ) from None
        pcm.flush()
        before = ["-f", "s16le", "-ar", str(SILK_RATE), "-ac", "1"]
        arguments = ["-c:a", "libopus", "-b:a", "32k"]
        seconds = Path(pcm.name).stat().st_size / (2 * SILK_RATE)
        _run(Path(pcm.name), target, arguments, seconds, progress, before)
    import importlib.metadata

    version = importlib.metadata.version("silk-python")
    return Made(
        tool=f"silk-python {version}; {tool()}",
        parameters={"silk": f"{SILK_RATE} Hz mono", "ffmpeg": " ".join(arguments)},
    )
