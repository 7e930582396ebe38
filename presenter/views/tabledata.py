"""Large CSV exhibits, a page at a time: the byte offset of every row, found in one pass and
kept on disk, so any page of a million-row table is one seek and one short parse. Every read
goes through presenter.csvfile, the one CSV reader, so the index, the filter and `check`
agree on what a record is."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import cells, csvfile, formatting
from ..bounds import CELL, shorten

PAGE = 100
"""Rows a screen is sent at a time."""

TableError = csvfile.CsvError
"""A table that cannot be read; the message names the file."""

SUMMARY_VERSION = 2
"""Part of a summary's cache key: version 1 added floats and knew one amount column."""

INDEX_VERSION = 2
"""Part of the cache key: version 1 counted quotes per line, which a stray quote misled."""


def _key(path: Path) -> str:
    stat = os.stat(path)
    text = f"{INDEX_VERSION}:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def shorten_cells(rows: list[list[str]], note: str) -> list[list[str]]:
    """Rows as sent to a screen: each cell at most CELL characters, a longer one cut with
    `note` (a template with `{total}`)."""
    return [[shorten(cell, CELL, note) for cell in row] for row in rows]


def number(cell: str) -> Decimal | None:
    """A cell as an exact amount ('1,234.50', '¥100', '20,000.00元', '(5.00)'), or None."""
    return cells.amount(cell)


@dataclass(frozen=True)
class Roles:
    """The columns, by header name, that a table's totals, sort and range read: `amount`
    (signed as written, or by `direction`, 借/贷), or `debit` and `credit` (money out and in
    as two columns); `time`; `category`, whose values are totalled apart (交易类型: 入金/出金).
    `zone` is the case's time zone, in which a time without an offset is read."""

    amount: str | None = None
    time: str | None = None
    direction: str | None = None
    debit: str | None = None
    credit: str | None = None
    category: str | None = None
    zone: str = "+08:00"

    @classmethod
    def of(cls, roles: Roles | str | None, time: str | None = None) -> Roles:
        """Roles from the former call `(amount, time)`, or as they are."""
        return roles if isinstance(roles, Roles) else cls(amount=roles, time=time)

    def signing(self, header: list[str]) -> cells.Signing:
        return cells.Signing.of(header, self.__dict__)

    def at(self, header: list[str], role: str) -> int | None:
        name = getattr(self, role)
        return header.index(name) if name and name in header else None

    def label(self, header: list[str]) -> str | None:
        """What the total adds up, in the caption: the amount column, or `收入 − 支出`."""
        two = [n for n in (self.credit, self.debit) if n and n in header]
        return " − ".join(two) if two else self.amount


@dataclass(frozen=True)
class Arrangement:
    """A table's rows as the presenter sorted or filtered them: 0-based row numbers in the
    order shown, and the exact signed amount total of those rows."""

    rows: array
    total: Decimal | None


ARRANGEMENTS = 4
"""Arrangements kept per table: a million rows' order is 4 MB."""

CATEGORIES = 20
"""Category values totalled one by one; the rest are added up as one line, 其他 (others)."""


