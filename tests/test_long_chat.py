"""A chat of 10,000 messages: sent and drawn a window at a time, on HTTP and in Chromium."""

from __future__ import annotations

import hashlib

import pytest

from .conftest import PRESENTER_KEY, PUBLIC_KEY, SCREEN_KEY, keyed_client, serve_deck, wait_until
from .deckfactory import edit, write_deck

MESSAGES = 10_000


def long_chat(root):
    deck = write_deck(root)
    lines = ["时间,发送人,内容"]
    for n in range(1, MESSAGES + 1):
        sender = "阳光总在风雨后" if n % 2 else "陈某"
        lines.append(f"2024-03-01 10:{n % 60:02d},{sender},第{n}条 手机13800138{n % 1000:03d}")
    chat = deck / "files" / "chat.csv"
    old = hashlib.sha256(chat.read_bytes()).hexdigest()
    chat.write_text("\n".join(lines) + "\n", encoding="utf-8")
    item = deck / "items" / "e01-chat.md"
    edit(item, old, hashlib.sha256(chat.read_bytes()).hexdigest())
    edit(item, 'messages = "1-2"', f'messages = "1-{MESSAGES}"')
    return deck


@pytest.fixture
def chat_app(tmp_path, instance):
    from presenter import create_app
    from presenter.deck import load_deck

    report = load_deck(long_chat(tmp_path / "chat"))
    assert report.deck is not None
    app = create_app(
        report, instance_path=instance, test_config={"TESTING": True},
        presenter_key=PRESENTER_KEY, screen_key=SCREEN_KEY, public_key=PUBLIC_KEY,
    )  # fmt: skip
    yield app
    app.extensions["shizheng.court"].record.close()


def test_a_long_chat_is_sent_a_window_at_a_time(chat_app):
    screen = keyed_client(chat_app, SCREEN_KEY)
    html = screen.get("/screen/exhibit/E01/content").get_data(as_text=True)
    assert html.count('class="msg ') == 60
    assert 'data-total="10000"' in html
    data = screen.get("/chats/E01/messages?start=9940").get_json()
    assert data["total"] == MESSAGES
    assert [m["n"] for m in data["messages"]] == list(range(9941, 10001))
    assert data["messages"][-1]["text"] == "第10000条 手机13800138000"
    # the thread's first sender is on the left in every window, as on the phone
    assert [m["side"] for m in data["messages"][:2]] == ["left", "right"]
    public = keyed_client(chat_app, PUBLIC_KEY).get("/chats/E01/messages?start=9940").get_json()
    assert "13800138000" not in public["messages"][-1]["text"]
    assert screen.get("/chats/E02/messages").status_code == 404
    assert screen.get("/chats/E01/messages?start=x").status_code == 400


def test_a_screen_draws_the_newest_window_of_a_long_chat(tmp_path, browser):
    deck = long_chat(tmp_path / "decks" / "chat")
    with serve_deck(deck, tmp_path / "instance") as served:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        gallery = browser.new_context(viewport={"width": 1280, "height": 800})
        screen, presenter = gallery.new_page(), context.new_page()
        screen.goto(f"{served.url}screen?key={PUBLIC_KEY}")
        presenter.goto(f"{served.url}present?key={PRESENTER_KEY}")
        wait_until(lambda: presenter.evaluate("document.getElementById('stage').dataset.seq"))
        presenter.keyboard.press("ArrowRight")  # from the logo to E01
        wait_until(lambda: screen.locator("#stage ol.chat .msg").count() == 60, 15)
        presenter.keyboard.press("ArrowRight")  # step 1: messages 1-10000
        newest = "#stage ol.chat .msg.hl"
        wait_until(lambda: screen.locator(newest).get_attribute("data-n") == "10000", 15)
        assert screen.locator("#stage ol.chat .msg").count() == 60
        text = screen.locator(newest).inner_text()
        assert "第10000条" in text and "13800138000" not in text
        context.close()
        gallery.close()
