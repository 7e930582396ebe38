"""Personnel relationships (人员关系): people as dots sized by their contacts, relations as
lines as thick as their weight, each line named on itself where there is room.

When the CSV says what role each person plays, the people are drawn in rows by tier, as a
court reads a fraud gang: organisers on top, technicians and money men below them, the
agents who talk to the victims lower, card sellers, and the victims at the bottom, each row
named at its left. Otherwise a stress layout spreads them over the whole plot, making no
claim of rank the file does not make.

Every text is placed in a free spot (presenter.charts.labels): none covers another or a dot,
and none is inside the plot but off it. A name goes clear of the lines where it can, else on
white over them. A relation's name goes on its own line, clear of the other lines; one without
room is marked ① on its line and named in the caption (a judge cannot hover); when the marks
or the caption cannot hold them all, they are left to the hover and the caption counts them,
as it counts names without room. Nothing goes missing without a word.

The roles are two optional columns of the edge rows, `source_role` and `target_role`, the
role of the row's source and target person. An evidence sheet of relations (人员关系表) writes
them so, a person's role beside each mention of them; a separate list of people would be a
second file to keep in step with the first. A person whose rows state different roles is drawn
by the first stated; the others are kept in the figure's meta and shown in their hover."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import polars as pl

from .data import read
from .labels import PLOT, Box, Labels, text_width
from .style import BODY, DIM, PALETTE, layout, plain, say

if TYPE_CHECKING:
    from . import ChartView

SEED = 7
SHOWN = 60
"""People drawn at most: the most connected, and the focused ones with their contacts."""
WIDTH, HEIGHT = PLOT
"""The axes span the least plot a court picture gives, in its px: what keeps apart here keeps
apart on every screen, and the people fill the plot."""
ROOM = 44.0
"""Px kept above the top row and below the bottom one: room for a dot, its name beside it."""
EDGE = 62.0
"""Px kept at the top and bottom of a spread layout: room for a name above or below a dot."""
NAME_PX = 10 * BODY
"""The widest name written; a longer one is written by its ends (the hover holds it whole)."""
RELATION_PX = 8 * BODY
TIER_PX = 6 * BODY
LINE_HEIGHT = BODY * 1.3
SIZES = (18.0, 48.0)
"""The diameter of the least and the most connected person's dot, in px."""
WIDTHS = (2.0, 3.5, 5.0, 7.0)
"""Line widths by weight, light to heavy: a few classes, one trace each."""
INK = "#222222"
FADED = "#9a9a9a"


@dataclass(frozen=True)
class Kind:
    """A role a fraud gang gives its people: the words that name it in a role column, and its
    tier (0 on top); kinds of one tier share a row."""

    key: str
    tier: int
    words: tuple[str, ...]


KINDS = (
    Kind("tier_victim", 99, ("被害", "受害", "被骗", "受骗", "victim")),
    Kind("tier_line3", 2, ("三线", "line 3", "third line")),
    Kind("tier_line2", 3, ("二线", "line 2", "second line")),
    Kind("tier_line1", 4, ("一线", "line 1", "first line")),
    Kind("tier_organiser", 0, ("组织", "老板", "金主", "头目", "主犯", "首要", "organiser",
                               "organizer", "boss", "leader", "financier")),
    Kind("tier_tech", 1, ("技术", "平台", "搭建", "开发", "程序", "运维", "technician",
                          "developer", "engineer", "programmer", "platform")),
    Kind("tier_money", 1, ("财务", "资金", "结算", "卡商", "承兑", "洗钱", "水房", "会计",
                           "出纳", "finance", "money", "card dealer", "otc", "launder")),
    Kind("tier_agent", 4, ("业务", "老师", "导师", "讲师", "话务", "客服", "引流", "招募",
                           "推广", "agent", "teacher", "caller", "recruiter", "sales")),
    Kind("tier_cards", 5, ("卡农", "出售银行卡", "出租银行卡", "出借银行卡", "提供银行卡",
                           "工具人", "card seller")),
    Kind("tier_mule", 5, ("车手", "取现", "取款", "跑分", "mule", "cash")),
)  # fmt: skip
"""Known roles, matched in this order (the first whose word the role holds): victims first,
so "被害人（曾为卡农）" is a victim, and the numbered lines before the words of agents."""
UNKNOWN_TIER = 10
"""Tiers of roles no kind names start here, one a role in order of appearance."""
UNKNOWN_ROWS = 3
"""Roles no kind names get a row each up to this many; the rest share one row (其他角色)."""
OTHER_TIER, UNSTATED_TIER = 90, 98


def kind_of(role: str) -> Kind | None:
    """The known kind a role names, or None."""
    low = role.lower()
    return next((k for k in KINDS if any(w in low for w in k.words)), None)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class People:
    """What the CSV says of the people drawn: who is linked to whom, with what relation and
    weight; each person's number of contacts in the whole file; their roles."""

    graph: nx.Graph
    total: int
    role: dict[str, str] = field(default_factory=dict)
    """Each person's role, the first stated in the file."""
    differ: dict[str, list[str]] = field(default_factory=dict)
    """The people whose rows state more than one role: all of them, in order."""
    weighted: bool = False
    """Whether the file weighs its relations."""


