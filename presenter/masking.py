"""Personal numbers masked for the public gallery's screen.

Mainland resident ID numbers, mobile numbers and bank card numbers in evidence are shown
whole to the judges, the defence and the presenter, but masked on a screen named `public`
(keeping the first and last few digits). The masking is done on the server, so the full
number never reaches a public screen. A number must stand alone: digits inside a longer run
(an order number, a digest, a timestamp) are left as they are.
"""

from __future__ import annotations

import re

_ALONE_BEFORE = r"(?<![0-9A-Za-z])"
_ALONE_AFTER = r"(?![0-9A-Za-z])"

RESIDENT_ID = re.compile(
    _ALONE_BEFORE
    + r"([1-8]\d{5})((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3}[0-9Xx])"
    + _ALONE_AFTER
)
MOBILE = re.compile(
    _ALONE_BEFORE + r"((?:\+?86[ -]?)?1[3-9]\d)([ -]?)(\d{4})([ -]?)(\d{4})" + _ALONE_AFTER
)
CARD = re.compile(_ALONE_BEFORE + r"(\d{4}(?:[ -]?\d){12,15})" + _ALONE_AFTER)


def _mask_id(match: re.Match[str]) -> str:
    region, born, tail = match.groups()
    return region + "*" * (len(born) + len(tail) - 4) + (born + tail)[-4:]


def _mask_mobile(match: re.Match[str]) -> str:
    head, gap1, middle, gap2, tail = match.groups()
    return f"{head}{gap1}{'*' * len(middle)}{gap2}{tail}"


def _mask_card(match: re.Match[str]) -> str:
    text = match.group(1)
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if not 16 <= len(digits) <= 19:
        return text
    hidden = set(digits[6:-4])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def mask_text(text: str) -> str:
    """The text with resident IDs, mobile and bank card numbers masked."""
    if not any(c.isdigit() for c in text):
        return text
    text = RESIDENT_ID.sub(_mask_id, text)
    text = MOBILE.sub(_mask_mobile, text)
    return CARD.sub(_mask_card, text)


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
