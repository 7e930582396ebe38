"""The presentation as a state machine: commands in, validated against the deck, states out.

Plain Python, no sockets: the socket adapter parses a message, calls `Presentation.command`
and broadcasts what its listeners are given. The machine is the single writer of the live
state, behind one lock; listeners run inside that lock, so the record and the broadcast see
the states in `seq` order.

A command goes through four gates, in this order, so that each refusal is the one the
protocol promises: who sent it (`screen_cannot_command`, `not_in_control`; a handover is
anyone's), what the screens show (an exhibit, of the view the action needs), its fields
(`commands.parse`), then its handler in `RULES`: `(scene, command) -> Change`, one small
function per action, named `on_<action>`.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ..deck import Deck, Exhibit
from ..deck.checks import find_file, shown_files, step_files
from ..i18n import pick
from ..i18n.refusals import REASONS
from .commands import (
    Annotate,
    Arrange,
    BlankScreens,
    Case,
    Chart,
    Goto,
    Handover,
    Page,
    Play,
    Point,
    Redact,
    Refused,
    ShowAttachment,
    ShowFile,
    ShowPanel,
    SideBySide,
    Sound,
    Step,
    Walk,
    Zoom,
    known,
    parse,
)
from .state import (
    DRIVERS,
    MAX_FLOW_PAGES,
    ChartView,
    Compare,
    Half,
    LiveBox,
    LiveState,
    Media,
    Shape,
    TableView,
    sheet_key,
)

ACTIONS: tuple[str, ...] = (
    "goto", "next", "prev", "step", "page", "panel", "blank", "region", "pointer", "media",
    "handover", "verify", "sound", "table", "chart", "case", "attachment", "file",
    "annotate", "compare", "redact",
)  # fmt: skip
"""The commands of the protocol; the socket adapter adds `pair` (approve a screen)."""


def reason(code: str, language: str = "zh-CN") -> str:
    return pick(REASONS.get(code, (code, code)), language)


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


Listener = Callable[[Outcome, Mapping[str, Any], str], None]
"""Called with each change, the command that made it and the role that sent it."""


class Raced(Exception):
    """Another process changed the presentation first: take its state and try again."""


class SharedStore(Protocol):
    """Where the presentation is kept when several processes carry it (live/cluster.py)."""

    def latest(self) -> tuple[LiveState, str | None] | None:
        """The state every process shares and the exhibit confirmed on it; None before the
        first. Raises Refused when it cannot be reached."""

    def commit(
        self,
        old: LiveState,
        outcome: Outcome,
        command: Mapping[str, Any],
        role: str,
        confirmed: str | None,
    ) -> bool:
        """Make `outcome` the shared state (and record it) if `old` is still the shared
        state; False when another process changed it first. Raises Refused."""


RACES = 8
"""Tries of one change against other processes changing the state at the same moment."""


# --- what a handler sees and gives back -----------------------------------------------------


class _Keep(enum.Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP


@dataclass(frozen=True)
class Change:
    """What a handler made of a command: the new state, details for the record, and the
    exhibit the presenter has now confirmed showing (`KEEP`: as before)."""

    state: LiveState
    details: Mapping[str, Any] = field(default_factory=dict)
    confirmed: str | None | _Keep = KEEP


def blocked(exhibit: Exhibit, unverified: frozenset[str]) -> str | None:
    """Why court screens may not have this exhibit unless the presenter confirms (Art. 44)."""
    if exhibit.excluded:
        return "excluded"
    if exhibit.id in unverified:
        return "unverified"
    return None


def with_step(state: LiveState, exhibit: Exhibit, step: int, now: float) -> LiveState:
    """Step n of the exhibit: its file (the one it names, or the step before it showed), its
    callout region, its page, its chart view, a chat's picture shown large, and for a clip,
    play from its start. Another file starts at its first page, its media stopped at 0."""
    prepared = exhibit.steps[step - 1] if step > 0 else None
    region = prepared.region if prepared is not None else None
    attachment = prepared.attachment if prepared is not None else None
    file = step_files(exhibit)[step - 1] if step > 0 else 0
    media = state.media if file == state.file else Media(at=now)
    page = state.page if step > 0 and file == state.file else 1
    if prepared is not None and prepared.clip is not None:
        media = Media(True, prepared.clip.start, now)
    if prepared is not None and prepared.page is not None:
        page = prepared.page
    chart = None
    if prepared is not None and (prepared.until is not None or prepared.focus):
        until = prepared.until.isoformat() if prepared.until is not None else None
        chart = ChartView(until, tuple(prepared.focus or ()))
    return state.but(
        step=step,
        file=file,
        page=page,
        flow_page=0,
        region=region,
        pointer=None,
        media=media,
        table=None,
        chart=chart,
        attachment=attachment,
    )


@dataclass(frozen=True)
class Scene:
    """What a handler sees: the state, the deck and what is known of its files, the exhibit
    the presenter confirmed, who sent the command and when (server time)."""

    state: LiveState
    deck: Deck
    role: str
    now: float
    unverified: frozenset[str] = frozenset()
    confirmed: str | None = None
    pages: Mapping[str, int] = field(default_factory=dict)
    columns: Mapping[str, int] = field(default_factory=dict)
    pictures: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    """The messages of each chat exhibit with a picture attached, and the picture's file."""
    file_pages: Mapping[tuple[str, int], int] = field(default_factory=dict)
    """The page count of each file of a document exhibit of several, by (exhibit, file)."""

    def current(self) -> Exhibit:
        """The exhibit on the screens; Refused when there is none."""
        exhibit = self.deck.exhibit(self.state.item or "")
        if exhibit is None:
            raise Refused("no_exhibit")
        return exhibit

    def blocked(self, exhibit: Exhibit) -> str | None:
        return blocked(exhibit, self.unverified)

    def check_held(self) -> None:
        """Refuse to bring the picture back on an exhibit kept off the screens (excluded or
        failing its hash since a reload) until the presenter confirms it."""
        exhibit = self.deck.exhibit(self.state.item or "")
        verification = self.state.verification
        if exhibit is None or self.confirmed == exhibit.id:
            return
        if verification and verification["item"] == exhibit.id:
            return  # the failed check itself is what the screens show
        held = self.blocked(exhibit)
        if held:
            raise Refused(held, item=exhibit.id)

    def enter(self, exhibit: Exhibit, step: int, confirm: bool) -> Change:
        """Another exhibit on the screens, at a step, its content panel, from its first page;
        one kept off them needs `confirm`, which is recorded."""
        held = self.blocked(exhibit)
        if held and not confirm:
            raise Refused(held, item=exhibit.id)
        fresh = self.state.but(
            case=False,
            item=exhibit.id,
            panel="content",
            file=0,
            page=1,
            verification=None,
            region=None,
            pointer=None,
            media=Media(at=self.now),
        )
        return Change(
            with_step(fresh, exhibit, step, self.now),
            {"confirmed": held} if held else {},
            confirmed=exhibit.id if held else None,
        )


