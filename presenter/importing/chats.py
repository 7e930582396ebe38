"""Chat exports of the common WeChat/QQ export tools: their CSV, HTML and TXT forms.

A CSV export is the item's file as it is, its headers mapped to the chat view's roles
(`StrTime`, `Sender`/`NickName`, `StrContent`) and its encoding left to detection. An HTML or
TXT export is kept byte for byte as the item's first file; its messages, parsed, are written
to a UTF-8 CSV listed beside it, with a `[[source.change]]` saying so. Attachments (pictures,
voice .amr/.silk, video) are resolved relative to the export's folder, never outside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .. import i18n
from ..i18n.importing import CHAT_WORDS
from .writer import Imported, ImportFailure, Item, Payload, on_disk, stat_record

MAX_EXPORT = 1 << 30
"""Bytes of an HTML or TXT export read into memory: far beyond any real chat export."""
TIME_HEADERS = ("StrTime", "时间", "发送时间", "time", "CreateTime")
SENDER_HEADERS = ("Sender", "NickName", "发送人", "发送者", "发送方", "昵称", "sender", "from")
SENDER_HEADERS += ("author", "Remark")
TEXT_HEADERS = ("StrContent", "内容", "消息内容", "消息", "text", "content", "message", "body")
TIME_HEADERS += ("timestamp", "date")
ATTACHMENT_HEADERS = ("attachment", "附件", "MsgPath", "path", "FilePath", "media")
MEDIA = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".heic",
    ".amr", ".silk", ".mp3", ".m4a", ".wav", ".aac",
    ".mp4", ".mov", ".3gp", ".avi", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip",
)  # fmt: skip
CHAT_ROLES = ("time", "sender", "text", "attachment")
CSV_COLUMNS = ("时间", "发送人", "内容", "附件")
"""The columns of a CSV the import writes: the chat view's roles, in the deck's words."""
TXT_HEADER = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2})?)\s+(\S.*?)\s*$")
TXT_ATTACHMENT = re.compile(r"^\[(?:图片|语音|视频|文件|image|voice|video|file)\]\s*(.+)$", re.I)


@dataclass
class Message:
    time: str
    sender: str
    text: str
    attachment: str = ""
    """The attachment's path relative to the export's folder."""


def decode(data: bytes) -> str:
    """Text of an export: UTF-8 (with or without BOM), else GB18030 (GBK's superset)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def chat_columns(header: list[str]) -> dict[str, str] | None:
    """The chat view's roles mapped to a header that has a time, a sender and a text."""
    found: dict[str, str] = {}
    for role, names in (("time", TIME_HEADERS), ("sender", SENDER_HEADERS), ("text", TEXT_HEADERS)):
        wanted = {n.lower() for n in names}
        match = next((n for n in names for h in header if h.strip() == n), None)
        match = match or next((h for h in header if h.strip().lower() in wanted), None)
        if match is None:
            return None
        found[role] = match
    return found


def sniff(path: Path) -> str | None:
    """ "csv", "html" or "txt" when the file reads as a chat export of that form."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as stream:
            head = decode(stream.read(64 << 10))
    except OSError:
        return None
    if suffix == ".csv":
        header = next(csv.reader(io.StringIO(head)), [])
        return "csv" if chat_columns(header) else None
    if suffix in (".html", ".htm"):
        return "html"
    if suffix == ".txt":
        return "txt" if any(TXT_HEADER.match(line) for line in head.splitlines()[:50]) else None
    return None


def import_chat(
    path: Path, form: str, tz: dt.tzinfo, record: dict[str, Any], language: str
) -> Imported:
    """The chat export at `path`; `record` its times, read before anything read it."""
    words = i18n.pick_all(CHAT_WORDS, language)
    folder = path.parent
    if path.stat().st_size == 0:
        raise ImportFailure(words["empty"].format(path=path))
    if path.stat().st_size > MAX_EXPORT:
        raise ImportFailure(words["too_big"].format(path=path))
    export = Payload(path.name, on_disk(path), path.stat().st_size, record, path=path)
    item = Item(title=path.stem, view="chat", files=[export], type="communication")
    imported = Imported(path.stem, [item])
    if form == "csv":
        header, rows = _csv_rows(path)
        columns = chat_columns(header)
        if columns is None or not rows:
            raise ImportFailure(words["empty"].format(path=path))
        item.columns = columns
        column = next((h for h in header if h.strip().lower() in _lower(ATTACHMENT_HEADERS)), "")
        if column:
            at = header.index(column)
            named = [r[at] for r in rows if at < len(r) and r[at].strip()]
            item.files += _attachments(folder, named, tz, {})
            item.columns["attachment"] = column  # read relative to the CSV, as written
        return imported
    data = path.read_bytes()
    messages = parse_html(decode(data)) if form == "html" else parse_txt(decode(data))
    if not messages:
        raise ImportFailure(words["no_messages"].format(path=path))
    attachments: dict[str, Payload] = {}
    found = _attachments(folder, [m.attachment for m in messages if m.attachment], tz, attachments)
    table = messages_csv(messages, attachments)
    derived = Payload(f"{path.stem}（解析）.csv", lambda: io.BytesIO(table.getvalue()), 0)
    item.files += [derived, *found]
    item.columns = dict(zip(CHAT_ROLES, CSV_COLUMNS, strict=True))
    item.changes.append(
        {
            "what": words["parsed"].format(form=form.upper(), csv=derived.name),
            "why": words["parsed_why"].format(name=path.name),
        }
    )
    return imported


def messages_csv(messages: Iterable[Message], attachments: dict[str, Payload]) -> _DeferredCsv:
    return _DeferredCsv(list(messages), attachments)


class _DeferredCsv:
    """A CSV whose attachment cells are the attachments' deck paths: known once the writer
    has placed every file, before it opens any to copy it."""

    def __init__(self, messages: list[Message], attachments: dict[str, Payload]) -> None:
        self.messages, self.attachments = messages, attachments

    def getvalue(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for m in self.messages:
            payload = self.attachments.get(m.attachment)
            path = payload.deck_path if payload is not None else ""
            text = m.text if payload is not None or not m.attachment else m.text or m.attachment
            writer.writerow((m.time, m.sender, text, path))
        return out.getvalue().encode("utf-8")


def _lower(names: Iterable[str]) -> set[str]:
    return {n.lower() for n in names}


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    text = decode(path.read_bytes())
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    return (rows[0], rows[1:]) if rows else ([], [])


def _attachments(
    folder: Path, names: list[str], tz: dt.tzinfo, by_name: dict[str, Payload]
) -> list[Payload]:
    """The attachments named, found inside the export's folder; each once."""
    root = folder.resolve()
    found: list[Payload] = []
    for name in names:
        if name in by_name:
            continue
        relative = name.strip().replace("\\", "/").removeprefix("./")
        candidate = (folder / relative).resolve()
        inside = candidate.is_relative_to(root) and not relative.startswith("/")
        if not inside or not candidate.is_file():
            continue
        payload = Payload(
            candidate.relative_to(root).as_posix(),
            on_disk(candidate),
            candidate.stat().st_size,
            stat_record(candidate, tz),
        )
        by_name[name] = payload
        found.append(payload)
    return found


# --- TXT -----------------------------------------------------------------------------------


def parse_txt(text: str) -> list[Message]:
    """`2024-03-01 10:00:00 张某` lines, each followed by the message's lines."""
    messages: list[Message] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        header = TXT_HEADER.match(line)
        if header:
            messages.append(Message(header.group(1), header.group(2), ""))
        elif messages:
            m = messages[-1]
            named = TXT_ATTACHMENT.match(line.strip())
            if named and not m.attachment:
                m.attachment = named.group(1).strip()
            elif line.strip().lower().endswith(MEDIA) and not m.attachment and not m.text:
                m.attachment = line.strip()
            else:
                m.text = f"{m.text}\n{line}" if m.text else line
    for m in messages:
        m.text = m.text.strip("\n")
    return messages


# --- HTML ----------------------------------------------------------------------------------

BLOCK_CLASSES = frozenset({"message", "msg", "chat-message", "message-item", "msg-item"})
ROLE_CLASSES = {
    "time": frozenset({"time", "date", "timestamp", "msg-time", "message-time"}),
    "sender": frozenset({"sender", "nickname", "name", "from", "author", "msg-sender"}),
    "text": frozenset({"content", "text", "msg-text", "message-content", "body", "bubble"}),
}
_MEDIA_TAGS = frozenset({"img", "audio", "video", "source", "a", "embed"})
_VOID = frozenset({"img", "br", "hr", "meta", "input", "source", "link", "wbr", "col", "area"})


class _ChatHtml(HTMLParser):
    """One message per element whose class is a message block; in it, the texts of the
    elements classed time, sender and content, and the first media `src` (or `href`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.messages: list[Message] = []
        self.stack: list[tuple[str, str | None, bool]] = []  # tag, role, starts a block
        self.current: dict[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = set((values.get("class") or "").lower().split())
        if self.current is not None:
            self._attachment(tag, values)
            if tag == "br":
                self._text("\n")
        if tag in _VOID:
            return
        block = self.current is None and bool(classes & BLOCK_CLASSES)
        if block:
            self.current = {"time": [], "sender": [], "text": [], "attachment": []}
        role = next((r for r, names in ROLE_CLASSES.items() if classes & names), None)
        self.stack.append((tag, role, block))

    def _attachment(self, tag: str, values: dict[str, str | None]) -> None:
        """The first local media of the message's content (not an avatar, not a link out)."""
        link = values.get("src") or (values.get("href") if tag == "a" else None)
        if not link or self.current is None or self.current["attachment"]:
            return
        if link.startswith(("http:", "https:", "data:")) or tag not in _MEDIA_TAGS:
            return
        role = next((r for _, r, _ in reversed(self.stack) if r), None)
        if role == "text" and (tag != "a" or link.lower().endswith(MEDIA)):
            self.current["attachment"].append(link)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                closed = self.stack[i:]
                del self.stack[i:]
                if any(block for _, _, block in closed):
                    self._finish()
                return

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _text(self, data: str) -> None:
        if self.current is None:
            return
        role = next((r for _, r, _ in reversed(self.stack) if r), None)
        if role:
            self.current[role].append(data)

    def _finish(self) -> None:
        found, self.current = self.current, None
        if found is None:
            return
        text = "".join(found["text"]).strip()
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
        time = " ".join("".join(found["time"]).split())
        sender = " ".join("".join(found["sender"]).split())
        attachment = found["attachment"][0] if found["attachment"] else ""
        if time or sender or text or attachment:
            self.messages.append(Message(time, sender, text, attachment))


def parse_html(text: str) -> list[Message]:
    parser = _ChatHtml()
    parser.feed(text)
    parser.close()
    parser._finish()
    return parser.messages
