"""What the editor shows of an item's files so that a person can make a step by pointing:
a picture or a PDF page to drag a region on, a chat's messages, a table's rows or a source
file's lines to click, a recording to set a clip on.

It is read as the court screens read it (the display copies, the views' own readers, the
render workers' limits), from the item as it stands, blanks and all: only its view, files
and columns matter here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..deck import toml_lines
from ..deck.loader import TODO, split_item
from ..deck.model import Case, Deck, Exhibit
from ..views.files import csv_name
from .store import Refused, no_link

CHAT_MESSAGES = 400
TABLE_ROWS = 300
CODE_LINES = 2000

_READ_KEYS = ("id", "title", "view", "files", "chart", "columns", "encoding", "header_row",
              "sheet", "language", "transcript", "crs")  # fmt: skip


class NotPointable(Refused):
    """The item's files cannot be shown yet (a blank view, an unreadable file)."""

    status = 422


def reading(
    deck_root: Path, deck_id: str, text: str, case: dict[str, Any], displays: Any
) -> tuple[Exhibit, Deck]:
    """The item as the views read it (what only a person can fill in set aside), in a deck
    of its own."""
    split = split_item(text.replace("\r\n", "\n"))
    if isinstance(split, str):
        raise NotPointable("not_readable")
    data, error = toml_lines.parse(split[0])
    if error is not None or not isinstance(data, dict):
        raise NotPointable("not_readable")
    kept = {k: data[k] for k in _READ_KEYS if k in data and data[k] != TODO}
    # only the item's files inside the deck are read: `check` names the others
    if isinstance(kept.get("files"), list):
        kept["files"] = [f for f in kept["files"] if inside(deck_root, f)]
    if kept.get("transcript") is not None and not inside(deck_root, kept["transcript"]):
        del kept["transcript"]
    if not isinstance(kept.get("view"), str):
        raise NotPointable("no_view")
    kept.setdefault("id", "E0")
    kept.setdefault("title", "")
    try:
        exhibit = Exhibit(**kept, type="file", source={"method": "seizure"})  # type: ignore[arg-type]
    except ValidationError:
        raise NotPointable("not_readable") from None
    title = case.get("title") if isinstance(case.get("title"), str) else ""
    zone = case.get("timezone") if isinstance(case.get("timezone"), str) else "+08:00"
    try:
        court_case = Case(title=title or "-", timezone=zone)
    except ValidationError:
        court_case = Case(title=title or "-")
    deck = Deck(
        id=deck_id, root=deck_root.resolve(), case=court_case, facts=(), evidence=(),
        exhibits=(exhibit,),
        displays={key: value for key, value in (displays or {}).items() if key[0] == exhibit.id},
    )  # fmt: skip
    return exhibit, deck


def inside(root: Path, name: object) -> bool:
    """Whether the item path `name` is a file's place inside the deck: relative, no `..`, no
    symbolic link on the way (checked now, on the disk as it is)."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    if name.startswith("/") or ":" in name.split("/")[0]:
        return False
    try:
        no_link(root.absolute(), root.absolute() / name)
    except Refused:
        return False
    return True


def material(exhibit: Exhibit, deck: Deck, instance: Path, file_url) -> dict[str, Any]:
    """What the page draws to point at, by the item's view."""
    view = exhibit.view
    files = [name for name in exhibit.files if (deck.root / name).is_file()]
    if view in ("image", "document", "video", "audio"):
        if view in ("video", "audio"):  # a transcript beside the recording is not played
            files = [n for n in files if deck.display(exhibit, n).suffix.lower() in MIMETYPES]
        return {"kind": view, "files": [_file(exhibit, deck, n, file_url) for n in files]}
    if view in ("chat", "table"):
        return _rows(exhibit, deck, instance)
    if view == "code":
        from ..views.code import read_source

        out = []
        for name in files[:8]:
            source = read_source(deck.root / name)
            out.append({"name": name, "lines": source.lines[:CODE_LINES]})
        return {"kind": "code", "files": out}
    if view == "chart":
        return {"kind": "chart"}
    return {"kind": "none"}


