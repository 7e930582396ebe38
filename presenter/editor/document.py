"""Edits to deck.toml and an item's front matter, made on the file's own text through tomlkit:
one edited key changes its own line and leaves every other byte as it was.

An edit is a value (`Edit`): set a key, remove it, add or remove an entry of an array of
tables, or move one. Values come from the form as JSON and are turned into TOML by the
field they go to (a time is written with the deck's offset, a region as four fractions).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Array, InlineTable, Table

from ..deck import toml_lines
from ..deck.loader import FRONT_MATTER_FENCE, NOTES_FENCE, split_item
from ..deck.model import parse_clock
from . import schema

Path_ = list[str | int]


class EditRefused(Exception):
    """An edit the file cannot take: `code` names why (words in presenter.i18n), `key` where."""

    def __init__(self, code: str, key: str = "") -> None:
        super().__init__(code, key)
        self.code = code
        self.key = key


@dataclass(frozen=True)
class Edit:
    """One change to one file. `op`: set | remove | add | drop | move | body | notes."""

    op: str
    path: tuple[str | int, ...] = ()
    value: Any = None
    to: int | None = None


_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_REGION_PLACES = 4


def toml_value(field: schema.Field, value: Any, zone: dt.tzinfo) -> Any:
    """The TOML value of a form's JSON value for `field`; None when the key is to go."""
    widget = field.widget
    if value is None or value == "" or value == []:
        return None
    if widget in ("text", "long", "choice"):
        if not isinstance(value, str):
            raise EditRefused("bad_value", field.key)
        if field.choices and value not in field.choices:
            raise EditRefused("bad_choice", field.key)
        return value
    if widget == "strings" or widget == "ranges" and isinstance(value, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise EditRefused("bad_value", field.key)
        kept = [v.strip() for v in value if v.strip()]
        return kept or None
    if widget == "ranges":
        if not isinstance(value, str):
            raise EditRefused("bad_value", field.key)
        return value.strip() or None
    if widget == "bool":
        if not isinstance(value, bool):
            raise EditRefused("bad_value", field.key)
        return value
    if widget == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise EditRefused("bad_value", field.key)
        return value
    if widget == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EditRefused("bad_value", field.key)
        return float(value)
    if widget == "datetime":
        return _moment(value, zone, field.key)
    if widget == "region":
        if (
            not isinstance(value, list)
            or len(value) != 4
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            raise EditRefused("bad_value", field.key)
        return [round(min(max(float(v), 0.0), 1.0), _REGION_PLACES) for v in value]
    if widget == "clip":
        if not isinstance(value, list) or len(value) != 2:
            raise EditRefused("bad_value", field.key)
        if not all(isinstance(v, str) and parse_clock(v) is not None for v in value):
            raise EditRefused("bad_clock", field.key)
        return value
    if widget == "seconds":
        if isinstance(value, str) and parse_clock(value) is not None:
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return value
        raise EditRefused("bad_clock", field.key)
    if widget == "mapping":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise EditRefused("bad_value", field.key)
        kept = {k.strip(): v for k, v in value.items() if k.strip() and v}
        if not kept:
            return None
        table = tomlkit.table()
        for k, v in kept.items():
            table.add(k, v)
        return table
    raise EditRefused("not_editable", field.key)


def _moment(value: Any, zone: dt.tzinfo, key: str) -> dt.datetime | dt.date:
    """A time typed as the deck's zone reads it (`2026-03-01T09:30`), written with the offset
    it has then; a date alone stays a date."""
    if not isinstance(value, str) or not _LOCAL_TIME.match(value.strip()):
        raise EditRefused("bad_time", key)
    text = value.strip().replace(" ", "T")
    try:
        if "T" not in text:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise EditRefused("bad_time", key) from None
    offset = moment.replace(tzinfo=zone).utcoffset() or dt.timedelta()
    return moment.replace(tzinfo=dt.timezone(offset))


def apply(doc: Container, fields: tuple[schema.Field, ...], edit: Edit, zone: dt.tzinfo) -> None:
    """Make one edit on a parsed document (tomlkit keeps everything it does not touch)."""
    path = list(edit.path)
    field = schema.find(fields, path)
    if field is None or not _shaped(fields, path) or not isinstance(path[-1], str):
        raise EditRefused("unknown_key", _key(path))
    if edit.op in ("set", "remove"):
        parent = _parent(doc, path[:-1], create=edit.op == "set")
        if parent is None:
            return
        value = None if edit.op == "remove" else toml_value(field, edit.value, zone)
        name = str(path[-1])
        if field.widget in ("table", "tables"):
            raise EditRefused("not_editable", _key(path))
        if value is None:
            if name in parent:
                del parent[name]
        else:
            parent[name] = value  # a new key goes after the table's values, before its tables
        return
    if field.widget != "tables":
        raise EditRefused("not_editable", _key(path))
    if edit.op == "add":
        parent = _parent(doc, path[:-1], create=True)
        assert parent is not None
        entry = tomlkit.table()
        if not isinstance(edit.value, dict | None):
            raise EditRefused("bad_value", _key(path))
        for key, raw in (edit.value or {}).items():
            inner = next((f for f in field.fields if f.key == key), None)
            if inner is None:
                raise EditRefused("unknown_key", _key([*path, key]))
            value = toml_value(inner, raw, zone)
            if value is not None:
                entry.add(key, value)
        name = str(path[-1])
        if name in parent:
            array = parent[name]
            if not isinstance(array, AoT):
                raise EditRefused("not_editable", _key(path))
            last = array[len(array) - 1].as_string() if len(array) else ""
        else:
            array = tomlkit.aot()
            parent.append(name, array)
            last = parent.as_string()
        # a blank line between entries, as a person leaves one
        if last.endswith("\n\n"):
            entry.add(tomlkit.nl())
        else:
            entry.trivia.indent = "\n"
        array.append(entry)
        return
    array = _parent(doc, path, create=False)
    if not isinstance(array, AoT) or not isinstance(edit.value, int):
        raise EditRefused("no_entry", _key(path))
    index = edit.value
    if not 0 <= index < len(array):
        raise EditRefused("no_entry", _key(path))
    if edit.op == "drop":
        del array[index]
        if not len(array):
            parent = _parent(doc, path[:-1], create=False)
            if parent is not None:
                del parent[str(path[-1])]
        return
    if edit.op == "move":
        if edit.to is None or not 0 <= edit.to < len(array):
            raise EditRefused("no_entry", _key(path))
        entries = [array[i] for i in range(len(array))]
        moved = entries.pop(index)
        entries.insert(edit.to, moved)
        _reorder(array, entries)
        return
    raise EditRefused("unknown_op", _key(path))


def _reorder(array: AoT, entries: list[Table]) -> None:
    """Entries of an array of tables in a new order, each keeping its own text."""
    while len(array):
        del array[0]
    for entry in entries:
        array.append(entry)


def _shaped(fields: tuple[schema.Field, ...], path: Path_) -> bool:
    """Whether the path names its way as the format does: an entry's number after an array
    of tables, and a key everywhere else."""
    pool, expect_index = fields, False
    for part in path:
        if expect_index:
            if not isinstance(part, int) or isinstance(part, bool):
                return False
            expect_index = False
            continue
        if not isinstance(part, str):
            return False
        field = next((f for f in pool if f.key == part), None)
        if field is None:
            return False
        pool, expect_index = field.fields, field.widget == "tables"
    return True


def _parent(doc: Container, path: Path_, create: bool) -> Any:
    """The table at `path` (keys and array indexes); made on the way when `create`."""
    current: Any = doc
    for part in path:
        if isinstance(part, int):
            if not isinstance(current, AoT) or not 0 <= part < len(current):
                raise EditRefused("no_entry", _key(path))
            current = current[part]
            continue
        if not isinstance(current, Table | InlineTable | Container):  # `source = "x"`
            raise EditRefused("not_editable", _key(path))
        if part not in current:
            if not create:
                return None
            current[part] = tomlkit.table()
        current = current[part]
    if not isinstance(current, Table | InlineTable | Container | AoT):
        raise EditRefused("not_editable", _key(path))
    return current


def _key(path: Path_) -> str:
    from ..deck.problems import format_key

    return format_key(tuple(path))


# --- files ---------------------------------------------------------------------------------


def edit_deck(text: str, edits: list[Edit], zone: dt.tzinfo) -> str:
    """deck.toml's text after the edits, every untouched byte as it was."""
    doc = _parse(text)
    for edit in edits:
        if edit.op == "order":
            _set_order(doc, edit.value)
        else:
            apply(doc, schema.deck_fields(), edit, zone)
    return tomlkit.dumps(doc)


def _set_order(doc: Container, order: Any) -> None:
    if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
        raise EditRefused("bad_value", "order")
    if isinstance(doc.get("order"), Array):
        array = doc["order"]
        array.clear()  # type: ignore[union-attr]
        array.extend(order)  # type: ignore[union-attr]
    else:
        doc["order"] = order


def edit_item(text: str, edits: list[Edit], zone: dt.tzinfo) -> str:
    """An item file's text after the edits: its front matter through tomlkit, its Markdown
    and notes as they are unless an edit is theirs."""
    newline = "\r\n" if "\r\n" in text else "\n"
    plain = text.replace("\r\n", "\n")
    split = split_item(plain)
    if isinstance(split, str):
        raise EditRefused(split)
    lines = plain.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == FRONT_MATTER_FENCE)
    front = "\n".join(lines[1:end])
    rest = "\n".join(lines[end + 1 :])
    doc = _parse(front + "\n" if front and not front.endswith("\n") else front)
    front_edited = False
    _, _, body, notes = split
    for edit in edits:
        if edit.op == "body":
            body = _text(edit.value)
            rest = _body_and_notes(body, notes)
        elif edit.op == "notes":
            notes = _text(edit.value)
            rest = _body_and_notes(body, notes)
        else:
            apply(doc, schema.item_fields(), edit, zone)
            front_edited = True
    new_front = tomlkit.dumps(doc) if front_edited else front
    if front_edited and front and not front.endswith("\n") and new_front.endswith("\n"):
        new_front = new_front[:-1]
    if front_edited and new_front.endswith("\n"):
        new_front = new_front[:-1]
    out = "\n".join(
        [lines[0], new_front, lines[end], *([rest] if rest or end + 1 < len(lines) else [])]
    )
    return out.replace("\n", newline) if newline != "\n" else out


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise EditRefused("bad_value")
    return value.replace("\r\n", "\n").strip("\n")


def _body_and_notes(body: str, notes: str) -> str:
    text = body + "\n" if body else ""
    if notes:
        text += ("\n" if body else "") + NOTES_FENCE + "\n" + notes + "\n"
    return text


def _parse(text: str) -> Container:
    """The document through tomlkit, once tomllib (with its depth guard) has accepted it: a
    hostile file nested thousands deep never reaches tomlkit's recursion."""
    if toml_lines.parse(text)[1] is not None:
        raise EditRefused("toml_syntax")
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError:
        raise EditRefused("toml_syntax") from None


def new_item(item_id: str, title: str) -> str:
    """A blank item as a person would start one: the keys `check` needs, TODO where only
    a person knows."""
    doc = tomlkit.document()
    doc.add("id", item_id)
    doc.add("title", title)
    doc.add("type", "TODO")
    doc.add("view", "markdown")
    source = tomlkit.table()
    source.add("method", "TODO")
    doc.add("source", source)
    return f"{FRONT_MATTER_FENCE}\n{tomlkit.dumps(doc)}{FRONT_MATTER_FENCE}\n"
