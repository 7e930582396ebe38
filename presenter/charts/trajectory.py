"""Behaviour trajectories (行为轨迹): places in time order joined by a path on a map drawn
from the vendored topojson (no request leaves the app); `until` draws the path so far, on a
map framed for the whole trajectory so it never jumps."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from .data import CST, moments, read, span, until_filter
from .style import PALETTE, layout, plain, say, so_far

if TYPE_CHECKING:
    from . import ChartView


SHOWN = 500
"""Points drawn at most: the latest up to `until`, numbered by their place in the whole."""


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    frame = read(path, roles)
    frame = (
        frame.with_columns(
            moments(frame["time"]).alias("time"),
            pl.col("lat").cast(pl.Float64, strict=False),
            pl.col("lon").cast(pl.Float64, strict=False),
        )
        .drop_nulls(["time", "lat", "lon"])
        .sort("time")
    )
    box = frame.select(
        pl.col("lat").min().alias("south"), pl.col("lat").max().alias("north"),
        pl.col("lon").min().alias("west"), pl.col("lon").max().alias("east"),
    ).row(0, named=True)  # fmt: skip
    so_far_points = until_filter(frame, "time", view.until)
    shown = so_far_points.tail(SHOWN)
    skipped = so_far_points.height - shown.height
    labels = [
        " ".join(plain(v) for v in (row.get("place"), row.get("label")) if v)
        for row in shown.iter_rows(named=True)
    ]
    times = [t.astimezone(CST).strftime("%m-%d %H:%M") for t in shown["time"].to_list()]
    south, north = box["south"] or 0, box["north"] or 0
    west, east = box["west"] or 0, box["east"] or 0
    margin = 0.02 + 0.15 * max(north - south, east - west)
    trace = {
        "type": "scattergeo", "mode": "lines+markers+text",
        "lat": shown["lat"].to_list(), "lon": shown["lon"].to_list(),
        "text": _numbered(shown, skipped + 1), "textposition": "top right",
        "customdata": [[t, label] for t, label in zip(times, labels, strict=True)],
        "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        "line": {"width": 3, "color": PALETTE[1]},
        "marker": {"size": 12, "color": PALETTE[0]},
        "textfont": {"size": 16},
    }  # fmt: skip
    geo = {
        "scope": "asia", "resolution": 50, "projection": {"type": "mercator"},
        "showland": True, "landcolor": "#f3f1ea", "showcountries": True,
        "lataxis": {"range": [south - margin, north + margin]},
        "lonaxis": {"range": [west - margin, east + margin]},
    }  # fmt: skip
    return {
        "data": [trace],
        "layout": layout(
            (say(view, "latest", count=shown.height) if skipped else "")
            + say(view, "points", shown=so_far_points.height, total=frame.height)
            + so_far(view),
            geo=geo,
            showlegend=False,
        ),
        "meta": {"points": shown.height, "places": labels, "span": span(frame["time"].to_list())},
    }


def _numbered(points: pl.DataFrame, first: int = 1) -> list[str]:
    """Each place once, with the numbers of the visits in time order (from `first`) and its
    name: "1、2、7 某小区3栋"; a place visited again gets no second label over the first."""
    visits: dict[tuple[float, float], list[int]] = {}
    for n, (lat, lon) in enumerate(zip(points["lat"], points["lon"], strict=True), first):
        visits.setdefault((lat, lon), []).append(n)
    places = points["place"].to_list() if "place" in points.columns else [""] * points.height
    texts = [""] * points.height
    for numbers in visits.values():
        at = numbers[0] - first
        texts[at] = " ".join(["、".join(map(str, numbers)), plain(places[at] or "")]).strip()
    return texts
