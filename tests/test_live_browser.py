"""The presenter and screen pages in headless Chromium, against `python app.py` serving."""

from __future__ import annotations

import os
import signal

import pytest

from presenter.deck import load_deck

from .conftest import DEMO_DECK, PRESENTER_KEY, PUBLIC_KEY, SCREEN_KEY, serve_deck, wait_until


@pytest.fixture
def server(deck_copy, tmp_path):
    with serve_deck(deck_copy, tmp_path / "instance") as served:
        yield served


class Watched:
    """A page whose console errors and uncaught exceptions are kept."""

    def __init__(self, browser, url: str, viewport=(1280, 800)) -> None:
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(url)

    def seq(self) -> int:
        value = self.page.evaluate("document.documentElement.dataset.seq")
        return int(value) if value is not None else -1

    def stage(self, key: str) -> str | None:
        return self.page.evaluate(f"document.getElementById('stage').dataset.{key}")


@pytest.fixture
def pages(browser, server):
    opened: list[Watched] = []

    def open_page(path: str) -> Watched:
        watched = Watched(browser, server.url + path)
        opened.append(watched)
        return watched

    yield open_page
    for watched in opened:
        watched.context.close()


def presenter_seq(presenter: Watched) -> int:
    """The seq the presenter's miniature has applied."""
    value = presenter.stage("seq")
    return int(value) if value else -1


def test_arrow_in_the_presenter_moves_the_screen_to_the_next_exhibit(pages):
    screen = pages(f"screen?key={SCREEN_KEY}&name=judge")
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: screen.seq() >= 0 and presenter_seq(presenter) >= 0, 30)
    assert screen.stage("blank") == "logo"
    presenter.page.keyboard.press("ArrowRight")  # first: the logo goes away
    wait_until(lambda: screen.stage("blank") == "", 10)
    steps = len(load_deck(DEMO_DECK, verify_hashes=False).deck.exhibit("E01").steps)
    for _ in range(steps + 1):
        before = screen.seq()
        presenter.page.keyboard.press("ArrowRight")
        wait_until(lambda b=before: screen.seq() > b, 10)
    wait_until(lambda: screen.stage("item") == "E02", 10)
    assert "李某发布" in screen.page.locator("#stage").inner_text()
    wait_until(lambda: presenter_seq(presenter) == screen.seq(), 10)
    assert presenter.stage("item") == "E02", "the miniature shows what the screens show"
    assert screen.errors == [] and presenter.errors == []


def test_b_blanks_the_screen_and_b_again_brings_it_back(pages):
    screen = pages(f"screen?key={SCREEN_KEY}&name=judge")
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: screen.seq() >= 0 and presenter_seq(presenter) >= 0, 30)
    presenter.page.keyboard.press("ArrowRight")
    wait_until(lambda: screen.stage("blank") == "", 10)
    presenter.page.keyboard.press("b")
    wait_until(lambda: screen.stage("blank") == "black", 10)
    colour = screen.page.eval_on_selector(
        "#stage .stage-blank", "e => getComputedStyle(e).backgroundColor"
    )
    assert colour == "rgb(0, 0, 0)"
    # B toggles from the state the presenter has: wait until it has the black one too
    wait_until(lambda: presenter.stage("blank") == "black", 10)
    presenter.page.keyboard.press("b")
    wait_until(lambda: screen.stage("blank") == "", 10)


def test_typing_a_number_then_enter_jumps_to_that_exhibit(pages):
    screen = pages(f"screen?key={SCREEN_KEY}&name=judge")
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: screen.seq() >= 0 and presenter_seq(presenter) >= 0, 30)
    presenter.page.keyboard.type("11")
    presenter.page.keyboard.press("Enter")
    wait_until(lambda: screen.stage("item") == "E11", 10)


def test_a_screen_page_survives_a_server_restart(browser, deck_copy, tmp_path):
    instance = tmp_path / "instance"
    with serve_deck(deck_copy, instance) as first:
        screen = Watched(browser, first.url + f"screen?key={SCREEN_KEY}&name=judge")
        wait_until(lambda: screen.seq() >= 0, 30)
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait()
        wait_until(lambda: screen.page.locator("#connection").is_visible(), 20)
        port = int(first.url.rsplit(":", 1)[1].strip("/"))
    try:
        with serve_deck(deck_copy, instance, port) as second:
            wait_until(lambda: not screen.page.locator("#connection").is_visible(), 30)
            presenter = Watched(browser, second.url + f"present?key={PRESENTER_KEY}")
            wait_until(lambda: presenter_seq(presenter) >= 0, 30)
            presenter.page.keyboard.press("ArrowRight")
            wait_until(lambda: screen.stage("blank") == "", 15)
            wait_until(lambda: screen.seq() == presenter_seq(presenter), 15)
            presenter.context.close()
    finally:
        screen.context.close()


def test_nothing_a_screen_key_can_fetch_holds_presenter_only_text(browser, server):
    deck = load_deck(DEMO_DECK, verify_hashes=False).deck
    secrets = [e.notes.strip()[:12] for e in deck.exhibits if e.notes.strip()]
    secrets += [c.response[:12] for e in deck.exhibits for c in e.challenges]
    secrets += [e.review.legality[:12] for e in deck.exhibits if e.review and e.review.legality]
    screen = Watched(browser, server.url + f"screen?key={SCREEN_KEY}&name=judge")
    try:
        wait_until(lambda: screen.seq() >= 0, 30)
        fetched = [screen.page.content()]
        request = screen.context.request
        for exhibit in deck.exhibits:
            for panel in ("content", "source", "facts", "corroboration"):
                response = request.get(server.url + f"screen/exhibit/{exhibit.id}/{panel}")
                assert response.status == 200
                fetched.append(response.text())
            for name in exhibit.files:
                if name.endswith((".csv", ".php")):
                    fetched.append(request.get(server.url + f"files/{exhibit.id}/{name}").text())
        for path in ("present", "present/deck.json", ""):
            response = request.get(server.url + path, max_redirects=0)
            assert response.status in (302, 303, 403) or path == "", path
            fetched.append(response.text())
        everything = "\n".join(fetched)
        assert secrets and [s for s in secrets if s in everything] == []
    finally:
        screen.context.close()


