"""Every word the program says, in Simplified Chinese (default) and English.

One module per domain holds that domain's table of `Words` (zh, en); `pick` chooses one of a
pair by the one rule, `is_english`. The package imports nothing else of `presenter`: the deck
model uses it as much as the web does.
"""

from __future__ import annotations

from collections.abc import Callable

from .interface import STRINGS
from .words import Words, is_english, pick, pick_all

__all__ = ["STRINGS", "Words", "is_english", "language", "pick", "pick_all", "translator"]


def language(default: str) -> str:
    """`?lang=en` or `?lang=zh-CN` picks the language, else the deck's."""
    from flask import request  # in a request only: the deck model imports this package too

    asked = request.args.get("lang", "")
    if asked in ("en", "zh-CN"):
        return asked
    return default


def translator(lang: str) -> Callable[[str], str]:
    """`t(key)`: the interface's words for `key` in `lang` (the key itself when unknown)."""

    def t(key: str) -> str:
        entry = STRINGS.get(key)
        return pick(entry, lang) if entry else key

    return t
