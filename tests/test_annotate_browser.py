"""Annotations, side by side and the public gallery's masks as court screens draw them: Chromium
screens of several sizes follow `python app.py`, driven by a presenter over a real socket.

A shape is placed in fractions of the view's surface (the picture, the page, else the view's
box), so every screen puts it on the same spot of the picture, also under a callout; two views
side by side are two stages, each with its heading, text at the court's size; a public screen
asks for its pictures again when the redaction changes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from presenter.rendering import quantise

from .conftest import DEMO_DECK, PRESENTER_KEY, PUBLIC_KEY, SCREEN_KEY, serve_deck, wait_until

BIG, SMALL = (1920, 1080), (1024, 768)
RECT = {"kind": "rect", "points": [[0.2, 0.3], [0.6, 0.7]], "color": "#e02020", "text": ""}
COURT_PX_AT_1080 = 28

# where a mark's stroke lies, in fractions of a box of the page: [left, top, width, height]
PLACED = """([surface, id, root]) => {
  const stage = document.querySelector(root || '#stage');
  const box = typeof surface === 'string'
    ? stage.querySelector(surface).getBoundingClientRect() : surface;
  const ink = stage.querySelector(`.stage-marks g[data-id="${id}"] .ink`);
  if (!ink) return null;
  const r = ink.getBoundingClientRect();
  return [(r.left - box.left) / box.width, (r.top - box.top) / box.height,
          r.width / box.width, r.height / box.height];
}"""

CALLOUT = """() => {
  // the callout's picture as drawn: its natural shape fitted in its box (object-fit: contain)
  const img = document.querySelector('#stage img.callout');
  if (!img || !img.complete || !img.naturalWidth) return null;
  const r = img.getBoundingClientRect();
  const k = Math.min(r.width / img.naturalWidth, r.height / img.naturalHeight);
  const width = img.naturalWidth * k, height = img.naturalHeight * k;
  const left = r.left + (r.width - width) / 2, top = r.top + (r.height - height) / 2;
  return { left, top, width, height };
}"""


LOADED = """() => {
  const img = document.querySelector('#stage img.exhibit-image');
  return img.complete && img.naturalWidth > 0 && img.currentSrc.endsWith(img.getAttribute('src'));
}"""


class Screen:
    """A page with a stage (a court screen, or the presenter's) in a browser window of its
    own; console errors and the addresses it asked for are kept."""

    def __init__(self, browser, address: str, size: tuple[int, int]) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(address)

    def seq(self) -> int:
        return int(self.page.evaluate("document.documentElement.dataset.seq || -1"))

    def stage(self, key: str) -> str | None:
        return self.page.evaluate(f"document.getElementById('stage').dataset.{key}")

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def attr(self, selector: str, name: str) -> str | None:
        """An attribute of the first element of the stage that matches (None: none does)."""
        return self.js(
            "([s, n]) => document.querySelector(`#stage ${s}`)?.getAttribute(n) ?? null",
            [selector, name],
        )

    def style(self, selector: str, name: str) -> str:
        return self.js(
            "([s, n]) => getComputedStyle(document.querySelector(`#stage ${s}`))[n]",
            [selector, name],
        )

    def text(self, selector: str) -> str:
        return self.js("(s) => document.querySelector(`#stage ${s}`).textContent", selector)

    def half(self, index: int, key: str) -> str | None:
        return self.js(
            "([i, k]) => document.querySelectorAll('#stage .stage-half')[i].dataset[k]",
            [index, key],
        )

    def close(self) -> None:
        self.context.close()


class Court:
    """One server, a presenter's socket and the screens following it."""

    def __init__(self, browser, url: str) -> None:
        import socketio

        self.browser = browser
        self.url = url
        self.screens: dict[str, Screen] = {}
        self.client = socketio.Client(reconnection=False)
        self.client.connect(
            url,
            namespaces=["/live"],
            auth={"key": PRESENTER_KEY, "role": "presenter", "name": "test"},
            transports=["websocket"],
            wait_timeout=30,
        )

    def open(self, name: str, size=BIG, key: str = SCREEN_KEY) -> Screen:
        screen = Screen(self.browser, f"{self.url}screen?key={key}&name={name}", size)
        self.screens[name] = screen
        wait_until(lambda: screen.seq() >= 0, 30)
        return screen

    def send(self, **command) -> dict:
        """Carry out a command; wait until every screen has drawn its state."""
        answer = self.client.call("command", command, namespace="/live", timeout=30)
        assert answer.get("ok"), (command, answer)
        for screen in self.screens.values():
            wait_until(lambda s=screen: s.seq() >= answer["seq"], 30)
        return answer

    def draw(self, **shape) -> dict:
        return self.send(action="annotate", op="add", shape={**RECT, **shape})

    def all(self, condition) -> None:
        for screen in self.screens.values():
            wait_until(lambda s=screen: condition(s), 20)

    def close(self) -> None:
        self.client.disconnect()
        for screen in self.screens.values():
            screen.close()


@pytest.fixture(scope="module")
def court(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("annotate-browser")
    deck = Path(shutil.copytree(DEMO_DECK, root / "decks" / "demo"))
    with serve_deck(deck, root / "instance") as served:
        court = Court(browser, served.url)
        court.open("big", BIG)
        court.open("small", SMALL)
        try:
            yield court
        finally:
            court.close()


@pytest.fixture
def on(court):
    """The court on an exhibit, one view, nothing drawn; no screen logged an error."""

    def go(item: str) -> Court:
        court.send(action="compare", items=[])
        court.send(action="blank", mode=None)
        court.send(action="goto", item=item)
        court.send(action="annotate", op="clear")
        court.all(lambda s: s.stage("marks") == "0" and s.stage("item") == item)
        return court

    yield go
    for name in [n for n in court.screens if n not in ("big", "small")]:
        court.screens.pop(name).close()
    for screen in court.screens.values():
        assert screen.errors == []


def near(a, b, tolerance=0.006) -> bool:
    return a is not None and all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def test_a_rect_lands_on_the_same_picture_pixels_on_a_large_and_a_small_screen(on):
    court = on("E02")
    court.draw()
    court.all(lambda s: s.stage("marks") == "1")
    placed = {}
    for name, screen in court.screens.items():
        placed[name] = wait_until(lambda s=screen: s.js(PLACED, ["img.exhibit-image", 1]))
        assert near(placed[name], (0.2, 0.3, 0.4, 0.4)), (name, placed[name])
    assert near(placed["big"], placed["small"], 0.004)


def test_a_shape_keeps_its_spot_of_the_picture_under_a_callout_and_outside_it_is_clipped(on):
    court = on("E02")
    court.draw()
    court.draw(kind="ellipse", points=[[0.75, 0.05], [0.95, 0.15]])  # outside the region
    region = [0.1, 0.2, 0.5, 0.55]
    court.send(action="region", region=region)
    qx, qy, qw, qh = quantise(*region)
    expected = ((0.2 - qx) / qw, (0.3 - qy) / qh, 0.4 / qw, 0.4 / qh)
    for name, screen in court.screens.items():
        callout = wait_until(lambda s=screen: s.js(CALLOUT))
        placed = wait_until(lambda s=screen, c=callout: s.js(PLACED, [c, 1]))
        assert near(placed, expected), (name, placed, expected)
        # the ellipse is drawn beyond the callout's picture, where the marks are clipped
        outside = screen.js(PLACED, [callout, 2])
        assert outside[0] > 1 or outside[1] + outside[3] < 0, outside
        seen = screen.js(
            "() => document.querySelector('#stage .stage-marks:not(.stage-highlights) svg')"
            ".getBoundingClientRect().toJSON()"
        )
        assert abs(seen["left"] - callout["left"]) < 1.5
        assert abs(seen["width"] - callout["width"]) < 1.5
    court.send(action="region", region=None)
    court.all(lambda s: near(s.js(PLACED, ["img.exhibit-image", 1]), (0.2, 0.3, 0.4, 0.4)))


@pytest.mark.parametrize(
    ("item", "surface"),
    [
        ("E12", "img.pdf-page"),  # a document's page
        ("E04", ".exhibit-view"),  # a chat
        ("E08", ".exhibit-view"),  # a table
        ("E01", ".exhibit-view"),  # a chart
    ],
)
def test_a_shape_on_a_page_a_chat_a_table_and_a_chart_is_on_its_surface(on, item, surface):
    court = on(item)
    court.draw()
    court.draw(kind="text", points=[[0.62, 0.3]], text="注意此处")
    court.all(lambda s: s.stage("marks") == "2")
    placed = {}
    for name, screen in court.screens.items():
        placed[name] = wait_until(lambda s=screen: s.js(PLACED, [surface, 1]))
        assert near(placed[name], (0.2, 0.3, 0.4, 0.4)), (name, placed[name])
        # the label is at least the court's text size
        size = screen.js(
            "() => parseFloat(document.querySelector('#stage .stage-marks text.label')"
            ".getAttribute('font-size'))"
        )
        canvas = screen.js("() => document.querySelector('#stage .stage-canvas').clientHeight")
        assert size >= COURT_PX_AT_1080 * canvas / 1080
    assert near(placed["big"], placed["small"], 0.004)


def test_undo_and_clear_take_shapes_off_every_screen(on):
    court = on("E02")
    court.draw()
    court.draw(kind="arrow", points=[[0.9, 0.9], [0.6, 0.7]])
    court.draw(kind="highlight", points=[[0.1, 0.8], [0.5, 0.8]], color="#ffd400")
    court.all(lambda s: s.stage("marks") == "3")
    court.send(action="annotate", op="undo")
    court.all(lambda s: s.stage("marks") == "2")
    assert court.screens["big"].js("() => !document.querySelector('#stage .stage-highlights g')")
    court.send(action="annotate", op="clear")
    court.all(lambda s: s.stage("marks") == "0")
    assert court.screens["small"].js("() => !document.querySelector('#stage .stage-marks g')")


def test_a_screen_opened_late_draws_the_shapes_already_there(on):
    court = on("E02")
    court.draw()
    court.draw(kind="pen", points=[[0.1, 0.5], [0.2, 0.55], [0.3, 0.5]], color="#1f9d3a")
    late = court.open("late", SMALL)
    wait_until(lambda: late.stage("marks") == "2", 20)
    assert near(wait_until(lambda: late.js(PLACED, ["img.exhibit-image", 1])), (0.2, 0.3, 0.4, 0.4))


def test_live_boxes_are_outlined_for_the_court_and_make_the_public_screen_fetch_again(on):
    court = on("E02")
    public = court.open("public", (1280, 720), PUBLIC_KEY)
    before = wait_until(lambda: public.attr("img.exhibit-image", "src"))
    court.send(action="redact", op="add", box=[0.25, 0.6, 0.35, 0.1])
    try:
        big = court.screens["big"]
        wait_until(lambda: big.stage("masked") == "1", 20)
        assert big.text(".masked text") == "旁听席遮挡"
        assert big.style(".masked .dash", "fill") == "none"
        # the public screen draws no outline: its picture is asked for again, at the new version
        court.send(action="redact", op="add", box=[0.7, 0.1, 0.2, 0.1])
        assert public.stage("masked") == "0"
        versioned = re.compile(r"/images/E02/[^?]*\?(.*&)?rv=\d+")
        asked = wait_until(lambda: [u for u in public.requests if versioned.search(u)], 20)
        after = public.attr("img.exhibit-image", "src")
        assert after != before and re.search(r"[?&]rv=\d+", after)
        assert any(after in url for url in asked)
        assert wait_until(lambda: public.js(LOADED), 20), "the server takes the picture's rv"
        # a callout on the public screen is cut at the same version
        court.send(action="region", region=[0.1, 0.2, 0.5, 0.5])
        callout = wait_until(lambda: public.attr("img.callout", "src"))
        assert re.search(r"\?rv=\d+&region=", callout), callout
        assert "rv=" not in court.screens["big"].attr("img.callout", "src")
    finally:
        court.send(action="region", region=None)
        court.send(action="redact", op="clear")


def halves(screen: Screen):
    return screen.js(
        """() => [...document.querySelectorAll('#stage .stage-half')].map((half) => {
          const r = half.getBoundingClientRect();
          const section = half.querySelector('.stage-content');
          return { item: half.dataset.item, step: half.dataset.step, pages: half.dataset.pages,
                   active: half.classList.contains('active'), width: r.width, height: r.height,
                   heading: section?.querySelector('.exhibit-head .exhibit-id')?.textContent,
                   font: section ? parseFloat(getComputedStyle(section).fontSize) : 0,
                   headingFont: parseFloat(
                     getComputedStyle(section.querySelector('.exhibit-head h1')).fontSize) };
        })"""
    )


def test_side_by_side_shows_two_exhibits_each_with_its_heading(on):
    court = on("E02")
    court.draw()
    court.send(action="compare", items=["E02", "E08"], layout="50/50", direction="row")
    court.all(lambda s: s.stage("compare") == "row")
    for screen in court.screens.values():
        left, right = halves(screen)
        assert (left["heading"], right["heading"]) == ("E02", "E08")
        assert abs(left["width"] / right["width"] - 1) < 0.01 and left["height"] == right["height"]
        # the active half's shapes, on its own picture (drawn once it has loaded)
        wait_until(lambda s=screen: s.half(0, "marks") == "1", 15)
        placed = screen.js(PLACED, ["img.exhibit-image", 1, "#stage .stage-half"])
        assert near(placed, (0.2, 0.3, 0.4, 0.4)), placed
        assert screen.style(".stage-body", "visibility") == "hidden"
    # every screen cuts the table's half into the same pages
    assert halves(court.screens["big"])[1]["pages"] == halves(court.screens["small"])[1]["pages"]


def test_a_column_side_by_side_keeps_the_courts_text_size(on):
    court = on("E02")
    court.send(action="compare", items=["E02", "E08"], layout="60/40", direction="column")
    court.all(lambda s: s.stage("compare") == "column")
    for screen in court.screens.values():
        top, bottom = halves(screen)
        assert abs(top["height"] / (top["height"] + bottom["height"]) - 0.6) < 0.01
        canvas = screen.js("() => document.querySelector('#stage .stage-canvas').clientHeight")
        least = COURT_PX_AT_1080 * canvas / 1080 - 0.5
        for half in (top, bottom):
            assert half["font"] >= least and half["headingFont"] >= least, (half, least)
    assert halves(court.screens["big"])[1]["pages"] == halves(court.screens["small"])[1]["pages"]


def test_swap_changes_the_active_half_and_a_step_changes_only_that_half(on):
    court = on("E02")
    court.send(action="compare", items=["E02", "E08"])
    court.all(lambda s: s.stage("compare") == "row" and s.stage("active") == "0")
    court.send(action="compare", swap=True)
    court.all(lambda s: s.stage("active") == "1" and s.stage("item") == "E08")
    big = court.screens["big"]
    left = big.js("() => document.querySelector('#stage .stage-half').innerHTML")
    court.send(action="step", step=1)
    for screen in court.screens.values():
        first, second = halves(screen)
        assert (first["step"], second["step"]) == ("0", "1")
        assert second["active"] and not first["active"]
    assert big.js("() => document.querySelectorAll('#stage .stage-half tr.hl').length") > 0
    assert big.js("() => document.querySelector('#stage .stage-half').innerHTML") == left
    # shapes go to the active half
    court.draw()
    court.all(lambda s: s.half(1, "marks") == "1")
    assert big.half(0, "marks") == "0"


def test_a_screen_opened_during_side_by_side_and_its_end(on):
    court = on("E02")
    court.send(action="compare", items=["E02", "E04"], layout="60/40")
    late = court.open("late", SMALL)
    wait_until(lambda: late.stage("compare") == "row", 20)
    assert [h["heading"] for h in halves(late)] == ["E02", "E04"]
    court.send(action="compare", items=[])
    court.all(lambda s: s.stage("compare") == "" and s.stage("item") == "E02")
    for screen in court.screens.values():
        assert screen.style(".stage-halves", "visibility") == "hidden"
        assert screen.style(".stage-body", "visibility") == "visible"
        assert screen.text("> .stage-canvas > .stage-body .exhibit-id") == "E02"


def test_the_half_the_keys_drive_is_framed_on_the_presenters_miniature_only(on):
    court = on("E02")
    court.draw()
    presenter = Screen(court.browser, f"{court.url}present?key={PRESENTER_KEY}", (1600, 1000))
    try:
        seq = court.send(action="compare", items=["E02", "E08"])["seq"]
        wait_until(lambda: int(presenter.stage("seq") or -1) >= seq, 30)
        frame = """() => getComputedStyle(
          document.querySelector('#stage .stage-half.active'), '::after').boxShadow"""
        assert "inset" in presenter.js(frame)
        assert court.screens["big"].js(frame) == "none"
        # the miniature is the same stage: the same halves, the shape on the active one
        # (drawn once its picture has loaded)
        assert presenter.half(1, "item") == "E08"
        wait_until(lambda: presenter.half(0, "marks") == "1", 15)
        assert presenter.errors == []
    finally:
        presenter.close()
