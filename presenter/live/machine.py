"""The presentation as a state machine: commands in, validated against the deck, states out.

Plain Python, no sockets: the socket adapter parses a message, calls `Presentation.command`
and broadcasts what its listeners are given. The machine is the single writer of the live
state, behind one lock; listeners run inside that lock, so the record and the broadcast see
the states in `seq` order.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..deck import Deck, Exhibit
from ..deck.model import region_inside
from .state import BLANKS, DRIVERS, PANELS, ChartView, LiveState, Media, TableView

REASONS: dict[str, tuple[str, str]] = {
    "screen_cannot_command": (
        "法庭屏幕只能跟随，不能操作",
        "court screens follow; they cannot command",
    ),
    "not_in_control": (
        "当前由另一方操作，请先收回控制权",
        "someone else has control; take it back first",
    ),
    "not_allowed": ("无权执行此操作", "not allowed"),
    "unknown_action": ("未知操作", "unknown action"),
    "unknown_item": ("没有这个证据", "no such exhibit"),
    "excluded": (
        "该证据已排除（第四十四条），确认后才能展示",
        "this exhibit is excluded (Art. 44); confirm to show it",
    ),
    "unverified": (
        "该证据文件校验值不符，确认后才能展示",
        "this exhibit's files fail their hash; confirm to show it",
    ),
    "step_out_of_range": ("没有这个步骤", "no such step"),
    "unknown_panel": ("没有这个面板", "no such panel"),
    "unknown_blank": ("未知的黑屏方式", "unknown blank mode"),
    "bad_region": (
        "区域应为 [x, y, w, h]，均在 0 到 1 之间",
        "a region is [x, y, w, h] within 0..1",
    ),
    "bad_pointer": ("指示点应在 0 到 1 之间", "the pointer is x, y within 0..1"),
    "bad_media": ("播放指令无效", "not a playback command"),
    "not_media": ("当前证据不是音视频", "the current exhibit is not audio or video"),
    "not_document": ("当前证据不是文档", "the current exhibit is not a document"),
    "page_out_of_range": ("没有这一页", "no such page"),
    "not_table": ("当前证据不是表格", "the current exhibit is not a table"),
    "not_chart": ("当前证据不是图表", "the current exhibit is not a chart"),
    "bad_chart": (
        "图表条件无效",
        "until is an ISO 8601 time, focus a list of names, fold a number from 2 to 500, "
        "flow a pair of accounts of a fund-flow chart",
    ),
    "bad_table": (
        "排序列或筛选条件无效",
        "sort by an existing column, filter by at most 100 characters, start at row 0 or later",
    ),
    "bad_case": ("证据链显示指令无效", "case takes show: true or false"),
    "at_start": ("已是第一个", "already at the start"),
    "at_end": ("已是最后一个", "already at the end"),
    "no_exhibit": ("尚未选择证据", "no exhibit is shown"),
    "no_hash": ("此证据没有记录完整性校验值", "this exhibit has no recorded hash"),
    "verifying": ("正在核验，请稍候", "a verification is running"),
    "unknown_pairing": (
        "没有待批准或已批准的这个配对码",
        "no pending or approved pairing with this code",
    ),
    "bad_command": ("指令格式无效", "a command is an object with an action"),
}
"""Why a command was refused: the `error` of its acknowledgement, and the words for people."""


ACTIONS: tuple[str, ...] = (
    "goto", "next", "prev", "step", "page", "panel", "blank", "region", "pointer", "media",
    "handover", "verify", "sound", "table", "chart", "case",
)  # fmt: skip
"""The commands of the protocol; the socket adapter adds `pair` (approve a screen)."""


def reason(code: str, language: str = "zh-CN") -> str:
    zh, en = REASONS.get(code, (code, code))
    return en if language.lower().startswith("en") else zh


@dataclass(frozen=True)
class Outcome:
    """What a command did. `recorded` changes go to the record (Art. 49); pointer moves do not."""

    ok: bool
    state: LiveState
    error: str | None = None
    changed: bool = False
    recorded: bool = False
    event: str = "state"
    details: Mapping[str, Any] = field(default_factory=dict)

    def ack(self) -> dict[str, Any]:
        """The protocol's acknowledgement."""
        if self.ok:
            return {"ok": True, "seq": self.state.seq}
        return {"ok": False, "error": self.error, **self.details}


