"""The one writer of decks for `new` and `import`: items and deck.toml as TOML (tomlkit), files
copied and hashed in one read, the files' own attributes recorded once (`[[source.file]]`).

A new deck is built beside its destination and moved there whole. An existing deck is only
added to: new items after its highest E-number, new files in a folder of their own, nothing
overwritten; `order` in deck.toml is extended when the deck has one. A failed run removes
what it added.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import tomlkit
from tomlkit.items import Array, Table

from .. import i18n, integrity
from ..deck import toml_lines
from ..deck.loader import DECK_ID, TODO, split_item
from ..formatting import DEFAULT_ZONE, zone
from ..i18n.importing import WRITER_WORDS

ALGORITHMS = ("sha256", "md5")
CHUNK = 1 << 20
Progress = Callable[[int, int], None]
_E_NUMBER = re.compile(r"^E(\d+)$", re.IGNORECASE)
_TYPES = "platform_post | communication | identity | behaviour | tool | system_log | file"
ORIGIN_REPORT = "UFDR report.xml"
ORIGIN_FILESYSTEM = "原件文件系统"
ORIGIN_EXIF = "EXIF"
ORIGIN_CASE = "CASE/UCO"


class ImportFailure(Exception):
    """Something the user can fix: the message says what, where and what to do."""


@dataclass
class Payload:
    """One file an import puts into the deck: where to read it, and what is known of it."""

    name: str
    """Its path inside the import's folder, with `/`."""
    open: Callable[[], IO[bytes]]
    size: int
    record: dict[str, Any] | None = None
    """What the file said of itself at collection: FileRecord's keys but `file`."""
    recorded: dict[str, str] = field(default_factory=dict)
    """Check values recorded by the report (algorithm → hex): verified against the copy."""
    device_path: str = ""
    """Where the file was on the seized device, as the report says."""
    path: Path | None = None
    """The original on this machine, when it is a file: its copy keeps its times."""
    deck_path: str = ""
    digests: dict[str, str] = field(default_factory=dict)


@dataclass
class Item:
    """One exhibit to write."""

    title: str
    view: str | None
    files: list[Payload]
    type: str = TODO
    columns: dict[str, str] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    """`[source]` keys other than hashes, file records and changes; `method` is TODO unless
    given, `collectors` too."""
    changes: list[dict[str, str]] = field(default_factory=list)
    why_no_view: str = ""
    body: str = ""
    keys: dict[str, Any] = field(default_factory=dict)
    """Other top-level keys of the item: `encoding`, `header_row`, `sheet`."""
    transcript: Payload | None = None
    id: str = ""


