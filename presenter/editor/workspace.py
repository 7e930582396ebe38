"""What the editor does with a deck, as plain Python: read it whole for the page, make a
person's edits on the files, add evidence, and check the result as `check` does.

Every write names the version of the file it was made on: a file changed on disk since
(by hand, or in another editor) is not overwritten; the person is shown both and chooses.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .. import integrity
from ..deck import load_deck, toml_lines
from ..deck.loader import split_item
from ..deck.problems import Problem
from ..formatting import DEFAULT_ZONE, zone
from ..importing.writer import Imported, ImportFailure, deck_timezone, write
from . import document
from .document import Edit, EditRefused
from .store import Conflict, Refused, Store, Versioned

_E_NUMBER = re.compile(r"^E(\d+)$", re.IGNORECASE)
_UPLOAD_PART = re.compile(r"^[^\x00-\x1f/\\:*?\"<>|]{1,200}\Z")
CHUNK = 1 << 20
SPARE = 256 << 20
"""Bytes of disk left free beside an upload and its copy into the deck."""


@dataclass
class Job:
    """Evidence being added: bytes copied and hashed so far, then what came of it."""

    total: int = 0
    done: int = 0
    finished: bool = False
    added: list[str] = field(default_factory=list)
    error: str = ""
    notes: list[str] = field(default_factory=list)


class Workspace:
    """The decks under one folder, for one editor."""

    def __init__(self, store: Store, instance: Path) -> None:
        from .preview import Previews

        self.store = store
        self.instance = Path(instance)
        self.previews = Previews(self.instance)
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._hashes = integrity.HashCache(self.instance / "hash-cache.sqlite3")
        self.displays: dict[str, Any] = {}
        """The display copies the last check of each deck made (a GBK table read as UTF-8)."""
        self.mismatched: dict[str, set[str]] = {}
        self.failing: dict[str, set[str]] = {}
        """The files with errors at the last check: a court screen would show none of them."""
        """The items whose files failed their recorded hash at the last check."""

    # --- reading -------------------------------------------------------------------------

    def decks(self) -> list[dict[str, Any]]:
        out = []
        for deck_id in self.store.decks():
            try:
                data, _ = toml_lines.parse(self.store.read(deck_id, "deck.toml").text)
            except Refused:
                continue
            case = (data or {}).get("case") or {}
            title = case.get("title") if isinstance(case, dict) else None
            out.append({"id": deck_id, "title": title if isinstance(title, str) else ""})
        return out

    def zone(self, deck_id: str) -> dt.tzinfo:
        return deck_timezone(self.store.deck_dir(deck_id))

    def overview(self, deck_id: str, language: str) -> dict[str, Any]:
        """Everything the editor's page shows of a deck: each text file with its version and
        what it holds, the deck's files, and the check's findings."""
        folder = self.store.deck_dir(deck_id)
        tz = self.zone(deck_id)
        deck = self.store.read(deck_id, "deck.toml")
        data, error = toml_lines.parse(deck.text)
        items = []
        for path in sorted((folder / "items").glob("*.md")) if (folder / "items").is_dir() else ():
            if path.is_symlink() or not path.is_file():
                continue
            items.append(self._item(deck_id, f"items/{path.name}", tz))
        return {
            "id": deck_id,
            "deck": {
                "name": "deck.toml",
                "version": deck.version,
                "data": _json(data or {}, tz),
                "broken": error is not None,
            },
            "items": items,
            "files": self.files(deck_id),
            "zone": str(getattr(tz, "key", "") or _offset_name(tz)),
        }

    def _item(self, deck_id: str, name: str, tz: dt.tzinfo) -> dict[str, Any]:
        try:
            read = self.store.read(deck_id, name)
        except Refused as refused:  # not UTF-8: shown, not edited
            return {"name": name, "version": "", "broken": True, "data": {}, "why": refused.code}
        split = split_item(read.text.replace("\r\n", "\n"))
        if isinstance(split, str):
            return {"name": name, "version": read.version, "broken": True, "data": {}}
        front, _, body, notes = split
        data, error = toml_lines.parse(front)
        return {
            "name": name,
            "version": read.version,
            "data": _json(data or {}, tz),
            "body": body,
            "notes": notes,
            "broken": error is not None,
        }

    def files(self, deck_id: str) -> list[str]:
        """The deck's files under `files/`, as item keys name them (no links followed)."""
        folder = self.store.deck_dir(deck_id) / "files"
        found: list[str] = []
        if not folder.is_dir() or folder.is_symlink():
            return found
        stack = [folder]
        while stack and len(found) < 20000:
            current = stack.pop()
            for entry in sorted(current.iterdir(), reverse=True):
                if entry.name.startswith(".") or entry.is_symlink():
                    continue
                if entry.is_dir():
                    stack.append(entry)
                elif entry.is_file():
                    found.append(entry.relative_to(folder.parent).as_posix())
        return sorted(found)

    def check(self, deck_id: str, language: str) -> list[dict[str, Any]]:
        """`check`'s findings, with the same words, placed by file and key."""
        from ..originals import Store as Copies

        folder = self.store.deck_dir(deck_id)
        copies = Copies(self.instance / "display")
        report = load_deck(folder, hash_cache=self._hashes, store=copies)
        self.displays[deck_id] = report.displays
        self.mismatched[deck_id] = {p.path for p in report.problems if p.code == "hash_mismatch"}
        self.failing[deck_id] = {
            p.path for p in report.problems if p.is_error and p.code != "hash_mismatch"
        }
        return [_finding(p, language) for p in report.problems]

    def reading(self, deck_id: str, name: str, language: str) -> tuple[Any, Any]:
        """The item `name` as the views read it, in a deck of its own (pointing.reading)."""
        from .pointing import reading

        folder = self.store.deck_dir(deck_id)
        text = self.store.read(deck_id, name).text
        case = (toml_lines.parse(self.store.read(deck_id, "deck.toml").text)[0] or {}).get("case")
        if deck_id not in self.displays:
            self.check(deck_id, language)  # the display copies a GBK table needs
        return reading(folder, deck_id, text, case if isinstance(case, dict) else {},
                       self.displays.get(deck_id))  # fmt: skip

    def preview(
        self, deck_id: str, name: str, panel: str, aspect: str, step: int, language: str,
        host: str,
    ) -> str:  # fmt: skip
        """The link of a court screen showing the item `name` at `panel` and `step`, at
        `aspect`; refused while the item (or the deck) has an error `check` finds now."""
        from .preview import NotPreviewable

        folder = self.store.deck_dir(deck_id)
        split = split_item(self.store.read(deck_id, name).text.replace("\r\n", "\n"))
        front = toml_lines.parse(split[0])[0] if not isinstance(split, str) else None
        item_id = (front or {}).get("id")
        if not isinstance(item_id, str):
            raise NotPreviewable("item_not_loading", id=name)
        self.check(deck_id, language)  # the files as they are now
        if {name, "deck.toml"} & self.failing.get(deck_id, set()):
            raise NotPreviewable("item_not_loading", id=item_id)
        return self.previews.show(
            folder, deck_id, item_id, panel, aspect, step, self.displays.get(deck_id),
            language, host, self.mismatched.get(deck_id),
        )  # fmt: skip

    # --- writing -------------------------------------------------------------------------

    def edit(self, deck_id: str, name: str, edits: list[Edit], base: str) -> Versioned:
        """Make the edits on the file at version `base` and write it (Conflict if it moved)."""
        current = self.store.read(deck_id, name)
        if current.version != base:
            raise Conflict(current)
        tz = self.zone(deck_id)
        if name == "deck.toml":
            text = document.edit_deck(current.text, edits, tz)
        else:
            text = document.edit_item(current.text, edits, tz)
        return self.store.write(deck_id, name, text, base)

    def replace(self, deck_id: str, name: str, text: str, base: str | None) -> Versioned:
        """Write a whole text (an undo, or the person's choice in a conflict)."""
        if not isinstance(text, str):
            raise Refused("bad_value", key="text")
        return self.store.write(deck_id, name, text, base)

    def create(self, deck_id: str, title: str, language: str) -> None:
        """A new, empty deck: deck.toml with the case's title, and no items yet."""
        from ..importing.writer import deck_toml

        if not isinstance(title, str) or not title.strip():
            raise Refused("no_title")
        folder = self.store.root / deck_id
        self.store.root.mkdir(parents=True, exist_ok=True)
        try:
            self.store.deck_dir(deck_id)
        except Refused as refused:
            if refused.code != "no_deck":
                raise
        else:
            raise Refused("deck_exists", name=deck_id)
        if folder.exists() or folder.is_symlink():
            raise Refused("deck_exists", name=deck_id)
        text = deck_toml("en" if language == "en" else "zh-CN", {"title": title.strip()})
        folder.mkdir()
        (folder / "items").mkdir()
        (folder / "files").mkdir()
        self.store.write(deck_id, "deck.toml", text, "")

    def add_item(self, deck_id: str, title: str) -> str:
        """A new blank exhibit after the last; its file name."""
        folder = self.store.deck_dir(deck_id)
        with self._lock:
            number = self._highest(deck_id) + 1
            item_id = f"E{number:02d}"
            name = f"items/{item_id.lower()}.md"
            n = 1
            while (folder / name).exists():
                n += 1
                name = f"items/{item_id.lower()}-{n}.md"
            self.store.write(deck_id, name, document.new_item(item_id, title or item_id), "")
            self._extend_order(deck_id, [item_id])
        return name

    def remove_item(self, deck_id: str, name: str, base: str) -> None:
        read = self.store.read(deck_id, name)
        split = split_item(read.text.replace("\r\n", "\n"))
        item_id = None
        if not isinstance(split, str):
            data, _ = toml_lines.parse(split[0])
            item_id = (data or {}).get("id")
        self.store.remove(deck_id, name, base)
        if isinstance(item_id, str):
            deck = self.store.read(deck_id, "deck.toml")
            data, _ = toml_lines.parse(deck.text)
            order = (data or {}).get("order")
            if isinstance(order, list) and item_id in order:
                kept = [i for i in order if i != item_id]
                self.edit(deck_id, "deck.toml", [Edit("order", value=kept)], deck.version)

    def _highest(self, deck_id: str) -> int:
        ids: list[str] = []
        deck = self.overview_ids(deck_id)
        ids.extend(deck)
        numbers = [int(m.group(1)) for i in ids if (m := _E_NUMBER.match(i))]
        return max(numbers, default=0)

    def overview_ids(self, deck_id: str) -> list[str]:
        """Every id of the deck's items and other evidence (one id space)."""
        folder = self.store.deck_dir(deck_id)
        data, _ = toml_lines.parse(self.store.read(deck_id, "deck.toml").text)
        ids = [
            str(e.get("id", "")) for e in (data or {}).get("evidence", []) if isinstance(e, dict)
        ]
        for path in sorted((folder / "items").glob("*.md")):
            split = split_item(path.read_text("utf-8-sig", errors="replace").replace("\r\n", "\n"))
            if isinstance(split, str):
                continue
            front, _ = toml_lines.parse(split[0])
            ids.append(str((front or {}).get("id", "")))
        return ids

    def _extend_order(self, deck_id: str, ids: list[str]) -> None:
        deck = self.store.read(deck_id, "deck.toml")
        data, _ = toml_lines.parse(deck.text)
        order = (data or {}).get("order")
        if isinstance(order, list):
            self.edit(deck_id, "deck.toml", [Edit("order", value=[*order, *ids])], deck.version)

    # --- evidence ------------------------------------------------------------------------

    def stage(
        self, deck_id: str, batch: str, relative: str, stream: IO[bytes], size: int,
        modified: str,
    ) -> None:  # fmt: skip
        """Keep one dropped file in a staging folder outside every deck until it is added;
        `relative` its place in what was dropped (a folder's files keep their folder),
        `modified` its time as the browser read it (milliseconds)."""
        self.store.deck_dir(deck_id)
        parts = relative.replace("\\", "/").split("/")
        if (
            not relative or len(parts) > 12
            or not all(_UPLOAD_PART.match(p) for p in parts)
            or any(p in (".", "..") or p != p.strip() or p.startswith(".") for p in parts)
        ):  # fmt: skip
            raise Refused("bad_upload", name=relative[:200])
        self.drop_stale_uploads()
        folder = self.staging(batch)
        folder.parent.mkdir(parents=True, exist_ok=True)
        if size and shutil.disk_usage(folder.parent).free < 2 * size + SPARE:
            raise Refused("no_space", name=relative[:200])  # its copy into the deck needs as much
        target = folder.joinpath(*parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as copy:
                shutil.copyfileobj(stream, copy, CHUNK)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            raise Refused("bad_upload", name=relative[:200]) from None
        if modified.isdigit() and len(modified) <= 15:
            seconds = int(modified) / 1000
            os.utime(target, (seconds, seconds))

    def staging(self, batch: str) -> Path:
        if not isinstance(batch, str) or not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", batch):
            raise Refused("bad_request")
        return self.instance / "editor-uploads" / batch

    STALE = 3600.0
    """Seconds after which a staged upload no import took is removed (cut off, or left)."""

    def drop_stale_uploads(self, now: float | None = None) -> list[str]:
        """Remove the staged uploads older than STALE; their names."""
        import time

        folder = self.instance / "editor-uploads"
        now = time.time() if now is None else now
        dropped = []
        for batch in folder.iterdir() if folder.is_dir() else ():
            try:
                old = now - batch.stat().st_mtime > self.STALE
            except OSError:
                continue
            if old:
                shutil.rmtree(batch, ignore_errors=True)
                dropped.append(batch.name)
        return dropped

    def start_import(
        self, deck_id: str, staged: Path, name: str, language: str, export: bool = False
    ) -> str:
        """Add the staged files as exhibits, in a thread, each file copied and hashed in one
        read: as `new` does (one exhibit per file or sub-folder), or with `export` as `import`
        does (a chat export or a forensic report, recognised by its content). Returns the
        job's id."""
        from ..importing import import_into
        from ..live.access import new_key
        from ..scaffold import plan

        folder = self.store.deck_dir(deck_id)
        job_id = new_key()[:16]
        job = Job()
        self.jobs[job_id] = job

        def progress(total: int):
            job.total = total

            def told(done: int, _total: int) -> None:
                job.done = done

            return told

        def run() -> None:
            try:
                before = set(self.overview_ids(deck_id))
                with self._lock:
                    if export:
                        entries = [p for p in staged.iterdir() if not p.name.startswith(".")]
                        source = entries[0] if len(entries) == 1 else staged
                        written = import_into(
                            folder, source, language, progress=progress,
                            deck_lock=self.store.writing,
                        )  # fmt: skip
                    else:
                        planned, _ = plan(staged, self.zone(deck_id))
                        if not planned:
                            raise ImportFailure("")
                        imported = Imported(name, planned)
                        written = write(folder, imported, language, progress, self.store.writing)
                job.added = [i.id for i in written.items if i.id not in before]
                job.notes = list(written.notes)
            except ImportFailure as failure:
                job.error = str(failure) or "nothing"
            except OSError as error:
                job.error = f"{error.filename or ''}: {error.strerror or error}"
            except ValueError as error:  # deck.toml made unreadable meanwhile (tomlkit's)
                job.error = str(error)
            finally:
                shutil.rmtree(staged, ignore_errors=True)
                if not job.added and not job.error:
                    job.error = "nothing"  # never a job that ends saying nothing
                job.finished = True

        threading.Thread(target=run, name=f"editor-import-{job_id}", daemon=True).start()
        return job_id


def _finding(problem: Problem, language: str) -> dict[str, Any]:
    return {
        "file": problem.path,
        "key": problem.key,
        "line": problem.line,
        "severity": problem.severity,
        "code": problem.code,
        "message": problem.message(language),
        "text": problem.render(language),
    }


def _offset_name(tz: dt.tzinfo) -> str:
    offset = dt.datetime(2000, 1, 1, tzinfo=tz).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _json(value: Any, tz: dt.tzinfo) -> Any:
    """Parsed TOML as the page's JSON: times as the deck's zone reads them, without offset."""
    if isinstance(value, dict):
        return {k: _json(v, tz) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v, tz) for v in value]
    if isinstance(value, dt.datetime):
        moment = value.astimezone(tz) if value.tzinfo else value
        return moment.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


__all__ = ["Conflict", "EditRefused", "Refused", "Workspace", "DEFAULT_ZONE", "zone"]
