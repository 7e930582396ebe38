"""Court screens that fit and read from the back row (issue 14 §1, §2), in headless Chromium.

Every demo exhibit, panel and page on screens of 1024×768, 1920×1080, 2560×1080 and
3840×2160: no text outside the picture, cut by its box or over other text, none smaller than
28 px on a picture 1080 px high (scaled with it). Long content is cut into pages that every
screen cuts alike and that the presenter turns; the presenter's miniature is the screen.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from presenter.deck import load_deck
from presenter.integrity import hash_bytes
from presenter.live.machine import Presentation
from presenter.live.state import MAX_FLOW_PAGES, LiveState

from .conftest import DEMO_DECK, PRESENTER_KEY, SCREEN_KEY, serve_deck, wait_until
from .screens import FIT_CHECK, SIZES, Screens, demo_screens


@pytest.mark.parametrize(
    ("aspect", "sizes"),
    [("16:9", SIZES), ("4:3", ((1024, 768), (1600, 1200)))],
    ids=["16:9 on four screens", "4:3 projectors"],
)
def test_every_demo_exhibit_panel_and_page_fits_every_screen_and_reads_from_the_back(
    browser, aspect, sizes
):
    seen, problems = 0, []
    with demo_screens(browser, sizes, aspect) as (screens, exhibits):
        for shot in screens.walk(exhibits):
            seen += 1
            for (width, height), found in screens.problems().items():
                problems += [f"{shot.name} {width}x{height}: {p}" for p in found]
    assert seen > len(exhibits) * 4, "every exhibit was shown on every panel"
    assert not problems, "\n".join(problems)


def long_deck(deck: Path) -> Path:
    """The demo deck, its chat (E04) 94 messages long with a step at the 80th, and its
    Markdown note (E09) thirty paragraphs long: each longer than any screen."""
    chat = deck / "files" / "chat-zhang-chen.csv"
    old = hash_bytes(chat.read_bytes(), "sha256")
    more = "".join(
        f"2026-03-2{n // 40} 1{n % 10}:{n % 60:02d},{'陈某' if n % 2 else '汇鑫-明远老师'},"
        f"第{25 + n}条消息：这是一段足够长的文字，用来检查换行与分页是否正确。,\n"
        for n in range(70)
    )
    with chat.open("a", encoding="utf-8") as stream:
        stream.write(more)
    item = deck / "items" / "e04-chat.md"
    text = item.read_text(encoding="utf-8").replace(old, hash_bytes(chat.read_bytes(), "sha256"))
    text = text.replace(
        'messages = "1-24"\n',
        'messages = "1-24"\n\n[[step]]\nlabel = "第80条"\nmessages = "1-80"\n',
    )
    item.write_text(text, encoding="utf-8")
    note = deck / "items" / "e09-login-log.md"
    head, _, rest = note.read_text(encoding="utf-8").rpartition("+++\n")
    paragraphs = "\n\n".join(f"第{n + 1}段。" + "检察机关依法出示电子数据，" * 6 for n in range(30))
    note.write_text(f"{head}+++\n{paragraphs}\n\n???\n{rest.partition('???')[2]}", encoding="utf-8")
    return deck


@pytest.fixture
def long_screens(browser, deck_copy, tmp_path):
    deck = long_deck(deck_copy)
    assert load_deck(deck).problems == ()
    with serve_deck(deck, tmp_path / "instance") as served:
        screens = Screens(
            browser, served.url, PRESENTER_KEY, SCREEN_KEY, ((1024, 768), (1920, 1080))
        )
        yield screens, served
        screens.close()


def shown_blocks(page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('#stage [data-flow] > *')]"
        ".filter((b) => b.checkVisibility()).map((b) => b.textContent.trim().slice(0, 12))"
    )


def test_long_content_is_cut_into_pages_every_screen_cuts_alike_and_follows(long_screens):
    screens, _ = long_screens
    screens.send({"action": "blank", "mode": None})
    screens.send({"action": "goto", "item": "E09"})  # the Markdown note
    pages = screens.pages_of()
    assert pages >= 2, "thirty paragraphs do not fit one screen"
    seen: list[str] = []
    for n in range(1, pages + 1):
        screens.send({"action": "page", "page": n})
        per_screen = {size: shown_blocks(page) for size, page in screens.pages.items()}
        assert len({tuple(b) for b in per_screen.values()}) == 1, "every screen shows the same page"
        for page in screens.pages.values():
            head = page.locator("#stage .exhibit-head").inner_text()
            assert f"{n}/{pages}" in head, "the page and the count are in the heading"
            assert page.evaluate(FIT_CHECK, 28) == []
        seen += next(iter(per_screen.values()))
    paragraphs = [f"第{n + 1}段。" for n in range(30)]
    assert [p[: len(q)] for p, q in zip(seen, paragraphs, strict=True)] == paragraphs, (
        "every paragraph on exactly one page, in order"
    )


def test_a_step_shows_the_page_of_its_message_and_moving_on_returns_to_it(long_screens):
    screens, _ = long_screens
    screens.send({"action": "blank", "mode": None})
    screens.send({"action": "goto", "item": "E04"})  # the chat
    screens.send({"action": "step", "step": 5})
    page = screens.pages[(1920, 1080)]
    newest = "#stage .msg.hl"
    assert page.locator(newest).is_visible(), "the step's message is on the page shown"
    assert "第80条消息" in page.locator(newest).inner_text()
    shown = int(page.evaluate("document.getElementById('stage').dataset.page"))
    assert shown > 1
    screens.send({"action": "page", "page": 1})
    assert not page.locator(newest).is_visible()
    screens.send({"action": "panel", "panel": "source"})
    screens.send({"action": "panel", "panel": "content"})
    assert page.locator(newest).is_visible(), "after another panel, the step's page again"


def test_the_presenter_turns_pages_of_long_content_and_a_step_or_panel_starts_again(demo):
    live = Presentation(demo, clock=lambda: 1000.0, pages={"E12": 3})
    live.command({"action": "blank", "mode": None}, "presenter")
    assert live.command({"action": "goto", "item": "E04"}, "presenter").ok
    assert live.state.flow_page == 0, "an exhibit opens on the page of its step's marks"
    assert live.command({"action": "page", "page": 3}, "presenter").ok
    assert (live.state.flow_page, live.state.page) == (3, 1)
    assert (
        live.command({"action": "page", "page": MAX_FLOW_PAGES + 1}, "presenter").error
        == "page_out_of_range"
    )
    assert live.command({"action": "next"}, "presenter").ok
    assert live.state.flow_page == 0, "a step shows its own marks"
    live.command({"action": "page", "page": 2}, "presenter")
    live.command({"action": "panel", "panel": "source"}, "presenter")
    assert live.state.flow_page == 0, "another panel starts at its first page"
    live.command({"action": "page", "page": 2}, "presenter")
    assert live.state.flow_page == 2, "a panel's long content has pages too"
    assert LiveState.from_json(live.state.to_json()) == live.state
    live.command({"action": "goto", "item": "E12"}, "presenter")  # a PDF: its own pages
    assert live.command({"action": "page", "page": 2}, "presenter").ok
    assert (live.state.page, live.state.flow_page) == (2, 0)
    assert live.command({"action": "page", "page": 99}, "presenter").error == "page_out_of_range"
    live.command({"action": "case", "show": True}, "presenter")
    assert live.command({"action": "page", "page": 2}, "presenter").ok
    assert live.state.flow_page == 2, "the case's matrix has pages"


@pytest.fixture(scope="module")
def demo():
    return load_deck(DEMO_DECK, verify_hashes=False).deck


def pixels(png: bytes, size=(320, 180)):
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB").resize(size, Image.Resampling.BOX)


def differing(a, b, threshold: int = 96) -> float:
    """The share of pixels whose brightness differs by more than `threshold` (of 255): more
    than the anti-aliasing of a glyph drawn at two sizes, less than any text moved."""
    from PIL import ImageChops

    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > threshold else 0)
    return diff.histogram()[255] / (diff.width * diff.height)


@pytest.mark.parametrize("item", ["E03", "E04", "E09", "E11"])
def test_the_presenters_miniature_is_the_screen_scaled(browser, demo_server, item):
    url, screens = demo_server
    presenter = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = presenter.new_page()
        page.goto(f"{url}present?key={PRESENTER_KEY}")
        seq = screens.send({"action": "goto", "item": item})
        screens.send({"action": "blank", "mode": None})
        seq = screens.send({"action": "step", "step": 0})
        wait_until(
            lambda: int(page.evaluate("document.getElementById('stage').dataset.seq || -1")) >= seq,
            30,
        )
        wait_until(
            lambda: page.evaluate("document.getElementById('stage').dataset.pages") is not None, 30
        )
        mini = pixels(page.locator("#stage .stage-canvas").screenshot())
        screen = pixels(screens.pages[(1920, 1080)].screenshot())
        assert differing(mini, screen) < 0.02
    finally:
        presenter.close()


@pytest.fixture(scope="module")
def demo_server(browser):
    with demo_screens(browser, ((1920, 1080),)) as (screens, _):
        yield screens.url, screens


def test_the_presenter_turns_the_pages_with_the_keys_and_sees_where_the_screens_are(
    browser, long_screens
):
    screens, served = long_screens
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        presenter = context.new_page()
        presenter.goto(f"{served.url}present?key={PRESENTER_KEY}")
        screens.send({"action": "blank", "mode": None})
        seq = screens.send({"action": "goto", "item": "E09"})
        mini = "document.getElementById('stage').dataset"
        wait_until(lambda: int(presenter.evaluate(f"{mini}.seq || -1")) >= seq, 30)
        pages = screens.pages_of()
        assert presenter.evaluate(f"{mini}.pages") == str(pages), "the miniature cuts the same"
        wait_until(lambda: presenter.locator("#page-count").inner_text() == f"1/{pages}", 10)
        screen = screens.pages[(1920, 1080)]
        presenter.keyboard.press("]")
        wait_until(lambda: screen.evaluate("document.getElementById('stage').dataset.page") == "2")
        wait_until(lambda: presenter.locator("#page-count").inner_text() == f"2/{pages}", 10)
        assert f"2/{pages}" in screen.locator("#stage .exhibit-head").inner_text()
        presenter.keyboard.press("[")
        wait_until(lambda: screen.evaluate("document.getElementById('stage').dataset.page") == "1")
        presenter.keyboard.press("[")  # nothing before the first page: nothing sent
        presenter.keyboard.press("]")
        wait_until(lambda: screen.evaluate("document.getElementById('stage').dataset.page") == "2")
        wait_until(lambda: presenter.locator("#page-count").inner_text() == f"2/{pages}", 10)
        # a clicker pressed quickly, all before the miniature has caught up (one task of the
        # page's): each press turns a page from the one asked before it, so the screens end
        # where the presses lead, not one page from where the miniature was
        presses = ["[", "]", "[", "[", "]"] + ["]"] * (pages - 1)  # "[" on page 1: nothing
        presenter.evaluate(
            """(keys) => keys.forEach((key) => document.dispatchEvent(
                 new KeyboardEvent("keydown", { key, bubbles: true })))""",
            presses,
        )
        last = str(pages)
        wait_until(lambda: presenter.locator("#page-count").inner_text() == f"{last}/{pages}")
        wait_until(lambda: screen.evaluate("document.getElementById('stage').dataset.page") == last)
    finally:
        context.close()


def test_a_passed_check_is_a_banner_on_its_view_only_and_a_failed_one_holds_every_panel(
    long_screens,
):
    screens, _ = long_screens
    screen = screens.pages[(1920, 1080)]
    verdict = "document.getElementById('stage').dataset.verify"
    screens.send({"action": "blank", "mode": None})
    screens.send({"action": "goto", "item": "E02"})
    screens.client.call("command", {"action": "verify"}, namespace="/live", timeout=30)
    wait_until(lambda: screen.evaluate(verdict) == "match", 30)
    assert screen.locator("#stage .stage-verify").is_visible()
    screens.send({"action": "panel", "panel": "source"})
    assert screen.evaluate(verdict) == "", "the next panel is not covered by the banner"
    assert not screen.locator("#stage .stage-verify").is_visible()
    screens.send({"action": "panel", "panel": "content"})
    assert screen.evaluate(verdict) == ""


def test_a_table_that_fits_shows_every_column_on_every_page(demo_server):
    _, screens = demo_server
    screen = screens.pages[(1920, 1080)]
    screens.send({"action": "blank", "mode": None})
    screens.send({"action": "goto", "item": "E04"})
    screens.send({"action": "panel", "panel": "source"})
    heads = (
        "[...document.querySelectorAll('#stage table.hashes th')]"
        ".filter((th) => th.checkVisibility()).length"
    )
    assert screen.evaluate(heads) == 4, "file, algorithm, hash value and its verdict, together"
    assert screens.pages_of() == 2
