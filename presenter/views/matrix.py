"""The case's fact–evidence matrix (证据链): facts in rows with their element, the items and
the other evidence in columns, each cell the aspect shown and the corroborations named.

One builder for two audiences: the court screens see the items they may be shown and nothing
else; the presenter sees every item, the independent origins of each fact and its 孤证 flag
(from `deck.chain`, the analysis `check` uses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..deck import Deck, Exhibit
from ..deck.chain import Support, analyse


@dataclass(frozen=True)
class Column:
    id: str
    title: str
    item: bool
    """An item of the deck (else other evidence)."""
    excluded: bool = False


@dataclass(frozen=True)
class Cell:
    """What one piece of evidence says on one fact: the aspects it shows, the evidence it
    names for the fact, the items that name it; `go` is where a click takes the presenter:
    an item and a panel."""

    aspects: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    named_by: tuple[str, ...] = ()
    go: tuple[str, str] | None = None

    def __bool__(self) -> bool:
        return bool(self.aspects or self.names or self.named_by)


@dataclass(frozen=True)
class Row:
    support: Support
    cells: tuple[Cell, ...]


def matrix(deck: Deck, *, presenter: bool, may_show: Callable[[str], bool]) -> dict:
    """The template's context: `columns`, `rows` and, for the presenter, the analysis."""
    items = [e for e in deck.exhibits if presenter or may_show(e.id)]
    columns = [Column(e.id, e.title, True, e.excluded) for e in items] + [
        Column(e.id, e.title, False) for e in deck.evidence
    ]
    shown = {c.id for c in columns}
    rows = []
    for support in analyse(deck.facts, deck.evidence, deck.exhibits):
        fact = support.fact.id
        links = _links(deck.exhibits, fact, shown)
        cells = []
        for column in columns:
            named_by = tuple(a for a, b in links if b == column.id)
            if column.item:
                exhibit = deck.exhibit(column.id)
                assert exhibit is not None
                aspects = tuple(s.aspect for s in exhibit.shows if s.fact == fact)
                names = tuple(b for a, b in links if a == column.id)
                cells.append(Cell(aspects, names, named_by, (column.id, "facts")))
            else:
                go = (named_by[0], "corroboration") if named_by else None
                cells.append(Cell((), (), named_by, go))
        rows.append(Row(support, tuple(cells)))
    return {"columns": columns, "rows": rows, "presenter": presenter}


def _links(exhibits: tuple[Exhibit, ...], fact: str, shown: set[str]) -> list[tuple[str, str]]:
    """(naming item, named evidence) for the corroborations that bear on `fact`, between
    columns the audience has."""
    return [
        (e.id, link.with_)
        for e in exhibits
        for link in e.corroborates
        if (link.fact == fact or (link.fact is None and any(s.fact == fact for s in e.shows)))
        and e.id in shown
        and link.with_ in shown
    ]
