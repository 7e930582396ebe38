"""The presenter's own view (issue 14 §5, §3): the next exhibit's preview, numbered steps, the
server's clocks, the expert's view without the presenter's notes, panel keys, the laser."""

from __future__ import annotations

import csv
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presenter.deck import load_deck
from presenter.live.access import Access
from presenter.live.state import LiveState
from presenter.live.timers import BadTimer, Timers

from .conftest import (
    DEMO_DECK,
    PRESENTER_KEY,
    PUBLIC_KEY,
    SCREEN_KEY,
    keyed_client,
    serve_deck,
    wait_until,
)
from .test_live_browser import Watched

EXPERT_KEY = Access(
    {"presenter": PRESENTER_KEY, "screen": SCREEN_KEY, "public": PUBLIC_KEY}
).expert_key
"""The expert's key of a server started with the tests' keys (derived from the presenter's)."""

NOTE = "私人备注"
CLAIM, RESPONSE = "提取时无见证人", "有见证人签名"
"""The factory deck's presenter-only texts (tests/deckfactory.py)."""


# --- the clocks, as plain Python ------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def state(**changes: object) -> LiveState:
    return LiveState(deck="d").but(**changes)  # type: ignore[arg-type]


def test_the_clocks_start_at_the_first_exhibit_shown_and_count_only_time_on_the_screens(tmp_path):
    clock = Clock()
    timers = Timers(tmp_path / "timers.json", clock)
    told: list[dict] = []
    timers.subscribe(told.append)
    timers.observe(state(item="E01", blank="logo"))
    assert timers.to_json()["started"] is None and told == [], "the title is not an exhibit"
    clock.now = 1010
    timers.observe(state(item="E01"))
    clock.now = 1040
    timers.observe(state(item="E01", blank="black"))  # 30 s on the screens, then blank
    clock.now = 1100
    timers.observe(state(item="E02"))
    clock.now = 1105
    timers.observe(state(item="E02", step=1))  # a step: no clock starts or stops
    clock.now = 1120
    timers.observe(state(item="E01"))
    now = timers.to_json()
    assert now["started"] == 1010
    assert now["spent"] == {"E01": 30, "E02": 20}
    assert (now["on"], now["since"]) == ("E01", 1120)
    assert len(told) == 4, "told only when a clock starts or stops"
    timers.observe(state(item="E01", case=True))
    assert timers.to_json()["on"] is None, "the case matrix is not the exhibit"


def test_the_clocks_outlive_a_restart_that_day_and_a_reset_starts_them_again(tmp_path):
    clock = Clock()
    first = Timers(tmp_path / "timers.json", clock)
    first.observe(state(item="E01"))
    first.set_countdown(1800)
    clock.now = 1060
    first.observe(state(item="E02"))
    again = Timers(tmp_path / "timers.json", clock)
    kept = again.to_json()
    assert kept["started"] == 1000 and kept["spent"] == {"E01": 60}
    assert kept["on"] == "E02" and kept["countdown"] == {"seconds": 1800, "from": 1000}
    clock.now = 1100
    again.reset()
    fresh = again.to_json()
    assert fresh["started"] == 1100 and fresh["spent"] == {} and fresh["since"] == 1100
    assert fresh["countdown"] == kept["countdown"], "a reset keeps the countdown"
    clock.now += 24 * 3600
    assert Timers(tmp_path / "timers.json", clock).to_json()["started"] is None, "a new day"
    (tmp_path / "timers.json").write_text("{not json", "utf-8")
    assert Timers(tmp_path / "timers.json", clock).to_json()["started"] is None


@pytest.mark.parametrize("seconds", [0, -5, 10**6, float("nan"), float("inf"), True, "600", [1]])
def test_a_countdown_that_is_not_a_sensible_number_of_seconds_is_refused(tmp_path, seconds):
    timers = Timers(None, Clock())
    with pytest.raises(BadTimer):
        timers.set_countdown(seconds)
    assert timers.to_json()["countdown"] is None


# --- the clocks over the socket -------------------------------------------------------------


def socket(app, key: str, role: str):
    client = app.extensions["socketio"].test_client(
        app, namespace="/live", auth={"key": key, "role": role, "name": role}
    )
    assert client.is_connected("/live")
    return client


def events(client, name: str) -> list:
    return [e["args"][0] for e in client.get_received("/live") if e["name"] == name]