def _file(exhibit: Exhibit, deck: Deck, name: str, file_url) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "url": file_url(exhibit, name)}
    if exhibit.view == "document":
        from ..deck.pdf import page_count

        try:
            out["pages"] = page_count(deck.display(exhibit, name))
        except Exception:  # noqa: BLE001 - pdfium's error for any unreadable file
            out["pages"] = 0
    return out


def _rows(exhibit: Exhibit, deck: Deck, instance: Path) -> dict[str, Any]:
    from ..views.table import table_file, table_index
    from ..views.tabledata import TableError

    if not table_file(exhibit) and not csv_name(exhibit):
        raise NotPointable("no_files")
    try:
        index = table_index(exhibit, deck, str(instance))
    except (OSError, TableError):
        raise NotPointable("not_readable") from None
    count = CHAT_MESSAGES if exhibit.view == "chat" else TABLE_ROWS
    rows = index.page(0, count)
    return {
        "kind": exhibit.view,
        "header": list(index.header),
        "rows": [[n, *row[:12]] for n, row in enumerate(rows, 1)],
        "total": index.rows,
        "columns": {role: exhibit.column(role) for role in ("time", "sender", "text")},
    }


def chart(exhibit: Exhibit, deck: Deck, until_text: str, focus: tuple[str, ...], lang: str) -> dict:
    """A chart item's figure as a step with `until` and `focus` shows it, with the names a
    focus may take, the first and last times an `until` may be, and `until` as the step's
    field takes it (the deck's wall clock)."""
    import datetime as dt

    from polars.exceptions import PolarsError

    from .. import formatting
    from ..charts import ChartView, build

    if exhibit.view != "chart" or not exhibit.chart:
        raise NotPointable("no_view")
    try:
        until = dt.datetime.fromisoformat(until_text) if until_text else None
    except ValueError:
        raise Refused("bad_time", key="until") from None
    try:
        figure = build(exhibit, deck, ChartView(until=until, focus=focus[:50], lang=lang))
    except (OSError, PolarsError, ValueError, KeyError):
        raise NotPointable("not_readable") from None
    meta = figure.get("meta", {})
    moment = None
    if until is not None:
        zone = formatting.deck_zone(deck.case)
        moment = (until if until.tzinfo else until.replace(tzinfo=zone)).astimezone(zone)
    return {
        "figure": figure,
        "names": meta.get("nodes") or meta.get("actors") or [],
        "span": meta.get("span"),
        "until": moment.replace(tzinfo=None).isoformat(timespec="seconds") if moment else None,
        "until_at": moment.isoformat() if moment else None,
    }


MIMETYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime",
             ".m4v": "video/mp4", ".mp3": "audio/mpeg", ".wav": "audio/wav",
             ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".aac": "audio/aac"}  # fmt: skip


class Undrawable(Exception):
    """The render workers could not draw the file: `words` say why (rendering.Failure)."""

    def __init__(self, words: tuple[str, str]) -> None:
        super().__init__(words)
        self.words = words


def shown(exhibit: Exhibit, deck: Deck, name: str, page: int, cache: Path) -> tuple[Path, str]:
    """The file to send for the item's file `name`, and its type: a picture or a PDF page
    drawn by the render workers (within their limits on size and time), a recording as it
    is. Never a file the item does not name, nor one outside the deck."""
    import hashlib
    import os

    from .. import rendering

    if name not in exhibit.files or not inside(deck.root, name):
        raise Refused("bad_path", name=name[:200])
    path = deck.display(exhibit, name)
    if not path.is_file():
        raise Refused("no_file", name=name[:200])
    if exhibit.view in ("video", "audio"):
        if path.suffix.lower() not in MIMETYPES:
            raise Refused("not_shown", name=name[:200])
        return path, MIMETYPES[path.suffix.lower()]
    stat = os.stat(path)
    key = f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{exhibit.view}:{page}"
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".png")
    if exhibit.view == "document":
        failure = rendering.page("editor", target, path, page, 1200, None, folders=[cache])
    elif exhibit.view in ("image", "chat"):
        failure = rendering.image("editor", target, path, None, 1600, folders=[cache])
    else:
        raise Refused("not_shown", name=name[:200])
    if failure is not None:
        raise Undrawable(failure.words)
    return target, "image/png"
