"""The deck (DECK-FORMAT v1) as immutable, typed objects.

The front matter and deck.toml are validated straight into these frozen dataclasses by
pydantic, so the schema and the domain objects are one thing: a key missing here is an
unknown key in a deck.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)
from pydantic.dataclasses import dataclass
from pydantic_core import PydanticCustomError

_SCHEMA = ConfigDict(extra="forbid")

Element = Literal["identity", "conduct", "intent", "consequence"]
"""The element of the crime a fact goes to (Art. 17–20)."""
EvidenceKind = Literal[
    "confession",
    "victim_statement",
    "witness_testimony",
    "physical",
    "documentary",
    "appraisal",
    "record",
    "other",
]
DataType = Literal[
    "platform_post", "communication", "identity", "behaviour", "tool", "system_log", "file"
]
"""The seven kinds of electronic data (Art. 27)."""
View = Literal["image", "video", "audio", "chat", "table", "code", "document", "markdown", "chart"]
ChartKind = Literal["funds", "network", "timeline", "trajectory"]
Method = Literal["seizure", "onsite", "online", "freeze", "retrieval"]
"""The five ways of collecting electronic data (Art. 28)."""
Algorithm = Literal["md5", "sha1", "sha256", "sm3"]
Aspect = Literal["means", "relationship", "funds", "trajectory", "identity", "other"]
Ground = Literal["objectivity", "legality", "relevance"]
"""The three grounds of a challenge (Art. 29, 48)."""
Language = Literal["zh-CN", "en"]
Crs = Literal["wgs84", "gcj02", "bd09"]
"""Coordinate systems as Chinese platforms deliver them: GPS and base stations (WGS-84),
AMap and Tencent (GCJ-02), Baidu (BD-09)."""

DIGEST_LENGTH: dict[str, int] = {"md5": 32, "sha1": 40, "sha256": 64, "sm3": 64}


def _moment(value: object) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise PydanticCustomError("bad_time", "needs an offset")
        return value
    if isinstance(value, dt.date):
        return value
    raise PydanticCustomError("bad_time", "not a time")


Moment = Annotated[dt.datetime | dt.date, BeforeValidator(_moment)]
"""A TOML datetime with offset, or a local date."""


@dataclass(frozen=True)
class Ranges:
    """1-based inclusive ranges as written in a step: "3,7-9"."""

    spans: tuple[tuple[int, int], ...]

    def __str__(self) -> str:
        return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in self.spans)

    @property
    def last(self) -> int:
        return max(b for _, b in self.spans)

    def __contains__(self, n: object) -> bool:
        return any(a <= n <= b for a, b in self.spans)  # type: ignore[operator]


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


def _ranges(value: object) -> Ranges:
    if isinstance(value, Ranges):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PydanticCustomError("bad_range", "not a range")
    spans = []
    for part in str(value).split(","):
        match = _RANGE.match(part)
        if not match:
            raise PydanticCustomError("bad_range", "not a range")
        a = int(match[1])
        b = int(match[2] or a)
        if a < 1 or b < a:
            raise PydanticCustomError("bad_range", "not a range")
        spans.append((a, b))
    return Ranges(tuple(spans))


RangeList = Annotated[Ranges, BeforeValidator(_ranges)]


MIN_REGION = 1e-3
"""The narrowest region, as a fraction of the picture: anything smaller means nothing on a
screen and cannot be drawn."""


def region_inside(x: float, y: float, w: float, h: float) -> bool:
    """Whether a region [x, y, w, h], in fractions of the picture, lies within it and is at
    least MIN_REGION across (the one rule for a step's region, a callout command and a
    crop's URL)."""
    inside = all(0 <= v <= 1 for v in (x, y, w, h)) and x + w <= 1 + 1e-9 and y + h <= 1 + 1e-9
    return inside and w >= MIN_REGION and h >= MIN_REGION


def _region(value: tuple[float, ...]) -> tuple[float, ...]:
    if len(value) != 4 or not region_inside(*value):
        raise PydanticCustomError("bad_region", "not a region")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("bad_region", "not a region")
    return float(value)


Region = Annotated[tuple[Annotated[float, BeforeValidator(_number)], ...], AfterValidator(_region)]
"""[x, y, w, h] in fractions of the exhibit."""

_CLOCK = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]?\d(?:\.\d+)?)$")


