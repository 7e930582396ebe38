"""The state machine alone: walks, refusals, seq, handover, persistence. No sockets."""

from __future__ import annotations

import json
import threading

import pytest

from presenter.deck import load_deck
from presenter.live.machine import Presentation
from presenter.live.state import LiveState, StateStore

from .conftest import DEMO_DECK, altered


@pytest.fixture(scope="module")
def demo():
    return load_deck(DEMO_DECK, verify_hashes=False).deck


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def live(demo):
    return Presentation(demo, clock=Clock())


def ok(live: Presentation, role: str = "presenter", **command):
    outcome = live.command(command, role)
    assert outcome.ok, outcome.error
    return outcome.state


def refused(live: Presentation, role: str = "presenter", **command) -> str:
    before = live.state
    outcome = live.command(command, role)
    assert not outcome.ok
    assert live.state == before, "a refused command changes nothing"
    return outcome.error


def test_opens_on_the_first_exhibit_behind_the_logo(live):
    assert live.state.item == "E01" and live.state.step == 0
    assert live.state.blank == "logo" and live.state.seq == 0


def test_next_first_unblanks_then_walks_steps_then_exhibits(live, demo):
    assert ok(live, action="next").blank is None
    steps = len(demo.exhibit("E01").steps)
    for n in range(1, steps + 1):
        state = ok(live, action="next")
        assert (state.item, state.step) == ("E01", n)
    state = ok(live, action="next")
    assert (state.item, state.step, state.panel) == ("E02", 0, "content")


def test_prev_goes_back_to_the_previous_exhibit_at_its_last_step(live, demo):
    ok(live, action="blank", mode=None)
    ok(live, action="goto", item="E02")
    state = ok(live, action="prev")
    assert (state.item, state.step) == ("E01", len(demo.exhibit("E01").steps))


def test_ends_are_refused(live, demo):
    ok(live, action="blank", mode=None)
    assert refused(live, action="prev") == "at_start"
    last = demo.exhibits[-1]
    ok(live, action="goto", item=last.id)
    ok(live, action="step", step=len(last.steps))
    assert refused(live, action="next") == "at_end"


def test_seq_grows_by_one_with_every_change_and_not_otherwise(live):
    seqs = [live.state.seq]
    for command in (
        {"action": "blank", "mode": None},
        {"action": "goto", "item": "E04"},
        {"action": "step", "step": 2},
        {"action": "panel", "panel": "source"},
        {"action": "region", "region": [0.1, 0.1, 0.2, 0.2]},
        {"action": "pointer", "x": 0.5, "y": 0.5},
    ):
        seqs.append(ok(live, **command).seq)
    assert seqs == list(range(seqs[0], seqs[0] + 7))
    assert live.command({"action": "goto", "item": "E04"}, "presenter").state.seq == seqs[-1]
    assert live.command({"action": "goto", "item": "E99"}, "presenter").state.seq == seqs[-1]


@pytest.mark.parametrize(
    ("command", "error"),
    [
        ({"action": "goto", "item": "E99"}, "unknown_item"),
        ({"action": "goto", "item": "C1"}, "unknown_item"),
        ({"action": "step", "step": 99}, "step_out_of_range"),
        ({"action": "step", "step": -1}, "step_out_of_range"),
        ({"action": "step", "step": True}, "step_out_of_range"),
        ({"action": "panel", "panel": "notes"}, "unknown_panel"),
        ({"action": "blank", "mode": "grey"}, "unknown_blank"),
        ({"action": "region", "region": [0.5, 0.5, 0.6, 0.1]}, "bad_region"),
        ({"action": "region", "region": [0, 0, 1]}, "bad_region"),
        ({"action": "pointer", "x": 2, "y": 0}, "bad_pointer"),
        ({"action": "media", "op": "play"}, "not_media"),
        ({"action": "launch"}, "unknown_action"),
        ({}, "unknown_action"),
    ],
)
def test_bad_commands_are_refused_with_a_reason(live, command, error):
    assert refused(live, **command) == error


def test_screens_cannot_command(live):
    assert refused(live, "screen", action="next") == "screen_cannot_command"
    assert refused(live, "screen", action="handover", to="presenter") == "screen_cannot_command"


def test_steps_carry_their_region_and_clip(live, demo):
    ok(live, action="goto", item="E02")
    assert ok(live, action="step", step=1).region == demo.exhibit("E02").steps[0].region
    assert ok(live, action="step", step=0).region is None
    ok(live, action="goto", item="E05")
    state = ok(live, action="step", step=2)
    assert state.media.playing and state.media.position == 18.0 and state.media.at == 1000.0


