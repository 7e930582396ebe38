"""Personal numbers in a line of recognised text: where they stand in it, and how they are
shown masked. The same numbers as the text masking of public screens (presenter.masking):
mainland resident IDs, mobile numbers and bank card numbers, read as a screen reads text
(digits of any script, separators between groups)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..masking import _SEP, CARD, MOBILE, RESIDENT_ID, _view_of

KINDS = ("id_card", "mobile", "bank_card")
"""Resident ID (身份证号), mobile number (手机号), bank card number (银行卡号)."""

CHECKED_ID = re.compile(rf"(?<![0-9])(\d(?:{_SEP}\d){{16}}{_SEP}[0-9Xx])(?![0-9Xx])")
"""Eighteen characters that are an ID by their check digit alone (a foreigner's permanent
residence card begins with 9, which the resident ID's pattern does not take)."""
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_DIGITS = "10X98765432"
"""GB 11643: the check digit is CHECK_DIGITS[sum(digit * weight) mod 11]."""
KEPT = {"id_card": (6, 4), "mobile": (3, 4), "bank_card": (6, 4)}
"""Digits shown at the start and the end of a masked number, as the text masking shows them."""
CONFUSED = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1"})
"""Letters a recogniser reads for digits in print: read as digits when digits stand on both
sides (a misread must not let a number through)."""


@dataclass(frozen=True)
class Found:
    """A number in a line of text: its kind, the characters it spans, and its digits."""

    kind: str
    start: int
    end: int
    digits: str

    @property
    def masked(self) -> str:
        """The number with its middle starred (138****0001): never the whole number."""
        head, tail = KEPT[self.kind]
        hidden = len(self.digits) - head - tail
        return self.digits[:head] + "*" * max(hidden, 1) + self.digits[len(self.digits) - tail :]


def id_check_ok(digits: str) -> bool:
    """Whether an 18-character ID's last character is the check digit of the others."""
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], WEIGHTS, strict=True))
    return CHECK_DIGITS[total % 11] == digits[17].upper()


def find_numbers(text: str) -> list[Found]:
    """The resident ID, mobile and card numbers in `text`, each once (an ID is not also a
    card number): IDs first, then mobile numbers, then card numbers, as the text masking
    reads them."""
    view, owner = _read(text)
    chars = list(view)
    found: list[Found] = []
    for kind, pattern in (
        ("id_card", RESIDENT_ID),
        ("id_card", CHECKED_ID),
        ("mobile", MOBILE),
        ("bank_card", CARD),
    ):
        found += _take(kind, pattern, chars, owner)
    return sorted(found, key=lambda f: f.start)


def _take(kind: str, pattern: re.Pattern[str], chars: list[str], owner: list[int]) -> list[Found]:
    """The matches of `pattern` in what is not yet taken; each is starred out of `chars`."""
    taken = []
    for match in pattern.finditer("".join(chars)):
        digits = "".join(c for c in match.group() if c.isdigit() or c in "Xx").upper()
        if kind == "bank_card" and not 16 <= len(digits) <= 19:
            continue
        if pattern is CHECKED_ID and not id_check_ok(digits):
            continue
        if kind == "mobile" and len(digits) > 11:
            digits = digits[-11:]  # +86: the country code is not part of the number
        start, end = owner[match.start()], owner[match.end() - 1] + 1
        taken.append(Found(kind, start, end, digits))
        for i in range(match.start(), match.end()):
            chars[i] = "*"
    return taken


def _read(text: str) -> tuple[str, list[int]]:
    """`text` as a screen reads it (masking's view), with misread letters between digits
    taken as digits; and for each character of the view, its position in `text`."""
    view: list[str] = []
    owner: list[int] = []
    for i, char in enumerate(text):
        seen = _view_of(char)
        if seen:
            view.append(seen)
            owner.append(i)
    for i in range(1, len(view) - 1):
        if view[i] in "OoDIl|" and view[i - 1].isdigit() and view[i + 1].isdigit():
            view[i] = view[i].translate(CONFUSED)
    return "".join(view), owner
