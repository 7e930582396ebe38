"""The sequence of conduct (行为时间线): one lane per actor, an event as a bar from start to
end or as a point; `until` reveals events up to a time, on an axis that never moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .data import CST, moments, read, span
from .style import PALETTE, layout, plain, so_far

if TYPE_CHECKING:
    from . import ChartView


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    frame = read(path, roles)
    starts = moments(frame["start"]).to_list()
    ends = moments(frame["end"]).to_list() if "end" in frame.columns else [None] * frame.height
    actors = list(dict.fromkeys(frame["actor"].to_list()))
    until = view.until.replace(tzinfo=view.until.tzinfo or CST) if view.until else None
    events = [
        (actor, start, end, text)
        for actor, start, end, text in zip(
            frame["actor"].to_list(), starts, ends, frame["event"].to_list(), strict=True
        )
        if start is not None and (until is None or start <= until)
    ]
    known = [t for t in starts + ends if t is not None]
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
            f"{len(events)} / {frame.height} 个事件{so_far(view)}",
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


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")
