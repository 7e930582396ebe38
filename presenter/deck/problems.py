"""Problems found in a deck: values with a location, reported together, in zh-CN or English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..i18n import pick
from ..i18n.problems import MESSAGES, SUMMARY, TOML_ERRORS, TOML_HINTS
from .toml_lines import MAX_DEPTH

Severity = Literal["error", "warning"]
LANGUAGES = ("zh-CN", "en")


def toml_syntax_params(
    detail: str, column: int | None, hints: tuple[tuple[str, Mapping[str, str]], ...]
) -> dict[str, str]:
    """The words of a `toml_syntax` problem: what the parser found, where on the line, and
    the likely causes, in both languages."""
    found = next((words for start, words in TOML_ERRORS if detail.startswith(start)), None)
    zh, en = [w.format(depth=MAX_DEPTH) for w in found] if found else (detail, detail)
    params = {
        "detail_zh": zh + (f"（第 {column} 列）" if column else ""),
        "detail_en": en + (f" (column {column})" if column else ""),
    }
    for language, lead, glue in (("zh", "：", "；"), ("en", ": ", "; ")):
        words = [pick(TOML_HINTS[code], language).format(**values) for code, values in hints]
        params[f"hint_{language}"] = lead + glue.join(words) if words else ""
    return params


@dataclass(frozen=True)
class Problem:
    """One problem in a deck, where it is, and what it is (by message code)."""

    severity: Severity
    path: str
    code: str
    key: str = ""
    line: int | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    fallback: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, language: str = "zh-CN") -> str:
        templates = MESSAGES.get(self.code)
        if templates is None:
            return self.fallback or self.code
        return pick(templates, language).format(**self.params)

    def render(self, language: str = "zh-CN") -> str:
        """`path:line: error: key: message`, or without `:line` where no line is known.

        The severity word stays English in both languages so that tools can match it.
        """
        where = f"{self.path}:{self.line}" if self.line else self.path
        key = f"{self.key}: " if self.key else ""
        return f"{where}: {self.severity}: {key}{self.message(language)}"


def summary(problems: list[Problem], language: str = "zh-CN") -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return pick(SUMMARY, language).format(
        errors=errors,
        warnings=warnings,
        error_s="error" if errors == 1 else "errors",
        warning_s="warning" if warnings == 1 else "warnings",
    )


def format_key(key: tuple[str | int, ...]) -> str:
    """('source', 'hash', 1, 'value') -> 'source.hash[1].value'."""
    text = ""
    for part in key:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def under_key(key: str, parent: str) -> bool:
    """Whether the formatted key `key` is `parent` or inside it."""
    return key == parent or key.startswith((parent + ".", parent + "["))


DEPENDS_ON: dict[str, tuple[str, ...]] = {
    "view": ("files", "columns", "step", "chart", "language", "transcript", "redact"),
}
"""Keys whose problems wait while the key they depend on is still a TODO."""


FACT_WARNINGS = frozenset({"fact_unshown", "fact_uncorroborated", "fact_confession_only"})
"""Warnings on a fact's support, which depends on the facts every item links to."""

_LINK_BLANK = re.compile(r"^(?:shows\[\d+\]\.fact|corroborates\[\d+\]\.(?:fact|with))$")
"""A TODO here may name any fact or evidence: no item's support is known yet."""


def waiting_for_blanks(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """The problems, less those a TODO explains: any at or under a TODO's key, warnings
    on an array entry (a fact, a [[shows]]) that still holds a TODO, and the warnings on
    facts while a [[shows]] or [[corroborates]] of any item still leaves its link blank."""
    todos = [p for p in problems if p.code == "todo"]
    if not todos:
        return problems
    links_blank = any(_LINK_BLANK.match(todo.key) for todo in todos)

    def explained(problem: Problem) -> bool:
        if links_blank and problem.code in FACT_WARNINGS:
            return True
        for todo in todos:
            if todo.path != problem.path or todo is problem:
                continue
            if under_key(problem.key, todo.key):
                return True
            if any(under_key(problem.key, k) for k in DEPENDS_ON.get(todo.key, ())):
                return True
            entry = todo.key[: todo.key.rfind("]") + 1]
            if entry and not problem.is_error and under_key(problem.key, entry):
                return True
        return False

    return tuple(p for p in problems if not explained(p))
