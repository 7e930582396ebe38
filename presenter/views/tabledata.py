"""Large CSV exhibits, a page at a time: the byte offset of every row, found in one pass and
kept on disk, so any page of a million-row table is one seek and one short parse. Every read
goes through presenter.csvfile, the one CSV reader, so the index, the filter and `check`
agree on what a record is."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import csvfile
from ..bounds import CELL, shorten

PAGE = 100
"""Rows a screen is sent at a time."""

TableError = csvfile.CsvError
"""A table that cannot be read; the message names the file."""

INDEX_VERSION = 2
"""Part of the cache key: version 1 counted quotes per line, which a stray quote misled."""


def _key(path: Path) -> str:
    stat = os.stat(path)
    text = f"{INDEX_VERSION}:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


_NUMBER = re.compile(r"^[¥￥]?\s*-?[\d,]*\.?\d+$")


def shorten_cells(rows: list[list[str]], note: str) -> list[list[str]]:
    """Rows as sent to a screen: each cell at most CELL characters, a longer one cut with
    `note` (a template with `{total}`)."""
    return [[shorten(cell, CELL, note) for cell in row] for row in rows]


def number(cell: str) -> float | None:
    """A cell as a number ('1,234.50', '¥100'), or None."""
    text = cell.strip()
    if not _NUMBER.match(text):
        return None
    try:
        return float(text.lstrip("¥￥").strip().replace(",", ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class Arrangement:
    """A table's rows as the presenter sorted or filtered them: 0-based row numbers in the
    order shown, and the amount total of those rows."""

    rows: array
    total: float | None


ARRANGEMENTS = 4
"""Arrangements kept per table: a million rows' order is 4 MB."""


def _sorted(rows: array, keys: list[str], desc: bool) -> list[int]:
    filled = [i for i, k in enumerate(keys) if k]
    values = [number(keys[i]) for i in filled]
    if all(v is not None for v in values):
        order = sorted(range(len(filled)), key=values.__getitem__, reverse=desc)
    else:
        order = sorted(range(len(filled)), key=lambda j: keys[filled[j]], reverse=desc)
    empty = [rows[i] for i, k in enumerate(keys) if not k]
    return [rows[filled[j]] for j in order] + empty


