"""The commands of LIVE-PROTOCOL v1, parsed once: one small model per action, a union on `action`.

Parsing knows nothing of the deck or the state. It checks each field's type and the bounds
that hold for every exhibit, and turns a bad field into the refusal code the protocol gives
for it, never pydantic's words. What depends on the exhibit on the screens (how many steps,
pages or columns it has) is checked by the action's handler in `machine.py`.

Nothing is coerced (`strict`): a bool is not a number, `"2"` is not 2, NaN and infinities
are not positions. Fields a command does not know are ignored. The few leniencies of the
protocol are written out where they apply (`Flag`, `filter`, `focus`, `until`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from ..deck.model import region_inside
from .state import Blank, Panel


class Refused(Exception):
    """A command that cannot be carried out; carries the reason code."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


# --- the kinds of field ---------------------------------------------------------------------


def _is_true(value: object) -> bool:
    return value is True


Flag = Annotated[bool, BeforeValidator(_is_true)]
"""`true`, or else false: anything other than `true` means no, and is never refused."""

Number = Annotated[float, AllowInfNan(False)]
"""A finite JSON number (an int is taken as a float; a bool is not a number)."""

Fraction = Annotated[Number, Field(ge=0, le=1)]
Index = Annotated[StrictInt, Field(ge=0)]


def _list_as_tuple(value: object) -> object:
    # JSON has lists only; strict mode would take nothing but a tuple
    return tuple(value) if isinstance(value, list) else value


def _list(value: object) -> tuple[object, ...]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return tuple(value)


