"""Personnel relationships (人员关系): people as nodes sized by their links, relations as edge
labels, laid out by networkx with a fixed seed so every screen and restart draws the same."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import polars as pl

from .data import read
from .labels import Labels
from .style import BODY, DIM, PALETTE, layout, plain, say

if TYPE_CHECKING:
    from . import ChartView

SEED = 7
SHOWN = 60
"""People drawn at most: the most connected, and the focused ones with their contacts."""
WIDE = 1.9
"""How much wider than high the people are spread: the picture is wide."""


def spread(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Where each person is drawn: a spring layout with room between people, stretched to
    the wide picture (x in 0..WIDE, y in 0..1)."""
    if not len(g):
        return {}
    raw = nx.spring_layout(g, seed=SEED, k=2.0 / max(1, len(g)) ** 0.5, iterations=200)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        n: (WIDE * (float(p[0]) - min(xs)) / span_x, (float(p[1]) - min(ys)) / span_y)
        for n, p in raw.items()
    }


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
    position = spread(g)
    degree = {n: g.nodes[n]["contacts"] for n in names}
    top = max(degree.values(), default=1)
    size = {n: 18 + 30 * degree[n] / top for n in names}
    # labels kept apart: people first (above their dot, else below), then relations along
    # their line; one without room is left to the hover
    margin = (-0.08, WIDE + 0.08), (-0.1, 1.1)
    labels = Labels(*margin)
    for n in names:
        labels.mark(*position[n], size[n] / 2 + 2)
    placed = {}
    for n in names:
        x, y = position[n]
        lift = size[n] / 2 + BODY * 0.75
        spot = labels.take([(x, y, lift, "center"), (x, y, -lift, "center")], n)
        placed[n] = "top center" if spot == 0 else "bottom center" if spot == 1 else None
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
    named = []
    for u, v in lit:
        relation = plain(g.edges[u, v]["relation"])
        along = [
            (position[u][0] + t * (position[v][0] - position[u][0]),
             position[u][1] + t * (position[v][1] - position[u][1]), 0.0, "center")
            for t in (0.5, 0.38, 0.62, 0.28, 0.72)
        ]  # fmt: skip
        spot = labels.take(along, relation) if relation else None
        if spot is not None:
            named.append((along[spot][0], along[spot][1], relation))
    traces.append({
        "type": "scatter", "mode": "text", "hoverinfo": "skip",
        "x": [x for x, _, _ in named], "y": [y for _, y, _ in named],
        "text": [text for _, _, text in named],
        "textfont": {"size": BODY, "color": "#555555"},
    })  # fmt: skip
    traces.append({
        "type": "scatter", "mode": "markers+text",
        "textposition": [placed[n] or "top center" for n in names],
        "x": [position[n][0] for n in names], "y": [position[n][1] for n in names],
        "text": [plain(n) if placed[n] else "" for n in names],
        "hovertext": [plain(n) for n in names],
        "customdata": [degree[n] for n in names],
        "hovertemplate": f"%{{hovertext}}<br>{say(view, 'contacts_hover')}<extra></extra>",
        "marker": {
            "size": [size[n] for n in names],
            "color": [_colour(n, focus, near) for n in names],
            "line": {"width": 2, "color": "#ffffff"},
        },
        "textfont": {"size": BODY},
    })  # fmt: skip
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
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
            xaxis={**axis, "range": list(margin[0])},
            yaxis={**axis, "range": list(margin[1])},
        ),
        "meta": {
            "nodes": names,
            "positions": {n: [round(float(c), 6) for c in position[n]] for n in names},
            "degree": degree,
            "lit": sorted(near) if focus else [],
        },
    }
