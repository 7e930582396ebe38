"""The editor's only way to the disk: a folder of decks, files read with a version, written
whole and atomically, and only where a deck's text lives.

No path outside the root is read or written: a deck is a direct child of the root named as
a deck id, and an editable file is `deck.toml` or `items/<name>.md` in it; no part of the
way may be a symbolic link (one could point anywhere), checked at each use, not once.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..deck.loader import DECK_ID

ITEM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.md\Z")
MAX_ID = 64
"""The longest deck id (a folder name every file system takes)."""


class Refused(Exception):
    """A request the editor will not carry out; `code` names why (words in
    presenter.i18n.editor), `params` what the words name; `status` the HTTP answer."""

    status = 400

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        if code in ("no_deck", "no_file"):
            self.status = 404


class Conflict(Exception):
    """The file changed on disk since the editor read it: nothing was written."""

    def __init__(self, current: Versioned) -> None:
        super().__init__("conflict")
        self.current = current


@dataclass(frozen=True)
class Versioned:
    """A file's text and the version it was read at (its bytes' digest; '' when absent)."""

    name: str
    text: str
    version: str


def version_of(data: bytes | None) -> str:
    return "" if data is None else hashlib.sha256(data).hexdigest()


class Store:
    """The decks under one folder (`decks/`)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()
        self.writing = threading.Lock()
        """One write at a time: a version is compared and the file replaced as one step, so
        two edits made on the same version never both land."""

    def deck_dir(self, deck_id: str) -> Path:
        """The folder of deck `deck_id`, which must be a real folder directly under the root."""
        if not isinstance(deck_id, str) or len(deck_id) > MAX_ID or not DECK_ID.match(deck_id):
            raise Refused("bad_deck_id", name=str(deck_id)[:80])
        folder = self.root / deck_id
        no_link(self.root, folder)
        if not folder.is_dir():
            raise Refused("no_deck", name=deck_id)
        return folder

    def text_path(self, deck_id: str, name: str) -> Path:
        """The path of an editable file of a deck: `deck.toml` or `items/<name>.md`."""
        folder = self.deck_dir(deck_id)
        if name == "deck.toml":
            path = folder / name
        else:
            head, _, tail = name.partition("/")
            if head != "items" or not ITEM_NAME.match(tail):
                raise Refused("bad_path", name=name[:200])
            path = folder / "items" / tail
        no_link(self.root, path)
        return path

    def decks(self) -> list[str]:
        if not self.root.is_dir():
            return []
        found = []
        for entry in sorted(self.root.iterdir()):
            if DECK_ID.match(entry.name) and not entry.is_symlink() and entry.is_dir():
                if (entry / "deck.toml").is_file() and not (entry / "deck.toml").is_symlink():
                    found.append(entry.name)
        return found

    def read(self, deck_id: str, name: str) -> Versioned:
        path = self.text_path(deck_id, name)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise Refused("no_file", name=name) from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # edited as text, a GBK file would be written back as UTF-8 with its
            # characters lost: it is left as it is, for `check` to name
            raise Refused("not_utf8", name=name) from None
        return Versioned(name, text, version_of(data))

    def write(self, deck_id: str, name: str, text: str, base: str | None) -> Versioned:
        """Write `text` whole, if the file is still at version `base` ('' for a new file;
        None to write whatever is there, when the person chose to). Conflict otherwise."""
        path = self.text_path(deck_id, name)
        with self.writing:
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                current = None
            if base is not None and version_of(current) != base:
                now = "" if current is None else current.decode("utf-8-sig", "replace")
                raise Conflict(Versioned(name, now, version_of(current)))
            data = text.encode("utf-8")
            if current is not None and current.startswith(b"\xef\xbb\xbf"):
                data = b"\xef\xbb\xbf" + data  # a file saved with a BOM keeps it
            path.parent.mkdir(exist_ok=True)
            replace_atomically(path, data)
        return Versioned(name, text, version_of(data))

    def remove(self, deck_id: str, name: str, base: str) -> None:
        path = self.text_path(deck_id, name)
        if name == "deck.toml":
            raise Refused("bad_path", name=name)
        with self.writing:
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                return
            if version_of(current) != base:
                now = current.decode("utf-8-sig", "replace")
                raise Conflict(Versioned(name, now, version_of(current)))
            path.unlink()


def replace_atomically(path: Path, data: bytes) -> None:
    """Write beside the file, flush it to the disk, then rename over it: a reader (the
    presenter's hot reload) sees the old file or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".editing", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def no_link(root: Path, path: Path) -> None:
    """Refuse a path that leaves the root or passes through a symbolic link below it."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        raise Refused("bad_path", name=str(path.name)) from None
    current = root
    for part in relative.parts:
        if part in ("", ".", ".."):
            raise Refused("bad_path", name=str(relative))
        current = current / part
        if current.is_symlink():
            raise Refused("bad_path", name=str(relative))
