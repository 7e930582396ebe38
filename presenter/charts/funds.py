"""Fund flows (资金流向): a Sankey of account-to-account totals, in columns from the victims
to the exits, that a judge reads at a glance: every account is named and every drawn flow's
amount is written, in dark type on white beside them, none over another on any court screen.

Accounts beyond the fold gather by their role (其他被害人, 其他, 其他出口); money both ways
between two accounts is drawn as one net flow; a flow to an account in the same or an earlier
column is drawn to that account's "↩" copy in the last column, so what plotly.js lays out
never has a cycle; a focus lights every path through an account. The figure draws the
largest flows (a focused account's largest in and out first), at most CAP, that leave room
for every name and amount; the caption counts the rest.

plotly.js draws no text on a flow and places a Sankey's nodes itself unless told where; so
the figure fixes every node's place and works out where each flow's band runs (as plotly.js's
d3-sankey will draw it: see PAD), and writes the names and amounts as annotations placed in
px of the least plot a court picture gives (labels.PLOT)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import polars as pl

from .. import formatting
from ..i18n import is_english
from .data import moments, read, span, until_filter
from .labels import PLOT
from .style import BODY, DIM, LONG, layout, plain, say, so_far, yuan, zone

if TYPE_CHECKING:
    from . import ChartView

OTHER = "其他"
"""The folded accounts between the victims and the exits."""
OTHER_VICTIMS = "其他被害人"
"""The folded victims: accounts that only pay."""
OTHER_EXITS = "其他出口"
"""The folded exits: accounts that only receive."""
GROUPS = (OTHER_VICTIMS, OTHER, OTHER_EXITS)
RETURN = "↩ "
"""The prefix of an account's copy in the last column, where flows back to it are drawn."""
VICTIM, MIDDLE, EXIT, BACK = "#b22222", "#13294b", "#c77700", "#5b2c83"
CAP = 150
"""Flows a fund-flow chart draws at most, the largest by net amount, whatever the ledger's
size: plotly.js lays out every link given to it, and a court screen cannot show more."""
COLUMNS = 6
"""Columns a fund-flow chart with cycles may spread its accounts over (before the ↩ one)."""


MONEY = pl.Decimal(38, 6)
"""Amounts as the ledger reads them and sums them: exact decimals, to the millionth (a
stablecoin's six places), so a total is the same to the fen whatever order the rows are
added in (polars adds them on several cores), and the same at every showing."""
MOST_MONEY = 10**18
"""An amount of this or more is no amount (a garbled cell): so a billion of the largest
still sum within MONEY's 32 whole digits."""


def ledger(path: Path, roles: dict[str, str], zone: str = "+08:00") -> pl.DataFrame:
    """The transactions with a readable amount: each with its data row number in the file
    (`row`, from 1), its time as written and as a moment (`at`; one written without an
    offset is in the deck's `zone`), its amount as an exact decimal (`value`, MONEY)."""
    frame = read(path, roles).with_row_index("row", offset=1)
    value = pl.col("amount").str.replace_all(r"[,¥￥\s]", "").cast(MONEY, strict=False)
    value = pl.when(value.abs() < MOST_MONEY).then(value)  # else unreadable, as text is
    frame = frame.with_columns(moments(frame["time"], zone).alias("at"))
    # lazy, so polars spreads the work over the cores (as everything below on the ledger)
    return frame.lazy().with_columns(value.alias("value")).drop_nulls("value").collect()


def _totals(frame: pl.DataFrame) -> pl.DataFrame:
    """The money paid from one account to another (`amount`, exact, in `count`
    transactions), in no order: what reads it orders what it keeps."""
    return (
        frame.lazy()
        .group_by("from", "to")
        .agg(pl.col("value").sum().alias("amount"), pl.len().alias("count"))
        .collect()
    )


@dataclass(frozen=True)
class Flow:
    """The money between two accounts as one drawn flow (净额): `paid` from `source` to
    `target` in `paid_count` transactions, and `returned` the other way in `returned_count`."""

    source: str
    target: str
    paid: float
    paid_count: int
    returned: float = 0.0
    returned_count: int = 0

    @property
    def net(self) -> float:
        return self.paid - self.returned

    @property
    def count(self) -> int:
        return self.paid_count + self.returned_count


def netted(totals: pl.DataFrame) -> list[Flow]:
    """One flow per pair of accounts with money between them, from the one that paid more
    (from the first by name when both paid the same), largest net amount first."""
    gross = {(u, v): (float(a), c) for u, v, a, c in totals.iter_rows()}
    flows = []
    for (u, v), (paid, count) in gross.items():
        returned, back = gross.get((v, u), (0.0, 0))
        if paid > returned or (paid == returned and u < v):
            flows.append(Flow(u, v, paid, count, returned, back))
    return sorted(flows, key=lambda f: (-f.net, f.source, f.target))


def transactions(
    path: Path, roles: dict[str, str], view: ChartView, flow: tuple[str, str], limit: int
) -> dict:
    """The transactions behind one flow of the figure for `view`, both ways (a flow is net;
    a flow from or to a group (其他, 其他被害人, 其他出口) gathers its folded accounts; one to
    "↩ X" is one to X), in time order: the first `limit` of them, with the count and the net
    total of all."""
    frame = until_filter(ledger(path, roles, view.zone), "at", view.until, zone(view))
    folded = folding(_totals(frame), view.fold, view.focus)
    source, target = (_account(name, frame) for name in flow)
    forward = (_payer(folded) == source) & (_payee(folded) == target)
    back = (_payer(folded) == target) & (_payee(folded) == source)
    match = (
        frame.lazy()
        .filter(forward | back)
        .with_columns(forward.alias("forward"))
        .sort("at", "row")
        .collect()
    )
    columns = [c for c in ("row", "time", "from", "to", "amount", "channel") if c in match.columns]
    paid = match.filter(pl.col("forward"))
    returned = match.filter(~pl.col("forward"))
    paid_sum, returned_sum = paid["value"].sum(), returned["value"].sum()
    total = float(paid_sum - returned_sum)  # exact, then read as a float
    names = {"source": flow[0], "target": flow[1], "count": match.height}
    if returned.height:
        caption = say(
            view, "flow_net", **names, amount=yuan(total, view),
            paid=yuan(float(paid_sum), view), paid_count=paid.height,
            returned=yuan(float(returned_sum), view), returned_count=returned.height,
        )  # fmt: skip
    else:
        caption = say(view, "flow", **names, amount=yuan(total, view))
    if match.height > limit:
        caption += say(view, "flow_first", limit=limit)
    return {
        "flow": list(flow),
        "count": match.height,
        "total": round(total, 2),
        "caption": caption,
        "header": [_heading(c, roles, view) for c in columns],
        "numeric": [i for i, c in enumerate(columns) if c in ("row", "amount")],
        "rows": [
            _readable(dict(zip(columns, row, strict=True)), view)
            for row in match.head(limit).select(columns).rows()
        ],
    }


