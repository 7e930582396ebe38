"""Personal numbers found in the pictures and PDF pages a deck shows (自动识别), proposed as
boxes to black out on public screens.

Each file is read once, offline, in a child process with time and memory limits (a hostile
picture cannot stall or swell the server), and what was found is kept as JSON in the
instance's deck folder under `redaction/`, one file per original, keyed by the original's
content (its SHA-256, remembered by path, size, modification and change times): a changed
file is read again, and the same picture in two copies of a deck is read once. A folder
named by SHIZHENG_READINGS is shared by every instance instead. Only the masked number is
kept (138****0001), never the whole one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..deck import Deck, Exhibit
from ..deck.checks import is_video, redactable_files
from ..integrity import hash_file
from ..originals import _kill_group, _limits
from .decisions import FILE, Decisions, write_json
from .ocr import NO_TELEMETRY

VERSION = 1
"""Part of a reading's key: a change in how files are read reads them again."""
FOLDER = "redaction"
"""The readings' folder in an instance's deck folder."""
SHARED = "SHIZHENG_READINGS"
"""The environment variable naming a folder of readings shared by every instance (they are
kept by content, so sharing them is sound: the same picture reads the same)."""
MOST_PAGES = 300
PDF_SECONDS = 900.0
"""A PDF is read from its first page until this many pages are read or this much time has
passed: a larger one is reported not fully read (its other pages never reach a public
screen)."""
FILE_SECONDS = 300.0
"""Seconds one picture, or one page after the PDF's time is up, may take before the child
is stopped."""
NICENESS = 10
"""Reading runs behind the server and the renders: the court's screens come first."""
GRID = 1000
"""Boxes snap outward to multiples of 1/GRID: the same box, and id, from run to run."""

Progress = Callable[[str, float], None]
"""Told the deck path of the file being read and the fraction of it done, 0 to 1."""

_DETECTING = threading.Lock()
"""One deck's detection at a time in a process: a second waits, then finds all read."""


@dataclass(frozen=True)
class Proposal:
    """A number found in a picture or page, proposed for blacking out (建议遮盖)."""

    id: str
    """16 lowercase hex digits, the same from run to run for the same file."""
    file: str
    """The exhibit's file, by its deck path."""
    page: int
    """1-based page of a PDF; 1 for a picture."""
    box: tuple[float, float, float, float]
    """x, y, w, h in fractions of the upright picture or the page as shown."""
    kind: str
    """id_card (身份证号), mobile (手机号) or bank_card (银行卡号)."""
    masked: str
    """The number with its middle starred: what may be shown of it."""


@dataclass(frozen=True)
class Reading:
    """What reading one file gave."""

    file: str
    pages: int
    """The file's pages (1 for a picture; 0 when it could not be opened)."""
    read: tuple[int, ...]
    """The pages read: a page not among them never reaches a public screen."""
    proposals: tuple[Proposal, ...]
    failed: tuple[str, str] | None = None
    """Why reading stopped before the end, when it failed (zh, en)."""

    @property
    def complete(self) -> bool:
        return self.failed is None and len(self.read) == self.pages > 0


def shown_pictures(deck: Deck) -> Iterator[tuple[Exhibit, str]]:
    """Every picture and PDF whose pixels a screen is sent, by its exhibit and deck path:
    the files of image and document items, and the pictures attached to chats."""
    for exhibit in deck.exhibits:
        for name in redactable_files(exhibit):
            if not is_video(name):
                yield exhibit, name


def detected(
    folder: Path, deck: Deck, exhibit: Exhibit, name: str, page: int = 1
) -> list[Proposal] | None:
    """The proposals on one picture or page, or None when it has not been read (not yet,
    changed since, past a PDF's bounds, or unreadable): then no public screen may show it."""
    found = reading(folder, deck, exhibit, name)
    if found is None or page not in found.read:
        return None
    return [p for p in found.proposals if p.page == page]


