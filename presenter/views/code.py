"""Code exhibits: Pygments tokens turned into one escaped HTML line each, so steps can mark
line ranges; the text is never executed and never taken as HTML."""

from __future__ import annotations

from itertools import islice

from markupsafe import Markup, escape
from pygments import lex
from pygments.lexers import TextLexer, get_lexer_by_name, get_lexer_for_filename
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from ..deck import Deck, Exhibit
from .files import FileUrl

LINES = 5000
"""Lines shown of a source file: the evidence is the file, the screen shows its start."""


def _lexer(filename: str, language: str | None):
    try:
        if language:
            return get_lexer_by_name(language)
        return get_lexer_for_filename(filename)
    except ClassNotFound:
        return TextLexer()


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


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    with open(deck.root / exhibit.files[0], encoding="utf-8", errors="replace") as stream:
        text = "".join(islice(stream, LINES))
    return {"lines": highlighted_lines(text, exhibit.files[0], exhibit.language)}
