"""The case's evidence chain (证据链): which evidence supports each fact to be proved, from
how many independent origins, and which facts rest on one origin alone (孤证).

One analysis for everything that judges support: `check`'s 孤证 warning and the case matrix
read the same `Support`, so the two never disagree. Nothing here knows of the web.

What supports a fact: every item that shows it (`[[shows]]`), and every piece of evidence
(an item or other evidence) that an item names in a `[[corroborates]]` for that fact, or
without a `fact` when the naming item shows it. An excluded item (Art. 44) supports nothing.

Independent origins: items taken from the same original medium (same `medium.serial`) or
from the same holder count once, transitively. Each piece of other evidence is an origin of
its own. A fact is 孤证 when its support has at most one origin, or when it is supported by
confessions alone (a defendant's confession and nothing else proves nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Corroboration, Evidence, Exhibit, Fact


@dataclass(frozen=True)
class Origin:
    """Evidence that counts as one source: items sharing a medium or a holder, or one piece
    of other evidence. `shared` says what joined the items ("serial" / "holder"), if any."""

    members: tuple[str, ...]
    shared: tuple[str, ...] = ()
    confession: bool = False


@dataclass(frozen=True)
class Support:
    """Everything that supports one fact, and the verdict on it."""

    fact: Fact
    items: tuple[str, ...]
    """The items that show or corroborate the fact, in deck order."""
    evidence: tuple[str, ...]
    """The other evidence corroborating it, in deck order."""
    origins: tuple[Origin, ...]

    @property
    def shown(self) -> bool:
        return bool(self.items or self.evidence)

    @property
    def confession_only(self) -> bool:
        return bool(self.origins) and all(o.confession for o in self.origins)

    @property
    def lone(self) -> bool:
        """孤证: shown, but by one origin, or by confessions alone."""
        return self.shown and (len(self.origins) <= 1 or self.confession_only)


def analyse(
    facts: Sequence[Fact], evidence: Sequence[Evidence], exhibits: Sequence[Exhibit]
) -> tuple[Support, ...]:
    """The support of every fact, in the deck's order of facts."""
    usable = [e for e in exhibits if not e.excluded]
    result = []
    for fact in facts:
        named = {e.id for e in usable if shows(e, fact.id)}
        named |= {link.with_ for e in usable for link in bearing(e, fact.id)}
        items = [e for e in usable if e.id in named]
        cited = [e for e in evidence if e.id in named]
        origins = [*_item_origins(items), *(_evidence_origin(e) for e in cited)]
        result.append(
            Support(
                fact,
                tuple(e.id for e in items),
                tuple(e.id for e in cited),
                tuple(origins),
            )
        )
    return tuple(result)


def shows(exhibit: Exhibit, fact_id: str) -> bool:
    return any(s.fact == fact_id for s in exhibit.shows)


def bearing(exhibit: Exhibit, fact_id: str) -> list[Corroboration]:
    """The exhibit's corroborations that bear on a fact: those naming it, and those naming
    no fact when the exhibit shows it."""
    return [
        link
        for link in exhibit.corroborates
        if link.fact == fact_id or (link.fact is None and shows(exhibit, fact_id))
    ]


def _evidence_origin(evidence: Evidence) -> Origin:
    return Origin((evidence.id,), confession=evidence.kind == "confession")


def _item_origins(items: Iterable[Exhibit]) -> list[Origin]:
    """Items joined when they share a medium serial or a holder (union-find, deck order)."""
    items = list(items)
    parent = list(range(len(items)))
    shared: dict[int, set[str]] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(items):
        for kind, value in _keys(item):
            if (kind, value) in seen:
                a, b = root(seen[(kind, value)]), root(i)
                if a != b:
                    parent[b] = a
                    shared.setdefault(a, set()).update(shared.pop(b, set()))
                shared.setdefault(a, set()).add(kind)
            else:
                seen[(kind, value)] = i
    groups: dict[int, list[str]] = {}
    for i, item in enumerate(items):
        groups.setdefault(root(i), []).append(item.id)
    return [Origin(tuple(ids), tuple(sorted(shared.get(r, ())))) for r, ids in groups.items()]


def _keys(item: Exhibit) -> list[tuple[str, str]]:
    keys = []
    medium = item.source.medium
    if medium is not None and medium.serial.strip():
        keys.append(("serial", medium.serial.strip().casefold()))
    if item.source.holder.strip():
        keys.append(("holder", " ".join(item.source.holder.split())))
    return keys