def reading(folder: Path, deck: Deck, exhibit: Exhibit, name: str) -> Reading | None:
    """What reading the file gave, or None when it has not been read as it is now."""
    key = _key(deck, exhibit, name)
    if key is None:
        return None
    path = _reading_path(folder, key)
    try:
        stat = path.stat()
    except OSError:
        return None
    kept = _load(path, stat.st_mtime_ns, stat.st_size)
    if kept is None or kept[0] != key:
        return None
    found = kept[1]  # read by content: perhaps under another name, in another deck
    proposals = tuple(replace(p, file=name) for p in found.proposals)
    return replace(found, file=name, proposals=proposals)


def detect_deck(folder: Path, deck: Deck, progress: Progress | None = None) -> None:
    """Read every picture and PDF the deck shows that has not been read as it is now."""
    with _DETECTING:
        seen: set[str] = set()
        for exhibit, name in shown_pictures(deck):
            if name in seen:
                continue
            seen.add(name)
            key = _key(deck, exhibit, name)
            if key is not None and reading(folder, deck, exhibit, name) is None:
                _detect(folder, deck, exhibit, name, key, progress)


def pending(folder: Path, deck: Deck) -> list[tuple[str, str, Proposal]]:
    """The proposals no one has confirmed or dismissed yet, by exhibit id and deck path."""
    decided = Decisions(folder / FILE).all()
    waiting = []
    for exhibit, name in shown_pictures(deck):
        found = reading(folder, deck, exhibit, name)
        for proposal in found.proposals if found is not None else ():
            if proposal.id not in decided:
                waiting.append((exhibit.id, name, proposal))
    return waiting


