"""The sequence of conduct (行为时间线): one row per actor, an event as a dot or as a bar from
start to end, each with its own label; `until` reveals events up to a time, on an axis that
never moves.

How a label stands, chosen for a judge reading a 1024x768 screen at the back of the room:
it begins beside its dot on the actor's line and runs right (left, ending at the dot, near
the right edge), and where that place is taken it climbs to the first free lane above the
line on a thin leader in the actor's colour, the row growing by one lane for each. The
eye goes from a dot to its words at once; numbering the events and listing them would send
it to and fro between a mark and a list, and the list would take a third of the picture.
So two events of one day or one minute stand one above the other, each readable; no label
is dropped, cut by the figure's edge or laid over another, and none is shortened but one
wider than half the plot, which ends with a visible "…" (its whole text is in the dot's
hover and in the exhibit's file). When the labels of every event cannot all stand at the
court's type size in the room a chart gets (hundreds of events, dozens of actors), the
chart draws the latest events up to `until` whose labels do, and its caption says how many
it drew of how many: an event is never left off silently.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from ..masking import SEPARATORS
from .data import moments, read, span
from .labels import PLOT, Box
from .style import BODY, PALETTE, layout, plain, say, so_far, zone

if TYPE_CHECKING:
    from . import ChartView

LANE = 38.0
"""Px between the middles of two stacked labels (a line of Noto CJK at BODY is 40 px high;
the screens' checks allow an eighth of it to touch)."""
HALF = 20.0
"""Half a label's height, in px."""
BAND = 2 * HALF + 14.0
"""The height of an actor's row with no lane above its line: its labels and a margin."""
DOT_GAP = 14.0
"""Px between a dot's centre and a label beside it on the line (the dot's radius is 8)."""
LEADER_GAP = 8.0
"""Px between a leader and the label it holds up."""
APART = 14.0
"""The least px between two labels of one lane."""
MARK = 11.0
"""Half the width a dot (or a bar's end) keeps free of labels on its line, in px."""
NAME_ROOM = 8 * BODY
"""The widest an actor's name is written beside its row (longer ones end with …)."""
MARGIN = 60
"""The figure's left margin when the actors' names need no more (as in style.layout)."""


@dataclass(frozen=True)
class Event:
    """One dated event of one actor, as the file gives it (`row` its place in the file)."""

    row: int
    actor: str
    start: dt.datetime
    end: dt.datetime | None
    text: str


@dataclass(frozen=True)
class Label:
    """Where an event's label stands: in `lane` (0 on its actor's line beside the dot, k
    lanes above it on a leader), running right from the dot or, near the right edge, left
    to it; `text` as drawn; `box` in px of the plot, from its left and up from its bottom."""

    event: Event
    lane: int
    rightward: bool
    text: str
    box: Box


@dataclass(frozen=True)
class Layout:
    """Every label of a set of events placed on a plot `width` x `height` px: each actor's
    line (px up from the plot's bottom) and row, top first in the order of the file."""

    width: float
    height: float
    lane: float
    """Px between two lanes: LANE, or up to a quarter more where the plot has room."""
    lines: dict[str, float]
    rows: dict[str, tuple[float, float]]
    labels: list[Label]


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    """The timeline of the CSV at `path` as `view` shows it: every event up to `until` with
    its label, or the latest that have room, and a caption that says which."""
    frame, rows = readable(path, roles, view.zone)
    names = {a: _fitted(a, NAME_ROOM) for a in frame["actor"].unique(maintain_order=True)}
    margin = max([MARGIN] + [int(text_px(n)) + 24 for n in names.values()])
    width = PLOT[0] - (margin - MARGIN)
    first, last = _bounds(frame)
    until = _until(view)
    placed, _ = drawn(frame, first, last, until, width)
    shown = frame.height if until is None else frame.filter(pl.col("s") <= until).height
    traces, shapes, notes = _draw(view, placed, until)
    caption = _caption(view, len(placed.labels), shown, rows)
    caption += _missing(view, rows - frame.height) + so_far(view)
    axis_range = [_local(view, first), _local(view, last)] if frame.height else None
    return {
        "data": traces,
        "layout": layout(
            caption,
            margin={"l": margin, "r": 60, "t": 90, "b": 60},
            xaxis={
                "type": "date",
                "range": axis_range,
                "tickformat": _ticks(view, first, last),
                "gridcolor": "#e5e5e5",
                "fixedrange": True,
            },
            yaxis={
                "range": [0, placed.height],
                "tickvals": list(placed.lines.values()),
                "ticktext": [plain(names[a]) for a in placed.lines],
                "zeroline": False,
                "showgrid": False,
                "fixedrange": True,
            },
            shapes=shapes,
            annotations=notes,
        ),  # fmt: skip
        "meta": {
            "actors": list(placed.lines),
            "events": [[label.event.actor, label.event.text] for label in placed.labels],
            "span": span(list(_extent(frame)), zone(view)),
        },
    }


def readable(path: Path, roles: dict[str, str], zone: str = "+08:00") -> tuple[pl.DataFrame, int]:
    """The events a chart can draw, and the number of data rows of the file. An event needs
    a time (`s`) and an actor; its end (`e`) is kept only after its start (else it is drawn
    as a dot); its actor and text with runs of white space as one space; `row` its place in
    the file, from 0. Read in polars (a file may hold a million events)."""
    frame = read(path, roles)
    if "end" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("end"))
    if "event" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("event"))
    rows = frame.height
    frame = frame.with_columns(
        moments(frame["start"], zone).alias("s"), moments(frame["end"], zone).alias("e")
    )

    def spaced(column: str) -> pl.Expr:
        text = pl.col(column).fill_null("").str.replace_all(r"\s+", " ")
        return text.str.strip_chars(" ").alias(column)

    events = (
        frame.with_row_index("row")
        .lazy()
        .with_columns(spaced("actor"), spaced("event"))
        .filter(pl.col("s").is_not_null() & (pl.col("actor") != ""))
        .with_columns(pl.when(pl.col("e") > pl.col("s")).then(pl.col("e")).alias("e"))
        .select("row", "actor", "s", "e", "event")
        .collect()
    )
    return events, rows


