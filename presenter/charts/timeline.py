"""The sequence of conduct (行为时间线): one lane per actor, an event as a bar from start to
end or as a point; `until` reveals events up to a time, on an axis that never moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from .data import CST, moments, read, span, until_filter
from .style import PALETTE, layout, plain, say, so_far

if TYPE_CHECKING:
    from . import ChartView


SHOWN = 500
"""Events drawn at most: the latest up to `until` (a screen cannot show more)."""


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    frame = read(path, roles)
    if "end" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("end"))
    frame = frame.with_columns(
        moments(frame["start"]).alias("s"), moments(frame["end"]).alias("e")
    ).with_row_index("row")
    actors = frame["actor"].drop_nulls().unique(maintain_order=True).to_list()
    dated = until_filter(frame.drop_nulls(["s", "actor"]), "s", view.until)
    shown = dated.sort("s", "row").tail(SHOWN)
    events = list(shown.select("actor", "s", "e", "event").iter_rows())
    bounds = frame.select(
        pl.min_horizontal(pl.col("s").min(), pl.col("e").min()).alias("first"),
        pl.max_horizontal(pl.col("s").max(), pl.col("e").max()).alias("last"),
    ).row(0)
    known = [t for t in bounds if t is not None]
    pad = dt.timedelta(days=2)
    traces = []
    for i, actor in enumerate(actors):
        mine = [e for e in events if e[0] == actor]
        colour = PALETTE[i % len(PALETTE)]
        xs: list[object] = []
        ys: list[object] = []
        for _, start, end, _ in mine:
            if end is not None:
                xs += [_local(start), _local(end), None]
                ys += [actor, actor, None]
        traces.append({
            "type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip",
            "line": {"width": 14, "color": colour}, "showlegend": False,
        })  # fmt: skip
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": plain(actor),
            "textposition": "top right", "textfont": {"size": 15, "color": "#333333"},
            "x": [_local(s) for _, s, _, _ in mine], "y": [actor] * len(mine),
            "text": [plain(t) for *_, t in mine],
            "hovertemplate": "%{x|%Y-%m-%d}<br>%{text}<extra>%{y}</extra>",
            "marker": {"size": 16, "color": colour, "line": {"width": 2, "color": "#fff"}},
            "showlegend": False,
        })  # fmt: skip
    axis_range = [_local(min(known) - pad), _local(max(known) + pad)] if known else None
    return {
        "data": traces,
        "layout": layout(
            _caption(view, len(events), dated.height, frame.height) + so_far(view),
            xaxis={
                "type": "date",
                "range": axis_range,
                "tickformat": "%m-%d",
                "gridcolor": "#e5e5e5",
            },
            yaxis={
                "type": "category",
                "categoryorder": "array",
                "categoryarray": actors[::-1],
                "tickvals": actors,
                "ticktext": [plain(a) for a in actors],
            },
        ),  # fmt: skip
        "meta": {
            "actors": actors,
            "events": [[a, t] for a, _, _, t in events],
            "span": span(known),
        },
    }


def _caption(view: ChartView, drawn: int, shown: int, total: int) -> str:
    latest = say(view, "latest", count=drawn) if drawn < shown else ""
    return latest + say(view, "events", shown=shown, total=total)


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")