def _key(deck: Deck, exhibit: Exhibit, name: str) -> str | None:
    """The original's content (its SHA-256: its display copy is made from it alone), or None
    if unreadable."""
    original = deck.root / name
    try:
        stat = original.stat()
    except OSError:
        return None
    # the change time too: an edit that puts the modification time back is still an edit
    digest = _content(str(original.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    return None if digest is None else f"{VERSION}|{digest}"


@functools.lru_cache(maxsize=4096)
def _content(path: str, size: int, mtime_ns: int, ctime_ns: int) -> str | None:
    """The SHA-256 of a file, once per version of it (size and times are the cache's key)."""
    try:
        return hash_file(Path(path), ["sha256"])["sha256"]
    except OSError:
        return None


def readings_folder(folder: Path) -> Path:
    """Where the readings of an instance's deck folder are kept (SHARED, when it is set)."""
    shared = os.environ.get(SHARED)
    return Path(shared) if shared else Path(folder, FOLDER)


def _reading_path(folder: Path, key: str) -> Path:
    return readings_folder(folder) / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


@functools.lru_cache(maxsize=1024)
def _load(path: Path, mtime_ns: int, size: int) -> tuple[str, Reading] | None:
    """A reading kept on disk, with its key (read again only when the file changes); None
    for one unreadable or not as written."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        name = str(data["file"])
        proposals = tuple(
            Proposal(
                id=str(p["id"]),
                file=name,
                page=int(p["page"]),
                box=tuple(float(v) for v in p["box"]),  # type: ignore[arg-type]
                kind=str(p["kind"]),
                masked=str(p["masked"]),
            )
            for p in data["proposals"]
        )
        failed = tuple(data["failed"]) if data["failed"] else None
        found = Reading(name, int(data["pages"]), tuple(map(int, data["read"])), proposals, failed)
        return str(data["key"]), found  # type: ignore[arg-type]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _detect(
    folder: Path, deck: Deck, exhibit: Exhibit, name: str, key: str, progress: Progress | None
) -> None:
    """Read one file in a child process and keep what it found."""

    def told(fraction: float) -> None:
        if progress is not None:
            progress(name, fraction)

    told(0.0)
    source = deck.display(exhibit, name)
    digest = hash_file(deck.root / name, ["sha256"])["sha256"]
    job = {
        "path": str(source),
        "kind": "pdf" if source.suffix.lower() == ".pdf" else "image",
        "pages": MOST_PAGES,
        "seconds": PDF_SECONDS,
    }
    limit = FILE_SECONDS + (PDF_SECONDS if job["kind"] == "pdf" else 0.0)
    # 1.0 is said once what was found is kept: a listener may look for it then
    pages, found, failed = _run_child(job, limit, lambda fraction: told(min(fraction, 0.99)))
    proposals = [
        _proposal(digest, name, page, hit) for page, hits in sorted(found.items()) for hit in hits
    ]
    write_json(
        _reading_path(folder, key),
        {
            "version": VERSION,
            "key": key,
            "file": name,
            "sha256": digest,
            "pages": pages,
            "read": sorted(found),
            "failed": list(failed) if failed else None,
            "proposals": [
                {"id": p.id, "page": p.page, "box": list(p.box), "kind": p.kind, "masked": p.masked}
                for p in proposals
            ],
        },
    )
    told(1.0)


def _proposal(digest: str, name: str, page: int, hit: dict[str, Any]) -> Proposal:
    """A proposal from what the child found, its box snapped outward to the grid."""
    x, y, w, h = (float(v) for v in hit["box"])
    x0, y0 = math.floor(x * GRID) / GRID, math.floor(y * GRID) / GRID
    x1, y1 = min(1.0, math.ceil((x + w) * GRID) / GRID), min(1.0, math.ceil((y + h) * GRID) / GRID)
    box = (x0, y0, round(x1 - x0, 3), round(y1 - y0, 3))
    kind = str(hit["kind"])
    seed = f"{digest}|{page}|{kind}|{','.join(f'{v:.3f}' for v in box)}"
    ident = hashlib.sha256(seed.encode()).hexdigest()[:16]
    return Proposal(ident, name, page, box, kind, str(hit["masked"]))


def _run_child(
    job: dict[str, Any], limit: float, progress: Callable[[float], None] | None
) -> tuple[int, dict[int, list[dict[str, Any]]], tuple[str, str] | None]:
    """Read in a child process (presenter.redaction.child) within `limit` seconds and the
    memory limit of display copies' children: the file's pages, what was found on each
    page read, and why it stopped early if it did. What a child said before it was stopped
    is kept."""
    command = [sys.executable, "-m", "presenter.redaction.child", json.dumps(job)]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, NO_TELEMETRY: "1"},
        preexec_fn=_behind if os.name == "posix" else None,  # noqa: PLW1509
    ) as child:
        timer = threading.Timer(limit, _kill_group, (child,))
        timer.start()
        try:
            said = _follow(child, progress)
        finally:
            timer.cancel()
            _kill_group(child)
            child.wait()
    return said


def _behind() -> None:
    """In the child: the limits of originals' children, a lower priority, and an end with
    the server (Linux): a stopped server leaves no reading behind it."""
    _limits()
    os.nice(NICENESS)
    _die_with_parent()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def _follow(
    child: subprocess.Popen, progress: Callable[[float], None] | None
) -> tuple[int, dict[int, list[dict[str, Any]]], tuple[str, str] | None]:
    pages, found = 0, {}
    failed: tuple[str, str] | None = (
        "识别超时或超出内存限度，未识别完",
        "reading ran out of time or memory before the end",
    )
    assert child.stdout is not None
    for line in child.stdout:
        kind, _, rest = line.rstrip("\n").partition(" ")
        try:
            if kind == "progress" and progress is not None:
                progress(min(1.0, max(0.0, float(rest))))
            elif kind == "pages":
                pages = int(rest)
            elif kind == "page":
                data = json.loads(rest)
                found[int(data["page"])] = list(data["hits"])
            elif kind == "made":
                failed = None
            elif kind == "failed":
                data = json.loads(rest)
                failed = (str(data["zh"]), str(data["en"]))
        except (ValueError, KeyError, TypeError):
            continue
    return pages, found, failed
