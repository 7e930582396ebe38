"""The socket adapter: namespace `/live` of LIVE-PROTOCOL v1, a few lines per event.

Handlers parse, call the Court, and emit. Socket handlers get no `before_request` and their
`session` forks from HTTP's, so nothing of the presentation is kept there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_socketio import Namespace, SocketIO, emit, join_room

from ..masking import mask_value
from .court import Court
from .machine import Outcome, Refused
from .state import DRIVERS, LiveState
from .timers import BadTimer

NAMESPACE = "/live"
CONTROL = "control"
"""The room of presenters and experts: screen lists, pairings, deck problems."""
PUBLIC, WHOLE = "public", "whole"
"""Every client is in one of these: public-gallery screens (the public-screen key, or a
pairing approved as 旁听席) get states with personal numbers masked (a table's filter text, a
chart's focus and flow), all others get them whole. A screen's name plays no part."""

PROCESSES, KEPT, REVOKED = "processes", "kept", "revoked"
"""With several processes: before each state goes out, the state as a process keeps it (every
view's marks, the exhibit confirmed) goes to the room `processes`, which no client joins, as
event `kept`: the other processes take it from the message queue before their clients hear
the state, without asking Redis again (one round trip less for a remote site). Event
`revoked` (`{"code"}`): a pairing revoked on one process; every process disconnects the
screens it let in by it."""

SCREENS_EVERY = 0.2
"""Seconds between two lists of screens sent to the presenters at most."""

STANDBY_PING = 2
"""Seconds between heartbeats, and of silence after one, before a client takes its server
for gone, when a standby can take over (Engine.IO's defaults are 25 and 20)."""

QUEUE_RETRY = 0.5
"""Seconds between tries to hear the other processes again while Redis is away."""


def credential(auth: dict[str, Any], role: str, cookies: dict[str, str], names: dict[str, str]):
    """The secret a client connects with: its `auth.key`, else the cookie for its role."""
    if auth.get("key"):
        return str(auth["key"])
    if role in DRIVERS:
        return cookies.get(names["presenter"])
    for kind in ("screen", "public", "pair", "presenter"):
        if cookies.get(names[kind]):
            return cookies[names[kind]]
    return None


class LiveNamespace(Namespace):
    """Presenter, expert and screens on one presentation."""

    def __init__(self, court: Court, socketio: SocketIO, public_mask: bool = True) -> None:
        super().__init__(NAMESPACE)
        self.court = court
        self.io = socketio
        self.public_mask = public_mask
        court.on_change(self._broadcast)
        court.on_detected(self._numbers_found)
        court.access.subscribe(self._pairing_changed)
        court.timers.subscribe(self._timers_changed)
        court.on_record(self._record_grew)
        court.on_checkpoint(self._checkpoint)
        self._screens_lock = threading.Lock()
        self._screens_due = False

    def _broadcast(self, outcome: Outcome) -> None:
        if self.court.cluster is not None:
            self.io.emit(KEPT, self.court.kept(), namespace=NAMESPACE, to=PROCESSES)
        if outcome.event == "reload":
            for room in (WHOLE, PUBLIC):
                self.io.emit("deck", self._deck_message(room), namespace=NAMESPACE, to=room)
        for room in (WHOLE, PUBLIC):
            self.io.emit("state", self._state(outcome.state, room), namespace=NAMESPACE, to=room)
        if outcome.event == "reload":  # after the state: the presenter is asked with it in view
            held = self.court.presentation.held() or {}
            self.io.emit("held", held, namespace=NAMESPACE, to=CONTROL)

    def _numbers_found(self) -> None:
        # the presenter's list of numbers found in pictures: never to a screen
        self.io.emit("proposals", self.court.found_numbers()[1], namespace=NAMESPACE, to=CONTROL)

    def _pairing_changed(self, pairing: dict[str, Any]) -> None:
        # only what changed: a flood of codes must not re-send the whole list each time
        self.io.emit("pairing", pairing, namespace=NAMESPACE, to=CONTROL)

    def _record_grew(self, head: dict[str, Any]) -> None:
        # the record's head, always in the presenter's view: to presenters and experts
        self.io.emit("record", head, namespace=NAMESPACE, to=CONTROL)

    def _checkpoint(self, checkpoint: dict[str, Any]) -> None:
        # every screen keeps every signed checkpoint it is sent (hashes and a time: nothing
        # a public screen may not see)
        for room in (WHOLE, PUBLIC):  # presenters are in the whole room too
            self.io.emit("checkpoint", checkpoint, namespace=NAMESPACE, to=room)

    def _timers_changed(self, timers: dict[str, Any]) -> None:
        # the presenter's clocks: to presenters and experts only, never to a screen
        self.io.emit("timers", timers, namespace=NAMESPACE, to=CONTROL)

    @staticmethod
    def _state(state: LiveState, room: str) -> dict[str, Any]:
        """The state message for a room: the public room's masked whole (a table's filter,
        a chart's focus and flow, the sound screen's name, a verification's file names)."""
        message = state.to_json()
        return mask_value(message) if room == PUBLIC else message  # type: ignore[return-value]

    def _deck_message(self, room: str) -> dict[str, Any]:
        message = {"deck": self.court.deck.id, "version": self.court.deck_version}
        return mask_value(message) if room == PUBLIC else message  # type: ignore[return-value]

    def heard(self, seq: int) -> None:
        """Another process changed the state (to `seq`): take it before the clients hear."""
        if seq > self.court.state.seq:
            self.court.sync()

    def resend(self) -> None:
        """The state again to this process's own clients: the message queue was lost for a
        while, and what the other processes published meanwhile with it."""
        self.court.sync()
        for room in (WHOLE, PUBLIC):
            message = self._state(self.court.state, room)
            self.io.server.emit("state", message, to=room, namespace=NAMESPACE, ignore_queue=True)

    def screens_changed(self) -> None:
        """A screen came, went or was renamed: the presenters' lists, at once for one
        process alone (at most `--max-clients` screens); with other processes, the list of
        screens at most every SCREENS_EVERY seconds (it is read from Redis, and hundreds of
        screens joining at once are told as one list)."""
        if self.court.cluster is None:
            self.tell_control()
            return
        with self._screens_lock:
            if self._screens_due:
                return
            self._screens_due = True
        timer = threading.Timer(SCREENS_EVERY, self._send_screens)
        timer.daemon = True
        timer.start()

    def _send_screens(self) -> None:
        with self._screens_lock:
            self._screens_due = False
        self.io.emit("screens", self.court.screens(), namespace=NAMESPACE, to=CONTROL)

    def tell_control(self) -> None:
        """Send the presenter's side lists: connected screens, pairings, deck errors, and an
        exhibit kept off the screens since the deck was reloaded."""
        court = self.court
        self.io.emit("screens", court.screens(), namespace=NAMESPACE, to=CONTROL)
        self.io.emit("pairings", court.access.pairings(), namespace=NAMESPACE, to=CONTROL)
        self.io.emit("deck_problems", court.deck_problems, namespace=NAMESPACE, to=CONTROL)
        self.io.emit("held", court.presentation.held() or {}, namespace=NAMESPACE, to=CONTROL)

    # --- events ----------------------------------------------------------------------------

    def on_connect(self, auth: dict[str, Any] | None = None) -> None:
        auth = auth if isinstance(auth, dict) else {}
        role = str(auth.get("role") or "screen")
        secret = credential(auth, role, request.cookies, self.court.cookies)
        access = self.court.access
        allowed = access.roles(secret)
        if not allowed:
            raise ConnectionRefusedError("unknown_key")
        if role not in allowed:
            raise ConnectionRefusedError("role_not_allowed")
        public = self.public_mask and access.kind(secret) == "public"
        pairing = None if access.is_key(secret) else access.pairing_of(secret)
        client = self.court.join(
            request.sid,  # type: ignore[attr-defined]
            role,
            str(auth.get("name") or ""),
            public,
            pairing.code if pairing else None,
        )
        self.court.sync()  # the state (and clocks) other processes may have moved on
        # to this client alone, which is here: never through the other processes
        if role in DRIVERS:
            join_room(CONTROL)
            emit("timers", self.court.timers.to_json(), ignore_queue=True)
            emit("record", self.court.record_head(), ignore_queue=True)
        audience = PUBLIC if client.public else WHOLE
        join_room(audience)
        emit("deck", self._deck_message(audience), ignore_queue=True)
        emit("state", self._state(self.court.state, audience), ignore_queue=True)
        peers = current_app.config.get("PEERS")
        if peers:  # where to go if this process stops answering, and the way in there
            ticket = access.ticket(secret)
            emit("peers", {"peers": list(peers), "ticket": ticket}, ignore_queue=True)
        if self.court.last_checkpoint is not None:
            emit("checkpoint", self.court.last_checkpoint, ignore_queue=True)
        if role in DRIVERS:
            self.tell_control()
        else:
            self.screens_changed()

    def on_disconnect(self, reason: object = None) -> None:
        if self.court.leave(request.sid) is not None:  # type: ignore[attr-defined]
            self.screens_changed()

    def on_clock(self, *_: object) -> float:
        """Server time, for a client to learn its clock's offset (media stays in step)."""
        return time.time()

    def on_name(self, name: object = None, *_: object) -> None:
        client = self.court.client(request.sid)  # type: ignore[attr-defined]
        if isinstance(name, str) and client is not None:
            self.court.rename(client.sid, name)
            self.screens_changed()

    def on_timer(self, message: object = None, *_: object) -> dict[str, Any]:
        """A driver sets the countdown (`{"countdown": seconds}`, null to take it away) or
        starts the clocks again (`{"reset": true}`); the clocks go out as `timers`."""
        client = self.court.client(request.sid)  # type: ignore[attr-defined]
        if client is None or client.role not in DRIVERS:
            return {"ok": False, "error": "screen_cannot_command"}
        if not isinstance(message, dict) or not ({"countdown", "reset"} & message.keys()):
            return {"ok": False, "error": "bad_timer"}
        try:
            if "countdown" in message:
                self.court.timers.set_countdown(message["countdown"])
            if message.get("reset") is True:
                self.court.timers.reset()
        except BadTimer:
            return {"ok": False, "error": "bad_timer"}
        return {"ok": True}

    def on_media_blocked(self, blocked: object = None, *extra: object) -> None:
        """A court screen's browser blocks sound (true) until someone clicks in it, or no
        longer does (false): the presenters' screen list says so."""
        if not isinstance(blocked, bool) or extra:
            return
        sid = request.sid  # type: ignore[attr-defined]
        if self.court.report_blocked(sid, blocked, time.monotonic()):
            self.io.emit("screens", self.court.screens(), namespace=NAMESPACE, to=CONTROL)

    def on_command(self, command: object = None, *extra: object) -> dict[str, Any]:
        client = self.court.client(request.sid)  # type: ignore[attr-defined]
        if client is None or not isinstance(command, dict) or extra:
            return {"ok": False, "error": "bad_command"}
        if command.get("action") == "pair":
            return self._pair(client.role, command)
        if command.get("action") == "verify":
            return self._verify(client.role)
        if command.get("action") == "end":
            return self._end(client.role)
        if command.get("action") == "demonstrative":
            capture = command.get("png")
            return self._demonstrative(client.role, capture if isinstance(capture, bytes) else None)
        return self.court.presentation.command(command, client.role).ack()

    def _verify(self, role: str) -> dict[str, Any]:
        last = [0.0]

        def progress(message: dict[str, Any]) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.1 or message["done"] >= message["total"]:
                last[0] = now
                self.io.emit("verify_progress", message, namespace=NAMESPACE, to=CONTROL)

        try:
            self.court.verify(role, progress)
        except Refused as refused:
            return {"ok": False, "error": refused.code}
        return {"ok": True, "started": True}

    def _end(self, role: str) -> dict[str, Any]:
        """ "结束示证": only the presenter ends the record (an expert drives, never ends)."""
        if role != "presenter":
            return {"ok": False, "error": "not_allowed"}
        try:
            closing = self.court.end(role)
        except Refused as refused:
            return {"ok": False, "error": refused.code}
        return {"ok": True, **{k: closing[k] for k in ("entries", "head", "file")}}

    def _demonstrative(self, role: str, capture: bytes | None) -> dict[str, Any]:
        try:
            return self.court.demonstrative(role, capture)
        except Refused as refused:
            return {"ok": False, "error": refused.code}

    def _pair(self, role: str, command: dict[str, Any]) -> dict[str, Any]:
        """Approve (as a court screen, or `"public": true` as a public-gallery one) or refuse
        a pending code; `"revoke": true` withdraws an approved screen and disconnects it;
        `"refuse_all": true` refuses every code waiting."""
        if role not in DRIVERS:
            return {"ok": False, "error": "screen_cannot_command"}
        try:
            return self._decide(command)
        except Refused as refused:  # other processes out of reach: nothing was decided
            return {"ok": False, "error": refused.code}

    def _decide(self, command: dict[str, Any]) -> dict[str, Any]:
        access = self.court.access
        if command.get("refuse_all") is True:
            return {"ok": True, "refused": access.refuse_all()}
        code = command.get("code")
        if not isinstance(code, str):
            return {"ok": False, "error": "unknown_pairing"}
        if command.get("revoke") is True:
            if access.revoke(code) is None:
                return {"ok": False, "error": "unknown_pairing"}
            self.revoked(code)
            if self.court.cluster is not None:  # and its connections to the other processes
                self.io.emit(REVOKED, {"code": code}, namespace=NAMESPACE, to=PROCESSES)
            return {"ok": True}
        approve, public = command.get("approve") is True, command.get("public") is True
        if not access.answer(code, approve, public):
            return {"ok": False, "error": "unknown_pairing"}
        return {"ok": True}

    def revoked(self, code: str) -> None:
        """A pairing was revoked: its screens on this process are disconnected."""
        for sid in self.court.paired_by(code):
            self.io.server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)


MESSAGE_BYTES = 4 << 20
"""Bytes of one message at most: a demonstrative's capture of the miniature is the largest."""


def queue_manager(url: str, channel: str, namespace: Callable[[], LiveNamespace]):
    """python-socketio's Redis manager, with these changes for a court:

    - the processes' own events (`kept`, `revoked`: see PROCESSES) are carried out, not
      delivered;
    - a state another process sends out is taken by this process too before its own
      clients hear it (from `kept`, else from Redis), so that whatever they ask next (an
      exhibit, a chart's figure, a picture masked for the public gallery) is answered from
      that state;
    - while Redis is away it tries again every half second, not backing off to a minute: a
      screen must hear the next change as soon as Redis, or the replica Sentinel promotes,
      answers;
    - each time it is back, this process's clients are sent the state again, since what was
      published meanwhile is lost to them."""
    import socketio as python_socketio

    class Manager(python_socketio.RedisManager):
        def _handle_emit(self, message):
            data = message.get("data")
            first = data[0] if isinstance(data, list) and data else None
            if message.get("host_id") != self.host_id and isinstance(first, dict):
                if message.get("event") == KEPT:
                    namespace().court.adopt(first)
                    return  # for the processes only: no client is in its room
                if message.get("event") == REVOKED and isinstance(first.get("code"), str):
                    namespace().revoked(first["code"])
                    return
                if message.get("event") == "state" and isinstance(first.get("seq"), int):
                    namespace().heard(first["seq"])
            super()._handle_emit(message)

        def _redis_listen_with_retries(self):  # pragma: no cover - python-socketio's loop
            first = True
            while True:
                try:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    if not first:
                        namespace().resend()
                    first = False
                    yield from self.pubsub.listen()
                except Exception as error:  # noqa: BLE001 - any loss: connect again
                    self._get_logger().warning("Redis message queue lost: %s", error)
                    time.sleep(QUEUE_RETRY)

    return Manager(url, channel=channel, redis_options={"socket_connect_timeout": 2.0})


def init_app(app, court: Court) -> SocketIO:
    """Socket.IO on the app, threading mode with real WebSockets (simple-websocket). With
    other processes (`REDIS`), every emit reaches their clients too, through Redis."""
    options: dict[str, Any] = {}
    url = app.config.get("REDIS")
    holder: list[LiveNamespace] = []
    if url:
        channel = f"shizheng-{court.deck.id}"
        options["client_manager"] = queue_manager(url, channel, lambda: holder[0])
        options.update(ping_interval=STANDBY_PING, ping_timeout=STANDBY_PING)
    socketio = SocketIO(
        app,
        async_mode="threading",
        cors_allowed_origins=None,
        max_http_buffer_size=MESSAGE_BYTES,
        **options,
    )
    namespace = LiveNamespace(court, socketio, app.config.get("PUBLIC_MASK", True))
    holder.append(namespace)
    socketio.on_namespace(namespace)
    app.extensions["shizheng.live"] = namespace
    return socketio


def live() -> LiveNamespace:
    return current_app.extensions["shizheng.live"]
