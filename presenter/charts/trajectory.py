"""Behaviour trajectories (行为轨迹): places in time order joined by a path on a map drawn
from the vendored topojson (no request leaves the app); `until` draws the path so far, on a
map framed for the whole trajectory so it never jumps."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from .. import formatting
from .data import moments, read, span, until_filter
from .labels import PLOT, Labels
from .style import BODY, PALETTE, layout, plain, say, so_far, zone

if TYPE_CHECKING:
    from . import ChartView


SHOWN = 500
"""Points drawn at most: the latest up to `until`, numbered by their place in the whole."""


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    frame = read(path, roles)
    frame = (
        frame.with_columns(
            moments(frame["time"], view.zone).alias("time"),
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
    so_far_points = until_filter(frame, "time", view.until, zone(view))
    shown = so_far_points.tail(SHOWN)
    skipped = so_far_points.height - shown.height
    labels = [
        " ".join(plain(v) for v in (row.get("place"), row.get("label")) if v)
        for row in shown.iter_rows(named=True)
    ]
    times = [formatting.moment(t, zone(view)) for t in shown["time"].to_list()]
    south, north = box["south"] or 0, box["north"] or 0
    west, east = box["west"] or 0, box["east"] or 0
    margin = 0.02 + 0.15 * max(north - south, east - west)
    lons, lats = _wide((west - margin, east + margin), (south - margin, north + margin))
    texts, sides = _placed(shown, _numbered(shown, skipped + 1), lons, lats)
    trace = {
        "type": "scattergeo", "mode": "lines+markers+text",
        "lat": shown["lat"].to_list(), "lon": shown["lon"].to_list(),
        "text": texts, "textposition": sides,
        "customdata": [[t, label] for t, label in zip(times, labels, strict=True)],
        "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        "line": {"width": 3, "color": PALETTE[1]},
        "marker": {"size": 12, "color": PALETTE[0]},
        "textfont": {"size": BODY},
    }  # fmt: skip
    geo = {
        "scope": "asia", "resolution": 50, "projection": {"type": "mercator"},
        "showland": True, "landcolor": "#f3f1ea", "showcountries": True,
        "lataxis": {"range": list(lats)},
        "lonaxis": {"range": list(lons)},
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


def _y(lat: float) -> float:
    """Mercator's northing of a latitude (radians of the equator's scale)."""
    return math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2))


def _wide(lons: tuple[float, float], lats: tuple[float, float]) -> tuple[tuple[float, ...], ...]:
    """The map's extent widened east and west to the wide plot's shape, so the points and
    their labels get the whole picture rather than a square in its middle."""
    width, height = math.radians(lons[1] - lons[0]), _y(lats[1]) - _y(lats[0])
    wanted = height * PLOT[0] / PLOT[1]
    if width < wanted:
        extra = math.degrees(wanted - width) / 2
        lons = (lons[0] - extra, lons[1] + extra)
    return lons, lats


SIDES = (
    ("top right", 1, 1), ("bottom right", 1, -1), ("top left", -1, 1), ("bottom left", -1, -1),
    ("middle right", 1, 0), ("middle left", -1, 0),
)  # fmt: skip
"""Where a point's label may go, as plotly names it, with its side and height."""


def _placed(
    points: pl.DataFrame, texts: list[str], lons: tuple[float, ...], lats: tuple[float, ...]
) -> tuple[list[str], list[str]]:
    """Each label where it covers no other label or point and stays on the map; a label
    without such a place is left to the hover."""
    xs = [math.radians(lon) for lon in points["lon"].to_list()]
    ys = [_y(lat) for lat in points["lat"].to_list()]
    labels = Labels((math.radians(lons[0]), math.radians(lons[1])), (_y(lats[0]), _y(lats[1])))
    for x, y in zip(xs, ys, strict=True):
        labels.mark(x, y, 8)
    gap, lift = 8 * labels.sx, BODY * 0.7
    out, sides = [], []
    for x, y, text in zip(xs, ys, texts, strict=True):
        if not text:
            out.append("")
            sides.append("top right")
            continue
        candidates = [
            (x + gap * side, y, lift * up, "left" if side > 0 else "right") for _, side, up in SIDES
        ]
        spot = labels.take(candidates, text)
        out.append(text if spot is not None else "")
        sides.append(SIDES[spot][0] if spot is not None else "top right")
    return out, sides
