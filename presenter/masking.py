"""Personal numbers masked for the public gallery's screen.

Mainland resident ID numbers, mobile numbers and bank card numbers in evidence are shown
whole to the judges, the defence and the presenter, but masked on a public screen (keeping
the first and last few digits). The masking is done on the server, so the full number never
reaches a public screen. Numbers are found in the text as a screen shows it: any script's
digits count, invisible characters and HTML tags do not split a number, and spaces, dashes,
dots, slashes or underscores may stand between its groups. A longer run of digits (an order
number, a timestamp) is not such a number, and a check value (an MD5, SHA-1, SHA-256/SM3 or
SHA-512 in hex) is shown exactly as computed.
"""

from __future__ import annotations

import re
import unicodedata

_SEP = r"~{0,3}"
"""Between digits: at most three separators (in the view, every separator reads as `~`)."""
_ALONE_BEFORE = r"(?<![0-9])"
_ALONE_AFTER = r"(?![0-9])"
"""A number stands alone when no digit touches it: `Tel13800000001` and `ID110101…` are
numbers on a screen, while a longer run of digits is not."""

RESIDENT_ID = re.compile(
    _ALONE_BEFORE
    + rf"([1-8]\d{{5}}){_SEP}((?:18|19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])){_SEP}"
    + r"(\d{3}[0-9Xx])(?![0-9Xx])"
)
MOBILE = re.compile(
    _ALONE_BEFORE
    + rf"((?:(?:\+|00)86{_SEP})?1[3-9]\d){_SEP}(\d{{4}}){_SEP}(\d{{4}})"
    + _ALONE_AFTER
)
CARD = re.compile(_ALONE_BEFORE + rf"(\d{{4}}(?:{_SEP}\d){{12,15}})" + _ALONE_AFTER)
DIGEST = re.compile(
    r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{128}|[0-9A-Fa-f]{64}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{32})"
    r"(?![0-9A-Fa-f])"
)
"""A check value: exactly as long as an MD5, SHA-1, SHA-256 (SM3) or SHA-512 in hex."""
SEPARATORS = frozenset(" ._/\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\uff0e\uff0f\u30fb")
TAG = re.compile(r"<[^>]*>|&#?[A-Za-z0-9]+;")
"""In HTML, a tag is not text (its attribute values are masked on their own), and an entity
is one character (never a digit)."""
_ATTRIBUTE = re.compile(r"""(=\s*)("[^"]*"|'[^']*'|[^\s>]+)""")


def _view_of(char: str) -> str:
    """How a screen reads one character: a digit of any script as its ASCII digit, a
    separator as `~`, an invisible character as nothing, anything else as itself."""
    if char.isascii():
        return "~" if char in SEPARATORS or char.isspace() else char
    if char.isspace() or char in SEPARATORS:
        return "~"
    digit = unicodedata.digit(char, None)
    if digit is not None:
        return str(digit)
    if unicodedata.category(char) in ("Cf", "Mn", "Me", "Cc"):
        return ""  # zero-width, direction marks, soft hyphen, variation selectors...
    return char


def _hidden(view: str) -> set[int]:
    """The positions of `view` to hide: the middle of every resident ID, mobile and card
    number, except inside a check value."""
    chars = list(view)
    kept = {i for m in DIGEST.finditer(view) for i in range(m.start(), m.end())}
    hidden: set[int] = set()
    for pattern, spans in ((RESIDENT_ID, _id_spans), (MOBILE, _mobile_spans), (CARD, _card_spans)):
        for match in pattern.finditer("".join(chars)):
            chosen = {i for i in spans(match) if i not in kept}
            hidden |= chosen
            for i in chosen:
                chars[i] = "*"  # a later pattern sees the masked number, as a reader would
    return hidden


def _id_spans(match: re.Match[str]) -> list[int]:
    digits = [i for i in range(match.start(2), match.end(3)) if match.string[i] != "~"]
    return digits[:-4]


def _mobile_spans(match: re.Match[str]) -> range:
    return range(match.start(2), match.end(2))


def _card_spans(match: re.Match[str]) -> list[int]:
    digits = [i for i in range(match.start(1), match.end(1)) if match.string[i].isdigit()]
    return digits[6:-4] if 16 <= len(digits) <= 19 else []


def _masked(text: str) -> str:
    """`text` with the hidden digits starred, numbers found as a screen reads the text:
    tags left out (their attribute values masked on their own), entities one character."""
    pieces: list[str] = []
    view: list[str] = []
    owner: list[int] = []
    position = 0
    for match in TAG.finditer(text):
        _read(text[position : match.start()], pieces, view, owner)
        token = match.group()
        if token.startswith("&"):
            pieces.append(token)
            view.append("~" if token in ("&nbsp;", "&#160;") else "\ufffc")
            owner.append(len(pieces) - 1)
        else:
            pieces.append(_ATTRIBUTE.sub(lambda m: m[1] + _masked(m[2]), token))
        position = match.end()
    _read(text[position:], pieces, view, owner)
    hidden = {owner[i] for i in _hidden("".join(view))}
    return "".join("*" if i in hidden else piece for i, piece in enumerate(pieces))


def _read(text: str, pieces: list[str], view: list[str], owner: list[int]) -> None:
    for char in text:
        pieces.append(char)
        seen = _view_of(char)
        if seen:
            view.append(seen)
            owner.append(len(pieces) - 1)


class AppUrl(str):
    """A URL of the app's own (what `url_for` gives): an address, not evidence text, so it
    is never masked. Marked by its type, never guessed from its text."""

    __slots__ = ()

    def __add__(self, other: str) -> AppUrl:
        return AppUrl(str.__add__(self, other))


def mask_text(text: str) -> str:
    """The text with resident IDs, mobile and bank card numbers masked (an AppUrl as it is;
    HTML read as a screen shows it, the same rule for plain text and Markup alike: a tag
    written in plain text is over-masked at worst, never under)."""
    if isinstance(text, AppUrl) or not any(c.isdigit() for c in text):
        return text
    masked = _masked(text)
    return type(text)(masked) if type(text) is not str else masked


def mask_cells(rows: list[list[str]]) -> list[list[str]]:
    return [[mask_text(cell) for cell in row] for row in rows]


def mask_value(value: object) -> object:
    """Every string inside lists and dicts masked, keys too (a chart's labels, texts, hovers,
    and the names it keys its positions by)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list | tuple):
        return [mask_value(v) for v in value]
    if isinstance(value, dict):
        return {mask_value(k): mask_value(v) for k, v in value.items()}
    return value
