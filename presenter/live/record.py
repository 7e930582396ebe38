"""The presentation record (示证记录, Art. 49): an append-only, hash-chained JSON-lines file.

Each entry is numbered (`n`), carries the SHA-256 of the previous line's bytes (`prev`) and
its own hash (`hash`, over its other fields): a changed line fails its own hash, a removed
line leaves a gap in the numbers, an inserted one breaks the numbering or the chain.

Lines cut from the end leave a shorter chain that is still whole; what catches that is held
outside the file: the head written down at the end ("结束示证" writes a `close` entry and
shows it), and checkpoints signed by the instance's key (presenter.live.signing) that the
screens keep. `audit` checks a record against all three.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..i18n import pick
from ..i18n.record import FINDINGS, MESSAGES
from . import signing

GENESIS = "0" * 64
CLOSE = "close"
"""The event of the entry that ends a record ("结束示证", or the server stopped cleanly)."""
CHECKPOINT = "checkpoint"


def _canonical(entry: dict[str, Any], strict: bool = False) -> bytes:
    """An entry's bytes as hashed and written. Reading one back, `surrogatepass`: a line
    with a lone surrogate (never written: see `_clean`) fails its hash rather than the
    check; writing, `strict` raises on it."""
    text = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8", "strict" if strict else "surrogatepass")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(value: Any) -> Any:
    """The value with each lone surrogate (which UTF-8 cannot hold) as U+FFFD: a command may
    carry one, and the entry must still be written before any screen moves."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


class RecordEnded(Exception):
    """An entry for a record that has ended: it belongs to the next one."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="milliseconds")


def record_name() -> str:
    """A new record file's name: when it starts, to the microsecond (UTC)."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ") + ".jsonl"


def start_details(
    deck_id: str, signer: signing.Signer | None, state: dict[str, Any] | None, **details: Any
) -> tuple[str | None, dict[str, Any]]:
    """The controller and fields of a record's `start` entry: the deck, what the screens show
    as it starts, and the public key its checkpoints are signed with, when there is one."""
    if signer is not None:
        details = {**details, "key": signer.public_b64, "fingerprint": signer.fingerprint}
    controller = state.get("controller") if state else None
    return controller, {"deck": deck_id, **details}


@dataclass(frozen=True)
class Chain:
    """Where a record's chain stands: its file, its entries so far, the SHA-256 of its last
    line (the next entry's `prev`), its head (the last entry's hash), its id (the first
    entry's hash), whether it has ended, and its last entry's event."""

    file: str
    n: int = 0
    prev: str = GENESIS
    head: str = GENESIS
    first: str = GENESIS
    ended: bool = False
    last: str = ""

    def next(
        self,
        event: str,
        state: dict[str, Any] | None,
        controller: str | None,
        extra: dict[str, Any],
    ) -> tuple[Chain, dict[str, Any], bytes]:
        """The entry after this one, its line as written (with its newline), and the chain
        after it. Pure: a shared record builds its entries with it too."""
        entry = {
            **extra,
            "n": self.n + 1,
            "time": _now(),
            "event": event,
            "controller": controller,
            "state": state,
            "prev": self.prev,
        }
        try:
            body = _canonical(entry, strict=True)
        except UnicodeEncodeError:
            entry = _clean(entry)
            body = _canonical(entry, strict=True)
        entry["hash"] = hashlib.sha256(body).hexdigest()
        line = _canonical(entry, strict=True) + b"\n"
        after = replace(
            self,
            n=self.n + 1,
            prev=hashlib.sha256(line).hexdigest(),
            head=entry["hash"],
            first=entry["hash"] if self.n == 0 else self.first,
            ended=event == CLOSE,
            last=event,
        )
        return after, entry, line

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "n": self.n, "prev": self.prev, "head": self.head,
            "first": self.first, "ended": self.ended, "last": self.last,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chain:
        return cls(
            str(data["file"]), int(data["n"]), str(data["prev"]), str(data["head"]),
            str(data["first"]), bool(data["ended"]), str(data.get("last", "")),
        )  # fmt: skip


