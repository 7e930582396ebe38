"""Personnel relationships (人员关系): people as nodes sized by their links, relations as edge
labels, laid out by networkx with a fixed seed so every screen and restart draws the same."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import polars as pl

from .data import read
from .style import DIM, PALETTE, layout, plain, say

if TYPE_CHECKING:
    from . import ChartView

SEED = 7
SHOWN = 60
"""People drawn at most: the most connected, and the focused ones with their contacts."""


def graph(path: Path, roles: dict[str, str], focus: tuple[str, ...] = ()) -> tuple[nx.Graph, int]:
    """The relations among the people drawn (each pair once: its first relation named, its
    weights summed), each person with their number of contacts in the whole file; and how
    many people the file names."""
    frame = read(path, roles)
    if "relation" not in frame.columns:
        frame = frame.with_columns(pl.lit("").alias("relation"))
    if "weight" not in frame.columns:
        frame = frame.with_columns(pl.lit("1").alias("weight"))
    pairs = (
        frame.drop_nulls(["source", "target"])
        .filter(pl.col("source") != pl.col("target"))
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
    degree = (
        pl.concat([pairs.select(pl.col("a").alias("n")), pairs.select(pl.col("b").alias("n"))])
        .group_by("n")
        .len()
        .sort(["len", "n"], descending=[True, False])
    )
    contacts = dict(degree.iter_rows())
    kept = set(degree["n"].head(SHOWN).to_list())
    for f in (f for f in focus if f in contacts):
        near = pairs.filter((pl.col("a") == f) | (pl.col("b") == f))
        kept |= {f, *near["a"].to_list(), *near["b"].to_list()}
    g = nx.Graph()
    g.add_nodes_from((n, {"contacts": contacts[n]}) for n in sorted(kept))
    shown = pairs.filter(pl.col("a").is_in(kept) & pl.col("b").is_in(kept))
    for a, b, relation, weight in shown.iter_rows():
        g.add_edge(a, b, relation=relation, weight=weight)
    return g, len(contacts)


def _colour(name: str, focus: set[str], near: set[str]) -> str:
    return PALETTE[1] if name in focus else PALETTE[0] if name in near else DIM


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    g, people = graph(path, roles, view.focus)
    names = sorted(g)
    position = nx.spring_layout(g, seed=SEED, k=1.2 / max(1, len(g)) ** 0.5)
    degree = {n: g.nodes[n]["contacts"] for n in names}
    top = max(degree.values(), default=1)
    focus = {f for f in view.focus if f in g}
    near = focus | {n for f in focus for n in g.neighbors(f)} if focus else set(g)
    edges = sorted(tuple(sorted(e)) for e in g.edges)
    lit = [e for e in edges if not focus or focus & set(e)]
    traces: list[dict] = []
    for on in (False, True):  # dimmed edges first, so the lit ones are drawn over them
        xs: list[float | None] = []
        ys: list[float | None] = []
        for u, v in (e for e in edges if (e in lit) == on):
            xs += [position[u][0], position[v][0], None]
            ys += [position[u][1], position[v][1], None]
        traces.append({
            "type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip",
            "line": {"width": 2.5 if on else 1.5, "color": PALETTE[0] if on else DIM},
        })  # fmt: skip
    traces.append({
        "type": "scatter", "mode": "text", "hoverinfo": "skip",
        "x": [(position[u][0] + position[v][0]) / 2 for u, v in lit],
        "y": [(position[u][1] + position[v][1]) / 2 for u, v in lit],
        "text": [plain(g.edges[u, v]["relation"]) for u, v in lit],
        "textfont": {"size": 15, "color": "#555555"},
    })  # fmt: skip
    traces.append({
        "type": "scatter", "mode": "markers+text", "textposition": "top center",
        "x": [position[n][0] for n in names], "y": [position[n][1] for n in names],
        "text": [plain(n) for n in names],
        "customdata": [degree[n] for n in names],
        "hovertemplate": f"%{{text}}<br>{say(view, 'contacts_hover')}<extra></extra>",
        "marker": {
            "size": [18 + 30 * degree[n] / top for n in names],
            "color": [_colour(n, focus, near) for n in names],
            "line": {"width": 2, "color": "#ffffff"},
        },
        "textfont": {"size": 20},
    })  # fmt: skip
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    return {
        "data": traces,
        "layout": layout(
            (
                say(view, "people", shown=len(g))
                if people <= len(g)
                else say(view, "people_most", shown=len(g), total=people)
            )
            + say(view, "relations", count=g.number_of_edges()),
            showlegend=False,
            xaxis=axis,
            yaxis={**axis, "scaleanchor": "x"},
        ),
        "meta": {
            "nodes": names,
            "positions": {n: [round(float(c), 6) for c in position[n]] for n in names},
            "degree": degree,
            "lit": sorted(near) if focus else [],
        },
    }
