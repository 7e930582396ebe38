"""The docs keep up with the code: every deck key, value and command is documented."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from presenter.cli import main
from presenter.deck import model
from presenter.live.machine import ACTIONS, REASONS

ROOT = Path(__file__).resolve().parent.parent
DECK_FORMAT = (ROOT / "docs" / "deck-format.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")

SCHEMA = [
    model.DeckFile, model.Case, model.Fact, model.Evidence, model.Exhibit, model.Source,
    model.Medium, model.RecordedHash, model.Change, model.Defect, model.Shows,
    model.Corroboration, model.Step, model.Challenge, model.Review, model.Redaction,
]  # fmt: skip


def deck_keys() -> set[str]:
    keys = set()
    for cls in SCHEMA:
        for name, info in cls.__pydantic_fields__.items():
            keys.add(info.alias or name)
    return keys - model.LOADER_FIELDS


@pytest.mark.parametrize("key", sorted(deck_keys()))
def test_every_deck_key_is_in_the_deck_format_guide(key):
    assert f"`{key}`" in DECK_FORMAT or f"{key} =" in DECK_FORMAT


VALUES = [
    typing.get_args(t)
    for t in (
        model.Element, model.EvidenceKind, model.DataType, model.View, model.ChartKind,
        model.Method, model.Algorithm, model.Aspect, model.Ground,
    )
]  # fmt: skip


@pytest.mark.parametrize("value", sorted({v for values in VALUES for v in values}))
def test_every_deck_value_is_in_the_deck_format_guide(value):
    assert value in DECK_FORMAT


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme(command):
    assert command == "serve" or f"python app.py {command}" in README


LIVE = (ROOT / "docs" / "live.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("action", [*ACTIONS, "pair"])
def test_every_socket_action_is_in_the_live_docs(action):
    assert f'"action": "{action}"' in LIVE


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_refusal_is_in_the_live_docs(code):
    assert f"`{code}`" in LIVE
