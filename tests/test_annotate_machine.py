"""Annotations, side by side and live redaction in the state machine: what each command does
to the state, what it refuses, what comes back with a view, and what survives a restart."""

from __future__ import annotations

import json

import pytest

from presenter.deck import load_deck
from presenter.live.court import document_pages
from presenter.live.machine import ACTIONS, RULES, Presentation
from presenter.live.state import LiveState, StateStore

from .conftest import DEMO_DECK
from .test_live_machine import Clock, ok, refused

RECT = {"kind": "rect", "points": [[0.4, 0.4], [0.6, 0.6]], "color": "#FF0000"}
PEN = {"kind": "pen", "points": [[0.1, 0.1], [0.2, 0.15], [0.3, 0.1]]}


@pytest.fixture(scope="module")
def demo():
    return load_deck(DEMO_DECK, verify_hashes=False).deck


@pytest.fixture
def live(demo):
    presentation = Presentation(demo, clock=Clock(), pages=document_pages(demo))
    ok(presentation, action="goto", item="E02")
    ok(presentation, action="blank")  # the opening logo off: steps walk
    return presentation


def add(live, shape, **extra):
    return ok(live, action="annotate", op="add", shape=shape, **extra)


def test_every_new_action_has_a_rule():
    assert {"annotate", "compare", "redact"} <= set(ACTIONS)
    assert set(ACTIONS) - {"verify"} == set(RULES)


def test_a_shape_is_on_the_view_it_was_drawn_on_and_comes_back_with_it(live):
    state = add(live, RECT)
    shown = state.to_json()["annotations"]
    assert shown == [
        {
            "id": 1,
            "kind": "rect",
            "points": [[0.4, 0.4], [0.6, 0.6]],
            "color": "#ff0000",
            "text": "",
        }
    ]
    assert add(live, PEN).to_json()["annotations"][1]["id"] == 2
    # another step, another exhibit: not there; back again: there
    assert ok(live, action="next").to_json()["annotations"] == []
    assert ok(live, action="step", step=0).to_json()["annotations"][0]["kind"] == "rect"
    ok(live, action="goto", item="E12")
    assert live.state.to_json()["annotations"] == []
    add(live, {"kind": "text", "points": [[0.2, 0.2]], "text": "  转账 5 万元 "})
    assert ok(live, action="page", page=2).to_json()["annotations"] == []
    back = ok(live, action="page", page=1).to_json()["annotations"]
    assert back[0]["text"] == "转账 5 万元"
    assert len(ok(live, action="goto", item="E02").to_json()["annotations"]) == 2


def test_undo_takes_back_the_last_and_clear_takes_all(live):
    add(live, RECT)
    add(live, PEN)
    assert [s["id"] for s in ok(live, action="annotate", op="undo").to_json()["annotations"]] == [1]
    add(live, PEN)
    assert ok(live, action="annotate", op="clear").to_json()["annotations"] == []
    assert refused(live, action="annotate", op="undo") == "no_annotation"
    assert live.state.sheets == {}


@pytest.mark.parametrize(
    "shape",
    [
        {"kind": "rect", "points": [[0.1, 0.1]]},
        {"kind": "arrow", "points": [[0.1, 0.1], [0.2, 0.2], [0.3, 0.3]]},
        {"kind": "pen", "points": [[0.1, 0.1]]},
        {"kind": "pen", "points": [[0.1, 0.1]] * 501},
        {"kind": "text", "points": [[0.1, 0.1]], "text": "   "},
        {"kind": "text", "points": [[0.1, 0.1]], "text": "长" * 101},
        {"kind": "rect", "points": [[0.1, 0.1], [1.2, 0.2]]},
        {"kind": "rect", "points": [[0.1, 0.1], [float("nan"), 0.2]]},
        {"kind": "rect", "points": [[0.1, 0.1], ["0.2", 0.2]]},
        {"kind": "rect", "points": [[0.1, 0.1], [True, 0.2]]},
        {"kind": "rect", "points": [[0.1, 0.1], [0.2, 0.2]], "color": "red"},
        {"kind": "rect", "points": [[0.1, 0.1], [0.2, 0.2]], "color": "#ff0000;"},
        {"kind": "blob", "points": [[0.1, 0.1], [0.2, 0.2]]},
        {"kind": "rect", "points": "0.1,0.1"},
        None,
        [],
    ],
)
def test_a_bad_shape_is_refused(live, shape):
    assert refused(live, action="annotate", op="add", shape=shape) == "bad_shape"


