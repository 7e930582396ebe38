"""Renders in worker processes: PDF pages (pdfium) and image derivatives and callouts
(Pillow, resvg for SVG), so that one hostile file or one flood of requests cannot stall or
swell the server.

A small pool of spawned processes, each job with a time limit (the worker is killed and
replaced when it is exceeded) and, on POSIX, a memory limit (RLIMIT_AS); at most one job
in flight per exhibit, so a flood on one exhibit queues behind that exhibit only. Plain
functions given paths and parameters: nothing here knows of the web.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import math
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .deck.model import MIN_REGION
from .i18n import Words
from .i18n.files import RENDER_FAILURES

WORKERS = 3
"""Processes at most: a flood on one exhibit holds one, the screens' other exhibits the rest."""
TIME_LIMIT = 20.0
"""Seconds a job may take before its worker is killed (a normal page takes well under one)."""
MEMORY_LIMIT = 1 << 30
"""Bytes of address space of a worker (POSIX): a 100-megapixel photo decodes in ~300 MB."""
STARTUP = 60.0
"""Seconds a new worker may take to start (imports on a cold disk)."""
QUEUE = 16
"""Requests that may wait for one exhibit; more are told the presenter is busy."""
REMEMBERED = 256
"""Failed derivatives remembered, so asking again for a bomb answers at once."""
CACHE_BYTES = 512 << 20
"""Derivatives kept on disk per deck; the least recently used go first."""
GRID = 200
"""Regions snap outward to multiples of 1/GRID, so a flood of near-identical regions makes
few distinct renders."""
SMALLEST = 2
"""A region is at least SMALLEST/GRID (1/100) wide and high once snapped."""
TINY = MIN_REGION
"""A region narrower or lower than this is not a callout but a mistake (or an attack)."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failure:
    """Why a derivative could not be made, in words for the court (zh, en)."""

    reason: str
    """unreadable or too_heavy (the file's fault: remembered), busy or unavailable."""
    detail: str = ""

    @property
    def words(self) -> Words:
        return RENDER_FAILURES[self.reason]


class Unreadable(Exception):
    """Raised by a task in a worker when its file cannot be decoded."""


def quantise(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float] | None:
    """The region [x, y, w, h] (fractions, already inside the picture) snapped outward to the
    grid and grown to the smallest size; None for a region too tiny to mean anything."""
    if not (w >= TINY and h >= TINY):
        return None
    slack = 1e-6  # 0.1 * 200 is 20.000000000000004: not a reason to take one more cell
    x0, x1 = _snap(x, x + w, slack)
    y0, y1 = _snap(y, y + h, slack)
    return (x0 / GRID, y0 / GRID, (x1 - x0) / GRID, (y1 - y0) / GRID)


def _snap(start: float, end: float, slack: float) -> tuple[int, int]:
    low = max(0, math.floor(start * GRID + slack))
    high = min(GRID, math.ceil(end * GRID - slack))
    if high - low < SMALLEST:
        high = min(GRID, low + SMALLEST)
        low = high - SMALLEST
    return low, high


Boxes = tuple[tuple[float, float, float, float], ...]
"""Regions filled black before a render is cut or scaled (presenter.redaction.apply): a
public screen's. Part of the render's arguments, so of its cache key too."""


def page(
    group: str,
    target: Path,
    path: Path,
    number: int,
    width: int,
    region: tuple[float, ...] | None,
    boxes: Boxes = (),
    **limits,
) -> Failure | None:
    """Page `number` of the PDF at `path`, `width` pixels across (or its `region` at that
    scale), `boxes` (fractions of the page) filled black, as a PNG at `target`."""
    return make(group, target, _page, path, number, width, region, target, boxes, **limits)


def image(
    group: str,
    target: Path,
    path: Path,
    region: tuple[float, ...] | None,
    side: int,
    boxes: Boxes = (),
    **limits,
) -> Failure | None:
    """The image at `path` (or its `region`), at most `side` pixels on its long side,
    `boxes` (fractions of the upright picture) filled black, at `target`; an SVG is drawn
    to PNG."""
    return make(group, target, _image, path, target, region, side, boxes, **limits)


def make(
    group: str,
    target: Path,
    task: Callable,
    *args: object,
    time_limit: float = TIME_LIMIT,
    folders: Iterable[Path] = (),
    bound: int = CACHE_BYTES,
) -> Failure | None:
    """Make `target` by `task(*args)` in a worker unless it exists; one job of `group` at a
    time. Then keep the files in `folders` within `bound` bytes."""
    if _used(target):
        return None
    failure = _the_pool().make(group, target, task, args, time_limit)
    if failure is None and folders:
        trim(folders, bound, keep=target)
    return failure


def in_flight() -> dict[str, int]:
    """The groups with a job running now, each with its job's serial number."""
    with _POOL_LOCK:
        pool = _POOL
    return pool.in_flight() if pool is not None else {}


def shutdown() -> None:
    """Stop every worker (at exit, and between tests); the next render starts a new pool."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.close()


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()
_AT_EXIT = False


def _the_pool() -> Pool:
    global _POOL, _AT_EXIT
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = Pool(WORKERS, MEMORY_LIMIT)
            if not _AT_EXIT:
                atexit.register(shutdown)
                _AT_EXIT = True
        return _POOL


def _used(target: Path) -> bool:
    """Whether `target` exists; marks it used now, for the cache's least-recently-used order
    (the access time, set explicitly: the modification time stays the making's)."""
    try:
        stat = os.stat(target)
        os.utime(target, ns=(time.time_ns(), stat.st_mtime_ns))
    except FileNotFoundError:
        return False
    return True


_TRIMMING = threading.Lock()


def trim(folders: Iterable[Path], bound: int, keep: Path | None = None) -> None:
    """Remove the least recently used files of `folders` until they hold at most `bound`
    bytes (never `keep`, the one just made)."""
    with _TRIMMING:
        files = []
        for folder in folders:
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except FileNotFoundError:
                continue
            for entry in entries:
                if entry.name.endswith(".tmp") or not entry.is_file():
                    continue  # another worker's file being written
                try:
                    stat = entry.stat()
                except FileNotFoundError:
                    continue
                files.append((stat.st_atime_ns, stat.st_size, entry.path))
        total = sum(size for _, size, _ in files)
        for _, size, name in sorted(files):
            if total <= bound:
                break
            if keep is not None and Path(name) == keep:
                continue
            try:
                os.unlink(name)
            except FileNotFoundError:
                pass
            except PermissionError:  # Windows: open for a response right now
                continue
            total -= size


@dataclass
class _Group:
    """One exhibit's jobs: one running, the others waiting their turn."""

    busy: bool = False
    waiting: int = 0
    job: int = 0


class Pool:
    """At most `size` worker processes, started when first needed and replaced when killed."""

    def __init__(self, size: int, memory: int | None) -> None:
        self._size = size
        self._memory = memory
        self._changed = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._running = 0
        self._groups: dict[str, _Group] = {}
        self._failed: OrderedDict[str, Failure] = OrderedDict()
        self._serial = itertools.count(1)
        self._closed = False

    def in_flight(self) -> dict[str, int]:
        with self._changed:
            return {name: group.job for name, group in self._groups.items() if group.busy}

    def make(
        self, group: str, target: Path, task: Callable, args: tuple, time_limit: float
    ) -> Failure | None:
        key = str(target)
        with self._changed:
            if key in self._failed:
                return self._failed[key]
            entry = self._groups.setdefault(group, _Group())
            if entry.waiting >= QUEUE:
                return Failure("busy")
            entry.waiting += 1
            try:
                self._changed.wait_for(
                    lambda: self._closed or (not entry.busy and self._running < self._size)
                )
            finally:
                entry.waiting -= 1
            if self._closed:
                self._forget(group, entry)
                return Failure("unavailable")
            entry.busy, entry.job = True, next(self._serial)
            self._running += 1
            worker = self._idle.pop() if self._idle else None
        failure: Failure | None = None
        try:
            failure, worker = self._run(worker, target, task, args, time_limit)
        finally:
            with self._changed:
                if worker is not None:
                    self._busy.discard(worker)
                    if self._closed or not worker.alive():
                        worker.close()
                    else:
                        self._idle.append(worker)
                if failure is not None and self._closed:
                    failure = Failure("unavailable")
                elif failure is not None and failure.reason in ("unreadable", "too_heavy"):
                    log.warning("%s: %s", target, failure.detail)
                    self._failed[key] = failure
                    while len(self._failed) > REMEMBERED:
                        self._failed.popitem(last=False)
                entry.busy = False
                self._running -= 1
                self._forget(group, entry)
                self._changed.notify_all()
        return failure

    def _run(
        self, worker: _Worker | None, target: Path, task: Callable, args: tuple, limit: float
    ) -> tuple[Failure | None, _Worker | None]:
        """The job, on `worker` (or a new one, if it has none or it died while idle)."""
        with self._changed:
            failed = self._failed.get(str(target))
        if failed is not None:
            return failed, worker
        if _used(target):  # made by the request this one waited for
            return None, worker
        if worker is None or not worker.alive():
            if worker is not None:
                worker.close()
            worker = _Worker(self._memory)
            if not worker.ready():
                log.error("a render worker did not start: %s", worker.exitcode())
                return Failure("unavailable"), worker
        with self._changed:
            self._busy.add(worker)
            if self._closed:
                return Failure("unavailable"), worker
        return worker.call(task, args, limit), worker

    def _forget(self, name: str, entry: _Group) -> None:
        if not entry.busy and not entry.waiting and self._groups.get(name) is entry:
            del self._groups[name]

    def close(self) -> None:
        """Refuse new jobs, stop idle workers, kill running ones (their requests are told the
        server is stopping)."""
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
            for worker in self._busy:
                worker.kill()
            self._changed.notify_all()
        for worker in idle:
            worker.close()


class _Worker:
    """One spawned process and the pipe to it."""

    def __init__(self, memory: int | None) -> None:
        context = multiprocessing.get_context("spawn")  # the same on Linux and Windows
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, memory), name="shizheng-render", daemon=True
        )
        self._process.start()
        child.close()
        self._dead = False
        self._closed = False

    def ready(self) -> bool:
        """Whether it started (it says so once its limits are set)."""
        try:
            if self._conn.poll(STARTUP) and self._conn.recv() == ("ready", ""):
                return True
        except (EOFError, OSError):
            pass
        self.kill()
        return False

    def exitcode(self) -> int | None:
        return None if self._closed else self._process.exitcode

    def alive(self) -> bool:
        return not self._dead and not self._closed and self._process.is_alive()

    def call(self, task: Callable, args: tuple, time_limit: float) -> Failure | None:
        try:
            self._conn.send((task, args, time_limit))
        except OSError as error:  # it died while idle
            self._dead = True
            return Failure("too_heavy", f"worker gone: {error}")
        if not self._conn.poll(time_limit):
            self.kill()
            return Failure("too_heavy", f"over the time limit ({time_limit:g} s)")
        try:
            outcome, detail = self._conn.recv()
        except (EOFError, OSError):
            self._dead = True
            self._process.join(5)
            code = self._process.exitcode
            return Failure("too_heavy", f"worker ended with {code} (memory?)")
        if outcome == "done":
            return None
        if outcome == "memory":
            self._dead = True  # it exits after saying so
            return Failure("too_heavy", "over the memory limit")
        return Failure("unreadable", detail)

    def kill(self) -> None:
        self._dead = True
        if not self._closed:
            self._process.kill()

    def close(self) -> None:
        """End the process (politely when idle: the closed pipe ends its loop) and release
        its pipe and handles."""
        if self._closed:
            return
        self._closed = True
        self._conn.close()
        self._process.join(2)
        if self._process.exitcode is None:
            self._process.kill()
            self._process.join()
        self._process.close()


