"""Behaviour trajectories (行为轨迹): places in time order joined by a path, drawn over the
item's street map (presenter.charts.basemap) on axes of Web Mercator metres, with a scale bar,
a north arrow and the map's attribution. Every event is written out: on the map beside its
point (number, time, place, event) where there is room, else in a list in the map's margin.

The frame is the whole trajectory's, at every step (`until` draws the path so far on it), so
the map never jumps; it is the same on every screen and in the bundle: the axes' aspect is
kept by shrinking the plot (`constrain: domain`), never by showing more or less map."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from .. import formatting
from . import basemap, crs
from .basemap import Frame, MapError, MapRef
from .data import moments, read, span, until_filter
from .labels import PLOT, Labels, overlap, text_width
from .style import BODY, PALETTE, layout, plain, say, so_far, zone
from .timeline import NUMBER, whole_numbers

if TYPE_CHECKING:
    from ..deck import Deck, Exhibit
    from . import ChartView

LINES = 80
"""Points written out at most (events and moves), the latest up to `until`: what a court
screen can hold; each earlier one is on the screens of the earlier steps."""
DRAWN = 10_000
"""Path points drawn at most: the path is thinned to the screen's px first (a line 4 px
wide shows no finer detail), then coarser if it still has more."""
NEAR = 14
"""Points closer than this (px of the least plot) share one label."""
SPAN = 1500.0
"""The least height of a frame, in metres on the ground."""
LIST_PX = 600
"""The width of the list of events written beside the map when they do not all fit on it."""
LINE_PX = BODY * 1.3
"""The height of a line of label text (plotly.js spaces lines 1.3 em)."""
PAD = 6
"""A label box's padding and border, px."""
INK = "#212529"
PATH, MARK = PALETTE[1], PALETTE[0]
WHITE = "rgba(255, 255, 255, 0.92)"


# --- the points -------------------------------------------------------------------------


@dataclass(frozen=True)
class Track:
    """A trajectory as drawn: its valid points in time order, numbered from 1 (`n`), with
    Web Mercator metres (`x`, `y`) in the base map's coordinate system; `dropped` counts the
    rows whose time or coordinates cannot be read or lie off the map of the world, and
    `example` is the first of them as written (its data row, from 1; time; lat; lon)."""

    points: pl.DataFrame
    dropped: int
    example: tuple[int, str, str, str] | None = None


def track(path: Path, roles: dict[str, str], source: str, target: str, tz: str) -> Track:
    """The trajectory of the CSV at `path`, its coordinates converted from `source` to
    `target` (crs.CRS)."""
    frame = read(path, roles)
    unnamed = any(role not in frame.columns for role in ("time", "lat", "lon"))
    for role in ("time", "lat", "lon", "label", "place"):
        if role not in frame.columns:  # `check` says so; every row is then left out
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(role))
    written_as = frame.select(pl.int_range(1, frame.height + 1).alias("row"), "time", "lat", "lon")
    frame = frame.with_columns(
        moments(frame["time"], tz).alias("time"),
        pl.col("lat").cast(pl.Float64, strict=False),
        pl.col("lon").cast(pl.Float64, strict=False),
        pl.col("label").fill_null("").str.strip_chars(),
        pl.col("place").fill_null("").str.strip_chars(),
    )
    valid = (
        pl.col("time").is_not_null()
        & pl.col("lat").is_finite()
        & pl.col("lon").is_finite()
        & (pl.col("lat").abs() <= basemap.LATITUDE_LIMIT)
        & (pl.col("lon").abs() <= 180)
    )
    valid = frame.select(valid.fill_null(False)).to_series()
    kept = frame.filter(valid).sort("time", maintain_order=True)
    bad = written_as.filter(~valid).head(1).with_columns(pl.exclude("row").fill_null("")).rows()
    lats, lons = crs.convert(kept["lat"].to_numpy(), kept["lon"].to_numpy(), source, target)
    x, y = basemap.mercator(lats, lons)
    points = kept.select("time", "label", "place").with_columns(
        pl.Series("x", x), pl.Series("y", y), pl.int_range(1, kept.height + 1).alias("n")
    )
    example = bad[0] if bad and not unnamed else None  # a missing column is said by `check`
    return Track(points, frame.height - kept.height, example)


# --- the frame --------------------------------------------------------------------------