def people(path: Path, roles: dict[str, str], focus: tuple[str, ...] = ()) -> People:
    """The relations among the people drawn (each pair once: its first relation named, its
    weights summed, a person's links to themselves left out), and their roles."""
    frame = read(path, roles)
    weighted = "weight" in frame.columns
    for column, empty in (("relation", ""), ("weight", "1"), ("source_role", None),
                          ("target_role", None)):  # fmt: skip
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(empty, dtype=pl.String).alias(column))
    frame = frame.drop_nulls(["source", "target"])
    pairs = (
        frame.filter(pl.col("source") != pl.col("target"))
        .select(
            pl.min_horizontal("source", "target").alias("a"),
            pl.max_horizontal("source", "target").alias("b"),
            pl.col("relation").fill_null(""),
            pl.col("weight").cast(pl.Float64, strict=False).fill_null(1.0),
        )
        .group_by("a", "b", maintain_order=True)
        .agg(
            pl.col("relation").filter(pl.col("relation") != "").first().fill_null(""),
            pl.col("weight").sum(),
        )
    )
    mentions = pl.concat(
        [pairs.select(pl.col("a").alias("n")), pairs.select(pl.col("b").alias("n"))]
    )
    degree = (
        mentions.group_by("n", maintain_order=True)
        .len()
        .with_row_index("first")
        .sort(["len", "first"], descending=[True, False])
    )
    contacts = dict(degree.select("n", "len").iter_rows())
    kept = set(degree["n"].head(SHOWN).to_list())
    for f in (f for f in focus if f in contacts):
        near = pairs.filter((pl.col("a") == f) | (pl.col("b") == f))
        kept |= {f, *near["a"].to_list(), *near["b"].to_list()}
    g = nx.Graph()
    # in order of first mention, so rows and layouts start from the file's own order
    order = mentions.unique(maintain_order=True)["n"].to_list()
    g.add_nodes_from((n, {"contacts": contacts[n]}) for n in order if n in kept)
    shown = pairs.filter(pl.col("a").is_in(list(kept)) & pl.col("b").is_in(list(kept)))
    for a, b, relation, weight in shown.iter_rows():
        g.add_edge(a, b, relation=relation, weight=weight)
    role, differ = stated_roles(frame, set(g))
    return People(g, len(contacts), role, differ, weighted)


def stated_roles(frame: pl.DataFrame, names: set[str]) -> tuple[dict[str, str], dict[str, list]]:
    """Each person's first stated role, row by row (a row's source before its target), and
    every role of those whose rows disagree."""
    drawn = pl.Series(list(names), dtype=pl.String).implode()
    sides = [
        frame.lazy().select(
            pl.int_range(pl.len()).alias("row"),
            pl.lit(side).alias("side"),
            pl.col(name).alias("name"),
            pl.col(stated).str.strip_chars().alias("stated"),
        )
        for side, (name, stated) in enumerate((("source", "source_role"),
                                                ("target", "target_role")))
    ]  # fmt: skip
    stated = (
        pl.concat(sides)
        .filter(pl.col("stated").is_not_null() & (pl.col("stated") != ""))
        .filter(pl.col("name").is_in(drawn))
        .sort("row", "side")
        .unique(["name", "stated"], keep="first", maintain_order=True)
        .collect()
    )
    role: dict[str, str] = {}
    differ: dict[str, list[str]] = {}
    for name, said in stated.select("name", "stated").iter_rows():
        if name not in role:
            role[name] = said
        else:
            differ.setdefault(name, [role[name]]).append(said)
    return role, differ


# --- tiers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One tier drawn as a row: its name at the left and its people."""

    label: str
    names: tuple[str, ...]


def tiers(g: nx.Graph, role: dict[str, str], view: ChartView) -> list[Row]:
    """The rows of people by tier, top to bottom; [] when the roles give fewer than two."""
    unknown: list[str] = []
    for n in g:
        stated = role.get(n)
        if stated and kind_of(stated) is None and stated not in unknown:
            unknown.append(stated)

    def tier_of(n: str) -> tuple[int, str]:
        stated = role.get(n)
        if not stated:
            return UNSTATED_TIER, say(view, "tier_unstated")
        kind = kind_of(stated)
        if kind is not None:
            return kind.tier, kind.key
        at = unknown.index(stated)
        if at < UNKNOWN_ROWS:
            return UNKNOWN_TIER + at, stated
        return OTHER_TIER, say(view, "tier_other")

    rows: dict[int, list[str]] = {}
    kinds: dict[int, list[str]] = {}
    for n in g:
        tier, kind = tier_of(n)
        rows.setdefault(tier, []).append(n)
        if kind not in kinds.setdefault(tier, []):
            kinds[tier].append(kind)
    if len(rows) < 2:
        return []
    order = {k.key: i for i, k in enumerate(KINDS)}

    def named(tier: int) -> str:
        words = sorted(kinds[tier], key=lambda k: order.get(k, -1))
        return say(view, "tier_join").join(say(view, k) if k in order else k for k in words)

    return [Row(named(t), tuple(rows[t])) for t in sorted(rows)]


# --- layouts -------------------------------------------------------------------------------

Point = tuple[float, float]
Spot = tuple[float, float, float, str]
"""Where a label may go, as presenter.charts.labels takes it: x, y, px above, alignment."""


@dataclass
class Drawing:
    """Where each person is, the path of each relation (a polyline), and each row's name and
    height when people are drawn by tier."""

    position: dict[str, Point]
    paths: dict[tuple[str, str], list[Point]]
    rows: list[tuple[str, float]] = field(default_factory=list)
    size: dict[str, float] = field(default_factory=dict)


