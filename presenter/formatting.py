"""How the court reads numbers and times (法庭上的数字与时间): one module for every view, panel,
chart and template, so a figure reads the same wherever it stands.

- Amounts: thousands separators, two decimals, one unit per figure: 元, or 万元 where the
  figure's caption (a column's name) says so; a figure is never converted between the two.
- Counts: thousands separators.
- Times: in the deck's time zone (`[case] timezone`, China Standard Time by default), as
  `2026-03-17 14:05`; seconds only where the source gives them (a call log's `14:05:37`),
  never an invented `:00`.
- Identifiers are never grouped: a text that reads as a resident ID, mobile or bank card
  number (presenter.masking) is left exactly as written, so a public screen still masks it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .i18n import is_english
from .masking import mask_text

DEFAULT_ZONE = "+08:00"
"""China Standard Time: the zone of a deck that names none, and of a time written without
an offset."""

YUAN = "元"
WAN = "万元"

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


def zone(name: str) -> dt.tzinfo:
    """A time zone from its name: a UTC offset (`+08:00`, `UTC+8`), `UTC`, or an IANA name
    (`Asia/Shanghai`); ValueError for anything else."""
    text = name.strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return dt.UTC
    match = _OFFSET.match(text.upper())
    if match:
        sign, hours, minutes = match.groups()
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > dt.timedelta(hours=14):
            raise ValueError(f"not a time zone: {name!r}")
        return dt.timezone(-delta if sign == "-" else delta)
    if "/" in text and ".." not in text:
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise ValueError(f"not a time zone: {name!r}")


def zone_key(tz: dt.tzinfo) -> str:
    """A zone as Polars and ISO 8601 name it: `Asia/Shanghai`, or an offset `+08:00`."""
    if isinstance(tz, ZoneInfo):
        return tz.key
    offset = tz.utcoffset(None) or dt.timedelta()
    sign = "-" if offset < dt.timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def deck_zone(case: object) -> dt.tzinfo:
    """The zone in which the court reads a deck's times (its `[case] timezone`)."""
    try:
        return zone(getattr(case, "timezone", None) or DEFAULT_ZONE)
    except ValueError:  # refused by the schema already: never a reason to fail a screen
        return zone(DEFAULT_ZONE)


# --- numbers --------------------------------------------------------------------------------

_NUMBER = re.compile(r"^([+-])?\s*[¥￥]?\s*([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?$")


def number(text: object) -> Decimal | None:
    """A figure as written in evidence (`1234567.8`, `-50`, `1,000.00`, `¥100`), exactly, or
    None when the text is no figure (commas must group by three)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float | Decimal):
        try:
            value = Decimal(str(text))
        except InvalidOperation:
            return None
        return value if value.is_finite() else None
    if not isinstance(text, str):
        return None
    match = _NUMBER.match(text.strip())
    if not match or not (match[3] or match[4]) or (match[1] and match[2]):
        return None
    sign = "-" if "-" in (match[1], match[2]) else ""
    return Decimal(sign + (match[3] or "0").replace(",", "") + (match[4] or ""))


def unit_of(caption: object) -> str:
    """The unit of the figures under a caption: 万元 where the caption says so, else 元."""
    return WAN if isinstance(caption, str) and WAN in caption else YUAN


def is_identifier(value: object) -> bool:
    """Whether a value reads as a personal number (resident ID, mobile, bank card), written
    or given as a number, which is never grouped into thousands: grouped, it would escape a
    public screen's masking."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)
    return isinstance(value, str | int | float) and mask_text(str(value)) != str(value)


def figure(value: object, unit: str = YUAN) -> str | None:
    """The figure alone, grouped: `1,234,567.80` (元: two decimals; 万元: the decimals as
    written, at least two); None when `value` is no figure or reads as an identifier."""
    if is_identifier(value):
        return None
    parsed = number(value)
    if parsed is None:
        return None
    places = 2
    if unit == WAN:
        places = max(2, min(6, -parsed.as_tuple().exponent))  # type: ignore[operator]
    quantised = parsed.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if quantised == 0:
        quantised = abs(quantised)  # never "-0.00"
    return f"{quantised:,.{places}f}"