def test_the_clocks_go_to_presenters_and_experts_and_never_to_a_screen(app):
    presenter = socket(app, PRESENTER_KEY, "presenter")
    expert = socket(app, EXPERT_KEY, "expert")
    screen = socket(app, SCREEN_KEY, "screen")
    assert events(presenter, "timers")[0]["started"] is None, "on connecting"
    assert events(expert, "timers")
    events(screen, "timers")
    ack = presenter.emit("command", {"action": "next"}, namespace="/live", callback=True)
    assert ack["ok"], ack  # the title goes, the first exhibit is on the screens
    told = events(presenter, "timers")
    assert told and told[-1]["on"] is not None and told[-1]["started"] is not None
    assert events(expert, "timers") == told
    assert events(screen, "timers") == []
    ack = presenter.emit("timer", {"countdown": 600}, namespace="/live", callback=True)
    assert ack == {"ok": True}
    assert events(expert, "timers")[-1]["countdown"]["seconds"] == 600
    for client in (presenter, expert, screen):
        client.disconnect("/live")


@pytest.mark.parametrize(
    "message", [{"countdown": "ten"}, {"countdown": 0}, {"reset": "yes"}, {}, "reset", None]
)
def test_a_timer_message_that_means_nothing_is_refused_in_words(app, message):
    presenter = socket(app, PRESENTER_KEY, "presenter")
    ack = presenter.emit("timer", message, namespace="/live", callback=True)
    if message == {"reset": "yes"}:
        assert ack == {"ok": True}, "reset is only `true`; nothing else is asked"
    else:
        assert ack == {"ok": False, "error": "bad_timer"}
    presenter.disconnect("/live")


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    message=ANY_JSON
    | st.dictionaries(st.sampled_from(["countdown", "reset"]), ANY_JSON, min_size=1, max_size=2)
)
def test_any_timer_message_is_answered_and_the_clocks_stay_sane(app, message):
    presenter = socket(app, PRESENTER_KEY, "presenter")
    ack = presenter.emit("timer", message, namespace="/live", callback=True)
    assert ack in ({"ok": True}, {"ok": False, "error": "bad_timer"})
    countdown = app.extensions["shizheng.court"].timers.to_json()["countdown"]
    assert countdown is None or 1 <= countdown["seconds"] <= 24 * 3600
    presenter.disconnect("/live")


def test_a_screen_cannot_set_the_clocks(app):
    screen = socket(app, SCREEN_KEY, "screen")
    ack = screen.emit("timer", {"reset": True}, namespace="/live", callback=True)
    assert ack == {"ok": False, "error": "screen_cannot_command"}
    screen.disconnect("/live")


# --- the expert's view (Art. 47 ¶1) ---------------------------------------------------------


def test_the_experts_deck_data_has_no_notes_challenges_or_review(app):
    expert = keyed_client(app, EXPERT_KEY)
    data = expert.get("/present/deck.json")
    assert data.status_code == 200
    text = data.get_data(as_text=True)
    for private in (NOTE, CLAIM, RESPONSE):
        assert private not in text
    for exhibit in data.get_json()["exhibits"]:
        assert not {"notes", "challenges", "review"} & exhibit.keys()
        assert exhibit["steps"] is not None, "the steps and the rest are the expert's too"
    presenter = keyed_client(app, PRESENTER_KEY)
    whole = presenter.get("/present/deck.json").get_data(as_text=True)
    assert NOTE in whole and CLAIM in whole and RESPONSE in whole
    as_expert = presenter.get("/present/deck.json?role=expert").get_data(as_text=True)
    assert NOTE not in as_expert and RESPONSE not in as_expert


def test_the_experts_page_has_no_notes_and_the_presenters_says_they_are_private(app):
    expert = keyed_client(app, EXPERT_KEY).get("/present").get_data(as_text=True)
    assert 'id="notes"' not in expert and 'id="challenges"' not in expert
    assert "仅公诉人可见" not in expert and "技术人员视图" in expert
    assert json.loads(re.search(r'id="boot">(.*?)</script>', expert, re.S)[1])["role"] == "expert"
    presenter = keyed_client(app, PRESENTER_KEY).get("/present").get_data(as_text=True)
    assert presenter.count("仅公诉人可见") == 2  # notes, and prepared responses


