"""Cellebrite UFDR: a zip holding `report.xml` and the extracted files.

Nothing in the zip is trusted: member names with `..` or an absolute path, too many members
or too many bytes are refused before anything is read; report.xml is read with defusedxml
(no DTD, no entities) and only up to MAX_REPORT bytes. Only the files the report names are
copied, straight from the zip into the deck, hashed as they are copied and checked against
the report's values.

From the report: the extraction (tool and version, type, start and end), the device (make,
model, IMEI, serial, OS) and the examiner go into every item's `[source]`; each chat becomes a
chat item and the calls and the contacts a table item each, their CSV written from the report
(a `[[source.change]]` says so); each file the report lists becomes an item with its recorded
MD5/SHA-256 (`[[source.hash]]`) and its own times (`[[source.file]]`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from contextlib import ExitStack
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .. import i18n, integrity
from ..formatting import zone
from ..i18n.importing import UFDR_WORDS
from .chats import CHAT_ROLES, CSV_COLUMNS, Message, messages_csv
from .guess import SNIFF_BYTES, mime_of, view_of
from .writer import ORIGIN_REPORT, Imported, ImportFailure, Item, Payload, moment

MAX_MEMBERS = 200_000
MAX_TOTAL = 4 << 30
"""Uncompressed bytes a UFDR may hold (4 GiB); a larger one is refused before any is read."""
MAX_REPORT = 512 << 20
"""Bytes of report.xml read (512 MiB)."""
HASHES = {"md5": "md5", "sha1": "sha1", "sha-1": "sha1", "sha256": "sha256", "sha-256": "sha256"}
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def is_ufdr(path: Path) -> bool:
    """A .ufdr file (told when it is broken), or a zip holding report.xml."""
    if path.suffix.lower() == ".ufdr":
        return True
    if not path.is_file() or not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return any(_report_name(n) for n in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _report_name(name: str) -> bool:
    return name.replace("\\", "/").rsplit("/", 1)[-1].lower() == "report.xml"


def import_ufdr(path: Path, tz: dt.tzinfo, language: str, stack: ExitStack) -> Imported:
    words = i18n.pick_all(UFDR_WORDS, language)
    try:
        archive = stack.enter_context(zipfile.ZipFile(path))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportFailure(words["bad_zip"].format(path=path, detail=error)) from None
    if len(members) > MAX_MEMBERS:
        raise ImportFailure(words["too_many"].format(path=path, count=len(members)))
    for member in members:
        name = member.filename
        parts = name.replace("\\", "/").split("/")
        absolute = name.startswith(("/", "\\")) or bool(_WINDOWS_DRIVE.match(name))
        if absolute or ".." in parts or "\0" in name:
            raise ImportFailure(words["bad_member"].format(path=path, member=name))
    total = sum(m.file_size for m in members)
    if total > MAX_TOTAL:
        raise ImportFailure(words["too_big"].format(path=path, size=total))
    reports = [m for m in members if _report_name(m.filename)]
    if not reports:
        raise ImportFailure(words["no_report"].format(path=path))
    report = min(reports, key=lambda m: m.filename.count("/"))
    if report.file_size > MAX_REPORT:
        raise ImportFailure(words["report_too_big"].format(path=path))
    try:
        with archive.open(report) as stream:
            data = stream.read(MAX_REPORT + 1)
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ParseError) as error:
        raise ImportFailure(words["bad_xml"].format(path=path, detail=error)) from None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportFailure(words["bad_zip"].format(path=path, detail=error)) from None
    for element in root.iter():
        element.tag = str(element.tag).rsplit("}", 1)[-1]
    base = report.filename.replace("\\", "/").rpartition("/")[0]
    by_name = {m.filename.replace("\\", "/"): m for m in members}
    report_sha256 = integrity.hash_bytes(data, "sha256")
    return _Report(root, archive, by_name, base, tz, words, path.stem, report_sha256).imported()


class _Report:
    def __init__(
        self,
        root: Element,
        archive: zipfile.ZipFile,
        members: dict[str, zipfile.ZipInfo],
        base: str,
        tz: dt.tzinfo,
        words: dict[str, str],
        name: str,
        report_sha256: str,
    ) -> None:
        self.root, self.archive, self.members, self.base = root, archive, members, base
        self.tz, self.words, self.name, self.report_sha256 = tz, words, name, report_sha256
        self.files: dict[str, Payload] = {}  # by the report's file id

    def imported(self) -> Imported:
        source = self.source()
        items: list[Item] = []
        files = self.file_items(source)
        items += self.chats(source)
        items += self.calls(source)
        items += self.contacts(source)
        items += files
        case = {}
        return Imported(self.name, items, case)

    # --- the extraction, the device, the examiner ----------------------------------------

    def section(self, *names: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for metadata in self.root.iter("metadata"):
            if metadata.get("section") in names:
                for item in metadata.iter("item"):
                    if item.get("name") and (item.text or "").strip():
                        found.setdefault(item.get("name", ""), (item.text or "").strip())
        return found

    def source(self) -> dict[str, Any]:
        extraction = self.section("Extraction Data")
        device = self.section("Device Info")
        both = {**device, **extraction}

        def first(*keys: str) -> str:
            return next((both[k] for k in keys if both.get(k)), "")

        info = next(self.root.iter("extractionInfo"), None)
        kind = first("DeviceInfoExtractionType", "ExtractionType") or (
            info.get("type", "") if info is not None else ""
        )
        kind = kind or self.root.get("extractionType", "")
        tool = " ".join(
            p for p in (first("DeviceInfoUnitIdentifier"), first("DeviceInfoUnitVersion")) if p
        )
        start = _time(first("DeviceInfoExtractionStartDateTime"), self.tz)
        end = _time(first("DeviceInfoExtractionEndDateTime"), self.tz)
        make = first("DeviceInfoDetectedManufacturer", "DeviceInfoSelectedManufacturer")
        model = first("DeviceInfoDetectedModel", "DeviceInfoSelectedDeviceName")
        imei = first("IMEI", "DeviceInfoIMEI")
        serial = first("Serial", "DeviceInfoSerial", "SerialNumber")
        system = first("DeviceInfoOSVersion", "OS Version")
        examiner = ""
        for field in self.root.iter("field"):
            if field.get("fieldType") == "ExaminerName" or field.get("name") == "Examiner Name":
                examiner = (field.text or "").strip()
                break
        examiner = examiner or first("ExaminerName")
        lines = [self.words["procedure"], ""]  # a Markdown list after the line
        for label, value in (
            ("extraction_type", kind),
            ("start", _read(moment(start, self.tz))),
            ("end", _read(moment(end, self.tz))),
            ("system", system),
            ("report", f"report.xml SHA-256 {self.report_sha256}"),
        ):
            if value:
                lines.append(f"- {self.words[label]}：{value}")
        source: dict[str, Any] = {
            "collected_at": moment(start, self.tz),
            "tool": tool,
            "procedure": "\n".join(lines),
            "collectors": [examiner] if examiner else [],
            "medium": {
                "brand": make,
                "model": model,
                "serial": serial,
                "identifier": f"IMEI {imei}" if imei else "",
            },
        }
        if not any(source["medium"].values()):
            del source["medium"]
        return source

    # --- files ---------------------------------------------------------------------------

    def payload(self, file: Element) -> Payload | None:
        """The file the report describes, from the zip; None when the zip lacks it."""
        identifier = file.get("id", "")
        if identifier in self.files:
            return self.files[identifier]
        meta = {
            (i.get("name") or "").strip(): (i.text or "").strip()
            for m in file.iter("metadata")
            for i in m.iter("item")
        }
        local = meta.get("Local Path", "").replace("\\", "/").strip("/")
        candidates = [local, f"{self.base}/{local}" if self.base else local]
        member = next((self.members[c] for c in candidates if c in self.members), None)
        if member is None or member.is_dir():
            return None
        record: dict[str, Any] = {"size": member.file_size}
        for stamp in file.iter("timestamp"):
            key = _TIMESTAMPS.get(stamp.get("name", ""))
            value = _time((stamp.text or "").strip(), self.tz)
            if key and value is not None:
                record[key] = moment(value, self.tz)
        record["origin"] = ORIGIN_REPORT
        recorded = {
            HASHES[k.lower()]: v.lower()
            for k, v in meta.items()
            if k.lower() in HASHES and re.fullmatch(r"[0-9A-Fa-f]+", v)
        }
        name = PurePosixPath(local).name or f"file-{identifier}"
        payload = Payload(
            name,
            lambda: self.archive.open(member),
            member.file_size,
            record,
            recorded,
            device_path=file.get("path", ""),
        )
        self.files[identifier] = payload
        return payload

    def file_items(self, source: dict[str, Any]) -> list[Item]:
        items = []
        for file in self.root.iter("file"):
            payload = self.payload(file)
            if payload is None:
                continue
            with payload.open() as stream:
                head = stream.read(SNIFF_BYTES)
            mime = mime_of(head)
            view = view_of(mime, payload.name)
            item = Item(
                title=payload.name,
                view=view,
                files=[payload],
                type="file",
                source=dict(source),
                why_no_view=mime,
            )
            if payload.device_path:
                item.body = self.words["device_path"].format(path=payload.device_path)
            items.append(item)
        return items

    # --- decoded data --------------------------------------------------------------------

    def models(self, kind: str) -> list[Element]:
        return [
            model
            for model_type in self.root.iter("modelType")
            if model_type.get("type") == kind
            for model in model_type.findall("model")
        ]

    def derived(self, name: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> Payload:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        data = out.getvalue().encode("utf-8")
        return Payload(name, lambda: io.BytesIO(data), len(data))

    def change(self, what: str) -> dict[str, str]:
        return {
            "what": self.words["taken"].format(what=what),
            "why": self.words["taken_why"].format(sha256=self.report_sha256),
        }

    def chats(self, source: dict[str, Any]) -> list[Item]:
        items = []
        for n, chat in enumerate(self.models("Chat"), 1):
            app = _value(chat, "Source")
            name = _value(chat, "Name") or ", ".join(
                filter(None, (_party(p) for p in _children(chat, "Participants")))
            )
            messages: list[Message] = []
            attachments: dict[str, Payload] = {}
            for message in _children(chat, "Messages"):
                sender = next((_party(p) for p in _children(message, "From")), "")
                attachment = ""
                for entry in _children(message, "Attachments"):
                    found = self.attachment(entry)
                    if found is not None:
                        attachment = found.name + "#" + str(id(found))
                        attachments[attachment] = found
                        break
                time = _time(_value(message, "TimeStamp"), self.tz)
                messages.append(
                    Message(
                        moment(time, self.tz).isoformat() if time else "",  # type: ignore[union-attr]
                        sender,
                        _value(message, "Body"),
                        attachment,
                    )
                )
            if not messages:
                continue
            table = messages_csv(messages, attachments)
            title = " ".join(p for p in (app, name) if p) or f"chat {n}"
            derived = Payload(f"chat-{n:03d}.csv", lambda t=table: io.BytesIO(t.getvalue()), 0)
            item = Item(
                title=title,
                view="chat",
                files=[derived, *{id(p): p for p in attachments.values()}.values()],
                type="communication",
                columns=dict(zip(CHAT_ROLES, CSV_COLUMNS, strict=True)),
                source=dict(source),
                changes=[self.change(self.words["chat"].format(title=title))],
            )
            items.append(item)
        return items

    def attachment(self, entry: Element) -> Payload | None:
        targets = [t.text.strip() for t in entry.iter("targetid") if t.text]
        for file in self.root.iter("file"):
            if file.get("id") in targets:
                return self.payload(file)
        filename = _value(entry, "Filename")
        if filename:
            for file in self.root.iter("file"):
                if PurePosixPath(file.get("path", "").replace("\\", "/")).name == filename:
                    return self.payload(file)
        return None

    def calls(self, source: dict[str, Any]) -> list[Item]:
        rows = []
        for call in self.models("Call"):
            parties = _children(call, "Parties")
            other = next((p for p in parties if _value(p, "IsPhoneOwner") != "True"), None)
            time = _time(_value(call, "TimeStamp"), self.tz)
            rows.append(
                (
                    moment(time, self.tz).isoformat() if time else "",  # type: ignore[union-attr]
                    _value(call, "Direction"),
                    _value(call, "Status") or _value(call, "Type"),
                    _value(other, "Identifier") if other is not None else "",
                    _value(other, "Name") if other is not None else "",
                    _value(call, "Duration"),
                    _value(call, "Source"),
                )
            )
        return self.table("calls", rows, self.words["calls"], "behaviour", source)

    def contacts(self, source: dict[str, Any]) -> list[Item]:
        rows = []
        for contact in self.models("Contact"):
            entries = _children(contact, "Entries") + _children(contact, "PhoneNumbers")
            values = [_value(e, "Value") for e in entries if _value(e, "Value")]
            rows.append((_value(contact, "Name"), "；".join(values), _value(contact, "Source")))
        return self.table("contacts", rows, self.words["contacts"], "TODO", source)

    def table(
        self, key: str, rows: list[tuple[str, ...]], title: str, kind: str, source: dict[str, Any]
    ) -> list[Item]:
        if not rows:
            return []
        header = tuple(self.words[f"{key}_columns"].split(","))
        payload = self.derived(f"{key}.csv", rows, header)
        item = Item(
            title=title,
            view="table",
            files=[payload],
            type=kind,
            source=dict(source),
            changes=[self.change(title)],
        )
        if key == "calls":
            item.columns = {"time": header[0]}
        return [item]


_TIMESTAMPS = {
    "CreationTime": "created",
    "ModifyTime": "modified",
    "AccessTime": "accessed",
    "ChangeTime": "changed",
    "MetadataChangeTime": "changed",
}


def _children(model: Element | None, name: str) -> list[Element]:
    """The models in a model's multiModelField or modelField of that name."""
    if model is None:
        return []
    found: list[Element] = []
    for holder in model:
        if holder.tag in ("multiModelField", "modelField") and holder.get("name") == name:
            found += holder.findall("model")
    return found


