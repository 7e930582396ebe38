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
    Standard Time unless it names another); what cannot be read becomes null."""
    s = texts.str.strip_chars()
    aware = s.str.replace(r"Z$", "+00:00").str.to_datetime(
        "%Y-%m-%dT%H:%M:%S%:z", strict=False, time_unit="ms"
    )
    if aware.null_count() == s.null_count():  # all with offsets, as exports mostly are
        return aware.dt.convert_time_zone("UTC")
    plain = s.str.replace("T", " ", literal=True).str.slice(0, 19)
    local = [
        plain.str.to_datetime(form, strict=False, time_unit="ms").dt.replace_time_zone(
            zone, ambiguous="earliest", non_existent="null"
        )
        for form in LOCAL_FORMATS
    ]
    utc = [series.dt.convert_time_zone("UTC") for series in (aware, *local)]
    return pl.select(pl.coalesce(utc)).to_series()


def until_filter(
    frame: pl.DataFrame, column: str, until: dt.datetime | None, zone: dt.tzinfo = CST
) -> pl.DataFrame:
    """The rows at or before `until` (all when None; one without an offset is in `zone`)."""
    if until is None:
        return frame
    if until.tzinfo is None:
        until = until.replace(tzinfo=zone)
    return frame.filter(pl.col(column) <= until.astimezone(dt.UTC))


def span(times: list[dt.datetime | None]) -> list[str] | None:
    """The first and last of `times` in China Standard Time (ISO 8601), for the presenter's
    time slider; None when there is no time at all."""
    known = [t for t in times if t is not None]
    if not known:
        return None
    return [min(known).astimezone(CST).isoformat(), max(known).astimezone(CST).isoformat()]
