"""The courtroom: one presentation, who is connected, and what survives a restart.

Plain Python that ties the state machine to its persistence (state.json), the record
(Art. 49), the keys and pairings, and the list of connected clients. The socket adapter
only translates between this and Socket.IO.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import integrity
from ..deck import Deck, DeckReport, Exhibit
from .access import Access
from .cluster import NONE, Cluster, RecordCopy, Shared, SharedRecord, heartbeat
from .machine import Outcome, Presentation, Refused
from .record import Record, RecordEnded, start_details
from .signing import Signer
from .state import LiveState, StateStore
from .timers import Timers

log = logging.getLogger(__name__)


def document_pages(deck: Deck) -> dict[str, int]:
    """The page count of each document exhibit's first PDF (read by the check already)."""
    from ..deck.checks import shown_files
    from ..deck.pdf import page_count

    return {
        e.id: page_count(deck.display(e, shown_files(e)[0]))
        for e in deck.exhibits
        if e.view == "document" and shown_files(e)
    }


def table_columns(deck: Deck) -> dict[str, int]:
    """The column count of each table exhibit: what the presenter may sort by."""
    from .. import csvfile

    columns = {}
    for exhibit in deck.exhibits:
        if exhibit.view == "table":
            try:
                columns[exhibit.id] = len(
                    csvfile.header(deck.display(exhibit, exhibit.data_file or ""))
                )
            except csvfile.CsvError:
                columns[exhibit.id] = 0  # the check has named the file already
    return columns


def chat_pictures(deck: Deck) -> dict[str, dict[int, str]]:
    """The messages (1-based) of each chat exhibit that have a picture attached (the ones a
    screen may show large), and the picture's file."""
    return {
        exhibit.id: picture_files(deck, exhibit)
        for exhibit in deck.exhibits
        if exhibit.view == "chat"
    }


def picture_files(deck: Deck, exhibit: Exhibit) -> dict[int, str]:
    """A chat exhibit's messages (1-based) with a picture attached, and the item file of
    each picture (none when its file cannot be read: the check has named it already)."""
    from .. import csvfile
    from ..deck.checks import PICTURES

    found: dict[int, str] = {}
    name = exhibit.data_file
    try:
        rows = csvfile.records(deck.display(exhibit, name)) if name else iter(())
        header = next(rows, [])
        column = exhibit.column("attachment")
        at = header.index(column) if column in header else None
        for n, row in enumerate(rows if at is not None else (), 1):
            cell = row[at] if at is not None and at < len(row) else ""
            picture = exhibit.attachment(cell)
            if picture and cell.strip().lower().endswith(PICTURES):
                found[n] = picture
    except csvfile.CsvError:
        pass
    return found


def _shown(state) -> tuple[str, ...]:
    """The exhibits the screens show: none while blank or on the case matrix."""
    if state.blank is not None or state.case:
        return ()
    if state.compare is not None:
        return tuple(sorted({state.item or "", state.compare.other.item or ""}))
    return (state.item,) if state.item else ()


def _clocks(timers: dict[str, Any]) -> dict[str, Any]:
    """A `timers` message without the moment it was made."""
    return {key: value for key, value in timers.items() if key != "now"}


@dataclass(frozen=True)
class Client:
    """A connected browser or program: its role and, for a screen, its name, whether it is a
    public-gallery screen (its credential says so), the pairing it came in by, and whether
    its browser blocks sound (with when it last said so, to bound how often it is heard)."""

    sid: str
    role: str
    name: str
    public: bool = False
    pairing: str | None = None
    blocked: bool = False
    reports: tuple[float, ...] = ()


BLOCKED_REPORTS = 10
BLOCKED_WINDOW = 10.0
"""A screen's changes of `blocked` told to the presenters: at most this many in this many
seconds (a click makes two); a flood beyond is kept, and told with the next change heard."""