def sizes(g: nx.Graph, most: float = SIZES[1]) -> dict[str, float]:
    """Each dot's diameter in px: larger for more contacts."""
    top = max((g.nodes[n]["contacts"] for n in g), default=1)
    least = min(SIZES[0], most)
    return {n: least + (most - least) * g.nodes[n]["contacts"] / top for n in g}


def edge(u: str, v: str) -> tuple[str, str]:
    return (u, v) if u <= v else (v, u)


def layered(g: nx.Graph, rows: list[Row], left: float) -> Drawing:
    """People in rows by tier, ordered within each row to cross few lines (the barycentre
    method, a line through a row holding a bend point there), each as near above or below
    the people they are linked with as the room allows, and the whole stretched over the
    width right of `left`. A line that would pass over a person between its ends goes
    round by its bend points."""
    level = {n: i for i, row in enumerate(rows) for n in row.names}
    items: list[list[Hashable]] = [list(row.names) for row in rows]
    links: list[tuple[Hashable, Hashable]] = []
    chains: dict[tuple[str, str], list[Hashable]] = {}
    same: list[tuple[str, str]] = []
    for u, v in sorted(edge(*e) for e in g.edges):
        if level[u] == level[v]:
            same.append((u, v))
            continue
        upper, lower = (u, v) if level[u] < level[v] else (v, u)
        chain: list[Hashable] = [upper]
        for r in range(level[upper] + 1, level[lower]):
            bend = ("bend", u, v, r)
            items[r].append(bend)
            chain.append(bend)
        chain.append(lower)
        links += list(zip(chain, chain[1:], strict=False))
        chains[(u, v)] = chain
    items = arrange(items, links)
    gap = (HEIGHT - 2 * ROOM) / max(1, len(rows) - 1)
    ys = [HEIGHT / 2] if len(rows) == 1 else [HEIGHT - ROOM - i * gap for i in range(len(rows))]
    size = sizes(g, min(SIZES[1], gap * 0.55))
    half = {
        i: BEND_HALF if isinstance(i, tuple) else room(i, size[i]) for row in items for i in row
    }
    end = max((text_width(brief(n, NAME_PX)) for n in g), default=0.0) / 2 + 8
    xs = aligned(items, links, half, WIDTH - left - 2 * end)
    low, high = min(xs.values(), default=0.0), max(xs.values(), default=0.0)
    x0, x1 = left + end, WIDTH - end
    where: dict[Hashable, Point] = {}
    for r, row in enumerate(items):
        for i in row:
            x = (x0 + x1) / 2 if high == low else x0 + (x1 - x0) * (xs[i] - low) / (high - low)
            where[i] = (x, ys[r])
    position = {n: where[n] for n in g}
    paths = {}
    for e, chain in chains.items():
        ends = [where[chain[0]], where[chain[-1]]]
        between = [n for n in g if level[chain[0]] < level[n] < level[chain[-1]]]
        clear = all(
            math.dist(position[n], nearest(position[n], *ends)) > size[n] / 2 + 10 for n in between
        )
        paths[e] = ends if clear else [where[i] for i in chain]
    for u, v in same:
        paths[(u, v)] = arc(where[u], where[v], min(gap * 0.42, 90.0))
    return Drawing(position, paths, [(r.label, y) for r, y in zip(rows, ys, strict=True)], size)


BEND_HALF = 80.0
"""Half the room a line's bend point takes in a row, in px: room for its relation's name."""


def room(name: str, size: float) -> float:
    """Half the width a person takes in a row: their dot or name, and room beside it."""
    return max(size, text_width(brief(name, NAME_PX))) / 2 + 60


def aligned(rows: list[list[Hashable]], links: list[tuple[Hashable, Hashable]],
            half: dict[Hashable, float], room: float) -> dict[Hashable, float]:  # fmt: skip
    """An x for each item: near the mean of its neighbours' in the rows above and below,
    in its row's order, neighbours `half` + `half` apart (closer in a row too full for the
    room). Rows are moved one at a time, down then up, a fixed number of times."""
    near: dict[Hashable, list[Hashable]] = {}
    for a, b in links:
        near.setdefault(a, []).append(b)
        near.setdefault(b, []).append(a)
    apart: list[list[float]] = []
    for row in rows:
        steps = [half[a] + half[b] for a, b in zip(row, row[1:], strict=False)]
        squeeze = min(1.0, room / sum(steps)) if steps and sum(steps) else 1.0
        apart.append([s * squeeze for s in steps])
    x: dict[Hashable, float] = {}
    for row, steps in zip(rows, apart, strict=True):
        at = -sum(steps) / 2
        for k, i in enumerate(row):
            x[i] = at
            at += steps[k] if k < len(steps) else 0.0
    for sweep in range(24):
        order = range(len(rows)) if sweep % 2 == 0 else range(len(rows) - 1, -1, -1)
        for r in order:
            row, steps = rows[r], apart[r]
            if not row:
                continue
            wish = [sum(x[j] for j in near[i]) / len(near[i]) if near.get(i) else x[i] for i in row]
            placed = [wish[0]]
            for k in range(1, len(row)):
                placed.append(max(wish[k], placed[-1] + steps[k - 1]))
            shift = sum(p - w for p, w in zip(placed, wish, strict=True)) / len(row)
            for i, p in zip(row, placed, strict=True):
                x[i] = p - shift
    return x