def _value(model: Element | None, name: str) -> str:
    if model is None:
        return ""
    for field in model.findall("field"):
        if field.get("name") == name:
            value = field.find("value")
            return (value.text or "").strip() if value is not None else ""
    return ""


def _party(party: Element) -> str:
    name, identifier = _value(party, "Name"), _value(party, "Identifier")
    if name and identifier and name != identifier:
        return f"{name}（{identifier}）"
    return name or identifier


_FORMATS = ("%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%Y-%m-%d %H:%M:%S")
_ZONE_SUFFIX = re.compile(r"\s*\((UTC[+-][0-9:]+|UTC)\)\s*$")


def _read(value: dt.datetime | None) -> str:
    """A time as a person reads it in the deck's zone, with its offset: 2026-05-12 15:02:10
    (UTC+08:00)."""
    if value is None:
        return ""
    offset = value.strftime("%z")
    return f"{value:%Y-%m-%d %H:%M:%S} (UTC{offset[:3]}:{offset[3:]})" if offset else f"{value}"


def _time(text: str, tz: dt.tzinfo) -> dt.datetime | None:
    """A report's time: ISO 8601, or `2024/03/05 14:30:00(UTC+8)` and its kin."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    offset = _ZONE_SUFFIX.search(text)
    zone_of = tz
    if offset:
        try:
            zone_of = zone(offset.group(1))
        except ValueError:
            return None
        text = text[: offset.start()]
    for pattern in _FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), pattern).replace(tzinfo=zone_of)
        except ValueError:
            continue
    return None