def test_media_play_pause_seek_at_server_time(live):
    clock = live._clock
    ok(live, action="goto", item="E06")
    assert ok(live, action="media", op="play").media.playing
    clock.now += 5
    paused = ok(live, action="media", op="pause").media
    assert (paused.playing, paused.position) == (False, 5.0)
    seek = ok(live, action="media", op="seek", position=12.5).media
    assert (seek.playing, seek.position, seek.at) == (False, 12.5, 1005.0)
    assert refused(live, action="media", op="seek") == "bad_media"
    assert refused(live, action="media", op="seek", position=-1) == "bad_media"


def test_blank_is_kept_while_finding_an_exhibit(live):
    ok(live, action="blank", mode="black")
    assert ok(live, action="goto", item="E07").blank == "black"
    assert ok(live, action="blank", mode=None).blank is None


def test_handover_to_the_expert_and_back(live):
    assert ok(live, action="handover", to="expert").controller == "expert"
    assert refused(live, action="next") == "not_in_control"
    assert ok(live, "expert", action="goto", item="E07").item == "E07"
    assert refused(live, "expert", action="handover", to="expert") == "not_allowed"
    assert ok(live, "expert", action="handover", to="presenter").controller == "presenter"
    assert refused(live, "expert", action="next") == "not_in_control"
    ok(live, action="handover", to="expert")
    assert ok(live, action="handover", to="presenter").controller == "presenter"  # take back


def test_excluded_and_unverified_exhibits_need_confirmation(demo):
    excluded = altered(demo.exhibit("E03"), excluded=True)
    deck = altered(demo, exhibits=tuple(excluded if e.id == "E03" else e for e in demo.exhibits))
    live = Presentation(deck, unverified=frozenset({"E05"}), clock=Clock())
    ok(live, action="blank", mode=None)
    outcome = live.command({"action": "goto", "item": "E05"}, "presenter")
    assert (outcome.ok, outcome.error, outcome.ack()["item"]) == (False, "unverified", "E05")
    assert not live.may_show("E05")
    confirmed = live.command({"action": "goto", "item": "E05", "confirm": True}, "presenter")
    assert confirmed.ok and confirmed.details == {"confirmed": "unverified"}
    assert live.may_show("E05")
    ok(live, action="goto", item="E02")
    assert not live.may_show("E05"), "a confirmation holds for that showing only"
    assert refused(live, action="goto", item="E03") == "excluded"
    ok(live, action="step", step=len(deck.exhibit("E02").steps))
    assert ok(live, action="next").item == "E04", "next skips an excluded exhibit"


def test_listeners_see_every_change_in_order(live):
    seen = []
    live.subscribe(lambda outcome, command, role: seen.append((outcome.state.seq, role)))
    ok(live, action="blank", mode=None)
    ok(live, action="next")
    live.command({"action": "goto", "item": "E99"}, "presenter")
    assert seen == [(1, "presenter"), (2, "presenter")]


