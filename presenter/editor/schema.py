"""The editor's forms, read from the deck model itself: every key the loader accepts has a
field, so the forms cannot fall behind the format."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import StrictBool, StrictInt, StrictStr

from ..deck import model

LONG_TEXT = frozenset(
    {"text", "excerpt", "procedure", "how", "point", "claim", "response", "objectivity",
     "legality", "relevance", "remarks", "what", "why", "remedy"}
)  # fmt: skip
"""Keys whose value is a paragraph, not a line."""

PRESENTER_ONLY = frozenset({"challenge", "review"})
"""Tables that never reach a screen or a bundle (with the notes below `???`)."""

_SPECIAL: dict[Any, str] = {
    model.Moment: "datetime",
    model.RangeList: "ranges",
    model.Region: "region",
    model.ClipRange: "clip",
    model.Seconds: "seconds",
    model.Page: "int",
    model.Positive: "int",
    model.Degrees: "number",
}

LOADER_ONLY = model.LOADER_FIELDS | {"hashes_verified"}


@dataclasses.dataclass(frozen=True)
class Field:
    """One key of a table: its TOML name, its widget, and what it holds."""

    key: str
    widget: str
    """text | long | choice | strings | bool | int | number | datetime | ranges | region |
    clip | seconds | table | tables | mapping"""
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    """A table's or an array of tables' own keys."""
    optional_bool: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "widget": self.widget}
        if self.required:
            data["required"] = True
        if self.choices:
            data["choices"] = list(self.choices)
        if self.fields:
            data["fields"] = [f.to_json() for f in self.fields]
        if self.optional_bool:
            data["optional"] = True
        return data


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, __import__("types").UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(rest) < len(args):
            return rest[0], True
    return hint, False


def _widget(key: str, hint: Any) -> tuple[str, tuple[str, ...], tuple[Field, ...]]:
    for special, widget in _SPECIAL.items():
        if hint == special:
            return widget, (), ()
    if typing.get_origin(hint) is Annotated:
        base = typing.get_args(hint)[0]
        if base is StrictStr or base is str:
            return ("long" if key in LONG_TEXT else "text"), (), ()
        return _widget(key, base)
    if typing.get_origin(hint) is Literal:
        return "choice", tuple(str(a) for a in typing.get_args(hint)), ()
    if hint in (StrictStr, str):
        return ("long" if key in LONG_TEXT else "text"), (), ()
    if hint in (StrictBool, bool):
        return "bool", (), ()
    if hint in (StrictInt, int):
        return "int", (), ()
    if hint is float:
        return "number", (), ()
    if hint in (dt.datetime, dt.date):
        return "datetime", (), ()
    origin = typing.get_origin(hint)
    if origin is dict:
        return "mapping", (), ()
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        if dataclasses.is_dataclass(inner):
            return "tables", (), fields_of(inner)
        return "strings", (), ()
    if dataclasses.is_dataclass(hint):
        return "table", (), fields_of(hint)
    raise TypeError(f"no widget for {key}: {hint!r}")


@cache
def fields_of(cls: type) -> tuple[Field, ...]:
    """The keys of a model table as TOML writes them (aliases), in the model's order."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for info in dataclasses.fields(cls):
        if info.name in LOADER_ONLY or info.name.startswith("_"):
            continue
        pydantic_field = cls.__pydantic_fields__[info.name]  # type: ignore[attr-defined]
        key = pydantic_field.alias or info.name
        hint, optional = _unwrap_optional(hints[info.name])
        widget, choices, inner = _widget(key, hint)
        required = pydantic_field.is_required()
        out.append(Field(key, widget, required, choices, inner, optional and widget == "bool"))
    return tuple(out)


def deck_fields() -> tuple[Field, ...]:
    """deck.toml's keys but `format` (always 1) and `order` (the list of exhibits)."""
    return tuple(f for f in fields_of(model.DeckFile) if f.key not in ("format", "order"))


def item_fields() -> tuple[Field, ...]:
    return fields_of(model.Exhibit)


def step_keys() -> dict[str, list[str]]:
    """The step keys each view understands, besides `label`, in the model's order."""
    order = [f.key for f in fields_of(model.Step)]
    return {view: [k for k in order if k in keys] for view, keys in model.STEP_KEYS.items()}


def as_json() -> dict[str, Any]:
    return {
        "deck": [f.to_json() for f in deck_fields()],
        "item": [f.to_json() for f in item_fields()],
        "step_keys": step_keys(),
        "presenter_only": sorted(PRESENTER_ONLY),
    }


def find(fields: tuple[Field, ...], path: list[str | int]) -> Field | None:
    """The field at a key path (`["source", "hash", 0, "value"]`), indexes skipped."""
    current: Field | None = None
    for part in path:
        if isinstance(part, int):
            if current is None or current.widget != "tables":
                return None
            continue
        pool = fields if current is None else current.fields
        current = next((f for f in pool if f.key == part), None)
        if current is None:
            return None
    return current
