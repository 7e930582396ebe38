"""Reading a deck folder into the model: files, front matter, TOML, schema — with positions."""

from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..i18n.problems import TYPE_NAMES
from . import toml_lines
from .model import LOADER_FIELDS, DeckFile, Exhibit
from .problems import Problem, format_key, toml_syntax_params, under_key

DECK_ID = re.compile(r"^[a-z0-9-]+\Z")
FRONT_MATTER_FENCE = "+++"
NOTES_FENCE = "???"
TODO = "TODO"
"""A value beginning with this is a blank a person must still fill in (a scaffold writes it)."""
_MAX_TODO_PASSES = 8


@dataclass(frozen=True)
class Located:
    """A file of the deck and where its keys are, for reporting problems in it."""

    path: str
    lines: dict[toml_lines.KeyPath, int] = field(default_factory=dict)
    offset: int = 0

    def line(self, *key: str | int) -> int | None:
        line = toml_lines.line_of(self.lines, key)
        return line + self.offset if line else None

    def problem(self, severity: str, code: str, *key: str | int, **params: object) -> Problem:
        return Problem(severity, self.path, code, format_key(key), self.line(*key), params)  # type: ignore[arg-type]

    def error(self, code: str, *key: str | int, **params: object) -> Problem:
        return self.problem("error", code, *key, **params)

    def warning(self, code: str, *key: str | int, **params: object) -> Problem:
        return self.problem("warning", code, *key, **params)


@dataclass
class ItemFile:
    """An items/*.md file as read: its exhibit when valid, and its id in any case."""

    where: Located
    raw: dict[str, Any] | None
    exhibit: Exhibit | None

    @property
    def raw_id(self) -> str | None:
        value = (self.raw or {}).get("id")
        return value if isinstance(value, str) else None