# --- one handler per action -----------------------------------------------------------------


def on_goto(scene: Scene, command: Goto) -> Change:
    """An exhibit at step 0, or the one on the screens again (where a confirmation brings
    back one kept off them); `panel` opens it on a panel in the same change."""
    exhibit = scene.deck.exhibit(command.item) if command.item is not None else None
    if exhibit is None:
        raise Refused("unknown_item")
    if exhibit.id == scene.state.item:
        change = _again(scene, exhibit, command.confirm)
    else:
        change = scene.enter(exhibit, 0, command.confirm)
    panel = command.panel
    if panel is not None and panel != change.state.panel:
        change = replace(change, state=change.state.but(panel=panel, region=None, pointer=None))
    return change


def _again(scene: Scene, exhibit: Exhibit, confirm: bool) -> Change:
    state, held = scene.state, scene.blocked(exhibit)
    if held and confirm and scene.confirmed != exhibit.id:
        # shown after its live verification failed, or kept off after a reload: the
        # presenter confirms in view
        verification = state.verification
        if verification and verification["item"] == exhibit.id and not verification["ok"]:
            new = state.but(verification={**verification, "confirmed": True})
        else:
            new = state.but(blank=None)
        return Change(new, {"confirmed": held}, confirmed=exhibit.id)
    if held and scene.confirmed != exhibit.id:
        raise Refused(held, item=exhibit.id)
    return Change(state.but(case=False))


