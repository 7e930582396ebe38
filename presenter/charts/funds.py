"""Fund flows (资金流向): a Sankey of account-to-account totals, in columns from the victims
to the exits; small accounts fold into 其他; money both ways between two accounts is drawn as
one net flow; a flow to an account in the same or an earlier column is drawn to that
account's "↩" copy on the right, so what plotly.js lays out never has a cycle; at most CAP
flows are drawn; a focus lights every path through an account."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import polars as pl

from .. import formatting
from .data import moments, read, span, until_filter
from .labels import text_width
from .style import DIM, layout, plain, say, so_far, stacked, yuan, zone

if TYPE_CHECKING:
    from . import ChartView

OTHER = "其他"
RETURN = "↩ "
"""The prefix of an account's copy in the last column, where flows back to it are drawn."""
VICTIM, MIDDLE, EXIT, BACK = "#b22222", "#13294b", "#c77700", "#5b2c83"
CAP = 150
"""Flows a fund-flow chart draws at most, the largest by net amount, whatever the ledger's
size: plotly.js lays out every link given to it, and a court screen cannot show more."""
COLUMNS = 6
"""Columns a fund-flow chart with cycles may spread its accounts over (before the ↩ one)."""


def ledger(path: Path, roles: dict[str, str], zone: str = "+08:00") -> pl.DataFrame:
    """The transactions with a readable amount: each with its data row number in the file
    (`row`, from 1), its time as written and as a moment (`at`; one written without an
    offset is in the deck's `zone`)."""
    frame = read(path, roles).with_row_index("row", offset=1)
    frame = frame.with_columns(
        moments(frame["time"], zone).alias("at"),
        pl.col("amount")
        .str.replace_all(r"[,¥￥\s]", "")
        .cast(pl.Float64, strict=False)
        .alias("value"),
    )
    return frame.drop_nulls("value")


