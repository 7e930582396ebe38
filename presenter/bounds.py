"""What a screen is sent of an evidence file at most, whatever the file holds: the evidence is
the file, a screen shows a readable part of it and says what it left out. `check` warns with
the same bounds, so a warning names exactly what the screens will shorten."""

from __future__ import annotations

CELL = 2_000
"""Characters of a table cell or a chat message sent to a screen."""
LINE = 500
"""Characters of a line of code sent to a screen."""
LINES = 5_000
"""Lines of a code file sent to a screen."""
SOURCE = 1 << 20
"""Bytes of a code file read for a screen (1 MiB): a file larger than this shows its start."""
CUES = 5_000
"""Lines of a transcript sent to a screen (each cut at CELL characters); `check` warns of more."""

_RUN = 24
"""Characters a cut may move back so as not to split a number (a card number with spaces
has 23)."""


def _in_number(char: str) -> bool:
    return char.isdigit() or char in " -+"


def cut_at(text: str, limit: int) -> int:
    """Where to cut `text` (longer than `limit`): at `limit`, or a little before when that
    would split a run of digits, so a number is never sent half (it would then escape the
    public screen's masking, which only knows whole numbers)."""
    at = limit
    while at > limit - _RUN and at > 0 and _in_number(text[at - 1]) and _in_number(text[at]):
        at -= 1
    return at if at > limit - _RUN and at > 0 else limit


def shorten(text: str, limit: int, note: str) -> str:
    """`text` as sent to a screen: whole up to `limit` characters, else its start and `note`
    (a template with `{total}`, the whole text's length)."""
    if len(text) <= limit:
        return text
    return text[: cut_at(text, limit)] + note.format(total=f"{len(text):,}")
