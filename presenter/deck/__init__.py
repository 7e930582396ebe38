"""The deck model: loading and checking a deck folder (DECK-FORMAT v1). Nothing of the web."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..integrity import HashCache
from ..originals import Store
from . import checks
from .loader import DECK_ID, DeckToml, Located, item_paths, read_deck_file, read_item
from .model import (
    Case,
    Challenge,
    Change,
    Corroboration,
    Deck,
    Defect,
    Evidence,
    Exhibit,
    Fact,
    Medium,
    RecordedHash,
    Review,
    Shows,
    Source,
    Step,
)
from .problems import Problem, summary, waiting_for_blanks

__all__ = [
    "Case",
    "Challenge",
    "Change",
    "Corroboration",
    "Deck",
    "DeckReport",
    "Defect",
    "Evidence",
    "Exhibit",
    "Fact",
    "Medium",
    "Problem",
    "RecordedHash",
    "Review",
    "Shows",
    "Source",
    "Step",
    "load_deck",
    "summary",
]


HASH_MISMATCH = "hash_mismatch"


@dataclass(frozen=True)
class DeckReport:
    """What loading a deck gave: the deck, and every problem found.

    The deck is there when its only errors are files that fail their recorded hash: those
    exhibits are `unverified`, to be kept off court screens unless the presenter confirms
    (Art. 44), rather than stopping the whole presentation.
    """

    deck: Deck | None
    problems: tuple[Problem, ...]
    unverified: frozenset[str] = frozenset()
    displays: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    """The display copies made, even when the deck did not load (the editor shows an item's
    files while other items still have blanks)."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)


def load_deck(
    root: str | Path,
    *,
    hash_cache: HashCache | None = None,
    verify_hashes: bool = True,
    progress: checks.ProgressFactory | None = None,
    store: Store | None = None,
) -> DeckReport:
    """Load and check a deck folder, reporting every problem in one run.

    Recorded hashes are verified against the files unless `verify_hashes` is false; with a
    `hash_cache`, files unchanged since their last verification are not read again.
    Display copies of originals no view shows as they are go to `store` (the instance's), or
    to a folder under the system's temporary folder.
    """
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        return DeckReport(None, (Problem("error", str(root), "deck_dir_missing"),))
    if not DECK_ID.match(root.resolve().name):
        problems.append(
            Problem("error", "deck.toml", "bad_deck_id", params={"name": root.resolve().name})
        )
    if not (root / "deck.toml").is_file():
        problems.append(Problem("error", "deck.toml", "deck_toml_missing"))
        toml = DeckToml(Located("deck.toml"), None, None)
    else:
        toml = read_deck_file(root, problems)
    deck_file = toml.deck
    paths = item_paths(root)
    if not paths:
        problems.append(Problem("error", "items/", "no_items"))
    items = [read_item(root, path, problems) for path in paths]
    ctx = checks.Context(root, toml, items, problems, hash_cache, verify_hashes, progress, store)
    checks.check_deck_file(ctx)
    for item in items:
        checks.check_item(ctx, item)
    checks.check_facts(ctx)
    ordered = waiting_for_blanks(_in_file_order(problems, ["deck.toml", *paths]))
    if any(p.is_error and p.code != HASH_MISMATCH for p in ordered) or deck_file is None:
        return DeckReport(None, ordered, displays=dict(ctx.copies))
    by_path = {i.where.path: i.exhibit.id for i in items if i.exhibit is not None}
    unverified = frozenset(by_path[p.path] for p in ordered if p.code == HASH_MISMATCH)
    exhibits = {i.exhibit.id: i.exhibit for i in items if i.exhibit is not None}
    order = deck_file.order or [i.exhibit.id for i in items if i.exhibit is not None]
    deck = Deck(
        id=root.resolve().name,
        root=root.resolve(),
        case=deck_file.case,
        facts=deck_file.facts,
        evidence=deck_file.evidence,
        exhibits=tuple(exhibits[i] for i in order),
        displays=dict(ctx.copies),
    )
    return DeckReport(deck, ordered, unverified, dict(ctx.copies))


def _in_file_order(problems: list[Problem], paths: list[str]) -> tuple[Problem, ...]:
    rank = {path: i for i, path in enumerate(paths)}
    return tuple(sorted(problems, key=lambda p: (rank.get(p.path, -1), p.line or 0)))