def test_a_screen_cannot_annotate_and_a_view_holds_at_most_200(live):
    assert refused(live, "screen", action="annotate", op="add", shape=RECT) == (
        "screen_cannot_command"
    )
    for _ in range(200):
        add(live, RECT)
    assert refused(live, action="annotate", op="add", shape=RECT) == "too_many_shapes"


def test_annotations_and_comparison_survive_a_restart(tmp_path, demo, live):
    add(live, RECT)
    ok(live, action="compare", items=["E02", "E04"], layout="60/40", direction="column")
    store = StateStore(tmp_path / "state.json")
    store.save(live.state)
    kept = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert kept["sheets"] and kept["compare"]["other"]["item"] == "E04"
    again = Presentation(demo, clock=Clock(), state=store.load(demo.id), pages=document_pages(demo))
    assert again.state == live.state
    message = again.state.to_json()
    assert "sheets" not in message, "the screens get the views on screen, not every view's"
    assert message["annotations"][0]["kind"] == "rect"
    assert message["compare"]["items"] == ["E02", "E04"]


def test_side_by_side_drives_one_half_and_swaps(live):
    ok(live, action="next")  # E02 step 1
    state = ok(live, action="compare", items=["E02", "E04"])
    compare = state.to_json()["compare"]
    assert compare["items"] == ["E02", "E04"] and compare["active"] == 0
    assert compare["layout"] == "50/50" and compare["direction"] == "row"
    left, right = compare["halves"]
    assert (left["item"], left["step"]) == ("E02", 1) and (right["item"], right["step"]) == (
        "E04",
        0,
    )
    # the keyboard drives the left half only
    state = ok(live, action="step", step=0)
    assert [h["step"] for h in state.to_json()["compare"]["halves"]] == [0, 0]
    state = ok(live, action="compare", swap=True)
    compare = state.to_json()["compare"]
    assert compare["active"] == 1 and state.item == "E04"
    state = ok(live, action="next")
    halves = state.to_json()["compare"]["halves"]
    assert (halves[0]["item"], halves[0]["step"]) == ("E02", 0)
    assert (halves[1]["item"], halves[1]["step"]) == ("E04", 1)
    # annotations belong to their half
    add(live, RECT)
    halves = live.state.to_json()["compare"]["halves"]
    assert halves[0]["annotations"] == [] and len(halves[1]["annotations"]) == 1
    state = ok(live, action="compare", layout="60/40")
    assert state.to_json()["compare"]["layout"] == "60/40"
    state = ok(live, action="compare", items=[])
    assert state.compare is None and state.item == "E04" and state.step == 1


def test_two_pages_of_one_document_side_by_side(live):
    ok(live, action="goto", item="E12")
    ok(live, action="compare", items=["E12", "E12"])
    ok(live, action="page", page=2)
    halves = live.state.to_json()["compare"]["halves"]
    assert [h["page"] for h in halves] == [2, 1]


def test_side_by_side_refusals(live, demo):
    assert refused(live, action="compare", items=["E02"]) == "bad_compare"
    assert refused(live, action="compare", items=["E02", "E99"]) == "unknown_item"
    assert refused(live, action="compare", layout="70/30") == "bad_compare"
    assert refused(live, action="compare", swap=True) == "not_comparing"
    assert refused(live, "screen", action="compare", items=["E02", "E04"]) == (
        "screen_cannot_command"
    )
    excluded = next((e for e in demo.exhibits if e.excluded), None)
    if excluded is not None:
        assert refused(live, action="compare", items=["E02", excluded.id]) == "excluded"


