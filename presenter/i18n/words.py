"""A text in both languages, and the one rule for which of the two a language tag asks for."""

from __future__ import annotations

from collections.abc import Mapping

Words = tuple[str, str]
"""A text in Simplified Chinese and in English, in that order; `{name}` marks a value filled in
with `str.format`, the same names in both."""


def is_english(lang: str) -> bool:
    """`en`, `en-US`, `en_GB`, `EN` ask for English; any other tag (`zh-CN`, none) for
    Simplified Chinese, the court's language."""
    return lang.lower().replace("_", "-").partition("-")[0] == "en"


def pick(words: Words, lang: str) -> str:
    return words[1] if is_english(lang) else words[0]


def pick_all(table: Mapping[str, Words], lang: str) -> dict[str, str]:
    """A whole table in one language, for code that says several of its words."""
    return {key: pick(words, lang) for key, words in table.items()}
