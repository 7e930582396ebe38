"""One presentation carried by several processes through Redis (`serve --redis URL`).

Every process started with the same deck and URL serves the same presentation. Redis holds
what they share, under `shizheng:<deck>:`:

- `terms`: what a process must agree to before it joins: the deck's fingerprint (its
  exhibits' ids and recorded hashes), the keys, the record's signing key and the
  public-screen rule. The first process writes them; every later one adopts them, or is
  refused when its deck differs.
- `state`, `seq`: the live state and its number. One writer at a time: a change is written
  only if `seq` is still the one it was made on (the `COMMIT` script, atomic in Redis), so
  two presenters on two processes can never fork the presentation.
- `chain`, `record`: where the record's hash chain stands, and the record itself as a
  Stream. A recorded change's entry is added in the same atomic step as the state, so the
  record has every change in the order of `seq`; every process copies the Stream to its own
  file (RecordCopy), so a copy survives any single machine.
- `pairings`, `timers`, `clients:<process>`: the screens' pairings (asked, approved or
  refused on any process), the presenter's clocks, and the clients connected to each
  process, kept while it beats.

The screens of every process hear a change through Flask-SocketIO's message queue on the
same Redis (channel `shizheng-<deck>`, live/sockets.py). While Redis cannot be reached, a
command is refused (`cluster_lost`) and the screens keep what they show.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from redis.exceptions import RedisError, ResponseError

from ..deck import HASH_MISMATCH, DeckReport
from . import signing
from .machine import RACES, Refused
from .record import CHECKPOINT, CLOSE, GENESIS, Chain, RecordEnded, record_name

log = logging.getLogger(__name__)

COMMIT = """
-- KEYS: seq, state, chain, record
-- ARGV: expected seq ('' = any), new seq, state ('' = unchanged),
--       expected head ('' = any), chain ('' = unchanged), then file, n, line of each entry
if ARGV[1] ~= '' then
  local seq = redis.call('GET', KEYS[1]) or 'none'
  if seq ~= ARGV[1] then return 0 end
end
if ARGV[4] ~= '' then
  local chain = redis.call('GET', KEYS[3])
  local head = chain and cjson.decode(chain)['head'] or 'none'
  if head ~= ARGV[4] then return -1 end
end
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('SET', KEYS[2], ARGV[3])
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[3], ARGV[5]) end
for i = 6, #ARGV, 3 do
  redis.call('XADD', KEYS[4], '*', 'file', ARGV[i], 'n', ARGV[i + 1], 'line', ARGV[i + 2])
end
return 1
"""
"""A change made on the state and the chain as they were, or nothing (0: another process
changed the state first; -1: the record grew first)."""

NONE = "none"
"""The seq and head expected of a presentation that has no state or record yet."""

WAIT_MS = 500
"""Milliseconds a change waits for its replica at most."""

CLIENTS_TTL = 15
"""Seconds a process's list of connected screens outlives its last heartbeat."""


class ClusterLost(Refused):
    """Redis cannot be reached: the presenter is told "与其他示证端失去联系"."""

    def __init__(self) -> None:
        super().__init__("cluster_lost")