def test_the_experts_key_drives_as_the_expert_only_and_opens_court_html(app):
    sio = app.extensions["socketio"]
    for role in ("presenter", "screen"):
        refused = sio.test_client(app, namespace="/live", auth={"key": EXPERT_KEY, "role": role})
        assert not refused.is_connected("/live")
    expert = keyed_client(app, EXPERT_KEY)
    exhibit = app.extensions["shizheng.court"].deck.exhibits[0].id
    assert expert.get(f"/screen/exhibit/{exhibit}/content").status_code == 200
    assert keyed_client(app, SCREEN_KEY).get("/present/deck.json").status_code == 403


# --- the record numbers steps as the presenter's page does ---------------------------------


def test_the_record_report_says_start_then_step_1_for_the_first_step(app, tmp_path, cli):
    court = app.extensions["shizheng.court"]
    exhibit = [e for e in court.deck.exhibits if e.steps][-1]
    assert exhibit.id != court.state.item, "going to it is a change"
    for command in (
        {"action": "goto", "item": exhibit.id},
        {"action": "step", "step": 1},
    ):
        assert court.presentation.command(command, "presenter").ok
    path = court.record.path
    court.end("presenter")
    out = tmp_path / "record.csv"
    assert cli("record", path, "--out", out, "--lang", "en").exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = [r for r in csv.reader(stream) if len(r) > 8 and r[8] != "presentation ended"]
    rows = [r for r in rows if not r[8].startswith("signed checkpoint")]
    label = exhibit.steps[0].label
    assert rows[-2][4] == "Start" and rows[-1][4] == f"step 1 {label}".strip()
    assert rows[-1][8] == f"to step 1 {label}".strip()


# --- in Chromium ----------------------------------------------------------------------------


@pytest.fixture
def server(deck_copy, tmp_path):
    with serve_deck(deck_copy, tmp_path / "instance") as served:
        yield served


class Page(Watched):
    """A browser page at 1366×768 (the laptops in court) whose errors are kept."""

    def __init__(self, browser, url: str) -> None:
        super().__init__(browser, url, viewport=(1366, 768))

    def data(self, element: str, key: str) -> str | None:
        return self.page.evaluate(f"document.getElementById('{element}')?.dataset.{key}")

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()

    def seq(self) -> int:
        """The seq the page has applied: a screen's on its <html>, the miniature's on #stage."""
        value = self.page.evaluate(
            "document.documentElement.dataset.seq ?? document.getElementById('stage').dataset.seq"
        )
        return int(value) if value else -1


@pytest.fixture
def pages(browser, server):
    opened: list[Page] = []

    def open_page(path: str) -> Page:
        page = Page(browser, server.url + path)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.context.close()


def demo_steps(item: str) -> list[str]:
    return [s.label for s in load_deck(DEMO_DECK, verify_hashes=False).deck.exhibit(item).steps]


def seconds(clock: str) -> int:
    h, m, s = (int(part) for part in clock.split(":"))
    return h * 3600 + m * 60 + s


def test_the_preview_shows_the_next_exhibit_while_the_screens_are_blank(pages):
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: presenter.seq() >= 0, 30)
    assert presenter.data("stage", "blank") == "logo", "the screens show the case's title"
    wait_until(lambda: presenter.data("preview", "item") == "E02", 20)
    wait_until(lambda: "李某发布" in presenter.text("#preview"), 20)
    assert presenter.data("preview", "blank") == "", "the preview is never blank"
    assert presenter.text("#exhibit-count") == "1 / 17"
    # at 1366×768 the miniature, the preview and the clocks are all in view
    for selector in ("#stage", "#preview", "#timer", "#timer-exhibit"):
        box = presenter.page.locator(selector).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 768, selector
    presenter.page.keyboard.type("16")
    presenter.page.keyboard.press("Enter")
    wait_until(lambda: presenter.data("preview", "item") == "E17", 20)
    assert presenter.text("#exhibit-count") == "16 / 17"
    presenter.page.keyboard.press("End")
    wait_until(lambda: presenter.page.locator(".preview-frame.none").count() == 1, 20)
    assert presenter.errors == []