def frame_of(points: pl.DataFrame, room: float = 1.0) -> Frame:
    """The frame of the whole trajectory: its points with a margin for their labels, at
    the least plot's shape, `room` of its width left for the trajectory (the rest, on the
    west, for the list of events)."""
    if points.is_empty():
        xs, ys = np.array([0.0]), np.array([0.0])
    else:
        xs, ys = points["x"].to_numpy(), points["y"].to_numpy()
    west, east, south, north = xs.min(), xs.max(), ys.min(), ys.max()
    least = SPAN / basemap.ground((south + north) / 2)
    height = max(north - south, least * 0.5) * 1.6
    width = max(east - west, least * 0.5) * 1.4
    shape = PLOT[0] * room / PLOT[1]
    height = max(height, width / shape, least)
    width = height * shape
    middle_x, middle_y = (west + east) / 2, (south + north) / 2
    left = middle_x - width / 2 - width * (1 - room) / room
    return Frame(left, middle_y - height / 2, middle_x + width / 2, middle_y + height / 2)


# --- the labels -------------------------------------------------------------------------


@dataclass
class Group:
    """Points written in one label: those within NEAR px of the first."""

    x: float
    y: float
    rows: list[dict]

    @property
    def latest(self) -> int:
        return max(row["n"] for row in self.rows)


def written(points: pl.DataFrame) -> pl.DataFrame:
    """The points written out: each with an event, and each move to a named place."""
    moved = pl.col("place") != pl.col("place").shift(1).fill_null("")
    chosen = (pl.col("label") != "") | ((pl.col("place") != "") & moved)
    return points.filter(chosen).tail(LINES)


def groups(rows: pl.DataFrame, near: float) -> list[Group]:
    """The written points gathered into labels, in time order of each label's first."""
    out: list[Group] = []
    for row in rows.iter_rows(named=True):
        home = next(
            (g for g in out if abs(g.x - row["x"]) <= near and abs(g.y - row["y"]) <= near), None
        )
        if home is None:
            out.append(Group(row["x"], row["y"], [row]))
        else:
            home.rows.append(row)
    return out


def when(moment: dt.datetime, before: dt.datetime | None, tz: dt.tzinfo) -> str:
    """The time as the court reads it, `09:51` alone when the line before is of that day."""
    text = formatting.moment(moment, tz, seconds=False)
    if before is not None and formatting.moment(before, tz, seconds=False)[:10] == text[:10]:
        return text[11:]
    return text


def lines_of(group: Group, tz: dt.tzinfo) -> tuple[str, list[str]]:
    """A label's heading (the place, when all its points share one) and its lines: number,
    time, place (unless in the heading) and event, as plain text."""
    places = {row["place"] for row in group.rows}
    heading = places.pop() if len(places) == 1 else ""
    lines, before = [], None
    for row in group.rows:
        parts = [str(row["n"]), when(row["time"], before, tz)]
        parts += [row["place"]] if row["place"] and not heading else []
        parts += [row["label"]] if row["label"] else []
        lines.append(" ".join(parts))
        before = row["time"]
    return heading, lines


def numbered(line: str) -> str:
    """A written line for plotly: its point's number (its first word) in bold, so the eye
    finds it, the rest as plain text."""
    number, _, rest = line.partition(" ")
    return f"<b>{plain(number)}</b> {plain(rest)}"


def _size(heading: str, lines: list[str]) -> tuple[float, float]:
    """A label box's width and height in px."""
    rows = ([heading] if heading else []) + lines
    wide = max(text_width(r) * (1.06 if r == heading else 1.0) for r in rows)
    return wide + 2 * PAD, len(rows) * LINE_PX + 2 * PAD


SIDES = (
    ("left", "middle", 1, 0), ("right", "middle", -1, 0), ("center", "bottom", 0, -1),
    ("center", "top", 0, 1), ("left", "bottom", 0.7, -0.7), ("right", "bottom", -0.7, -0.7),
    ("left", "top", 0.7, 0.7), ("right", "top", -0.7, 0.7),
)  # fmt: skip
"""Where a label may sit about its point: its anchor and the direction (screen px, y down)."""
GAPS = (22, 70, 140)


