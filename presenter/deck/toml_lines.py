"""TOML with line numbers: tomllib parses, this finds the line each key was written on.

tomllib keeps no positions, so a light scan of the text maps every table header and key to
its line. It only has to be right for valid TOML (tomllib has accepted the text first).
When tomllib refuses the text, the same scan of the lines above the error names the key on
the error's line, and that line is read for the usual slips of a first-time writer.
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


Hint = tuple[str, dict[str, str]]
"""A likely cause of a syntax error seen on its line: a code (presenter.i18n.problems
TOML_HINTS) and what its message names."""


@dataclass(frozen=True)
class TomlSyntaxError:
    """Where and why text is not TOML: the parser's own words (`detail`), the key written on
    that line, and the usual causes to be seen there (full-width quotes, a date as 2024/2/3…)."""

    line: int | None
    detail: str
    column: int | None = None
    key: KeyPath = ()
    hints: tuple[Hint, ...] = ()


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
        return None, _syntax_error(text, str(error))
    if _depth(data) > MAX_DEPTH:
        return None, too_deep
    return data, None


def key_lines(text: str) -> dict[KeyPath, int]:
    """The 1-based line of every table header and key: ("source", "hash", 1, "value") -> 14."""
    return _scan(text.splitlines())[0]


def _scan(
    text_lines: list[str],
) -> tuple[dict[KeyPath, int], KeyPath, dict[tuple[str, ...], int]]:
    """The lines of keys and headers, and the table and array counts after the last line."""
    lines: dict[KeyPath, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: KeyPath = ()
    closing: str | None = None
    for number, raw in enumerate(text_lines, start=1):
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
    return lines, table, counts


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


# --- syntax errors, as a person who writes TOML for the first time makes them ----------------

_LOOSE_KEY = re.compile(rf"^\s*({_DOTTED})\s*(?:=|＝|:|：|\s)")
_LOOSE_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})")
_UNCLOSED = ("Unclosed array", "Unclosed inline table")
_UNTERMINATED = ("Illegal character '\\n'", "Unterminated string", "Expected '\"", 'Expected "')

_FULL_WIDTH: dict[str, tuple[str, str]] = {
    "“": ("curly_quotes", '"'),
    "”": ("curly_quotes", '"'),
    "‘": ("curly_quotes", "'"),
    "’": ("curly_quotes", "'"),
    "，": ("fullwidth_comma", ","),
    "＝": ("fullwidth_equals", "="),
    "【": ("fullwidth_brackets", "["),
    "】": ("fullwidth_brackets", "]"),
    "［": ("fullwidth_brackets", "["),
    "］": ("fullwidth_brackets", "]"),
    "｛": ("fullwidth_brackets", "{"),
    "｝": ("fullwidth_brackets", "}"),
    "\u00a0": ("odd_space", " "),
    "\u3000": ("odd_space", " "),
    "\u2002": ("odd_space", " "),
    "\u2003": ("odd_space", " "),
    "\u2009": ("odd_space", " "),
    "\u200b": ("odd_space", ""),
    "\ufeff": ("odd_space", ""),
}
"""Characters a Chinese keyboard or a word processor puts where TOML needs ASCII: the hint
they call for, and what to write instead."""

_COLON_AFTER_KEY = re.compile(rf"^(\s*{_DOTTED})\s*[:：]\s*")
_DATE = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.年])(?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"(?:(?P<t>[T ])(?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2}(?:\.\d+)?))?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?"
)
_VALUE_START = re.compile(r"""^(?:["'\[{]|[+-]?\d|[+-]?(?:inf|nan)\b|true\b|false\b)""")


def _syntax_error(text: str, message: str) -> TomlSyntaxError:
    match = _TOML_ERROR_AT.search(message)
    detail = message[: match.start()] if match else message
    lines = text.split("\n")
    if match and match[1]:
        line, column = int(match[1]), int(match[2])
        end = sum(len(t) + 1 for t in lines[: line - 1]) + column - 1
    else:  # at end of document: the string or bracket left open is the cause
        line, column, end = None, None, len(text)
    string_line, open_lines = _open_at(text, end)
    if line is None:
        written = [n for n, t in enumerate(lines, start=1) if t.strip()]
        line = string_line or (open_lines[-1] if open_lines else None)
        line = line or (written[-1] if written else None)
    elif detail.startswith(_UNCLOSED) and column == 1 and open_lines:
        line, column = open_lines[-1], None  # the parser only noticed on the next line
    if line is None:
        return TomlSyntaxError(None, detail)
    key_line = open_lines[0] if open_lines and open_lines[0] < line else line
    key = _key_on_line(lines, key_line)
    at = lines[line - 1] if line <= len(lines) else ""
    hints = _hints(detail, at, lines[key_line - 1] if key_line <= len(lines) else "", key)
    codes = {code for code, _ in hints}
    if "no_such_date" in codes:  # the parser read a number, then stumbled on "-13-05"
        detail = "Invalid date or datetime"
    elif codes & {"bad_date", "time_needs_seconds"}:
        detail = "Malformed date"
    return TomlSyntaxError(line, detail, column, key, tuple(hints))


def _open_at(text: str, end: int) -> tuple[int | None, list[int]]:
    """At `end`, the line of a string still open (or None) and those of the brackets of
    values still open, outermost first. Table headers and comments are skipped."""
    quote: str | None = None
    string_line: int | None = None
    brackets: list[int] = []
    line, line_start, i = 1, 0, 0
    while i < end:
        char = text[i]
        if char == "\n":
            line, line_start = line + 1, i + 1
            if quote is not None and len(quote) == 1:
                quote = None  # a one-line string: the parser stops there already
        if quote is not None:
            if text.startswith(quote, i):
                i, quote = i + len(quote), None
                continue
            i += 2 if char == "\\" and quote[0] == '"' and text[i + 1 : i + 2] != "\n" else 1
            continue
        if char == "#":
            newline = text.find("\n", i)
            i = end if newline < 0 else newline
            continue
        if char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            string_line, i = line, i + len(quote)
            continue
        if char == "[" and not brackets and not text[line_start:i].strip():
            newline = text.find("\n", i)  # a table header: one line, no value
            i = end if newline < 0 else newline
            continue
        if char in "[{":
            brackets.append(line)
        elif char in "]}" and brackets:
            brackets.pop()
        i += 1
    return (string_line if quote is not None else None), brackets


def _key_on_line(lines: list[str], number: int) -> KeyPath:
    """The key (or table header) written on a line, with the table it is in."""
    _, table, counts = _scan(lines[: number - 1])
    text = lines[number - 1] if number <= len(lines) else ""
    if match := _LOOSE_HEADER.match(text):
        path = _split_dotted(match[2])
        if match[1] == "[[":
            return (*_resolve(path, {**counts, path: counts.get(path, 0) + 1}), counts.get(path, 0))
        return _resolve(path, counts)
    if match := _LOOSE_KEY.match(text):
        return (*table, *_split_dotted(match[1]))
    return table


def _outside_strings(text: str) -> list[tuple[int, str]]:
    """The characters of a line that are not inside a string (ASCII or curly quoted), with
    their index: where a stray full-width character breaks the TOML, not where it is text."""
    closing = {'"': '"', "'": "'", "“": "”", "‘": "’"}
    outside, inside = [], None
    for i, char in enumerate(text):
        if inside is not None:
            if char == inside:
                inside = None
                outside.append((i, char))
            continue
        if char == "#":
            break
        outside.append((i, char))
        inside = closing.get(char)
    return outside


def _hints(detail: str, at: str, key_text: str, key: KeyPath) -> list[Hint]:
    """The usual causes of this error to be seen on its line, and the line as it should be
    written when that can be told."""
    hints: list[Hint] = []
    fixed = at
    seen: dict[str, int] = {}
    for index, char in _outside_strings(at):
        if char in _FULL_WIDTH:
            seen.setdefault(_FULL_WIDTH[char][0], index)
    if seen:
        for code, index in seen.items():
            hints.append((code, {"column": str(index + 1)}))
        fixed = "".join(_FULL_WIDTH.get(c, (None, c))[1] for c in at)
    if match := _COLON_AFTER_KEY.match(fixed):
        if not detail.startswith("Invalid value"):
            hints.append(("colon", {}))
            fixed = f"{match[1]} = {fixed[match.end() :]}"
    value = fixed.split("=", 1)[1].strip() if "=" in fixed and not seen else ""
    if value and (date := _DATE.match(value)):
        hints.extend(_date_hints(date))
        written = _date_written(date)
        fixed = fixed.replace(date[0], written, 1) if written else fixed
    elif value and detail.startswith("Invalid value") and not _VALUE_START.match(value):
        hints.append(("unquoted_string", {}))
        text = value.split("#", 1)[0].strip()
        if '"' not in text:
            fixed = fixed.split("=", 1)[0].rstrip() + f' = "{text}"'
    if detail.startswith(_UNTERMINATED):
        quote = "'" if "'''" in detail or detail == 'Expected "\'"' else '"'
        hints.append(("unclosed_string", {"quote": quote}))
        if at.count(quote) == 1:
            fixed = at.rstrip() + quote
    elif detail.startswith("Unclosed array") and "fullwidth_comma" not in seen:
        hints.append(("unclosed_array", {}))
        if at.count("[") == at.count("]") + 1 and at.rstrip().endswith(('"', "'")):
            fixed = at.rstrip() + "]"
    elif detail.startswith("Expected '=' after a key") and not hints:
        hints.append(("needs_equals", {}))
        if match := _LOOSE_KEY.match(at):
            fixed = f"{match[1]} = {at[match.end() :].strip()}"
    elif detail.startswith("Unclosed inline table") or (
        detail.startswith("Invalid initial character for a key part") and "{" in key_text
    ):
        hints.append(("unclosed_inline", {}))
    elif detail.startswith("Expected ']"):
        hints.append(("unclosed_header", {}))
        fixed = at.split("#", 1)[0].rstrip() + "]" * max(0, at.count("[") - at.count("]"))
    elif detail.startswith(("Unescaped '\\'", "Invalid hex value", "Escaped character")):
        hints.append(("backslash", {}))
        fixed = re.sub(r"\\+", "/", fixed)
    elif detail.startswith("Cannot declare"):
        hints.append(("duplicate_table", {}))
    elif detail.startswith("Cannot overwrite a value") and key:
        hints.append(("duplicate_key", {"name": str(key[-1])}))
    elif detail.startswith("Invalid statement") and re.match(r"\s*[^\x00-\x7f]", at):
        hints.append(("chinese_key", {}))
    elif detail.startswith("Expected newline") and not hints:
        hints.append(("one_statement", {}))
    if fixed.strip() != at.strip() and hints:
        hints.append(("write_as", {"fixed": _shorten(fixed.strip())}))
    return hints


def _date_hints(date: re.Match[str]) -> list[Hint]:
    written = _date_written(date)
    if written is None:
        return [("no_such_date", {"value": date[0]})]
    if written == date[0]:
        return []
    day_as_written = f"{date['y']}{date['sep']}{date['m']}-{date['d']}"
    if written.startswith(day_as_written) and date["t"] and date["S"] is None:
        return [("time_needs_seconds", {"fixed": written})]
    return [("bad_date", {"fixed": written})]


def _date_written(date: re.Match[str]) -> str | None:
    """The date (and time) as TOML writes it, or None when no such day or time exists."""
    import datetime as dt

    try:
        day = dt.date(int(date["y"]), int(date["m"]), int(date["d"]))
        clock = (
            dt.time(int(date["H"]), int(date["M"]), int(float(date["S"] or 0)))
            if date["t"]
            else None
        )
    except ValueError:
        return None
    if clock is None:
        return day.isoformat()
    seconds = date["S"] or "00"
    seconds = seconds if len(seconds.split(".")[0]) == 2 else "0" + seconds
    return f"{day.isoformat()}{date['t']}{clock:%H:%M}:{seconds}{date['tz'] or ''}"


def _shorten(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