class Court:
    """Everything live about one served deck."""

    def __init__(
        self,
        report: DeckReport,
        instance: Path,
        access: Access,
        cookies: Mapping[str, str] | None = None,
        start: str = "logo",
        checkpoint_every: float = 60.0,
        cluster: Cluster | None = None,
        signer: Signer | None = None,
    ) -> None:
        deck = report.deck
        if deck is None:
            raise ValueError("a court needs a deck")
        self.folder = instance / deck.id
        self.access = access
        self.cookies = dict(cookies or {})
        """The names of this instance's cookies, by credential kind (and `pair`)."""
        self.store = StateStore(self.folder / "state.json")
        self.cluster = cluster
        """The other processes carrying this presentation through Redis, if any."""
        self.timers = Timers(
            self.folder / "timers.json", keep=cluster.put_timers if cluster else None
        )
        """The presenter's clocks: the presentation's, each exhibit's, a countdown."""
        self._seen: Shared | None = None
        shared = cluster.latest() if cluster is not None else None
        kept = LiveState.from_json(shared.state) if shared and shared.state else None
        self.presentation = Presentation(
            deck,
            unverified=report.unverified,
            state=kept or self.store.load(deck.id),
            pages=document_pages(deck),
            columns=table_columns(deck),
            start=start,
            pictures=chat_pictures(deck),
            shared=self if cluster is not None else None,
        )
        if cluster is not None and kept is None:
            first = self.presentation.state.to_json(kept=True)
            cluster.commit(expect_seq=NONE, state=first)  # the first process's state
            self.presentation.follow()  # or the one a process joining at once wrote
        self.signer = signer or Signer.of_instance(instance)
        """The key that signs the record's checkpoints (presenter.live.signing): the
        instance's, or the one every process of a cluster shares."""
        self._record_lock = threading.RLock()
        self._record_listeners: list[Callable[[dict[str, Any]], None]] = []
        self._checkpoint_listeners: list[Callable[[dict[str, Any]], None]] = []
        self.last_checkpoint: dict[str, Any] | None = None
        self._copy = RecordCopy(cluster, self.folder / "records") if cluster else None
        self._record: Record | SharedRecord = self._new_record()
        self.deck_problems: list[str] = []
        self.deck_version = 1
        self._clients: dict[str, Client] = {}
        self._lock = threading.Lock()
        self._broadcasts: list[Callable[[Outcome], None]] = []
        self._detected: list[Callable[[], None]] = []
        self._verifying: threading.Thread | None = None
        self.timers.observe(self.state)
        self._shown_before = _shown(self.state)
        self.presentation.subscribe(self._keep)
        self.store.save(self.state)
        self._stop_checkpoints = threading.Event()
        self._checkpoints = threading.Thread(
            target=self._every, args=(checkpoint_every,), name="checkpoints", daemon=True
        )
        self._checkpoints.start()
        if cluster is not None:
            heartbeat(5.0, self._beat, self._stop_checkpoints)

    @property
    def state(self):
        return self.presentation.state

    @property
    def deck(self) -> Deck:
        return self.presentation.deck

    def on_change(self, broadcast: Callable[[Outcome], None]) -> None:
        """Also tell `broadcast` of every change (after it is saved and recorded)."""
        self._broadcasts.append(broadcast)

    # --- the record (Art. 49) and what anchors it -------------------------------------------

    @property
    def record(self) -> Record:
        """The record being written: after "结束示证", a new file from the next entry on."""
        with self._record_lock:
            return self._current()

    def _current(self) -> Record | SharedRecord:
        # the caller holds the record's lock; a shared record starts its next one itself
        if self._record.ended and not isinstance(self._record, SharedRecord):
            self._record = self._new_record()
        return self._record

    def append(self, *args: Any, **details: Any) -> dict[str, Any]:
        """Append an entry to the record being written (Record.append): never to one that
        has just ended, whatever runs at the same time."""
        with self._record_lock:
            return self._current().append(*args, **details)

    def _new_record(self) -> Record | SharedRecord:
        deck = self.deck
        if self.cluster is not None and self._copy is not None:
            shared = SharedRecord(self.cluster, self._copy, self.signer, self._start_entry)
            shared.subscribe(self._appended)
            shared.ensure()
            self._copy.start()
            self._appended(shared.count, shared.head)
            return shared
        record = Record.start(
            self.folder / "records",
            deck.id,
            self.signer,
            self.state.to_record(),  # what the screens show as it starts
            title=deck.case.title,
            timezone=deck.case.timezone,
            seq=self.state.seq,
        )
        record.subscribe(self._appended)
        self._appended(record.count, record.head)
        return record

    def _start_entry(self) -> tuple[str | None, dict[str, Any] | None, dict[str, Any]]:
        """A new shared record's `start` entry: what the screens show as it starts."""
        deck, state = self.deck, self.state.to_record()
        controller, extra = start_details(
            deck.id, self.signer, state, title=deck.case.title, timezone=deck.case.timezone,
            seq=self.state.seq,
        )  # fmt: skip
        return controller, state, extra

    # --- the presentation shared with other processes (presenter.live.cluster) -------------

    def latest(self) -> tuple[LiveState, str | None] | None:
        """The state every process shares (machine.SharedStore)."""
        assert self.cluster is not None
        seen = self._seen = self.cluster.latest()
        if seen.state is None:
            return self._reseed() if getattr(self, "_record", None) is not None else None
        if seen.state.get("seq", 0) < self.state.seq:
            log.error(
                "Redis has the presentation at seq %s, this process at %s: Redis lost changes;"
                " commands are refused (docs/cluster.md)", seen.state.get("seq"), self.state.seq,
            )  # fmt: skip
            raise Refused("cluster_behind")
        self._take_clocks(seen)
        return LiveState.from_json(seen.state), seen.confirmed

    def commit(
        self,
        old: LiveState,
        outcome: Outcome,
        command: Mapping[str, Any],
        role: str,
        confirmed: str | None,
    ) -> bool:
        """A change made here, to every process: the state and its record entry in one
        atomic step, on the state and chain last read (machine.SharedStore)."""
        assert self.cluster is not None and isinstance(self._record, SharedRecord)
        chain, entry, lines, head = None, None, [], None
        if outcome.recorded:
            seen = self._seen.chain if self._seen is not None else None
            chain, entry, lines = self._record.lines(
                seen, outcome.event, outcome.state.to_record(), outcome.state.controller,
                self._entry_fields(outcome, command, role),
            )  # fmt: skip
            head = seen.head if seen is not None else NONE
        done = self.cluster.commit(
            expect_seq=old.seq, state=outcome.state.to_json(kept=True), confirmed=confirmed,
            expect_head=head, chain=chain, lines=lines,
        )  # fmt: skip
        if done and chain is not None:
            self._record.advanced(chain, entry)
        return done

    def kept(self) -> dict[str, Any]:
        """The state as the processes share it (Cluster.latest's form), for the others."""
        presentation = self.presentation
        return {"state": self.state.to_json(kept=True), "confirmed": presentation.confirmed}

    def adopt(self, kept: dict[str, Any]) -> None:
        """The state another process made, from its message (see `kept`)."""
        try:
            state = LiveState.from_json(kept["state"])
        except (KeyError, TypeError, ValueError):
            return  # not one of ours: the next `sync` reads Redis
        confirmed = kept.get("confirmed")
        self.presentation.adopt(state, confirmed if isinstance(confirmed, str) else None)

    def _reseed(self) -> tuple[LiveState, str | None] | None:
        """Redis lost everything (restarted empty): this process carries the presentation on
        from its own state, a new record file, and its pairings; the copies so far stay
        whole. Whichever process asks first does it, the others take it."""
        assert self.cluster is not None and isinstance(self._record, SharedRecord)
        log.warning("Redis has lost the presentation: carried on from this process")
        self.cluster.rejoin()
        kept = self.kept()
        self.cluster.commit(expect_seq=NONE, state=kept["state"], confirmed=kept["confirmed"])
        self._record.ensure()
        self.access.republish()
        shared = self.cluster.latest()
        self._seen = shared
        if shared.state is None:
            return None
        return LiveState.from_json(shared.state), shared.confirmed

    def sync(self) -> None:
        """Take the shared state, if newer, before a snapshot is sent (nothing to do alone).
        Read without holding the presentation: a hundred screens joining at once each read
        it at the same time, and none waits for a command being made."""
        if self.cluster is None:
            return
        try:
            shared = self.cluster.latest()
        except Refused:
            return  # Redis is away: the last state this process knows
        if shared.state is not None:
            self.adopt({"state": shared.state, "confirmed": shared.confirmed})
        self._take_clocks(shared)

    def _take_clocks(self, shared: Shared) -> None:
        """The presenter's clocks as the process that last changed them left them."""
        if shared.timers and _clocks(shared.timers) != _clocks(self.timers.to_json()):
            self.timers.adopt(shared.timers)

    def publish_clients(self) -> None:
        """This process's clients, where the others read them (with other processes)."""
        if self.cluster is not None:
            with self._lock:
                mine = [self._listed(c) for c in self._clients.values()]
            self.cluster.put_clients(mine)

    def _beat(self) -> None:
        """Every few seconds, with other processes: this one is here (its screens), and how
        many replicas a change waits for now."""
        assert self.cluster is not None
        self.publish_clients()
        self.cluster.count_replicas()

    def _appended(self, entries: int, head: str) -> None:
        for listener in self._record_listeners:
            listener({"entries": entries, "head": head, "ended": False})

    def record_head(self) -> dict[str, Any]:
        """What the presenter's page shows of the record at all times."""
        with self._record_lock:
            record = self._record
            return {
                "entries": record.count,
                "head": record.head,
                "ended": record.ended,
                "file": record.path.name,
                "fingerprint": self.signer.fingerprint,
            }

    def on_record(self, listener: Callable[[dict[str, Any]], None]) -> None:
        """Also tell `listener` the record's entry count and head after each entry."""
        self._record_listeners.append(listener)

    def on_checkpoint(self, listener: Callable[[dict[str, Any]], None]) -> None:
        """Also tell `listener` each signed checkpoint (for the screens to keep)."""
        self._checkpoint_listeners.append(listener)

    def checkpoint(self) -> dict[str, Any] | None:
        """Sign the record as it is now, write the checkpoint to it and send it out."""
        with self._record_lock:
            record = self._record
            made = None if record.ended else record.checkpoint()
        if made is not None:
            self._checkpointed(made)
        return made

    def _checkpointed(self, made: dict[str, Any]) -> None:
        self.last_checkpoint = made
        for listener in self._checkpoint_listeners:
            listener(made)

    def _every(self, seconds: float) -> None:
        """A checkpoint every `seconds` while the record grows (one after another checkpoint
        adds nothing a screen does not hold)."""
        signed: tuple[str, int] = ("", -1)  # the record and its length last signed
        while not self._stop_checkpoints.wait(seconds):
            with self._record_lock:
                record = self._record
            if record.closed and not record.ended:
                return  # closed without ending: this court is no longer served
            if (record.id, record.count) != signed and not record.ended:
                try:
                    made = self.checkpoint()
                except (OSError, RecordEnded):  # closed under us (a test's cleanup, a stop)
                    continue
                except Refused:  # Redis away (several processes): signed at the next one
                    continue
                if made is not None:
                    signed = (record.id, record.count)

    def end(self, role: str, reason: str = "end") -> dict[str, Any]:
        """ "结束示证": write the closing entry and close the record's file; the next entry
        starts a new one. Returns what the presenter notes down (entries, head, file) with
        the checkpoint signed over the closing entry, which the screens are sent too."""
        with self._record_lock:
            record = self._record
            if record.ended:
                raise Refused("record_ended")
            try:
                closing = record.end(by=role, reason=reason)  # no entry can slip in after it
            except RecordEnded:  # ended by a presenter on another process a moment ago
                raise Refused("record_ended") from None
        if "checkpoint" in closing:
            self._checkpointed(closing["checkpoint"])
        for listener in self._record_listeners:
            listener({"entries": closing["entries"], "head": closing["head"], "ended": True})
        return closing

    def close(self) -> None:
        """Close the record's file as it is (no closing entry) and stop the checkpoints:
        for a court that was never served (a bundle's, a test's)."""
        self._stop_checkpoints.set()
        if self._copy is not None:
            self._copy.stop()
        with self._record_lock:
            self._record.close()

    def stop(self) -> dict[str, Any] | None:
        """The server stops cleanly: end the record (a closing entry, `reason` shutdown) and
        the checkpoints. One process of several stops alone: the others carry the record on."""
        self._stop_checkpoints.set()
        if self._copy is not None:
            self._copy.stop()
            return None
        try:
            return self.end("server", reason="shutdown")
        except Refused:
            return None

    def _keep(self, outcome: Outcome, command: Mapping[str, Any], role: str) -> None:
        # The record first: nothing reaches a screen that is not written to the record
        # (Art. 49), safe from a killed process; its fsync, against a power cut, follows
        # right after the screens are told, so they do not wait for the disk. Then
        # state.json, which only lets a restart resume.
        state = outcome.state
        with self._record_lock:
            record = self._current()
            if outcome.recorded and self.cluster is None:  # else written with the state
                extra = self._entry_fields(outcome, command, role)
                record.append(
                    outcome.event, state.to_record(), state.controller, durable=False, **extra
                )
        self.timers.observe(state)
        for broadcast in self._broadcasts:
            broadcast(outcome)
        if outcome.recorded:
            record.sync()
        self.store.save(state, durable=outcome.recorded)
        shown = _shown(state)
        if outcome.recorded and shown != self._shown_before:
            self._shown_before = shown
            try:
                self.checkpoint()  # at each exhibit change (Art. 49)
            except Refused:
                pass  # Redis went away just now: the next checkpoint signs this one too

    def _entry_fields(
        self, outcome: Outcome, command: Mapping[str, Any], role: str
    ) -> dict[str, Any]:
        """What a change's record entry keeps besides the state: who, the command, its
        details, and the step as the presenter's page names it."""
        extra: dict[str, Any] = {"by": role, "command": dict(command)}
        if outcome.details:
            extra["details"] = dict(outcome.details)
        label = self._step_label(outcome.state)
        if label:
            extra["label"] = label
        return extra

    def _step_label(self, state) -> str:
        exhibit = self.deck.exhibit(state.item or "")
        if exhibit is None or not 0 < state.step <= len(exhibit.steps):
            return ""
        return exhibit.steps[state.step - 1].label

    # --- verify now (Art. 62(3)) ----------------------------------------------------------

    def verify(self, role: str, progress: Callable[[dict[str, Any]], None]) -> threading.Thread:
        """Re-hash the files of the exhibit on screen, bypassing every cache, in one read
        pass per file, in the background; `progress` hears how far it is. Raises Refused."""
        exhibit = self.presentation.check_verify(role)
        with self._lock:
            if self._verifying is not None and self._verifying.is_alive():
                raise Refused("verifying")
            wanted: dict[str, list[str]] = {}
            for recorded in exhibit.source.hashes:
                wanted.setdefault(recorded.file, []).append(recorded.algorithm)
            total = sum(self._size(name) for name in wanted)
            thread = threading.Thread(
                target=self._verify, args=(exhibit, wanted, total, role, progress), daemon=True
            )
            self._verifying = thread
        thread.start()
        return thread

    def _size(self, name: str) -> int:
        try:
            return (self.deck.root / name).stat().st_size
        except OSError:
            return 0

    def _verify(self, exhibit, wanted, total: int, role: str, progress) -> None:
        done_before = 0
        computed: dict[str, dict[str, str | None]] = {}
        for name, algorithms in wanted.items():

            def tick(done: int, size: int, before: int = done_before, name: str = name) -> None:
                progress({"item": exhibit.id, "file": name, "done": before + done, "total": total})

            try:
                computed[name] = dict(integrity.hash_file(self.deck.root / name, algorithms, tick))
            except OSError:
                computed[name] = dict.fromkeys(algorithms)
            done_before += self._size(name)
        results = [
            {
                "file": r.file,
                "algorithm": r.algorithm,
                "recorded": r.value,
                "computed": computed[r.file][r.algorithm],
                "match": computed[r.file][r.algorithm] == r.value,
            }
            for r in exhibit.source.hashes
        ]
        self.presentation.verified(exhibit.id, results, role)

    # --- numbers in pictures, found for the public gallery ---------------------------------

    def found_numbers(self) -> tuple[bool, list[dict[str, Any]]]:
        """Whether every picture and page the deck shows has been read, and the numbers found
        in them (masked), each with the presenter's decision or `pending`."""
        from ..deck.checks import redactable_files
        from ..redaction.apply import decision
        from ..redaction.detect import reading, shown_pictures

        deck = self.deck
        decided = decision(self.folder, self.state.redaction)
        ready, found = True, []
        for exhibit, name in shown_pictures(deck):
            read = reading(self.folder, deck, exhibit, name)
            if read is None:
                ready = False
                continue
            found += [
                {
                    "id": proposal.id,
                    "item": exhibit.id,
                    "file": redactable_files(exhibit).index(name),
                    "name": name,
                    "page": proposal.page,
                    "kind": proposal.kind,
                    "masked": proposal.masked,
                    "box": list(proposal.box),
                    "status": decided(proposal.id) or "pending",
                }  # fmt: skip
                for proposal in read.proposals
            ]
        return ready, found

    def on_detected(self, listener: Callable[[], None]) -> None:
        """Also tell `listener` each time a picture has been read for numbers."""
        self._detected.append(listener)

    def start_detecting(self) -> threading.Thread:
        """Read the text of every picture and page the deck shows, in the background, where
        it has not been read as it is now (presenter.redaction.detect); each file read gives
        the redaction a new version, so a public screen waiting on it fetches it again and
        the presenter's page lists what was found."""

        def detect() -> None:
            from ..redaction.detect import detect_deck

            def progress(name: str, fraction: float) -> None:
                if fraction >= 1.0:
                    self.presentation.redaction_refreshed()
                    for listener in self._detected:
                        listener()

            try:
                detect_deck(self.folder, self.deck, progress)
            except Exception:  # noqa: BLE001 - the thread says why it stopped, and the screens wait
                log.exception("reading the pictures for numbers stopped")

        thread = threading.Thread(target=detect, name="detect-numbers", daemon=True)
        thread.start()
        return thread

    # --- a demonstrative made in court -------------------------------------------------------

    def demonstrative(self, role: str, capture: bytes | None = None) -> dict[str, Any]:
        """Save the view the keyboard drives, with its annotations, as a PNG in the instance
        folder; hash it and record it (Art. 49). `capture`: the presenter's miniature as its
        browser drew it (a PNG), used for a view without a picture of its own. Raises
        Refused."""
        import datetime as dt
        import hashlib

        from .. import demonstrative, rendering

        state = self.presentation.driven(role)
        exhibit = self.deck.exhibit(state.item or "")
        if exhibit is None or state.case:
            raise Refused("no_exhibit")
        folder = self.folder / "demonstratives"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / demonstrative.file_name(exhibit.id, dt.datetime.now(dt.UTC))
        shapes = [shape.to_json() for shape in state.sheet()]
        under = self._under(state, exhibit)
        upload = None
        if under.kind == "none" and capture:
            if len(capture) > demonstrative.CAPTURE_BYTES:
                raise Refused("demonstrative_failed")
            upload = folder / f".{target.stem}.capture"
            upload.write_bytes(capture)
            under = replace(under, kind="capture", path=upload)
        try:
            failure = rendering.make(
                f"{self.deck.id}/{exhibit.id}", target, demonstrative.draw, under, shapes, target,
            )  # fmt: skip
        finally:
            if upload is not None:
                upload.unlink(missing_ok=True)
        if failure is not None:
            raise Refused("demonstrative_failed")
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        details = {
            "item": exhibit.id,
            "file": target.name,
            "sha256": digest,
            "shapes": len(shapes),
            "drawn": "miniature" if under.kind == "capture" else "server",
        }
        self.append("demonstrative", state.to_record(), state.controller, by=role, details=details)
        return {"ok": True, "file": target.name, "sha256": digest}

    def _under(self, state, exhibit: Exhibit):
        """What a demonstrative's marks are drawn on, for the view on screen."""
        from ..deck.checks import shown_files
        from ..demonstrative import Under

        deck, region = self.deck, state.region
        shown = shown_files(exhibit)
        name = shown[state.file] if state.file < len(shown) else None
        if state.panel == "content" and state.attachment is not None:
            picture = picture_files(deck, exhibit).get(state.attachment)
            if picture is not None:
                return Under("picture", deck.display(exhibit, picture), region=region)
        if state.panel == "content" and name is not None:
            path = deck.display(exhibit, name)
            if exhibit.view == "image":
                return Under("picture", path, region=region)
            if exhibit.view == "document":
                return Under("page", path, page=state.page, region=region)
            if exhibit.view == "video":
                return Under("frame", path, position=state.media.now(time.time()))
        caption = f"{exhibit.id} {exhibit.title} · {state.panel} · {state.step}"
        return Under("none", caption=caption)

    # --- the deck changing on disk ---------------------------------------------------------

    def reload(self, report: DeckReport, language: str) -> bool:
        """Take a new version of the deck if it is valid; else keep the last good one and
        keep its problems for the presenter. True when the deck was replaced."""
        if report.deck is None or report.deck.id != self.deck.id:
            self.deck_problems = [p.render(language) for p in report.errors]
            return False
        self.deck_problems = []
        self.deck_version += 1
        deck = report.deck
        self.presentation.replace_deck(
            deck, report.unverified, document_pages(deck), table_columns(deck), chat_pictures(deck)
        )
        return True

    # --- clients ---------------------------------------------------------------------------

    def join(
        self, sid: str, role: str, name: str, public: bool = False, pairing: str | None = None
    ) -> Client:
        client = Client(sid, role, name.strip()[:60] or role, public, pairing)
        with self._lock:
            self._clients[sid] = client
        return client

    def leave(self, sid: str) -> Client | None:
        with self._lock:
            return self._clients.pop(sid, None)

    def client(self, sid: str) -> Client | None:
        with self._lock:
            return self._clients.get(sid)

    def rename(self, sid: str, name: str) -> None:
        with self._lock:
            client = self._clients.get(sid)
            if client is not None:
                renamed = name.strip()[:60] or client.role
                self._clients[sid] = replace(client, name=renamed)

    def report_blocked(self, sid: str, blocked: bool, now: float) -> bool:
        """A court screen says its browser blocks sound (or no longer does); True when the
        presenters should be told. A public-gallery screen never plays sound: not heard."""
        with self._lock:
            client = self._clients.get(sid)
            if client is None or client.role != "screen" or client.public:
                return False
            if client.blocked == blocked:
                return False
            recent = tuple(t for t in client.reports if now - t < BLOCKED_WINDOW)
            tell = len(recent) < BLOCKED_REPORTS
            reports = (*recent, now) if tell else recent
            self._clients[sid] = replace(client, blocked=blocked, reports=reports)
            return tell

    def paired_by(self, code: str) -> list[str]:
        """The connections that came in by this pairing."""
        with self._lock:
            return [c.sid for c in self._clients.values() if c.pairing == code]

    def screens(self) -> list[dict[str, Any]]:
        """The connected clients, for the presenter's list (of every process, when several
        carry the presentation and Redis can be reached: this one's published first)."""
        if self.cluster is not None:
            try:
                self.publish_clients()
                return self.cluster.clients()
            except Refused:
                pass
        with self._lock:
            return [self._listed(c) for c in self._clients.values()]

    def _listed(self, client: Client) -> dict[str, Any]:
        listed = {
            "role": client.role,
            "name": client.name,
            "public": client.public,
            "pairing": client.pairing,
            "blocked": client.blocked,
        }
        if self.cluster is not None:
            listed["process"] = self.cluster.process
        return listed