def amount(value: object, unit: str = YUAN, lang: str = "zh-CN") -> str:
    """An amount with its one unit: `1,234,567.89 元` (`¥1,234,567.89` in English),
    `12.50 万元` where the caption says 万元; a text that is no figure as it is."""
    shown = figure(value, unit)
    if shown is None:
        return "" if value is None else str(value)
    if is_english(lang) and unit == YUAN:
        return f"-¥{shown[1:]}" if shown.startswith("-") else f"¥{shown}"
    return f"{shown} {unit}"


def count(value: object) -> str:
    """A count: `10,000`; anything else (an identifier too) as it is."""
    if is_identifier(value):
        return str(value)
    if isinstance(value, bool) or not isinstance(value, int):
        parsed = number(value) if isinstance(value, str) else None
        if parsed is None or parsed != parsed.to_integral_value():
            return "" if value is None else str(value)
        value = int(parsed)
    return f"{value:,}"


# --- times ----------------------------------------------------------------------------------

_TIME = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def parse_time(text: str, local: dt.tzinfo) -> tuple[dt.datetime | dt.date, bool] | None:
    """A time as written in evidence, and whether its seconds are worth showing: a date; a
    date and time with or without seconds, with `T` or a space, with or without an offset
    (`Z`, `+08:00`, `+0800`); one without an offset is in `local`. None for anything else."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        if hour is None:
            return None if offset else (dt.date(int(year), int(month), int(day)), False)
        micro = int((fraction or ".0")[1:].ljust(6, "0"))
        tz = local if offset is None else zone("+00:00" if offset == "Z" else offset)
        moment = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz
        )
    except ValueError:
        return None
    return moment, bool(second and (int(second) or micro))


def moment(value: object, tz: dt.tzinfo, seconds: bool | None = None) -> str:
    """A time as the court reads it, in `tz`: `2026-03-17 14:05`, with `:37` only where the
    source gives seconds (or `seconds` says so); a date as `2026-03-17`; a text that is no
    time as it is. A time without an offset is taken to be in `tz` already."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        moment_ = value if value.tzinfo else value.replace(tzinfo=tz)
        keep = bool(value.second or value.microsecond) if seconds is None else seconds
    elif isinstance(value, dt.date):
        return value.isoformat()
    elif isinstance(value, str):
        parsed = parse_time(value, tz)
        if parsed is None:
            return value
        if not isinstance(parsed[0], dt.datetime):
            return parsed[0].isoformat()
        moment_, keep = parsed  # type: ignore[assignment]
        keep = keep if seconds is None else seconds
    else:
        return str(value)
    local = moment_.astimezone(tz)  # type: ignore[union-attr]
    text = f"{local:%Y-%m-%d %H:%M}"
    if keep:
        text += f":{local:%S}"
        if local.microsecond:
            text += f".{local.microsecond:06d}".rstrip("0")
    return text


def is_time(text: str) -> bool:
    """Whether a cell is a date with a time of day (what `moment` rewrites)."""
    parsed = parse_time(text, dt.UTC) if isinstance(text, str) else None
    return parsed is not None and isinstance(parsed[0], dt.datetime)


# --- templates ------------------------------------------------------------------------------


def install(env, deck_zone_now: Callable[[], dt.tzinfo]) -> None:
    """The Jinja filters `amount`, `count` and `moment` (in the served deck's zone, asked at
    each use: a reloaded deck may name another)."""
    env.filters["amount"] = amount
    env.filters["count"] = count
    env.filters["moment"] = lambda value, seconds=None: moment(value, deck_zone_now(), seconds)
