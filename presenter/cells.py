"""Table cells as Chinese banks and platforms write them, read for totals, sort and range:
amounts with separators, currency marks and full-width digits (`¥20,000.00`, `20,000.00元`,
`(1,234.50)`, `RMB 100`), the debit/credit direction (借/贷) and dates (`2024年3月1日 10时05分`,
`20240301100000`). A cell is always shown as the original wrote it; these readings only
decide what is added up, in which order rows sort, and the range a table covers."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import formatting

_WIDE = str.maketrans(
    "０１２３４５６７８９，．－＋（）￥　",
    "0123456789,.-+()¥ ",
)
"""Full-width digits and marks, as a Chinese input method types them, to their ASCII."""

_PLAIN = re.compile(r"-?\d{1,15}(?:\.\d{1,6})?\Z")
_MARKS = re.compile(r"(?i)^(?:rmb|cny|人民币)\s*|\s*(?:rmb|cny|人民币|元)$")
_FIGURE = re.compile(r"^([+-])?¥?([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?(-)?$")


def amount(cell: str) -> Decimal | None:
    """A cell as an exact amount, or None when it holds none: `¥20,000.00`, `20,000.00元`,
    `￥-1,234.5`, `(1,234.50)` (negative, as accountants write it), `RMB 100`, `１２３`,
    `1,234.50-`. Commas must group by three, so a date or an account number is no amount."""
    if _PLAIN.match(cell):
        return Decimal(cell)  # the common case, as fast as it can be
    text = cell.translate(_WIDE).strip()
    if not text:
        return None
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    text = _MARKS.sub("", text).replace(" ", "")
    match = _FIGURE.match(text)
    if not match or not (match[3] or match[4]) or sum(bool(match[i]) for i in (1, 2, 5)) > 1:
        return None
    value = Decimal((match[3] or "0").replace(",", "") + (match[4] or ""))
    if negative or "-" in (match[1], match[2], match[5]):
        value = -value
    return value


OUT = frozenset({"借", "借方", "支出", "支", "出", "转出", "付", "付款", "d", "dr", "debit", "-"})
IN = frozenset({"贷", "贷方", "收入", "收", "入", "转入", "收款", "c", "cr", "credit", "+"})
"""A direction column's words. For a bank account 借 (debit) is money out, 贷 (credit) money in."""


@functools.lru_cache(maxsize=256)
def direction(cell: str) -> int | None:
    """-1 for money out (借/支出/出/D/Dr/-), +1 for money in (贷/收入/入/C/Cr/+), else None."""
    word = cell.translate(_WIDE).strip().casefold()
    if word in OUT:
        return -1
    if word in IN:
        return 1
    return None


_CHINESE = re.compile(
    r"^(\d{4})年(\d{1,2})月(\d{1,2})日?"
    r"(?:\s*(\d{1,2})[时点:：](\d{1,2})分?(?:[:：]?(\d{1,2})秒?)?)?$"
)
_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\s*(\d{2})(\d{2})(\d{2})?)?$")
_SEPARATED = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def moment(cell: str, zone: dt.tzinfo) -> dt.datetime | None:
    """A cell as a point in time, naive in `zone` (a time written with an offset is moved
    into it), or None: `2024年3月1日`, `2024年3月1日 10时05分`, `2024/03/01 10:00:00`,
    `2024-3-1`, `2024-03-01T10:00:00+08:00`, `20240301100000`, `20240301`. A date alone is
    its midnight."""
    text = cell.translate(_WIDE).strip()
    if not text or not text[:4].isdigit():
        return None
    if len(text) in (10, 19) and text[4] == "-":  # ISO 8601, the common case, parsed in C
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    offset = None
    match = _CHINESE.match(text) or _DIGITS.match(text)
    if match is None:
        match = _SEPARATED.match(text)
        if match is None:
            return None
        offset = match[8]
    parts = [int(p) if p else 0 for p in match.groups()[:6]]
    micro = int((match[7] or "0").ljust(6, "0")) if match.re is _SEPARATED else 0
    try:
        value = dt.datetime(*parts, micro)  # type: ignore[misc]
    except ValueError:
        return None
    if offset:
        tz = formatting.zone("+00:00" if offset == "Z" else offset)
        value = value.replace(tzinfo=tz).astimezone(zone).replace(tzinfo=None)
    return value


def has_time_of_day(cell: str) -> bool:
    """Whether a time cell gives more than a date (for showing a range's ends)."""
    text = cell.translate(_WIDE).strip()
    return any(c in text for c in ":：时") or (text.isdigit() and len(text) > 8)


def shown_moment(cell: str, value: dt.datetime) -> str:
    """A range's end as the court reads it: a cell the court's formatting reads is kept as
    written; any other (`2024年3月1日 10时05分`) as `2024-03-01 10:05`."""
    text = cell.strip().replace("T", " ")
    if formatting.parse_time(text, dt.UTC) is not None:
        return text
    if not has_time_of_day(cell):
        return f"{value:%Y-%m-%d}"
    return f"{value:%Y-%m-%d %H:%M:%S}" if value.second else f"{value:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class Signing:
    """How a row's amount is read with its sign: one `amount` column, signed as written or
    by a `direction` column (借/贷); or money out and in as two columns, `debit` and `credit`
    (借方发生额 / 贷方发生额), in is positive. Positions are 0-based columns, or None."""

    amount: int | None = None
    direction: int | None = None
    debit: int | None = None
    credit: int | None = None

    @classmethod
    def of(cls, header: Sequence[str], columns: dict[str, str | None]) -> Signing:
        def at(role: str) -> int | None:
            name = columns.get(role)
            return header.index(name) if name and name in header else None

        return cls(at("amount"), at("direction"), at("debit"), at("credit"))

    @property
    def any(self) -> bool:
        return self.amount is not None or self.debit is not None or self.credit is not None

    @property
    def columns(self) -> tuple[int, ...]:
        """The columns holding figures: where an unreadable cell is worth a warning."""
        return tuple(c for c in (self.amount, self.debit, self.credit) if c is not None)

    def value(self, row: Sequence[str]) -> Decimal | None:
        """The row's signed amount; None when it has no readable figure."""
        if self.debit is not None or self.credit is not None:
            out = _cell_amount(row, self.debit)
            into = _cell_amount(row, self.credit)
            if out is None and into is None:
                return None if self.amount is None else self._one(row)
            return (into or Decimal(0)) - abs(out or Decimal(0))
        return self._one(row)

    def _one(self, row: Sequence[str]) -> Decimal | None:
        value = _cell_amount(row, self.amount)
        if value is None or self.direction is None:
            return value
        sign = direction(row[self.direction]) if self.direction < len(row) else None
        return value if sign is None else sign * abs(value)


def _cell_amount(row: Sequence[str], column: int | None) -> Decimal | None:
    if column is None or column >= len(row):
        return None
    return amount(row[column])


def bad_amount(row: Sequence[str], signing: Signing) -> int | None:
    """The first figure column of the row holding text that is no amount (an empty cell is
    fine), or None."""
    for column in signing.columns:
        if column < len(row) and row[column].strip() and amount(row[column]) is None:
            return column
    return None
