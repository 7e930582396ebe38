"""Fund flows (资金流向): a Sankey of account-to-account totals, in tiers from the victims to
the exits; small accounts fold into 其他; a focus lights every path through an account."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import polars as pl

from .data import moments, read, span, until_filter
from .style import DIM, layout, say, so_far, stacked, yuan

if TYPE_CHECKING:
    from . import ChartView

OTHER = "其他"
VICTIM, MIDDLE, EXIT = "#b22222", "#13294b", "#c77700"


def ledger(path: Path, roles: dict[str, str]) -> pl.DataFrame:
    """The transactions with a readable amount: each with its data row number in the file
    (`row`, from 1), its time as written and as a moment (`at`)."""
    frame = read(path, roles).with_row_index("row", offset=1)
    frame = frame.with_columns(
        moments(frame["time"]).alias("at"),
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


def transactions(
    path: Path, roles: dict[str, str], view: ChartView, flow: tuple[str, str], limit: int
) -> dict:
    """The transactions behind one flow of the figure for `view` (a flow from or to 其他
    gathers the folded accounts), in time order: the first `limit` of them, with the count
    and the total of all."""
    frame = until_filter(ledger(path, roles), "at", view.until)
    kept = _kept(_totals(frame), view.fold, view.focus)
    match = frame.filter(
        (_folded("from", kept) == flow[0]) & (_folded("to", kept) == flow[1])
    ).sort("at", "row")
    columns = [c for c in ("row", "time", "from", "to", "amount", "channel") if c in match.columns]
    total = float(match["value"].sum())
    amount = yuan(total, view.lang)
    caption = say(view, "flow", source=flow[0], target=flow[1], count=match.height, amount=amount)
    if match.height > limit:
        caption += say(view, "flow_first", limit=limit)
    return {
        "flow": list(flow),
        "count": match.height,
        "total": round(total, 2),
        "caption": caption,
        "header": ["#" if c == "row" else roles[c] for c in columns],
        "rows": match.head(limit).select(columns).rows(),
    }


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
    it, and the exits (no money out) in the last tier."""
    if not graph:
        return {}
    sources = [n for n in graph if graph.in_degree(n) == 0] or sorted(graph)[:1]
    distance = nx.multi_source_dijkstra_path_length(graph, sources, weight=lambda u, v, d: 1)
    tier = {n: int(distance.get(n, 1)) for n in graph}
    last = max(tier.values(), default=0)
    for n in graph:
        if graph.out_degree(n) == 0 and graph.in_degree(n) > 0:
            tier[n] = max(last, 1)
    return tier


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
    everything = ledger(path, roles)
    times = everything.select(pl.col("at").min().alias("a"), pl.col("at").max().alias("b"))
    totals = _fold(_totals(until_filter(everything, "at", view.until)), view.fold, view.focus)
    graph = nx.DiGraph()
    for source, target, amount, count in totals.iter_rows():
        graph.add_edge(source, target, amount=amount, count=count)
    names = sorted(graph, key=lambda n: (n == OTHER, n))
    index = {n: i for i, n in enumerate(names)}
    tier = tiers(graph)
    last = max(tier.values(), default=1) or 1
    column: dict[int, list[str]] = {}
    for n in names:
        column.setdefault(tier[n], []).append(n)
    x = [0.001 + 0.998 * tier[n] / last for n in names]
    y = [0.001 + 0.998 * (column[tier[n]].index(n) + 0.5) / len(column[tier[n]]) for n in names]
    on_nodes, on_links = lit(graph, view.focus) if view.focus else (set(graph), set(graph.edges))
    colour = {n: VICTIM if tier[n] == 0 else EXIT if tier[n] == last else MIDDLE for n in names}
    inflow = {n: sum(d["amount"] for *_, d in graph.in_edges(n, data=True)) for n in names}
    outflow = {n: sum(d["amount"] for *_, d in graph.out_edges(n, data=True)) for n in names}
    edges = list(graph.edges(data=True))
    total = sum(
        d["amount"] for n in names if tier[n] == 0 for *_, d in graph.out_edges(n, data=True)
    )
    trace = {
        "type": "sankey",
        "arrangement": "fixed",
        "valueformat": ",.2f",
        "valuesuffix": "" if view.lang == "en" else " 元",
        "node": {
            "label": [stacked(n) for n in names],
            "x": x,
            "y": y,
            "pad": 18,
            "thickness": 22,
            "color": [colour[n] if n in on_nodes else DIM for n in names],
            "customdata": [
                [yuan(inflow[n], view.lang), yuan(outflow[n], view.lang)] for n in names
            ],
            "hovertemplate": f"%{{label}}<br>{say(view, 'node_hover')}<extra></extra>",
        },
        "link": {
            "source": [index[u] for u, _, _ in edges],
            "target": [index[v] for _, v, _ in edges],
            "value": [d["amount"] for *_, d in edges],
            "color": [
                _alpha(colour[u], 0.45) if (u, v) in on_links else "rgba(160,160,160,0.10)"
                for u, v, _ in edges
            ],
            "customdata": [[yuan(d["amount"], view.lang), d["count"]] for *_, d in edges],
            "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata[0]}, "
            f"{say(view, 'flow_hover')}<extra></extra>",
        },
    }
    caption = say(view, "paid_out", amount=yuan(total, view.lang)) + so_far(view)
    return {
        "data": [trace],
        "layout": layout(caption),
        "meta": {
            "nodes": names,
            "links": [[u, v, round(d["amount"], 2), d["count"]] for u, v, d in edges],
            "lit": sorted(on_nodes) if view.focus else [],
            "total": round(total, 2),
            "span": span(list(times.row(0))),
        },
    }


def _alpha(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
