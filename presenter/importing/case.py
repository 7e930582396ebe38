"""CASE/UCO JSON-LD, as Autopsy and our own `export-case` write it.

Each investigative action is an item: its name gives `method` (our export's words), its
performer the first collector, its participants the rest, its instrument `tool`, its location
`location`, its start time `collected_at`, its object the original medium (a device's
manufacturer, model, serial number, IMEI) and its results the files (name, size, times, check
values) and the provenance record (exhibit number and title). What CASE has no place for
travels in a `core:Annotation` tagged `shizheng:source` whose statement is the item's whole
`[source]` as JSON: with it, `export-case` → `import` keeps every field. Without it, the
participants' roles are unknown: they are written as a TODO blank for a person to sort.

Property names are matched by their local name, so any prefix (`uco-observable:`, …) reads.
The files themselves are looked for beside the JSON-LD file (in its folder and below), by
name, size and recorded check value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

from .. import i18n, integrity
from ..deck.loader import TODO
from ..export.case_uco import METHODS
from ..i18n.importing import CASE_WORDS
from .chats import chat_columns, decode
from .guess import SNIFF_BYTES, mime_of, view_of
from .writer import ORIGIN_CASE, Imported, ImportFailure, Item, Payload, moment, on_disk

MAX_JSONLD = 256 << 20
MAX_SEARCHED = 100_000
"""Files looked at beside the JSON-LD when finding the ones it names."""
ANNOTATION_TAG = "shizheng:source"
_METHOD_BY_NAME = {name: key for key, name in METHODS.items()}
_HASH_NAMES = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sm3": "sm3", "sha-1": "sha1"}
_HASH_NAMES["sha-256"] = "sha256"
_CAPACITY = re.compile(r"^\d+(?:\.\d+)?\s*[KMGTP]i?B$", re.IGNORECASE)
_TRANSCRIPTS = (".srt", ".vtt")
_MANY = frozenset({"image", "document", "audio", "video", "code"})


def local(name: str) -> str:
    """`uco-observable:fileName`, `observable:fileName` or an IRI → `fileName`."""
    return re.split(r"[:/#]", name)[-1]


def is_case(path: Path) -> bool:
    if path.suffix.lower() not in (".jsonld", ".json"):
        return False
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError:
        return False
    return b"@graph" in head or b"@context" in head


def import_case(path: Path, tz: dt.tzinfo, language: str) -> Imported:
    words = i18n.pick_all(CASE_WORDS, language)
    if path.stat().st_size > MAX_JSONLD:
        raise ImportFailure(words["too_big"].format(path=path))
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ImportFailure(words["bad_json"].format(path=path, detail=error)) from None
    nodes = data.get("@graph", [data]) if isinstance(data, dict) else data
    if not isinstance(nodes, list):
        raise ImportFailure(words["bad_json"].format(path=path, detail="@graph"))
    graph = _Graph([n for n in nodes if isinstance(n, dict)], tz)
    finder = _Finder(path.parent, path)
    items: list[Item] = []
    missing: list[str] = []
    used: set[str] = set()
    for action in graph.of_type("InvestigativeAction"):
        item = graph.item(action, finder, missing, used)
        if item is not None:
            items.append(item)
    for file in graph.of_type("File"):  # files no action names (Autopsy writes such)
        if file["@id"] not in used:
            payload = graph.payload(file, finder, missing)
            if payload is not None:
                title = payload.name.rsplit("/", 1)[-1]
                items.append(Item(title=title, view=None, files=[payload]))
                _choose_view(items[-1])
    if missing:
        raise ImportFailure(
            words["missing"].format(folder=path.parent, names="、".join(sorted(set(missing))))
        )
    imported = Imported(path.stem, items)
    investigation = next(iter(graph.of_type("Investigation")), None)
    if investigation is not None:
        imported.case = {
            "title": graph.text(investigation, "name"),
            "number": graph.text(investigation, "description"),
        }
    imported.deck_paths = bool(items) and all(
        p.name.startswith("files/") for item in items for p in item.files
    )
    if not imported.deck_paths:
        for item in items:
            for payload in item.files:
                payload.name = payload.name.removeprefix("files/")
    return imported


class _Graph:
    def __init__(self, nodes: list[dict[str, Any]], tz: dt.tzinfo) -> None:
        self.tz = tz
        self.by_id: dict[str, dict[str, Any]] = {}
        for node in nodes:
            self._index(node)
        self.annotations: dict[str, dict[str, Any]] = {}
        for node in self.of_type("Annotation"):
            if ANNOTATION_TAG in self.texts(node, "tag"):
                try:
                    statement = json.loads(self.text(node, "statement"))
                except json.JSONDecodeError:
                    continue
                for target in self.refs(node, "object"):
                    if isinstance(statement, dict):
                        self.annotations[target.get("@id", "")] = statement

    def _index(self, node: dict[str, Any]) -> None:
        """Every node with an id, nested ones too (facets, hashes)."""
        if "@id" in node and len(node) > 1:
            self.by_id.setdefault(node["@id"], {})
            self.by_id[node["@id"]].update(node)
        for value in node.values():
            for inner in value if isinstance(value, list) else [value]:
                if isinstance(inner, dict):
                    self._index(inner)

    def types(self, node: dict[str, Any]) -> set[str]:
        kinds = node.get("@type", [])
        return {local(k) for k in (kinds if isinstance(kinds, list) else [kinds])}

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [n for n in self.by_id.values() if kind in self.types(n)]

    def values(self, node: dict[str, Any], name: str) -> list[Any]:
        found: list[Any] = []
        for key, value in node.items():
            if not key.startswith("@") and local(key) == name:
                found += value if isinstance(value, list) else [value]
        return found

    def refs(self, node: dict[str, Any], name: str) -> list[dict[str, Any]]:
        out = []
        for value in self.values(node, name):
            if isinstance(value, dict):
                out.append(self.by_id.get(value.get("@id", ""), value))
        return out

    def texts(self, node: dict[str, Any], name: str) -> list[str]:
        out = []
        for value in self.values(node, name):
            if isinstance(value, dict) and "@value" in value:
                value = value["@value"]
            elif isinstance(value, dict) and "@id" in value:
                target = self.by_id.get(value["@id"], {})
                value = self.text(target, "name") or self.text(target, "description")
            if isinstance(value, str | int | float) and str(value) != "":
                out.append(str(value))
        return out

    def text(self, node: dict[str, Any], name: str) -> str:
        return next(iter(self.texts(node, name)), "")

    def facets(self, node: dict[str, Any], kind: str) -> list[dict[str, Any]]:
        return [f for f in self.refs(node, "hasFacet") if kind in self.types(f)]

    def time(self, node: dict[str, Any], name: str) -> dt.datetime | None:
        text = self.text(node, name)
        try:
            return moment(dt.datetime.fromisoformat(text.replace("Z", "+00:00")), self.tz)
        except ValueError:
            return None

    # --- an action ------------------------------------------------------------------------

    def item(
        self, action: dict[str, Any], finder: _Finder, missing: list[str], used: set[str]
    ) -> Item | None:
        results = self.refs(action, "result")
        files = [r for r in results if "File" in self.types(r)]
        records = [r for r in results if "ProvenanceRecord" in self.types(r)]
        payloads = []
        for file in files:
            used.add(file.get("@id", ""))
            payload = self.payload(file, finder, missing)
            if payload is not None:
                payloads.append(payload)
        record = records[0] if records else {}
        title = self.text(record, "name") or self.text(action, "description")
        number = self.text(record, "exhibitNumber")
        if number and title.startswith(number + " "):
            title = title[len(number) + 1 :]
        item = Item(title=title or TODO, view=None, files=payloads, source=self.source(action))
        if not payloads:
            item.view = "markdown"
        else:
            _choose_view(item)
        annotated = self.annotations.get(action.get("@id", ""))
        if annotated:
            _apply(item, annotated)
        return item

    def source(self, action: dict[str, Any]) -> dict[str, Any]:
        source: dict[str, Any] = {}
        method = _METHOD_BY_NAME.get(self.text(action, "name"))
        if method:
            source["method"] = method
        performers = self.texts(action, "performer")
        participants = self.texts(action, "participant")
        if performers:
            source["collectors"] = performers
        if participants:  # roles unknown: a person sorts them into collectors, witnesses, holder
            source["witnesses"] = [f"{TODO}（CASE 参与人，角色未载明）：" + "、".join(participants)]
        tool = self.text(action, "instrument")
        if tool:
            source["tool"] = tool
        place = self.text(action, "location")
        if place:
            source["location"] = place
        start = self.time(action, "startTime")
        if start:
            source["collected_at"] = start
        device = next((o for o in self.refs(action, "object") if "Device" in self.types(o)), None)
        if device is not None:
            source["medium"] = self.medium(device)
        return source

    def medium(self, device: dict[str, Any]) -> dict[str, str]:
        medium: dict[str, str] = {}
        for facet in self.refs(device, "hasFacet"):
            medium.setdefault("brand", self.text(facet, "manufacturer"))
            medium.setdefault("model", self.text(facet, "model"))
            medium.setdefault("serial", self.text(facet, "serialNumber"))
            imei = self.text(facet, "IMEI")
            if imei:
                medium["identifier"] = f"IMEI {imei}"
        for part in self.text(device, "description").split(" · "):
            part = part.strip()
            if part and _CAPACITY.match(part):
                medium.setdefault("capacity", part)
            elif part:
                medium.setdefault("identifier", part)
        return {k: v for k, v in medium.items() if v}

    def payload(self, file: dict[str, Any], finder: _Finder, missing: list[str]) -> Payload | None:
        facet = next(iter(self.facets(file, "FileFacet")), {})
        name = self.text(facet, "fileName") or self.text(file, "name")
        size_text = self.text(facet, "sizeInBytes")
        size = int(size_text) if size_text.isdigit() else None
        recorded: dict[str, str] = {}
        for content in self.facets(file, "ContentDataFacet"):
            for entry in self.refs(content, "hash"):
                algorithm = _HASH_NAMES.get(self.text(entry, "hashMethod").lower())
                value = self.text(entry, "hashValue").lower()
                if algorithm and re.fullmatch(r"[0-9a-f]+", value):
                    recorded[algorithm] = value
        found = finder.find(name, self.text(facet, "filePath"), size, recorded)
        if found is None:
            missing.append(name or file.get("@id", "?"))
            return None
        record: dict[str, Any] = {"size": found.stat().st_size}
        for key, prop in (
            ("created", "observableCreatedTime"),
            ("modified", "modifiedTime"),
            ("accessed", "accessedTime"),
            ("changed", "metadataChangeTime"),
        ):
            value = self.time(facet, prop)
            if value is not None:
                record[key] = value
        record["origin"] = ORIGIN_CASE
        return Payload(
            finder.relative(found), on_disk(found), found.stat().st_size, record, recorded
        )


def _apply(item: Item, statement: dict[str, Any]) -> None:
    """The item's `[source]` as the annotation carries it (our export's own record)."""
    keys = ("method", "collectors", "witnesses", "holder", "location", "tool", "procedure")
    for key in (*keys, "recorded", "documents", "url", "medium"):
        if key in statement:
            item.source[key] = statement[key]
        else:  # the deck's own record: what it leaves out was empty, not unknown
            item.source.pop(key, None)
    if isinstance(statement.get("collected_at"), str):
        try:
            item.source["collected_at"] = dt.datetime.fromisoformat(statement["collected_at"])
        except ValueError:
            item.source["collected_at"] = dt.date.fromisoformat(statement["collected_at"])
    if isinstance(statement.get("change"), list):
        item.changes = [c for c in statement["change"] if isinstance(c, dict)]
    if isinstance(statement.get("defect"), list):
        item.source["defect"] = [d for d in statement["defect"] if isinstance(d, dict)]
    records = statement.get("file") if isinstance(statement.get("file"), list) else []
    for record in records:
        payload = next((p for p in item.files if p.name == record.get("file")), None)
        if payload is None or not isinstance(record, dict):
            continue
        kept = dict(payload.record or {})  # the FileFacet's times, then the deck's own
        for key, value in record.items():
            if key in ("created", "modified", "accessed", "changed", "taken") and value:
                try:
                    kept[key] = dt.datetime.fromisoformat(value)
                except (TypeError, ValueError):
                    continue
            elif key != "file" and value not in (None, ""):
                kept[key] = value
        payload.record = kept
    for key in ("title", "type", "view"):
        if isinstance(statement.get(key), str):
            setattr(item, key, statement[key])


def _choose_view(item: Item) -> None:
    """The view from the files' content: a chat when the one CSV reads as one."""
    kinds = []
    for payload in item.files:
        with payload.open() as stream:
            head = stream.read(SNIFF_BYTES)
        mime = mime_of(head)
        kinds.append((payload, mime, view_of(mime, payload.name)))
    csvs = [p for p, _, v in kinds if v == "table"]
    views = {v for _, _, v in kinds}
    if len(csvs) == 1:
        with csvs[0].open() as stream:
            head = decode(stream.read(SNIFF_BYTES))
        try:
            header = next(csv.reader(io.StringIO(head, newline="")), [])
        except csv.Error:
            header = []  # not a chat: a table the display copy will read
        columns = chat_columns(header)
        if columns is not None:
            item.view, item.columns = "chat", columns
            at = next((h for h in header if h in ("附件", "attachment")), None)
            if at:
                item.columns["attachment"] = at
            item.files = [csvs[0], *(p for p in item.files if p is not csvs[0])]
            return
    media = [p for p, _, v in kinds if v in ("audio", "video")]
    subtitles = [p for p, _, _ in kinds if p.name.lower().endswith(_TRANSCRIPTS)]
    if len(media) == 1 and len(item.files) == 2 and len(subtitles) == 1:
        item.view = next(v for p, _, v in kinds if p is media[0])
        item.files = [media[0], subtitles[0]]
        item.transcript = subtitles[0]
        return
    if len(views) == 1 and None not in views and (len(item.files) == 1 or views <= _MANY):
        item.view = views.pop()
    else:
        item.view = None
        item.why_no_view = ", ".join(sorted({m for _, m, _ in kinds}))


class _Finder:
    """The files beside a JSON-LD file, found by name, then size, then check value."""

    def __init__(self, folder: Path, itself: Path) -> None:
        self.folder = folder
        self.by_name: dict[str, list[Path]] = {}
        for n, path in enumerate(sorted(folder.rglob("*"))):
            if n > MAX_SEARCHED:
                break
            if path.is_file() and path != itself and not path.is_symlink():
                self.by_name.setdefault(path.name, []).append(path)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def find(
        self, name: str, file_path: str, size: int | None, recorded: dict[str, str]
    ) -> Path | None:
        base = (file_path or name).replace("\\", "/").rsplit("/", 1)[-1] or name
        for candidate in self.by_name.get(base, []):
            if size is not None and candidate.stat().st_size != size:
                continue
            algorithm = next((a for a in ("sha256", "sm3", "sha1", "md5") if a in recorded), None)
            if algorithm is not None:
                if integrity.hash_file(candidate, [algorithm])[algorithm] != recorded[algorithm]:
                    continue
            return candidate
        return None