def parse_clock(text: str) -> float | None:
    """Seconds from "HH:MM:SS", "MM:SS" or either with a fraction; None if malformed."""
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


@dataclass(frozen=True)
class Clip:
    start: float
    end: float


def _clip(value: object) -> Clip:
    if isinstance(value, Clip):
        return value
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise PydanticCustomError("bad_clip", "not a clip")
    times = [parse_clock(v) if isinstance(v, str) else None for v in value]
    if times[0] is None or times[1] is None or times[0] >= times[1]:
        raise PydanticCustomError("bad_clip", "not a clip")
    return Clip(times[0], times[1])


ClipRange = Annotated[Clip, BeforeValidator(_clip)]


def _page(value: int) -> int:
    if value < 1:
        raise PydanticCustomError("bad_page", "page below 1")
    return value


Page = Annotated[StrictInt, AfterValidator(_page)]


def _message(value: int) -> int:
    if value < 1:
        raise PydanticCustomError("bad_message", "messages start at 1")
    return value


def _timezone(value: str) -> str:
    from ..formatting import zone

    try:
        zone(value)
    except ValueError:
        raise PydanticCustomError("bad_timezone", "not a time zone") from None
    return value.strip()


@dataclass(frozen=True, config=_SCHEMA)
class Case:
    title: StrictStr
    number: StrictStr = ""
    court: StrictStr = ""
    procuratorate: StrictStr = ""
    """The prosecuting office whose paperwork the bundle is (检察院), e.g. "某市某区人民检察院"."""
    charges: tuple[StrictStr, ...] = ()
    defendants: tuple[StrictStr, ...] = ()
    presenters: tuple[StrictStr, ...] = ()
    language: Language = "zh-CN"
    timezone: Annotated[StrictStr, AfterValidator(_timezone)] = "+08:00"
    """The zone in which the court reads the deck's times, and in which a time written
    without an offset (in a CSV) is taken: a UTC offset or an IANA name."""


@dataclass(frozen=True, config=_SCHEMA)
class Fact:
    """A fact the prosecution must prove (待证事实)."""

    id: StrictStr
    text: StrictStr
    element: Element


@dataclass(frozen=True, config=_SCHEMA)
class Evidence:
    """Other, non-electronic evidence an exhibit corroborates (Art. 47(3))."""

    id: StrictStr
    kind: EvidenceKind
    title: StrictStr
    excerpt: StrictStr = ""
    cite: StrictStr = ""


@dataclass(frozen=True, config=_SCHEMA)
class Medium:
    """The original storage medium (原始存储介质, Art. 34–36)."""

    brand: StrictStr = ""
    model: StrictStr = ""
    capacity: StrictStr = ""
    serial: StrictStr = ""
    identifier: StrictStr = ""


def _hex(value: str) -> str:
    if not re.fullmatch(r"[0-9a-fA-F]+", value):
        raise PydanticCustomError("bad_hex", "not hex")
    return value.lower()


@dataclass(frozen=True, config=_SCHEMA)
class RecordedHash:
    """An integrity check value recorded at collection (完整性校验值, Art. 31, 62(3))."""

    file: StrictStr
    algorithm: Algorithm
    value: Annotated[StrictStr, AfterValidator(_hex)]


@dataclass(frozen=True, config=_SCHEMA)
class Change:
    """An addition, deletion or modification, with its explanation (Art. 30(4))."""

    what: StrictStr
    why: StrictStr = ""


@dataclass(frozen=True, config=_SCHEMA)
class Defect:
    """A procedural defect and its remedy (瑕疵与补正, Art. 43)."""

    what: StrictStr
    remedy: StrictStr = ""


def _positive(value: int) -> int:
    if value < 1:
        raise PydanticCustomError("bad_row", "rows start at 1")
    return value


Positive = Annotated[StrictInt, AfterValidator(_positive)]


