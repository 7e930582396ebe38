"""The one way a CSV exhibit is read: by the row index, the presenter's sort and filter, the
chat view and `check` alike, so they can never disagree on what a record is.

Python's csv module decides where each record ends; it is fed the file's lines as split at
"\\n" and decoded as UTF-8 (a BOM at the start is skipped). A blank line is no record. A cell
may hold up to FIELD_LIMIT characters; a larger one, bytes that are not UTF-8, or a line end
inside an unquoted cell (a bare "\\r", as classic Mac OS wrote) make the file unreadable, with
a CsvError naming it.
"""

from __future__ import annotations

import csv
import io
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import accumulate, compress
from pathlib import Path
from typing import BinaryIO

FIELD_LIMIT = 64 * 1024 * 1024
"""Characters a cell may hold (64 Mi): far beyond any real cell, and still a bounded read."""

BOM = b"\xef\xbb\xbf"


class CsvError(Exception):
    """A CSV file that cannot be read; the message names the file (and the line, when known),
    `detail` says why."""

    def __init__(self, path: Path, detail: str, line: int = 0) -> None:
        super().__init__(f"{path}:{line}: {detail}" if line else f"{path}: {detail}")
        self.path, self.detail, self.line = path, detail, line


@contextmanager
def _reading(path: Path, reader: object = None) -> Iterator[None]:
    """CsvError for what can go wrong reading `path`, with the line when the reader knows it."""
    line = 0
    try:
        yield
    except OSError as error:
        raise CsvError(path, str(error.strerror)) from error
    except UnicodeDecodeError as error:
        raise CsvError(path, f"not UTF-8 ({error.reason})") from error
    except csv.Error as error:
        line = getattr(reader, "line_num", 0)
        detail = str(error)
        if "field limit" in detail:
            detail = f"a cell longer than {FIELD_LIMIT:,} characters"
        elif "new-line character" in detail:
            detail = "a line break inside an unquoted cell (a bare CR line end?)"
        raise CsvError(path, detail, line) from error


def _reader(lines: Iterable[bytes]):
    """csv's reader over lines of bytes: the only parser of CSV in Shizheng."""
    csv.field_size_limit(FIELD_LIMIT)
    return csv.reader(map(bytes.decode, lines))


def _skip_bom(stream: BinaryIO) -> int:
    """Past the BOM, if the file starts with one; the byte offset reading starts at."""
    if stream.read(len(BOM)) == BOM:
        return len(BOM)
    stream.seek(0)
    return 0


def index(path: Path) -> tuple[list[str], array]:
    """The header (the first record) and the byte offset where each data record starts, with
    the end of the file last: data record i is bytes offsets[i] .. offsets[i+1].

    csv.reader pulls one line at a time, so `line_num` after a record is the line it ended
    on; the offsets are the starts of those lines, summed in a second, C-speed pass."""
    with _reading(path), open(path, "rb") as stream:
        base = _skip_bom(stream)
        reader = _reader(stream)
        with _reading(path, reader):
            kept = bytearray(map(bool, reader))  # 1 for a record, 0 for a blank line
        stream.seek(base)
        if reader.line_num == len(kept):  # every record is one line: no Python loop at all
            starts = accumulate(map(len, stream), initial=base)
            offsets = array("Q", compress(starts, kept + b"\x01"))  # and the end
        else:
            offsets = _offsets_of_long_records(path, stream, base)
    if len(offsets) == 1:
        return [], offsets
    header = parse(_read(path, offsets[0], offsets[1]), path)
    return (header[0] if header else []), offsets[1:]


def _offsets_of_long_records(path: Path, stream: BinaryIO, base: int) -> array:
    """Record starts when some record spans lines (a quoted cell with line breaks)."""
    stream.seek(base)
    starts = array("Q", accumulate(map(len, stream), initial=base))
    stream.seek(base)
    reader = _reader(stream)
    offsets = array("Q")
    with _reading(path, reader):
        line = 0
        for row in reader:
            if row:
                offsets.append(starts[line])
            line = reader.line_num
    offsets.append(starts[-1])
    return offsets


def _read(path: Path, start: int, end: int) -> bytes:
    with _reading(path), open(path, "rb") as stream:
        stream.seek(start)
        return stream.read(end - start)


def parse(data: bytes, path: Path) -> list[list[str]]:
    """The records in `data`, bytes of `path` that start where a record starts."""
    reader = _reader(io.BytesIO(data))
    with _reading(path, reader):
        return [row for row in reader if row]


def records(path: Path) -> Iterator[list[str]]:
    """Every record of the file in order, the header first; blank lines are none."""
    with _reading(path), open(path, "rb") as stream:
        _skip_bom(stream)
        reader = _reader(stream)
        with _reading(path, reader):
            yield from filter(None, reader)


def numbered(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Every record with the line it starts on (1-based), the header first: for messages
    that name a line of the file (a transcript's)."""
    with _reading(path), open(path, "rb") as stream:
        _skip_bom(stream)
        reader = _reader(stream)
        with _reading(path, reader):
            line = 0
            for row in reader:
                if row:
                    yield line + 1, row
                line = reader.line_num


def header(path: Path) -> list[str]:
    """The first record: the column names."""
    rows = records(path)
    try:
        return next(rows, [])
    finally:
        rows.close()