def _totals(frame: pl.DataFrame) -> pl.DataFrame:
    return (
        frame.group_by("from", "to")
        .agg(pl.col("value").sum().alias("amount"), pl.len().alias("count"))
        .sort("from", "to")
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
    gross = {(u, v): (a, c) for u, v, a, c in totals.iter_rows()}
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
    a flow from or to 其他 gathers the folded accounts; one to "↩ X" is one to X), in time
    order: the first `limit` of them, with the count and the net total of all."""
    frame = until_filter(ledger(path, roles, view.zone), "at", view.until, zone(view))
    kept = _kept(_totals(frame), view.fold, view.focus)
    source, target = (_account(name, kept) for name in flow)
    forward = (_folded("from", kept) == source) & (_folded("to", kept) == target)
    back = (_folded("from", kept) == target) & (_folded("to", kept) == source)
    match = frame.filter(forward | back).with_columns(forward.alias("forward")).sort("at", "row")
    columns = [c for c in ("row", "time", "from", "to", "amount", "channel") if c in match.columns]
    paid = match.filter(pl.col("forward"))
    returned = match.filter(~pl.col("forward"))
    total = float(paid["value"].sum()) - float(returned["value"].sum())
    names = {"source": flow[0], "target": flow[1], "count": match.height}
    if returned.height:
        caption = say(
            view, "flow_net", **names, amount=yuan(total, view),
            paid=yuan(float(paid["value"].sum()), view), paid_count=paid.height,
            returned=yuan(float(returned["value"].sum()), view),
            returned_count=returned.height,
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


def _account(name: str, kept: set[str] | None) -> str:
    """The account a node of the figure stands for: "↩ X" (X's copy) stands for X."""
    if name.startswith(RETURN) and (kept is None or name not in kept):
        return name.removeprefix(RETURN)
    return name


def _kept(totals: pl.DataFrame, keep: int, focus: tuple[str, ...]) -> set[str] | None:
    """The accounts named when the `keep` largest by money through them are, and the
    focused ones; None when nothing folds."""
    through = (
        pl.concat(
            [
                totals.select(pl.col("from").alias("account"), "amount"),
                totals.select(pl.col("to").alias("account"), "amount"),
            ]
        )
        .group_by("account")
        .agg(pl.col("amount").sum())
    )
    largest = through.sort(["amount", "account"], descending=[True, False]).head(keep)
    kept = set(largest["account"].to_list()) | set(focus)
    return None if len(kept) >= through.height else kept


def _folded(column: str, kept: set[str] | None) -> pl.Expr:
    """An account column as the figure names it: 其他 for an account not kept."""
    if kept is None:
        return pl.col(column)
    return pl.when(pl.col(column).is_in(kept)).then(column).otherwise(pl.lit(OTHER))


def _fold(totals: pl.DataFrame, keep: int, focus: tuple[str, ...]) -> pl.DataFrame:
    """Accounts beyond the `keep` largest by money through them become one 其他."""
    kept = _kept(totals, keep, focus)
    if kept is None:
        return totals
    mapped = totals.with_columns(
        _folded("from", kept).alias("from"), _folded("to", kept).alias("to")
    )
    return (
        mapped.filter(pl.col("from") != pl.col("to"))
        .group_by("from", "to")
        .agg(pl.col("amount").sum(), pl.col("count").sum())
        .sort("from", "to")
    )


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
    leaves it to the right, until none moves (其他 stays first)."""
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
    # 其他 gathers small accounts of every kind: with cycles, what it pays (the folded
    # victims' money among it) enters from the left, and what it receives goes to "↩ 其他"
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


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    everything = ledger(path, roles, view.zone)
    times = everything.select(pl.col("at").min().alias("a"), pl.col("at").max().alias("b"))
    shown = until_filter(everything, "at", view.until, zone(view))
    totals = _fold(_totals(shown), view.fold, view.focus)
    flows = netted(totals)
    # the largest flows, a focused account's first; a flow netting to nothing draws nothing
    first = sorted(flows, key=lambda f: not ({f.source, f.target} & set(view.focus)))
    drawn = [f for f in first[:CAP] if f.net > 0]
    chosen = set(drawn)
    hidden = [f for f in flows if f not in chosen]
    graph = nx.DiGraph()
    for f in sorted(drawn, key=lambda f: (f.source, f.target)):
        graph.add_edge(f.source, f.target, amount=f.net, flow=f)
    drawn = [d["flow"] for *_, d in graph.edges(data=True)]  # in the order they always were
    graph.add_nodes_from(n for n in view.focus if n in set(totals["from"]) | set(totals["to"]))
    column = columns(graph)
    back = {f for f in drawn if column[f.source] >= column[f.target]}
    # money into 其他 from its right is not money going back: it leaves to small accounts
    going_back = {f for f in back if f.target != OTHER}
    accounts = sorted(graph, key=lambda n: (n == OTHER, n))
    copies = sorted({f.target for f in back}, key=accounts.index)
    names = accounts + [RETURN + n for n in copies]
    index = {n: i for i, n in enumerate(names)}
    ends = [(f.source, RETURN + f.target if f in back else f.target) for f in drawn]
    shape = nx.DiGraph(ends)
    shape.add_nodes_from(names)
    on_nodes, on_links = lit(shape, view.focus) if view.focus else (set(names), set(ends))
    paid_in = {n: 0.0 for n in accounts} | dict(
        totals.group_by("to").agg(pl.col("amount").sum()).iter_rows()
    )
    paid_out = {n: 0.0 for n in accounts} | dict(
        totals.group_by("from").agg(pl.col("amount").sum()).iter_rows()
    )
    real = {n: n for n in accounts} | {RETURN + n: n for n in copies}
    colour = {n: _role(paid_in[n], paid_out[n]) for n in accounts} | {
        RETURN + n: BACK if n != OTHER else MIDDLE for n in copies
    }
    last = max(column.values(), default=0) or 1
    width = 0.78 if copies else 0.998  # room for the last column's labels before the copies
    edge = _columns_apart(column, last)
    at = {n: 0.001 + width * edge[column[n]] for n in accounts} | {
        RETURN + n: 0.999 for n in copies
    }
    stacks: dict[float, list[str]] = {}
    for n in names:
        stacks.setdefault(at[n], []).append(n)
    y = [0.001 + 0.998 * (stacks[at[n]].index(n) + 0.5) / len(stacks[at[n]]) for n in names]
    # what the victims paid out: every transaction from an account that received nothing
    victims = shown.join(shown.select(pl.col("to").alias("from")).unique(), on="from", how="anti")
    total = float(victims["value"].sum())
    trace = {
        "type": "sankey",
        "arrangement": "fixed",
        "valueformat": ",.2f",
        "valuesuffix": "" if view.lang == "en" and view.unit == "元" else f" {view.unit}",
        "node": {
            # a copy is named by its first word, leaving room in a crowded last column
            "label": [
                stacked(real[n])
                if n == real[n] or n == RETURN + OTHER
                else RETURN + stacked(real[n]).split("<br>")[0]
                for n in names
            ],
            "x": [at[n] for n in names],
            "y": y,
            "pad": 18,
            "thickness": 22,
            "color": [colour[n] if n in on_nodes else DIM for n in names],
            "customdata": [
                [
                    yuan(paid_in[real[n]], view),
                    yuan(paid_out[real[n]], view),
                    ""
                    if n == real[n] or n == RETURN + OTHER
                    else "<br>" + say(view, "back_node", account=plain(real[n])),
                ]
                for n in names
            ],
            "hovertemplate": f"%{{label}}<br>{say(view, 'node_hover')}%{{customdata[2]}}"
            "<extra></extra>",
        },
        "link": {
            "source": [index[u] for u, _ in ends],
            "target": [index[v] for _, v in ends],
            "value": [f.net for f in drawn],
            "color": [
                _alpha(BACK if v.startswith(RETURN) and v != RETURN + OTHER else colour[u], 0.45)
                if (u, v) in on_links
                else "rgba(160,160,160,0.10)"
                for u, v in ends
            ],
            "customdata": [
                [yuan(f.net, view), f.count, _link_note(f, f in going_back, view)] for f in drawn
            ],
            "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata[0]}, "
            f"{say(view, 'flow_hover')}%{{customdata[2]}}<extra></extra>",
        },
    }
    notes = []
    if any(f.returned for f in drawn):
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
    more = {}
    if notes:  # on a line of their own, below the total
        caption += "<br>" + say(view, "notes").join(notes)
        more = {"margin": {"l": 40, "r": 40, "t": 110, "b": 40}}
    return {
        "data": [trace],
        "layout": layout(caption, **more),
        "meta": {
            "nodes": names,
            "links": [
                [u, v, round(f.net, 2), f.count] for (u, v), f in zip(ends, drawn, strict=True)
            ],
            "gross": [
                [round(f.paid, 2), f.paid_count, round(f.returned, 2), f.returned_count]
                for f in drawn
            ],
            "through": [[round(paid_in[real[n]], 2), round(paid_out[real[n]], 2)] for n in names],
            "hidden": {
                "flows": len(hidden),
                "count": sum(f.count for f in hidden),
                "amount": round(sum(f.net for f in hidden), 2),
            },
            "lit": sorted(on_nodes) if view.focus else [],
            "total": round(total, 2),
            "span": span(list(times.row(0))),
        },
    }


def _columns_apart(column: dict[str, int], last: int) -> list[float]:
    """Where each column of accounts stands (0 to 1): the gap after a column is as wide as
    the labels written in it (beside each node, and for the last column before it), so a
    label never runs into the next column's."""
    widest = [0.0] * (last + 1)
    for name, c in column.items():
        lines = stacked(name).split("<br>")
        widest[c] = max(widest[c], max(text_width(line) for line in lines))
    gaps = [widest[c] + NODE_ROOM for c in range(last)]
    if last:
        gaps[-1] += widest[last]
    # and no gap so narrow that its flows cannot be told apart
    floor = 0.6 * sum(gaps) / max(1, len(gaps))
    gaps = [max(gap, floor) for gap in gaps]
    total = sum(gaps) or 1.0
    edge, run = [0.0], 0.0
    for gap in gaps:
        run += gap
        edge.append(run / total)
    return edge


NODE_ROOM = 60.0
"""Px beside a node's label before the next column: the node itself and a margin."""


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
