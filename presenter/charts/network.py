"""Personnel relationships (人员关系): people as nodes sized by their links, relations as edge
labels, laid out by networkx with a fixed seed so every screen and restart draws the same."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from .data import read
from .style import DIM, PALETTE, layout, plain

if TYPE_CHECKING:
    from . import ChartView

SEED = 7


def graph(path: Path, roles: dict[str, str]) -> nx.Graph:
    frame = read(path, roles)
    g = nx.Graph()
    for row in frame.iter_rows(named=True):
        weight = row.get("weight")
        try:
            w = float(weight) if weight else 1.0
        except ValueError:
            w = 1.0
        g.add_edge(row["source"], row["target"], relation=row.get("relation") or "", weight=w)
    return g


def _colour(name: str, focus: set[str], near: set[str]) -> str:
    return PALETTE[1] if name in focus else PALETTE[0] if name in near else DIM


def figure(path: Path, roles: dict[str, str], view: ChartView) -> dict:
    g = graph(path, roles)
    names = sorted(g)
    position = nx.spring_layout(g, seed=SEED, k=1.2 / max(1, len(g)) ** 0.5)
    degree = dict(g.degree())
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
        "hovertemplate": "%{text}<br>关联 %{customdata} 人<extra></extra>",
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
            f"{len(g)} 人 · {g.number_of_edges()} 条关系",
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
