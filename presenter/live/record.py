"""The presentation record (示证记录, Art. 49): an append-only, hash-chained JSON-lines file.

Each entry is numbered (`n`), carries the SHA-256 of the previous line's bytes (`prev`) and
its own hash (`hash`, over its other fields): a changed line fails its own hash, a removed
line leaves a gap in the numbers, an inserted one breaks the numbering or the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GENESIS = "0" * 64


def _canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="milliseconds")


class Record:
    """One record file, written one fsynced line at a time."""

    def __init__(self, path: Path, stream) -> None:
        self.path = path
        self._stream = stream
        self._lock = threading.Lock()
        self._n = 0
        self._prev = GENESIS
        self._head = GENESIS

    @classmethod
    def start(cls, folder: Path, deck_id: str, **details: Any) -> Record:
        """A new record file under `folder`, opened with a `start` entry."""
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = folder / f"{stamp}.jsonl"
        record = cls(path, open(path, "xb"))  # noqa: SIM115 - kept open for appending
        record.append("start", deck=deck_id, **details)
        return record

    @property
    def head(self) -> str:
        """The hash of the last entry: written down elsewhere, it anchors the whole chain."""
        return self._head

    def append(
        self,
        event: str,
        state: dict[str, Any] | None = None,
        controller: str | None = None,
        *,
        durable: bool = True,
        **extra: Any,
    ) -> dict[str, Any]:
        """Append one entry. It is written to the file (safe from a killed process) when this
        returns, and fsynced too (safe from a power cut) unless `durable` is false: then call
        `sync()` soon, as the court does right after telling the screens."""
        with self._lock:
            entry = {
                **extra,
                "n": self._n + 1,
                "time": _now(),
                "event": event,
                "controller": controller,
                "state": state,
                "prev": self._prev,
            }
            entry["hash"] = hashlib.sha256(_canonical(entry)).hexdigest()
            line = _canonical(entry) + b"\n"
            self._stream.write(line)
            self._stream.flush()
            if durable:
                os.fsync(self._stream.fileno())
            self._n += 1
            self._prev = hashlib.sha256(line).hexdigest()
            self._head = entry["hash"]
            return entry

    def sync(self) -> None:
        """Make every entry written so far durable (fsync)."""
        with self._lock:
            if not self._stream.closed:
                os.fsync(self._stream.fileno())

    def close(self) -> None:
        with self._lock:
            self._stream.close()


@dataclass(frozen=True)
class RecordCheck:
    """The verdict on a record file: whole, or the first line that is not."""

    ok: bool
    entries: int
    line: int | None = None
    code: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


MESSAGES: dict[str, tuple[str, str]] = {
    "ok": ("共 {entries} 条，校验链完整", "{entries} entries, the chain is whole"),
    "empty": ("记录为空", "the record is empty"),
    "unreadable": ("无法读取：{detail}", "cannot be read: {detail}"),
    "malformed": ("第 {line} 行不是记录条目", "line {line} is not a record entry"),
    "incomplete": ("第 {line} 行不完整（缺少换行）", "line {line} is incomplete (no newline)"),
    "changed": (
        "第 {line} 行已被修改：其校验值与内容不符",
        "line {line} was changed: its hash does not match its content",
    ),
    "removed": (
        "第 {line} 行之前有条目被删除（应为第 {expected} 条，实为第 {found} 条）",
        "an entry before line {line} was removed (expected entry {expected}, found {found})",
    ),
    "inserted": (
        "第 {line} 行是插入的：它不接续上一行",
        "line {line} was inserted: it does not follow the line before it",
    ),
}

_FIELDS = ("n", "time", "event", "prev", "hash")


def verify_record(path: Path) -> RecordCheck:
    """Walk the chain; stop at the first line that was changed, removed or inserted."""
    data = Path(path).read_bytes()
    if not data:
        return RecordCheck(False, 0, None, "empty")
    lines = data.split(b"\n")
    complete = lines[-1] == b""
    if complete:
        lines.pop()
    prev_line_hash, expected = GENESIS, 1
    for index, raw in enumerate(lines, 1):
        if index == len(lines) and not complete:
            return RecordCheck(False, index - 1, index, "incomplete")
        try:
            entry = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return RecordCheck(False, index - 1, index, "malformed")
        if not isinstance(entry, dict) or any(k not in entry for k in _FIELDS):
            return RecordCheck(False, index - 1, index, "malformed")
        claimed = entry.pop("hash")
        if hashlib.sha256(_canonical(entry)).hexdigest() != claimed:
            return RecordCheck(False, index - 1, index, "changed")
        n = entry["n"]
        if not isinstance(n, int) or n < expected:
            return RecordCheck(False, index - 1, index, "inserted")
        if n > expected:
            params = {"expected": expected, "found": n}
            return RecordCheck(False, index - 1, index, "removed", params)
        if entry["prev"] != prev_line_hash:
            return RecordCheck(False, index - 1, index, "inserted")
        prev_line_hash = hashlib.sha256(raw + b"\n").hexdigest()
        expected += 1
    return RecordCheck(True, len(lines))


def describe(check: RecordCheck, name: str, language: str = "zh-CN") -> str:
    """`FILE:LINE: message` for a broken chain, `FILE: message` for a whole one."""
    zh, en = MESSAGES["ok" if check.ok else check.code or "malformed"]
    message = (en if language.lower().startswith("en") else zh).format(
        entries=check.entries, line=check.line, **check.params
    )
    return f"{name}:{check.line}: {message}" if check.line else f"{name}: {message}"