def _heading(column: str, roles: dict[str, str], view: ChartView) -> str:
    """A column of the transactions as the deck names it (`[columns]`), the amount's with
    its unit once."""
    if column == "row":
        return "#"
    name = roles[column]
    return f"{name}（{view.unit}）" if column == "amount" and "元" not in name else name


def _readable(row: dict[str, object], view: ChartView) -> list[object]:
    """A transaction as the court reads it: the time in the deck's zone, the amount grouped."""
    cells: list[object] = []
    for column, value in row.items():
        if column == "time" and isinstance(value, str):
            value = formatting.moment(value, zone(view))
        elif column == "amount":
            value = formatting.figure(value, view.unit) or value
        cells.append(value)
    return cells


def _account(name: str, frame: pl.DataFrame) -> str:
    """The account a node of the figure stands for: "↩ X" (X's copy) stands for X, unless
    an account of the transactions is so named."""
    if not name.startswith(RETURN):
        return name
    if (frame["from"] == name).any() or (frame["to"] == name).any():
        return name
    return name.removeprefix(RETURN)


# --- folding: victims stay victims, exits stay exits ----------------------------------------


@dataclass(frozen=True)
class Folding:
    """Which accounts a figure names, and the group it draws each of the others in: the
    `kept` by their names; of the others, a payer is in 其他 where it also `receives`, else
    in 其他被害人; a payee in 其他出口 where it is one of the `exits`, else in 其他. (Small
    sets to look names up in, where a table of every folded account would be as long as the
    ledger's list of victims.)"""

    kept: pl.Series
    receives: pl.Series
    exits: pl.Series


def folding(totals: pl.DataFrame, keep: int, focus: tuple[str, ...]) -> Folding | None:
    """How the figure folds the accounts of `totals`, or None when it names them all.
    Folding keeps every account's role: victims (accounts that only pay) fold into
    其他被害人, drawn first; exits (accounts that only receive) into 其他出口, drawn last;
    and only the accounts between them into 其他. So folding never hides that the money
    came from victims, nor makes it go round through one 其他. Of each role the `keep`
    largest by money through them keep their names, and the focused ones; a group is made
    only of two accounts or more (a lone one keeps its name)."""
    accounts = _through(totals)
    role = (
        pl.when(pl.col("in").is_null())
        .then(pl.lit(OTHER_VICTIMS))
        .when(pl.col("out").is_null())
        .then(pl.lit(OTHER_EXITS))
        .otherwise(pl.lit(OTHER))
    )
    focused = pl.Series(list(focus), dtype=pl.String).implode()
    ranked = (
        accounts.with_columns(role.alias("group"))
        .sort(["through", "account"], descending=[True, False])
        .with_columns(pl.int_range(pl.len()).over("group").alias("rank"))
        .with_columns(((pl.col("rank") < keep) | pl.col("account").is_in(focused)).alias("named"))
    )
    lone = (~pl.col("named")).sum().over("group") < 2
    kept = ranked.filter(pl.col("named") | lone)["account"]
    if kept.len() == accounts.height:
        return None
    receives = accounts.filter(pl.col("in").is_not_null())["account"]
    exits = accounts.filter(pl.col("out").is_null())["account"]
    return Folding(kept, receives, exits)


def _through(totals: pl.DataFrame) -> pl.DataFrame:
    """Each account with the money it paid (`out`), received (`in`; null when it received
    nothing, and `out` null when it paid nothing) and both (`through`)."""
    lazy = totals.lazy()
    paid = lazy.group_by("from").agg(pl.col("amount").sum().alias("out"))
    received = lazy.group_by("to").agg(pl.col("amount").sum().alias("in"))
    both = paid.rename({"from": "account"}).join(
        received.rename({"to": "account"}), on="account", how="full", coalesce=True
    )
    through = pl.col("out").fill_null(0) + pl.col("in").fill_null(0)
    return both.with_columns(through.alias("through")).collect()


def _payer(folded: Folding | None) -> pl.Expr:
    """The paying account (`from`) as the figure names it: a folded one by its group (a
    payer is never an exit)."""
    payer = pl.col("from")
    if folded is None:
        return payer
    return (
        pl.when(payer.is_in(folded.kept.implode()))
        .then(payer)
        .when(payer.is_in(folded.receives.implode()))
        .then(pl.lit(OTHER))
        .otherwise(pl.lit(OTHER_VICTIMS))
    )


def _payee(folded: Folding | None) -> pl.Expr:
    """The paid account (`to`) as the figure names it: a folded one by its group (a payee
    is never a victim)."""
    payee = pl.col("to")
    if folded is None:
        return payee
    return (
        pl.when(payee.is_in(folded.kept.implode()))
        .then(payee)
        .when(payee.is_in(folded.exits.implode()))
        .then(pl.lit(OTHER_EXITS))
        .otherwise(pl.lit(OTHER))
    )


def _fold(totals: pl.DataFrame, folded: Folding | None) -> pl.DataFrame:
    """The totals between accounts as the figure names them (`folding`)."""
    if folded is None:
        return totals
    return (
        totals.lazy()
        .with_columns(_payer(folded).alias("from"), _payee(folded).alias("to"))
        .filter(pl.col("from") != pl.col("to"))
        .group_by("from", "to")
        .agg(pl.col("amount").sum(), pl.col("count").sum())
        .collect()
    )