class Record:
    """One record file, written one fsynced line at a time."""

    def __init__(self, path: Path, stream, signer: signing.Signer | None = None) -> None:
        self.path = path
        self._stream = stream
        self._signer = signer
        self._lock = threading.Lock()
        self._chain = Chain(path.name)
        self._listeners: list[Callable[[int, str], None]] = []
        self.ended = False

    @classmethod
    def start(
        cls,
        folder: Path,
        deck_id: str,
        signer: signing.Signer | None = None,
        state: dict[str, Any] | None = None,
        **details: Any,
    ) -> Record:
        """A new record file under `folder`, opened with a `start` entry: what the screens
        show as it starts (`state`), and the public key its checkpoints are signed with,
        when there is a `signer`."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / record_name()
        record = cls(path, open(path, "xb"), signer)  # noqa: SIM115 - kept open for appending
        controller, extra = start_details(deck_id, signer, state, **details)
        record.append("start", state, controller, **extra)
        return record

    @property
    def head(self) -> str:
        """The hash of the last entry: written down elsewhere, it anchors the whole chain."""
        return self._chain.head

    @property
    def count(self) -> int:
        """How many entries the record has."""
        return self._chain.n

    @property
    def id(self) -> str:
        """The hash of the first entry: what names this record in its checkpoints."""
        return self._chain.first

    @property
    def closed(self) -> bool:
        """Whether the file is closed (ended, or closed without a closing entry)."""
        return self._stream.closed

    def subscribe(self, listener: Callable[[int, str], None]) -> None:
        """Also tell `listener` the entry count and head after each entry."""
        self._listeners.append(listener)

    def checkpoint(self) -> dict[str, Any] | None:
        """Sign the record as it is now (count, head, time), write the checkpoint to it as
        an entry of its own, and return it for the screens to keep. None without a key."""
        if self._signer is None:
            return None
        with self._lock:
            if self._stream.closed:
                return None
            chain = self._chain
            signed = self._signer.checkpoint(chain.first, chain.n, chain.head, _now())
            entry = self._write(CHECKPOINT, None, None, True, {"details": signed})
        self._told(entry)
        return signed

    def end(self, **details: Any) -> dict[str, Any]:
        """Write the closing entry, durably, and close the file, in one step: nothing is
        written after it. Returns the record's head as people note it down: `entries`,
        `head`, and a checkpoint signed over the closing entry (not written: the record has
        ended) for the screens to keep. Raises RecordEnded when it has ended already."""
        with self._lock:
            entry = self._write(CLOSE, None, None, True, details)
            self.ended = True
            self._stream.close()
        self._told(entry)
        closing: dict[str, Any] = {
            "entries": entry["n"], "head": entry["hash"], "file": self.path.name
        }  # fmt: skip
        if self._signer is not None:
            closing["checkpoint"] = self._signer.checkpoint(
                self._chain.first, entry["n"], entry["hash"], entry["time"]
            )
        return closing

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
        `sync()` soon, as the court does right after telling the screens. Raises RecordEnded
        once the record has ended (or was closed)."""
        with self._lock:
            entry = self._write(event, state, controller, durable, extra)
        self._told(entry)
        return entry

    def _write(
        self,
        event: str,
        state: dict[str, Any] | None,
        controller: str | None,
        durable: bool,
        extra: dict[str, Any],
    ) -> dict[str, Any]:
        """One entry to the file; the caller holds the lock."""
        if self._stream.closed:
            raise RecordEnded(self.path.name)
        chain, entry, line = self._chain.next(event, state, controller, extra)
        self._stream.write(line)
        self._stream.flush()
        if durable:
            os.fsync(self._stream.fileno())
        self._chain = chain
        return entry

    def _told(self, entry: dict[str, Any]) -> None:
        for listener in self._listeners:
            listener(entry["n"], entry["hash"])

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


_FIELDS = ("n", "time", "event", "prev", "hash")


def verify_record(path: Path) -> RecordCheck:
    """Walk the chain; stop at the first line that was changed, removed or inserted."""
    return _walk(Path(path).read_bytes())[0]