def read_text(root: Path, relative: str, problems: list[Problem]) -> str | None:
    try:
        data = (root / relative).read_bytes()
    except OSError as error:
        problems.append(
            Problem(
                "error", relative, "unreadable", params={"path": relative, "detail": error.strerror}
            )
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:  # NULs: UTF-16 without a byte-order mark
        encoding = encoding_name(data)
        if encoding is None:
            problems.append(Problem("error", relative, "not_utf8"))
        else:
            problems.append(
                Problem("error", relative, "encoding_not_utf8", params={"encoding": encoding})
            )
        return None
    return text.replace("\r\n", "\n")


_ENCODING_NAMES = {
    "gb2312": "GBK",
    "gbk": "GBK",
    "gb18030": "GBK",
    "big5": "Big5",
    "big5hkscs": "Big5",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
    "utf_32": "UTF-32",
    "utf_32_le": "UTF-32",
    "utf_32_be": "UTF-32",
}
"""Encodings as Windows and its editors name them (a GB18030 file is saved as "GBK" or
"ANSI" by Notepad on a Chinese system)."""


def encoding_name(data: bytes) -> str | None:
    """The name a person knows for the encoding of a text that is not UTF-8, or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return _ENCODING_NAMES.get(best.encoding, best.encoding.upper().replace("_", "-"))


def parse_toml(
    text: str, where: Located, problems: list[Problem]
) -> tuple[dict[str, Any] | None, Located]:
    data, syntax = toml_lines.parse(text)
    if syntax:
        line = syntax.line + where.offset if syntax.line else None
        params = toml_syntax_params(syntax.detail, syntax.column, syntax.hints)
        problems.append(
            Problem("error", where.path, "toml_syntax", format_key(syntax.key), line, params)
        )
        return None, where
    return data, Located(where.path, toml_lines.key_lines(text), where.offset)


def validate(model: type, data: dict[str, Any], where: Located, problems: list[Problem]):
    """`data` as a `model` object, or None with every schema problem appended.

    A `TODO` value is reported as a blank to fill in, not as the wrong type or value it
    also is: it stands in for the first allowed value (or the key's absence) so that the rest
    of the entry is still checked.
    """
    todos = todo_keys(data)
    data = copy.deepcopy(data) if todos else data
    problems.extend(where.error("todo", *key) for key in todos)
    adapter = _adapter(model)
    for _ in range(_MAX_TODO_PASSES):
        try:
            return adapter.validate_python(data)
        except ValidationError as invalid:
            errors = invalid.errors()
        at_todo = [e for e in errors if _under_any(_error_key(e), todos)]
        if not at_todo or not _stand_in(data, at_todo):
            break
    errors = [error for error in errors if not _under_any(_error_key(error), todos)]
    problems.extend(_schema_problems(errors, where, model))
    return None


@functools.cache
def _adapter(model: type) -> TypeAdapter:
    return TypeAdapter(model)


def todo_keys(data: object, key: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Where `data` holds a string beginning with TODO, in document order."""
    if isinstance(data, str):
        return [key] if data.lstrip().startswith(TODO) else []
    if isinstance(data, dict):
        return [k for name, value in data.items() for k in todo_keys(value, (*key, name))]
    if isinstance(data, list):
        return [k for i, value in enumerate(data) for k in todo_keys(value, (*key, i))]
    return []


def _under_any(key: tuple[str | int, ...], todos: list[tuple[str | int, ...]]) -> bool:
    return any(key[: len(todo)] == todo for todo in todos)


def _error_key(error: dict[str, Any]) -> tuple[str | int, ...]:
    return tuple(part for part in error["loc"] if isinstance(part, int) or _is_key(part))


def _stand_in(data: dict[str, Any], errors: list[dict[str, Any]]) -> bool:
    """Replace the TODO values these errors are about; whether anything changed."""
    changed = False
    for error in errors:
        *parents, last = _error_key(error) or (None,)
        container: Any = data
        for part in parents:
            container = container[part]
        if last is None or not isinstance(container, dict | list):
            continue
        expected = re.findall(r"'([^']*)'", (error.get("ctx") or {}).get("expected", ""))
        if error["type"] == "literal_error" and expected:
            container[last] = expected[0]
        elif isinstance(container, dict):
            del container[last]
        else:
            continue
        changed = True
    return changed


def _schema_problem(error: dict[str, Any], where: Located) -> Problem:
    key = _error_key(error)
    kind: str = error["type"]
    value = error.get("input")
    params: dict[str, object] = {"value": _show(value)}
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        code = "unknown_key"
    elif kind in ("missing", "missing_keyword_argument"):
        code = "missing_key"
    elif kind == "literal_error":
        code = "bad_value"
        params["expected"] = error["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
    elif kind.endswith("_type") or kind == "dataclass_exact_type":
        code = "bad_type"
        names = TYPE_NAMES.get(kind.removesuffix("_type").removesuffix("_exact"), ("?", "?"))
        params |= {"expected_zh": names[0], "expected_en": names[1]}
    else:
        code = kind
    line = where.line(*key)
    if code == "missing_key" and line is None:
        line = where.offset or 1  # a top-level key: the front matter's (or the file's) start
    return Problem("error", where.path, code, format_key(key), line, params, fallback=error["msg"])


def _schema_problems(errors: list[dict[str, Any]], where: Located, model: type) -> list[Problem]:
    """The schema errors as problems. An unknown key that is a typo of a known one, or a key
    of another table written under the wrong header, says so; the required key it was meant
    to be is then not also reported missing."""
    problems, meant = [], []
    for error in errors:
        problem = _schema_problem(error, where)
        if problem.code == "unknown_key":
            problem, intended = _unknown_key(problem, _error_key(error), model)
            meant.extend([format_key(intended)] if intended else [])
        problems.append(problem)
    return [
        p
        for p in problems
        if not (p.code == "missing_key" and any(under_key(p.key, k) for k in meant))
    ]


def _unknown_key(
    problem: Problem, key: tuple[str | int, ...], model: type
) -> tuple[Problem, tuple[str | int, ...] | None]:
    """The problem for an unknown key, with what it was probably meant to be."""
    *parent, name = key
    if not isinstance(name, str):
        return problem, None
    tables = schema_tables(model)
    here = tuple(p for p in parent if isinstance(p, str))
    elsewhere = [path for path, (keys, _) in tables.items() if path != here and name in keys]
    if len(elsewhere) == 1 and here in tables:
        there = elsewhere[0]
        params = {"name": name}
        for side, path in (("here", here), ("there", there)):
            params[f"{side}_zh"], params[f"{side}_en"] = _table_words(path, tables[path][1])
        return dataclasses.replace(problem, code="key_elsewhere", params=params), (*there, name)
    known = tables.get(here, ((), False))[0]
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.75)
    if not close:
        return problem, None
    params = {"name": name, "suggestion": close[0]}
    return dataclasses.replace(problem, code="unknown_key_close", params=params), (
        *parent,
        close[0],
    )


def _table_words(path: tuple[str, ...], is_array: bool) -> tuple[str, str]:
    if not path:
        return "顶层（第一个 [表] 之前）", "the top level (above the first [table])"
    header = f"[[{'.'.join(path)}]]" if is_array else f"[{'.'.join(path)}]"
    return f"“{header}”", header


@functools.cache
def schema_tables(model: type) -> dict[tuple[str, ...], tuple[tuple[str, ...], bool]]:
    """Every table a file of this model may hold, by its header path: the keys it takes, and
    whether it is an array of tables ([[step]])."""
    tables: dict[tuple[str, ...], tuple[tuple[str, ...], bool]] = {}

    def walk(cls: type, path: tuple[str, ...], is_array: bool) -> None:
        fields = getattr(cls, "__pydantic_fields__", {})
        names = {name: info.alias or name for name, info in fields.items()}
        if not path:
            names = {n: k for n, k in names.items() if n not in LOADER_FIELDS}
        tables[path] = (tuple(names.values()), is_array)
        for name, key in names.items():
            annotation = fields[name].annotation
            child = _table_type(annotation)
            if child is not None:
                walk(child, (*path, key), _is_array(annotation))

    walk(model, (), False)
    return tables


def _table_type(annotation: object) -> type | None:
    """The model class a field holds (itself, optional, or in a tuple), or None."""
    if isinstance(annotation, type) and hasattr(annotation, "__pydantic_fields__"):
        return annotation
    for argument in typing.get_args(annotation):
        found = _table_type(argument)
        if found is not None:
            return found
    return None


def _is_array(annotation: object) -> bool:
    if typing.get_origin(annotation) in (tuple, list):
        return True
    return any(_is_array(a) for a in typing.get_args(annotation) if a is not type(None))


def _is_key(part: object) -> bool:
    """Pydantic puts validator tags such as 'function-before[...]' in locations: not keys."""
    return isinstance(part, str) and not re.search(r"[\[\(]", part)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class DeckToml:
    """deck.toml as read: the validated file when valid, and the ids it declares in any case."""

    where: Located
    raw: dict[str, Any] | None
    deck: DeckFile | None

    def ids(self, table: str) -> set[str] | None:
        """The ids of [[fact]] or [[evidence]] as written, or None if the file did not parse."""
        if self.raw is None:
            return None
        entries = self.raw.get(table, [])
        entries = entries if isinstance(entries, list) else []
        return {e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)}


def read_deck_file(root: Path, problems: list[Problem]) -> DeckToml:
    where = Located("deck.toml")
    text = read_text(root, "deck.toml", problems)
    if text is None:
        return DeckToml(where, None, None)
    data, where = parse_toml(text, where, problems)
    if data is None:
        return DeckToml(where, None, None)
    return DeckToml(where, data, validate(DeckFile, data, where, problems))


def split_item(text: str) -> tuple[str, int, str, str] | str:
    """(front matter, its first line number, body, notes), or the code of what is wrong."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FRONT_MATTER_FENCE:
        return "front_matter_open"
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == FRONT_MATTER_FENCE)
    except StopIteration:
        return "front_matter_unclosed"
    front = "\n".join(lines[1:end])
    rest = lines[end + 1 :]
    fence = next((i for i, line in enumerate(rest) if line.rstrip() == NOTES_FENCE), None)
    body = rest if fence is None else rest[:fence]
    notes = [] if fence is None else rest[fence + 1 :]
    return front, 2, "\n".join(body).strip("\n"), "\n".join(notes).strip("\n")


def read_item(root: Path, relative: str, problems: list[Problem]) -> ItemFile:
    where = Located(relative)
    text = read_text(root, relative, problems)
    if text is None:
        return ItemFile(where, None, None)
    split = split_item(text)
    if isinstance(split, str):
        problems.append(Problem("error", relative, split, line=1))
        return ItemFile(where, None, None)
    front, first_line, body, notes = split
    data, where = parse_toml(front, Located(relative, offset=first_line - 1), problems)
    if data is None:
        return ItemFile(where, None, None)
    reserved = LOADER_FIELDS & data.keys()
    problems.extend(where.error("unknown_key", key) for key in sorted(reserved))
    if reserved:
        return ItemFile(where, data, None)
    exhibit = validate(
        Exhibit, {**data, "path": relative, "body": body, "notes": notes}, where, problems
    )
    return ItemFile(where, data, exhibit)


def item_paths(root: Path) -> list[str]:
    """items/*.md relative to the deck folder, by file name (not hidden or lock files)."""
    folder = root / "items"
    if not folder.is_dir():
        return []
    return sorted(
        f"items/{p.name}"
        for p in folder.iterdir()
        if p.suffix == ".md" and not _not_an_item(p.name) and p.is_file()
    )


_NOT_ITEMS = ("thumbs.db", "desktop.ini")
"""Files Windows leaves in any folder."""


def _not_an_item(name: str) -> bool:
    """Hidden files, editors' lock and backup files (`.e12.md.swp`, `~$e12.md`, `e12.md~`)
    and what Windows leaves in a folder: never items, whatever their names end in."""
    return name.startswith((".", "~")) or name.endswith("~") or name.lower() in _NOT_ITEMS


def misnamed_items(root: Path) -> list[Problem]:
    """Files in items/ that look meant as items but are not read, for their names: an item
    is a file whose name ends in `.md`, lowercase. Hidden, lock and backup files and folders
    are not items and not reported."""
    folder = root / "items"
    if not folder.is_dir():
        return []
    problems = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.endswith(".md") or _not_an_item(name) or not path.is_file():
            continue
        relative = f"items/{name}"
        problems.append(
            Problem(
                "error",
                relative,
                "item_misnamed",
                params={"path": relative, "fixed": _md_name(name)},
            )
        )
    return problems


def _md_name(name: str) -> str:
    """What a misnamed item would be called: `E12.MD`, `e12.txt`, `e12.md.txt` -> `e12.md`."""
    if name.lower().endswith(".md"):
        return name[:-3] + ".md"
    base = name.rsplit(".", 1)[0] if "." in name else name
    return base[:-3] + ".md" if base.lower().endswith(".md") else base + ".md"
