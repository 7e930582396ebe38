"""The live state of a presentation (LIVE-PROTOCOL v1): what every court screen shows."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Literal

Panel = Literal["content", "source", "facts", "corroboration"]
PANELS: tuple[str, ...] = ("content", "source", "facts", "corroboration")
Blank = Literal["black", "white", "logo"]
BLANKS: tuple[str, ...] = ("black", "white", "logo")
Role = Literal["presenter", "expert", "screen"]
DRIVERS: tuple[str, ...] = ("presenter", "expert")
"""The roles that may drive, one at a time (Art. 47 ¶1: technical staff may operate)."""


@dataclass(frozen=True)
class Media:
    """Playback of the current exhibit: `position` seconds at server time `at`."""

    playing: bool = False
    position: float = 0.0
    at: float = 0.0

    def now(self, clock: float) -> float:
        """Where playback is at `clock` (server time)."""
        return self.position + (clock - self.at if self.playing else 0.0)


@dataclass(frozen=True)
class TableView:
    """How the presenter arranged a table on screen: sorted by a column (0-based), in
    descending order or not, filtered to rows containing a text (case-insensitive), and
    scrolled to the page starting at row `start` (0-based) of that arrangement."""

    sort: int | None = None
    desc: bool = False
    filter: str = ""
    start: int = 0
    category: str | None = None
    """Only the rows of this value of the category column (a click on its total)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> TableView | None:
        if not data:
            return None
        sort = data.get("sort")
        return cls(
            None if sort is None else int(sort),
            bool(data.get("desc")),
            str(data.get("filter", "")),
            max(0, int(data.get("start", 0))),
            None if data.get("category") is None else str(data["category"]),
        )


