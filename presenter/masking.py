"""Personal numbers masked for the public gallery's screen.

Mainland resident ID numbers, mobile numbers and bank card numbers in evidence are shown
whole to the judges, the defence and the presenter, but masked on a screen named `public`
(keeping the first and last few digits). The masking is done on the server, so the full
number never reaches a public screen. A number must stand alone: digits inside a longer run
(an order number, a digest, a timestamp) are left as they are.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_ALONE_BEFORE = r"(?<![0-9])"
_ALONE_AFTER = r"(?![0-9])"
"""A number stands alone when no digit touches it: `Tel13800000001` and `ID110101…` are
numbers on a screen, while a longer run of digits (an order number, a timestamp) is not."""

RESIDENT_ID = re.compile(
    _ALONE_BEFORE
    + r"([1-8]\d{5})((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3}[0-9Xx])"
    + r"(?![0-9Xx])"
)
MOBILE = re.compile(
    _ALONE_BEFORE + r"((?:\+?86[ -]?)?1[3-9]\d)([ -]?)(\d{4})([ -]?)(\d{4})" + _ALONE_AFTER
)
CARD = re.compile(_ALONE_BEFORE + r"(\d{4}(?:[ -]?\d){12,15})" + _ALONE_AFTER)
DIGEST = re.compile(r"[0-9A-Fa-f]{32,}")
"""A check value (MD5 and longer): shown exactly as computed, whatever digits it holds."""
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
"""Characters a screen does not show: a number split by them still reads as one."""
FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
TAG = re.compile(r"<[^>]*>|&#?[A-Za-z0-9]+;")
"""In HTML, a tag is not text, and an entity is one character (never a digit)."""


def _hidden(view: str) -> set[int]:
    """The positions of `view` (text as a screen reads it) to hide: the middle of every
    resident ID, mobile and card number, except inside a check value."""
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


def _id_spans(match: re.Match[str]) -> range:
    return range(match.start(2), match.end(3) - 4)


def _mobile_spans(match: re.Match[str]) -> range:
    return range(match.start(3), match.end(3))


def _card_spans(match: re.Match[str]) -> list[int]:
    digits = [i for i in range(match.start(1), match.end(1)) if match.string[i].isdigit()]
    return digits[6:-4] if 16 <= len(digits) <= 19 else []


def _masked(text: str, html: bool) -> str:
    """`text` with the hidden digits starred. The numbers are found in the text as a screen
    reads it (tags and invisible characters left out, full-width digits read as digits), so
    `138<b>1234</b>0000` or `138\u200b12340000` are found too."""
    pieces: list[str] = []
    view: list[str] = []
    owner: list[int] = []
    position = 0
    for match in TAG.finditer(text) if html else ():
        _read(text[position : match.start()], pieces, view, owner)
        pieces.append(match.group())
        if match.group().startswith("&"):  # one character, never a digit
            view.append("\ufffc")
            owner.append(len(pieces) - 1)
        position = match.end()
    _read(text[position:], pieces, view, owner)
    hidden = {owner[i] for i in _hidden("".join(view))}
    return "".join("*" if i in hidden else piece for i, piece in enumerate(pieces))


def _read(text: str, pieces: list[str], view: list[str], owner: list[int]) -> None:
    for char in text:
        pieces.append(char)
        if char not in INVISIBLE:
            view.append(FULL_WIDTH.get(char, char))
            owner.append(len(pieces) - 1)


class AppUrl(str):
    """A URL of the app's own (what `url_for` gives): an address, not evidence text, so it
    is never masked (a file named by a phone number must still load on a public screen).
    Marked by its type, never guessed from its text."""

    __slots__ = ()

    def __add__(self, other: str) -> AppUrl:
        return AppUrl(str.__add__(self, other))


def mask_text(text: str) -> str:
    """The text with resident IDs, mobile and bank card numbers masked (an AppUrl as it is;
    HTML (Markup) read as a screen shows it, its tags untouched)."""
    if isinstance(text, AppUrl) or not any(c.isdigit() for c in text):
        return text
    return _masked(text, html=isinstance(text, Markup))


def mask_cells(rows: list[list[str]]) -> list[list[str]]:
    return [[mask_text(cell) for cell in row] for row in rows]


def mask_value(value: object) -> object:
    """Every string inside lists and dicts masked (a chart's labels, texts and hovers)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list | tuple):
        return [mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    return value