class TableIndex:
    """One CSV file: its header, its row count and where each data row starts."""

    _open: dict[str, TableIndex] = {}
    _lock = threading.Lock()

    def __init__(self, path: Path, header: list[str], offsets: array, cache: Path) -> None:
        self.path = path
        self.header = header
        self.offsets = offsets
        self.cache = cache
        self._summaries: dict[str, dict[str, Any]] = {}
        self._arrangements: dict[tuple, Arrangement] = {}
        self._arranging = threading.Lock()

    @property
    def rows(self) -> int:
        return len(self.offsets) - 1

    @classmethod
    def open(cls, path: Path, cache_dir: Path) -> TableIndex:
        """The index of `path`, from memory, from the cache folder, or by one scan."""
        try:
            key = _key(path)
        except OSError as error:
            raise TableError(path, str(error.strerror)) from error
        with cls._lock:
            if key in cls._open:
                return cls._open[key]
            cache_dir.mkdir(parents=True, exist_ok=True)
            stored = cache_dir / f"{key}.rows"
            header, offsets = cls._load(stored) if stored.exists() else (None, None)
            if offsets is None:
                header, offsets = cls._scan(path)
                temp = stored.with_suffix(f".{os.getpid()}.tmp")
                with open(temp, "wb") as stream:
                    stream.write(json.dumps(header).encode() + b"\n")
                    offsets.tofile(stream)
                os.replace(temp, stored)
            index = cls(path, header, offsets, cache_dir / key)
            cls._open[key] = index
            return index

    @staticmethod
    def _load(stored: Path) -> tuple[list[str] | None, array | None]:
        try:
            with open(stored, "rb") as stream:
                header = json.loads(stream.readline())
                offsets = array("Q")
                offsets.frombytes(stream.read())
            return header, offsets
        except (OSError, ValueError):
            return None, None

    @staticmethod
    def _scan(path: Path) -> tuple[list[str], array]:
        """The header and record starts, as csvfile reads them."""
        return csvfile.index(path)

    def page(self, start: int, count: int = PAGE) -> list[list[str]]:
        """Data rows start .. start+count-1 (0-based)."""
        start = max(0, min(start, self.rows))
        end = max(start, min(start + count, self.rows))
        if start == end:
            return []
        with open(self.path, "rb") as stream:
            stream.seek(self.offsets[start])
            data = stream.read(self.offsets[end] - self.offsets[start])
        return csvfile.parse(data, self.path)

    def rows_at(self, numbers: Sequence[int]) -> list[list[str]]:
        """The data rows of these 0-based numbers, in that order: one seek each."""
        rows = []
        with open(self.path, "rb") as stream:
            for n in numbers:
                stream.seek(self.offsets[n])
                data = stream.read(self.offsets[n + 1] - self.offsets[n])
                rows.append(next(iter(csvfile.parse(data, self.path)), []))
        return rows

    def arranged(self, sort: int | None, desc: bool, text: str, amount: str | None) -> Arrangement:
        """The rows containing `text` (any cell, case-insensitive), sorted by column `sort`:
        as numbers when every filled cell is one, else as text; empty cells last. One pass
        over the file, kept for the next pages."""
        key = (sort, desc, text.casefold(), amount)
        with self._arranging:
            if key not in self._arrangements:
                if len(self._arrangements) >= ARRANGEMENTS:
                    self._arrangements.pop(next(iter(self._arrangements)))
                self._arrangements[key] = self._arrange(sort, desc, text.casefold(), amount)
            return self._arrangements[key]

    def _arrange(self, sort: int | None, desc: bool, needle: str, amount: str | None):
        a = self.header.index(amount) if amount in self.header else None
        kept, keys, total = array("I"), [], 0.0
        rows = csvfile.records(self.path)
        next(rows, None)  # the header
        for n, row in enumerate(rows):
            if needle and not any(needle in cell.casefold() for cell in row):
                continue
            kept.append(n)
            if sort is not None:
                keys.append(row[sort].strip() if sort < len(row) else "")
            if a is not None and a < len(row):
                total += number(row[a]) or 0.0
        if sort is not None:
            kept = array("I", _sorted(kept, keys, desc))
        return Arrangement(kept, round(total, 2) if a is not None else None)

    def summary(self, amount: str | None, time: str | None) -> dict[str, Any]:
        """The total of the amount column and the range of the time column, in one pass,
        kept beside the index."""
        name = f"{amount}|{time}"
        if name in self._summaries:
            return self._summaries[name]
        stored = Path(f"{self.cache}.{hashlib.sha256(name.encode()).hexdigest()[:12]}.json")
        try:
            result = json.loads(stored.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result = self._summarise(amount, time)
            stored.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        self._summaries[name] = result
        return result

    def _summarise(self, amount: str | None, time: str | None) -> dict[str, Any]:
        a = self.header.index(amount) if amount in self.header else None
        t = self.header.index(time) if time in self.header else None
        total, counted, skipped = 0.0, 0, 0
        first = last = None
        rows = csvfile.records(self.path)
        next(rows, None)  # the header
        for row in rows:
            if a is not None and a < len(row):
                value = number(row[a])
                if value is None:
                    skipped += 1 if row[a].strip() else 0
                else:
                    total += value
                    counted += 1
            if t is not None and t < len(row) and row[t].strip():
                moment = row[t].strip().replace("T", " ")
                first = moment if first is None or moment < first else first
                last = moment if last is None or moment > last else last
        result: dict[str, Any] = {"rows": self.rows}
        if a is not None:
            result.update(amount=amount, total=round(total, 2), counted=counted, skipped=skipped)
        if t is not None:
            result.update(time=time, first=first, last=last)
        return result