def _events(frame: pl.DataFrame) -> list[Event]:
    """The events of `frame` (readable) in the order of the file."""
    return [Event(*values) for values in frame.sort("row").rows()]


def _extent(frame: pl.DataFrame) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The first and the last of every start and end of `frame` (readable)."""
    ends = frame.select(
        pl.min_horizontal(pl.col("s").min(), pl.col("e").min()).alias("first"),
        pl.max_horizontal(pl.col("s").max(), pl.col("e").max()).alias("last"),
    )
    first, last = ends.row(0)
    return first, last


def _bounds(frame: pl.DataFrame) -> tuple[dt.datetime, dt.datetime]:
    """The axis: every start and end of the file, a little room either side."""
    first, last = _extent(frame)
    if first is None or last is None:
        now = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        return now, now + dt.timedelta(days=1)
    pad = max((last - first) / 50, dt.timedelta(hours=1))
    return first - pad, last + pad


def _until(view: ChartView) -> dt.datetime | None:
    if view.until is None:
        return None
    if view.until.tzinfo is None:
        return view.until.replace(tzinfo=zone(view))
    return view.until


def most(width: float, height: float) -> int:
    """More labels than lay_out ever places on a plot `width` x `height` px: it has at most
    height // LANE lines of labels (an actor's row takes more than a lane), each holding at
    most `width` px over APART and a one-letter label. So of a longer file only the latest
    this many are ever tried."""
    return int(height // LANE * width / (APART + BODY * 0.62))


def drawn(
    frame: pl.DataFrame,
    first: dt.datetime,
    last: dt.datetime,
    until: dt.datetime | None,
    width: float = PLOT[0],
    height: float = PLOT[1],
) -> tuple[Layout, bool]:
    """The labels drawn up to `until` of the events of `frame` (readable), and whether only
    the latest events are drawn. When every event of the file has room, all are placed
    once, so that no label moves as the presenter reveals more; else the latest up to
    `until` that have room."""
    if frame.height <= most(width, height):
        whole = lay_out(_events(frame), first, last, width, height)
        if whole is not None:
            return _up_to(whole, until), False
    known = frame if until is None else frame.filter(pl.col("s") <= until)
    latest = _events(known.sort("s", "row").tail(most(width, height)))
    latest.sort(key=lambda e: (e.start, e.row))
    best = Layout(width, height, LANE, {}, {}, [])
    for count in range(1, len(latest) + 1):
        chosen = sorted(latest[-count:], key=lambda e: e.row)
        placed = lay_out(chosen, first, last, width, height)
        if placed is None:
            break
        best = placed
    return best, True


def _up_to(placed: Layout, until: dt.datetime | None) -> Layout:
    if until is None:
        return placed
    labels = [label for label in placed.labels if label.event.start <= until]
    return replace(placed, labels=labels)


def lay_out(
    events: list[Event],
    first: dt.datetime,
    last: dt.datetime,
    width: float = PLOT[0],
    height: float = PLOT[1],
) -> Layout | None:
    """Every event's label placed on a plot of `width` x `height` px (the least a court's
    picture gives a chart: in a larger one the labels only stand further apart), rows top
    first in the order the actors appear in the file; None when they cannot all stand."""
    whole = (last - first).total_seconds() or 1.0

    def x(moment: dt.datetime) -> float:
        return (moment - first).total_seconds() / whole * width

    actors = list(dict.fromkeys(e.actor for e in events))
    spare = int((height - BAND * len(actors)) // LANE)
    if spare < 0 or len(events) > (spare + len(actors)) * width / (APART + BODY * 0.62):
        return None  # not even a one-letter label each would have room
    stacks = {}
    for actor in actors:
        stack = _stack([e for e in events if e.actor == actor], x, width, spare)
        if stack is None:
            return None
        stacks[actor] = stack
        spare -= max((lane for _, lane, *_ in stack), default=0)
        if spare < 0:
            return None
    lanes = {a: max(lane for _, lane, *_ in stacks[a]) for a in actors}
    room = height - BAND * len(actors) - LANE * sum(lanes.values())
    step = LANE + min(LANE / 4, room / max(1, sum(lanes.values())))
    heights = {a: BAND + step * lanes[a] for a in actors}
    extra = (height - sum(heights.values())) / max(1, len(actors))
    lines, rows, labels = {}, {}, []
    top = height
    for actor in actors:
        bottom = top - heights[actor] - extra
        line = bottom + extra / 2 + BAND / 2
        lines[actor], rows[actor] = line, (bottom, top)
        for event, lane, rightward, text, left, right in stacks[actor]:
            middle = line + lane * step
            box = (left, middle - HALF, right, middle + HALF)
            labels.append(Label(event, lane, rightward, text, box))
        top = bottom
    labels.sort(key=lambda label: (label.event.start, label.event.row))
    return Layout(width, height, step, lines, rows, labels)


def _stack(mine: list[Event], x, width: float, spare: int) -> list[tuple] | None:
    """One actor's labels in lanes: (event, lane, rightward, text, left, right) each, or None
    when one finds no lane within `spare` above the line. A label runs right from its dot,
    or left to it where it would cross the right edge; those running left are placed first,
    from the left, and then those running right, from the right: so a label is always placed
    after every label that could lie over its dot, and its leader never climbs through one."""
    texts: dict[int, list[tuple[float, float]]] = {}
    marks: dict[int, list[tuple[float, float]]] = {0: []}
    for e in mine:
        start = x(e.start)
        marks[0].append((start - MARK, (x(e.end) if e.end else start) + MARK))
    sides = []
    for e in mine:
        text = _fitted(e.text, width / 2 - DOT_GAP)
        sides.append((e, text, x(e.start) + DOT_GAP + text_px(text) <= width))
    sides.sort(key=lambda s: (s[2], -x(s[0].start) if s[2] else x(s[0].start), s[0].row))
    out = []
    for e, text, rightward in sides:
        at, w = x(e.start), text_px(text)
        for lane in range(spare + 1):
            gap = DOT_GAP if lane == 0 else LEADER_GAP
            left, right = (at + gap, at + gap + w) if rightward else (at - gap - w, at - gap)
            if any(_clash((left, right), t, APART) for t in texts.get(lane, [])):
                continue
            if any(_clash((left, right), m) for m in marks.get(lane, [])):
                continue
            pole = (at - 3, at + 3)
            if any(_clash(pole, t) for j in range(1, lane) for t in texts.get(j, [])):
                continue
            texts.setdefault(lane, []).append((left, right))
            for j in range(1, lane):
                marks.setdefault(j, []).append(pole)
            out.append((e, lane, rightward, text, left, right))
            break
        else:
            return None
    return out


def _clash(a: tuple[float, float], b: tuple[float, float], apart: float = 0.0) -> bool:
    """Whether two spans of a lane come closer than `apart` px."""
    return a[0] < b[1] + apart and b[0] < a[1] + apart


def text_px(text: str) -> float:
    """A label's width in px at BODY size as Noto Sans CJK draws it (measured in Chromium):
    a CJK character and the punctuation Chinese uses (“”、（）…) a full square, a wide
    Latin letter nine tenths of it, any other letter or digit 0.62 (generous)."""
    wide = "WFA"
    return sum(
        BODY if unicodedata.east_asian_width(c) in wide else BODY * (0.9 if c in "MWmw@%" else 0.62)
        for c in text
    )


def _fitted(text: str, room: float) -> str:
    """`text`, or as much of it as fits `room` px followed by a visible "…" (never a part of
    a number: see whole_numbers)."""
    if text_px(text) <= room:
        return text
    kept = text
    while kept and text_px(kept) + BODY > room:
        kept = kept[:-1]
    return text[: whole_numbers(text, len(kept))].rstrip() + "…"


_BETWEEN = "".join(re.escape(c) for c in sorted(SEPARATORS)) + r"\s\u00ad\u200b-\u200f\u2060\ufeff"
NUMBER = re.compile(rf"\d(?:[{_BETWEEN}]*\d)*")
"""A run of digits, with what a public screen's masking reads between the groups of one
number (presenter.masking: separators, spaces, invisible characters)."""


def whole_numbers(text: str, cut: int) -> int:
    """Where to cut `text` at or before `cut` so that no number is cut in two: the start of
    the number `cut` falls inside, else `cut`. A public screen's masking finds a mobile or
    card number only whole: a part of one (`1391234…`, or its halves on two lines) would
    show the very digits it hides."""
    for match in NUMBER.finditer(text):
        if match.start() < cut < match.end():
            return match.start()
    return cut


TINT = "#f1f3f6"
"""Every other actor's row is tinted, so that a label is seen in its actor's row."""


def _draw(view: ChartView, placed: Layout, until: dt.datetime | None) -> tuple[list, list, list]:
    """The traces (bars cut at `until`, the arrows of spans still going on then, the dots),
    the shapes (rows, leaders, the `until` line) and the labels of a layout."""
    traces, shapes, notes = [], [], []
    for i, actor in enumerate(placed.lines):
        line, colour = placed.lines[actor], PALETTE[i % len(PALETTE)]
        bottom, top = placed.rows[actor]
        if i % 2:
            shapes.append({"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                           "y0": bottom, "y1": top, "fillcolor": TINT, "layer": "below",
                           "line": {"width": 0}})  # fmt: skip
        mine = [label for label in placed.labels if label.event.actor == actor]
        traces += _marks(view, [label.event for label in mine], line, colour, until)
        for label in mine:
            e = label.event
            if label.lane:
                shapes.append({"type": "line", "xref": "x", "yref": "y", "ysizemode": "pixel",
                               "x0": _local(view, e.start), "x1": _local(view, e.start),
                               "yanchor": line, "y0": 9, "y1": label.lane * placed.lane + 12,
                               "line": {"width": 2, "color": colour}})  # fmt: skip
            gap = DOT_GAP if label.lane == 0 else LEADER_GAP
            notes.append({
                "x": _local(view, e.start), "y": line, "xref": "x", "yref": "y",
                "yshift": label.lane * placed.lane, "xshift": gap if label.rightward else -gap,
                "xanchor": "left" if label.rightward else "right", "yanchor": "middle",
                "text": plain(label.text), "showarrow": False, "borderpad": 0,
                "borderwidth": 0, "bgcolor": TINT if i % 2 else "#ffffff",
                "font": {"size": BODY, "color": "#222222"},
            })  # fmt: skip
    if until is not None:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "y0": 0, "y1": 1,
                       "x0": _local(view, until), "x1": _local(view, until), "layer": "below",
                       "line": {"width": 2, "color": "#8a8a8a", "dash": "dot"}})  # fmt: skip
    return traces, shapes, notes


def _marks(
    view: ChartView, mine: list[Event], line: float, colour: str, until: dt.datetime | None
) -> list[dict]:
    """One actor's bars (each drawn only up to `until`), a dot at each start, and over them
    an arrow at `until` on each bar still going on then (over its dot when it began then)."""
    bars: list[object] = []
    going = [e for e in mine if e.end is not None and until is not None and e.end > until]
    for e in mine:
        if e.end is not None:
            end = until if e in going else e.end
            bars += [_local(view, e.start), _local(view, end), None]  # type: ignore[arg-type]
    traces = [{
        "type": "scatter", "mode": "lines", "x": bars, "y": [line if x else None for x in bars],
        "hoverinfo": "skip", "line": {"width": 14, "color": colour}, "showlegend": False,
    }]  # fmt: skip
    traces.append({
        "type": "scatter", "mode": "markers", "showlegend": False,
        "x": [_local(view, e.start) for e in mine], "y": [line] * len(mine),
        "customdata": [plain(e.text) for e in mine],
        "hovertemplate": "%{x|%Y-%m-%d %H:%M}<br>%{customdata}<extra>%{fullData.name}</extra>",
        "name": plain(mine[0].actor) if mine else "",
        "marker": {"size": 16, "color": colour, "line": {"width": 2, "color": "#fff"}},
    })  # fmt: skip
    # always a trace, empty or not: a step keeps each trace's place, so the screens' short
    # transition never sweeps one actor's colour over another's
    traces.append({
        "type": "scatter", "mode": "markers", "hoverinfo": "text", "showlegend": False,
        "x": [_local(view, until)] * len(going) if until else [], "y": [line] * len(going),
        "hovertext": [plain(e.text) + say(view, "timeline_going_on") for e in going],
        "marker": {"symbol": "triangle-right", "size": 28, "color": colour,
                   "line": {"width": 2, "color": "#fff"}},
    })  # fmt: skip
    return traces


def _caption(view: ChartView, latest: int, shown: int, total: int) -> str:
    drawn = say(view, "timeline_latest", count=latest) if latest < shown else ""
    return drawn + say(view, "events", shown=shown, total=total)


def _missing(view: ChartView, count: int) -> str:
    return say(view, "timeline_missing", count=count) if count else ""


def _ticks(view: ChartView, first: dt.datetime, last: dt.datetime) -> str:
    """Dates on the axis as the court reads them: the year only when the events cross one
    (in the deck's zone), the hour only when they stand within a few days."""
    if last - first < dt.timedelta(days=3):
        return "%m-%d %H:%M"
    years = {moment.astimezone(zone(view)).year for moment in (first, last)}
    return "%m-%d" if len(years) == 1 else "%Y-%m-%d"


def _local(view: ChartView, moment: dt.datetime) -> str:
    """A time on the chart's axis, in the deck's zone (what the court reads on it)."""
    return moment.astimezone(zone(view)).strftime("%Y-%m-%d %H:%M:%S")