@dataclass
class Imported:
    """What one source gives: its items, and for a new deck what it says of the case."""

    name: str
    items: list[Item]
    case: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Things the user must be told (a check value that does not match the report's)."""
    deck_paths: bool = False
    """The payloads' names are deck paths (`files/…`), kept when the deck has none of them."""


@dataclass(frozen=True)
class Written:
    deck: Path
    items: tuple[Item, ...]
    created: bool
    notes: tuple[str, ...]


def moment(value: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime | None:
    """A time for the deck: in its zone; one without offset is taken as in that zone."""
    if value is None:
        return None
    value = value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(tz, dt.timezone) or not hasattr(tz, "key"):
        return value
    # a zone by name: TOML writes the offset, so fix it at the moment's own offset
    return value.replace(tzinfo=dt.timezone(value.utcoffset() or dt.timedelta()))


def stat_record(path: Path, tz: dt.tzinfo) -> dict[str, Any]:
    """What the received file's own file system truly says of the evidence: its size and its
    modification time (which copying keeps). Its creation, access and change times are those
    of the copy the office received, made after the seizure: a report gives the device's."""
    stat = path.stat()
    modified = moment(dt.datetime.fromtimestamp(int(stat.st_mtime), dt.UTC), tz)
    return {"size": stat.st_size, "modified": modified, "origin": ORIGIN_FILESYSTEM}


# --- writing -------------------------------------------------------------------------------


def deck_timezone(deck_dir: Path) -> dt.tzinfo:
    """The zone of an existing deck (`[case] timezone`), or the default."""
    try:
        data, _ = toml_lines.parse((deck_dir / "deck.toml").read_text("utf-8-sig"))
    except OSError:
        data = None
    name = ((data or {}).get("case") or {}).get("timezone") or DEFAULT_ZONE
    try:
        return zone(str(name))
    except ValueError:
        return zone(DEFAULT_ZONE)


def write(
    deck_dir: Path,
    imported: Imported,
    language: str,
    progress: Callable[[int], Progress] | None = None,
    deck_lock: AbstractContextManager | None = None,
) -> Written:
    """Add the items to the deck at `deck_dir`, making it when it does not exist.

    `progress(total_bytes)` gives the callback fed with (bytes copied, total). `deck_lock` is
    held while deck.toml is read again and its `order` extended (the editor's writes take
    it too: an edit made while the files were copied is kept)."""
    words = _words(language)
    deck_dir = Path(deck_dir)
    if not DECK_ID.match(deck_dir.name):
        raise ImportFailure(words["bad_id"].format(name=deck_dir.name))
    if not imported.items:
        raise ImportFailure(words["nothing"].format(name=imported.name))
    existing = deck_dir.is_dir() and any(deck_dir.iterdir())
    if existing and not (deck_dir / "deck.toml").is_file():
        raise ImportFailure(words["not_deck"].format(path=deck_dir))
    if existing:
        _extend(deck_dir, imported, language, progress, deck_lock or nullcontext())
    else:
        _create(deck_dir, imported, language, progress)
    return Written(deck_dir, tuple(imported.items), not existing, tuple(imported.notes))


def _create(
    deck_dir: Path, imported: Imported, language: str, progress: Callable[[int], Progress] | None
) -> None:
    deck_dir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{deck_dir.name}.", dir=deck_dir.parent))
    try:
        _number(imported.items, 1)
        folder = "" if imported.deck_paths else f"files/{_folder_name(imported.name)}"
        _copy_all(imported, building, folder, language, progress)
        (building / "items").mkdir()
        (building / "deck.toml").write_text(deck_toml(language, imported.case), "utf-8")
        for item in imported.items:
            text = item_text(item, language)
            (building / "items" / f"{item.id.lower()}.md").write_text(text, "utf-8")
        if deck_dir.exists():
            deck_dir.rmdir()  # empty: rename() would not replace it otherwise
        building.rename(deck_dir)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _extend(
    deck_dir: Path,
    imported: Imported,
    language: str,
    progress: Callable[[int], Progress] | None,
    deck_lock: AbstractContextManager,
) -> None:
    words = _words(language)
    deck_text = (deck_dir / "deck.toml").read_text("utf-8-sig")
    try:
        deck_doc = tomlkit.parse(deck_text)
    except tomlkit.exceptions.ParseError as error:
        detail = words["bad_deck"].format(path=deck_dir / "deck.toml", detail=error)
        raise ImportFailure(detail) from None
    _number(imported.items, _highest_e_number(deck_dir, deck_doc) + 1)
    base = _folder_name(imported.name)
    name, n = base, 1
    while (deck_dir / "files" / name).exists():
        n += 1
        name = f"{base}-{n}"
    names = {p.name for item in imported.items for p in item.files}
    keep = imported.deck_paths and not any((deck_dir / n).exists() for n in names)
    added: list[Path] = []
    try:
        (deck_dir / "files").mkdir(exist_ok=True)
        if keep:
            for n in sorted(names):  # every folder the import makes, to remove on failure
                for parent in reversed(Path(n).parents):
                    if str(parent) != "." and not (deck_dir / parent).exists():
                        (deck_dir / parent).mkdir()
                        added.append(deck_dir / parent)
        else:
            (deck_dir / "files" / name).mkdir()
            added.append(deck_dir / "files" / name)
        _copy_all(imported, deck_dir, "" if keep else f"files/{name}", language, progress)
        (deck_dir / "items").mkdir(exist_ok=True)
        for item in imported.items:
            path = _free(deck_dir / "items", item.id.lower(), ".md")
            with path.open("x", encoding="utf-8") as stream:
                added.append(path)
                stream.write(item_text(item, language))
        with deck_lock:  # deck.toml as it is now: edited, maybe, while the files were copied
            now = tomlkit.parse((deck_dir / "deck.toml").read_text("utf-8-sig"))
            order = now.get("order")
            if isinstance(order, Array):
                order.extend(item.id for item in imported.items)
                _replace(deck_dir / "deck.toml", tomlkit.dumps(now))
    except BaseException:
        for path in reversed(added):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise


def _replace(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.import")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


def _free(folder: Path, stem: str, suffix: str) -> Path:
    path, n = folder / f"{stem}{suffix}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    return path


def _highest_e_number(deck_dir: Path, deck_doc: Any) -> int:
    """The highest E-number among the deck's items and other evidence (one id space)."""
    ids = [str(e.get("id", "")) for e in deck_doc.get("evidence", [])]
    for path in sorted((deck_dir / "items").glob("*.md")):
        split = split_item(path.read_text("utf-8-sig").replace("\r\n", "\n"))
        if isinstance(split, str):
            continue
        data, _ = toml_lines.parse(split[0])
        ids.append(str((data or {}).get("id", "")))
    numbers = [int(m.group(1)) for i in ids if (m := _E_NUMBER.match(i))]
    return max(numbers, default=0)


def _number(items: list[Item], first: int) -> None:
    width = max(2, len(str(first + len(items) - 1)))
    for n, item in enumerate(items, first):
        item.id = f"E{n:0{width}d}"


def _folder_name(name: str) -> str:
    """A folder name from the source's name: its own characters, none that a path forbids."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return cleaned or "import"


def _copy_all(
    imported: Imported,
    root: Path,
    folder: str,
    language: str,
    progress: Callable[[int], Progress] | None = None,
) -> None:
    """Place every file first (a CSV the import writes names its attachments' places), then
    copy and hash each once (a file two items share is one file)."""
    words = _words(language)
    taken: set[str] = set()
    payloads = list({id(p): p for item in imported.items for p in item.files}.values())
    for payload in payloads:
        prefix = f"{folder}/" if folder else ""
        deck_path = f"{prefix}{payload.name}"
        n = 1
        while deck_path.lower() in taken:
            n += 1
            stem, dot, suffix = payload.name.rpartition(".")
            deck_path = f"{prefix}{stem}-{n}.{suffix}" if dot else f"{prefix}{payload.name}-{n}"
        taken.add(deck_path.lower())
        payload.deck_path = deck_path
    total = sum(p.size for p in payloads)
    report = progress(total) if progress else None
    done = 0
    for payload in payloads:
        wanted = [*ALGORITHMS, *(a for a in payload.recorded if a not in ALGORITHMS)]
        target = root / payload.deck_path
        target.parent.mkdir(parents=True, exist_ok=True)
        with payload.open() as stream, target.open("xb") as copy:
            payload.digests = copy_hashed(stream, copy, wanted, report, done, total)
        done += payload.size
        modified = (payload.record or {}).get("modified")
        if payload.path is not None:  # the copy keeps the original's times
            shutil.copystat(payload.path, target)
        elif isinstance(modified, dt.datetime):
            os.utime(target, (modified.timestamp(), modified.timestamp()))
        for algorithm, value in payload.recorded.items():
            if payload.digests[algorithm] != value.lower():
                imported.notes.append(
                    words["mismatch"].format(
                        path=payload.deck_path,
                        algorithm=algorithm.upper(),
                        recorded=value.lower(),
                        found=payload.digests[algorithm],
                    )
                )


def copy_hashed(
    stream: IO[bytes],
    copy: IO[bytes],
    algorithms: list[str],
    progress: Progress | None = None,
    start: int = 0,
    total: int = 0,
) -> dict[str, str]:
    """Copy `stream` to `copy`, hashing it in the same read."""
    hashers = {a: integrity.new_hasher(a) for a in algorithms}
    done = start
    while chunk := stream.read(CHUNK):
        for hasher in hashers.values():
            hasher.update(chunk)
        copy.write(chunk)
        done += len(chunk)
        if progress:
            progress(min(done, total), total)
    if progress and total == 0:
        progress(0, 0)
    return {a: h.hexdigest() for a, h in hashers.items()}


# --- TOML ----------------------------------------------------------------------------------


def deck_toml(language: str, case: dict[str, Any] | None = None) -> str:
    words = _words(language)
    case = case or {}
    doc = tomlkit.document()
    doc["format"] = 1
    table = tomlkit.table()
    table["title"] = case.get("title") or TODO
    table["title"].comment(words["case_title"])
    if case.get("number"):
        table["number"] = case["number"]
    else:
        table.add(tomlkit.comment('number = ""'))
    table.add(tomlkit.comment('court = ""'))
    for key in ("charges", "defendants", "presenters"):
        table[key] = tomlkit.array()
    doc["case"] = table
    doc.add(tomlkit.nl())
    doc.add(tomlkit.comment(words["fact"]))
    facts = tomlkit.aot()
    fact = tomlkit.table()
    fact["id"] = "F1"
    fact["text"] = TODO
    fact["element"] = TODO
    fact["element"].comment("identity | conduct | intent | consequence")
    facts.append(fact)
    doc["fact"] = facts
    return tomlkit.dumps(doc)


def item_text(item: Item, language: str) -> str:
    """The item file: front matter written by tomlkit, then the Markdown."""
    words = _words(language)
    doc = tomlkit.document()
    doc["id"] = item.id
    doc["title"] = item.title
    doc["type"] = item.type
    if item.type == TODO:
        doc["type"].comment(words["type"].format(types=_TYPES))
    if item.view is None:
        doc["view"] = TODO
        doc["view"].comment(words["no_view"].format(types=item.why_no_view))
    else:
        doc["view"] = item.view
    files = tomlkit.array()
    files.extend(p.deck_path for p in item.files)
    doc["files"] = files.multiline(len(item.files) > 1)
    for key, value in item.keys.items():
        doc[key] = value
    if item.transcript is not None:
        doc["transcript"] = item.transcript.deck_path
    if item.columns:
        doc["columns"] = dict(item.columns)
    doc["source"] = _source(item, words)
    shows = tomlkit.aot()
    entry = tomlkit.table()
    entry["fact"] = TODO
    entry["aspect"] = TODO
    entry["aspect"].comment("means | relationship | funds | trajectory | identity | other")
    entry["how"] = TODO
    shows.append(entry)
    doc.add(tomlkit.nl())
    doc.add(tomlkit.comment(words["shows"]))
    doc["shows"] = shows
    body = item.body.strip()
    return "+++\n" + tomlkit.dumps(doc).strip("\n") + "\n+++\n" + (body + "\n" if body else "")


_SOURCE_ORDER = (
    "collected_at",
    "collectors",
    "witnesses",
    "holder",
    "location",
    "tool",
    "procedure",
    "recorded",
    "documents",
    "url",
    "medium",
)


def _source(item: Item, words: dict[str, str]) -> Table:
    given = item.source
    table = tomlkit.table()
    table["method"] = given.get("method") or TODO
    if table["method"] == TODO:
        table["method"].comment(words["method"])
    if not given.get("collectors"):
        table["collectors"] = [TODO]
    for key in _SOURCE_ORDER:
        value = given.get(key)
        if value in (None, "", [], {}):
            if key in ("collected_at", "witnesses", "holder", "location", "tool"):
                table.add(tomlkit.comment(_HINTS[key]))
            continue
        if key == "medium":
            medium = tomlkit.inline_table()
            medium.update({k: v for k, v in value.items() if v})
            table["medium"] = medium
        elif key == "procedure" and "\n" in value:
            table[key] = tomlkit.string(value.strip("\n") + "\n", multiline=True)
        else:
            table[key] = value
    hashes = tomlkit.aot()
    records = tomlkit.aot()
    for payload in item.files:
        if payload.recorded:
            values = sorted(payload.recorded.items())
        else:
            values = [(a, payload.digests[a]) for a in ALGORITHMS]
        for algorithm, value in values:
            hashes.append({"file": payload.deck_path, "algorithm": algorithm, "value": value})
        if payload.record:
            record = {"file": payload.deck_path}
            for key in _RECORD_KEYS:
                value = payload.record.get(key)
                if value is not None and value != "":
                    record[key] = value
            records.append(record)
    if len(hashes):
        table["hash"] = hashes
    if len(records):
        table["file"] = records
    if item.changes:
        changes = tomlkit.aot()
        for change in item.changes:
            changes.append(dict(change))
        table["change"] = changes
    if given.get("defect"):
        defects = tomlkit.aot()
        for defect in given["defect"]:
            defects.append({k: v for k, v in defect.items() if k in ("what", "remedy") and v})
        table["defect"] = defects
    return table


_RECORD_KEYS = ("size", "created", "modified", "accessed", "changed", "taken", "make")
_RECORD_KEYS += ("model", "latitude", "longitude", "origin")
"""FileRecord's keys, in its order."""
_HINTS = {
    "collected_at": "collected_at = 2024-03-05T14:30:00+08:00",
    "witnesses": 'witnesses = [""]',
    "holder": 'holder = ""',
    "location": 'location = ""',
    "tool": 'tool = ""',
}


def on_disk(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def _words(language: str) -> dict[str, str]:
    return i18n.pick_all(WRITER_WORDS, language)
