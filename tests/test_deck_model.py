"""Loading a deck into immutable, typed objects: order, notes, front matter, references."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from presenter.deck import Exhibit, load_deck
from presenter.deck.loader import split_item
from presenter.deck.model import Clip, Ranges

from .deckfactory import edit


def test_factory_deck_loads_with_everything_typed(deck_dir):
    report = load_deck(deck_dir)
    assert report.problems == ()
    deck = report.deck
    assert deck.id == "case-1"
    assert [e.id for e in deck.exhibits] == ["E01", "E02", "E03", "E04"]
    chat = deck.exhibit("E01")
    assert isinstance(chat, Exhibit)
    assert chat.path == "items/e01-chat.md"
    assert chat.source.method == "seizure"
    assert chat.source.collected_at == dt.datetime(
        2024, 3, 5, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert chat.source.medium.serial == "F2L000000000"
    assert chat.source.hashes[0].algorithm == "sha256"
    assert chat.steps[0].messages == Ranges(((1, 2),))
    assert chat.corroborates[0].with_ == "C1"
    assert chat.column("text") == "内容"
    assert deck.exhibit("E04").column("from") == "from"
    assert deck.exhibit("E02").steps[0].region == (0.1, 0.1, 0.5, 0.5)
    assert deck.fact("F2").element == "consequence"


def test_body_and_notes_are_split_at_the_question_marks(deck_dir):
    chat = load_deck(deck_dir).deck.exhibit("E01")
    assert chat.body == "聊天记录显示张某自称投资导师。"
    assert chat.notes == "私人备注：注意第 3 条消息。"
    assert "私人备注" not in chat.body
    assert load_deck(deck_dir).deck.exhibit("E02").notes == ""


def test_deck_objects_are_immutable(deck_dir):
    deck = load_deck(deck_dir).deck
    with pytest.raises(dataclasses.FrozenInstanceError):
        deck.exhibits[0].title = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        deck.exhibits[0].source.hashes[0].value = "0"
    assert isinstance(deck.exhibits, tuple) and isinstance(deck.exhibits[0].files, tuple)


def test_order_in_deck_toml_overrides_file_names(deck_dir):
    edit(deck_dir / "deck.toml", "format = 1", 'format = 1\norder = ["E04", "E02", "E01", "E03"]')
    assert [e.id for e in load_deck(deck_dir).deck.exhibits] == ["E04", "E02", "E01", "E03"]


def test_hashes_are_not_read_when_not_asked(deck_dir):
    (deck_dir / "files" / "admin.php").write_text("<?php // fake profit\n\n\n\n", encoding="utf-8")
    assert load_deck(deck_dir).unverified == {"E03"}
    assert load_deck(deck_dir, verify_hashes=False).unverified == frozenset()


def test_a_file_failing_its_hash_flags_its_exhibit_but_keeps_the_deck(deck_dir):
    """Art. 44: the exhibit is kept off screens, the rest of the case can still be presented."""
    (deck_dir / "files" / "admin.php").write_text("<?php // fake profit\n\n\n\n", encoding="utf-8")
    report = load_deck(deck_dir)
    assert report.deck is not None and report.unverified == {"E03"}
    assert [p.code for p in report.errors] == ["hash_mismatch"]
    edit(deck_dir / "items" / "e03-code.md", 'title = "平台后台源代码"', "title = 1")
    assert load_deck(deck_dir).deck is None


def test_notes_start_at_the_first_fence():
    text = "+++\nid = 'x'\n+++\nshown\n???\nnote 1\n???\nnote 2\n"
    front, first_line, body, notes = split_item(text)
    assert (front, first_line, body) == ("id = 'x'", 2, "shown")
    assert notes == "note 1\n???\nnote 2"


def test_step_values_are_parsed():
    assert str(Ranges(((3, 3), (7, 9)))) == "3,7-9"
    assert 8 in Ranges(((3, 3), (7, 9))) and 5 not in Ranges(((3, 3), (7, 9)))
    assert Clip(80.0, 105.0).end == 105.0


def test_clip_times_accept_hours_minutes_and_fractions(deck_dir):
    from presenter.deck.model import parse_clock

    assert parse_clock("00:01:20") == 80
    assert parse_clock("01:20.5") == 80.5
    assert parse_clock("1:00:00") == 3600
    assert parse_clock("80") is None and parse_clock("00:61:00") is None


def test_windows_line_endings_and_a_bom_load_the_same(deck_dir):
    path = deck_dir / "items/e01-chat.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    report = load_deck(deck_dir)
    assert report.problems == ()
    assert report.deck.exhibit("E01").notes == "私人备注：注意第 3 条消息。"