def _size(value: int) -> int:
    if value < 0:
        raise PydanticCustomError("bad_size", "a size is not negative")
    return value


@dataclass(frozen=True, config=_SCHEMA)
class FileRecord:
    """What a file said of itself when it was collected (Art. 27(7): file attributes),
    recorded once by `new` or `import` from the forensic report or the original, so that the
    court is shown the evidence's own times, not those of a working copy."""

    file: StrictStr
    size: Annotated[StrictInt, AfterValidator(_size)] | None = None
    created: Moment | None = None
    modified: Moment | None = None
    accessed: Moment | None = None
    changed: Moment | None = None
    """The metadata change time (ctime on Unix, 元数据变更时间)."""
    taken: Moment | None = None
    """EXIF: when the picture was taken."""
    make: StrictStr = ""
    model: StrictStr = ""
    latitude: Annotated[float, BeforeValidator(_number)] | None = None
    longitude: Annotated[float, BeforeValidator(_number)] | None = None
    origin: StrictStr = ""
    """Where these values were read: the report (e.g. "UFDR report.xml") or the original."""


@dataclass(frozen=True, config=_SCHEMA)
class Source:
    """Where the exhibit came from and how it was formed (来源与形成, Art. 47(1))."""

    method: Method
    collected_at: Moment | None = None
    collectors: tuple[StrictStr, ...] = ()
    witnesses: tuple[StrictStr, ...] = ()
    holder: StrictStr = ""
    location: StrictStr = ""
    tool: StrictStr = ""
    procedure: StrictStr = ""
    recorded: StrictBool | None = None
    documents: tuple[StrictStr, ...] = ()
    url: StrictStr = ""
    medium: Medium | None = None
    hashes: tuple[RecordedHash, ...] = Field(default=(), alias="hash")
    files: tuple[FileRecord, ...] = Field(default=(), alias="file")
    changes: tuple[Change, ...] = Field(default=(), alias="change")
    defects: tuple[Defect, ...] = Field(default=(), alias="defect")


@dataclass(frozen=True, config=_SCHEMA)
class Shows:
    """A fact this exhibit shows, and how (Art. 47(2))."""

    fact: StrictStr
    aspect: Aspect
    how: StrictStr = ""
    group: StrictStr = ""
    """The group of evidence (证据组) it is presented in for this fact, by its name; items of
    a fact without one are grouped by their kind of electronic data."""


@dataclass(frozen=True, config=_SCHEMA)
class Corroboration:
    """How this exhibit and another piece of evidence support each other (Art. 47(3))."""

    with_: StrictStr = Field(alias="with")
    point: StrictStr = ""
    fact: StrictStr | None = None


STEP_KEYS: dict[str, frozenset[str]] = {
    "image": frozenset({"file", "region"}),
    "video": frozenset({"file", "clip"}),
    "audio": frozenset({"file", "clip"}),
    "chat": frozenset({"messages", "attachment", "region"}),
    "table": frozenset({"rows"}),
    "code": frozenset({"file", "lines"}),
    "document": frozenset({"file", "page", "region"}),
    "markdown": frozenset(),
    "chart": frozenset({"until", "focus"}),
}
"""The step keys each view understands, besides `label`."""


@dataclass(frozen=True, config=_SCHEMA)
class Step:
    """A prepared step of the demonstration."""

    label: StrictStr = ""
    file: StrictStr | None = None
    """Which of the item's files the step shows: its deck path or its file name."""
    messages: RangeList | None = None
    attachment: Annotated[StrictInt, AfterValidator(_message)] | None = None
    """Chat: the message (1-based) whose picture is shown large; `region` a callout on it."""
    region: Region | None = None
    clip: ClipRange | None = None
    rows: RangeList | None = None
    lines: RangeList | None = None
    page: Page | None = None
    until: Moment | None = None
    focus: tuple[StrictStr, ...] | None = None

    def keys(self) -> frozenset[str]:
        """The view-specific keys this step sets."""
        return frozenset(k for k in STEP_KEYS_ALL if getattr(self, k) is not None)


