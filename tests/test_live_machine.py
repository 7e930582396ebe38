"""The state machine alone: walks, refusals, seq, handover, persistence. No sockets."""

from __future__ import annotations

import json
import threading

import pytest

from presenter.deck import load_deck
from presenter.live.machine import ACTIONS, RULES, Presentation
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
    state = ok(live, action="page", page=2)
    assert (state.page, state.flow_page) == (1, 2), "elsewhere, a page of long content"


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


# --- odd inputs: the refusal each gets is part of the protocol ------------------------------


@pytest.fixture
def court(demo):
    """A presentation that knows the pages and columns of its exhibits, on the screens."""
    live = Presentation(demo, clock=Clock(), pages={"E12": 3}, columns={"E08": 8})
    ok(live, action="blank", mode=None)
    return live


@pytest.mark.parametrize(
    ("item", "command", "error"),
    [
        # a bool is not a number, a number in a string is not a number, nor is 2.0 a step
        ("E04", {"action": "step", "step": False}, "step_out_of_range"),
        ("E04", {"action": "step", "step": "1"}, "step_out_of_range"),
        ("E04", {"action": "step", "step": 1.0}, "step_out_of_range"),
        ("E04", {"action": "step"}, "step_out_of_range"),
        ("E12", {"action": "page", "page": True}, "page_out_of_range"),
        ("E12", {"action": "page", "page": "2"}, "page_out_of_range"),
        ("E12", {"action": "page", "page": 0}, "page_out_of_range"),
        ("E08", {"action": "table", "sort": True}, "bad_table"),
        ("E08", {"action": "table", "start": False}, "bad_table"),
        ("E08", {"action": "table", "start": 1.5}, "bad_table"),
        ("E08", {"action": "table", "filter": 7}, "bad_table"),
        ("E08", {"action": "table", "filter": True}, "bad_table"),
        ("E11", {"action": "chart", "fold": True}, "bad_chart"),
        ("E11", {"action": "chart", "fold": 10.0}, "bad_chart"),
        ("E11", {"action": "chart", "fold": 501}, "bad_chart"),
        ("E11", {"action": "chart", "until": 5}, "bad_chart"),
        ("E11", {"action": "chart", "until": ""}, "bad_chart"),
        ("E11", {"action": "chart", "focus": "赵某"}, "bad_chart"),
        ("E11", {"action": "chart", "focus": [1]}, "bad_chart"),
        ("E11", {"action": "chart", "flow": ["周某"]}, "bad_chart"),
        ("E11", {"action": "chart", "flow": ["", "吴某"]}, "bad_chart"),
        ("E11", {"action": "chart", "flow": ["周" * 201, "吴某"]}, "bad_chart"),
        ("E11", {"action": "chart", "flow": []}, "bad_chart"),
        ("E10", {"action": "chart", "flow": ["周某", "吴某"]}, "bad_chart"),  # not fund flows
        # NaN and infinities are not places nor times
        ("E06", {"action": "media", "op": "seek", "position": float("nan")}, "bad_media"),
        ("E06", {"action": "media", "op": "seek", "position": float("inf")}, "bad_media"),
        ("E06", {"action": "media", "op": "seek", "position": True}, "bad_media"),
        ("E06", {"action": "media", "op": "seek", "position": "12"}, "bad_media"),
        ("E06", {"action": "media", "op": "stop"}, "bad_media"),
        ("E06", {"action": "media"}, "bad_media"),
        ("E02", {"action": "pointer", "x": float("nan"), "y": 0.5}, "bad_pointer"),
        ("E02", {"action": "pointer", "x": 0.5, "y": float("-inf")}, "bad_pointer"),
        ("E02", {"action": "pointer", "x": True, "y": 0.5}, "bad_pointer"),
        ("E02", {"action": "pointer", "x": 0.5}, "bad_pointer"),
        ("E02", {"action": "pointer", "x": None, "y": 0.5}, "bad_pointer"),
        ("E02", {"action": "region", "region": [0, 0, float("nan"), 1]}, "bad_region"),
        ("E02", {"action": "region", "region": [True, 0, 0.5, 0.5]}, "bad_region"),
        ("E02", {"action": "region", "region": "0,0,1,1"}, "bad_region"),
        ("E02", {"action": "region", "region": {"x": 0}}, "bad_region"),
        ("E02", {"action": "region", "region": [0, 0, 1, 1, 1]}, "bad_region"),
        # wrong types for the rest
        ("E02", {"action": "panel", "panel": 1}, "unknown_panel"),
        ("E02", {"action": "panel"}, "unknown_panel"),
        ("E02", {"action": "blank", "mode": 0}, "unknown_blank"),
        ("E02", {"action": "blank", "mode": False}, "unknown_blank"),
        ("E02", {"action": "case", "show": 1}, "bad_case"),
        ("E02", {"action": "case"}, "bad_case"),
        ("E02", {"action": "sound", "screen": 5}, "bad_media"),
        ("E02", {"action": "sound", "screen": ""}, "bad_media"),
        ("E02", {"action": "goto", "item": 4}, "unknown_item"),
        ("E02", {"action": "goto", "item": ["E04"]}, "unknown_item"),
        ("E02", {"action": "goto"}, "unknown_item"),
        ("E02", {"action": "handover", "to": ["expert"]}, "unknown_action"),
        ("E02", {"action": "handover"}, "unknown_action"),
        ("E02", {"action": ["next"]}, "unknown_action"),
        ("E02", {"action": {"goto": "E04"}}, "unknown_action"),
        ("E02", {"action": "verify"}, "unknown_action"),  # the court starts it, not the machine
        ("E02", {"action": "pair", "code": "123456"}, "unknown_action"),  # the socket adapter's
    ],
)
def test_odd_fields_get_the_protocols_refusal_and_no_other_words(court, item, command, error):
    ok(court, action="goto", item=item)
    before = court.state
    outcome = court.command(command, "presenter")
    assert outcome.ack() == {"ok": False, "error": error}, command
    assert court.state == before