def _walk(data: bytes) -> tuple[RecordCheck, list[dict[str, Any]]]:
    """The chain's verdict, and the entries inside its verified part."""
    if not data:
        return RecordCheck(False, 0, None, "empty"), []
    lines = data.split(b"\n")
    complete = lines[-1] == b""
    if complete:
        lines.pop()
    prev_line_hash, expected = GENESIS, 1
    entries: list[dict[str, Any]] = []
    for index, raw in enumerate(lines, 1):
        if index == len(lines) and not complete:
            return RecordCheck(False, index - 1, index, "incomplete"), entries
        try:
            entry = json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, a 5000-digit number
            return RecordCheck(False, index - 1, index, "malformed"), entries
        if not isinstance(entry, dict) or any(k not in entry for k in _FIELDS):
            return RecordCheck(False, index - 1, index, "malformed"), entries
        claimed = entry.pop("hash")
        if hashlib.sha256(_canonical(entry)).hexdigest() != claimed:
            return RecordCheck(False, index - 1, index, "changed"), entries
        n = entry["n"]
        if not isinstance(n, int) or isinstance(n, bool) or n < expected:
            return RecordCheck(False, index - 1, index, "inserted"), entries
        if n > expected:
            params = {"expected": expected, "found": n}
            return RecordCheck(False, index - 1, index, "removed", params), entries
        if entry["prev"] != prev_line_hash:
            return RecordCheck(False, index - 1, index, "inserted"), entries
        prev_line_hash = hashlib.sha256(raw + b"\n").hexdigest()
        entries.append({**entry, "hash": claimed})
        expected += 1
    return RecordCheck(True, len(lines)), entries


@dataclass(frozen=True)
class Finding:
    """One thing `audit` found beyond the chain: `bad` when it shows the record is not
    the whole record the court saw (or cannot show it is)."""

    code: str
    bad: bool
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Audit:
    check: RecordCheck
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return self.check.ok and not any(f.bad for f in self.findings)


def audit(
    path: Path,
    expect: str | None = None,
    checkpoints: Iterable[dict[str, Any]] | None = None,
    public_key: str | None = None,
) -> Audit:
    """The chain, and what anchors it from outside: its closing entry, the signed
    checkpoints inside it, the head a person wrote down (`expect`), checkpoints a screen
    kept (`checkpoints`), and the signing key's fingerprint as printed (`public_key`)."""
    check, entries = _walk(Path(path).read_bytes())
    found: list[Finding] = []
    if not entries:
        return Audit(check, ())
    start = entries[0]
    local = _clock(start.get("timezone"))
    key = start.get("key") if start.get("event") == "start" else None
    own = _own_key(key)
    if own is None:
        found.append(Finding("no_key", True))
    else:
        found.append(Finding("key", False, {"fingerprint": signing.spaced(own)}))
        if public_key is not None and not signing.matches(own, public_key):
            found.append(
                Finding("key_mismatch", True, {"found": signing.spaced(own), "given": public_key})
            )
    closes = [e["n"] for e in entries[:-1] if e.get("event") == CLOSE]
    if closes:  # a record's file ends at its closing entry: what follows was added
        found.append(
            Finding("after_close", True, {"n": closes[0], "more": len(entries) - closes[0]})
        )
    if check.ok:
        last = entries[-1]
        said = {"n": last["n"], "time": local(last["time"])}
        found.append(Finding("closed", False, said) if last.get("event") == CLOSE else
                     Finding("not_closed", True, said))  # fmt: skip
    found += _inner_checkpoints(entries, own)
    if expect is not None:
        found.append(_expected(entries, expect, check.ok))
    if checkpoints is not None:
        found += _kept_checkpoints(entries, list(checkpoints), own, check.ok, local)
    return Audit(check, tuple(found))


def _clock(zone: object) -> Callable[[object], str]:
    """How a record's times are said to people: in its deck's time zone, to the second."""
    from ..formatting import zone as named

    try:
        tz = named(str(zone)) if zone else named("+08:00")
    except ValueError:
        tz = named("+08:00")

    def local(text: object) -> str:
        try:
            moment = dt.datetime.fromisoformat(str(text))
            if moment.tzinfo is None:
                return str(text)
            return f"{moment.astimezone(tz):%Y-%m-%d %H:%M:%S}"
        except (ValueError, OverflowError):  # not a time; year 9999 in another zone
            return str(text)

    return local