STEP_KEYS_ALL: frozenset[str] = frozenset().union(*STEP_KEYS.values())


def _seconds(value: object) -> float:
    if isinstance(value, str):
        seconds = parse_clock(value)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        seconds = None
    else:
        seconds = float(value)
    if seconds is None or not 0 <= seconds < float("inf"):
        raise PydanticCustomError("bad_seconds", "not a time in the video")
    return seconds


Seconds = Annotated[float, BeforeValidator(_seconds)]
"""A time in a video: seconds (`12.5`), or "HH:MM:SS" as a clip writes it."""


@dataclass(frozen=True, config=_SCHEMA)
class Redaction:
    """A rectangle blacked out of what a public screen is sent (旁听席屏幕遮蔽区域): on a
    picture, a document's page, or a video for a time range of it (the whole clip when
    `from` and `to` are left out)."""

    box: Region
    """[x, y, w, h] in fractions of the upright picture, the page as shown, or the video's
    picture."""
    file: StrictStr | None = None
    """Which of the item's files: its deck path or its file name; may be left out when the
    item has one file with pixels."""
    page: Page | None = None
    """A document's page (default 1)."""
    start: Seconds | None = Field(default=None, alias="from")
    end: Seconds | None = Field(default=None, alias="to")
    reason: StrictStr = ""
    """Why (for the presenter and the record): "被害人手机号"."""

    def holds_at(self, seconds: float) -> bool:
        """Whether the box covers the video at `seconds`."""
        return (self.start is None or self.start <= seconds) and (
            self.end is None or seconds <= self.end
        )