def _inside(region: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if not region_inside(*region):
        raise ValueError("not within the picture")
    return region


Region = Annotated[
    tuple[Number, Number, Number, Number], BeforeValidator(_list_as_tuple), AfterValidator(_inside)
]
"""[x, y, w, h] in fractions of the exhibit, at least MIN_REGION across."""


def _screen_name(value: str) -> str:
    name = value.strip()
    if not name:
        raise ValueError("blank")
    return name[:60]


ScreenName = Annotated[StrictStr, AfterValidator(_screen_name)]
"""A screen's name, trimmed, at most 60 characters kept."""


def _or_empty(value: object) -> object:
    return value or ""


def _filter_text(value: str) -> str:
    if len(value) > 100:  # counted before trimming, as the presenter typed it
        raise ValueError("too long")
    return value.strip()


def _category_text(value: str) -> str:
    from ..bounds import CELL

    if len(value) > CELL:  # a category is a cell's text: as long as a cell a screen is sent
        raise ValueError("too long")
    return value.strip()


FilterText = Annotated[StrictStr, BeforeValidator(_or_empty), AfterValidator(_filter_text)]
"""Rows holding this text; any false value means no filter."""


def _iso_time(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)  # any value whose text is a time, as the protocol always took it
    dt.datetime.fromisoformat(text)  # raises ValueError
    return text


IsoTime = Annotated[StrictStr | None, BeforeValidator(_iso_time)]
"""An ISO 8601 time, kept as written."""


def _names(value: object) -> object:
    return _list(value) if value else ()


Names = Annotated[
    tuple[StrictStr, ...], BeforeValidator(_names), AfterValidator(lambda names: names[:20])
]
"""A list of names (the first 20 kept); any false value means none."""


def _account(value: str) -> str:
    if not 0 < len(value) <= 200:
        raise ValueError("not an account name")
    return value


Account = Annotated[StrictStr, AfterValidator(_account)]
Flow = Annotated[tuple[Account, Account], BeforeValidator(_list)]
"""[from, to]: two account names of 1 to 200 characters."""


# --- the commands ---------------------------------------------------------------------------


class Command(BaseModel):
    """A command's fields, once they are known to be well formed."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    refusal: ClassVar[str]
    """The code for a bad field of this command."""
    refusals: ClassVar[Mapping[str, str]] = {}
    """Fields whose bad value has a code of its own."""


class Goto(Command):
    refusal = "unknown_item"
    refusals = {"panel": "unknown_panel"}

    action: Literal["goto"]
    panel: Panel | None = None  # before item: a bad panel is refused first
    item: StrictStr | None = None
    confirm: Flag = False


class Walk(Command):
    refusal = "unknown_action"  # never given: `confirm` is never wrong

    action: Literal["next", "prev"]
    confirm: Flag = False


class Step(Command):
    refusal = "step_out_of_range"

    action: Literal["step"]
    step: Index


class Page(Command):
    refusal = "page_out_of_range"

    action: Literal["page"]
    page: Annotated[StrictInt, Field(ge=1)]


class ShowPanel(Command):
    refusal = "unknown_panel"

    action: Literal["panel"]
    panel: Panel


class BlankScreens(Command):
    refusal = "unknown_blank"

    action: Literal["blank"]
    mode: Blank | None = None


class Zoom(Command):
    refusal = "bad_region"

    action: Literal["region"]
    region: Region | None = None


class Point(Command):
    refusal = "bad_pointer"

    action: Literal["pointer"]
    x: Fraction | None = None
    y: Fraction | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> Point:
        if (self.x is None) != (self.y is None):
            raise ValueError("x without y")
        return self

    @property
    def pointer(self) -> tuple[float, float] | None:
        return None if self.x is None or self.y is None else (self.x, self.y)


class Play(Command):
    refusal = "bad_media"

    action: Literal["media"]
    op: Literal["play", "pause", "seek"]
    position: Annotated[Number, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _seek_needs_a_position(self) -> Play:
        if self.op == "seek" and self.position is None:
            raise ValueError("seek where?")
        return self


class Sound(Command):
    refusal = "bad_media"

    action: Literal["sound"]
    screen: ScreenName | None = None


class Arrange(Command):
    refusal = "bad_table"

    action: Literal["table"]
    sort: Index | None = None
    desc: Flag = False
    filter: FilterText = ""
    start: Index | None = None
    category: Annotated[StrictStr, AfterValidator(_category_text)] | None = None
    """Only the rows whose category cell (`[columns] category`) is this value."""


class Chart(Command):
    refusal = "bad_chart"

    action: Literal["chart"]
    until: IsoTime = None
    focus: Names = ()
    fold: Annotated[StrictInt, Field(ge=2, le=500)] | None = None
    flow: Flow | None = None


class Case(Command):
    refusal = "bad_case"

    action: Literal["case"]
    show: StrictBool


class ShowAttachment(Command):
    refusal = "bad_attachment"

    action: Literal["attachment"]
    message: Annotated[StrictInt, Field(ge=1)] | None = None


class ShowFile(Command):
    """One of the exhibit's files: by its index among the files shown, or by name (its deck
    path, or its file name alone, as a step names it)."""

    refusal = "unknown_file"

    action: Literal["file"]
    index: Index | None = None
    name: StrictStr | None = None

    @model_validator(mode="after")
    def _one_of_them(self) -> ShowFile:
        if (self.index is None) == (self.name is None):
            raise ValueError("index or name")
        return self


MAX_POINTS = 500
"""Points of one stroke at most; a client thins a long stroke before it sends it."""
MAX_LABEL = 100
"""Characters of a text label at most."""
COLOR = r"^#[0-9a-fA-F]{6}$"

Point2 = Annotated[tuple[Fraction, Fraction], BeforeValidator(_list_as_tuple)]


class ShapeFields(BaseModel):
    """A shape as the presenter draws it (docs/live.md): points in 0..1 of the view's own
    picture, page or box."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    kind: Literal["pen", "highlight", "arrow", "rect", "ellipse", "text"]
    points: Annotated[tuple[Point2, ...], BeforeValidator(_list)]
    color: Annotated[StrictStr, Field(pattern=COLOR)] = "#e02020"
    text: Annotated[StrictStr, Field(max_length=MAX_LABEL)] = ""

    @model_validator(mode="after")
    def _points_fit_the_kind(self) -> ShapeFields:
        count = len(self.points)
        if self.kind in ("pen", "highlight"):
            fits = 2 <= count <= MAX_POINTS
        elif self.kind == "text":
            fits = count == 1 and bool(self.text.strip())
        else:
            fits = count == 2
        if not fits:
            raise ValueError("points do not fit the kind")
        return self


