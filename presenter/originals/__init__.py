"""Originals and their display copies (原件与展示件, Art. 30(3), 31(3)).

An exhibit's files are its originals: hashed, verified live, listed in the catalogue and
carried in the bundle exactly as they came. When a view cannot show an original as it is
(a GBK bank statement with title rows, an XLSX, an iPhone MOV, a WeChat voice message, a
HEIC photo), a display copy is derived from it into the instance folder and the derivation
is recorded: the tool and its version, the parameters, the original's and the copy's
SHA-256. A copy is made once, in a child process with time and memory limits (a hostile file
cannot stall or swell the server), and found again by the original's identity and the
parameters; a copy changed on disk since it was made is made again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..integrity import hash_file

VERSION = 1
"""Part of a copy's key: a change in how copies are made makes them again."""

SPREADSHEETS = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
DELIMITED = frozenset({".csv", ".tsv", ".txt"})
"""Files a table, chat or chart may be read from."""
VIDEOS = frozenset(
    {".mov", ".avi", ".mkv", ".3gp", ".3g2", ".wmv", ".flv", ".mpg", ".mpeg", ".ts", ".mts"}
    | {".m2ts", ".vob", ".asf", ".rmvb", ".rm", ".dav"}
)
"""Video containers a browser does not reliably play: copied to MP4 (H.264/AAC)."""
SOUNDS = frozenset({".amr", ".silk", ".slk", ".wma", ".awb", ".caf", ".aiff", ".aif", ".ape"})
"""Sound a browser does not play: copied to Ogg Opus."""
PHOTOS = frozenset({".heic", ".heif", ".hif", ".avif"})
PLAYABLE = {
    ".mp4": ".mp4", ".m4v": ".mp4", ".webm": ".webm", ".ogv": ".ogv", ".ogg": ".ogg",
    ".oga": ".oga", ".opus": ".opus", ".mp3": ".mp3", ".m4a": ".m4a", ".aac": ".aac",
    ".wav": ".wav", ".flac": ".flac",
}  # fmt: skip
"""Sound and video a browser plays as they are: copied stream for stream, their metadata
left out (a phone video's place, a recorder's owner), by the suffix of the copy."""
"""Pictures the screens' browsers cannot draw (or we do not draw): copied to JPEG."""

Progress = Callable[[float], None]
"""Told the fraction done, 0 to 1."""

TIME_LIMIT_BASE = 120.0
TIME_LIMIT_PER_MB = 3.0
"""Seconds a derivation may take: generous, since a phone video is transcoded on two cores."""
MEMORY_LIMIT = 3 << 30
"""Bytes of address space of the child that makes a copy (and of its ffmpeg)."""


class DeriveError(Exception):
    """A display copy that cannot be made; `words` say why (zh, en)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.words = (zh, en)


@dataclass(frozen=True)
class Request:
    """What an item asks of a display copy."""

    kind: str
    """text, table, video, audio, strip (played as it is, metadata left out) or picture."""
    encoding: str | None = None
    header_row: int | None = None
    sheet: str | None = None

    def key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Made:
    """What a deriver did: the tool and its parameters, and what a table left out of its
    rows (its title lines and totals rows), kept to be shown beside it."""

    tool: str
    parameters: dict[str, Any] = field(default_factory=dict)
    preamble: tuple[str, ...] = ()
    footer: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Derivation:
    """A display copy and how it was made from its original."""

    original: str
    """The item file, by its deck path."""
    copy: Path
    kind: str
    tool: str
    parameters: dict[str, Any]
    original_sha256: str
    copy_sha256: str
    made_at: str
    """When the copy was made (ISO 8601 with offset)."""
    preamble: tuple[str, ...] = ()
    footer: tuple[tuple[str, ...], ...] = ()

    @property
    def suffix(self) -> str:
        return self.copy.suffix.lower()

    def record(self) -> dict[str, Any]:
        """The derivation as written beside the copy and in a bundle's manifest."""
        data = asdict(self)
        data["copy"] = self.copy.name
        data["preamble"] = list(self.preamble)
        data["footer"] = [list(row) for row in self.footer]
        return data


def suffix_of(name: str) -> str:
    return Path(name).suffix.lower()


