"""Integrity check values (完整性校验值, Art. 31, 62(3)): hashing in one read pass, and a cache.

Every algorithm a file needs is computed in a single read of the file: one thread per
algorithm consumes the same 1 MiB chunks (hashlib releases the GIL on large updates), so
SHA-256 and MD5 together cost about as much as the slower of the two alone.
"""

from __future__ import annotations

import hashlib
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from pathlib import Path
from typing import BinaryIO, Protocol

ALGORITHMS: tuple[str, ...] = ("md5", "sha1", "sha256", "sm3")
CHUNK_SIZE = 1 << 20
# Filesystem timestamps come from a coarse clock: a file changed within this long before it
# was hashed may share its ctime with a later change, so such an entry is never trusted.
RACY_WINDOW_NS = 50_000_000

Progress = Callable[[int, int], None]
"""Called with (bytes read so far, total bytes) after every chunk."""


class _Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...
    def hexdigest(self) -> str: ...


class _CryptographySM3:
    """SM3 from `cryptography`, for OpenSSL builds whose hashlib lacks it."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives import hashes

        self._ctx = hashes.Hash(hashes.SM3())

    def update(self, data: bytes, /) -> None:
        self._ctx.update(data)

    def hexdigest(self) -> str:
        return self._ctx.finalize().hex()


SM3_FROM_HASHLIB = "sm3" in hashlib.algorithms_available


def new_hasher(algorithm: str) -> _Hasher:
    """A fresh hash object for one of ALGORITHMS."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unsupported algorithm: {algorithm}")
    if algorithm == "sm3" and not SM3_FROM_HASHLIB:
        return _CryptographySM3()
    return hashlib.new(algorithm)


def hash_bytes(data: bytes, algorithm: str) -> str:
    hasher = new_hasher(algorithm)
    hasher.update(data)
    return hasher.hexdigest()


def _consume(hasher: _Hasher, chunks: queue.Queue[bytes | None]) -> None:
    while (chunk := chunks.get()) is not None:
        hasher.update(chunk)


def hash_file(
    path: str | os.PathLike[str],
    algorithms: Iterable[str] = ("sha256",),
    progress: Progress | None = None,
    copy_to: BinaryIO | None = None,
) -> dict[str, str]:
    """Hex digests of one file for every algorithm asked, in ONE read pass.

    With `copy_to`, every chunk read is also written there: a copy hashed as it is made.
    """
    names = list(dict.fromkeys(a.lower() for a in algorithms))
    hashers = {name: new_hasher(name) for name in names}
    total = os.stat(path).st_size
    done = 0
    with open(path, "rb", buffering=0) as stream:
        if len(hashers) == 1 or total <= CHUNK_SIZE:
            while chunk := stream.read(CHUNK_SIZE):
                for hasher in hashers.values():
                    hasher.update(chunk)
                if copy_to is not None:
                    copy_to.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        else:
            _hash_threaded(stream, hashers, total, progress, copy_to)
    return {name: hasher.hexdigest() for name, hasher in hashers.items()}


def _hash_threaded(
    stream, hashers: Mapping[str, _Hasher], total: int, progress, copy_to: BinaryIO | None
) -> None:
    queues: list[queue.Queue[bytes | None]] = [queue.Queue(maxsize=8) for _ in hashers]
    workers = [
        threading.Thread(target=_consume, args=(hasher, q), daemon=True)
        for hasher, q in zip(hashers.values(), queues, strict=True)
    ]
    for worker in workers:
        worker.start()
    done = 0
    try:
        while chunk := stream.read(CHUNK_SIZE):
            for q in queues:
                q.put(chunk)
            if copy_to is not None:
                copy_to.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    finally:
        for q in queues:
            q.put(None)
        for worker in workers:
            worker.join()


class HashCache:
    """Verified digests kept between runs, so unchanged files are not re-read at start-up.

    An entry is keyed by (absolute path, device, inode, size, mtime_ns, ctime_ns): ctime is
    in the key because a user can put back a file's mtime but not its ctime.
    """

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.db_path = Path(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with closing(self._connect()) as db, db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS digest ("
                " path TEXT, algorithm TEXT, dev INTEGER, ino INTEGER, size INTEGER,"
                " mtime_ns INTEGER, ctime_ns INTEGER, hashed_at_ns INTEGER, value TEXT,"
                " PRIMARY KEY (path, algorithm))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path, timeout=30)

    @staticmethod
    def _key(path: Path) -> tuple[str, int, int, int, int, int]:
        st = os.stat(path)
        return (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def lookup(self, path: str | os.PathLike[str], algorithms: Iterable[str]) -> dict[str, str]:
        """The cached digests still valid for the file as it is now (possibly none)."""
        key = self._key(Path(path).resolve())
        found: dict[str, str] = {}
        with self._lock, closing(self._connect()) as db:
            for algorithm in algorithms:
                row = db.execute(
                    "SELECT value, hashed_at_ns FROM digest WHERE path=? AND algorithm=?"
                    " AND dev=? AND ino=? AND size=? AND mtime_ns=? AND ctime_ns=?",
                    (key[0], algorithm, *key[1:]),
                ).fetchone()
                if row and key[5] + RACY_WINDOW_NS < row[1]:
                    found[algorithm] = row[0]
        return found

    def store(self, path: Path, key: tuple, hashed_at_ns: int, digests: Mapping[str, str]) -> None:
        with self._lock, closing(self._connect()) as db, db:
            db.executemany(
                "INSERT OR REPLACE INTO digest VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(key[0], alg, *key[1:], hashed_at_ns, value) for alg, value in digests.items()],
            )

    def hash_file(
        self,
        path: str | os.PathLike[str],
        algorithms: Iterable[str],
        progress: Progress | None = None,
        force: bool = False,
    ) -> dict[str, str]:
        """Digests from the cache where still valid, else read once and remembered.

        `force` re-reads the file whatever the cache holds (a live "verify now").
        """
        resolved = Path(path).resolve()
        wanted = list(dict.fromkeys(a.lower() for a in algorithms))
        cached = {} if force else self.lookup(resolved, wanted)
        missing = [a for a in wanted if a not in cached]
        if not missing:
            return {a: cached[a] for a in wanted}
        key = self._key(resolved)
        hashed_at_ns = time.time_ns()
        computed = hash_file(resolved, missing, progress)
        if self._key(resolved) == key:  # unchanged while it was read
            self.store(resolved, key, hashed_at_ns, computed)
        return {a: cached.get(a) or computed[a] for a in wanted}