def test_unknown_fields_are_ignored(court):
    assert ok(court, action="goto", item="E04", colour="red", panel="source").item == "E04"
    assert ok(court, action="step", step=1, step_count=99, x=float("nan")).step == 1
    assert ok(court, action="pointer", x=0.5, y=0.5, z="deep").pointer == (0.5, 0.5)


def test_confirm_and_desc_are_true_or_else_false_never_refused(demo):
    live = Presentation(demo, unverified=frozenset({"E05"}), clock=Clock(), columns={"E08": 8})
    ok(live, action="blank", mode=None)
    for almost in (1, "true", "yes", [True]):
        outcome = live.command({"action": "goto", "item": "E05", "confirm": almost}, "presenter")
        assert (outcome.error, outcome.ack()["item"]) == ("unverified", "E05"), almost
    ok(live, action="goto", item="E08")
    assert ok(live, action="table", sort=1, desc=1).table.desc is False
    assert ok(live, action="table", sort=1, desc=True).table.desc is True
    assert ok(live, action="table", desc=True).table is None, "no order to reverse"


def test_numbers_are_taken_as_given_ints_as_floats(court):
    ok(court, action="goto", item="E06")
    assert ok(court, action="media", op="seek", position=12).media.position == 12.0
    assert ok(court, action="region", region=[0, 0, 1, 1]).region == (0.0, 0.0, 1.0, 1.0)
    assert ok(court, action="region", region=(0.25, 0.25, 0.5, 0.5)).region[2] == 0.5
    assert ok(court, action="pointer", x=1, y=0).pointer == (1.0, 0.0)
    assert ok(court, action="pointer", x=None, y=None).pointer is None


def test_texts_are_trimmed_and_capped_as_the_protocol_says(court):
    assert ok(court, action="sound", screen="  judge \n").sound == "judge"
    assert ok(court, action="sound", screen=" " + "屏" * 70).sound == "屏" * 60
    ok(court, action="goto", item="E08")
    assert refused(court, action="table", filter=" " + "x" * 100) == "bad_table", (
        "the length counts what was typed, before trimming"
    )
    assert ok(court, action="table", filter="x" * 100).table.filter == "x" * 100
    for nothing in ("", 0, False, [], {}, None):
        assert ok(court, action="table", filter=nothing).table is None, nothing
    ok(court, action="goto", item="E11")
    names = [f"账户{n}" for n in range(25)]
    assert ok(court, action="chart", focus=names).chart.focus == tuple(names[:20])
    for nothing in ("", 0, False, {}):
        assert ok(court, action="chart", focus=nothing).chart is None, nothing
    assert refused(court, action="chart", focus=("赵某",)) == "bad_chart", "a list, not a tuple"
    flow = ok(court, action="chart", flow=["周" * 200, "吴某"]).chart.flow
    assert flow == ("周" * 200, "吴某")
    until = ok(court, action="chart", until="2026-03-15T23:59:00+08:00").chart.until
    assert until == "2026-03-15T23:59:00+08:00", "kept as written"