def test_a_screen_cookie_cannot_open_the_presenter_page(browser, server):
    screen = Watched(browser, server.url + f"screen?key={SCREEN_KEY}&name=judge")
    try:
        response = screen.page.goto(server.url + "present")
        assert response.status == 403
        assert "公诉人" in screen.page.content() or "presenter" in screen.page.content()
        response = screen.page.goto(server.url + f"present?key={SCREEN_KEY}")
        assert response.status == 403
    finally:
        screen.context.close()


def test_a_public_screen_never_receives_a_full_card_number(pages, server):
    screen = pages(f"screen?key={PUBLIC_KEY}")
    bodies: list[str] = []
    screen.page.on(
        "response",
        lambda r: bodies.append(r.text()) if "/screen/exhibit/" in r.url else None,
    )
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: screen.seq() >= 0 and presenter_seq(presenter) >= 0, 30)
    presenter.page.keyboard.press("ArrowRight")
    presenter.page.keyboard.type("11")
    presenter.page.keyboard.press("Enter")
    wait_until(lambda: screen.stage("item") == "E11" and screen.stage("blank") == "", 10)
    wait_until(lambda: "622200*********0101" in screen.page.locator("#stage").inner_text(), 10)
    wait_until(lambda: len(bodies) >= 4, 10)  # the panels fetched ahead too
    assert not any("6222000000000000101" in body for body in bodies)
    assert "6222000000000000101" not in screen.page.content()
    # the presenter's miniature draws the same chart whole, when it has drawn it
    wait_until(lambda: "6222000000000000101" in presenter.page.locator("#stage").inner_text(), 10)


def test_a_used_control_gives_the_keys_back_to_the_presentation(pages):
    """A technician filters a table, or touches the time slider, then drives with the keys
    again: B blanks the screens (it is not typed into the filter), → is the next step (it
    does not move the slider), Escape leaves a field."""
    screen = pages(f"screen?key={SCREEN_KEY}&name=judge")
    presenter = pages(f"present?key={PRESENTER_KEY}")
    page = presenter.page
    wait_until(lambda: screen.seq() >= 0 and presenter_seq(presenter) >= 0, 30)
    page.keyboard.press("ArrowRight")
    page.keyboard.type("8")
    page.keyboard.press("Enter")
    wait_until(lambda: screen.stage("item") == "E08" and screen.stage("blank") == "", 10)
    page.fill("#table-filter", "陈某")
    page.press("#table-filter", "Enter")
    wait_until(lambda: page.evaluate("document.activeElement.id") != "table-filter", 10)
    page.keyboard.press("b")
    # B toggles from what the presenter's page knows: wait until it knows the black screen
    wait_until(lambda: screen.stage("blank") == presenter.stage("blank") == "black", 10)
    assert page.input_value("#table-filter") == "陈某"
    page.keyboard.press("b")
    wait_until(lambda: screen.stage("blank") == "", 10)
    page.focus("#table-filter")
    page.keyboard.press("Escape")  # leaves the field: the next key drives again
    assert page.evaluate("document.activeElement.id") != "table-filter"
    page.keyboard.type("11")
    page.keyboard.press("Enter")
    wait_until(lambda: screen.stage("item") == "E11" and screen.stage("step") == "0", 10)
    page.wait_for_selector("#chart-controls:not([hidden])")
    page.focus("#chart-until")
    page.keyboard.press("ArrowRight")  # the slider does not keep the arrow
    wait_until(lambda: screen.stage("step") == "1", 10)
    assert presenter.errors == [] and screen.errors == []


def test_with_the_server_down_the_presenter_is_told_it_is_reconnecting(
    browser, deck_copy, tmp_path
):
    with serve_deck(deck_copy, tmp_path / "instance") as served:
        watched = Watched(browser, f"{served.url}present?key={PRESENTER_KEY}")
        wait_until(lambda: presenter_seq(watched) >= 0, 30)
        served.process.terminate()
        served.process.wait(timeout=30)
        status = watched.page.locator("#connection")
        wait_until(lambda: "重连" in status.inner_text(), 20)
        for _ in range(3):  # socket.io keeps trying: never "the key is not valid"
            watched.page.wait_for_timeout(1000)
            assert "密钥无效" not in status.inner_text()
        watched.context.close()


def test_a_number_that_is_no_exhibit_says_so(pages):
    presenter = pages(f"present?key={PRESENTER_KEY}")
    wait_until(lambda: presenter_seq(presenter) >= 0, 30)
    seq = presenter_seq(presenter)
    presenter.page.keyboard.type("99")
    presenter.page.keyboard.press("Enter")
    toast = presenter.page.locator("#toast")
    toast.wait_for(state="visible", timeout=5000)
    assert "99" in toast.inner_text() and "17" in toast.inner_text()
    assert presenter_seq(presenter) == seq, "nothing was sent to the screens"