def test_a_comparison_whose_other_exhibit_is_gone_ends_on_restore(demo, live):
    ok(live, action="compare", items=["E02", "E04"])
    kept = live.state.to_json(kept=True)
    kept["compare"]["other"]["item"] = "E404"
    restored = Presentation(demo, clock=Clock(), state=LiveState.from_json(kept))
    assert restored.state.compare is None and restored.state.item == "E02"


def test_live_redaction_boxes_and_decisions(live):
    state = ok(live, action="redact", op="add", box=[0.1, 0.2, 0.3, 0.1])
    redaction = state.to_json()["redaction"]
    assert redaction["boxes"] == [
        {"item": "E02", "file": 0, "page": 1, "box": [0.1, 0.2, 0.3, 0.1], "message": None}
    ]
    assert redaction["version"] == 1
    state = ok(live, action="redact", op="confirm", proposal="0123456789abcdef")
    assert state.redaction.decisions == {"0123456789abcdef": "confirmed"}
    assert state.redaction.version == 2
    state = ok(live, action="redact", op="remove", index=0)
    assert state.redaction.boxes == () and state.redaction.version == 3
    assert refused(live, action="redact", op="remove", index=0) == "bad_redaction"
    assert refused(live, action="redact", op="add", box=[0.9, 0.9, 0.5, 0.5]) == "bad_redaction"
    assert refused(live, action="redact", op="confirm", proposal="XYZ") == "bad_redaction"
    ok(live, action="goto", item="E03")  # a table has no pixels to black out
    assert refused(live, action="redact", op="add", box=[0.1, 0.1, 0.2, 0.2]) == "bad_redaction"


def test_the_record_report_counts_both_halves_as_shown(tmp_path, live):
    from presenter.export.record_report import read_report
    from presenter.live.record import Record

    record = Record.start(tmp_path, "demo")
    for command in (
        {"action": "compare", "items": ["E02", "E04"]},
        {"action": "annotate", "op": "add", "shape": RECT},
        {"action": "compare", "swap": True},
        {"action": "compare", "items": []},
    ):
        outcome = live.command(command, "presenter")
        record.append(
            "state", outcome.state.to_json(), "presenter", by="presenter", command=command
        )
    record.close()
    report = read_report(record.path, "zh-CN")
    assert {showing.item for showing in report.exhibits} == {"E02", "E04"}
    said = [entry.what for entry in report.entries]
    assert "并排展示：E02 与 E04（50/50，左右）" in said
    assert "标注：画出矩形框（#FF0000）" in said  # as the command said it
    assert "并排展示：切换操作的半屏" in said and "并排展示：结束" in said


def test_a_box_on_a_chats_picture_is_that_pictures(demo):
    from presenter.deck.checks import redactable_files
    from presenter.live.court import chat_pictures

    pictures = chat_pictures(demo)
    live = Presentation(demo, clock=Clock(), pictures=pictures)
    ok(live, action="goto", item="E04")
    assert refused(live, action="redact", op="add", box=[0.1, 0.1, 0.2, 0.2]) == "bad_redaction"
    message, name = sorted(pictures["E04"].items())[-1]
    ok(live, action="attachment", message=message)
    box = ok(live, action="redact", op="add", box=[0.1, 0.1, 0.2, 0.2]).redaction.boxes[0]
    exhibit = demo.exhibit("E04")
    assert redactable_files(exhibit)[box.file] == name and box.message == message


def test_a_demonstratives_labels_are_drawn_in_simplified_chinese_glyphs():
    """Noto's CJK collection opens on its Japanese face; a court's label is 中文 as the
    mainland writes it."""
    from presenter.demonstrative import _font

    assert _font(40).getname()[0] == "Noto Sans CJK SC"