def _spots(x: float, y: float, size: tuple[float, float], labels: Labels):
    """Each place a label of `size` px may take about (x, y): its box in axis units and the
    annotation keys that put it there."""
    w, h = size[0] * labels.sx, size[1] * labels.sy
    for gap in GAPS:
        for xanchor, yanchor, dx, dy in SIDES:
            ax, ay = gap * dx, gap * dy
            left = x + ax * labels.sx - {"left": 0, "center": w / 2, "right": w}[xanchor]
            top = y - ay * labels.sy + {"bottom": h, "middle": h / 2, "top": 0}[yanchor]
            keys = {"ax": round(ax), "ay": round(ay), "xanchor": xanchor, "yanchor": yanchor}
            yield (left, top - h, left + w, top), keys


def _take(labels: Labels, x: float, y: float, size: tuple[float, float], path: np.ndarray):
    """The annotation keys of the first spot about (x, y) free of labels, points and the
    map's corners, off the path if there is such a spot; the spot is then taken."""
    free = [
        (box, keys)
        for box, keys in _spots(x, y, size, labels)
        if labels.inside(box) and not any(overlap(box, other) for other in labels.taken)
    ]
    off_path = [(box, keys) for box, keys in free if not _crosses(box, path)]
    for box, keys in off_path[:1] or free[:1]:
        labels.taken.append(box)
        return keys
    return None


def _crosses(box: tuple[float, ...], path: np.ndarray) -> bool:
    hits = (path[:, 0] < box[2]) & (box[0] < path[:, 2])
    return bool(np.any(hits & (path[:, 1] < box[3]) & (box[1] < path[:, 3])))


PATH_MOST = 20_000
"""Spots along the path a label keeps off, at most about (a long path is sampled coarser)."""


