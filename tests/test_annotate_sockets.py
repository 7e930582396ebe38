"""Annotations, side by side and demonstratives over real sockets against `python app.py`:
what screens get, late and public ones too, what the record keeps, what a restart brings
back, and the demonstrative's pixels and hash."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from presenter.export.record_report import read_report, write_html

from .conftest import DEMO_DECK, PRESENTER_KEY, PUBLIC_KEY, SCREEN_KEY, serve_deck, wait_until
from .test_live_sockets import Follower

RECT = {"kind": "rect", "points": [[0.25, 0.25], [0.75, 0.75]], "color": "#ff0000"}


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    root = tmp_path_factory.mktemp("annotate")
    deck = Path(shutil.copytree(DEMO_DECK, root / "decks" / "demo"))
    return deck, root / "instance"


@pytest.fixture(scope="module")
def served(place):
    deck, instance = place
    with serve_deck(deck, instance) as server:
        yield server


@pytest.fixture
def people(served):
    made: list[Follower] = []

    def connect(**auth: str) -> Follower:
        follower = Follower(served.url, **auth).connect()
        made.append(follower)
        return follower

    presenter = connect(role="presenter", key=PRESENTER_KEY)
    for command in ({"action": "compare", "items": []}, {"action": "goto", "item": "E02"}):
        assert presenter.send(**command)["ok"]
    presenter.send(action="annotate", op="clear")
    presenter.send(action="blank")
    yield presenter, connect
    for follower in made:
        follower.close()


def test_a_shape_reaches_every_screen_and_a_late_one(people):
    presenter, connect = people
    screen = connect(role="screen", key=SCREEN_KEY)
    ack = presenter.send(action="annotate", op="add", shape=RECT)
    assert ack["ok"]
    wait_until(lambda: screen.last["seq"] >= ack["seq"])
    assert screen.last["annotations"][0]["points"] == [[0.25, 0.25], [0.75, 0.75]]
    late = connect(role="screen", key=SCREEN_KEY)
    assert late.last["annotations"] == screen.last["annotations"]
    refused = screen.send(action="annotate", op="clear")
    assert refused == {"ok": False, "error": "screen_cannot_command"}


def test_a_public_screen_gets_labels_masked(people):
    presenter, connect = people
    public = connect(role="screen", key=PUBLIC_KEY)
    label = {"kind": "text", "points": [[0.1, 0.1]], "text": "电话 13800000001"}
    ack = presenter.send(action="annotate", op="add", shape=label)
    wait_until(lambda: public.last["seq"] >= ack["seq"])
    assert "13800000001" not in json.dumps(public.last, ensure_ascii=False)
    assert "13800000001" in json.dumps(presenter.last, ensure_ascii=False)


def test_a_demonstrative_is_the_picture_with_its_marks_hashed_and_recorded(people, place):
    presenter, connect = people
    presenter.send(action="annotate", op="add", shape=RECT)
    ack = presenter.send(action="demonstrative")
    assert ack["ok"], ack
    _, instance = place
    saved = instance / "demo" / "demonstratives" / ack["file"]
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == ack["sha256"]
    with Image.open(saved) as picture:
        width, height = picture.size
        edge = picture.convert("RGB").getpixel((width // 4, height // 2))
    assert edge[0] > 180 and edge[1] < 90 and edge[2] < 90, "the rectangle's left side, red"
    records = sorted((instance / "demo" / "records").glob("*.jsonl"))
    lines = [json.loads(line) for line in records[-1].read_text(encoding="utf-8").splitlines()]
    made = [line for line in lines if line["event"] == "demonstrative"]
    assert made[-1]["details"]["sha256"] == ack["sha256"]
    assert any(line.get("command", {}).get("action") == "annotate" for line in lines)
    screen = connect(role="screen", key=SCREEN_KEY)
    assert screen.send(action="demonstrative")["error"] == "screen_cannot_command"
    # the record's report lists it as a demonstrative made in court, and says the marks
    report = read_report(records[-1], "zh-CN")
    assert report.demonstratives[-1].sha256 == ack["sha256"]
    said = [entry.what for entry in report.entries]
    assert "标注：画出矩形框（#ff0000）" in said
    page = instance / "report.html"
    write_html(report, page, "zh-CN")
    assert ack["sha256"] in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("item", ["E12", "E06", "E04"])
def test_a_demonstrative_of_a_page_a_frame_and_a_chat(people, item):
    presenter, _ = people
    assert presenter.send(action="goto", item=item)["ok"]
    presenter.send(action="annotate", op="add", shape=RECT)
    ack = presenter.send(action="demonstrative")
    assert ack["ok"], ack
    presenter.send(action="annotate", op="clear")


def png(width: int, height: int, color: str = "#2050c0") -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), color).save(stream, format="PNG")
    return stream.getvalue()


def test_a_chat_demonstrative_is_the_miniature_as_the_browser_drew_it(people, place):
    presenter, _ = people
    assert presenter.send(action="goto", item="E04")["ok"]
    ack = presenter.send(action="demonstrative", png=png(960, 540))
    assert ack["ok"], ack
    _, instance = place
    with Image.open(instance / "demo" / "demonstratives" / ack["file"]) as saved:
        assert saved.size == (960, 540)
        assert saved.convert("RGB").getpixel((10, 10)) == (0x20, 0x50, 0xC0)
    # anything but a PNG of a sane size is refused, and nothing is left behind
    before = set((instance / "demo" / "demonstratives").iterdir())
    for hostile in (b"<svg onload=alert(1)>", png(9000, 10), b"\x89PNG\r\n\x1a\n" + b"\0" * 64):
        assert presenter.send(action="demonstrative", png=hostile)["error"] == (
            "demonstrative_failed"
        )
    assert set((instance / "demo" / "demonstratives").iterdir()) == before


def test_side_by_side_on_every_screen(people):
    presenter, connect = people
    screen = connect(role="screen", key=SCREEN_KEY)
    ack = presenter.send(action="compare", items=["E02", "E04"], layout="60/40")
    wait_until(lambda: screen.last["seq"] >= ack["seq"])
    compare = screen.last["compare"]
    assert compare["items"] == ["E02", "E04"] and compare["layout"] == "60/40"
    assert presenter.send(action="compare", items=["E02", "E404"])["error"] == "unknown_item"


def test_annotations_and_side_by_side_come_back_after_a_restart(place, served):
    deck, instance = place
    presenter = Follower(served.url, role="presenter", key=PRESENTER_KEY).connect()
    presenter.send(action="goto", item="E02")
    presenter.send(action="annotate", op="clear")
    presenter.send(action="annotate", op="add", shape=RECT)
    presenter.send(action="compare", items=["E02", "E12"], direction="column")
    presenter.close()
    served.process.terminate()
    served.process.communicate(timeout=30)
    with serve_deck(deck, instance) as again:
        screen = Follower(again.url, role="screen", key=SCREEN_KEY).connect()
        state = screen.last
        screen.close()
    assert state["annotations"][0]["kind"] == "rect"
    assert state["compare"]["items"] == ["E02", "E12"]
    assert state["compare"]["direction"] == "column"
