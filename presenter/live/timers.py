"""The presenter's clocks (计时), kept by the server so that a reload or a language switch
never resets them: the whole presentation since its first exhibit reached the screens, each
exhibit's time on the screens, and an optional countdown the presenter sets.

Plain Python. The court tells it every state; it tells its listeners when a clock started or
stopped (never on every second: a client counts from the times it is given, in server
time). Kept in the instance folder (`timers.json`): a server restarted on the same day keeps
them (the time it was down counts as time on the exhibit the screens were left on); one
started on a later day starts them afresh, as a new day of the hearing.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .state import LiveState

MAX_COUNTDOWN = 24 * 3600.0
"""The longest countdown, in seconds: a court day."""

Listener = Callable[[dict[str, Any]], None]
"""Told of every change: the clocks as `to_json` gives them."""


def on_screens(state: LiveState) -> str | None:
    """The exhibit the court screens show now: none while blank or showing the case matrix."""
    if state.item is None or state.blank is not None or state.case:
        return None
    return state.item


DAY = 86_400.0
MAX_FILE = 1 << 20
"""Bytes of timers.json read at most: a deck's clocks take a few kilobytes."""
MAX_EXHIBITS = 5_000
MAX_NAME = 200


class BadTimer(ValueError):
    """A countdown that is not a number of seconds from 1 to a court day."""


class Timers:
    """The presentation's clocks, behind one lock; times are the server's (`time.time`)."""

    def __init__(
        self,
        path: Path | None,
        clock: Callable[[], float] = time.time,
        keep: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self._path = path
        self._clock = clock
        self._keep = keep
        """Also given the clocks at each change: where other processes read them (adopt)."""
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._started: float | None = None
        self._spent: dict[str, float] = {}
        self._on: str | None = None
        self._since: float | None = None
        self._countdown: dict[str, float] | None = None
        self._load()

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def observe(self, state: LiveState) -> None:
        """A new state: stop the clock of the exhibit that left the screens, start the one
        that arrived (and the presentation's, at its first exhibit)."""
        item = on_screens(state)
        with self._lock:
            if item == self._on:
                return
            now = self._clock()
            self._stop(now)
            if item is not None:
                if self._started is None:
                    self._started = now
                self._on, self._since = item, now
            message = self._changed()
        self._tell(message)

    def set_countdown(self, seconds: object) -> None:
        """Count down `seconds` from now; None takes the countdown away. Raises BadTimer."""
        if seconds is not None:
            number = isinstance(seconds, int | float) and not isinstance(seconds, bool)
            # compared as they are (NaN fails, a huge int is never made a float)
            if not (number and 1 <= seconds <= MAX_COUNTDOWN):  # type: ignore[operator]
                raise BadTimer(seconds)
        with self._lock:
            now = self._clock()
            self._countdown = (
                None if seconds is None else {"seconds": float(seconds), "from": now}  # type: ignore[arg-type]
            )
            message = self._changed()
        self._tell(message)

    def reset(self) -> None:
        """Start every clock again from now (the exhibit on the screens keeps running)."""
        with self._lock:
            now = self._clock()
            self._spent = {}
            self._started = now if self._on is not None else None
            self._since = now if self._on is not None else None
            message = self._changed()
        self._tell(message)

    def adopt(self, data: dict[str, Any]) -> None:
        """The clocks as another process of the same presentation left them (its `timers`
        message, which the presenters have heard already): this one goes on from there."""
        with self._lock:
            self._started, self._spent, self._on, self._since = None, {}, None, None
            self._countdown = None
            self._take(data)

    def to_json(self) -> dict[str, Any]:
        """The `timers` message: `started` (the presentation's first exhibit, or null),
        `spent` (seconds each exhibit was on the screens, not counting the current run),
        `on` and `since` (the exhibit on the screens now and since when), `countdown`
        (`{"seconds", "from"}` or null) and `now`, all in server time."""
        with self._lock:
            return self._json()

    # --- internals -------------------------------------------------------------------------

    def _stop(self, now: float) -> None:
        if self._on is not None and self._since is not None:
            self._spent[self._on] = self._spent.get(self._on, 0.0) + max(0.0, now - self._since)
        self._on = self._since = None

    def _json(self) -> dict[str, Any]:
        return {
            "started": self._started,
            "spent": dict(self._spent),
            "on": self._on,
            "since": self._since,
            "countdown": dict(self._countdown) if self._countdown else None,
            "now": self._clock(),
        }

    def _changed(self) -> dict[str, Any]:
        message = self._json()
        self._save(message)
        return message

    def _tell(self, message: dict[str, Any]) -> None:
        for listener in self._listeners:
            listener(message)

    def _save(self, message: dict[str, Any]) -> None:
        # only a convenience across a restart: atomic, not fsynced
        if self._keep is not None:
            try:
                self._keep(message)
            except Exception:  # noqa: BLE001 - the other processes' copy waits for the next
                pass
        if self._path is None:
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            temp = self._path.with_suffix(".tmp")
            temp.write_text(json.dumps(message), encoding="utf-8")
            os.replace(temp, self._path)
        except OSError:
            pass  # the clocks still run; only a restart would start them again

    def _today(self, saved: object) -> bool:
        """Whether clocks last saved at `saved` (server time) belong to today's hearing."""
        if isinstance(saved, bool) or not isinstance(saved, int | float):
            return False
        try:
            then = dt.datetime.fromtimestamp(saved)
        except (OverflowError, OSError, ValueError):
            return False
        return then.date() == dt.datetime.fromtimestamp(self._clock()).date()

    def _load(self) -> None:
        if self._path is None:
            return
        # what a hand or a bad disk left there is read within the bounds the clocks keep,
        # or not at all: never a reason not to start
        try:
            if self._path.stat().st_size > MAX_FILE:
                return
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return
        if isinstance(data, dict):
            self._take(data)

    def _take(self, data: dict[str, Any]) -> None:
        """The clocks of a `timers` message, within the bounds they keep; the caller holds
        the lock, or is the constructor."""
        if not self._today(data.get("now")):
            return
        now = self._clock()

        def number(value: object, low: float, high: float) -> float | None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            try:
                value = float(value)
            except OverflowError:
                return None
            return value if math.isfinite(value) and low <= value <= high else None

        def moment(value: object) -> float | None:
            return number(value, now - DAY, now + 60)  # a time of today's hearing

        def name(value: object) -> str | None:
            return value if isinstance(value, str) and 0 < len(value) <= MAX_NAME else None

        self._started = moment(data.get("started"))
        spent = data.get("spent")
        if isinstance(spent, dict):
            kept = ((name(k), number(v, 0.0, DAY)) for k, v in list(spent.items())[:MAX_EXHIBITS])
            self._spent = {k: v for k, v in kept if k is not None and v is not None}
        on, since = name(data.get("on")), moment(data.get("since"))
        if on is not None and since is not None:
            self._on, self._since = on, since
        countdown = data.get("countdown")
        if isinstance(countdown, dict):
            seconds = number(countdown.get("seconds"), 1.0, float(MAX_COUNTDOWN))
            start = moment(countdown.get("from"))
            if seconds is not None and start is not None:
                self._countdown = {"seconds": seconds, "from": start}
