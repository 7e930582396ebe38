"""One figure builder per chart kind (Art. 47(2): crime methods, personnel relationships,
fund flows, behaviour trajectories): plain Python from a CSV to a Plotly figure as JSON-ready
data, the same for every screen and every restart. Nothing here knows of the web."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import formatting
from ..deck import Deck, Exhibit
from . import funds, network, timeline, trajectory
from .basemap import MapRef
from .style import CONFIG

FOLD = 30
"""Accounts of each role (victims, accounts between, exits) a fund-flow chart names before the
rest fold into 其他被害人, 其他 and 其他出口 (the presenter may change it)."""


@dataclass(frozen=True)
class ChartView:
    """What a chart shows now: data up to `until`, `focus` highlighted, `fold` accounts."""

    until: dt.datetime | None = None
    focus: tuple[str, ...] = ()
    fold: int = FOLD
    lang: str = "zh-CN"
    """The language of the chart's captions and hovers (deck text stays as written)."""
    zone: str = formatting.DEFAULT_ZONE
    """The deck's time zone: times are read and written in it (a time without an offset in
    the CSV is in it)."""
    unit: str = formatting.YUAN
    """The unit of the amounts: 万元 where the amount column's name says so."""
    crs: str = "wgs84"
    """A trajectory's coordinate system (crs.CRS)."""
    basemap: MapRef | None = None
    """A trajectory's base map, with the file's identity (so a changed map is drawn again)."""


def read_as(view: ChartView, exhibit: Exhibit, deck: Deck) -> ChartView:
    """The view with the deck's time zone and the unit the exhibit's amount column gives."""
    zone = formatting.zone_key(formatting.deck_zone(deck.case))
    crs, base = trajectory.map_of(exhibit, deck)
    unit = formatting.unit_of(exhibit.column("amount"))
    return replace(view, zone=zone, unit=unit, crs=crs, basemap=base)


Builder = Callable[[Path, dict[str, str], ChartView], dict]
BUILDERS: dict[str, Builder] = {
    "funds": funds.figure,
    "network": network.figure,
    "timeline": timeline.figure,
    "trajectory": trajectory.figure,
}
ROLES: dict[str, tuple[str, ...]] = {
    "funds": ("time", "from", "to", "amount", "channel"),
    "network": ("source", "target", "relation", "weight", "source_role", "target_role"),
    "timeline": ("start", "end", "actor", "event"),
    "trajectory": ("time", "lat", "lon", "label", "place"),
}

_cache: dict[tuple, dict] = {}
_lock = threading.Lock()
KEEP = 64
"""Figures kept in memory: keyed by the file's identity, so an edited file is built again."""


def build(exhibit: Exhibit, deck: Deck, view: ChartView = ChartView()) -> dict:
    """The figure of a chart exhibit as it should look for `view`."""
    kind = exhibit.chart or ""
    view = read_as(view, exhibit, deck)

    def make(path: Path, roles: dict[str, str]) -> dict:
        figure = BUILDERS[kind](path, roles, view)
        return {**figure, "meta": {**figure.get("meta", {}), **clock(view)}, "config": CONFIG}

    return _cached(exhibit, deck, ("figure", view), make)


def clock(view: ChartView) -> dict:
    """What the presenter's time slider needs to show a moment exactly as the screens'
    caption does: the deck's zone, and `until` as the charts read it (ISO 8601 with its
    offset; one written without an offset is in the deck's zone). The presenter's browser
    then never reads a time in its own zone."""
    until = view.until
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=formatting.zone(view.zone))
    return {"zone": view.zone, "until": until.isoformat() if until is not None else None}


LIMIT = 200
"""Transactions of one flow sent to the screens; the count and total are of all of them."""


def transactions(exhibit: Exhibit, deck: Deck, view: ChartView, flow: tuple[str, str]) -> dict:
    """The transactions behind one flow of a fund-flow chart as `view` draws it."""
    view = read_as(view, exhibit, deck)

    def make(path: Path, roles: dict[str, str]) -> dict:
        return funds.transactions(path, roles, view, flow, LIMIT)

    return _cached(exhibit, deck, ("flow", view, flow), make)


def _cached(
    exhibit: Exhibit, deck: Deck, what: tuple, make: Callable[[Path, dict[str, str]], dict]
) -> dict:
    """`make(path, roles)`, kept while the exhibit's file is unchanged."""
    path = deck.display(exhibit, exhibit.data_file or exhibit.files[0])
    stat = os.stat(path)
    columns = tuple(sorted(exhibit.columns.items()))
    key = (str(path), stat.st_size, stat.st_mtime_ns, exhibit.chart, columns, *what)
    with _lock:
        if key in _cache:
            return _cache[key]
    roles = {role: exhibit.column(role) for role in ROLES[exhibit.chart or ""]}
    result = make(path, roles)
    with _lock:
        if len(_cache) >= KEEP:
            _cache.pop(next(iter(_cache)))
        _cache[key] = result
    return result
