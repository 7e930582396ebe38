"""Transcripts of audio and video (文字记录): the lines spoken, each with its time, read from an
SRT, WebVTT or CSV file, so a screen can show the line being played.

The one reader for the screens and for `check`, so they never disagree. Plain Python:
nothing here knows of the web. A file that cannot be read is a TranscriptError naming the
line (1-based) and saying why, in Chinese and English.

- SRT: blocks separated by blank lines: an optional number, `00:01:02,500 --> 00:01:05,000`,
  then the text (one or more lines).
- WebVTT: `WEBVTT` on the first line, then cues as in SRT (`00:01:02.500 --> …`, the hours
  optional, settings after the times ignored); NOTE, STYLE and REGION blocks are skipped.
- CSV: a header with `start` and `text` columns, and optionally `end` and `speaker`.

Times are `HH:MM:SS,mmm`, `HH:MM:SS.mmm`, `MM:SS(.mmm)` or plain seconds (`62.5`). Tags in
cue text (`<i>`, `<v 张某>`) are taken out (a voice becomes `张某：`), entities read as their
characters: what remains is plain text, escaped like any text where it is shown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import csvfile
from .i18n import Words
from .i18n.files import TRANSCRIPT_ERRORS

SUFFIXES = (".srt", ".vtt", ".csv")
"""The kinds of transcript, by the file's extension."""


@dataclass(frozen=True)
class Cue:
    """One line of a transcript: its text from `start` to `end` seconds (None: until the
    next line begins, or the end of the recording)."""

    start: float
    end: float | None
    text: str


class TranscriptError(Exception):
    """A transcript that cannot be read: the line where, and why (zh-CN, en), by a code of
    TRANSCRIPT_ERRORS filled from `params`."""

    def __init__(self, line: int, code: str, **params: object) -> None:
        zh, en = TRANSCRIPT_ERRORS[code]
        self.line = line
        self.words: Words = (zh.format(**params), en.format(**params))
        super().__init__(f"line {line}: {self.words[1]}")


_CLOCK = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2}(?:[.,]\d{1,9})?)$")
_SECONDS = re.compile(r"^\d{1,7}(?:[.,]\d{1,9})?$")
LONGEST = 1000 * 3600.0
"""No recording is longer than a thousand hours: a time beyond is no time (and never a
number too large to count with)."""
_TAG = re.compile(r"<[^>]*>")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")


def parse_time(text: str) -> float | None:
    """Seconds from `HH:MM:SS,mmm`, `HH:MM:SS.mmm`, `MM:SS.mmm` or `62.5`; None if it is none
    of these (minutes and seconds after a colon are below 60)."""
    text = text.strip()
    if _SECONDS.match(text):
        value = float(text.replace(",", "."))
        return value if value <= LONGEST else None
    match = _CLOCK.match(text)
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    seconds = seconds.replace(",", ".")
    if int(minutes) > 59 or float(seconds) >= 60:
        return None
    value = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return value if value <= LONGEST else None


def plain(text: str) -> str:
    """Cue text without its tags, a voice tag as its speaker's name, entities as characters."""
    text = _VOICE.sub(lambda m: m[1].strip() + "：", text)
    return html.unescape(_TAG.sub("", text)).strip()


def read(path: Path) -> list[Cue]:
    """The lines of the transcript at `path`, by start time; TranscriptError if it cannot be
    read or is not a transcript."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise TranscriptError(0, "unknown_kind")
    if suffix == ".csv":
        cues = list(_csv_cues(path))
    else:
        cues = list(_block_cues(_lines(path), webvtt=suffix == ".vtt"))
    return sorted(cues, key=lambda cue: cue.start)


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise TranscriptError(line, "not_utf8") from error
    except OSError as error:
        raise TranscriptError(0, "unreadable", detail=error.strerror) from error
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the number of its first line."""
    block: list[str] = []
    first = 0
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not block:
                first = number
            block.append(line.rstrip())
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _block_cues(lines: list[str], webvtt: bool) -> Iterator[Cue]:
    blocks = _blocks(lines)
    if webvtt:
        header = next(blocks, None)
        if header is None or not re.match(r"^WEBVTT(?:[ \t]|$)", header[1][0]):
            raise TranscriptError(header[0] if header else 1, "not_vtt")
    for first, block in blocks:
        if webvtt and re.match(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)", block[0]):
            continue
        timing = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if timing is None:  # where it should be: after the cue's number or name, if any
            named = len(block) > 1 and (block[0].strip().isdigit() or webvtt)
            raise TranscriptError(first + named, "bad_timing")
        start, end = _timing(block[timing], first + timing)
        text = plain("\n".join(block[timing + 1 :]))
        yield Cue(start, end, text)


def _timing(line: str, number: int) -> tuple[float, float]:
    left, _, right = line.partition("-->")
    parts = right.split()
    times = [left.strip(), parts[0] if parts else ""]
    values = [parse_time(t) for t in times]
    for text, value in zip(times, values, strict=True):
        if value is None:
            raise TranscriptError(number, "bad_time", value=repr(text))
    start, end = values
    assert start is not None and end is not None
    if end < start:
        raise TranscriptError(number, "backwards")
    return start, end


def _csv_cues(path: Path) -> Iterator[Cue]:
    try:
        rows = csvfile.numbered(path)
        header_line, header = next(rows, (1, []))
        names = [name.strip().lower() for name in header]
        if "start" not in names or "text" not in names:
            raise TranscriptError(header_line, "no_columns")
        at = {
            name: names.index(name) for name in ("start", "end", "text", "speaker") if name in names
        }
        for number, row in rows:
            yield _csv_cue(row, at, number)
    except csvfile.CsvError as error:
        raise TranscriptError(error.line, "unreadable", detail=error.detail) from error


def _csv_cue(row: list[str], at: dict[str, int], number: int) -> Cue:
    def cell(name: str) -> str:
        i = at.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    start = parse_time(cell("start"))
    if start is None:
        raise TranscriptError(number, "bad_time", value=repr(cell("start")))
    end = None
    if cell("end"):
        end = parse_time(cell("end"))
        if end is None:
            raise TranscriptError(number, "bad_time", value=repr(cell("end")))
        if end < start:
            raise TranscriptError(number, "backwards")
    speaker = cell("speaker")
    text = cell("text")
    return Cue(start, end, f"{speaker}：{text}" if speaker else text)