class Annotate(Command):
    refusal = "bad_shape"

    action: Literal["annotate"]
    op: Literal["add", "undo", "clear"]
    shape: ShapeFields | None = None

    @model_validator(mode="after")
    def _add_needs_a_shape(self) -> Annotate:
        if (self.op == "add") != (self.shape is not None):
            raise ValueError("a shape with add, and only then")
        return self


def _items(value: object) -> tuple[object, ...]:
    items = _list(value)
    if len(items) not in (0, 2):
        raise ValueError("two items or none")
    return items


class SideBySide(Command):
    """Side by side: two items (the same one twice for two of its pages), none to end, or
    the layout alone, or a swap of the half the keyboard drives."""

    refusal = "bad_compare"

    action: Literal["compare"]
    items: Annotated[tuple[StrictStr, ...], BeforeValidator(_items)] | None = None
    layout: Literal["50/50", "60/40"] | None = None
    direction: Literal["row", "column"] | None = None
    swap: Flag = False


class Redact(Command):
    """What the public gallery's screen must not see: a live box on the view on screen, its
    removal, or a decision on a number found in a picture."""

    refusal = "bad_redaction"

    action: Literal["redact"]
    op: Literal["add", "remove", "clear", "confirm", "dismiss"]
    box: Region | None = None
    index: Index | None = None
    proposal: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{16}$")] | None = None

    @model_validator(mode="after")
    def _fields_of_the_op(self) -> Redact:
        needed = {"add": self.box, "remove": self.index, "clear": True}
        if needed.get(self.op, self.proposal) is None:
            raise ValueError("a field of the op is missing")
        return self


class Handover(Command):
    refusal = "unknown_action"

    action: Literal["handover"]
    to: Literal["presenter", "expert"]


AnyCommand = Annotated[
    Goto | Walk | Step | Page | ShowPanel | BlankScreens | Zoom | Point | Play | Sound | Arrange
    | Chart | Case | ShowAttachment | ShowFile | Handover | Annotate | SideBySide | Redact,
    Field(discriminator="action"),
]  # fmt: skip
"""Every command this module parses; `verify` and `pair` are the socket adapter's."""

_COMMANDS: TypeAdapter[AnyCommand] = TypeAdapter(AnyCommand)
# the model of each action, to name a bad field's refusal
_MODELS: dict[str, type[Command]] = {
    action: model
    for model in get_args(get_args(AnyCommand)[0])
    for action in get_args(model.model_fields["action"].annotation)
}


def known(command: Mapping[str, Any]) -> dict[str, Any]:
    """The command with only the fields its action has: what the record keeps of it (a
    field no command has would otherwise reach the record as it was sent, of any size)."""
    model = _MODELS.get(str(command.get("action")))
    if model is None:
        return {"action": command.get("action")}
    names = {field.alias or name for name, field in model.model_fields.items()}
    return {key: value for key, value in command.items() if key in names}


def parse(command: Mapping[str, Any]) -> AnyCommand:
    """The command's fields, well formed, or Refused with the protocol's code for the first
    bad one (`unknown_action` when the action is none of these)."""
    try:
        return _COMMANDS.validate_python(dict(command))
    except ValidationError as invalid:
        first = invalid.errors(include_url=False, include_context=False, include_input=False)[0]
        model = _MODELS.get(str(first["loc"][0])) if first["loc"] else None
        if model is None or first["type"].startswith("union_tag"):
            raise Refused("unknown_action") from None
        field = str(first["loc"][1]) if len(first["loc"]) > 1 else ""
        raise Refused(model.refusals.get(field, model.refusal)) from None