def path_spots(points: pl.DataFrame, labels: Labels) -> np.ndarray:
    """Small boxes along the drawn path (x, y in frame metres), every 12 px or, on a long
    path, PATH_MOST spread along it: labels keep off them where they can."""
    xs, ys = points["x"].to_numpy(), points["y"].to_numpy()
    if len(xs) < 2:
        return np.empty((0, 4))
    steps = np.hypot(np.diff(xs) / labels.sx, np.diff(ys) / labels.sy)
    spacing = max(12.0, steps.sum() / PATH_MOST)
    counts = np.ceil(steps / spacing).astype(int) + 1
    start = np.repeat(np.arange(len(steps)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    share = within / np.maximum(counts - 1, 1)[start]
    at_x = xs[start] + (xs[start + 1] - xs[start]) * share
    at_y = ys[start] + (ys[start + 1] - ys[start]) * share
    rx, ry = 5 * labels.sx, 5 * labels.sy
    return np.column_stack([at_x - rx, at_y - ry, at_x + rx, at_y + ry])


def _label(x: float, y: float, text: str, keys: dict) -> dict:
    return {
        "x": x, "y": y, "text": text, "showarrow": True, "arrowhead": 0, "arrowwidth": 2,
        "arrowcolor": MARK, "standoff": 8, "align": "left", "bgcolor": WHITE,
        "bordercolor": MARK, "borderwidth": 1, "borderpad": PAD - 1,
        "font": {"size": BODY, "color": INK}, **keys,
    }  # fmt: skip


@dataclass
class Placed:
    annotations: list[dict]
    unplaced: list[Group]
    """Groups whose full label found no room: their lines go to the list."""


def place(found: list[Group], labels: Labels, tz: dt.tzinfo, path: np.ndarray) -> Placed:
    """Each label where it covers no other, no point and no corner of the map, and off the
    path where it can, the latest first; a label without room gets its numbers alone
    (`5、6`) and its lines in the list."""
    annotations, unplaced = [], []
    for group in sorted(found, key=lambda g: -g.latest):
        heading, lines = lines_of(group, tz)
        keys = _take(labels, group.x, group.y, _size(heading, lines), path)
        if keys is not None:
            text = "<br>".join(([f"<b>{plain(heading)}</b>"] if heading else []) + [
                numbered(line) for line in lines
            ])  # fmt: skip
            annotations.append(_label(group.x, group.y, text, keys))
            continue
        unplaced.append(group)
        numbers = [str(row["n"]) for row in group.rows]
        numbers = "、".join(numbers if len(numbers) <= 3 else [*numbers[:2], "…", numbers[-1]])
        size = (text_width(numbers) + 2 * PAD, LINE_PX + 2 * PAD)
        keys = _take(labels, group.x, group.y, size, path)
        if keys is not None:
            annotations.append(_label(group.x, group.y, numbers, keys))
    return Placed(annotations, sorted(unplaced, key=lambda g: g.rows[0]["n"]))


# --- the map's furniture ------------------------------------------------------------------


NICE = (1, 2, 5)


def scale_length(metres: float) -> int:
    """The longest round length (1, 2 or 5 times a power of ten metres) within `metres`."""
    power = 10 ** math.floor(math.log10(max(metres, 1)))
    return max(n * power for n in NICE if n * power <= max(metres, 1))


def scale_bar(frame: Frame, labels: Labels, view: ChartView) -> tuple[list[dict], list[dict]]:
    """A round length at the bottom left, in metres on the ground at its own latitude, on a
    white box: its shapes and its label."""
    sx, sy = labels.sx, labels.sy
    left, y = 24 * sx, 30 * sy
    factor = basemap.ground(frame.south + y)  # ground metres per Mercator metre there
    metres = scale_length(200 * sx * factor)
    length = metres / factor
    words = say(view, "kilometres", n=metres // 1000) if metres >= 1000 else say(
        view, "metres", n=metres
    )  # fmt: skip
    right = left + length
    box = (0.0, 0.0, right + (16 + text_width(words) + 14) * sx, 62 * sy)
    labels.taken.append(box)
    line = {"type": "line", "xref": "x", "yref": "y", "line": {"color": INK, "width": 5}}
    shapes = [
        {"type": "rect", "xref": "x", "yref": "y", "x0": box[0], "y0": box[1], "x1": box[2],
         "y1": box[3], "fillcolor": WHITE, "line": {"width": 0}, "layer": "above"},
        {**line, "x0": left, "y0": y, "x1": right, "y1": y},
        {**line, "x0": left, "y0": y - 9 * sy, "x1": left, "y1": y + 9 * sy},
        {**line, "x0": right, "y0": y - 9 * sy, "x1": right, "y1": y + 9 * sy},
    ]  # fmt: skip
    label = {
        "x": right + 12 * sx, "y": y, "text": words, "showarrow": False, "xanchor": "left",
        "yanchor": "middle", "font": {"size": BODY, "color": INK},
    }  # fmt: skip
    return shapes, [label]


def north_arrow(frame: Frame, labels: Labels) -> tuple[list[dict], list[dict]]:
    """An arrow pointing up (Web Mercator is north-up) with 北 N, at the top right."""
    sx, sy = labels.sx, labels.sy
    width, height = frame.width, frame.height
    box = (width - 96 * sx, height - 132 * sy, width, height)
    labels.taken.append(box)
    shapes = [
        {"type": "rect", "xref": "x", "yref": "y", "x0": box[0], "y0": box[1], "x1": box[2],
         "y1": box[3], "fillcolor": WHITE, "line": {"width": 0}, "layer": "above"},
    ]  # fmt: skip
    arrow = {
        "x": width - 48 * sx, "y": height - 12 * sy, "ax": 0, "ay": 62, "text": "北 N",
        "showarrow": True, "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": 5,
        "arrowcolor": INK, "xanchor": "center", "yanchor": "top",
        "font": {"size": BODY, "color": INK},
    }  # fmt: skip
    return shapes, [arrow]


CREDIT_PX = PLOT[0] - 420
"""The widest the attribution is written, beside the scale bar: longer words wrap, and
beyond two lines end in …"""


def credit(frame: Frame, labels: Labels, words: str, view: ChartView) -> list[dict]:
    """The map's attribution at the bottom right, as its licence asks."""
    if not words:
        return []
    lines = _wrapped(say(view, "map_credit", words=words), CREDIT_PX - 2 * PAD)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: whole_numbers(lines[1], len(lines[1]) - 1)] + "…"]
    width = max(map(text_width, lines)) + 2 * PAD
    height = len(lines) * LINE_PX + 2 * PAD
    labels.taken.append((frame.width - width * labels.sx, 0.0, frame.width, height * labels.sy))
    return [
        {"x": frame.width - 8 * labels.sx, "y": 6 * labels.sy,
         "text": "<br>".join(plain(line) for line in lines), "showarrow": False,
         "xanchor": "right", "yanchor": "bottom", "align": "right", "bgcolor": WHITE,
         "borderpad": 3, "font": {"size": BODY, "color": INK}},
    ]  # fmt: skip


@dataclass
class Listing:
    """The list of points written beside the map: its annotation, how many points it lists
    and how many earlier ones it has no room for (they are listed at the earlier steps)."""

    notes: list[dict]
    listed: int = 0
    earlier: int = 0


