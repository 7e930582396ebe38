"""Code exhibits: Pygments tokens turned into one escaped HTML line each, so steps can mark
line ranges; the text is never executed and never taken as HTML. A screen gets at most
bounds.LINES lines of at most bounds.LINE characters each, read from at most bounds.SOURCE
bytes of the file; what is left out is said on the line, and under the code."""

from __future__ import annotations

import codecs
import io
import os
from dataclasses import dataclass

from markupsafe import Markup, escape
from pygments import lex
from pygments.lexers import TextLexer, get_lexer_by_name, get_lexer_for_filename
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from .. import i18n
from ..bounds import LINE, LINES, SOURCE, cut_at
from ..deck import Deck, Exhibit
from .files import FileUrl


def _lexer(filename: str, language: str | None):
    # stripnl=False: a lexer would otherwise drop the file's leading blank lines, and every
    # line number after them would be wrong
    try:
        if language:
            return get_lexer_by_name(language, stripnl=False)
        return get_lexer_for_filename(filename, stripnl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False)


def _css_class(token) -> str:
    while token not in STANDARD_TYPES:
        token = token.parent
    return STANDARD_TYPES[token]


def highlighted_lines(text: str, filename: str, language: str | None = None) -> list[Markup]:
    """One Markup per source line, tokens wrapped in Pygments' short CSS classes."""
    lines: list[list[str]] = [[]]
    for token, value in lex(text, _lexer(filename, language)):
        css = _css_class(token)
        for i, part in enumerate(value.split("\n")):
            if i:
                lines.append([])
            if part:
                piece = escape(part)
                lines[-1].append(f'<span class="{css}">{piece}</span>' if css else str(piece))
    if lines and not lines[-1] and text.endswith("\n"):
        lines.pop()
    return [Markup("".join(parts)) for parts in lines]


@dataclass(frozen=True)
class Source:
    """What a screen is shown of a source file: its first lines, each at most LINE characters.
    `cut` holds, for each cut line (0-based), its whole length, or None when the read ended
    inside it; `total` is the file's line count when the whole file was read."""

    lines: list[str]
    cut: dict[int, int | None]
    total: int | None
    size: int


def read_source(path: os.PathLike) -> Source:
    """The start of a text file, never more than SOURCE bytes of it (UTF-8, bad bytes shown
    as U+FFFD), split as Python's text mode splits lines (\\n, \\r\\n or \\r)."""
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        data = stream.read(SOURCE)
    whole = len(data) >= size
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    text = decoder.decode(data, final=whole)  # a character cut at the end waits, unshown
    lines = [line.removesuffix("\n") for line in io.StringIO(text, newline=None)]
    open_end = not whole and bool(text) and not text.endswith(("\n", "\r"))
    total = len(lines) if whole else None
    shown, cut = [], {}
    for n, line in enumerate(lines[:LINES]):
        last = n == len(lines) - 1
        if len(line) > LINE:
            cut[n] = None if last and open_end else len(line)
            line = line[: cut_at(line, LINE)]
        elif last and open_end:
            cut[n] = None
        shown.append(line)
    return Source(shown, cut, total, size)


@dataclass(frozen=True)
class Line:
    """A line as the template prints it: its highlighted HTML, and the note a cut line ends in."""

    html: Markup
    note: str


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    from .several import chosen

    t = i18n.translator(i18n.language(deck.case.language))
    files = chosen(exhibit)  # of a code folder: the file asked for
    name = files.name or exhibit.files[0]
    source = read_source(deck.display(exhibit, name))
    text = "".join(f"{line}\n" for line in source.lines)
    html = highlighted_lines(text, name, exhibit.language) if text else []
    lines = []
    for n, markup in enumerate(html[: len(source.lines)]):
        if n not in source.cut:
            note = ""
        elif source.cut[n] is None:
            note = t("cut.line_open")
        else:
            note = t("cut.line").format(total=f"{source.cut[n]:,}")
        lines.append(Line(markup, note))
    if source.total is None:
        note = t("cut.file").format(size=f"{source.size:,}", shown=f"{len(lines):,}")
    elif source.total > len(lines):
        note = t("cut.lines").format(shown=f"{len(lines):,}", total=f"{source.total:,}")
    else:
        note = ""
    return {"lines": lines, "note": note, "files": files}
