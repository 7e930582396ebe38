"""The case's fact–evidence matrix (证据链): facts in rows with their element, the items and
the other evidence in columns, each cell the aspect shown and the corroborations named.

One builder for two audiences: the court screens see the items they may be shown and nothing
else; the presenter sees every item, the independent origins of each fact and its 孤证 flag
(from `deck.chain`, the analysis `check` uses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..deck import Deck
from ..deck.chain import Support, analyse, bearing


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
        # (naming item, named evidence) for the corroborations bearing on the fact, between
        # columns this audience has
        links = [
            (e.id, link.with_)
            for e in items
            for link in bearing(e, fact)
            if link.with_ in shown
        ]  # fmt: skip
        cells = [
            Cell(
                tuple(s.aspect for s in e.shows if s.fact == fact),
                tuple(b for a, b in links if a == e.id),
                tuple(a for a, b in links if b == e.id),
                (e.id, "facts"),
            )
            for e in items
        ]
        for other in deck.evidence:
            named_by = tuple(a for a, b in links if b == other.id)
            cells.append(
                Cell((), (), named_by, (named_by[0], "corroboration") if named_by else None)
            )
        rows.append(Row(support, tuple(cells)))
    return {"columns": columns, "rows": rows, "presenter": presenter}