# --- columns: which flows go back ------------------------------------------------------------


def tiers(graph: nx.DiGraph) -> dict[str, int]:
    """Victims (no money in) at 0, each account one tier after the nearest account paying
    it, and the exits (no money out) in the last tier. Without any account that only pays,
    the one paying out the most more than it receives is at 0."""
    if not graph:
        return {}
    sources = [n for n in graph if graph.in_degree(n) == 0] or [
        min(graph, key=lambda n: (_balance(graph, n), n))
    ]
    distance = nx.multi_source_dijkstra_path_length(graph, sources, weight=lambda u, v, d: 1)
    tier = {n: int(distance.get(n, 1)) for n in graph}
    last = max(tier.values(), default=0)
    for n in graph:
        if graph.out_degree(n) == 0 and graph.in_degree(n) > 0:
            tier[n] = max(last, 1)
    return tier


def _balance(graph: nx.DiGraph, n: str) -> float:
    """Money into an account less money out of it."""
    inflow = sum(d["amount"] for *_, d in graph.in_edges(n, data=True))
    return inflow - sum(d["amount"] for *_, d in graph.out_edges(n, data=True))


def columns(graph: nx.DiGraph) -> dict[str, int]:
    """Each account's column, so that a flow goes to a later one wherever it can: the tiers
    when every flow already does (a small ledger looks as it always did); else, for a ledger
    without cycles, the longest path from a victim; else the accounts ordered so that little
    money goes back (Eades, Lin and Smyth), spread over at most COLUMNS by that order, then
    each moved in turn to the column where the most money reaches it from the left and
    leaves it to the right, until none moves (其他 stays first). A flow to the same or an
    earlier column is drawn back, to its account's "↩" copy."""
    tier = tiers(graph)
    if all(tier[u] < tier[v] for u, v in graph.edges):
        return tier
    order = {n: i for i, n in enumerate(_order(graph))}
    layer: dict[str, int] = {}
    for n in sorted(graph, key=order.__getitem__):
        ahead = (layer[m] + 1 for m in graph.predecessors(n) if order[m] < order[n])
        layer[n] = max(ahead, default=0)
    depth = max(layer.values()) + 1
    if nx.is_directed_acyclic_graph(graph):
        return {n: depth - 1 if not graph.out_degree(n) else c for n, c in layer.items()}
    column = {n: c * min(depth, COLUMNS) // depth for n, c in layer.items()}
    # 其他 gathers middle accounts: with cycles, what it pays enters from the left, and what
    # it receives goes to "↩ 其他"
    pinned = {OTHER: 0} if graph.has_node(OTHER) and graph.out_degree(OTHER) else {}
    column |= pinned

    def forward(n: str, c: int) -> float:
        into = sum(d["amount"] for m, _, d in graph.in_edges(n, data=True) if column[m] < c)
        return into + sum(d["amount"] for _, m, d in graph.out_edges(n, data=True) if column[m] > c)

    for _ in range(100):
        moved = False
        for n in sorted(set(graph) - set(pinned), key=lambda n: (column[n], order[n])):
            here = column[n]
            best = max(range(COLUMNS), key=lambda c: (forward(n, c), c == here, -abs(c - here)))
            if forward(n, best) > forward(n, here):
                column[n], moved = best, True
        if not moved:
            break
    used = sorted(set(column.values()))
    return {n: used.index(c) for n, c in column.items()}


def _order(graph: nx.DiGraph) -> list[str]:
    """The accounts in an order where little money goes from a later to an earlier one
    (the greedy heuristic of Eades, Lin and Smyth for a feedback arc set, by amount): those
    only paying first, those only receiving last, else next the one paying out the most
    more than it receives; ties by name."""
    rest = graph.copy()
    front: list[str] = []
    back: list[str] = []
    while rest:
        if sinks := sorted(n for n in rest if not rest.out_degree(n)):
            back = sinks + back
            rest.remove_nodes_from(sinks)
        elif sources := sorted(n for n in rest if not rest.in_degree(n)):
            front += sources
            rest.remove_nodes_from(sources)
        else:
            n = min(rest, key=lambda n: (_balance(rest, n), n))
            front.append(n)
            rest.remove_node(n)
    return front + back


def lit(graph: nx.DiGraph, focus: tuple[str, ...]) -> tuple[set[str], set[tuple[str, str]]]:
    """The accounts and flows on some path through a focused account."""
    nodes: set[str] = set()
    links: set[tuple[str, str]] = set()
    for f in (f for f in focus if f in graph):
        up, down = nx.ancestors(graph, f) | {f}, nx.descendants(graph, f) | {f}
        nodes |= up | down
        links |= {
            (u, v) for u, v in graph.edges if (u in up and v in up) or (u in down and v in down)
        }
    return nodes, links


# --- where plotly.js draws it ----------------------------------------------------------------

WIDTH, HEIGHT = PLOT
"""The least plot a court picture gives a chart, in its px: labels kept apart here keep apart
on every screen (see Area)."""
NODE = 22.0
"""A node's thickness in px."""
PAD = 1e6
"""The Sankey's node.pad, beyond any plot's height. plotly.js's d3-sankey caps the padding
at 2/3 of the height over the gaps of its fullest column, and sizes the nodes from what is
left: so with it every node's height and every band's place are the same fraction of the
plot's height on every screen, and a label placed on a band stays on it."""
GAP = 6.0
"""Px between a node and its name."""
LINE = BODY * 1.3
"""A line of text's height in px (plotly.js's line spacing)."""
BORDER = 1.0
BOX_PAD = 2.0
"""A label's box around its text: its border's width and the room inside it, in px."""
INK, FADED = "#111111", "#8a8a8a"
PAPER = "rgba(255,255,255,0.92)"
TIMES = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.14, 0.86)
"""Where along a band its amount is tried, from its middle outwards (0 its start, 1 its end)."""


