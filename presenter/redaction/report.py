"""`check --redactions`: the numbers detection found in a deck's pictures and pages, each with
its decision, and the decisions given on the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..deck import Deck
from ..i18n import STRINGS, pick
from ..i18n.redaction import REDACTION_WORDS
from .decisions import FILE, Decisions
from .detect import Proposal, detect_deck, reading, shown_pictures

Bar = Callable[[str, int], Callable[[int, int], None]]
"""Makes a progress bar of a label and a length, fed (done, total)."""
STEPS = 1000


def redactions_report(
    folder: Path,
    deck: Deck,
    lang: str,
    confirmed: Iterable[str] = (),
    dismissed: Iterable[str] = (),
    confirm_all: bool = False,
    bar: Bar | None = None,
) -> list[str]:
    """Read what is not read yet (a bar for each file, when `bar` makes them), record the
    decisions asked for, and say what was found and decided."""
    detect_deck(folder, deck, _Bars(bar, lang) if bar is not None else None)
    told = decide(folder, deck, confirmed, dismissed, confirm_all, lang)
    return told + describe(folder, deck, lang)


class _Bars:
    """Detection's progress as a bar for each file read."""

    def __init__(self, bar: Bar, lang: str) -> None:
        self.bar, self.lang = bar, lang
        self.shown: dict[str, Callable[[int, int], None]] = {}

    def __call__(self, name: str, fraction: float) -> None:
        if name not in self.shown:
            self.shown[name] = self.bar(f"{name} → {words('reading', self.lang)}", STEPS)
        self.shown[name](round(fraction * STEPS), STEPS)


def words(key: str, lang: str, **values: object) -> str:
    return pick(REDACTION_WORDS[key], lang).format(**values)


def found(folder: Path, deck: Deck) -> list[tuple[str, Proposal]]:
    """Every proposal of the deck once, with the first exhibit that shows its file."""
    listed: dict[str, tuple[str, Proposal]] = {}
    for exhibit, name in shown_pictures(deck):
        kept = reading(folder, deck, exhibit, name)
        for proposal in kept.proposals if kept is not None else ():
            listed.setdefault(proposal.id, (exhibit.id, proposal))
    return list(listed.values())


def decide(
    folder: Path,
    deck: Deck,
    confirmed: Iterable[str],
    dismissed: Iterable[str],
    confirm_all: bool,
    lang: str,
) -> list[str]:
    """Record the decisions asked for (`confirm_all`: every proposal not yet decided, after
    the others); what could not be done, in words."""
    decisions = Decisions(folder / FILE)
    known = {proposal.id for _, proposal in found(folder, deck)}
    told = []
    for value, ids in (("confirmed", confirmed), ("dismissed", dismissed)):
        for ident in ids:
            if ident.lower() in known:
                decisions.set(ident.lower(), value)
            else:
                told.append(words("unknown", lang, id=ident))
    if confirm_all:
        decided = decisions.all()
        for ident in sorted(known - decided.keys()):
            decisions.set(ident, "confirmed")
    return told


def describe(folder: Path, deck: Deck, lang: str) -> list[str]:
    """A line for each number found (item, file, page, kind, masked number, id, decision),
    a line for each file not read whole, and the count."""
    decided = Decisions(folder / FILE).all()
    lines = []
    listed = found(folder, deck)
    for item, proposal in listed:
        where = [item, proposal.file]
        if proposal.file.lower().endswith(".pdf"):
            where.append(words("page", lang, page=proposal.page))
        kind = pick(STRINGS[f"redact.kind.{proposal.kind}"], lang)
        status = words(decided.get(proposal.id, "pending"), lang)
        lines.append("  ".join([*where, kind, proposal.masked, proposal.id, status]))
    for exhibit, name in shown_pictures(deck):
        kept = reading(folder, deck, exhibit, name)
        if kept is None or kept.complete:
            continue
        if kept.read:
            pages = {"read": len(kept.read), "pages": kept.pages}
            lines.append(words("partly", lang, item=exhibit.id, file=name, **pages))
        else:
            why = pick(kept.failed, lang) if kept.failed else "?"
            lines.append(words("unread", lang, item=exhibit.id, file=name, why=why))
    waiting = sum(1 for _, p in listed if p.id not in decided)
    lines.append(words("summary", lang, total=len(listed), waiting=waiting))
    return lines