def test_steps_are_numbered_from_1_under_start_and_the_current_keeps_its_number(pages):
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: presenter.seq() >= 0, 30)
    labels = demo_steps("E01")
    rows = presenter.page.locator("#steps li")
    wait_until(lambda: rows.count() == len(labels) + 1, 20)
    numbers = rows.locator(".number").all_inner_texts()
    assert numbers == ["", *[str(n) for n in range(1, len(labels) + 1)]]
    assert rows.locator(".label").all_inner_texts() == ["开始", *labels]
    presenter.page.keyboard.press("ArrowRight")  # the title goes
    wait_until(lambda: presenter.data("stage", "blank") == "", 10)
    presenter.page.keyboard.press("ArrowRight")  # step 1
    current = presenter.page.locator("#steps li.current")
    wait_until(lambda: current.count() == 1 and current.locator(".number").inner_text() == "1", 10)
    assert current.locator(".label").inner_text() == labels[0]
    assert presenter.text("#step-count") == f"1 / {len(labels)}"


def test_the_clocks_go_on_through_a_language_switch_and_keep_the_countdown(pages):
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: presenter.seq() >= 0, 30)
    presenter.page.keyboard.press("ArrowRight")  # the first exhibit reaches the screens
    wait_until(lambda: seconds(presenter.text("#timer")) >= 2, 20)
    presenter.page.fill("#countdown", "30")
    presenter.page.keyboard.press("Tab")  # the field's change sends it
    wait_until(lambda: presenter.page.locator("#timer-left").is_visible(), 10)
    left = presenter.text("#timer-left")
    assert left.startswith(("29:", "30:")), left
    presenter.page.click("a.lang")  # English: a new page
    wait_until(lambda: presenter.page.locator("html[lang=en]").count() == 1, 20)
    wait_until(lambda: presenter.text("#timer") != "00:00:00", 20)
    assert seconds(presenter.text("#timer")) >= 2, "the server's clock went on"
    assert presenter.page.input_value("#countdown") == "30"
    assert presenter.page.locator("#timer-left").is_visible()
    assert presenter.errors == []


def test_panel_keys_open_the_panels(pages):
    screen = pages(f"screen?key={SCREEN_KEY}&name=judge")
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: presenter.seq() >= 0 and screen.seq() >= 0, 30)
    on = presenter.page.locator("#panels button.on")
    for key, panel in (("s", "source"), ("f", "facts"), ("r", "corroboration"), ("e", "content")):
        presenter.page.keyboard.press(key)
        wait_until(lambda p=panel: on.count() == 1 and on.get_attribute("data-panel") == p, 10)
    assert "(S)" in presenter.text("#panels") and "Shift" in presenter.text("p.hint")


def test_holding_shift_over_the_miniature_points_on_every_screen(pages):
    screen = pages(f"screen?key={SCREEN_KEY}&name=judge")
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: presenter.seq() >= 0 and screen.seq() >= 0, 30)
    presenter.page.keyboard.press("ArrowRight")
    wait_until(lambda: screen.data("stage", "blank") == "", 10)
    pointer = screen.page.locator("#stage .stage-pointer")
    assert pointer.is_hidden()
    box = presenter.page.locator("#stage").bounding_box()
    presenter.page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.2)
    presenter.page.keyboard.down("Shift")
    presenter.page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5)
    wait_until(lambda: pointer.is_visible(), 10)
    left = pointer.evaluate("e => parseFloat(e.style.left)")
    assert 70 < left < 80, left
    presenter.page.keyboard.up("Shift")
    wait_until(lambda: pointer.is_hidden(), 10)
    presenter.page.click("#laser")  # the button: on without a key held
    presenter.page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    wait_until(lambda: pointer.is_visible(), 10)
    presenter.page.click("#laser")
    wait_until(lambda: pointer.is_hidden(), 10)
    assert presenter.errors == [] and screen.errors == []


def test_the_expert_sees_exhibits_and_controls_but_no_notes(pages):
    presenter = pages(f"present?key={PRESENTER_KEY}")
    expert = pages(f"present?key={EXPERT_KEY}")
    wait_until(lambda: presenter.seq() >= 0 and expert.seq() >= 0, 30)
    assert expert.page.locator("#notes, #challenges").count() == 0
    wait_until(lambda: expert.page.locator("#exhibit-list li").count() == 17, 20)
    wait_until(lambda: expert.data("preview", "item") == "E02", 20)
    presenter.page.click("#handover")  # to the expert
    wait_until(lambda: expert.page.locator("#handover").is_visible(), 10)
    expert.page.keyboard.press("c")  # no responses to show: nothing happens
    expert.page.keyboard.press("ArrowRight")
    wait_until(lambda: presenter.data("stage", "blank") == "", 10)
    assert expert.errors == [] and presenter.errors == []