@dataclass(frozen=True)
class Area:
    """A rectangle of the figure: its sides at fractions of the plot (`x0`, `x1` from its
    left, `y0`, `y1` from its top) moved some px (`left`, `right`, `top`, `bottom`). On a
    larger plot the fractions move apart and the px stay: so two areas apart on the least
    plot, in the order of their fractions, are apart on every screen."""

    x0: float
    y0: float
    x1: float
    y1: float
    left: float
    top: float
    right: float
    bottom: float

    def px(self) -> tuple[float, float, float, float]:
        """Its left, top, right and bottom on the least plot."""
        return (
            self.x0 * WIDTH + self.left,
            self.y0 * HEIGHT + self.top,
            self.x1 * WIDTH + self.right,
            self.y1 * HEIGHT + self.bottom,
        )

    def inside(self) -> bool:
        left, top, right, bottom = self.px()
        return left >= 0 and top >= 0 and right <= WIDTH and bottom <= HEIGHT


@dataclass(frozen=True)
class Label:
    """A text of the figure, drawn as a plotly annotation: its `lines` at (x, y), fractions
    of the plot from its left and top, moved dx, dy px; `align` (left, center, right) and
    `valign` (top, middle, bottom) say which side of its box is there. `of` is the account
    it names or the index of the flow whose amount it writes."""

    lines: tuple[str, ...]
    x: float
    y: float
    align: str
    valign: str
    of: str | int
    dx: float = 0.0
    dy: float = 0.0

    def size(self) -> float:
        """Its box's area in px."""
        area = self.area()
        return (area.right - area.left) * (area.bottom - area.top)

    def area(self) -> Area:
        width = _width(self.lines) + 2 * (BORDER + BOX_PAD)
        height = len(self.lines) * LINE + 2 * (BORDER + BOX_PAD)
        left = self.dx - {"left": 0.0, "center": width / 2, "right": width}[self.align]
        top = self.dy - {"top": 0.0, "middle": height / 2, "bottom": height}[self.valign]
        return Area(self.x, self.y, self.x, self.y, left, top, left + width, top + height)


def _line_width(line: str) -> float:
    """A line's width in px at BODY size, bold or not, with 5% to spare: each character by
    its width in Noto Sans CJK SC, measured (a Chinese character or "…" a square, a digit
    six tenths of one)."""
    return 1.05 * BODY * sum(_EM.get(c, 1.0 if ord(c) > 0x2E7F else _em(c)) for c in line)


_EM = {c: 0.33 for c in ",.:;'|!il"} | {" ": 0.3, "…": 1.0, "↩": 0.85, "@": 1.0, "%": 1.0}
"""Characters' widths, in BODY, that their kind does not give (see _em)."""


def _em(c: str) -> float:
    if c in "MWmw":
        return 0.97
    if c.isdigit() or c.islower():
        return 0.6
    return 0.75


def _width(lines: tuple[str, ...]) -> float:
    return max(_line_width(line) for line in lines)


class Room:
    """The plot as its labels fill it: a label takes the first of its places that is inside
    the plot and apart from every node and label already there, on every screen; the first
    that covers no band either (but its own) where there is one, so that a white box hides
    as little of the flows as it can."""

    def __init__(self, taken: list[Area], bands: list[Band]) -> None:
        self.taken = _sides(taken)
        pieces = [(i, piece) for i, band in enumerate(bands) for piece in band.pieces()]
        self.pieces = _sides([piece for _, piece in pieces])
        self.owner = np.array([i for i, _ in pieces], dtype=int)

    def take(self, places: Iterable[Label], own: int = -1) -> Label | None:
        free = None
        for label in places:
            area = label.area()
            if not area.inside() or not _apart(area, self.taken):
                continue
            if _apart(area, self.pieces[self.owner != own]):
                free = (label, area)
                break
            free = free or (label, area)
        if free is None:
            return None
        self.taken = np.vstack([self.taken, _sides([free[1]])])
        return free[0]


def _sides(areas: list[Area]) -> np.ndarray:
    """Areas as rows of their px on the least plot and their fractions (see _apart)."""
    rows = [(*a.px(), a.x0, a.y0, a.x1, a.y1) for a in areas]
    return np.array(rows, dtype=float).reshape(-1, 8)


def _apart(area: Area, sides: np.ndarray) -> bool:
    """Whether `area` is apart from every one of the areas in `sides`: on the least plot one
    is left of (or above) the other, and so are its fractions, so that it stays so on a
    larger plot (see Area)."""
    left, top, right, bottom = area.px()
    return bool(
        np.all(
            ((sides[:, 2] <= left) & (sides[:, 6] <= area.x0))
            | ((right <= sides[:, 0]) & (area.x1 <= sides[:, 4]))
            | ((sides[:, 3] <= top) & (sides[:, 7] <= area.y0))
            | ((bottom <= sides[:, 1]) & (area.y1 <= sides[:, 5]))
        )
    )