def test_commands_from_many_threads_keep_seq_whole(live):
    seen = []
    live.subscribe(lambda outcome, command, role: seen.append(outcome.state.seq))

    def press() -> None:
        for _ in range(50):
            live.command({"action": "pointer", "x": 0.1, "y": 0.2}, "presenter")
            live.command({"action": "pointer", "x": None, "y": None}, "presenter")

    threads = [threading.Thread(target=press) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == list(range(1, len(seen) + 1))
    assert live.state.seq == len(seen)


def test_state_survives_a_round_trip_through_state_json(live, tmp_path):
    ok(live, action="goto", item="E05")
    ok(live, action="step", step=1)
    ok(live, action="region", region=[0.25, 0.25, 0.5, 0.5])
    store = StateStore(tmp_path / "demo" / "state.json")
    store.save(live.state)
    restored = store.load("demo")
    assert restored == live.state
    assert json.loads(store.path.read_text())["pointer"] is None
    assert store.load("another-deck") is None
    resumed = Presentation(live.deck, state=restored)
    assert resumed.state == live.state
    assert not list(store.path.parent.glob(".state-*")), "no temporary file is left behind"


def test_a_torn_or_foreign_state_file_is_ignored(tmp_path, demo):
    store = StateStore(tmp_path / "state.json")
    store.path.write_text('{"deck": "demo", "seq": ', encoding="utf-8")
    assert store.load("demo") is None
    stale = LiveState(deck="demo", seq=41, item="E77")
    assert Presentation(demo, state=stale).state.item == "E01"
    assert Presentation(demo, state=stale).state.seq == 41


def test_a_new_deck_keeps_the_exhibit_by_id(live, demo):
    ok(live, action="goto", item="E04")
    ok(live, action="step", step=3)
    shorter = altered(demo.exhibit("E04"), steps=demo.exhibit("E04").steps[:1])
    deck = altered(demo, exhibits=tuple(shorter if e.id == "E04" else e for e in demo.exhibits))
    outcome = live.replace_deck(deck)
    assert outcome.event == "reload" and outcome.recorded
    assert (live.state.item, live.state.step) == ("E04", 1)


def test_document_pages_turn_within_the_pdf(demo):
    live = Presentation(demo, clock=Clock(), pages={"E12": 3})
    ok(live, action="goto", item="E12")
    assert live.state.page == 1
    assert ok(live, action="page", page=3).page == 3
    assert refused(live, action="page", page=4) == "page_out_of_range"
    assert ok(live, action="step", step=2).page == 2, "a step with a page turns to it"
    assert ok(live, action="step", step=0).page == 1
    ok(live, action="goto", item="E11")
    assert refused(live, action="page", page=1) == "not_document"


def test_sound_comes_from_one_chosen_screen(live):
    assert live.state.sound is None
    assert ok(live, action="sound", screen="judge").sound == "judge"
    assert ok(live, action="sound", screen=None).sound is None
    assert refused(live, action="sound", screen="  ") == "bad_media"


def test_the_presenter_sorts_filters_and_pages_a_table_until_the_next_step(demo):
    live = Presentation(demo, clock=Clock(), columns={"E08": 8})
    ok(live, action="goto", item="E08")
    state = ok(live, action="table", sort=4, desc=True, filter=" 陈某 ", start=100)
    assert state.table is not None
    assert (state.table.sort, state.table.desc, state.table.filter, state.table.start) == (
        4, True, "陈某", 100,
    )  # fmt: skip
    assert LiveState.from_json(json.loads(json.dumps(state.to_json()))) == state
    assert refused(live, action="table", sort=8) == "bad_table"
    assert refused(live, action="table", filter="x" * 101) == "bad_table"
    assert refused(live, action="table", start=-1) == "bad_table"
    assert ok(live, action="table").table is None, "nothing chosen: the file's order"
    ok(live, action="table", filter="陈某")
    assert ok(live, action="step", step=1).table is None, "a step shows its rows in file order"
    ok(live, action="goto", item="E07")
    assert refused(live, action="table", sort=0) == "not_table"


def test_chart_steps_and_the_presenters_focus_become_the_state(demo):
    live = Presentation(demo, clock=Clock())
    ok(live, action="goto", item="E11")
    first = ok(live, action="step", step=1)
    assert first.chart is not None and first.chart.until.startswith("2026-03-08T12:00")
    focused = ok(live, action="chart", focus=["孙某 6222000000000000101"], fold=10)
    assert focused.chart is not None and focused.chart.fold == 10
    assert LiveState.from_json(json.loads(json.dumps(focused.to_json()))) == focused
    assert refused(live, action="chart", until="yesterday") == "bad_chart"
    assert refused(live, action="chart", fold=1) == "bad_chart"
    ok(live, action="goto", item="E08")
    assert refused(live, action="chart", focus=[]) == "not_chart"


def test_the_case_matrix_goes_on_the_screens_until_an_exhibit_comes_back(live):
    ok(live, action="next")
    shown = ok(live, action="case", show=True)
    assert shown.case and shown.item == "E01"
    assert refused(live, action="case", show="yes") == "bad_case"
    # next's first press only brings the exhibit back, where it was
    back = ok(live, action="next")
    assert not back.case and (back.item, back.step) == ("E01", 0)
    for command in (
        {"action": "goto", "item": "E01"},
        {"action": "goto", "item": "E04"},
        {"action": "step", "step": 1},
        {"action": "panel", "panel": "source"},
    ):
        ok(live, action="case", show=True)
        assert not ok(live, **command).case, command
    # blanking keeps it for when the screens come back
    ok(live, action="case", show=True)
    assert ok(live, action="blank", mode="black").case
    assert ok(live, action="case", show=False).case is False


def test_a_matrix_cell_goes_to_an_exhibits_panel_in_one_change(live):
    seq = live.state.seq
    state = ok(live, action="goto", item="E04", panel="facts")
    assert (state.item, state.panel, state.seq) == ("E04", "facts", seq + 1)
    assert ok(live, action="goto", item="E04", panel="corroboration").panel == "corroboration"
    assert ok(live, action="goto", item="E04").panel == "corroboration"  # no panel: kept
    assert refused(live, action="goto", item="E05", panel="notes") == "unknown_panel"


def test_the_case_flag_survives_a_round_trip(live):
    state = ok(live, action="case", show=True)
    assert LiveState.from_json(json.loads(json.dumps(state.to_json()))) == state