def _sort_keys(keys: list[str], value: Callable[[int], Any] | None, zone: dt.tzinfo) -> list:
    """The keys the filled cells sort by: the signed amount when the column is the amount,
    else the cells as amounts when every one is one, as times when every one is one, else as
    text."""
    if value is not None:
        values = [value(i) for i in range(len(keys))]
        if all(v is not None for v in values):
            return values
    for read in (cells.amount, lambda k: cells.moment(k, zone)):
        values = [read(k) for k in keys]
        if all(v is not None for v in values):
            return values
    return keys


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
        self._summarising = threading.Lock()

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

    def arranged(
        self,
        sort: int | None,
        desc: bool,
        text: str,
        roles: Roles | str | None,
        category: str | None = None,
    ) -> Arrangement:
        """The rows containing `text` (any cell, case-insensitive) and, with `category`,
        whose category cell is exactly that value (a click on the category totals), sorted
        by column `sort`: the amount column by signed amount, else as amounts, times or
        text, whichever every filled cell reads as; empty cells last. One pass over the
        file, kept for the next pages."""
        roles = Roles.of(roles)
        key = (sort, desc, text.casefold(), roles, category)
        with self._arranging:
            if key not in self._arrangements:
                if len(self._arrangements) >= ARRANGEMENTS:
                    self._arrangements.pop(next(iter(self._arrangements)))
                self._arrangements[key] = self._arrange(
                    sort, desc, text.casefold(), roles, category
                )
            return self._arrangements[key]

    def _arrange(
        self, sort: int | None, desc: bool, needle: str, roles: Roles, category: str | None
    ) -> Arrangement:
        signing = roles.signing(self.header)
        c = roles.at(self.header, "category") if category is not None else None
        kept, keys, signed, total = array("I"), [], [], Decimal(0)
        by_amount = sort is not None and sort in (signing.amount, signing.debit, signing.credit)
        rows = csvfile.records(self.path)
        next(rows, None)  # the header
        for n, row in enumerate(rows):
            if c is not None and (row[c].strip() if c < len(row) else "") != category:
                continue
            if needle and not any(needle in cell.casefold() for cell in row):
                continue
            kept.append(n)
            value = signing.value(row) if signing.any else None
            if sort is not None:
                keys.append(row[sort].strip() if sort < len(row) else "")
                if by_amount and sort == signing.amount:
                    signed.append(value)
            if value is not None:
                total += value
        if sort is not None:
            kept = self._sorted(kept, keys, signed or None, desc, roles)
        return Arrangement(kept, total if signing.any else None)

    @staticmethod
    def _sorted(rows: array, keys: list[str], signed, desc: bool, roles: Roles) -> array:
        filled = [i for i, k in enumerate(keys) if k]
        value = (lambda j: signed[filled[j]]) if signed else None
        values = _sort_keys([keys[i] for i in filled], value, formatting.zone(roles.zone))
        order = sorted(range(len(filled)), key=values.__getitem__, reverse=desc)
        empty = [rows[i] for i, k in enumerate(keys) if not k]
        return array("I", [rows[filled[j]] for j in order] + empty)

    def summary(self, roles: Roles | str | None, time: str | None = None) -> dict[str, Any]:
        """The signed total of the amounts, the range of the time column and the totals by
        category, in one pass, kept beside the index."""
        roles = Roles.of(roles, time)
        name = f"{SUMMARY_VERSION}|{roles}"
        with self._summarising:  # one pass, whoever asks first (a screen, the preparation)
            if name in self._summaries:
                return self._summaries[name]
            stored = Path(f"{self.cache}.{hashlib.sha256(name.encode()).hexdigest()[:12]}.json")
            try:
                result = json.loads(stored.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                result = self._summarise(roles)
                temp = stored.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
                temp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
                os.replace(temp, stored)
            self._summaries[name] = result
            return result

    def _summarise(self, roles: Roles, sorted_text: bool = True) -> dict[str, Any]:
        """The summary in one pass. `sorted_text`: a time written "2024-03-01 10:00:00" is
        compared as text (which sorts as the time), only the extremes read."""
        signing = roles.signing(self.header)
        t = roles.at(self.header, "time")
        c = roles.at(self.header, "category")
        zone = formatting.zone(roles.zone)
        total, inflow, outflow = Decimal(0), Decimal(0), Decimal(0)
        counted = skipped = 0
        first_bad: tuple[int, int] | None = None
        first = last = None  # (moment, cell)
        iso: tuple[str, str] | None = None
        groups: dict[str, list] = {}
        rows = csvfile.records(self.path)
        next(rows, None)  # the header
        for n, row in enumerate(rows, 1):
            value = signing.value(row) if signing.any else None
            if value is not None:
                total += value
                counted += 1
                if value > 0:
                    inflow += value
                else:
                    outflow += value
            if signing.any and (
                value is None or signing.debit is not None or signing.credit is not None
            ):
                bad = cells.bad_amount(row, signing)
                if bad is not None:
                    skipped += 1
                    first_bad = first_bad or (n, bad)
            if t is not None and t < len(row):
                cell = row[t]
                if sorted_text and len(cell) == 19 and cell[4] == "-" and cell[10] == " ":
                    # "2024-03-01 10:00:00", the usual form: its text sorts as its time, so
                    # only the extremes are read, at the end
                    iso = (cell, cell) if iso is None else (min(iso[0], cell), max(iso[1], cell))
                elif cell.strip():
                    moment = cells.moment(cell, zone)
                    if moment is not None:
                        if first is None or moment < first[0]:
                            first = (moment, cell)
                        if last is None or moment > last[0]:
                            last = (moment, cell)
            if c is not None:
                group = groups.setdefault(row[c].strip() if c < len(row) else "", [0, Decimal(0)])
                group[0] += 1
                group[1] += value or 0
        for cell in iso or ():
            moment = cells.moment(cell, zone)
            if moment is None:
                return self._summarise(roles, sorted_text=False)  # an impossible extreme
            if first is None or moment < first[0]:
                first = (moment, cell)
            if last is None or moment > last[0]:
                last = (moment, cell)
        result: dict[str, Any] = {"rows": self.rows}
        if signing.any:
            result.update(
                amount=roles.label(self.header),
                total=float(total),
                exact=str(total),
                counted=counted,
                skipped=skipped,
                first_bad=None
                if first_bad is None
                else {"row": first_bad[0], "column": self.header[first_bad[1]]},
            )
            if (
                signing.direction is not None
                or signing.debit is not None
                or signing.credit is not None
            ):
                result.update(inflow=str(inflow), outflow=str(outflow))
        if t is not None:
            result.update(
                time=roles.time,
                first=None if first is None else cells.shown_moment(first[1], first[0]),
                last=None if last is None else cells.shown_moment(last[1], last[0]),
            )
        if c is not None:
            result.update(category=roles.category, **_category_totals(groups, signing.any))
        return result


def _category_totals(groups: dict[str, list], amounts: bool) -> dict[str, Any]:
    """The totals by category, the largest first (by amount, or by count without amounts):
    CATEGORIES of them, then the rest as one line."""

    def size(item):
        return (abs(item[1][1]), item[1][0]) if amounts else (item[1][0],)

    ordered = sorted(groups.items(), key=size, reverse=True)
    shown, rest = ordered[:CATEGORIES], ordered[CATEGORIES:]
    other = None
    if rest:
        other = {
            "values": len(rest),
            "count": sum(g[0] for _, g in rest),
            "sum": str(sum((g[1] for _, g in rest), Decimal(0))) if amounts else None,
        }
    return {
        "categories": [
            {"value": v, "count": g[0], "sum": str(g[1]) if amounts else None} for v, g in shown
        ],
        "other": other,
    }