def on_walk(scene: Scene, command: Walk) -> Change:
    """Next or previous: the steps of the exhibit first, then the neighbouring exhibit
    (excluded ones skipped; "previous" lands on its last step).

    While the screens are blank, or show the case matrix, the first press only brings the
    exhibit back (as PowerPoint does), so nothing moves unseen.
    """
    direction = 1 if command.action == "next" else -1
    state = scene.state
    if state.blank is not None:
        scene.check_held()
        return Change(state.but(blank=None))
    if state.case:
        return Change(state.but(case=False))
    exhibits = scene.deck.exhibits
    current = scene.deck.exhibit(state.item or "")
    if current is not None:
        target = state.step + direction
        if 0 <= target <= len(current.steps):
            return Change(with_step(state, current, target, scene.now))
        index = exhibits.index(current)
    else:
        index = -1 if direction > 0 else len(exhibits)
    index += direction
    while 0 <= index < len(exhibits) and exhibits[index].excluded:
        index += direction
    if not 0 <= index < len(exhibits):
        raise Refused("at_end" if direction > 0 else "at_start")
    neighbour = exhibits[index]
    return scene.enter(neighbour, 0 if direction > 0 else len(neighbour.steps), command.confirm)


def on_step(scene: Scene, command: Step) -> Change:
    """A prepared step of the exhibit (0: before any)."""
    exhibit = scene.current()
    if command.step > len(exhibit.steps):
        raise Refused("step_out_of_range")
    return Change(with_step(scene.state.but(case=False), exhibit, command.step, scene.now))


def on_page(scene: Scene, command: Page) -> Change:
    """A page on the screens: of the document on its content panel, else of long content,
    which the screens cut into pages that fit them (0: the page of the step's marks)."""
    state = scene.state
    exhibit = None if state.case else scene.current()
    if exhibit is not None and exhibit.view == "document" and state.panel == "content":
        pages = scene.file_pages.get((exhibit.id, state.file), scene.pages.get(exhibit.id, 1))
        if command.page > pages:
            raise Refused("page_out_of_range")
        return Change(state.but(page=command.page, region=None, pointer=None))
    if command.page > MAX_FLOW_PAGES:
        raise Refused("page_out_of_range")
    return Change(state.but(flow_page=command.page, pointer=None))


def on_panel(scene: Scene, command: ShowPanel) -> Change:
    changes = {
        "panel": command.panel,
        "region": None,
        "pointer": None,
        "case": False,
        "flow_page": 0,
    }
    return Change(scene.state.but(**changes))


def on_blank(scene: Scene, command: BlankScreens) -> Change:
    """Black, white or the case's title; no mode brings the picture back, unless the exhibit
    is kept off the screens."""
    if command.mode is None:
        scene.check_held()
    return Change(scene.state.but(blank=command.mode))


def on_region(scene: Scene, command: Zoom) -> Change:
    return Change(scene.state.but(region=command.region))


def on_pointer(scene: Scene, command: Point) -> Change:
    return Change(scene.state.but(pointer=command.pointer))


def on_media(scene: Scene, command: Play) -> Change:
    """Play, pause or seek, at server time; without a position, from where it is now."""
    now, current = scene.now, scene.state.media
    at = command.position if command.position is not None else current.now(now)
    playing = {"play": True, "pause": False, "seek": current.playing}[command.op]
    return Change(scene.state.but(media=Media(playing, at, now)))


def on_sound(scene: Scene, command: Sound) -> Change:
    return Change(scene.state.but(sound=command.screen))


def on_table(scene: Scene, command: Arrange) -> Change:
    """Sort, filter and page a table exhibit; nothing chosen is the file as it is."""
    sort = command.sort
    if sort is not None and sort >= scene.columns.get(scene.current().id, 0):
        raise Refused("bad_table")
    view = TableView(
        sort, command.desc and sort is not None, command.filter, command.start or 0,
        command.category or None,
    )  # fmt: skip
    return Change(scene.state.but(table=None if view == TableView() else view, flow_page=0))


def on_chart(scene: Scene, command: Chart) -> Change:
    """A chart's time, focus, fold and open flow (flows are fund-flow charts' only)."""
    if command.flow is not None and scene.current().chart != "funds":
        raise Refused("bad_chart")
    view = ChartView(command.until, command.focus, command.fold, command.flow)
    return Change(scene.state.but(chart=None if view == ChartView() else view))


def on_case(scene: Scene, command: Case) -> Change:
    return Change(scene.state.but(case=command.show, region=None, pointer=None, flow_page=0))


def on_attachment(scene: Scene, command: ShowAttachment) -> Change:
    """A chat message's picture shown large on every screen (none: back to the chat); a
    callout on it is a `region`, as on an image."""
    message = command.message
    if message is not None and message not in scene.pictures.get(scene.current().id, ()):
        raise Refused("bad_attachment")
    return Change(scene.state.but(attachment=message, region=None, pointer=None))