def _serve(conn: Connection, memory: int | None) -> None:
    """A worker's loop: run each job it is sent, answer how it went; end with the pipe."""
    _limit_memory(memory)
    _end_with_parent()
    conn.send(("ready", ""))
    while True:
        try:
            task, args, time_limit = conn.recv()
        except EOFError:
            return
        _limit_cpu(time_limit)
        try:
            task(*args)
        except MemoryError:
            conn.send(("memory", ""))
            return  # what is left of a process that ran out is not to be trusted
        except Unreadable as error:
            conn.send(("unreadable", str(error)))
        else:
            conn.send(("done", ""))


def _limit_memory(memory: int | None) -> None:
    """POSIX: cap the address space, so a decompression bomb fails here, not in the server.
    Windows has no such limit: there, the time limit and the pixel caps bound a job."""
    try:
        import resource
    except ImportError:
        return
    if memory is not None:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _limit_cpu(time_limit: float) -> None:
    """POSIX: a CPU-time limit past this job's, in case the server died without killing us
    while pdfium runs without letting Python in."""
    try:
        import resource
    except ImportError:
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(used.ru_utime + used.ru_stime + 2 * time_limit + 5)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _end_with_parent() -> None:
    """Exit as soon as the server does, even mid-job (a killed server runs no atexit)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _page(
    path: Path,
    number: int,
    width: int,
    region: tuple[float, ...] | None,
    target: Path,
    boxes: Boxes = (),
) -> None:
    import pypdfium2

    from .deck.pdf import render_page
    from .redaction.apply import WHOLE, fill
    from .views.image import save_atomically

    try:
        picture = render_page(path, number, width, region)
    except pypdfium2.PdfiumError as error:
        raise Unreadable(f"{path.name}: {error}") from error
    save_atomically(fill(picture, boxes, region or WHOLE), target, format="PNG")


def _image(
    path: Path, target: Path, region: tuple[float, ...] | None, side: int, boxes: Boxes = ()
) -> None:
    from PIL import Image

    from .views.image import derivative

    try:
        derivative(path, target, region, side, boxes)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise Unreadable(f"{path.name}: {type(error).__name__}: {error}") from error