def test_who_sent_it_is_checked_before_what_it_says(court):
    for command in (
        {"action": "launch"},
        {"action": "step", "step": True},
        {"action": "verify"},
        {"action": 5},
        {},
    ):
        assert refused(court, "screen", **command) == "screen_cannot_command", command
    assert refused(court, "screen", action="handover", to="nobody") == "screen_cannot_command"
    # a handover is checked before control; everything else is not_in_control first
    assert refused(court, "expert", action="handover", to="nobody") == "unknown_action"
    assert refused(court, "expert", action="handover", to="expert") == "not_allowed"
    for command in (
        {"action": "launch"},
        {"action": "step", "step": True},
        {"action": "page", "page": "x"},
        {"action": "goto", "item": "E99", "panel": "notes"},
        {"action": "verify"},
        {"action": None},
    ):
        assert refused(court, "expert", **command) == "not_in_control", command


def test_the_exhibit_on_the_screens_is_checked_before_the_fields(court, demo):
    ok(court, action="goto", item="E07")  # code: neither document, media, table nor chart
    assert refused(court, action="page", page="x") == "page_out_of_range"  # any view has pages
    assert refused(court, action="media", op="stop", position=float("nan")) == "not_media"
    assert refused(court, action="table", sort=True, filter=5) == "not_table"
    assert refused(court, action="chart", fold=1, until="never") == "not_chart"
    assert refused(court, action="goto", item="E99", panel="notes") == "unknown_panel"
    # with nothing showable, there is no exhibit to take any of these
    nothing = altered(demo, exhibits=tuple(altered(e, excluded=True) for e in demo.exhibits))
    empty = Presentation(nothing, clock=Clock())
    assert empty.state.item is None
    for command in (
        {"action": "step", "step": True},
        {"action": "page", "page": "x"},
        {"action": "media", "op": "stop"},
        {"action": "table", "sort": -1},
        {"action": "chart", "fold": 1},
    ):
        assert refused(empty, **command) == "no_exhibit", command
    assert refused(empty, action="region", region="x") == "bad_region"


def test_a_refusal_for_an_exhibit_kept_off_the_screens_names_it(demo):
    excluded = altered(demo.exhibit("E03"), excluded=True)
    deck = altered(demo, exhibits=tuple(excluded if e.id == "E03" else e for e in demo.exhibits))
    live = Presentation(demo, clock=Clock())
    ok(live, action="blank", mode=None)
    ok(live, action="goto", item="E03")
    ok(live, action="blank", mode="black")
    live.replace_deck(deck)
    assert live.held() == {"item": "E03", "error": "excluded"}
    for command in ({"action": "next"}, {"action": "prev"}, {"action": "blank", "mode": None}):
        outcome = live.command(command, "presenter")
        assert outcome.ack() == {"ok": False, "error": "excluded", "item": "E03"}, command
    assert ok(live, action="blank", mode="white").blank == "white", "another blank is fine"
    confirmed = live.command({"action": "goto", "item": "E03", "confirm": True}, "presenter")
    assert confirmed.ok and confirmed.details == {"confirmed": "excluded"}
    assert live.state.blank is None and live.held() is None and live.may_show("E03")


def test_every_action_of_the_protocol_has_a_handler_but_verify():
    assert set(RULES) | {"verify"} == set(ACTIONS)


def test_a_flow_is_a_list_as_json_has_it(court):
    ok(court, action="goto", item="E11")
    assert refused(court, action="chart", flow=("周某", "吴某")) == "bad_chart"


def test_a_number_too_large_for_a_float_is_refused_not_a_crash(court):
    ok(court, action="goto", item="E06")
    huge = 10**400  # JSON allows it, as an integer
    assert refused(court, action="media", op="seek", position=huge) == "bad_media"
    assert refused(court, action="pointer", x=huge, y=0) == "bad_pointer"
    assert refused(court, action="region", region=[huge, 0, 1, 1]) == "bad_region"
