"""The sequence of conduct (行为时间线): one lane per actor, an event as a bar from start to
end or as a point; `until` reveals events up to a time, on an axis that never moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from .data import moments, read, span, until_filter
from .labels import Labels
from .style import BODY, PALETTE, layout, plain, say, so_far, zone

if TYPE_CHECKING:
    from . import ChartView


SHOWN = 500
"""Events drawn at most: the latest up to `until` (a screen cannot show more)."""


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    frame = read(path, roles)
    if "end" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("end"))
    frame = frame.with_columns(
        moments(frame["start"], view.zone).alias("s"), moments(frame["end"], view.zone).alias("e")
    ).with_row_index("row")
    actors = frame["actor"].drop_nulls().unique(maintain_order=True).to_list()
    dated = until_filter(frame.drop_nulls(["s", "actor"]), "s", view.until, zone(view))
    shown = dated.sort("s", "row").tail(SHOWN)
    events = list(shown.select("actor", "row", "s", "e", "event").iter_rows())
    bounds = frame.select(
        pl.min_horizontal(pl.col("s").min(), pl.col("e").min()).alias("first"),
        pl.max_horizontal(pl.col("s").max(), pl.col("e").max()).alias("last"),
    ).row(0)
    known = [t for t in bounds if t is not None]
    pad = dt.timedelta(days=2)
    first, last = (min(known) - pad, max(known) + pad) if known else (None, None)
    lane = {actor: len(actors) - 1 - i for i, actor in enumerate(actors)}  # the first on top
    placed = _place(frame, lane, first, last)
    traces = []
    for i, actor in enumerate(actors):
        mine = [e for e in events if e[0] == actor]
        colour = PALETTE[i % len(PALETTE)]
        xs: list[object] = []
        ys: list[object] = []
        for _, _, start, end, _ in mine:
            if end is not None:
                xs += [_local(view, start), _local(view, end), None]
                ys += [lane[actor], lane[actor], None]
        traces.append({
            "type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip",
            "line": {"width": 14, "color": colour}, "showlegend": False,
        })  # fmt: skip
        traces.append({
            "type": "scatter", "mode": "markers", "name": plain(actor),
            "x": [_local(view, s) for _, _, s, _, _ in mine], "y": [lane[actor]] * len(mine),
            "customdata": [plain(t) for *_, t in mine],
            "hovertemplate": "%{x|%Y-%m-%d %H:%M}<br>%{customdata}<extra>%{fullData.name}</extra>",
            "marker": {"size": 16, "color": colour, "line": {"width": 2, "color": "#fff"}},
            "showlegend": False,
        })  # fmt: skip
    named = [(placed[row], text) for _, row, _, _, text in events if row in placed]
    traces.append({
        "type": "scatter", "mode": "text", "hoverinfo": "skip", "showlegend": False,
        "x": [_local(view, at) for (at, _, _), _ in named], "y": [y for (_, y, _), _ in named],
        "textposition": [side for (_, _, side), _ in named],
        "text": [plain(text) for _, text in named],
        "textfont": {"size": BODY, "color": "#333333"},
    })  # fmt: skip
    axis_range = [_local(view, first), _local(view, last)] if known else None
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
                "range": [-0.5, len(actors) - 0.5],
                "tickvals": [lane[a] for a in actors],
                "ticktext": [plain(a) for a in actors],
                "zeroline": False,
                "fixedrange": True,
            },
        ),  # fmt: skip
        "meta": {
            "actors": actors,
            "events": [[a, t] for a, _, _, _, t in events],
            "span": span(known),
        },
    }


def _place(
    frame: pl.DataFrame, lane: dict[str, int], first: dt.datetime | None, last: dt.datetime | None
) -> dict[int, tuple[dt.datetime, float, str]]:
    """Where each event's label goes (by row): beside its dot, above or below it or one tier
    higher, to its right or left, wherever it covers no other label, dot or bar. Placed once
    for every event of the file, so a label never moves as the presenter reveals more."""
    if first is None or last is None or not lane:
        return {}
    whole = (last - first).total_seconds() or 1.0
    labels = Labels((0.0, 1.0), (-0.5, len(lane) - 0.5))
    rows = list(frame.drop_nulls(["s", "actor"]).sort("s", "row").head(SHOWN).iter_rows(named=True))
    at = {r["row"]: (r["s"] - first).total_seconds() / whole for r in rows}
    for r in rows:
        labels.mark(at[r["row"]], lane[r["actor"]], 10)
        if r["e"] is not None:
            end = (r["e"] - first).total_seconds() / whole
            labels.taken.append(
                (
                    at[r["row"]],
                    lane[r["actor"]] - 8 * labels.sy,
                    end,
                    lane[r["actor"]] + 8 * labels.sy,
                )
            )
    gap = 12 * labels.sx
    placed = {}
    for r in rows:
        x, y = at[r["row"]], lane[r["actor"]]
        tiers = [(dy, align) for dy in (28.0, -28.0, 64.0) for align in ("left", "right")]
        candidates = [(x + gap if a == "left" else x - gap, y, dy, a) for dy, a in tiers]
        spot = labels.take(candidates, plain(r["event"] or ""))
        if spot is not None:
            cx, _, dy, align = candidates[spot]
            moment = first + dt.timedelta(seconds=cx * whole)
            placed[r["row"]] = (
                moment,
                y + dy * labels.sy,
                "middle right" if align == "left" else "middle left",
            )
    return placed


def _caption(view: ChartView, drawn: int, shown: int, total: int) -> str:
    latest = say(view, "latest", count=drawn) if drawn < shown else ""
    return latest + say(view, "events", shown=shown, total=total)


def _local(view: ChartView, moment: dt.datetime) -> str:
    """A time on the chart's axis, in the deck's zone (what the court reads on it)."""
    return moment.astimezone(zone(view)).strftime("%Y-%m-%d %H:%M:%S")
