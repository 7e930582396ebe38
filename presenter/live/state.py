"""The live state of a presentation (LIVE-PROTOCOL v1): what every court screen shows."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

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

    def to_json(self) -> dict[str, Any]:
        """The protocol's `state` message."""
        data = asdict(self)
        data["region"] = list(self.region) if self.region else None
        data["pointer"] = {"x": self.pointer[0], "y": self.pointer[1]} if self.pointer else None
        data["table"] = self.table.to_json() if self.table else None
        data["chart"] = self.chart.to_json() if self.chart else None
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
        )
        if state.panel not in PANELS or state.blank not in (None, *BLANKS):
            raise ValueError("not a state")
        if state.controller not in DRIVERS or (state.region and len(state.region) != 4):
            raise ValueError("not a state")
        return state

    def but(self, **changes: Any) -> LiveState:
        return replace(self, **changes)


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
            state = LiveState.from_json(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return state if state.deck == deck_id else None

    def save(self, state: LiveState, durable: bool = True) -> None:
        """Temp file, fsync, rename: after a crash, the old state or the new, never half."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(state.to_json(), ensure_ascii=False, sort_keys=True).encode()
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
