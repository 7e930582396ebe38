"""A chart's CSV as a Polars frame: every column as text, named by the item's column roles,
and times made comparable (a time without an offset is China Standard Time)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

CST = dt.timezone(dt.timedelta(hours=8))


def read(path: Path, roles: dict[str, str]) -> pl.DataFrame:
    """The CSV with the columns that play `roles` renamed to the role ({role: header})."""
    frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    present = {name: role for role, name in roles.items() if name in frame.columns}
    return frame.select(list(present)).rename(present)


LOCAL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def moments(texts: pl.Series, zone: str = "+08:00") -> pl.Series:
    """Text times as UTC datetimes, each value read on its own (a column may mix forms):
    ISO 8601 with an offset, or a date and time without one (in the deck's `zone`, China
    Standard Time unless it names another); what cannot be read becomes null.

    Parsed as lazy queries, which polars spreads over the machine's cores (an eager series
    operation runs on one). The form bank exports and our own records write,
    `2026-03-01T09:30:00+08:00`, is read first by its fixed places; the other forms are
    tried only when some value is not in it."""
    frame = texts.cast(pl.String).alias("t").to_frame().lazy()
    frame = frame.select(pl.col("t").str.strip_chars())
    s = pl.col("t")
    exact = _fixed_offset(s)
    first = frame.select(exact).collect().to_series()
    if first.null_count() == texts.null_count():
        return first.alias(texts.name)
    aware = (
        s.str.replace(r"Z$", "+00:00")
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%:z", strict=False, time_unit="ms")
        .dt.convert_time_zone("UTC")
    )
    plain = s.str.replace("T", " ", literal=True).str.slice(0, 19)
    local = [
        plain.str.to_datetime(form, strict=False, time_unit="ms")
        .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
        for form in LOCAL_FORMATS
    ]
    return frame.select(pl.coalesce(aware, *local).alias(texts.name)).collect().to_series()


def _fixed_offset(s: pl.Expr) -> pl.Expr:
    """`s` read as `YYYY-MM-DDTHH:MM:SS±HH:MM` and nothing else (null otherwise), in UTC."""
    sign = pl.when(s.str.slice(19, 1) == "+").then(1).when(s.str.slice(19, 1) == "-").then(-1)
    hours, minutes = (s.str.slice(at, 2).cast(pl.Int32, strict=False) for at in (20, 23))
    wall = s.str.slice(0, 19).str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="ms")
    utc = (wall - pl.duration(minutes=sign * (hours * 60 + minutes))).dt.replace_time_zone("UTC")
    shaped = s.str.contains(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-](0\d|1[0-4]):[0-5]\d$")
    return pl.when(shaped).then(utc)


def until_filter(
    frame: pl.DataFrame, column: str, until: dt.datetime | None, zone: dt.tzinfo = CST
) -> pl.DataFrame:
    """The rows at or before `until` (all when None; one without an offset is in `zone`)."""
    if until is None:
        return frame
    if until.tzinfo is None:
        until = until.replace(tzinfo=zone)
    return frame.filter(pl.col(column) <= until.astimezone(dt.UTC))


def span(times: list[dt.datetime | None], zone: dt.tzinfo) -> list[str] | None:
    """The first and last of `times` in the deck's `zone` (ISO 8601 with its offset), for
    the presenter's time slider; None when there is no time at all."""
    known = [t for t in times if t is not None]
    if not known:
        return None
    return [min(known).astimezone(zone).isoformat(), max(known).astimezone(zone).isoformat()]