@dataclass(frozen=True)
class Band:
    """Where plotly.js draws a flow: from the right of its source's node at x0 to the left
    of its target's at x1 (fractions of the plot's width), its middle at y0 and at y1
    (fractions of the height, from the top), `width` high (a fraction too)."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float

    def pieces(self, count: int = 8) -> list[Area]:
        """The band covered by `count` rectangles, from its start to its end."""
        ends = [self.at(i / count) for i in range(count + 1)]
        half = self.width / 2
        return [
            Area(a[0], min(a[2], b[2]) - half, b[0], max(a[2], b[2]) + half, a[1], 0, b[1], 0)
            for a, b in zip(ends, ends[1:], strict=False)
        ]

    def at(self, t: float) -> tuple[float, float, float]:
        """The band's middle at `t` along it (0 its start, 1 its end): x as a fraction and
        px beside it, and y. plotly.js draws a band as a cubic from (start, y0) to (end, y1)
        with both control points halfway across, at y0 and y1."""
        start = (1 - t) ** 3 + 1.5 * (1 - t) ** 2 * t + 1.5 * (1 - t) * t**2
        end = 1 - start
        across = 3 * t**2 - 2 * t**3
        return (
            start * self.x0 + end * self.x1,
            NODE / 2 * (start - end),
            self.y0 + (self.y1 - self.y0) * across,
        )


@dataclass(frozen=True)
class Drawing:
    """A figure's flows as plotly.js will draw them: the `flows` (in the order of its links,
    which is the order they leave and reach each node in), their `ends` (a flow back ends at
    its account's "↩" copy) and `bands`, the nodes `names` with their places (`x`, and `y`
    the middle, fractions of the plot), the flows drawn `back`, and the `labels` placed."""

    flows: list[Flow]
    ends: list[tuple[str, str]]
    bands: list[Band]
    names: list[str]
    x: dict[str, float]
    y: dict[str, float]
    back: set[Flow]
    labels: list[Label]


def drawing(candidates: list[Flow], view: ChartView) -> Drawing:
    """The most of the `candidates`, in their order, drawn with room for every name and
    amount: all of them when they fit; else the longest run from the first that does, of
    those that might (_most), found by trying one fewer a few TRIES, then by halving, then
    a few TRIES more above what was found (a layout may fit more flows where it does not
    fit fewer)."""
    tried: dict[int, Drawing | None] = {0: _laid_out([], view)}

    def fits(count: int) -> bool:
        if count not in tried:
            tried[count] = _laid_out(candidates[:count], view)
        return tried[count] is not None

    most = _most(candidates, view)
    low, high = 0, most
    for count in range(most, max(0, most - TRIES), -1):
        if fits(count):
            low = high = count
            break
        high = count - 1
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    found = max(c for c in range(low, min(most, low + TRIES) + 1) if c == low or fits(c))
    return tried[found] or Drawing([], [], [], [], {}, {}, set(), [])


TRIES = 4
CROWD = 0.4
"""The share of the plot a figure's labels may cover at most: the flows beyond it are not
tried (a plot more crowded than that is not read at a glance)."""


def _most(candidates: list[Flow], view: ChartView) -> int:
    """How many of the candidates might be drawn: as many as the first whose amounts and
    names (in their shortest forms) cover at most CROWD of the plot."""
    room = CROWD * WIDTH * HEIGHT
    named: set[str] = set()
    for count, f in enumerate(candidates):
        room -= Label((yuan(f.net, view),), 0, 0, "center", "middle", 0).size()
        for n in {f.source, f.target} - named:
            room -= Label(_forms(n)[-1], 0, 0, "center", "middle", n).size()
            named.add(n)
        if room < 0:
            return count
    return len(candidates)


def _laid_out(flows: list[Flow], view: ChartView) -> Drawing | None:
    """`flows` laid out with a name for every account and an amount on every flow, or None
    when there is no room for them all."""
    if not flows:
        return Drawing([], [], [], [], {}, {}, set(), [])
    graph = nx.DiGraph()
    for f in sorted(flows, key=lambda f: (f.source, f.target)):
        graph.add_edge(f.source, f.target, amount=f.net)
    column = columns(graph)
    back = {f for f in flows if column[f.source] >= column[f.target]}
    ends = {f: (f.source, RETURN + f.target if f in back else f.target) for f in flows}
    layer = _layers(list(ends.values()))
    out: dict[str, float] = defaultdict(float)
    into: dict[str, float] = defaultdict(float)
    for f, (u, v) in ends.items():
        out[u] += f.net
        into[v] += f.net
    # a node is as tall as the more of the money into and out of it (d3-sankey's value)
    value = {n: max(out[n], into[n]) for n in layer}
    scale = _scale(layer, value)
    stacks = _stacks(layer, [(u, v, f.net) for f, (u, v) in ends.items()])
    x = _across(stacks)
    top = _down(stacks, {n: value[n] * scale for n in layer})
    middle = {n: top[n] + value[n] * scale / 2 for n in layer}
    # the order of plotly's links is the order they leave and reach each node in: by where
    # they come from, then by where they go, so that no two cross at a node
    order = sorted(flows, key=lambda f: (middle[f.source], middle[ends[f][1]], *ends[f]))
    leaving, reaching = dict(top), dict(top)
    bands = []
    for f in order:
        u, v = ends[f]
        width = f.net * scale
        bands.append(Band(x[u], leaving[u] + width / 2, x[v], reaching[v] + width / 2, width))
        leaving[u] += width
        reaching[v] += width
    last = len(stacks) - 1
    spans = {n: (top[n], top[n] + value[n] * scale) for n in layer}
    sides = {
        n: "left" if layer[n] == 0 else "right" if layer[n] == last else "middle" for n in layer
    }
    labels = _labelled(x, spans, sides, bands, [yuan(f.net, view) for f in order])
    if labels is None:
        return None
    accounts = {f.source for f in flows} | {f.target for f in flows if f not in back}
    copies = sorted({f.target for f in back}, key=_name_order)
    names = sorted(accounts, key=_name_order) + [RETURN + n for n in copies]
    return Drawing(order, [ends[f] for f in order], bands, names, x, middle, back, labels)


def _labelled(
    x: dict[str, float],
    spans: dict[str, tuple[float, float]],
    sides: dict[str, str],
    bands: list[Band],
    amounts: list[str],
) -> list[Label] | None:
    """Every node's name and every band's amount placed apart from each other and from the
    nodes (at `x`, from top to bottom over `spans`): the names first, the largest node's
    first, in their fullest forms that leave room for all; None when even the shortest
    leave none."""
    for brevity in range(3):
        nodes = [Area(x[n], a, x[n], b, -NODE / 2, 0, NODE / 2, 0) for n, (a, b) in spans.items()]
        room = Room(nodes, bands)
        labels: list[Label] = []
        for n in sorted(spans, key=lambda n: (spans[n][0] - spans[n][1], n)):
            label = room.take(_name_places(n, sides[n], x[n], *spans[n], brevity))
            if label is None:
                break
            labels.append(label)
        else:
            for i in sorted(range(len(bands)), key=lambda i: (-bands[i].width, i)):
                label = room.take(_amount_places(bands[i], amounts[i], i), own=i)
                if label is None:
                    break
                labels.append(label)
            else:
                return labels
    return None


def _name_order(name: str) -> tuple[int, str]:
    """Accounts by name, the groups last."""
    return (name in GROUPS, name)


def _layers(ends: list[tuple[str, str]]) -> dict[str, int]:
    """Each node's column as plotly.js's d3-sankey takes it (its nodeAlign "justify"): the
    longest path of flows ending at it, and the last column for one paying nothing. The
    figure draws the columns so too, as d3-sankey sizes the nodes by its columns."""
    graph = nx.DiGraph(ends)
    depth: dict[str, int] = {}
    for n in nx.topological_sort(graph):
        depth[n] = max((depth[m] + 1 for m in graph.predecessors(n)), default=0)
    last = max(depth.values(), default=0)
    return {n: depth[n] if graph.out_degree(n) else last for n in graph}


def _scale(layer: dict[str, int], value: dict[str, float]) -> float:
    """A node's height per unit of money, as a fraction of the plot's height, as d3-sankey
    works it out: over each column, what the padding between its nodes leaves of the height
    shared by the money through them; the least of these. With PAD the padding is 2/3 of
    the height over the gaps of the fullest column."""
    stacks: dict[int, list[str]] = defaultdict(list)
    for n, c in layer.items():
        stacks[c].append(n)
    fullest = max(len(stack) for stack in stacks.values())
    padding = 2 / 3 / (fullest - 1) if fullest > 1 else 0.0
    return min(
        (1 - (len(stack) - 1) * padding) / sum(value[n] for n in stack) for stack in stacks.values()
    )


def _stacks(layer: dict[str, int], links: list[tuple[str, str, float]]) -> list[list[str]]:
    """The nodes of each column from top to bottom, so that few flows cross: each sorted by
    where its money comes from, then by where it goes, a few times over (the barycentre
    heuristic of Sugiyama's layered drawing)."""
    stacks: list[list[str]] = [[] for _ in range(max(layer.values()) + 1)]
    for n in sorted(layer, key=_name_order):
        stacks[layer[n]].append(n)
    sources: dict[str, list[tuple[str, float]]] = defaultdict(list)
    targets: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for u, v, amount in links:
        targets[u].append((v, amount))
        sources[v].append((u, amount))

    def sort(stack: list[str], near: dict[str, list[tuple[str, float]]]) -> None:
        place = {n: (i + 0.5) / len(s) for s in stacks for i, n in enumerate(s)}

        def centre(n: str) -> tuple[float, tuple[int, str]]:
            if not near[n]:
                return place[n], _name_order(n)
            weight = sum(a for _, a in near[n])
            return sum(place[m] * a for m, a in near[n]) / weight, _name_order(n)

        stack.sort(key=centre)

    for _ in range(4):
        for stack in stacks[1:]:
            sort(stack, sources)
        for stack in reversed(stacks[:-1]):
            sort(stack, targets)
    for stack in stacks[1:]:
        sort(stack, sources)
    return stacks


MARGIN = (2 * LINE + 2 * GAP) / HEIGHT
"""Room kept above the top node and below the bottom one of a column, as a fraction of the
plot's height: two lines of a name."""


def _down(stacks: list[list[str]], height: dict[str, float]) -> dict[str, float]:
    """Each node's top, as a fraction of the plot's height: a column's nodes spread over the
    whole height (less MARGIN at the top and bottom), evenly apart, so that its flows spread
    too and leave room between them for their amounts; a lone node in the middle."""
    top: dict[str, float] = {}
    for stack in stacks:
        free = 1 - sum(height[n] for n in stack)
        margin = min(MARGIN, free / (len(stack) + 1))
        space = (free - 2 * margin) / (len(stack) - 1) if len(stack) > 1 else 0.0
        below = margin if len(stack) > 1 else free / 2
        for n in stack:
            top[n] = below
            below += height[n] + space
    return top


def _across(stacks: list[list[str]]) -> dict[str, float]:
    """Each node's place across the plot: the first column as far in as its widest name
    written beside it on the left, the last as far in as its widest on the right (in the
    fullest form at most a fifth of the plot wide), the others evenly between."""

    def form(name: str) -> tuple[str, ...]:
        forms = _forms(name)
        return next((f for f in forms if _width(f) <= WIDTH / 5), forms[-1])

    def room(stack: list[str]) -> float:
        return max(_width(form(n)) for n in stack) + 2 * (BORDER + BOX_PAD) + GAP + NODE / 2 + 2

    first = room(stacks[0]) / WIDTH
    last = 1 - room(stacks[-1]) / WIDTH
    count = len(stacks) - 1
    return {n: first + (last - first) * c / count for c, s in enumerate(stacks) for n in s}


def _forms(name: str) -> list[tuple[str, ...]]:
    """The lines an account's name is written in, the fullest first: each word on a line
    (a word longer than LONG by its ends, at most three lines); then long numbers by their
    ends, "6222…0101", on two lines at most; then its first word alone. A copy ("↩ X") is
    written "↩ " and X's first word."""
    if name.startswith(RETURN):
        word = name.removeprefix(RETURN).split() or [""]
        return [(RETURN + _ends(word[0], LONG),), (RETURN + _ends(word[0], 9),)]
    words = name.split() or [name]
    full = [_ends(w, LONG) for w in words]
    if len(full) > 3:
        full = full[:2] + [_ends(" ".join(words[2:]), LONG)]
    brief = [_ends(w, 9) for w in words[:2]]
    return list(dict.fromkeys([tuple(full), tuple(brief), (_ends(words[0], 9),)]))


def _ends(word: str, most: int) -> str:
    """A word as written when longer than `most` characters: by its ends, "6222…0101"."""
    if len(word) <= most:
        return word
    side = max(1, (most - 1) // 2)
    return f"{word[:side]}…{word[-side:]}"


def _name_places(
    name: str, side: str, x: float, top: float, bottom: float, brevity: int
) -> Iterator[Label]:
    """Where an account's name may go, the likeliest first, in each of its forms (from the
    `brevity`th: see _forms): beside its node on the outer side for the first and last
    columns; else above or below the node, then beside it."""
    middle = (top + bottom) / 2
    forms = _forms(name)
    for lines in forms[min(brevity, len(forms) - 1) :]:
        if side == "left":
            out = -(NODE / 2 + GAP)
            yield Label(lines, x, middle, "right", "middle", name, dx=out)
            yield Label(lines, x, top, "right", "top", name, dx=out)
            yield Label(lines, x, bottom, "right", "bottom", name, dx=out)
        elif side == "right":
            out = NODE / 2 + GAP
            yield Label(lines, x, middle, "left", "middle", name, dx=out)
            yield Label(lines, x, top, "left", "top", name, dx=out)
            yield Label(lines, x, bottom, "left", "bottom", name, dx=out)
        else:
            yield Label(lines, x, top, "center", "bottom", name, dy=-GAP)
            yield Label(lines, x, bottom, "center", "top", name, dy=GAP)
            for dx, align in ((NODE / 2 + GAP, "left"), (-(NODE / 2 + GAP), "right")):
                yield Label(lines, x, middle, align, "middle", name, dx=dx)
                yield Label(lines, x, top, align, "top", name, dx=dx)
                yield Label(lines, x, bottom, align, "bottom", name, dx=dx)


def _amount_places(band: Band, text: str, index: int) -> Iterator[Label]:
    """Where a flow's amount may go: on its band, from its middle outwards (on a wide band,
    its middle line first, then lines above and below it), or at its start or its end
    beside its node; then just above or below it (a band too thin to carry its amount)."""
    lines = max(0, int((band.width * HEIGHT - LINE) / 2 // LINE))
    for t in TIMES:
        x, dx, y = band.at(t)
        for k in range(lines + 1):
            for dy in {k * LINE, -k * LINE}:
                yield Label((text,), x, y, "center", "middle", index, dx=dx, dy=dy)
    beside = NODE / 2 + GAP
    yield Label((text,), band.x0, band.y0, "left", "middle", index, dx=beside)
    yield Label((text,), band.x1, band.y1, "right", "middle", index, dx=-beside)
    for t in TIMES:
        x, dx, y = band.at(t)
        yield Label((text,), x, y - band.width / 2, "center", "bottom", index, dx=dx, dy=-2)
        yield Label((text,), x, y + band.width / 2, "center", "top", index, dx=dx, dy=2)


# --- the figure ----------------------------------------------------------------------------


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    return _figure(ledger(path, roles, view.zone), view)


def drawn(path: Path, roles: dict[str, str], view: ChartView) -> Drawing:
    """How the figure for `view` is laid out: its nodes, bands and labels (for the tests
    that hold it against what plotly.js draws)."""
    shown = until_filter(ledger(path, roles, view.zone), "at", view.until, zone(view))
    return drawing(_candidates(netted(_named(shown, view)), view.focus), view)


def focus_unchanged(path: Path, roles: dict[str, str], view: ChartView) -> bool:
    """Whether `view`'s focus changes nothing: the figure draws what it draws without it,
    where it draws it, and every account and flow of it is lit (each passes through a
    focused account), so none is dimmed."""
    shown = until_filter(ledger(path, roles, view.zone), "at", view.until, zone(view))
    totals = _totals(shown)

    def laid_out(focus: tuple[str, ...]) -> Drawing:
        named = _fold(totals, folding(totals, view.fold, focus))
        return drawing(_candidates(netted(named), focus), dataclasses.replace(view, focus=focus))

    focused = laid_out(view.focus)
    if focused != laid_out(()):
        return False
    shape = nx.DiGraph(focused.ends)
    shape.add_nodes_from(focused.names)
    nodes, links = lit(shape, view.focus)
    return nodes >= set(focused.names) and links >= set(focused.ends)


def _named(shown: pl.DataFrame, view: ChartView) -> pl.DataFrame:
    """The totals between accounts of the transactions shown, as the figure names them."""
    totals = _totals(shown)
    return _fold(totals, folding(totals, view.fold, view.focus))


def _figure(everything: pl.DataFrame, view: ChartView) -> dict:
    times = everything.select(pl.col("at").min().alias("a"), pl.col("at").max().alias("b"))
    shown = until_filter(everything, "at", view.until, zone(view))
    totals = _named(shown, view)
    flows = netted(totals)
    drawn = drawing(_candidates(flows, view.focus), view)
    chosen = set(drawn.flows)
    hidden = [f for f in flows if f not in chosen]
    # money into 其他 from its right is not money going back: it leaves to small accounts
    going_back = {f for f in drawn.back if f.target != OTHER}
    names, ends = drawn.names, drawn.ends
    index = {n: i for i, n in enumerate(names)}
    shape = nx.DiGraph(ends)
    shape.add_nodes_from(names)
    on_nodes, on_links = lit(shape, view.focus) if view.focus else (set(names), set(ends))
    copies = {RETURN + f.target for f in drawn.back}
    accounts = [n for n in names if n not in copies]
    paid_in = {n: 0.0 for n in accounts} | dict(
        totals.group_by("to").agg(pl.col("amount").sum().cast(pl.Float64)).iter_rows()
    )
    paid_out = {n: 0.0 for n in accounts} | dict(
        totals.group_by("from").agg(pl.col("amount").sum().cast(pl.Float64)).iter_rows()
    )
    real = {n: n.removeprefix(RETURN) if n in copies else n for n in names}
    colour = {
        n: _role(paid_in[n], paid_out[n]) if n in accounts else BACK if real[n] != OTHER else MIDDLE
        for n in names
    }
    link_colours = [
        _alpha(BACK if v.startswith(RETURN) and v != RETURN + OTHER else colour[u], 0.45)
        if (u, v) in on_links
        else "rgba(160,160,160,0.10)"
        for u, v in ends
    ]
    # what the victims paid out: every transaction from an account that received nothing
    lazy = shown.lazy()
    payees = lazy.select(pl.col("to").alias("from")).unique()
    victims = lazy.join(payees, on="from", how="anti")
    total = float(victims.select(pl.col("value").sum()).collect().item())
    trace = {
        "type": "sankey",
        "arrangement": "fixed",
        "valueformat": ",.2f",
        "valuesuffix": "" if is_english(view.lang) and view.unit == "元" else f" {view.unit}",
        "node": {
            # the names are written beside the nodes (the annotations), dark on white
            "label": ["" for _ in names],
            "x": [drawn.x[n] for n in names],
            "y": [drawn.y[n] for n in names],
            "pad": PAD,
            "thickness": NODE,
            "color": [colour[n] if n in on_nodes else DIM for n in names],
            "customdata": [
                [
                    yuan(paid_in[real[n]], view),
                    yuan(paid_out[real[n]], view),
                    ""
                    if n == real[n] or n == RETURN + OTHER
                    else "<br>" + say(view, "back_node", account=plain(real[n])),
                    plain(n),
                ]
                for n in names
            ],
            "hovertemplate": f"%{{customdata[3]}}<br>{say(view, 'node_hover')}"
            "%{customdata[2]}<extra></extra>",
        },
        "link": {
            "source": [index[u] for u, _ in ends],
            "target": [index[v] for _, v in ends],
            "value": [f.net for f in drawn.flows],
            "sort": "input",
            "color": link_colours,
            "customdata": [
                [
                    yuan(f.net, view),
                    f.count,
                    _link_note(f, f in going_back, view),
                    plain(u),
                    plain(v),
                ]
                for f, (u, v) in zip(drawn.flows, ends, strict=True)
            ],
            "hovertemplate": "%{customdata[3]} → %{customdata[4]}<br>%{customdata[0]}, "
            f"{say(view, 'flow_hover')}%{{customdata[2]}}<extra></extra>",
        },
    }
    annotations = []
    for label in drawn.labels:
        if isinstance(label.of, str):
            on = label.of in on_nodes
            annotations.append(_annotation(label, on, colour[label.of], bold=True))
        else:
            on = ends[label.of] in on_links
            annotations.append(_annotation(label, on, colour[ends[label.of][0]], bold=False))
    notes = []
    if any(f.returned for f in drawn.flows):
        notes.append(say(view, "netted"))
    if going_back:
        amount = yuan(sum(f.net for f in going_back), view)
        notes.append(say(view, "back", flows=len(going_back), amount=amount))
    if hidden:
        notes.append(
            say(
                view,
                "hidden",
                flows=len(hidden),
                count=sum(f.count for f in hidden),
                amount=yuan(sum(f.net for f in hidden), view),
            )  # fmt: skip
        )
    caption = say(view, "paid_out", amount=yuan(total, view)) + so_far(view)
    margin = {"l": 24, "r": 24, "t": 90, "b": 24}
    if notes:  # on a line of their own, below the total
        caption += "<br>" + say(view, "notes").join(notes)
        margin["t"] = 110
    return {
        "data": [trace],
        "layout": layout(caption, margin=margin, annotations=annotations),
        "meta": {
            "nodes": names,
            "links": [
                [u, v, round(f.net, 2), f.count]
                for (u, v), f in zip(ends, drawn.flows, strict=True)
            ],
            "gross": [
                [round(f.paid, 2), f.paid_count, round(f.returned, 2), f.returned_count]
                for f in drawn.flows
            ],
            "through": [[round(paid_in[real[n]], 2), round(paid_out[real[n]], 2)] for n in names],
            "hidden": {
                "flows": len(hidden),
                "count": sum(f.count for f in hidden),
                "amount": round(sum(f.net for f in hidden), 2),
            },
            "lit": sorted(on_nodes) if view.focus else [],
            "total": round(total, 2),
            "span": span(list(times.row(0)), zone(view)),
        },
    }


def _candidates(flows: list[Flow], focus: tuple[str, ...]) -> list[Flow]:
    """The flows a figure may draw, in the order it draws them: the largest first (a flow
    netting to nothing draws nothing), at most CAP, but first each focused account's
    largest flow in and out, so that it is drawn whatever its size and lit in the picture
    it would be in without the focus."""
    drawable = [f for f in flows if f.net > 0]
    first = [
        f
        for account in focus
        for f in (
            next((f for f in drawable if f.target == account), None),
            next((f for f in drawable if f.source == account), None),
        )
        if f is not None
    ]
    first = list(dict.fromkeys(first))
    return (first + [f for f in drawable if f not in set(first)])[:CAP]


def _annotation(label: Label, on: bool, colour: str, bold: bool) -> dict:
    """A label as plotly draws it: dark type on a white box (grey when out of the focus),
    an amount's box edged in its flow's colour."""
    text = "<br>".join(plain(line) for line in label.lines)
    return {
        "text": f"<b>{text}</b>" if bold else text,
        "xref": "paper",
        "yref": "paper",
        "x": label.x,
        "y": 1 - label.y,
        "xanchor": label.align,
        "yanchor": label.valign,
        "xshift": label.dx,
        "yshift": -label.dy,
        "align": {"left": "left", "right": "right"}.get(label.align, "center"),
        "showarrow": False,
        "font": {"size": BODY, "color": INK if on else FADED},
        "bgcolor": PAPER,
        "borderpad": BOX_PAD,
        "borderwidth": BORDER,
        "bordercolor": "rgba(0,0,0,0)" if bold else colour if on else FADED,
    }


def _role(paid_in: float, paid_out: float) -> str:
    """A victim's colour for an account that only pays, an exit's for one that only receives."""
    return VICTIM if not paid_in else EXIT if not paid_out else MIDDLE


def _link_note(flow: Flow, back: bool, view: ChartView) -> str:
    """What a flow's hover adds: the gross amounts both ways of a net flow, and that a flow
    to a "↩" copy goes back."""
    note = ""
    if flow.returned:
        note += "<br>" + say(
            view, "net_hover", source=plain(flow.source), target=plain(flow.target),
            paid=yuan(flow.paid, view), paid_count=flow.paid_count,
            returned=yuan(flow.returned, view), returned_count=flow.returned_count,
        )  # fmt: skip
    if back:
        note += "<br>" + say(view, "back_hover", target=plain(flow.target))
    return note


def _alpha(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
