"""The times of a chart's CSV read as the court is told them: the form bank exports write
(`2026-03-01T09:30:00+08:00`) is read by its fixed places, fast, and must give exactly what
Python's own ISO 8601 reader gives; anything not quite in that form is read as before, each
value the same whether alone or among others."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest

from presenter.charts.data import moments


def _iso(rng: random.Random) -> str:
    moment = dt.datetime(2000, 1, 1) + dt.timedelta(seconds=rng.randrange(40 * 365 * 86400))
    minutes = rng.choice((0, 30, 45)) if rng.random() < 0.3 else 0
    offset = dt.timedelta(hours=rng.randrange(-12, 15), minutes=minutes)
    return moment.replace(tzinfo=dt.timezone(offset)).isoformat()


def test_the_exporters_form_is_read_exactly_as_python_reads_it():
    rng = random.Random(18)
    texts = [_iso(rng) for _ in range(5000)]
    read = moments(pl.Series("time", texts))
    assert read.name == "time"
    expected = [dt.datetime.fromisoformat(t).astimezone(dt.UTC) for t in texts]
    assert read.to_list() == expected


ODD = [
    "2026-03-01 08:00",  # no offset: the deck's zone
    "2026-03-01",
    "2026-03-01T08:00:00Z",
    " 2026-03-01T08:00:00+08:00 ",
    "2026-03-01T08:00:00+0800",
    "2026-03-01T08:00:00.5+08:00",
    "2026-03-01T08:00:00+08:99",  # not an offset
    "2026-03-01T08:00:00+08:-1",
    "2026-03-01T08:00:00+08:+1",
    "2026-03-01T08:00:00+99:00",
    "2026-03-01T08:00:00+8:000",
    "2026-02-30T08:00:00+08:00",  # no such day
    "2026-03-01T24:00:00+08:00",
    "２０２６-03-01T08:00:00+08:00",  # full-width digits
    "bad",
    "",
    None,
]


@pytest.mark.parametrize("text", ODD)
def test_a_time_reads_the_same_alone_and_among_times_of_the_exporters_form(text):
    alone = moments(pl.Series("t", [text]))[0]
    among = moments(pl.Series("t", ["2026-03-01T09:30:00+08:00", text]))[1]
    assert alone == among


def test_the_odd_forms_read_as_the_court_would_expect():
    read = dict(zip(ODD, moments(pl.Series("t", ODD), "+08:00").to_list(), strict=True))
    utc = dt.UTC
    assert read["2026-03-01 08:00"] == dt.datetime(2026, 3, 1, 0, 0, tzinfo=utc)
    assert read["2026-03-01"] == dt.datetime(2026, 2, 28, 16, 0, tzinfo=utc)
    assert read["2026-03-01T08:00:00Z"] == dt.datetime(2026, 3, 1, 8, 0, tzinfo=utc)
    assert read[" 2026-03-01T08:00:00+08:00 "] == dt.datetime(2026, 3, 1, 0, 0, tzinfo=utc)
    for nothing in ("2026-02-30T08:00:00+08:00", "2026-03-01T24:00:00+08:00", "bad", "", None):
        assert read[nothing] is None, nothing


def test_no_time_at_all_is_no_time():
    assert moments(pl.Series("t", [], dtype=pl.String)).to_list() == []
    assert moments(pl.Series("t", [None, None])).to_list() == [None, None]