@dataclass(frozen=True)
class ChartView:
    """What a chart shows now: data up to `until` (ISO 8601), the `focus` accounts or people
    highlighted, for fund flows the number of accounts named before the rest fold, and the
    flow (from, to) whose transactions are open."""

    until: str | None = None
    focus: tuple[str, ...] = ()
    fold: int | None = None
    flow: tuple[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "until": self.until,
            "focus": list(self.focus),
            "fold": self.fold,
            "flow": list(self.flow) if self.flow else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ChartView | None:
        if not data:
            return None
        fold, flow = data.get("fold"), data.get("flow")
        return cls(
            data.get("until"),
            tuple(str(f) for f in data.get("focus") or ()),
            None if fold is None else int(fold),
            (str(flow[0]), str(flow[1])) if flow else None,
        )


MAX_FLOW_PAGES = 500
"""Pages of one panel's long content; more is no presentation (and a bound on the state)."""

SHAPE_KINDS: tuple[str, ...] = ("pen", "highlight", "arrow", "rect", "ellipse", "text")


@dataclass(frozen=True)
class Shape:
    """A mark the presenter drew on a view (an annotation): its points in 0..1 of the view's
    own picture, page or box (docs/live.md), so a callout or another screen keeps it on the
    same spot."""

    id: int
    kind: str
    points: tuple[tuple[float, float], ...]
    color: str = "#e02020"
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "points": [list(p) for p in self.points],
            "color": self.color,
            "text": self.text,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Shape:
        shape = cls(
            int(data["id"]),
            str(data["kind"]),
            tuple((float(x), float(y)) for x, y in data["points"]),
            str(data.get("color", "#e02020")),
            str(data.get("text", "")),
        )
        if shape.kind not in SHAPE_KINDS:
            raise ValueError("not a shape")
        return shape


@dataclass(frozen=True)
class Half:
    """One half of a side-by-side view: what the state's own fields say of the exhibit on
    screen, kept for the half the keyboard does not drive."""

    item: str | None
    panel: Panel = "content"
    step: int = 0
    file: int = 0
    page: int = 1
    flow_page: int = 0
    region: tuple[float, float, float, float] | None = None
    attachment: int | None = None
    table: TableView | None = None
    chart: ChartView | None = None

    FIELDS: ClassVar[tuple[str, ...]] = (
        "item", "panel", "step", "file", "page", "flow_page", "region", "attachment", "table",
        "chart",
    )  # fmt: skip

    @classmethod
    def of(cls, state: LiveState) -> Half:
        """The half the state shows now."""
        return cls(**{name: getattr(state, name) for name in cls.FIELDS})

    def to_json(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in self.FIELDS},
            "region": list(self.region) if self.region else None,
            "table": self.table.to_json() if self.table else None,
            "chart": self.chart.to_json() if self.chart else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Half:
        region = data.get("region")
        half = cls(
            item=None if data.get("item") is None else str(data["item"]),
            panel=data.get("panel", "content"),
            step=max(0, int(data.get("step", 0))),
            file=max(0, int(data.get("file", 0))),
            page=max(1, int(data.get("page", 1))),
            flow_page=min(max(0, int(data.get("flow_page", 0))), MAX_FLOW_PAGES),
            region=tuple(float(v) for v in region) if region else None,  # type: ignore[arg-type]
            attachment=_message(data.get("attachment")),
            table=TableView.from_json(data.get("table")),
            chart=ChartView.from_json(data.get("chart")),
        )
        if half.panel not in PANELS or (half.region and len(half.region) != 4):
            raise ValueError("not a half")
        return half


LAYOUTS: tuple[str, ...] = ("50/50", "60/40")
DIRECTIONS: tuple[str, ...] = ("row", "column")


@dataclass(frozen=True)
class Compare:
    """Two views side by side (并排展示): the state's own fields are the half the keyboard
    drives (`active`: 0 the left or top one, 1 the other); `other` is the other half."""

    other: Half
    active: int = 0
    layout: str = "50/50"
    """The first half's share: 50/50 or 60/40."""
    direction: str = "row"
    """row: left and right; column: top and bottom."""

    def halves(self, state: LiveState) -> tuple[Half, Half]:
        mine = Half.of(state)
        return (mine, self.other) if self.active == 0 else (self.other, mine)

    def to_json(self, state: LiveState) -> dict[str, Any]:
        halves = self.halves(state)
        return {
            "layout": self.layout,
            "direction": self.direction,
            "active": self.active,
            "items": [half.item for half in halves],
            "halves": [
                {**half.to_json(), "annotations": [s.to_json() for s in state.sheet(half)]}
                for half in halves
            ],
        }

    def to_kept(self) -> dict[str, Any]:
        return {
            "layout": self.layout,
            "direction": self.direction,
            "active": self.active,
            "other": self.other.to_json(),
        }

    @classmethod
    def from_kept(cls, data: dict[str, Any] | None) -> Compare | None:
        if not data:
            return None
        compare = cls(
            Half.from_json(data["other"]),
            1 if data.get("active") == 1 else 0,
            str(data.get("layout", "50/50")),
            str(data.get("direction", "row")),
        )
        if compare.layout not in LAYOUTS or compare.direction not in DIRECTIONS:
            raise ValueError("not a comparison")
        return compare


@dataclass(frozen=True)
class LiveBox:
    """A box the presenter drew, in court, over a picture or page that the public gallery's
    screen must not show (the server blacks its pixels there)."""

    item: str
    file: int
    """Its file's index among the item's files whose pixels a screen is sent."""
    page: int
    box: tuple[float, float, float, float]
    message: int | None = None
    """A chat's picture shown large: the message it is attached to (for the screens, which
    outline the box on that picture)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "file": self.file,
            "page": self.page,
            "box": list(self.box),
            "message": self.message,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LiveBox:
        box = tuple(float(v) for v in data["box"])
        if len(box) != 4:
            raise ValueError("not a box")
        return cls(
            str(data["item"]), int(data["file"]), int(data["page"]), box,  # type: ignore[arg-type]
            _message(data.get("message")),
        )  # fmt: skip


@dataclass(frozen=True)
class Redaction:
    """What the public gallery's screen must not see, decided in court: live boxes, and the
    presenter's decisions on the numbers found in pictures (proposal id: confirmed or
    dismissed). `version` grows with every change, so public screens fetch pictures anew."""

    boxes: tuple[LiveBox, ...] = ()
    decided: tuple[tuple[str, str], ...] = ()
    version: int = 0

    @property
    def decisions(self) -> dict[str, str]:
        return dict(self.decided)

    def to_json(self) -> dict[str, Any]:
        return {
            "boxes": [box.to_json() for box in self.boxes],
            "decisions": self.decisions,
            "version": self.version,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Redaction:
        if not data:
            return cls()
        decisions = data.get("decisions") or {}
        return cls(
            tuple(LiveBox.from_json(b) for b in data.get("boxes") or ()),
            tuple(sorted((str(k), str(v)) for k, v in decisions.items())),
            int(data.get("version", 0)),
        )


def sheet_key(state: LiveState | Half) -> str:
    """Which view a set of annotations belongs to: the exhibit, its panel and file, its page
    (a document's on its content panel, else the page of long content), the step, and a
    chat's picture shown large. They come back when the presenter returns there."""
    if getattr(state, "case", False):
        return f"case|f{state.flow_page}"
    document_page = state.panel == "content" and state.flow_page == 0
    page = f"p{state.page}" if document_page else f"f{state.flow_page}"
    attachment = state.attachment or 0
    return f"{state.item}|{state.panel}|{state.file}|{page}|{state.step}|{attachment}"


@dataclass(frozen=True)
class LiveState:
    """What is on the court screens (现场示证状态). `seq` grows by one with every change."""

    deck: str
    seq: int = 0
    item: str | None = None
    panel: Panel = "content"
    step: int = 0
    file: int = 0
    """Which of the exhibit's files is shown, when its view shows one at a time (a gallery,
    a file list): its index (0-based) among them (presenter.deck.checks.shown_files)."""
    page: int = 1
    """The document's page (1-based), on its content panel."""
    flow_page: int = 0
    """The page of long content (a chat, a panel, the matrix...) that the screens cut to fit
    them, 1-based; 0: the page holding the step's marks, or the first."""
    blank: Blank | None = None
    region: tuple[float, float, float, float] | None = None
    pointer: tuple[float, float] | None = None
    attachment: int | None = None
    """A chat exhibit: the message (1-based) whose picture every screen shows large; a
    `region` is then a callout on that picture."""
    media: Media = field(default_factory=Media)
    controller: Role = "presenter"
    sound: str | None = None
    """The screen (by name) whose speakers play audio and video; None: the presenter's."""
    table: TableView | None = None
    """A table exhibit's sort and filter, chosen by the presenter; a step puts it back."""
    chart: ChartView | None = None
    """A chart exhibit's time, focus and fold, from a step or the presenter."""
    case: bool = False
    """The screens show the case's fact–evidence matrix instead of the exhibit."""
    verification: dict[str, Any] | None = None
    """The last live re-hash of the exhibit on screen (Art. 62(3)): item, ok, confirmed, and
    per file and algorithm the recorded and computed values."""
    sheets: dict[str, tuple[Shape, ...]] = field(default_factory=dict)
    """Every view's annotations, by `sheet_key`: kept in state.json, never sent whole (the
    `state` message has those of the views on screen)."""
    compare: Compare | None = None
    redaction: Redaction = field(default_factory=Redaction)

    def sheet(self, view: LiveState | Half | None = None) -> tuple[Shape, ...]:
        """The annotations of a view (by default the one the keyboard drives)."""
        return self.sheets.get(sheet_key(view or self), ())

    def to_json(self, kept: bool = False) -> dict[str, Any]:
        """The protocol's `state` message; `kept`: as state.json keeps it (every view's
        annotations, the other half of a comparison as it is held)."""
        data = {f: getattr(self, f) for f in self.__dataclass_fields__ if f not in _OWN_JSON}
        data["media"] = asdict(self.media)
        data["region"] = list(self.region) if self.region else None
        data["pointer"] = {"x": self.pointer[0], "y": self.pointer[1]} if self.pointer else None
        data["table"] = self.table.to_json() if self.table else None
        data["chart"] = self.chart.to_json() if self.chart else None
        data["annotations"] = [shape.to_json() for shape in self.sheet()]
        data["redaction"] = self.redaction.to_json()
        if kept:
            data["sheets"] = {k: [s.to_json() for s in v] for k, v in self.sheets.items()}
            data["compare"] = self.compare.to_kept() if self.compare else None
        else:
            data["compare"] = self.compare.to_json(self) if self.compare else None
        return data

    def to_record(self) -> dict[str, Any]:
        """The state as the record keeps it with each entry: the marks on screen by their
        ids (each mark is recorded whole once, with the command that drew it), so a long
        hearing's record grows with what happens, not with what is on screen."""
        data = self.to_json()
        data["annotations"] = [shape["id"] for shape in data["annotations"]]
        for half in (data["compare"] or {}).get("halves", ()):
            half["annotations"] = [shape["id"] for shape in half["annotations"]]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LiveState:
        """Back from `to_json`; raises ValueError (or KeyError, TypeError) on anything else."""
        region = data.get("region")
        pointer = data.get("pointer")
        media = data.get("media") or {}
        state = cls(
            deck=str(data["deck"]),
            seq=int(data["seq"]),
            item=data.get("item"),
            panel=data.get("panel", "content"),
            step=int(data.get("step", 0)),
            file=max(0, int(data.get("file", 0))),
            page=int(data.get("page", 1)),
            flow_page=min(max(0, int(data.get("flow_page", 0))), MAX_FLOW_PAGES),
            blank=data.get("blank"),
            region=tuple(float(v) for v in region) if region else None,  # type: ignore[arg-type]
            pointer=(float(pointer["x"]), float(pointer["y"])) if pointer else None,
            attachment=_message(data.get("attachment")),
            media=Media(
                bool(media.get("playing", False)),
                float(media.get("position", 0.0)),
                float(media.get("at", 0.0)),
            ),
            controller=data.get("controller", "presenter"),
            sound=data.get("sound"),
            table=TableView.from_json(data.get("table")),
            chart=ChartView.from_json(data.get("chart")),
            case=data.get("case", False) is True,
            verification=data.get("verification"),
            sheets={
                str(key): tuple(Shape.from_json(s) for s in shapes)
                for key, shapes in (data.get("sheets") or {}).items()
            },
            compare=Compare.from_kept(data.get("compare")),
            redaction=Redaction.from_json(data.get("redaction")),
        )
        if state.panel not in PANELS or state.blank not in (None, *BLANKS):
            raise ValueError("not a state")
        if state.controller not in DRIVERS or (state.region and len(state.region) != 4):
            raise ValueError("not a state")
        return state

    def but(self, **changes: Any) -> LiveState:
        return replace(self, **changes)


_OWN_JSON = ("media", "table", "chart", "sheets", "compare", "redaction")
"""Fields written by their own `to_json`."""


def _not_a_number(word: str) -> float:
    """NaN and infinities are no coordinate, and no browser reads them: not a state."""
    raise ValueError(f"{word} in a state")


def _message(value: Any) -> int | None:
    """A message number as kept in state.json (anything else: no picture shown large)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


class StateStore:
    """state.json in the deck's instance folder, written atomically so a kill never tears it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, deck_id: str) -> LiveState | None:
        """The saved state, or None when there is none or it is unreadable or of another deck."""
        try:
            text = self.path.read_text(encoding="utf-8")
            state = LiveState.from_json(json.loads(text, parse_constant=_not_a_number))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None  # a hand-edited or torn file: the presentation starts afresh
        return state if state.deck == deck_id else None

    def save(self, state: LiveState, durable: bool = True) -> None:
        """Temp file, fsync, rename: after a crash, the old state or the new, never half."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(state.to_json(kept=True), ensure_ascii=False, sort_keys=True).encode()
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".state-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
                if durable:
                    stream.flush()
                    os.fsync(stream.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
