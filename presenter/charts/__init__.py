"""One figure builder per chart kind (Art. 47(2): crime methods, personnel relationships,
fund flows, behaviour trajectories): plain Python from a CSV to a Plotly figure as JSON-ready
data, the same for every screen and every restart. Nothing here knows of the web."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..deck import Deck, Exhibit
from . import funds, network, timeline, trajectory
from .style import CONFIG

FOLD = 30
"""Accounts a fund-flow chart names before the rest fold into 其他 (the presenter may change)."""


@dataclass(frozen=True)
class ChartView:
    """What a chart shows now: data up to `until`, `focus` highlighted, `fold` accounts."""

    until: dt.datetime | None = None
    focus: tuple[str, ...] = ()
    fold: int = FOLD


Builder = Callable[[Path, dict[str, str], ChartView], dict]
BUILDERS: dict[str, Builder] = {
    "funds": funds.figure,
    "network": network.figure,
    "timeline": timeline.figure,
    "trajectory": trajectory.figure,
}
ROLES: dict[str, tuple[str, ...]] = {
    "funds": ("time", "from", "to", "amount", "channel"),
    "network": ("source", "target", "relation", "weight"),
    "timeline": ("start", "end", "actor", "event"),
    "trajectory": ("time", "lat", "lon", "label", "place"),
}

_cache: dict[tuple, dict] = {}
_lock = threading.Lock()
KEEP = 64
"""Figures kept in memory: keyed by the file's identity, so an edited file is built again."""


def build(exhibit: Exhibit, deck: Deck, view: ChartView = ChartView()) -> dict:
    """The figure of a chart exhibit as it should look for `view`."""
    path = deck.root / exhibit.files[0]
    stat = os.stat(path)
    key = (str(path), stat.st_size, stat.st_mtime_ns, exhibit.chart, view)
    with _lock:
        if key in _cache:
            return _cache[key]
    kind = exhibit.chart or ""
    roles = {role: exhibit.column(role) for role in ROLES[kind]}
    figure = {**BUILDERS[kind](path, roles, view), "config": CONFIG}
    with _lock:
        if len(_cache) >= KEEP:
            _cache.pop(next(iter(_cache)))
        _cache[key] = figure
    return figure