def listed(groups_: list[Group], frame: Frame, labels: Labels, view: ChartView) -> Listing:
    """The points of the labels without room on the map, in the map's west margin, one
    wrapped entry each (number, time, place, event) in time order; the latest that fit, and
    how many earlier ones there are, when there are more."""
    tz = zone(view)
    rows = sorted((row for group in groups_ for row in group.rows), key=lambda r: r["n"])
    entries, before = [], None
    for row in rows:
        text = " ".join([str(row["n"]), when(row["time"], before, tz), row["place"], row["label"]])
        entries.append(_wrapped(" ".join(text.split()), LIST_PX - 2 * PAD))
        before = row["time"]
    room = int((PLOT[1] - 80 - 2 * PAD) / LINE_PX)
    kept: list[list[str]] = []

    def earlier(count: int) -> list[str]:
        return _wrapped(say(view, "earlier", count=count), LIST_PX - 2 * PAD) if count else []

    while (
        entries and sum(map(len, kept)) + len(entries[-1]) + len(earlier(len(entries) - 1)) <= room
    ):
        kept.insert(0, entries.pop())
    if not kept:
        return Listing([])
    lines = [plain(line) for line in earlier(len(entries))]
    lines += [numbered(r) if i == 0 else plain(r) for e in kept for i, r in enumerate(e)]
    note = {
        "x": 8 * labels.sx, "y": frame.height - 8 * labels.sy, "text": "<br>".join(lines),
        "showarrow": False, "xanchor": "left", "yanchor": "top", "align": "left",
        "bgcolor": WHITE, "bordercolor": MARK, "borderwidth": 1, "borderpad": PAD - 1,
        "font": {"size": BODY, "color": INK},
    }  # fmt: skip
    return Listing([note], len(kept), len(entries))


def _wrapped(text: str, width: float) -> list[str]:
    """`text` cut into lines no wider than `width` px, continued lines indented; a number
    (timeline.NUMBER) is never cut in two, so that a public screen's masking finds it whole
    (only a run of digits wider than a line is cut, between its groups where it has them)."""
    lines, line = [], ""
    for piece in _pieces(text, width):
        if text_width(line + piece) > width and line.strip():
            lines.append(line)
            line = "  "
        line += piece
    return [*lines, line]


def _pieces(text: str, width: float) -> list[str]:
    """`text` as the pieces a line may end after: each number whole, each other character
    alone; a number wider than a line by its groups (each with the separators after it),
    and a group wider than a line by its digits."""
    out, at = [], 0
    for match in NUMBER.finditer(text):
        out += list(text[at : match.start()])
        number = match.group()
        if text_width("  " + number) <= width:
            out.append(number)
        else:
            for group in re.findall(r"\d+\D*", number):
                out += [group] if text_width("  " + group) <= width else list(group)
        at = match.end()
    return out + list(text[at:])


def strip(frame: Frame, labels: Labels) -> None:
    """The list's room, kept free of labels."""
    labels.taken.append((0.0, 80 * labels.sy, LIST_PX * labels.sx, frame.height))


# --- the figure ----------------------------------------------------------------------------