def _own_key(key: object) -> str | None:
    """The fingerprint of the public key a record's start entry names, if it is one."""
    import base64
    import binascii

    try:
        raw = base64.b64decode(str(key), validate=True) if isinstance(key, str) else b""
    except (binascii.Error, ValueError):
        return None
    return signing.fingerprint(raw) if len(raw) == 32 else None


def _inner_checkpoints(entries: list[dict[str, Any]], own: str | None) -> list[Finding]:
    """Each checkpoint written into the record: signed by the record's key, over this
    record, and naming an entry before it as it is."""
    found, count = [], 0
    for entry in entries:
        if entry.get("event") != CHECKPOINT:
            continue
        count += 1
        point = entry.get("details")
        verdict = signing.check(point)
        n = point.get("n") if isinstance(point, dict) else None
        if (
            not verdict.valid
            or verdict.key != own
            or point.get("record") != entries[0]["hash"]  # type: ignore[union-attr]
            or not isinstance(n, int)
            or not 1 <= n < entry["n"]
            or entries[n - 1]["hash"] != point.get("head")  # type: ignore[union-attr]
        ):
            found.append(Finding("inner_bad", True, {"n": entry["n"]}))
    if count:
        found.append(Finding("inner", False, {"count": count}))
    return found


def _expected(entries: list[dict[str, Any]], expect: str, whole: bool) -> Finding:
    """The head a person noted: the last entry's, an earlier one's, or none of this file's."""
    given = signing.hex_given(expect)
    if len(given) < signing.FINGERPRINT_SHORTEST or not re.fullmatch("[0-9a-f]+", given):
        return Finding("expect_short", True, {"given": expect})
    at = [e for e in entries if signing.matches(e["hash"], given)]
    if not at:
        return Finding("expect_missing", True, {"given": expect})
    n = at[-1]["n"]
    if n == entries[-1]["n"] and whole:
        return Finding("expect_last", False, {"n": n})
    return Finding("expect_earlier", False, {"n": n, "more": entries[-1]["n"] - n})


def _kept_checkpoints(
    entries: list[dict[str, Any]],
    kept: list[dict[str, Any]],
    own: str | None,
    whole: bool,
    local: Callable[[object], str],
) -> list[Finding]:
    """Checkpoints a screen kept, against this record: each one of this record must be
    signed by its key and name an entry the file has, as it is."""
    found: list[Finding] = []
    mine = [c for c in kept if isinstance(c, dict) and c.get("record") == entries[0]["hash"]]
    if not mine:
        return [Finding("kept_none", True, {"count": len(kept)})]
    latest = 0
    for point in mine:
        verdict = signing.check(point)
        n, time = point.get("n"), local(point.get("time", ""))
        if not verdict.valid:
            found.append(Finding("kept_invalid", True, {"time": time}))
        elif own is not None and verdict.key != own:
            found.append(Finding("kept_foreign", True, {"time": time, "found": verdict.key[:16]}))
        elif not isinstance(n, int) or n < 1:
            found.append(Finding("kept_invalid", True, {"time": time}))
        elif n > len(entries):
            code = "kept_beyond" if whole else "kept_unreached"
            found.append(Finding(code, True, {"n": n, "time": time, "entries": len(entries)}))
        elif entries[n - 1]["hash"] != point.get("head"):
            found.append(Finding("kept_differs", True, {"n": n, "time": time}))
        else:
            latest = max(latest, n)
    others = len(kept) - len(mine)
    if latest:
        found.append(Finding("kept_ok", False, {"count": len(mine), "n": latest, "others": others}))
    return found


def describe(check: RecordCheck, name: str, language: str = "zh-CN") -> str:
    """`FILE:LINE: message` for a broken chain, `FILE: message` for a whole one."""
    words = MESSAGES["ok" if check.ok else check.code or "malformed"]
    message = pick(words, language).format(entries=check.entries, line=check.line, **check.params)
    return f"{name}:{check.line}: {message}" if check.line else f"{name}: {message}"


def describe_finding(finding: Finding, language: str = "zh-CN") -> str:
    said = {k: _clean(str(v)) for k, v in finding.params.items()}  # a terminal can print it
    return pick(FINDINGS[finding.code], language).format(**said)