def _degrees(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("bad_degrees", "not degrees")
    return float(value)


Degrees = Annotated[float, BeforeValidator(_degrees)]


@dataclass(frozen=True, config=_SCHEMA)
class BaseMap:
    """The street map a trajectory is drawn on (底图): a demonstrative aid the technician
    made, not evidence. A georeferenced picture (PNG, JPEG, WebP, north up) with the degrees
    of its edges, or a raster tile archive (.mbtiles, .pmtiles) that knows its own place."""

    file: StrictStr
    """One of the item's `files` (so it is hashed, verified and bundled like them)."""
    west: Degrees | None = None
    south: Degrees | None = None
    east: Degrees | None = None
    north: Degrees | None = None
    crs: Crs = "wgs84"
    """The coordinate system the map is drawn in (a map from AMap or Tencent: gcj02)."""
    attribution: StrictStr = ""
    """The words the map's licence asks to be shown; default: the archive's own."""

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        """A picture's west, south, east, north; None unless all four are given."""
        edges = (self.west, self.south, self.east, self.north)
        return None if None in edges else edges  # type: ignore[return-value]


@dataclass(frozen=True, config=_SCHEMA)
class Challenge:
    """A prepared response to a challenge of the defence (Art. 48) — presenter only."""

    ground: Ground
    claim: StrictStr
    response: StrictStr = ""


@dataclass(frozen=True, config=_SCHEMA)
class Review:
    """The reviewer's conclusions (Art. 29–33) — presenter only."""

    objectivity: StrictStr = ""
    legality: StrictStr = ""
    relevance: StrictStr = ""


@dataclass(frozen=True, config=_SCHEMA)
class Exhibit:
    """One item of the deck: a piece of electronic data shown in court (示证项目).

    `path`, `body` and `notes` come from the file, not from the front matter: `body` is the
    Markdown above `???` (may be shown in court), `notes` what is below (presenter only).
    """

    id: StrictStr
    title: StrictStr
    type: DataType
    view: View
    source: Source
    files: tuple[StrictStr, ...] = ()
    excluded: StrictBool = False
    dossier: StrictStr = ""
    """Where the exhibit sits in the case file (卷宗页码): "第2卷第15-18页"."""
    remarks: StrictStr = ""
    """The catalogue's 备注 for it; empty: what its source records of defects and changes."""
    chart: ChartKind | None = None
    language: StrictStr | None = None
    columns: dict[StrictStr, StrictStr] = dataclass_field(default_factory=dict)
    transcript: StrictStr | None = None
    """Audio and video: which of `files` is the transcript (SRT, WebVTT or CSV)."""
    encoding: StrictStr | None = None
    """The text files' encoding when detection should not decide ("gbk", "utf-16")."""
    header_row: Positive | None = None
    """Tables: the row (1-based, in the original) that holds the column names; rows above it
    are the statement's title lines."""
    sheet: StrictStr | None = None
    """Spreadsheets: the sheet shown (default: the first)."""
    crs: Crs | None = None
    """Trajectories: the coordinate system of the CSV's lat and lon (default wgs84)."""
    basemap: BaseMap | None = Field(default=None, alias="map")
    """Trajectories: the street map drawn under the path (`[map]`)."""
    shows: tuple[Shows, ...] = ()
    corroborates: tuple[Corroboration, ...] = ()
    steps: tuple[Step, ...] = Field(default=(), alias="step")
    challenges: tuple[Challenge, ...] = Field(default=(), alias="challenge")
    review: Review | None = None
    redactions: tuple[Redaction, ...] = Field(default=(), alias="redact")
    """Regions blacked out of what a public screen is sent (and a masked bundle)."""
    path: str = ""
    body: str = ""
    notes: str = ""

    @property
    def data_files(self) -> tuple[str, ...]:
        """The files a table, chat or chart could read its rows from: its CSVs when it has
        any (a chat exported as TXT or HTML is carried beside the CSV parsed from it), else
        its other table files (a bank's TXT or TSV, a spreadsheet)."""
        if self.view not in ("table", "chat", "chart"):
            return ()
        csvs = tuple(f for f in self.files if f.lower().endswith(".csv"))
        return csvs or tuple(f for f in self.files if f.lower().endswith(TABLE_FILES))

    @property
    def data_file(self) -> str | None:
        """The file a table, chat or chart reads its rows from, by deck path (the one of
        `data_files`); None for the other views."""
        return next(iter(self.data_files), None)

    def attachment(self, cell: str) -> str | None:
        """The item file a chat's attachment cell names: a deck path, or a path relative to
        the chat's own file (as export tools write them); None if it names no file of it."""
        cell = cell.strip()
        if not cell:
            return None
        if cell in self.files:
            return cell
        base = posixpath.dirname(self.data_file or "")
        joined = posixpath.normpath(posixpath.join(base, cell.replace("\\", "/")))
        return joined if joined in self.files else None

    def column(self, role: str) -> str:
        """The CSV header that plays `role` (the role's own name unless mapped)."""
        return self.columns.get(role, role)


TABLE_FILES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
"""The files a table, chat or chart reads: delimited text and spreadsheets."""

LOADER_FIELDS = frozenset({"path", "body", "notes"})
"""Exhibit fields filled from the file by the loader: not keys of the front matter."""


@dataclass(frozen=True, config=_SCHEMA)
class DeckFile:
    """deck.toml as written."""

    format: Literal[1]
    case: Case
    order: tuple[StrictStr, ...] | None = None
    facts: tuple[Fact, ...] = Field(default=(), alias="fact")
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Deck:
    """A whole case presentation: deck.toml and its exhibits, in presentation order."""

    id: str
    root: Path
    case: Case
    facts: tuple[Fact, ...]
    evidence: tuple[Evidence, ...]
    exhibits: tuple[Exhibit, ...]
    displays: dict[tuple[str, str], Any] = dataclass_field(default_factory=dict)
    """Display copies derived from originals no view shows as they are, by item id and the
    original's deck path (presenter.originals.Derivation)."""

    def display(self, exhibit: Exhibit, name: str) -> Path:
        """The file a view of `exhibit` reads for its file `name`: its display copy, or the
        original itself."""
        derived = self.displays.get((exhibit.id, name))
        return derived.copy if derived is not None else self.root / name

    def derivation(self, exhibit: Exhibit, name: str) -> Any:
        """How the display copy of the exhibit's file `name` was made, or None."""
        return self.displays.get((exhibit.id, name))

    def exhibit(self, exhibit_id: str) -> Exhibit | None:
        return next((e for e in self.exhibits if e.id == exhibit_id), None)

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)