def thinned(points: pl.DataFrame, keep: np.ndarray, cell: float) -> np.ndarray:
    """The indices of the path's points drawn: each that leaves the `cell` (metres) of the
    point before it, every point in `keep`, the first and the last; coarser cells until at
    most DRAWN remain."""
    xs, ys = points["x"].to_numpy(), points["y"].to_numpy()
    while True:
        cx, cy = np.floor(xs / cell), np.floor(ys / cell)
        moved = np.ones(len(xs), dtype=bool)
        moved[1:] = (cx[1:] != cx[:-1]) | (cy[1:] != cy[:-1])
        chosen = moved | keep
        if len(xs):
            chosen[-1] = True
        if chosen.sum() <= DRAWN or keep.sum() >= DRAWN:
            return np.flatnonzero(chosen)
        cell *= 2


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    base = view.basemap
    target = base.crs if base else "wgs84"
    whole, frame, room = _whole(
        str(path), basemap.identity(path), tuple(roles.items()), view.crs, target, view.zone
    )
    tz = zone(view)
    every = whole.points
    shown = until_filter(every, "time", view.until, tz)
    chosen = written(shown)
    drawn = _relative(shown[_thinned(shown, chosen, frame)], frame)
    picture, missing = _picture(base, frame)
    xy = _relative(chosen, frame)
    shapes, notes, listing = _drawing(frame, room, xy, drawn, picture, view)
    caption = (
        say(view, "points", shown=shown.height, total=every.height)
        + (say(view, "path_thinned", drawn=drawn.height) if drawn.height < shown.height else "")
        + (say(view, "dropped", count=whole.dropped) if whole.dropped else "")
        + (say(view, "converted", source=CRS_NAMES[view.crs], target=CRS_NAMES[base.crs])
           if base and base.crs != view.crs else "")
        + (say(view, "no_map") if missing else "")
        + so_far(view)
    )  # fmt: skip
    return {
        "data": _traces(drawn, xy, _relative(shown.tail(1), frame), tz),
        "layout": layout(
            caption,
            xaxis={"range": [0, round(frame.width, 1)], **AXIS},
            yaxis={"range": [0, round(frame.height, 1)], "scaleanchor": "x", **AXIS},
            images=[_image(picture.uri, frame)] if picture else [],
            shapes=shapes,
            annotations=notes,
            showlegend=False,
            hovermode="closest",
            dragmode=False,
            plot_bgcolor=f"rgb{basemap.BLANK}",
        ),
        "meta": {
            "points": shown.height,
            "drawn": drawn.height,
            "dropped": whole.dropped,
            "written": chosen.height,
            "listed": listing.listed,
            "unlisted": listing.earlier,
            "frame": [float(v) for v in (frame.west, frame.south, frame.east, frame.north)],
            "map": picture is not None,
            "map_problem": missing,
            "span": span([every["time"].min(), every["time"].max()], zone(view)),
        },
    }


def _drawing(
    frame: Frame,
    room: float,
    xy: pl.DataFrame,
    path: pl.DataFrame,
    picture: basemap.Picture | None,
    view: ChartView,
) -> tuple[list[dict], list[dict], Listing]:
    """The map's shapes and annotations: its scale bar, north arrow and attribution, each
    written point's label, and the list of those without room on the map."""
    tz = zone(view)
    labels = _labels(frame)
    shapes, notes = furniture(frame, labels, view, picture.attribution if picture else "")
    corners = list(labels.taken)
    _mark(labels, xy)
    if room < 1:
        strip(frame, labels)
    found = groups(xy, NEAR * labels.sx)
    spots = path_spots(path, labels)
    placed = place(found, labels, tz, spots)
    if placed.unplaced and room == 1:  # a step the plan did not foresee: the list over the map
        labels = _labels(frame)
        labels.taken += corners
        _mark(labels, xy)
        strip(frame, labels)
        placed = place(found, labels, tz, spots)
    listing = listed(placed.unplaced, frame, labels, view)
    return shapes, _rounded(notes + placed.annotations + listing.notes), listing


def furniture(
    frame: Frame, labels: Labels, view: ChartView, words: str
) -> tuple[list[dict], list[dict]]:
    """The scale bar, the north arrow and the attribution, their room taken in `labels`."""
    shapes, notes = scale_bar(frame, labels, view)
    arrow_shapes, arrow = north_arrow(frame, labels)
    return _rounded(shapes + arrow_shapes), notes + arrow + credit(frame, labels, words, view)


def _rounded(items: list[dict]) -> list[dict]:
    """Shapes and annotations with their axis positions to the decimetre."""
    keys = ("x", "y", "x0", "y0", "x1", "y1")
    return [{k: round(float(v), 1) if k in keys else v for k, v in item.items()} for item in items]


def _thinned(shown: pl.DataFrame, chosen: pl.DataFrame, frame: Frame) -> np.ndarray:
    """The path's points drawn: about one per px of the least plot, every written one."""
    keep = np.isin(shown["n"].to_numpy(), chosen["n"].to_numpy())
    return thinned(shown, keep, frame.width / PLOT[0])


CRS_NAMES = {"wgs84": "WGS-84", "gcj02": "GCJ-02", "bd09": "BD-09"}
AXIS = {"visible": False, "fixedrange": True, "constrain": "domain", "showgrid": False,
        "zeroline": False}  # fmt: skip


@functools.lru_cache(maxsize=8)
def _whole(
    path: str, identity: tuple[int, ...], roles: tuple, source: str, target: str, tz: str
) -> tuple[Track, Frame, float]:
    """The whole trajectory and its frame, the same at every step: read once while the file
    is unchanged (`identity`)."""
    whole = track(Path(path), dict(roles), source, target, tz)
    return (whole, *_planned(whole.points, formatting.zone(tz)))