def on_file(scene: Scene, command: ShowFile) -> Change:
    """One of the exhibit's files on the screens (a picture of a gallery, a file of a code
    folder...), on its content panel, from its first page, its media stopped at 0; the step
    stays, and its marks show only on the file it names."""
    exhibit = scene.current()
    scene.check_held()
    shown = shown_files(exhibit)
    if command.name is not None:
        name, _ = find_file(exhibit, command.name)
        index = shown.index(name) if name in shown else None
    else:
        index = command.index if command.index is not None and command.index < len(shown) else None
    if index is None:
        raise Refused("unknown_file")
    state = scene.state.but(case=False, panel="content")
    if index != state.file:
        state = state.but(
            file=index,
            page=1,
            flow_page=0,
            region=None,
            pointer=None,
            media=Media(at=scene.now),
        )
    return Change(state, {"file": shown[index]})


MAX_SHAPES = 200
"""Annotations on one view at most."""
MAX_SHEETS = 2000
"""Views with annotations at most (a bound on state.json)."""
MAX_VIEW_POINTS = 20_000
"""Points of one view's annotations at most: every screen is sent them with every state
(about 400 KB of JSON at most)."""
MAX_POINTS = 200_000
"""Points of every view's annotations at most: a bound on state.json (about 4 MB)."""
MAX_BOXES = 500
"""Live redaction boxes at most."""
MAX_DECISIONS = 5000


def on_annotate(scene: Scene, command: Annotate) -> Change:
    """A shape drawn on the view on screen (of the half the keyboard drives), the last one
    taken back, or all of them cleared; each kept with its view, to come back with it."""
    state = scene.state
    if state.item is None:
        raise Refused("no_exhibit")
    key = sheet_key(state)
    shapes = state.sheet()
    if command.op == "add":
        assert command.shape is not None
        fields = command.shape
        here = sum(len(s.points) for s in shapes) + len(fields.points)
        everywhere = sum(len(s.points) for v in state.sheets.values() for s in v)
        if (
            len(shapes) >= MAX_SHAPES
            or (not shapes and len(state.sheets) >= MAX_SHEETS)
            or here > MAX_VIEW_POINTS
            or everywhere + len(fields.points) > MAX_POINTS
        ):
            raise Refused("too_many_shapes")
        shape = Shape(
            max((s.id for s in shapes), default=0) + 1,
            fields.kind,
            # to 1/10,000 of the picture: under half a pixel of a 4K screen, and a fifth of
            # the bytes a float's every digit takes in state.json and on every screen
            tuple((round(x, 4), round(y, 4)) for x, y in fields.points),
            fields.color.lower(),
            fields.text.strip(),
        )
        kept = (*shapes, shape)
        details: dict[str, Any] = {"view": key, "shape": shape.to_json()}
    elif command.op == "undo":
        if not shapes:
            raise Refused("no_annotation")
        kept, details = shapes[:-1], {"view": key, "removed": [shapes[-1].id]}
    else:
        kept, details = (), {"view": key, "removed": [s.id for s in shapes]}
    sheets = {k: v for k, v in state.sheets.items() if k != key}
    if kept:
        sheets[key] = kept
    return Change(state.but(sheets=sheets), details)


def _half(scene: Scene, exhibit: Exhibit) -> Half:
    """An exhibit as a half of a comparison starts: its content panel, step 0."""
    base = scene.state.but(
        item=exhibit.id, panel="content", file=0, page=1, region=None, attachment=None
    )
    return Half.of(with_step(base, exhibit, 0, scene.now))


def _show_half(state: LiveState, half: Half, now: float) -> LiveState:
    """The state driving `half` (its media from the start: only the driven half plays)."""
    fields = {name: getattr(half, name) for name in Half.FIELDS}
    return state.but(**fields, pointer=None, media=Media(at=now), verification=None)