def request_for(exhibit: Any, name: str, path: Path) -> Request | None:
    """The display copy `name` (an item file at `path`) needs for the exhibit's view, or None
    when the view shows the original as it is."""
    suffix = suffix_of(name)
    view = exhibit.view
    options = {"encoding": exhibit.encoding}
    if name == exhibit.transcript or view == "code":
        if view == "code" and not _looks_like_text(path):
            return None  # a picture or binary in a code folder: carried, not shown
        return Request("text", **options) if _wants_text_copy(path, exhibit.encoding) else None
    if view in ("table", "chat", "chart") and (suffix in SPREADSHEETS or suffix in DELIMITED):
        plain = suffix == ".csv" and exhibit.header_row is None and exhibit.sheet is None
        if plain and not _wants_text_copy(path, exhibit.encoding):
            return None
        return Request("table", header_row=exhibit.header_row, sheet=exhibit.sheet, **options)
    if suffix in VIDEOS and view in ("video", "chat", "audio"):
        return Request("video" if view != "audio" else "audio")
    if suffix in SOUNDS or _is_silk(path):
        return Request("audio")
    if suffix in PHOTOS:
        return Request("picture")
    if suffix in PLAYABLE:
        return Request("strip")  # played as it is, without what its metadata says
    return None


def _is_silk(path: Path) -> bool:
    """A WeChat or QQ voice message, whatever its name (they come as .amr, .aud, .dat)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(10)
    except OSError:
        return False
    return head.lstrip(b"\x02").startswith(b"#!SILK")


def _looks_like_text(path: Path) -> bool:
    """No NUL byte in the first 8 KiB, unless it is UTF-16 (which has them for ASCII)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(8192)
    except OSError:
        return True
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head


def _wants_text_copy(path: Path, encoding: str | None) -> bool:
    """Whether a text file is not the UTF-8 the views read (an `encoding` other than UTF-8
    says so too)."""
    from .text import is_utf8

    if encoding is not None:
        return encoding.strip().lower().replace("_", "-") not in ("utf-8", "utf8", "utf-8-sig")
    return not is_utf8(path)


class Store:
    """Display copies of one instance: <folder>/<key>/ holds the copy and derivation.json."""

    _checked: dict[str, tuple[int, int]] = {}
    """Copies whose hash was verified in this process, with their size and time then: a deck
    is loaded again on every edit, its copies are not read again while unchanged."""
    _lock = threading.Lock()

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def copy_of(
        self, name: str, original: Path, request: Request, progress: Progress | None = None
    ) -> Derivation:
        """The display copy of the item file `name` at `original`, made if need be."""
        try:
            stat = original.stat()
        except OSError as error:
            raise DeriveError(
                f"无法读取：{error.strerror}", f"unreadable: {error.strerror}"
            ) from None
        # the change time too: an edit that puts the modification time back is still an edit
        identity = f"{VERSION}|{original.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
        identity += f"|{stat.st_ctime_ns}"
        key = hashlib.sha256(f"{identity}|{request.key()}".encode()).hexdigest()[:32]
        home = self.folder / key
        with self._lock:
            known = self._known(home, name)
            if known is not None:
                return known
        derivation = self._make(name, original, request, home, progress)
        return derivation

    def _known(self, home: Path, name: str) -> Derivation | None:
        try:
            data = json.loads((home / "derivation.json").read_text(encoding="utf-8"))
            copy = home / str(data["copy"])
            stat = copy.lstat()
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if copy.parent != home or not copy.name.startswith("copy.") or not copy.is_file():
            return None  # a record edited to point elsewhere: made again, never followed
        if copy.is_symlink():
            return None
        seen = (stat.st_size, stat.st_mtime_ns)
        if self._checked.get(str(copy)) != seen:
            if hash_file(copy, ["sha256"])["sha256"] != data.get("copy_sha256"):
                return None  # changed since it was made: made again
            self._checked[str(copy)] = seen
        return _derivation(data, copy, name)

    def _make(
        self, name: str, original: Path, request: Request, home: Path, progress: Progress | None
    ) -> Derivation:
        self.folder.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".making-", dir=self.folder))
        try:
            target = work / f"copy{_copy_suffix(request, original)}"
            size_mb = original.stat().st_size / (1 << 20)
            made = run_child(request, original, target, progress, size_mb)
            digests = hash_file(original, ["sha256"])
            derivation = Derivation(
                original=name,
                copy=home / target.name,
                kind=request.kind,
                tool=made.tool,
                parameters=made.parameters,
                original_sha256=digests["sha256"],
                copy_sha256=hash_file(target, ["sha256"])["sha256"],
                made_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                preamble=made.preamble,
                footer=made.footer,
            )
            (work / "derivation.json").write_text(
                json.dumps(derivation.record(), ensure_ascii=False, indent=1), encoding="utf-8"
            )
            with self._lock:
                shutil.rmtree(home, ignore_errors=True)
                os.replace(work, home)
            return derivation
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _derivation(data: dict[str, Any], copy: Path, name: str) -> Derivation:
    return Derivation(
        original=name,
        copy=copy,
        kind=data["kind"],
        tool=data["tool"],
        parameters=data.get("parameters", {}),
        original_sha256=data["original_sha256"],
        copy_sha256=data["copy_sha256"],
        made_at=data["made_at"],
        preamble=tuple(data.get("preamble", ())),
        footer=tuple(tuple(row) for row in data.get("footer", ())),
    )