def _planned(every: pl.DataFrame, tz: dt.tzinfo) -> tuple[Frame, float]:
    """The frame of the whole trajectory, and the share of it left to the trajectory: all
    of it when every label of the whole finds room, else what the list of events leaves."""
    frame = frame_of(every)
    labels = _labels(frame)
    labels.taken += [
        (0.0, 0.0, 330 * labels.sx, 62 * labels.sy),
        (frame.width - 96 * labels.sx, frame.height - 132 * labels.sy, frame.width, frame.height),
        (frame.width - 600 * labels.sx, 0.0, frame.width, 50 * labels.sy),
    ]  # the scale bar, the north arrow, an attribution
    chosen = written(every)
    xy = _relative(chosen, frame)
    _mark(labels, xy)
    spots = path_spots(_relative(every[_thinned(every, chosen, frame)], frame), labels)
    if not place(groups(xy, NEAR * labels.sx), labels, tz, spots).unplaced:
        return frame, 1.0
    room = (PLOT[0] - LIST_PX - 20) / PLOT[0]
    return frame_of(every, room), room


def _labels(frame: Frame) -> Labels:
    return Labels((0.0, frame.width), (0.0, frame.height))


def _mark(labels: Labels, points: pl.DataFrame) -> None:
    for x, y in zip(points["x"], points["y"], strict=True):
        labels.mark(x, y, 11)


def _relative(points: pl.DataFrame, frame: Frame) -> pl.DataFrame:
    """Points with x and y in metres from the frame's south-west corner, to the decimetre
    (short numbers in the figure)."""
    return points.with_columns(
        (pl.col("x") - frame.west).round(1), (pl.col("y") - frame.south).round(1)
    )


def _picture(base: MapRef | None, frame: Frame) -> tuple[basemap.Picture | None, str | None]:
    """The base map of the frame, or None and why (the check says it in words)."""
    if base is None:
        return None, None
    try:
        return basemap.picture(base, frame), None
    except MapError as error:
        return None, error.code


def _image(uri: str, frame: Frame) -> dict:
    return {
        "source": uri, "xref": "x", "yref": "y", "x": 0, "y": frame.height,
        "sizex": frame.width, "sizey": frame.height, "sizing": "stretch", "layer": "below",
        "xanchor": "left", "yanchor": "top",
    }  # fmt: skip


def _traces(path: pl.DataFrame, chosen: pl.DataFrame, last: pl.DataFrame, tz) -> list[dict]:
    """The path (on a white casing, so it reads over streets), the written points with
    their hovers, and the latest point."""
    xs, ys = path["x"].to_list(), path["y"].to_list()
    line = {"type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip"}
    hovers = [
        [plain(when(row["time"], None, tz)), plain(row["place"]), plain(row["label"])]
        for row in chosen.iter_rows(named=True)
    ]
    return [
        {**line, "line": {"color": "#ffffff", "width": 9}},
        {**line, "line": {"color": PATH, "width": 4}},
        {"type": "scatter", "mode": "markers", "x": chosen["x"].to_list(),
         "y": chosen["y"].to_list(), "customdata": hovers, "text": chosen["n"].to_list(),
         "hovertemplate": "%{text} %{customdata[0]}<br>%{customdata[1]} %{customdata[2]}"
                          "<extra></extra>",
         "marker": {"size": 16, "color": MARK, "line": {"color": "#ffffff", "width": 3}}},
        {"type": "scatter", "mode": "markers", "x": last["x"].to_list(), "y": last["y"].to_list(),
         "hoverinfo": "skip",
         "marker": {"size": 24, "color": PATH, "line": {"color": "#ffffff", "width": 4}}},
    ]  # fmt: skip


# --- the deck ---------------------------------------------------------------------------------


def map_of(exhibit: Exhibit, deck: Deck) -> tuple[str, MapRef | None]:
    """The coordinate system of a trajectory's points and its base map as a figure reads
    them (the file confined to the deck's files/, its identity taken now)."""
    from ..deck.checks import confine

    spec = exhibit.basemap
    source = exhibit.crs or "wgs84"
    if spec is None or exhibit.chart != "trajectory":
        return source, None
    keys = {"bounds": spec.bounds, "crs": spec.crs, "attribution": spec.attribution}
    found, problem = confine(deck.root, spec.file) if spec.file in exhibit.files else (None, None)
    if found is None:
        return source, MapRef(spec.file, missing=problem or "map_not_listed", **keys)
    return source, MapRef(str(found), basemap.identity(found), **keys)