def on_compare(scene: Scene, command: SideBySide) -> Change:
    """Two exhibits, or two views of one, side by side on every screen; the keyboard drives
    one half (the state's own fields), and a swap hands it the other."""
    state, current = scene.state, scene.state.compare
    if command.items == ():
        return Change(state.but(compare=None))
    if command.items is None:
        if current is None:
            raise Refused("not_comparing")
        if command.swap:
            new = _show_half(state, current.other, scene.now)
            return Change(new.but(compare=replace(
                current, other=Half.of(state), active=1 - current.active
            )))  # fmt: skip
        layout = command.layout or current.layout
        direction = command.direction or current.direction
        return Change(state.but(compare=replace(current, layout=layout, direction=direction)))
    exhibits = []
    for item in command.items:
        exhibit = scene.deck.exhibit(item)
        if exhibit is None:
            raise Refused("unknown_item", item=item)
        held = scene.blocked(exhibit)
        if held:
            raise Refused(held, item=item)
        exhibits.append(exhibit)
    first, second = exhibits
    mine = Half.of(state) if not state.case else None
    if mine is not None and mine.item == first.id:
        active, other = 0, _half(scene, second) if second.id != first.id else mine
    elif mine is not None and mine.item == second.id:
        active, other = 1, _half(scene, first)
    else:
        active, other = 0, _half(scene, second)
        state = _show_half(state, _half(scene, first), scene.now)
    compare = Compare(
        other,
        active,
        command.layout or (current.layout if current else "50/50"),
        command.direction or (current.direction if current else "row"),
    )
    return Change(state.but(compare=compare, case=False))


PIXEL_VIEWS = ("image", "document", "video")


def on_redact(scene: Scene, command: Redact) -> Change:
    """A box the public gallery's screen must not see on the picture or page on screen, its
    removal, or the presenter's decision on a number found in a picture; every change gives
    the redaction a new version, so public screens fetch their pictures again."""
    state, redaction = scene.state, scene.state.redaction
    boxes, decided = redaction.boxes, redaction.decisions
    if command.op in ("add", "clear"):
        exhibit = scene.current()
        shows_pixels = exhibit.view in PIXEL_VIEWS or state.attachment is not None
        if state.panel != "content" or state.case or not shows_pixels:
            raise Refused("bad_redaction")
        page = state.page if exhibit.view == "document" else 1
        here = (exhibit.id, _pixels_file(scene, exhibit), page)
        if command.op == "add":
            if len(boxes) >= MAX_BOXES:
                raise Refused("too_many_redactions")
            assert command.box is not None
            boxes = (*boxes, LiveBox(*here, command.box, state.attachment))
        else:
            boxes = tuple(b for b in boxes if (b.item, b.file, b.page) != here)
    elif command.op == "remove":
        if command.index is None or command.index >= len(boxes):
            raise Refused("bad_redaction")
        boxes = boxes[: command.index] + boxes[command.index + 1 :]
    else:
        assert command.proposal is not None
        if command.proposal not in decided and len(decided) >= MAX_DECISIONS:
            raise Refused("too_many_redactions")
        decided[command.proposal] = "confirmed" if command.op == "confirm" else "dismissed"
    if boxes == redaction.boxes and decided == redaction.decisions:
        return Change(state)
    new = replace(
        redaction, boxes=boxes, decided=tuple(sorted(decided.items())),
        version=redaction.version + 1,
    )  # fmt: skip
    return Change(state.but(redaction=new))


def _pixels_file(scene: Scene, exhibit: Exhibit) -> int:
    """The index, among the item's files whose pixels a screen is sent, of the one on screen
    (a chat's picture shown large, else the file the view shows)."""
    from ..deck.checks import redactable_files

    if scene.state.attachment is None:
        return scene.state.file
    name = scene.pictures.get(exhibit.id, {}).get(scene.state.attachment)
    files = redactable_files(exhibit)
    if name not in files:
        raise Refused("bad_redaction")
    return files.index(name)


