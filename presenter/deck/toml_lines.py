"""TOML with line numbers: tomllib parses, this finds the line each key was written on.

tomllib keeps no positions, so a light scan of the text maps every table header and key to
its line. It only has to be right for valid TOML (tomllib has accepted the text first).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

KeyPath = tuple[str | int, ...]

_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')'
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=\s*(.*)$")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_BARE_OR_QUOTED})\s*=")
_TOML_ERROR_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def _split_dotted(text: str) -> tuple[str, ...]:
    parts = re.findall(_BARE_OR_QUOTED, text)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


@dataclass(frozen=True)
class TomlSyntaxError:
    line: int | None
    detail: str


MAX_DEPTH = 32
"""Arrays and tables nested deeper than this are refused: no deck needs more than a few
levels, and a hostile file nested thousands deep would exhaust the parser's recursion."""


def _depth(value: object) -> int:
    """How deeply arrays and tables nest in a parsed document (iteratively: no recursion)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            children = item.values() if isinstance(item, dict) else item
            if isinstance(item, dict | list):
                stack.extend((child, depth + 1) for child in children)
    return deepest


def _deepest_line(text: str) -> int | None:
    """The line that opens the most arrays and tables: where to look for the nesting."""
    counts = [line.count("[") + line.count("{") for line in text.splitlines()]
    return counts.index(max(counts)) + 1 if counts else None


def parse(text: str) -> tuple[dict[str, Any] | None, TomlSyntaxError | None]:
    """The TOML document, or where and why it is not valid TOML."""
    too_deep = TomlSyntaxError(
        _deepest_line(text), f"arrays or tables nested more than {MAX_DEPTH} levels deep"
    )
    try:
        data = tomllib.loads(text)
    except RecursionError:
        return None, too_deep
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_ERROR_AT.search(message)
        line = int(match[1]) if match and match[1] else None
        detail = message[: match.start()] if match else message
        if match and match[2]:
            detail = f"{detail} (column {match[2]})"
        return None, TomlSyntaxError(line, detail)
    if _depth(data) > MAX_DEPTH:
        return None, too_deep
    return data, None


def key_lines(text: str) -> dict[KeyPath, int]:
    """The 1-based line of every table header and key: ("source", "hash", 1, "value") -> 14."""
    lines: dict[KeyPath, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: KeyPath = ()
    closing: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if closing is not None:
            if raw.count(closing) % 2 == 1:
                closing = None
            continue
        line = raw.split("#", 1)[0] if '"' not in raw and "'" not in raw else raw
        if match := _ARRAY_HEADER.match(line):
            path = _split_dotted(match[1])
            index = counts.get(path, 0)
            counts[path] = index + 1
            table = (*_resolve(path, counts), index)
            lines.setdefault(table[:-1], number)
            lines[table] = number
        elif match := _TABLE_HEADER.match(line):
            table = _resolve(_split_dotted(match[1]), counts)
            lines[table] = number
        elif match := _KEY.match(line):
            key = (*table, *_split_dotted(match[1]))
            lines[key] = number
            value = match[2]
            if value.lstrip().startswith("{"):
                for inner in _INLINE_KEY.finditer(value):
                    lines[(*key, *_split_dotted(inner[1]))] = number
            for quote in ('"""', "'''"):
                if value.count(quote) % 2 == 1:
                    closing = quote
    return lines


def _resolve(path: tuple[str, ...], counts: dict[tuple[str, ...], int]) -> KeyPath:
    """A header path with the index of every enclosing array of tables: [source] stays."""
    resolved: list[str | int] = []
    for depth in range(1, len(path) + 1):
        resolved.append(path[depth - 1])
        prefix = path[:depth]
        if prefix in counts and depth < len(path):
            resolved.append(counts[prefix] - 1)
    return tuple(resolved)


def line_of(lines: dict[KeyPath, int], key: KeyPath) -> int | None:
    """The line of `key`, or of its closest enclosing key that was written down."""
    for end in range(len(key), 0, -1):
        if key[:end] in lines:
            return lines[key[:end]]
    return None