Found = tuple[str, str, tuple[str, ...], dict]
"""A problem `check` reports: (severity, code, key within the item, params)."""


def problems(
    data: Path, roles: dict[str, str], exhibit: Exhibit, found: Path | None, name: str, tz: str
) -> list[Found]:
    """What keeps the trajectory in the CSV at `data` (deck path `name`, times without an
    offset in the deck's zone `tz`) from being drawn as the court should see it: rows it
    cannot read, and what keeps the item's base map (at `found`, when it has one) from being
    drawn under it, read and composed exactly as the chart composes it, so that whatever the
    court would meet, `check` meets first."""
    spec = exhibit.basemap
    target = spec.crs if spec is not None else "wgs84"
    try:
        whole = track(data, roles, exhibit.crs or "wgs84", target, tz)
    except pl.exceptions.PolarsError:
        whole = None  # a CSV that cannot be read: `check` says so at `files`
    out = _rows_problems(whole, name) if whole is not None else []
    if spec is not None and found is not None:
        found_problems = map_problems(whole, exhibit, found, tz)
        out += [(severity, code, ("map", *key), {"path": spec.file, **params})
                for severity, code, key, params in found_problems]  # fmt: skip
    return out


def _rows_problems(whole: Track, name: str) -> list[Found]:
    """A warning for the rows left off the chart, with the first as written."""
    if not whole.dropped or whole.example is None:
        return []
    row, time, lat, lon = (str(v)[:60] for v in whole.example)
    params = {"path": name, "count": f"{whole.dropped:,}", "row": row, "time": time, "lat": lat,
              "lon": lon}  # fmt: skip
    return [("warning", "trajectory_rows_dropped", ("files",), params)]


def map_problems(whole: Track | None, exhibit: Exhibit, found: Path, tz: str) -> list[Found]:
    """What keeps the item's base map (at `found`) from being drawn under its trajectory
    (`whole`, None when its CSV cannot be read): (severity, code, key under `map`, params)."""
    spec = exhibit.basemap
    assert spec is not None
    edges = any(v is not None for v in (spec.west, spec.south, spec.east, spec.north))
    try:
        kind = basemap.inspect(found)
        if kind == "picture" and spec.bounds is None:
            raise MapError("map_bounds_missing")
        if kind == "picture":
            basemap.bounds_problem(spec.bounds)
        if kind != "picture" and edges:
            raise MapError("map_bounds_not_for_tiles")
    except MapError as error:
        key = ("file",) if error.code not in BOUNDS_CODES else ()
        params = dict(error.params)
        if error.code == "map_bounds_bad":
            params = {"west": spec.west, "south": spec.south, "east": spec.east,
                      "north": spec.north}  # fmt: skip
        return [("error", error.code, key, params)]
    if whole is None or whole.points.is_empty():
        return []
    frame = _planned(whole.points, formatting.zone(tz))[0]
    ref = MapRef(str(found), basemap.identity(found), spec.bounds, spec.crs, spec.attribution)
    try:
        picture = basemap.picture(ref, frame)  # as the court composes it (and then reuses it)
    except MapError as error:
        return [("error", error.code, ("file",), error.params)]
    xs, ys = whole.points["x"].to_numpy(), whole.points["y"].to_numpy()
    if kind == "picture":
        west, south, east, north = spec.bounds  # type: ignore[misc]
        (left, right), (bottom, top) = basemap.mercator(
            np.array([south, north]), np.array([west, east])
        )
        off = int(((xs < left) | (xs > right) | (ys < bottom) | (ys > top)).sum())
    else:
        off = picture.off_map(xs, ys)
    out: list[Found] = []
    if picture.unreadable:  # blank where they are; no map at all when no tile is a picture
        severity = "warning" if picture.drawn else "error"
        out.append((severity, "map_tiles_unreadable", ("file",),
                    {"count": f"{picture.unreadable:,}"}))  # fmt: skip
    if off == len(xs):
        out.append(("error", "map_misses_trajectory", (), {"count": f"{off:,}"}))
    elif off:
        out.append(("warning", "map_off_trajectory", (), {"count": off}))
    return out


BOUNDS_CODES = ("map_bounds_missing", "map_bounds_bad", "map_bounds_not_for_tiles")
