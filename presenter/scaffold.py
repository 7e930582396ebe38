"""A new deck from a folder of evidence: one exhibit per file, or per sub-folder.

Every file is copied into the deck and hashed (SHA-256 and MD5) in the same read. The view
is guessed from the file's content, not its name. What each file says of itself is recorded
once, as `[[source.file]]`: its times as the original's file system keeps them, and for a
picture that is itself the exhibit its EXIF (when taken, the camera, where). A camera is
never taken for the original storage medium, and a picture inside a chat export says
nothing of the phone it was found on. Whatever only a person can know (the Art. 27 category,
how and by whom it was collected, the facts it shows) is written as `TODO`, which `check`
reports with its file and key until filled in. The deck is built beside its destination and
moved there whole: an existing deck is never touched, and a failed run leaves nothing behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import i18n
from .deck.loader import DECK_ID
from .i18n.scaffold import SCAFFOLD_WORDS
from .importing.chats import chat_columns, decode
from .importing.guess import SNIFF_BYTES, exif_record, mime_of, view_of
from .importing.writer import (
    ORIGIN_EXIF,
    ORIGIN_FILESYSTEM,
    Imported,
    ImportFailure,
    Item,
    Payload,
    Progress,
    deck_timezone,
    on_disk,
    stat_record,
    write,
)

ALGORITHMS = ("sha256", "md5")


class ScaffoldError(Exception):
    """Something the user can fix: the message says what and where."""


@dataclass(frozen=True)
class Scaffolded:
    deck: Path
    exhibits: tuple[Item, ...]
    skipped: tuple[str, ...]


def scaffold(
    deck_dir: Path,
    evidence: Path,
    progress: Callable[[int], Progress] | None = None,
    language: str = "zh-CN",
) -> Scaffolded:
    """Write a new deck at `deck_dir` from the folder `evidence`.

    `progress(total_bytes)` gives the callback fed with (bytes copied, total) as files are
    copied and hashed.
    """
    deck_dir = Path(deck_dir)
    if not DECK_ID.match(deck_dir.name):
        raise ScaffoldError(
            i18n.pick(SCAFFOLD_WORDS["bad_id"], language).format(name=deck_dir.name)
        )
    if deck_dir.exists() and (not deck_dir.is_dir() or any(deck_dir.iterdir())):
        raise ScaffoldError(i18n.pick(SCAFFOLD_WORDS["exists"], language).format(path=deck_dir))
    if not evidence.is_dir():
        raise ScaffoldError(i18n.pick(SCAFFOLD_WORDS["no_folder"], language).format(path=evidence))
    planned, skipped = plan(evidence, deck_timezone(deck_dir))
    if not planned:
        raise ScaffoldError(i18n.pick(SCAFFOLD_WORDS["empty"], language).format(path=evidence))
    imported = Imported(evidence.name, planned, deck_paths=True)
    try:
        write(deck_dir, imported, language, progress)
    except ImportFailure as error:
        raise ScaffoldError(str(error)) from None
    return Scaffolded(deck_dir, tuple(planned), tuple(skipped))


def plan(evidence: Path, tz: dt.tzinfo) -> tuple[list[Item], list[str]]:
    """The exhibits the folder's entries make, by name; and the hidden entries left out."""
    planned: list[Item] = []
    skipped: list[str] = []
    for entry in sorted(evidence.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            skipped.append(entry.name)
            continue
        if entry.is_dir():
            members = [
                p
                for p in sorted(entry.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(entry).parts)
            ]
            if not members:
                skipped.append(entry.name + "/")
                continue
            title = entry.name
        elif entry.is_file():
            members, title = [entry], entry.stem
        else:
            skipped.append(entry.name)
            continue
        planned.append(_exhibit(title, [_examine(p, evidence, tz) for p in members], tz))
    return planned, skipped


@dataclass
class _Examined:
    payload: Payload
    path: Path
    mime: str
    view: str | None


def _examine(path: Path, evidence: Path, tz: dt.tzinfo) -> _Examined:
    record = stat_record(path, tz)  # before the file is read: reading may change its atime
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    mime = mime_of(head)
    deck_path = f"files/{path.relative_to(evidence).as_posix()}"
    payload = Payload(deck_path, on_disk(path), path.stat().st_size, record, path=path)
    return _Examined(payload, path, mime, view_of(mime, path.name))


_MANY = frozenset({"image", "document", "audio", "video", "code"})
"""Views that take several files of their kind (one exhibit of a folder of them)."""


def _exhibit(title: str, files: list[_Examined], tz: dt.tzinfo) -> Item:
    carried = [f for f in files if f.view is None]  # a forensic image, an archive: not shown
    shown = [f for f in files if f.view is not None]
    if not shown:
        item = Item(title=title, view="markdown", files=[f.payload for f in files])
        item.body = i18n.pick(SCAFFOLD_WORDS["carried_body"], "zh-CN")
        return item
    item = _shown_exhibit(title, shown, tz)
    item.files += [f.payload for f in carried]
    return item


def _shown_exhibit(title: str, files: list[_Examined], tz: dt.tzinfo) -> Item:
    views = {f.view for f in files}
    csvs = [f for f in files if f.path.name.lower().endswith(".csv") and f.view == "table"]
    chat = _chat_columns(csvs[0].path) if len(csvs) == 1 else None
    item = Item(title=title, view=None, files=[])
    if chat is not None:
        item.view, item.columns = "chat", chat
        files = csvs + [f for f in files if f is not csvs[0]]
    elif len(views) == 1 and None not in views and (len(files) == 1 or views <= _MANY):
        item.view = views.pop()
    elif all(f.view == "code" or f.mime.startswith("image/") for f in files) and any(
        f.view == "code" for f in files
    ):
        # a website dump: its pages and scripts, with their images
        pages = sorted(
            (f for f in files if f.view == "code"),
            key=lambda f: (not f.path.name.lower().endswith((".html", ".htm")), f.payload.name),
        )
        item.view = "code"
        files = pages + [f for f in files if f not in pages]
    else:
        item.why_no_view = ", ".join(sorted({f.mime for f in files}))
    for f in files:
        if item.view == "image" and f.mime.startswith("image/"):
            # only a picture that is itself the exhibit speaks of its camera and place
            exif = exif_record(f.path, tz)
            if exif:
                f.payload.record = {
                    **(f.payload.record or {}),
                    **exif,
                    "origin": f"{ORIGIN_FILESYSTEM}、{ORIGIN_EXIF}",
                }
        item.files.append(f.payload)
    return item


def _chat_columns(path: Path) -> dict[str, str] | None:
    """The chat column mapping when the CSV's header names a time, a sender and a text."""
    try:
        with path.open("rb") as stream:
            head = decode(stream.read(SNIFF_BYTES))
    except OSError:
        return None
    try:
        header = next(csv.reader(io.StringIO(head)), [])
    except csv.Error:
        return None
    return chat_columns(header)