class Refused(Exception):
    """A command that cannot be carried out; carries the reason code."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


Listener = Callable[[Outcome, Mapping[str, Any], str], None]
"""Called with each change, the command that made it and the role that sent it."""


class Presentation:
    """The live presentation of one deck (现场示证)."""

    def __init__(
        self,
        deck: Deck,
        *,
        unverified: frozenset[str] = frozenset(),
        state: LiveState | None = None,
        clock: Callable[[], float] = time.time,
        pages: Mapping[str, int] | None = None,
        columns: Mapping[str, int] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._clock = clock
        self._listeners: list[Listener] = []
        self._deck = deck
        self._unverified = frozenset(unverified)
        self._pages = dict(pages or {})
        self._columns = dict(columns or {})
        self._confirmed: str | None = None
        self._state = self._restored(state) if state else self._opening()

    # --- reading ---------------------------------------------------------------------------

    @property
    def state(self) -> LiveState:
        return self._state

    @property
    def deck(self) -> Deck:
        return self._deck

    @property
    def unverified(self) -> frozenset[str]:
        return self._unverified

    def may_show(self, exhibit_id: str) -> bool:
        """Whether court screens may have this exhibit: not excluded nor failing its hash,
        unless it is on the screens now because the presenter confirmed it (Art. 44)."""
        with self._lock:
            exhibit = self._deck.exhibit(exhibit_id)
            if exhibit is None:
                return False
            if self._blocked(exhibit) is None:
                return True
            return self._state.item == exhibit_id and self._confirmed == exhibit_id

    def page_count(self, exhibit_id: str) -> int:
        """Pages of a document exhibit (0 for any other)."""
        return self._pages.get(exhibit_id, 0)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # --- commands --------------------------------------------------------------------------

    def command(self, command: Mapping[str, Any], role: str) -> Outcome:
        """Carry out one command of the protocol for a client of `role`, or refuse it."""
        with self._lock:
            try:
                new, recorded, details = self._apply(command, role)
            except Refused as refused:
                return Outcome(False, self._state, refused.code, details=refused.details)
            return self._commit(new, command, role, recorded, "state", details)

    def replace_deck(
        self,
        deck: Deck,
        unverified: frozenset[str] = frozenset(),
        pages: Mapping[str, int] | None = None,
        columns: Mapping[str, int] | None = None,
    ) -> Outcome:
        """A new version of the deck (edited on disk): keep the exhibit by id, clamp the step."""
        with self._lock:
            self._deck = deck
            self._unverified = frozenset(unverified)
            self._pages = dict(pages or {})
            self._columns = dict(columns or {})
            exhibit = deck.exhibit(self._state.item or "")
            details: dict[str, Any] = {}
            if exhibit is None:
                new = self._opening().but(blank=self._state.blank)
            else:
                step = min(self._state.step, len(exhibit.steps))
                new = self._state.but(deck=deck.id, step=step)
                if step != self._state.step:
                    new = self._with_step(new, exhibit, step)
                blocked = self._blocked(exhibit)
                if blocked:
                    # now excluded or failing its hash: off the screens until the presenter
                    # confirms, as `goto` asks (Art. 44); the confirmation is asked again
                    self._confirmed = None
                    new = new.but(blank=new.blank or "black", region=None, pointer=None)
                    details = {"held": blocked, "item": exhibit.id}
            return self._commit(new, {"action": "reload"}, "server", True, "reload", details)

    def held(self) -> dict[str, str] | None:
        """The exhibit kept off the screens after a reload (and why), until the presenter
        confirms it or moves on; None when there is none."""
        with self._lock:
            exhibit = self._deck.exhibit(self._state.item or "")
            if exhibit is None or self._confirmed == exhibit.id:
                return None
            blocked = self._blocked(exhibit)
            return {"item": exhibit.id, "error": blocked} if blocked else None

    def check_verify(self, role: str) -> Exhibit:
        """The exhibit a `verify` command from `role` would re-hash; Refused if it may not."""
        with self._lock:
            if role not in DRIVERS:
                raise Refused("screen_cannot_command")
            if role != self._state.controller:
                raise Refused("not_in_control")
            exhibit = self._current()
            if not exhibit.source.hashes:
                raise Refused("no_hash")
            return exhibit

    def verified(self, exhibit_id: str, results: list[dict[str, Any]], role: str) -> Outcome:
        """The result of a live re-hash: shown on the screens when the exhibit is on them,
        recorded either way; a mismatch keeps the exhibit off the screens until confirmed."""
        with self._lock:
            ok = all(r["match"] for r in results)
            if ok:
                self._unverified = self._unverified - {exhibit_id}
            else:
                self._unverified = self._unverified | {exhibit_id}
                if self._confirmed == exhibit_id:
                    self._confirmed = None
            new = self._state
            if new.item == exhibit_id:
                verification = {
                    "item": exhibit_id,
                    "ok": ok,
                    "confirmed": False,
                    "results": results,
                }
                new = new.but(verification=verification)
            details = {"item": exhibit_id, "ok": ok, "results": results}
            return self._commit(new, {"action": "verify"}, role, True, "verify", details)

    # --- internals -------------------------------------------------------------------------

    def _commit(
        self,
        new: LiveState,
        command: Mapping[str, Any],
        role: str,
        recorded: bool,
        event: str,
        details: Mapping[str, Any],
    ) -> Outcome:
        if new == self._state and event == "state":
            return Outcome(True, self._state)
        self._state = new.but(seq=self._state.seq + 1)
        outcome = Outcome(True, self._state, None, True, recorded, event, details)
        for listener in self._listeners:
            listener(outcome, command, role)
        return outcome

    def _opening(self) -> LiveState:
        """Before the first command: the first showable exhibit, screens on the logo."""
        first = next((e for e in self._deck.exhibits if self._blocked(e) is None), None)
        return LiveState(
            deck=self._deck.id,
            item=first.id if first else None,
            blank="logo",
            media=Media(at=self._clock()),
        )

    def _restored(self, state: LiveState) -> LiveState:
        exhibit = self._deck.exhibit(state.item or "")
        if state.deck != self._deck.id or exhibit is None or self._blocked(exhibit):
            return self._opening().but(seq=state.seq)
        if state.step > len(exhibit.steps):
            return self._with_step(state, exhibit, len(exhibit.steps))
        return state

    def _blocked(self, exhibit: Exhibit) -> str | None:
        if exhibit.excluded:
            return "excluded"
        if exhibit.id in self._unverified:
            return "unverified"
        return None

    def _check_held(self) -> None:
        """Refuse to bring the picture back on an exhibit kept off the screens (excluded or
        failing its hash since a reload) until the presenter confirms it."""
        exhibit = self._deck.exhibit(self._state.item or "")
        verification = self._state.verification
        if exhibit is None or self._confirmed == exhibit.id:
            return
        if verification and verification["item"] == exhibit.id:
            return  # the failed check itself is what the screens show
        blocked = self._blocked(exhibit)
        if blocked:
            raise Refused(blocked, item=exhibit.id)

    def _current(self) -> Exhibit:
        exhibit = self._deck.exhibit(self._state.item or "")
        if exhibit is None:
            raise Refused("no_exhibit")
        return exhibit

    def _apply(
        self, command: Mapping[str, Any], role: str
    ) -> tuple[LiveState, bool, dict[str, Any]]:
        """The new state, whether it goes to the record, and details for the record."""
        if role not in DRIVERS:
            raise Refused("screen_cannot_command")
        action = command.get("action")
        state = self._state
        if action == "handover":
            return self._handover(command.get("to"), role), True, {}
        if role != state.controller:
            raise Refused("not_in_control")
        confirm = command.get("confirm") is True
        if action == "goto":
            panel = command.get("panel")
            if panel is not None and panel not in PANELS:
                raise Refused("unknown_panel")
            new, recorded, details = self._goto(command.get("item"), confirm)
            if panel is not None and panel != new.panel:
                new = new.but(panel=panel, region=None, pointer=None)
            return new, recorded, details
        if action == "next":
            return self._walk(+1, confirm)
        if action == "prev":
            return self._walk(-1, confirm)
        if action == "step":
            step = command.get("step")
            exhibit = self._current()
            if not _is_int(step) or not 0 <= step <= len(exhibit.steps):
                raise Refused("step_out_of_range")
            return self._with_step(state.but(case=False), exhibit, step), True, {}
        if action == "case":
            if not isinstance(command.get("show"), bool):
                raise Refused("bad_case")
            return state.but(case=command["show"], region=None, pointer=None), True, {}
        if action == "page":
            page = command.get("page")
            exhibit = self._current()
            if exhibit.view != "document":
                raise Refused("not_document")
            if not _is_int(page) or not 1 <= page <= self._pages.get(exhibit.id, 1):
                raise Refused("page_out_of_range")
            return state.but(page=page, region=None, pointer=None), True, {}
        if action == "verify":
            raise Refused("unknown_action")  # started by the court, which hashes in the background
        if action == "panel":
            if command.get("panel") not in PANELS:
                raise Refused("unknown_panel")
            changes = {"panel": command["panel"], "region": None, "pointer": None, "case": False}
            return state.but(**changes), True, {}
        if action == "blank":
            mode = command.get("mode")
            if mode is not None and mode not in BLANKS:
                raise Refused("unknown_blank")
            if mode is None:
                self._check_held()
            return state.but(blank=mode), True, {}
        if action == "region":
            return state.but(region=_region(command.get("region"))), True, {}
        if action == "pointer":
            return state.but(pointer=_pointer(command)), False, {}
        if action == "sound":
            screen = command.get("screen")
            if screen is not None and (not isinstance(screen, str) or not screen.strip()):
                raise Refused("bad_media")
            return state.but(sound=screen.strip()[:60] if screen else None), True, {}
        if action == "media":
            return state.but(media=self._media(command)), True, {}
        if action == "table":
            return state.but(table=self._table(command)), True, {}
        if action == "chart":
            return state.but(chart=self._chart(command)), True, {}
        raise Refused("unknown_action")

    def _handover(self, to: object, role: str) -> LiveState:
        if to not in DRIVERS:
            raise Refused("unknown_action")
        # the presenter hands over and may always take back; the expert may only hand back
        if role == "expert" and (to != "presenter" or self._state.controller != "expert"):
            raise Refused("not_allowed")
        return self._state.but(controller=to)

    def _goto(self, item: object, confirm: bool) -> tuple[LiveState, bool, dict[str, Any]]:
        exhibit = self._deck.exhibit(item) if isinstance(item, str) else None
        if exhibit is None:
            raise Refused("unknown_item")
        if exhibit.id == self._state.item:
            blocked = self._blocked(exhibit)
            if blocked and confirm and self._confirmed != exhibit.id:
                # shown after its live verification failed, or kept off after a reload: the
                # presenter confirms in view
                self._confirmed = exhibit.id
                new, verification = self._state, self._state.verification
                if verification and verification["item"] == exhibit.id and not verification["ok"]:
                    new = new.but(verification={**verification, "confirmed": True})
                else:
                    new = new.but(blank=None)
                return new, True, {"confirmed": blocked}
            if blocked and self._confirmed != exhibit.id:
                raise Refused(blocked, item=exhibit.id)
            return self._state.but(case=False), True, {}
        return self._enter(exhibit, 0, confirm)

    def _enter(
        self, exhibit: Exhibit, step: int, confirm: bool
    ) -> tuple[LiveState, bool, dict[str, Any]]:
        blocked = self._blocked(exhibit)
        if blocked and not confirm:
            raise Refused(blocked, item=exhibit.id)
        self._confirmed = exhibit.id if blocked else None
        fresh = self._state.but(
            case=False,
            item=exhibit.id,
            panel="content",
            page=1,
            verification=None,
            region=None,
            pointer=None,
            media=Media(at=self._clock()),
        )
        details = {"confirmed": blocked} if blocked else {}
        return self._with_step(fresh, exhibit, step), True, details

    def _walk(self, direction: int, confirm: bool) -> tuple[LiveState, bool, dict[str, Any]]:
        """Next or previous: the steps of the exhibit first, then the neighbouring exhibit.

        While the screens are blank, or show the case matrix, the first press only brings
        the exhibit back (as PowerPoint does), so nothing moves unseen.
        """
        state = self._state
        if state.blank is not None:
            self._check_held()
            return state.but(blank=None), True, {}
        if state.case:
            return state.but(case=False), True, {}
        exhibits = self._deck.exhibits
        current = self._deck.exhibit(state.item or "")
        if current is not None:
            target = state.step + direction
            if 0 <= target <= len(current.steps):
                return self._with_step(state, current, target), True, {}
            index = exhibits.index(current)
        else:
            index = -1 if direction > 0 else len(exhibits)
        index += direction
        while 0 <= index < len(exhibits) and exhibits[index].excluded:
            index += direction
        if not 0 <= index < len(exhibits):
            raise Refused("at_end" if direction > 0 else "at_start")
        neighbour = exhibits[index]
        return self._enter(neighbour, 0 if direction > 0 else len(neighbour.steps), confirm)

    def _with_step(self, state: LiveState, exhibit: Exhibit, step: int) -> LiveState:
        """Step n of the exhibit: its callout region, its page, and for a clip, play from its
        start."""
        prepared = exhibit.steps[step - 1] if step > 0 else None
        region = prepared.region if prepared is not None else None
        media = state.media
        page = state.page if step > 0 else 1
        if prepared is not None and prepared.clip is not None:
            media = Media(True, prepared.clip.start, self._clock())
        if prepared is not None and prepared.page is not None:
            page = prepared.page
        chart = None
        if prepared is not None and (prepared.until is not None or prepared.focus):
            until = prepared.until.isoformat() if prepared.until is not None else None
            chart = ChartView(until, tuple(prepared.focus or ()))
        return state.but(
            step=step, page=page, region=region, pointer=None, media=media, table=None, chart=chart
        )

    def _table(self, command: Mapping[str, Any]) -> TableView | None:
        exhibit = self._current()
        if exhibit.view != "table":
            raise Refused("not_table")
        sort, text, start = command.get("sort"), command.get("filter") or "", command.get("start")
        columns = self._columns.get(exhibit.id, 0)
        if sort is not None and (not _is_int(sort) or not 0 <= sort < columns):
            raise Refused("bad_table")
        if not isinstance(text, str) or len(text) > 100:
            raise Refused("bad_table")
        if start is not None and (not _is_int(start) or start < 0):
            raise Refused("bad_table")
        desc = command.get("desc") is True and sort is not None
        view = TableView(sort, desc, text.strip(), start or 0)
        return None if view == TableView() else view

    def _chart(self, command: Mapping[str, Any]) -> ChartView | None:
        if self._current().view != "chart":
            raise Refused("not_chart")
        until, focus, fold = command.get("until"), command.get("focus") or [], command.get("fold")
        try:
            if until is not None:
                dt.datetime.fromisoformat(str(until))
        except ValueError:
            raise Refused("bad_chart") from None
        if not isinstance(focus, list) or not all(isinstance(f, str) for f in focus):
            raise Refused("bad_chart")
        if fold is not None and (not _is_int(fold) or not 2 <= fold <= 500):
            raise Refused("bad_chart")
        flow = command.get("flow")
        if flow is not None and (
            self._current().chart != "funds"
            or not isinstance(flow, list)
            or len(flow) != 2
            or not all(isinstance(f, str) and 0 < len(f) <= 200 for f in flow)
        ):
            raise Refused("bad_chart")
        view = ChartView(
            None if until is None else str(until),
            tuple(focus[:20]),
            fold,
            (flow[0], flow[1]) if flow else None,
        )
        return None if view == ChartView() else view

    def _media(self, command: Mapping[str, Any]) -> Media:
        if self._current().view not in ("video", "audio"):
            raise Refused("not_media")
        op = command.get("op")
        position = command.get("position")
        now = self._clock()
        if position is not None and (not _is_number(position) or position < 0):
            raise Refused("bad_media")
        current = self._state.media
        at = float(position) if position is not None else current.now(now)
        if op == "play":
            return Media(True, at, now)
        if op == "pause":
            return Media(False, at, now)
        if op == "seek" and position is not None:
            return Media(current.playing, at, now)
        raise Refused("bad_media")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _region(value: object) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple) or len(value) != 4 or not all(map(_is_number, value)):
        raise Refused("bad_region")
    x, y, w, h = (float(v) for v in value)
    if not region_inside(x, y, w, h):
        raise Refused("bad_region")
    return (x, y, w, h)


def _pointer(command: Mapping[str, Any]) -> tuple[float, float] | None:
    x, y = command.get("x"), command.get("y")
    if x is None and y is None:
        return None
    if not (_is_number(x) and _is_number(y) and 0 <= x <= 1 and 0 <= y <= 1):  # type: ignore[operator]
        raise Refused("bad_pointer")
    return (float(x), float(y))  # type: ignore[arg-type]