def on_handover(scene: Scene, command: Handover) -> Change:
    # the presenter hands over and may always take back; the expert may only hand back
    if scene.role == "expert" and (command.to != "presenter" or scene.state.controller != "expert"):
        raise Refused("not_allowed")
    return Change(scene.state.but(controller=command.to))


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How one action is carried out: its handler, and what must hold before its fields are
    even read."""

    handler: Callable[[Scene, Any], Change]
    exhibit: bool = False
    """Only with an exhibit on the screens (else `no_exhibit`)."""
    views: tuple[str, ...] = ()
    """Only with an exhibit of one of these views on the screens (else `otherwise`)."""
    otherwise: str = ""
    recorded: bool = True
    """Whether its changes go to the record (Art. 49)."""
    anyone: bool = False
    """Either driver may send it, in control or not."""

    def admit(self, scene: Scene) -> None:
        if self.exhibit or self.views:
            exhibit = scene.current()
            if self.views and exhibit.view not in self.views:
                raise Refused(self.otherwise)


RULES: dict[str, Rule] = {
    "goto": Rule(on_goto),
    "next": Rule(on_walk),
    "prev": Rule(on_walk),
    "step": Rule(on_step, exhibit=True),
    "page": Rule(on_page, exhibit=True),
    "panel": Rule(on_panel),
    "blank": Rule(on_blank),
    "region": Rule(on_region),
    "pointer": Rule(on_pointer, recorded=False),
    "media": Rule(on_media, views=("video", "audio"), otherwise="not_media"),
    "sound": Rule(on_sound),
    "table": Rule(on_table, views=("table",), otherwise="not_table"),
    "chart": Rule(on_chart, views=("chart",), otherwise="not_chart"),
    "case": Rule(on_case),
    "attachment": Rule(on_attachment, views=("chat",), otherwise="not_chat"),
    "file": Rule(on_file, exhibit=True),
    "handover": Rule(on_handover, anyone=True),
    "annotate": Rule(on_annotate),
    "compare": Rule(on_compare),
    "redact": Rule(on_redact),
    # verify is not here: the court starts it (`Presentation.check_verify`), and hashes in
    # the background; sent here it is an unknown action
}
"""Every action the machine carries out, and how."""


# --- the presentation -----------------------------------------------------------------------


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
        start: str = "logo",
        pictures: Mapping[str, Mapping[int, str]] | None = None,
        shared: SharedStore | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._shared = shared
        self._clock = clock
        self._listeners: list[Listener] = []
        self._take_deck(deck, unverified, pages, columns, pictures)
        self._confirmed: str | None = None
        self._start = start
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
            if blocked(exhibit, self._unverified) is None:
                return True
            if self._state.item == exhibit_id and self._confirmed == exhibit_id:
                return True
            if self._shared is None:
                return False
            try:
                self.follow()  # another process may have confirmed it a moment ago
            except Refused:
                return False
            return self._state.item == exhibit_id and self._confirmed == exhibit_id

    def page_count(self, exhibit_id: str, file: int = 0) -> int:
        """Pages of a document exhibit's file (its index among the files it shows; 0 pages
        for any other exhibit or file)."""
        if (exhibit_id, file) in self._file_pages:
            return self._file_pages[(exhibit_id, file)]
        return self._pages.get(exhibit_id, 0) if file == 0 else 0

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # --- commands --------------------------------------------------------------------------

    def command(self, command: Mapping[str, Any], role: str) -> Outcome:
        """Carry out one command of the protocol for a client of `role`, or refuse it."""
        with self._lock:
            try:
                return self._carry(lambda: self._command(command, role))
            except Refused as refused:
                return Outcome(False, self._state, refused.code, details=refused.details)

    def _command(self, command: Mapping[str, Any], role: str) -> Outcome:
        rule, change = self._apply(command, role)
        said = known(command)  # what the record keeps of it: its own fields only
        return self._commit(
            change.state, said, role, rule.recorded, "state", change.details, change.confirmed
        )

    def follow(self) -> LiveState:
        """Take the shared state when other processes carry the presentation too and it has
        moved on; the state either way. Raises Refused when it cannot be reached."""
        with self._lock:
            latest = self._shared.latest() if self._shared is not None else None
            if latest is not None and latest[0].seq != self._state.seq:
                self._state, self._confirmed = latest
            return self._state

    def adopt(self, state: LiveState, confirmed: str | None) -> None:
        """A state another process made and sent out: taken when it is newer than this one's
        (messages can cross; Redis has the latest, which `follow` reads)."""
        with self._lock:
            if state.seq > self._state.seq:
                self._state, self._confirmed = state, confirmed

    @property
    def confirmed(self) -> str | None:
        """The exhibit the presenter confirmed showing although held (Art. 44), if any."""
        return self._confirmed

    def _carry(self, change: Callable[[], Outcome]) -> Outcome:
        """`change` made on the latest state; made again on the newer one when another
        process changed the state while it was made."""
        for _ in range(RACES):
            self.follow()
            try:
                return change()
            except Raced:
                continue
        raise Refused("cluster_busy")

    def replace_deck(
        self,
        deck: Deck,
        unverified: frozenset[str] = frozenset(),
        pages: Mapping[str, int] | None = None,
        columns: Mapping[str, int] | None = None,
        pictures: Mapping[str, Mapping[int, str]] | None = None,
    ) -> Outcome:
        """A new version of the deck (edited on disk): keep the exhibit by id, clamp the step."""
        with self._lock:
            return self._carry(
                lambda: self._replace_deck(deck, unverified, pages, columns, pictures)
            )

    def _take_deck(self, deck, unverified, pages, columns, pictures) -> None:
        """The deck and what the server read of it (see `__init__`)."""
        self._deck = deck
        self._unverified = frozenset(unverified)
        self._pages = dict(pages or {})
        self._columns = dict(columns or {})
        self._pictures = dict(pictures or {})
        self._file_pages = document_file_pages(deck)

    def _replace_deck(self, deck, unverified, pages, columns, pictures) -> Outcome:
        self._take_deck(deck, unverified, pages, columns, pictures)
        exhibit = deck.exhibit(self._state.item or "")
        details: dict[str, Any] = {}
        confirmed: str | None | _Keep = KEEP
        if exhibit is None:
            new = self._opening().but(blank=self._state.blank)
        else:
            step = min(self._state.step, len(exhibit.steps))
            new = self._state.but(deck=deck.id, step=step)
            if new.file >= max(1, len(shown_files(exhibit))):
                new = new.but(file=0, page=1, region=None, media=Media(at=self._clock()))
            if step != self._state.step:
                new = with_step(new, exhibit, step, self._clock())
            new = new.but(compare=self._other_half_kept(new))
            held = blocked(exhibit, self._unverified)
            if held:
                # now excluded or failing its hash: off the screens until the presenter
                # confirms, as `goto` asks (Art. 44); the confirmation is asked again
                confirmed = None
                new = new.but(blank=new.blank or "black", region=None, pointer=None)
                details = {"held": held, "item": exhibit.id}
        return self._commit(new, {"action": "reload"}, "server", True, "reload", details, confirmed)

    def redaction_refreshed(self) -> Outcome:
        """What the public gallery must not see has changed outside a command (numbers were
        found in a picture): a new redaction version, not recorded (the record has the
        presenter's decisions, and detection is kept in the instance folder)."""

        def refreshed() -> Outcome:
            redaction = self._state.redaction
            new = self._state.but(redaction=replace(redaction, version=redaction.version + 1))
            return self._commit(new, {"action": "detected"}, "server", False, "state", {})

        with self._lock:
            try:
                return self._carry(refreshed)
            except Refused as refused:  # the other processes read their own pictures
                return Outcome(False, self._state, refused.code)

    def held(self) -> dict[str, str] | None:
        """The exhibit kept off the screens after a reload (and why), until the presenter
        confirms it or moves on; None when there is none."""
        with self._lock:
            exhibit = self._deck.exhibit(self._state.item or "")
            if exhibit is None or self._confirmed == exhibit.id:
                return None
            held = blocked(exhibit, self._unverified)
            return {"item": exhibit.id, "error": held} if held else None

    def driven(self, role: str) -> LiveState:
        """The state, for a request of `role` that needs control (a demonstrative);
        Refused when that role may not drive now, or no exhibit is on the screens."""
        with self._lock:
            if role not in DRIVERS:
                raise Refused("screen_cannot_command")
            if role != self._state.controller:
                raise Refused("not_in_control")
            self._scene(role).current()
            return self._state

    def check_verify(self, role: str) -> Exhibit:
        """The exhibit a `verify` command from `role` would re-hash; Refused if it may not."""
        with self._lock:
            if role not in DRIVERS:
                raise Refused("screen_cannot_command")
            if role != self._state.controller:
                raise Refused("not_in_control")
            exhibit = self._scene(role).current()
            if not exhibit.source.hashes:
                raise Refused("no_hash")
            return exhibit

    def verified(self, exhibit_id: str, results: list[dict[str, Any]], role: str) -> Outcome:
        """The result of a live re-hash: shown on the screens when the exhibit is on them,
        recorded either way; a mismatch keeps the exhibit off the screens until confirmed."""
        with self._lock:
            try:
                return self._carry(lambda: self._verified(exhibit_id, results, role))
            except Refused as refused:
                return Outcome(False, self._state, refused.code)

    def _verified(self, exhibit_id: str, results: list[dict[str, Any]], role: str) -> Outcome:
        ok = all(r["match"] for r in results)
        confirmed: str | None | _Keep = KEEP
        if ok:
            self._unverified = self._unverified - {exhibit_id}
        else:
            self._unverified = self._unverified | {exhibit_id}
            if self._confirmed == exhibit_id:
                confirmed = None
        new = self._state
        if new.item == exhibit_id:
            exhibit = self._deck.exhibit(exhibit_id)
            verification = {
                "item": exhibit_id,
                "title": exhibit.title if exhibit else "",  # kept in view on a mismatch
                "ok": ok,
                "confirmed": False,
                "results": results,
                "at": self._clock(),  # which check this is: the presenter is asked once
            }
            new = new.but(verification=verification)
        details = {"item": exhibit_id, "ok": ok, "results": results}
        return self._commit(new, {"action": "verify"}, role, True, "verify", details, confirmed)

    # --- internals -------------------------------------------------------------------------

    def _apply(self, command: Mapping[str, Any], role: str) -> tuple[Rule, Change]:
        """The command through its gates (see the module's docstring), then its handler."""
        if role not in DRIVERS:
            raise Refused("screen_cannot_command")
        action = command.get("action")
        rule = RULES.get(action) if isinstance(action, str) else None
        if not (rule is not None and rule.anyone) and role != self._state.controller:
            raise Refused("not_in_control")
        if rule is None:
            raise Refused("unknown_action")
        scene = self._scene(role)
        rule.admit(scene)
        return rule, rule.handler(scene, parse(command))

    def _scene(self, role: str) -> Scene:
        return Scene(
            self._state,
            self._deck,
            role,
            self._clock(),
            self._unverified,
            self._confirmed,
            self._pages,
            self._columns,
            self._pictures,
            self._file_pages,
        )

    def _commit(
        self,
        new: LiveState,
        command: Mapping[str, Any],
        role: str,
        recorded: bool,
        event: str,
        details: Mapping[str, Any],
        confirmed: str | None | _Keep = KEEP,
    ) -> Outcome:
        """Make `new` the state (numbered, told to the listeners); with other processes, only
        if none changed it first (else Raced)."""
        confirmed = self._confirmed if confirmed is KEEP else confirmed
        if new == self._state and event == "state":
            self._confirmed = confirmed
            return Outcome(True, self._state)
        new = new.but(seq=self._state.seq + 1)
        outcome = Outcome(True, new, None, True, recorded, event, details)
        if self._shared is not None and not self._shared.commit(
            self._state, outcome, command, role, confirmed
        ):
            raise Raced()
        self._state, self._confirmed = new, confirmed
        for listener in self._listeners:
            listener(outcome, command, role)
        return outcome

    def _opening(self) -> LiveState:
        """Before the first command: the first showable exhibit, the screens on the case's
        title (`logo`) or black, as the server was started (`--start`)."""
        first = next((e for e in self._deck.exhibits if not blocked(e, self._unverified)), None)
        return LiveState(
            deck=self._deck.id,
            item=first.id if first else None,
            blank=self._start,  # type: ignore[arg-type]
            media=Media(at=self._clock()),
        )

    def _restored(self, state: LiveState) -> LiveState:
        exhibit = self._deck.exhibit(state.item or "")
        if state.deck != self._deck.id or exhibit is None or blocked(exhibit, self._unverified):
            return self._opening().but(seq=state.seq)
        if state.attachment is not None and state.attachment not in self._pictures.get(
            exhibit.id, ()
        ):
            state = state.but(attachment=None, region=None)  # a picture the chat does not have
        if state.file >= max(1, len(shown_files(exhibit))):
            state = state.but(file=0, page=1, region=None)  # a file the exhibit no longer shows
        state = state.but(compare=self._other_half_kept(state))
        if state.step > len(exhibit.steps):
            return with_step(state, exhibit, len(exhibit.steps), self._clock())
        return state

    def _other_half_kept(self, state: LiveState) -> Compare | None:
        """The comparison, if its other half's exhibit is still one the screens may have (at
        a step and file it still has); else none."""
        compare = state.compare
        other = self._deck.exhibit(compare.other.item or "") if compare else None
        if compare is None or other is None or blocked(other, self._unverified):
            return None
        if compare.other.step > len(other.steps) or compare.other.file >= max(
            1, len(shown_files(other))
        ):
            return replace(compare, other=replace(compare.other, step=0, file=0, region=None))
        return compare


def document_file_pages(deck: Deck) -> dict[tuple[str, int], int]:
    """The page count of each file of the document exhibits that show several (the count of a
    file that cannot be read is left out: its pages are refused)."""
    import pypdfium2

    from ..deck.pdf import page_count

    pages = {}
    for exhibit in deck.exhibits:
        shown = shown_files(exhibit) if exhibit.view == "document" else ()
        for index, name in enumerate(shown if len(shown) > 1 else ()):
            try:
                pages[(exhibit.id, index)] = page_count(deck.display(exhibit, name))
            except (pypdfium2.PdfiumError, OSError):
                continue  # the check has named the file already
    return pages