def _copy_suffix(request: Request, original: Path) -> str:
    if request.kind == "text":
        return original.suffix.lower() or ".txt"
    if request.kind == "strip":
        return PLAYABLE[original.suffix.lower()]
    return {"table": ".csv", "video": ".mp4", "audio": ".ogg", "picture": ".jpg"}[request.kind]


def run_child(
    request: Request, original: Path, target: Path, progress: Progress | None, size_mb: float
) -> Made:
    """Make the copy in a child process (presenter.originals.child) with a time and memory
    limit; its progress lines feed `progress`."""
    limit = TIME_LIMIT_BASE + TIME_LIMIT_PER_MB * size_mb
    command = [sys.executable, "-m", "presenter.originals.child", request.key()]
    command += [str(original), str(target)]
    outcome: dict[str, Any] | None = None
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[2],
        preexec_fn=_limits if os.name == "posix" else None,  # noqa: PLW1509
    ) as child:
        timer = threading.Timer(limit, _kill_group, (child,))
        timer.start()
        try:
            outcome = _follow(child, progress)
        finally:
            timer.cancel()
            _kill_group(child)  # and whatever it started (ffmpeg), if still running
            child.wait()
    if outcome is None:
        if child.returncode and child.returncode < 0:
            raise DeriveError(
                "转换超时或超出内存限度，展示件未能生成",
                "the conversion ran out of time or memory: no display copy",
            )
        raise DeriveError("转换程序意外终止", "the conversion stopped unexpectedly")
    if outcome["kind"] == "failed":
        raise DeriveError(outcome["zh"], outcome["en"])
    if not target.is_file():
        raise DeriveError("转换未生成展示件", "the conversion wrote no display copy")
    return Made(
        tool=outcome["tool"],
        parameters=outcome.get("parameters", {}),
        preamble=tuple(outcome.get("preamble", ())),
        footer=tuple(tuple(row) for row in outcome.get("footer", ())),
    )


def _follow(child: subprocess.Popen, progress: Progress | None) -> dict[str, Any] | None:
    """The child's progress lines fed to `progress`; its last word, if it said one."""
    outcome = None
    assert child.stdout is not None
    for line in child.stdout:
        kind, _, rest = line.partition(" ")
        if kind == "progress" and progress is not None:
            try:
                progress(min(1.0, max(0.0, float(rest))))
            except ValueError:
                pass
        elif kind in ("made", "failed"):
            try:
                outcome = {"kind": kind, **json.loads(rest)}
            except ValueError:
                outcome = None
    return outcome


def _limits() -> None:
    """In the child: a process group of its own (so the time limit ends the ffmpeg it starts
    too), and the memory limit."""
    import resource

    os.setsid()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _kill_group(child: subprocess.Popen) -> None:
    if os.name != "posix":
        child.kill()
        return
    try:
        os.killpg(child.pid, 9)
    except (ProcessLookupError, PermissionError):
        pass  # already gone


def default_store() -> Store:
    """Where copies go when no instance folder is given (a library call, a test)."""
    return Store(Path(tempfile.gettempdir()) / f"shizheng-{os.getuid()}" / "display")