def nearest(p: Point, a: Point, b: Point) -> Point:
    """The point of the segment a–b nearest p."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    if not length:
        return a
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return (a[0] + t * dx, a[1] + t * dy)


def arrange(items: list[list[Hashable]], links: list[tuple[Hashable, Hashable]]) -> list[list]:
    """The rows reordered to cross few lines: each item moved to the mean place of its
    neighbours in the row above, then in the row below, a few times; the order with the
    fewest crossings is kept."""
    up: dict[Hashable, list[Hashable]] = {}
    down: dict[Hashable, list[Hashable]] = {}
    for a, b in links:
        down.setdefault(a, []).append(b)
        up.setdefault(b, []).append(a)
    best, least = [list(r) for r in items], crossings(items, links)
    rows = [list(r) for r in items]
    for sweep in range(8):
        downward = sweep % 2 == 0
        for r in range(1, len(rows)) if downward else range(len(rows) - 2, -1, -1):
            other, near = (rows[r - 1], up) if downward else (rows[r + 1], down)
            rows[r] = by_neighbours(rows[r], other, near)
        count = crossings(rows, links)
        if count < least:
            best, least = [list(r) for r in rows], count
    return best


def by_neighbours(row: list, other: list, near: dict[Hashable, list[Hashable]]) -> list:
    """The row sorted by the mean place of each item's neighbours in the other row; an item
    with none there keeps its own place."""
    place = {i: (k + 0.5) / len(other) for k, i in enumerate(other)}
    own = {i: (k + 0.5) / len(row) for k, i in enumerate(row)}

    def centre(i: Hashable) -> float:
        seen = [place[j] for j in near.get(i, []) if j in place]
        return sum(seen) / len(seen) if seen else own[i]

    return sorted(row, key=lambda i: (centre(i), own[i]))


def crossings(rows: list[list[Hashable]], links: list[tuple[Hashable, Hashable]]) -> int:
    """How many pairs of lines between neighbouring rows cross."""
    at = {i: k for row in rows for k, i in enumerate(row)}
    level = {i: r for r, row in enumerate(rows) for i in row}
    spans: dict[int, list[tuple[int, int]]] = {}
    for a, b in links:
        spans.setdefault(level[a], []).append((at[a], at[b]))
    count = 0
    for pairs in spans.values():
        for i, (a1, b1) in enumerate(pairs):
            count += sum(1 for a2, b2 in pairs[i + 1 :] if (a1 - a2) * (b1 - b2) < 0)
    return count


def arc(a: Point, b: Point, rise: float) -> list[Point]:
    """A line between two people of one row, bowed up so it passes over those between."""
    mid = ((a[0] + b[0]) / 2, a[1] + rise)
    return [
        ((1 - t) ** 2 * a[0] + 2 * (1 - t) * t * mid[0] + t * t * b[0],
         (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * mid[1] + t * t * b[1])
        for t in (k / 12 for k in range(13))
    ]  # fmt: skip


def spread(g: nx.Graph) -> Drawing:
    """People spread by a stress layout from a fixed seed (the same on every screen and
    restart), stretched to fill the wide plot, then pushed apart until each has room for its
    name and none sits on a line not its own."""
    size = sizes(g)
    if not len(g):
        return Drawing({}, {}, [], size)
    widest = max(text_width(brief(n, NAME_PX)) for n in g)
    raw = stress(g)
    margin_x = min(widest / 2 + 8, WIDTH / 4)
    xs = stretched([p[0] for p in raw.values()], margin_x, WIDTH - margin_x)
    ys = stretched([p[1] for p in raw.values()], EDGE, HEIGHT - EDGE)
    position = {n: (x, y) for n, x, y in zip(raw, xs, ys, strict=True)}
    bounds = (margin_x, EDGE, WIDTH - margin_x, HEIGHT - EDGE)
    needs = {n: (room(n, size[n]) * 2 - 104, size[n] + LINE_HEIGHT + 12) for n in g}
    position = unclutter(g, position, needs, size, bounds)
    paths = {edge(u, v): [position[u], position[v]] for u, v in g.edges}
    return Drawing(position, paths, [], size)


def stretched(values: list[float], low: float, high: float) -> list[float]:
    """The values moved and scaled to run from low to high (all in the middle when equal)."""
    least, most = min(values), max(values)
    if most == least:
        return [(low + high) / 2 for _ in values]
    return [low + (high - low) * (float(v) - least) / (most - least) for v in values]


def stress(g: nx.Graph, rounds: int = 300) -> dict[str, tuple[float, float]]:
    """Each person where the distances on the picture best match the steps between people
    in the graph (stress majorization, SMACOF, from a seeded spring layout): a triangle
    looks like one, and people far apart in the graph are far apart on the picture."""
    names = list(g)
    start = nx.spring_layout(g, seed=SEED, weight=None)
    if len(names) < 3:
        return {n: (float(start[n][0]), float(start[n][1])) for n in names}
    steps = dict(nx.all_pairs_shortest_path_length(g))
    far = max(max(v.values()) for v in steps.values()) + 1
    want = np.array([[steps[a].get(b, far) for b in names] for a in names], dtype=float)
    weight = np.where(want > 0, 1.0 / np.maximum(want, 1e-9) ** 2, 0.0)
    v = -weight
    np.fill_diagonal(v, weight.sum(axis=1))
    inverse = np.linalg.pinv(v)
    x = np.array([start[n] for n in names], dtype=float) * far
    for _ in range(rounds):
        apart = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
        b = np.where(apart > 1e-9, -weight * want / np.maximum(apart, 1e-9), 0.0)
        np.fill_diagonal(b, 0.0)
        np.fill_diagonal(b, -b.sum(axis=1))
        x = inverse @ b @ x
    return {n: (float(x[i, 0]), float(x[i, 1])) for i, n in enumerate(names)}


def unclutter(
    g: nx.Graph,
    position: dict[str, Point],
    room: dict[str, tuple[float, float]],
    size: dict[str, float],
    bounds: Box,
    rounds: int = 80,
) -> dict[str, Point]:
    """The people moved apart a little at a time, all at once each round: two whose rooms (a
    dot with its name) overlap part along the shorter way, and one too near a line between
    two others steps off it; all stay inside `bounds`."""
    names = list(g)
    at = np.array([position[n] for n in names], dtype=float)
    wide = np.array([room[n] for n in names], dtype=float)
    clear = np.array([size[n] / 2 + 12 for n in names])
    index = {n: i for i, n in enumerate(names)}
    ends = np.array([(index[u], index[v]) for u, v in g.edges], dtype=int).reshape(-1, 2)
    upper = np.triu(np.ones((len(names), len(names)), dtype=bool), 1)
    for _ in range(rounds):
        move = np.zeros_like(at)
        dx = at[None, :, 0] - at[:, None, 0]  # [a, b]: b's x less a's
        dy = at[None, :, 1] - at[:, None, 1]
        over_x = (wide[:, None, 0] + wide[None, :, 0]) / 2 - np.abs(dx)
        over_y = (wide[:, None, 1] + wide[None, :, 1]) / 2 - np.abs(dy)
        hit = upper & (over_x > 0) & (over_y > 0)
        sideways = over_x / wide[:, None, 0] < over_y / wide[:, None, 1]
        step_x = np.where(hit & sideways, (over_x / 2 + 1) * np.where(dx >= 0, 1, -1), 0.0)
        step_y = np.where(hit & ~sideways, (over_y / 2 + 1) * np.where(dy >= 0, 1, -1), 0.0)
        move[:, 0] += step_x.sum(axis=0) - step_x.sum(axis=1)
        move[:, 1] += step_y.sum(axis=0) - step_y.sum(axis=1)
        off = off_lines(at, ends, clear)
        if not hit.any() and not off.any():
            break
        at = np.clip(at + move + off, [bounds[0], bounds[1]], [bounds[2], bounds[3]])
    return {n: (float(at[i, 0]), float(at[i, 1])) for i, n in enumerate(names)}


def off_lines(at: np.ndarray, ends: np.ndarray, clear: np.ndarray) -> np.ndarray:
    """How far each person must step to be `clear` px off every line between two others."""
    move = np.zeros_like(at)
    if not len(ends):
        return move
    a, b = at[ends[:, 0]][:, None, :], at[ends[:, 1]][:, None, :]  # [line, 1, xy]
    span = b - a
    length = (span**2).sum(axis=2)
    t = np.clip(((at[None, :, :] - a) * span).sum(axis=2) / np.maximum(length, 1e-9), 0, 1)
    near = a + t[:, :, None] * span  # [line, person, xy]: the line's point nearest each
    away = at[None, :, :] - near
    gap = np.sqrt((away**2).sum(axis=2))
    own = (ends[:, :1] == np.arange(len(at))[None, :]) | (
        ends[:, 1:] == np.arange(len(at))[None, :]
    )
    short = ~own & (gap < clear[None, :])
    unit = np.where(gap[:, :, None] > 1e-9, away / np.maximum(gap, 1e-9)[:, :, None], [0.0, 1.0])
    push = np.where(short[:, :, None], unit * (clear[None, :] - gap + 1)[:, :, None], 0.0)
    return move + push.sum(axis=0)


# --- labels --------------------------------------------------------------------------------


def brief(text: str, most: float) -> str:
    """The text as written if it fits in `most` px, else its start and end around "…"."""
    if text_width(text) <= most:
        return text
    text = text[:200]
    for n in range(len(text) - 1, 0, -1):
        tail = n // 3
        short = text[: n - tail] + "…" + (text[-tail:] if tail else "")
        if text_width(short) <= most:
            return short
    return "…"


def cuts(box: Box, a: Point, b: Point) -> bool:
    """Whether the segment a–b passes through the box (Liang–Barsky clipping)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in (
        (-dx, a[0] - box[0]),
        (dx, box[2] - a[0]),
        (-dy, a[1] - box[1]),
        (dy, box[3] - a[1]),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


class Lines:
    """The lines of the picture as straight pieces, to ask fast whether a box meets one."""

    def __init__(self, paths: dict[tuple[str, str], list[Point]], keys: Iterable) -> None:
        pieces = [(k, a, b) for k in keys for a, b in zip(paths[k], paths[k][1:], strict=False)]
        self.owner = [k for k, _, _ in pieces]
        ends = np.array([(*a, *b) for _, a, b in pieces], dtype=float).reshape(-1, 4)
        self.ends = ends
        self.low = np.minimum(ends[:, :2], ends[:, 2:])
        self.high = np.maximum(ends[:, :2], ends[:, 2:])

    def meet(self, box: Box, skip: tuple[str, str] | None = None) -> bool:
        """Whether the box meets a line (but `skip`)."""
        near = (
            (self.low[:, 0] <= box[2]) & (self.high[:, 0] >= box[0])
            & (self.low[:, 1] <= box[3]) & (self.high[:, 1] >= box[1])
        )  # fmt: skip
        for i in np.flatnonzero(near):
            if self.owner[i] != skip and cuts(
                box, tuple(self.ends[i, :2]), tuple(self.ends[i, 2:])
            ):
                return True
        return False


NO_LINES = Lines({}, [])


def length(path: list[Point]) -> float:
    return sum(math.dist(a, b) for a, b in zip(path, path[1:], strict=False))


def along(path: list[Point], share: float) -> Point:
    """The point `share` of the way along a polyline."""
    steps = [math.dist(a, b) for a, b in zip(path, path[1:], strict=False)]
    goal = sum(steps) * share
    for (a, b), step in zip(zip(path, path[1:], strict=False), steps, strict=True):
        if goal <= step and step:
            t = goal / step
            return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
        goal -= step
    return path[-1]


class Stacked(Labels):
    """Labels of one line or of several, the lines parted by <br>."""

    def box(self, x: float, y: float, text: str, dy: float = 0.0, align: str = "center") -> Box:
        lines = text.split("<br>")
        w = max(text_width(line) for line in lines) * self.sx
        h = LINE_HEIGHT * len(lines) * self.sy / 2
        left = {"left": x, "center": x - w / 2, "right": x - w}[align]
        cy = y + dy * self.sy
        return (left, cy - h, left + w, cy + h)


def relation_texts(relation: str) -> list[str]:
    """A relation's name as it may be written: on one line, else on two (a long name is
    written by its ends); none for a relation without a name."""
    if not relation:
        return []
    one = brief(relation, RELATION_PX)
    if len(one) < 4:
        return [plain(one)]
    cut = next((i + 1 for i in range(len(one) // 2 - 1, len(one) - 2) if one[i] in "、，,;； "),
               (len(one) + 1) // 2)  # fmt: skip
    return [plain(one), plain(one[:cut].strip()) + "<br>" + plain(one[cut:].strip())]


def take(
    labels: Labels,
    spots: list[Spot],
    text: str,
    lines: Lines,
    skip: tuple[str, str] | None = None,
    beside: float = 4.0,
) -> Point | None:
    """The centre of the first spot where the text is free and meets none of `lines` but
    `skip` (kept `beside` px from them when it is written beside a point, not centred on
    it); it is then taken."""

    def apart(spot: Spot) -> bool:
        margin = 0.0 if spot[3] == "center" else beside
        box = labels.box(spot[0], spot[1], text, spot[2], spot[3])
        return not lines.meet(
            (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin), skip
        )

    if labels.take([s for s in spots if apart(s)], text) is None:
        return None
    box = labels.taken[-1]
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def name_spots(x: float, y: float, radius: float) -> list[Spot]:
    """Where a person's name may go: below the dot, above, right, left, then at its corners;
    then the same a little farther out, where lines leaving the dot are farther apart."""
    spots = []
    for extra in (0.0, 14.0):
        lift = radius + LINE_HEIGHT / 2 + 2 + extra
        side = radius + 6 + extra
        corner = radius * 0.7 + 2 + extra * 0.7
        spots += [
            (x, y, -lift, "center"), (x, y, lift, "center"),
            (x + side, y, 0.0, "left"), (x - side, y, 0.0, "right"),
            (x + corner, y, corner + LINE_HEIGHT / 2, "left"),
            (x + corner, y, -corner - LINE_HEIGHT / 2, "left"),
            (x - corner, y, corner + LINE_HEIGHT / 2, "right"),
            (x - corner, y, -corner - LINE_HEIGHT / 2, "right"),
        ]  # fmt: skip
    return spots


SHARES = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78)
"""Where along its line a relation's name is tried, the middle first."""


def relation_spots(path: list[Point]) -> list[Spot]:
    """Where a relation's name may go: on its line (which then runs under it), the middle
    first; failing that, beside its line, right or left."""
    points = [along(path, s) for s in SHARES]
    beside = [
        spot for x, y in points for spot in ((x + 8, y, 0.0, "left"), (x - 8, y, 0.0, "right"))
    ]
    return [(x, y, 0.0, "center") for x, y in points] + beside


# --- the figure ----------------------------------------------------------------------------


@dataclass
class Placed:
    """Every text of the figure where it is written (x, y of its centre, the text), and what
    found no room."""

    tiers: list[tuple[float, float, str]] = field(default_factory=list)
    names: dict[str, tuple[float, float, str]] = field(default_factory=dict)
    over: set[str] = field(default_factory=set)
    """People whose names found room only over a line: written on white, the line under it."""
    relations: list[tuple[float, float, str]] = field(default_factory=list)
    unnamed: list[tuple[str, str]] = field(default_factory=list)
    """Lit relations with a name that is written nowhere on the picture (hover only)."""
    keys: list[str] = field(default_factory=list)
    """"①委托搭建平台": names of relations marked on their lines, for the caption."""


def place(g: nx.Graph, drawing: Drawing, rows: list[Row], lit: list[tuple[str, str]],
          view: ChartView) -> Placed:  # fmt: skip
    """Where each text goes, none over another or a dot: the rows' names at the left, then
    people's names (the most connected first, the same spots on every step, clear of lines
    where they can be), then the names of the lit relations on their own lines, clear of
    the other lit lines (the shortest lines first: they have the least room)."""
    labels = Stacked((0.0, WIDTH), (0.0, HEIGHT))
    placed = Placed()
    for row, (_, y) in zip(rows, drawing.rows, strict=True):
        text = plain(brief(row.label, TIER_PX))
        box = labels.box(0.0, y, text, 0.0, "left")
        labels.taken.append(box)
        placed.tiers.append(((box[0] + box[2]) / 2, y, text))
    for n in g:
        labels.mark(*drawing.position[n], drawing.size[n] / 2 + 3)
    lines = Lines(drawing.paths, sorted(drawing.paths))
    shown = Lines(drawing.paths, lit)  # a dimmed line may run under a relation's name
    for n in sorted(g, key=lambda n: (-g.nodes[n]["contacts"], n)):
        text = plain(brief(n, NAME_PX))
        spots = name_spots(*drawing.position[n], drawing.size[n] / 2)
        spot = take(labels, spots, text, lines)
        if spot is None:
            spot = take(labels, spots, text, NO_LINES)
            if spot:
                placed.over.add(n)
        if spot:
            placed.names[n] = (*spot, text)
    for e in sorted(lit, key=lambda e: (length(drawing.paths[e]), e)):
        spot = None
        for text in relation_texts(g.edges[e]["relation"]):
            spot = take(labels, relation_spots(drawing.paths[e]), text, shown, e, beside=8.0)
            if spot:
                placed.relations.append((*spot, text))
                break
        if g.edges[e]["relation"] and not spot:
            placed.unnamed.append(e)
    mark(g, drawing, shown, labels, placed, view)
    return placed


MARKS = "①②③④⑤⑥⑦⑧⑨⑩"
KEYS_PX = 18 * BODY
"""The most room the caption gives the names of relations marked ① on their lines."""


def mark(
    g: nx.Graph, drawing: Drawing, shown: Lines, labels: Labels, placed: Placed, view: ChartView
) -> None:  # fmt: skip
    """Relations without room for their names marked ① on their lines (one mark a name), the
    names by their marks written in the caption: only when every one of them gets its mark
    and the caption holds them all, else they are left to the hover and counted."""
    names = list(dict.fromkeys(relation_texts(g.edges[e]["relation"])[0] for e in placed.unnamed))
    keys = [
        say(view, "relation_key", mark=m, relation=n) for m, n in zip(MARKS, names, strict=False)
    ]
    if not names or len(names) > len(MARKS) or text_width(" ".join(keys)) > KEYS_PX:
        return
    before = list(labels.taken)
    marks = []
    for e in placed.unnamed:
        sign = MARKS[names.index(relation_texts(g.edges[e]["relation"])[0])]
        spot = take(labels, relation_spots(drawing.paths[e]), sign, shown, e, beside=8.0)
        if spot is None:
            labels.taken[:] = before
            return
        marks.append((*spot, sign))
    placed.relations += marks
    placed.keys = keys
    placed.unnamed = []


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    found = people(path, roles, view.focus)
    g = found.graph
    rows = tiers(g, found.role, view)
    if rows:
        left = max(text_width(plain(brief(r.label, TIER_PX))) for r in rows) + 28
        drawing = layered(g, rows, left)
    else:
        drawing = spread(g)
    focus = {f for f in view.focus if f in g}
    near = focus | {n for f in focus for n in g.neighbors(f)} if focus else set(g)
    lit = [e for e in sorted(drawing.paths) if not focus or focus & set(e)]
    placed = place(g, drawing, rows, lit, view)
    names = sorted(g)
    written = [n for n in names if n in placed.names and n not in placed.over]
    traces = line_traces(g, drawing, lit, found.weighted)
    traces.append(texts(placed.tiers, "#666666"))
    traces.append(relation_hovers(g, drawing, found.weighted, view))
    traces.append(
        texts([placed.names[n] for n in written], [INK if n in near else FADED for n in written])
    )
    traces.append({
        "type": "scatter", "mode": "markers",
        "x": [drawing.position[n][0] for n in names], "y": [drawing.position[n][1] for n in names],
        "hovertext": [person_hover(n, found, view) for n in names],
        "customdata": [g.nodes[n]["contacts"] for n in names],
        "hovertemplate": f"%{{hovertext}}<br>{say(view, 'contacts_hover')}<extra></extra>",
        "marker": {
            "size": [drawing.size[n] for n in names],
            "color": [_colour(n, focus, near) for n in names],
            "line": {"width": 2, "color": "#ffffff"},
        },
    })  # fmt: skip
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    return {
        "data": traces,
        "layout": layout(
            caption(found, placed, view),
            showlegend=False,
            hovermode="closest",
            margin={"l": 20, "r": 20, "t": 90, "b": 20},
            xaxis={**axis, "range": [0.0, WIDTH]},
            yaxis={**axis, "range": [0.0, HEIGHT]},
            annotations=[note(x, y, text, "#555555") for x, y, text in placed.relations]
            + [
                note(*placed.names[n], INK if n in near else FADED)
                for n in names
                if n in placed.over
            ],
            shapes=bands(drawing),
        ),
        "meta": {
            "nodes": names,
            "positions": {n: [round(c, 3) for c in drawing.position[n]] for n in names},
            "degree": {n: g.nodes[n]["contacts"] for n in names},
            "lit": sorted(near) if focus else [],
            "tiers": [[r.label, list(r.names)] for r in rows],
            "roles": {n: found.role[n] for n in names if n in found.role},
            "roles_differ": found.differ,
            "unwritten": [n for n in names if n not in placed.names],
            "unnamed": [list(e) for e in placed.unnamed],
            "keys": placed.keys,
        },
    }


def caption(found: People, placed: Placed, view: ChartView) -> str:
    """How many people and relations are drawn; how many have no name written, or the
    names of those marked ① on their lines."""
    g = found.graph
    text = (
        say(view, "people", shown=len(g))
        if found.total <= len(g)
        else say(view, "people_most", shown=len(g), total=found.total)
    ) + say(view, "relations", count=g.number_of_edges())
    if placed.unnamed:
        text += say(view, "relations_unnamed", count=len(placed.unnamed))
    if placed.keys:
        text += " · " + " ".join(placed.keys)
    if len(placed.names) < len(g):
        text += say(view, "names_unwritten", count=len(g) - len(placed.names))
    return text


def line_traces(
    g: nx.Graph, drawing: Drawing, lit: list[tuple[str, str]], weighted: bool
) -> list[dict]:
    """The lines, one trace a width and shade: dimmed first, so the lit ones lie over them;
    as thick as their weight when the file weighs them."""
    weights = [g.edges[e]["weight"] for e in drawing.paths]
    heaviest = max(weights, default=1.0) or 1.0

    def width(e: tuple[str, str]) -> float:
        if not weighted or min(weights) == max(weights):
            return WIDTHS[1]
        share = max(0.0, g.edges[e]["weight"]) / heaviest
        return WIDTHS[min(len(WIDTHS) - 1, int(math.sqrt(share) * len(WIDTHS)))]

    traces = []
    for on in (False, True):
        for w in WIDTHS:
            xs: list[float | None] = []
            ys: list[float | None] = []
            for e in (e for e in sorted(drawing.paths) if (e in lit) == on and width(e) == w):
                xs += [p[0] for p in drawing.paths[e]] + [None]
                ys += [p[1] for p in drawing.paths[e]] + [None]
            if xs:
                traces.append({
                    "type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip",
                    "line": {"width": w, "color": PALETTE[0] if on else DIM},
                })  # fmt: skip
    return traces


def texts(written: list[tuple[float, float, str]], colour: str | list[str]) -> dict:
    """A trace of texts, each centred where it was placed."""
    return {
        "type": "scatter", "mode": "text", "hoverinfo": "skip", "textposition": "middle center",
        "x": [x for x, _, _ in written], "y": [y for _, y, _ in written],
        "text": [t for _, _, t in written], "textfont": {"size": BODY, "color": colour},
    }  # fmt: skip


def note(x: float, y: float, text: str, colour: str) -> dict:
    """A text on white at (x, y), over the lines under it."""
    return {
        "x": x, "y": y, "xref": "x", "yref": "y", "text": text, "showarrow": False,
        "xanchor": "center", "yanchor": "middle", "bgcolor": "rgba(255, 255, 255, 0.9)",
        "borderpad": 0, "font": {"size": BODY, "color": colour},
    }  # fmt: skip


def relation_hovers(g: nx.Graph, drawing: Drawing, weighted: bool, view: ChartView) -> dict:
    """An unseen point at the middle of each line whose hover names its relation in full."""
    told = []
    for e in sorted(drawing.paths):
        data = g.edges[e]
        text = say(view, "relation_hover", a=plain(e[0]), b=plain(e[1]),
                   relation=plain(data["relation"]) or "—")  # fmt: skip
        if weighted:
            text += say(view, "weight_hover", weight=f"{data['weight']:g}")
        told.append((*along(drawing.paths[e], 0.5), text))
    return {
        "type": "scatter", "mode": "markers", "hoverinfo": "text",
        "x": [x for x, _, _ in told], "y": [y for _, y, _ in told], "text": [t for _, _, t in told],
        "marker": {"size": 24, "opacity": 0},
    }  # fmt: skip


def bands(drawing: Drawing) -> list[dict]:
    """A faint band behind every other row, so a row reads across the picture."""
    if len(drawing.rows) < 2:
        return []
    band = (drawing.rows[0][1] - drawing.rows[-1][1]) / (len(drawing.rows) - 1)
    return [
        {"type": "rect", "xref": "x", "yref": "y", "layer": "below", "line": {"width": 0},
         "x0": 0, "x1": WIDTH, "y0": y - band / 2, "y1": y + band / 2,
         "fillcolor": "rgba(19, 41, 75, 0.05)"}
        for k, (_, y) in enumerate(drawing.rows) if k % 2 == 0
    ]  # fmt: skip


def person_hover(name: str, found: People, view: ChartView) -> str:
    """A person's name and, when stated, their role (and the others their rows state)."""
    text = plain(name)
    if name in found.role:
        text += "<br>" + say(view, "role_hover", role=plain(found.role[name]))
    if name in found.differ:
        others = say(view, "tier_join").join(plain(r) for r in found.differ[name][1:])
        text += say(view, "role_also", others=others)
    return text


def _colour(name: str, focus: set[str], near: set[str]) -> str:
    return PALETTE[1] if name in focus else PALETTE[0] if name in near else DIM
