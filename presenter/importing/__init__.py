"""`python app.py import decks/ID --from PATH`: a deck made, or extended, from what a forensic
tool or an export tool wrote.

The source is recognised by its content: a UFDR (a zip holding report.xml), CASE/UCO JSON-LD,
a WeChat/QQ chat export (CSV, HTML or TXT), or with `--mapping` any CSV/XLSX. Each importer
turns its source into items (`writer.Item`); the one writer puts them into the deck.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path

from .. import i18n
from ..i18n.importing import IMPORT_WORDS
from . import case, chats, sheet, ufdr
from .writer import (
    Imported,
    ImportFailure,
    Progress,
    Written,
    deck_timezone,
    stat_record,
    write,
)

__all__ = ["ImportFailure", "Imported", "Written", "detect", "import_into"]

EXPORT_SUFFIXES = (".csv", ".html", ".htm", ".txt")


def detect(path: Path, mapping: Path | None) -> str:
    """ "ufdr", "case", "chat-csv", "chat-html", "chat-txt" or "sheet"; "" when unknown."""
    if mapping is not None:
        return "sheet"
    if ufdr.is_ufdr(path):
        return "ufdr"
    if case.is_case(path):
        return "case"
    form = chats.sniff(path)
    return f"chat-{form}" if form else ""


def find_export(folder: Path) -> Path | None:
    """The one export file at the top of a folder (a chat export and its attachments)."""
    found = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and detect(p, None)
    ]
    return found[0] if len(found) == 1 else None


def import_into(
    deck_dir: Path,
    source: Path,
    language: str = "zh-CN",
    mapping: Path | None = None,
    progress: Callable[[int], Progress] | None = None,
    deck_lock: AbstractContextManager | None = None,
) -> Written:
    """Import `source` into the deck at `deck_dir` (made when it does not exist).

    `progress(total_bytes)` gives the callback fed with (bytes copied, total); `deck_lock`
    is held while deck.toml is extended (writer.write)."""
    words = i18n.pick_all(IMPORT_WORDS, language)
    if not source.exists():
        raise ImportFailure(words["no_source"].format(path=source))
    tz = deck_timezone(Path(deck_dir))
    # the originals' times as their file system keeps them, before any is read
    looked = [p for p in source.iterdir() if p.is_file()] if source.is_dir() else [source]
    before = {p: stat_record(p, tz) for p in looked}
    if source.is_dir():
        found = find_export(source)
        if found is None:
            raise ImportFailure(words["no_export_in"].format(path=source))
        source = found
    kind = detect(source, mapping)
    if not kind:
        raise ImportFailure(words["unknown"].format(path=source))
    with ExitStack() as stack:
        if kind == "ufdr":
            imported = ufdr.import_ufdr(source, tz, language, stack)
        elif kind == "case":
            imported = case.import_case(source, tz, language)
        elif kind == "sheet":
            imported = sheet.import_sheet(source, mapping, before[source], language)  # type: ignore[arg-type]
        else:
            form = kind.removeprefix("chat-")
            imported = chats.import_chat(source, form, tz, before[source], language)
        return write(Path(deck_dir), imported, language, progress, deck_lock)