class DeckDiffers(Exception):
    """This process's deck is not the one the other processes serve: `items` differ."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(", ".join(items))
        self.items = items


class TermsDiffer(Exception):
    """This process was started with another public-screen rule than the presentation."""


CALLS = 48
"""Calls to Redis at once from one process: every screen joining at the same moment must
not each open a connection of its own (redis-py's pool refuses beyond its size)."""


def connect(url: str) -> redis.Redis:
    """A client of the Redis at `url`: `redis://`, `rediss://` or, for a master watched by
    Sentinel, `redis+sentinel://[:password@]host:port,host:port/db/master` (the form
    python-socketio reads too, and with its parser)."""
    timeouts = {"socket_timeout": 2.0, "socket_connect_timeout": 2.0, "max_connections": 64}
    if url.startswith("redis+sentinel://"):
        from redis.sentinel import Sentinel
        from socketio.redis_manager import parse_redis_sentinel_url

        sentinels, master, options = parse_redis_sentinel_url(url)
        sentinel = Sentinel(sentinels, sentinel_kwargs={**timeouts}, **{**options, **timeouts})
        return sentinel.master_for(master or "mymaster", **timeouts)
    return redis.Redis.from_url(url, **timeouts)


def fingerprint(report: DeckReport) -> dict[str, Any]:
    """What two copies of a deck must agree on: its id, and each exhibit's id with the
    hashes of its files as this copy has them: the recorded hash where the file matches it,
    the file's own where it does not (a copy whose file was changed differs from one whose
    file was not, though both record the same hash)."""
    assert report.deck is not None
    found = {
        (p.params["path"], p.params["algorithm"], str(p.params["recorded"]).lower()): str(
            p.params["computed"]
        ).lower()
        for p in report.problems
        if p.code == HASH_MISMATCH
    }
    items = {}
    for exhibit in report.deck.exhibits:
        hashes = []
        for h in exhibit.source.hashes:
            recorded = h.value.lower()
            held = found.get((h.file, h.algorithm, recorded), recorded)
            hashes.append((h.file, h.algorithm, recorded, held))
        items[exhibit.id] = hashlib.sha256(json.dumps(sorted(hashes)).encode()).hexdigest()
    return {"deck": report.deck.id, "items": items}


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """The exhibits whose ids or hashes differ between two fingerprints, sorted."""
    a, b = ours.get("items", {}), theirs.get("items", {})
    return sorted(item for item in a.keys() | b.keys() if a.get(item) != b.get(item))


@dataclass(frozen=True)
class Shared:
    """The live state as Redis has it: the state, the exhibit confirmed on the screens
    (Art. 44), and the record's chain."""

    state: dict[str, Any] | None
    confirmed: str | None
    chain: Chain | None
    timers: dict[str, Any] | None = None


class Cluster:
    """This process's link to the presentation's keys in Redis."""

    def __init__(self, url: str, deck_id: str, process: str) -> None:
        self.url = url
        self.process = process
        """This process's name among the others (its address)."""
        self.redis = connect(url)
        self._prefix = f"shizheng:{deck_id}:"
        self._commit = self.redis.register_script(COMMIT)
        self._calls = threading.BoundedSemaphore(CALLS)
        self.terms: dict[str, Any] = {}
        """What this process joined on (`join`)."""
        self.replicas = 0
        """Replicas a change waits for (WAIT) before the screens are told: with Sentinel,
        a change the screens saw is on a replica before the master can fail."""

    def key(self, name: str) -> str:
        return self._prefix + name

    def _call(self, do: Callable[[], Any]) -> Any:
        try:
            with self._calls:
                return do()
        except ResponseError:
            raise
        except (RedisError, OSError) as error:
            log.warning("Redis cannot be reached: %s", error)
            raise ClusterLost() from None

    # --- joining ---------------------------------------------------------------------------

    def join(self, terms: dict[str, Any]) -> dict[str, Any]:
        """Write `terms` if this is the first process, and return the presentation's terms.
        Raises DeckDiffers or TermsDiffer, or ClusterLost."""
        key = self.key("terms")
        self._call(lambda: self.redis.set(key, json.dumps(terms), nx=True))
        shared = json.loads(self._call(lambda: self.redis.get(key)))
        ours, theirs = terms["fingerprint"], shared["fingerprint"]
        differ = differences(ours, theirs)
        agreed = not differ and shared.get("public_mask") == terms.get("public_mask")
        if not agreed and not self.others():
            # no process serves it now: the deck (or its rule) was changed between two
            # sittings, and this process carries the presentation on with its own, as one
            # process alone does after a restart; the keys and the signing key stay
            shared = {**shared, "fingerprint": ours, "public_mask": terms.get("public_mask")}
            self._call(lambda: self.redis.set(key, json.dumps(shared)))
        elif differ:
            raise DeckDiffers(differ)
        elif not agreed:
            raise TermsDiffer()
        self.put_clients([])  # here, from now on: a process joining with another deck waits
        self.count_replicas()
        self.terms = shared
        return shared

    def rejoin(self) -> None:
        """Redis came back empty: the terms this process joined on, written again."""
        self._call(lambda: self.redis.set(self.key("terms"), json.dumps(self.terms), nx=True))
        self.put_clients([])

    def others(self) -> list[str]:
        """The other processes serving this presentation now (their heartbeats)."""
        own = self.key(f"clients:{self.process}").encode()
        return [key.decode() for key in self._beating() if key != own]

    def _beating(self) -> list[bytes]:
        """The `clients:<process>` keys of every process whose heartbeat has not lapsed."""
        pattern = self.key("clients:*")
        return sorted(self._call(lambda: list(self.redis.scan_iter(pattern, count=100))))

    def count_replicas(self) -> None:
        """How many replicas a change waits for: one when the master has one now (with
        Sentinel), else none (a master promoted after a failure has none until the old one
        comes back as its replica)."""
        if self.url.startswith("redis+sentinel://"):
            info = self._call(lambda: self.redis.info("replication"))
            self.replicas = min(1, int(info.get("connected_slaves", 0)))

    # --- the state and the record --------------------------------------------------------------

    def latest(self) -> Shared:
        keys = [self.key(name) for name in ("state", "chain", "timers")]
        state, chain, timers = self._call(lambda: self.redis.mget(keys))
        kept = json.loads(state) if state else None
        return Shared(
            kept["state"] if kept else None,
            kept.get("confirmed") if kept else None,
            Chain.from_json(json.loads(chain)) if chain else None,
            json.loads(timers) if timers else None,
        )

    def put_timers(self, timers: dict[str, Any]) -> None:
        """The presenter's clocks, for the process a presenter moves to."""
        self._call(lambda: self.redis.set(self.key("timers"), json.dumps(timers)))

    def commit(
        self,
        *,
        expect_seq: int | str | None = None,
        state: dict[str, Any] | None = None,
        confirmed: str | None = None,
        expect_head: str | None = None,
        chain: Chain | None = None,
        lines: list[tuple[str, int, bytes]] = (),  # type: ignore[assignment]
    ) -> bool:
        """Write a change if the state's seq and the chain's head are still those expected
        (None: whatever they are); False when another process got there first."""
        args: list[Any] = [
            "" if expect_seq is None else str(expect_seq),
            str(state["seq"]) if state else "",
            json.dumps({"state": state, "confirmed": confirmed}) if state else "",
            "" if expect_head is None else expect_head,
            json.dumps(chain.to_json()) if chain else "",
        ]
        for file, n, line in lines:
            args += [file, str(n), line]
        keys = [self.key(name) for name in ("seq", "state", "chain", "record")]
        done = self._call(lambda: self._commit(keys=keys, args=args))
        if done == 1 and self.replicas:
            # on the replica before the screens are told: a master failing now loses nothing
            # they saw (or, its replica gone, waits no more until the heartbeat finds one)
            if self._call(lambda: self.redis.wait(self.replicas, WAIT_MS)) < self.replicas:
                self.replicas = 0
        return done == 1

    def entries(self, after: str, block: int = 1000) -> list[tuple[str, str, int, bytes]]:
        """The record's entries after stream id `after` (waiting up to `block` ms for one):
        (id, file, n, line)."""
        got = self._call(
            lambda: self.redis.xread({self.key("record"): after}, count=500, block=block)
        )
        found = []
        for _stream, items in got or ():
            for entry_id, fields in items:
                file, n = fields[b"file"].decode(), int(fields[b"n"])
                found.append((entry_id.decode(), file, n, fields[b"line"]))
        return found

    # --- pairings and screens --------------------------------------------------------------

    def pairings(self) -> dict[str, dict[str, Any]]:
        found = self._call(lambda: self.redis.hgetall(self.key("pairings")))
        return {code.decode(): json.loads(value) for code, value in found.items()}

    def put_pairing(self, code: str, pairing: dict[str, Any]) -> None:
        self._call(lambda: self.redis.hset(self.key("pairings"), code, json.dumps(pairing)))

    def drop_pairing(self, code: str) -> None:
        self._call(lambda: self.redis.hdel(self.key("pairings"), code))

    def put_clients(self, clients: list[dict[str, Any]]) -> None:
        key = self.key(f"clients:{self.process}")
        self._call(lambda: self.redis.set(key, json.dumps(clients), ex=CLIENTS_TTL))

    def clients(self) -> list[dict[str, Any]]:
        """The clients of every process still beating, this one's first."""
        keys = self._beating()
        values = self._call(lambda: self.redis.mget(keys)) if keys else []
        own = self.key(f"clients:{self.process}").encode()
        listed: list[dict[str, Any]] = []
        for _key, value in sorted(zip(keys, values, strict=True), key=lambda kv: kv[0] != own):
            listed += json.loads(value) if value else []
        return listed


StartEntry = Callable[[], tuple[str | None, dict[str, Any] | None, dict[str, Any]]]
"""A new record's `start` entry: its controller, state and other fields."""


class SharedRecord:
    """The record all processes write, with the interface of a Record: each entry goes to
    the Stream only if the chain's head is still the one it was made on, and a new record
    starts (a `start` entry) at the first entry after one has ended. `path` is this
    process's copy of it."""

    def __init__(
        self,
        cluster: Cluster,
        copy: RecordCopy,
        signer: signing.Signer,
        start: StartEntry,
    ) -> None:
        self.cluster = cluster
        self.copy = copy
        self._signer = signer
        self._start = start
        self._lock = threading.Lock()
        self._chain: Chain | None = None
        self._listeners: list[Callable[[int, str], None]] = []

    def lines(
        self,
        chain: Chain | None,
        event: str,
        state: dict[str, Any] | None,
        controller: str | None,
        extra: dict[str, Any],
    ) -> tuple[Chain, dict[str, Any], list[tuple[str, int, bytes]]]:
        """The lines an entry adds after `chain` (with a new record's start, when there is
        none or it has ended), the entry and the chain after them."""
        lines = []
        if chain is None or chain.ended:
            controller0, state0, extra0 = self._start()
            chain, _, line = Chain(record_name()).next("start", state0, controller0, extra0)
            lines.append((chain.file, chain.n, line))
        chain, entry, line = chain.next(event, state, controller, extra)
        lines.append((chain.file, chain.n, line))
        return chain, entry, lines

    def advanced(self, chain: Chain, entry: dict[str, Any] | None = None) -> None:
        """The chain as this process last wrote or read it; tell the listeners of an entry."""
        with self._lock:
            self._chain = chain
        if entry is not None:
            for listener in self._listeners:
                listener(entry["n"], entry["hash"])

    def _latest(self) -> Chain | None:
        chain = self.cluster.latest().chain
        if chain is not None:
            self.advanced(chain)
        return chain

    def ensure(self) -> None:
        """A record to write to: the one running, else a new one."""
        chain = self._latest()
        if chain is None or chain.ended:
            controller, state, extra = self._start()
            new, _, line = Chain(record_name()).next("start", state, controller, extra)
            expect = chain.head if chain is not None else NONE
            if self.cluster.commit(expect_head=expect, chain=new, lines=[(new.file, 1, line)]):
                self.advanced(new)
            else:
                self._latest()

    def append(
        self,
        event: str,
        state: dict[str, Any] | None = None,
        controller: str | None = None,
        *,
        durable: bool = True,
        **extra: Any,
    ) -> dict[str, Any]:
        """Append one entry after whatever the other processes appended. Raises Refused."""
        for _ in range(RACES):
            chain = self._latest()
            if event == CLOSE and (chain is None or chain.ended):
                raise RecordEnded(chain.file if chain else "")  # ended on another process
            after, entry, lines = self.lines(chain, event, state, controller, extra)
            expect = chain.head if chain is not None else NONE
            if self.cluster.commit(expect_head=expect, chain=after, lines=lines):
                self.advanced(after, entry)
                return entry
        raise Refused("cluster_busy")

    def checkpoint(self) -> dict[str, Any] | None:
        """Sign the record as it is now and append the checkpoint; None when the last entry
        is a checkpoint already (another process signed it) or the record has ended."""
        from .record import _now

        chain = self._latest()
        if chain is None or chain.ended or chain.last == CHECKPOINT:
            return None
        signed = self._signer.checkpoint(chain.first, chain.n, chain.head, _now())
        after, entry, line = chain.next(CHECKPOINT, None, None, {"details": signed})
        lines = [(after.file, after.n, line)]
        if not self.cluster.commit(expect_head=chain.head, chain=after, lines=lines):
            return None  # the record grew meanwhile: the next one signs it
        self.advanced(after, entry)
        return signed

    def end(self, **details: Any) -> dict[str, Any]:
        """The closing entry; the next entry starts a new record. Raises RecordEnded."""
        chain = self._latest()
        if chain is None or chain.ended:
            raise RecordEnded(chain.file if chain else "")
        entry = self.append(CLOSE, None, None, **details)
        closing: dict[str, Any] = {
            "entries": entry["n"], "head": entry["hash"], "file": self.path.name
        }  # fmt: skip
        first = self._chain.first if self._chain else entry["hash"]
        closing["checkpoint"] = self._signer.checkpoint(
            first, entry["n"], entry["hash"], entry["time"]
        )
        return closing

    @property
    def path(self) -> Path:
        return self.copy.path(self._chain.file if self._chain else "none.jsonl")

    @property
    def head(self) -> str:
        return self._chain.head if self._chain else GENESIS

    @property
    def count(self) -> int:
        return self._chain.n if self._chain else 0

    @property
    def id(self) -> str:
        return self._chain.first if self._chain else GENESIS

    @property
    def ended(self) -> bool:
        return bool(self._chain and self._chain.ended)

    @property
    def closed(self) -> bool:
        return False  # the shared record is never closed by one process stopping

    def subscribe(self, listener: Callable[[int, str], None]) -> None:
        self._listeners.append(listener)

    def sync(self) -> None:
        """Nothing to do: the Stream has the entry, each copy is fsynced line by line."""

    def close(self) -> None:
        """Nothing to do: the other processes go on writing it."""


class RecordCopy:
    """This process's own copy of the shared record: every entry of the Stream, in order, to
    a file of the same name under `folder`, fsynced line by line. A line that does not
    follow the one before in its file is not written (the copy would not verify); the
    gap is logged and the Stream is read again from its start."""

    def __init__(self, cluster: Cluster, folder: Path) -> None:
        self.cluster = cluster
        self.folder = folder
        self._after = "0-0"
        self._file: str | None = None
        self._stream = None
        self._written = 0
        self._lines: list[bytes] = []
        """The SHA-256 of each line of the copy being written."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="record-copy", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        if self._stream is not None:
            self._stream.close()

    def path(self, file: str) -> Path:
        return self.folder / file

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                entries = self.cluster.entries(self._after, block=500)
            except ClusterLost:
                self._stop.wait(0.5)  # Redis is away: try again, the copy resumes in order
                continue
            except Exception:  # noqa: BLE001 - the copy must not die: log, wait, go on
                log.exception("copying the record")
                self._stop.wait(1.0)
                continue
            for entry_id, file, n, line in entries:
                self._write(file, n, line)
                self._after = entry_id

    def _write(self, file: str, n: int, line: bytes) -> None:
        if file != self._file:
            self._open(file)
        digest = hashlib.sha256(line).digest()
        if n <= self._written and self._lines[n - 1] == digest:
            return  # copied before this process restarted
        if n <= self._written or n != self._written + 1:
            self._diverged(file, n, line)
            return
        assert self._stream is not None
        self._stream.write(line)
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self._lines.append(digest)
        self._written = n

    def _open(self, file: str) -> None:
        if self._stream is not None:
            self._stream.close()
        if "/" in file or "\\" in file or not file.endswith(".jsonl"):
            raise ValueError(f"not a record's name: {file!r}")
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(file)
        kept = path.read_bytes().split(b"\n")[:-1] if path.exists() else []
        self._lines = [hashlib.sha256(line + b"\n").digest() for line in kept]
        self._written = len(kept)
        self._stream = open(path, "ab")  # noqa: SIM115 - kept open for appending
        self._file = file

    def _diverged(self, file: str, n: int, line: bytes) -> None:
        """An entry that does not follow this copy (Redis came back without changes it had
        given out): not written to the copy, which stays whole, but kept beside it, so that
        nothing the court was shown is lost, and said loudly."""
        log.error(
            "record %s: entry %d from Redis does not follow this copy (%d entries): kept in"
            " %s; Redis has lost changes (docs/cluster.md)", file, n, self._written,
            self._side(file).name,
        )  # fmt: skip
        with open(self._side(file), "ab") as side:
            side.write(line)
            side.flush()
            os.fsync(side.fileno())

    def _side(self, file: str) -> Path:
        return self.folder / (file.removesuffix(".jsonl") + ".diverged")


def heartbeat(every: float, beat: Callable[[], None], stop: threading.Event) -> threading.Thread:
    """Call `beat` every `every` seconds until `stop`, whatever it raises."""

    def run() -> None:
        while not stop.wait(every):
            try:
                beat()
            except Exception:  # noqa: BLE001 - a missed beat is retried at the next one
                log.debug("heartbeat missed", exc_info=True)

    thread = threading.Thread(target=run, name="cluster-heartbeat", daemon=True)
    thread.start()
    return thread
