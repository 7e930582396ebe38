"""A deck full of classic XSS payloads, presented in Chromium: nothing runs, nothing leaves.

Every text field, CSV cell, file name and Markdown body carries payloads; the presenter
walks every exhibit, step and panel while a screen follows. No dialog may open, no payload
may set its global, and no request may go anywhere but the app.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from PIL import Image

from presenter.integrity import hash_bytes

from .conftest import PRESENTER_KEY, SCREEN_KEY, serve_deck, wait_until

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=2;alert(2)">',
    '<svg onload="window.__xss=3;alert(3)">',
    '"><script>window.__xss=4;alert(4)</script>',
    "'><img src=x onerror=window.__xss=5;alert(5)>",
    "javascript:window.__xss=6;alert(6)",
    '<iframe src="javascript:top.__xss=7;alert(7)"></iframe>',
    "<body onload=window.__xss=8;alert(8)>",
    "[link](javascript:window.__xss=9;alert(9))",
    '<math><mi xlink:href="javascript:alert(10)">x</mi></math>',
    "<details open ontoggle=window.__xss=11;alert(11)>",
    "<input autofocus onfocus=window.__xss=12;alert(12)>",
    '<video><source onerror="window.__xss=13;alert(13)"></video>',
    "<style>@import 'http://evil.example/x.css';</style>",
    "![track](http://evil.example/pixel.png)",
    '<object data="javascript:alert(16)"></object>',
    '<embed src="javascript:alert(17)">',
    '<form action="javascript:alert(18)"><button>go</button></form>',
    "<marquee onstart=window.__xss=19;alert(19)>",
    '<base href="http://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(21)">',
    "<svg><animate onbegin=window.__xss=22;alert(22) attributeName=x dur=1s>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "{{ 7*7 }}{% raw %}${alert(24)}",
    '<a href="data:text/html,<script>alert(25)</script>">d</a>',
]
ALL = " ".join(PAYLOADS)
NAME = "<svg onload=alert(26)>"
"""A payload that can be a file name (no slash)."""


def toml(value: object) -> str:
    """A TOML value (JSON strings are TOML basic strings)."""
    return json.dumps(value, ensure_ascii=False)


def hostile_deck(root):
    files = root / "files"
    files.mkdir(parents=True)
    (root / "items").mkdir()
    chat = io.StringIO()
    writer = csv.writer(chat, lineterminator="\n")
    writer.writerow(["time", "sender", "text"])
    for i, payload in enumerate(PAYLOADS):
        writer.writerow([f"2024-03-01 10:{i:02d}", payload[:40], payload])
    chat_name = f"files/{NAME}.csv"
    (root / chat_name).write_text(chat.getvalue(), encoding="utf-8")
    image = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(image, format="PNG")
    (files / "shot.png").write_bytes(image.getvalue())
    (files / "page.php").write_text("\n".join(PAYLOADS) + "\n", encoding="utf-8")
    (root / "deck.toml").write_text(
        f"""format = 1

[case]
title = {toml(ALL)}
number = {toml(PAYLOADS[1])}
court = {toml(PAYLOADS[2])}
defendants = {toml(PAYLOADS[:3])}

[[fact]]
id = "F1"
text = {toml(ALL)}
element = "identity"

[[evidence]]
id = "C1"
kind = "victim_statement"
title = {toml(ALL)}
excerpt = {toml(ALL)}
cite = {toml(PAYLOADS[4])}
""",
        encoding="utf-8",
    )

    def source(name: str | None, data: bytes | None) -> str:
        text = f"""[source]
method = "online"
collectors = {toml(PAYLOADS[:4])}
witnesses = {toml(PAYLOADS[4:8])}
holder = {toml(ALL)}
location = {toml(ALL)}
tool = {toml(ALL)}
procedure = {toml(ALL)}
url = {toml(PAYLOADS[5])}
documents = {toml(PAYLOADS[8:12])}
medium = {{ brand = {toml(PAYLOADS[0])}, serial = {toml(PAYLOADS[1])} }}

[[source.change]]
what = {toml(ALL)}
why = {toml(ALL)}

[[source.defect]]
what = {toml(ALL)}
remedy = {toml(ALL)}
"""
        if name and data is not None:
            text += f"""
[[source.hash]]
file = {toml(name)}
algorithm = "sha256"
value = "{hash_bytes(data, "sha256")}"
"""
        return text

    common = f"""
[[shows]]
fact = "F1"
aspect = "identity"
how = {toml(ALL)}

[[corroborates]]
with = "C1"
fact = "F1"
point = {toml(ALL)}

[[challenge]]
ground = "legality"
claim = {toml(ALL)}
response = {toml(ALL)}

[review]
legality = {toml(ALL)}
"""
    body = "\n\n".join(PAYLOADS) + "\n\n???\n\n" + "\n\n".join(PAYLOADS) + "\n"
    items = {
        "e01-chat.md": ("E01", "chat", chat_name, '\n[[step]]\nlabel = {}\nmessages = "1-5"\n'),
        "e02-image.md": (
            "E02",
            "image",
            "files/shot.png",
            "\n[[step]]\nlabel = {}\nregion = [0.1, 0.1, 0.5, 0.5]\n",
        ),  # noqa: E501
        "e03-code.md": ("E03", "code", "files/page.php", '\n[[step]]\nlabel = {}\nlines = "2-4"\n'),
        "e04-text.md": ("E04", "markdown", None, ""),
    }
    for filename, (item, view, name, step) in items.items():
        data = (root / name).read_bytes() if name else None
        files_line = f"files = [{toml(name)}]" if name else ""
        (root / "items" / filename).write_text(
            f"""+++
id = "{item}"
title = {toml(ALL)}
type = "file"
view = "{view}"
{files_line}

{source(name, data)}
{common}
{step.format(toml(ALL))}
+++
{body}""",
            encoding="utf-8",
        )
    return root


def on_screen(page, what: str) -> str | None:
    """The exhibit id, or the panel, that the screen page has applied."""
    if what == "item":
        return page.evaluate("document.getElementById('stage').dataset.item")
    return page.evaluate("document.querySelector('#stage .stage-content')?.dataset.panel")


@pytest.fixture
def hostile_server(tmp_path):
    deck = hostile_deck(tmp_path / "hostile")
    with serve_deck(deck, tmp_path / "instance") as served:
        yield served


def test_no_payload_runs_and_nothing_leaves_the_app(browser, hostile_server):
    url = hostile_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    dialogs: list[str] = []
    outside: list[str] = []
    context.on("request", lambda r: None if r.url.startswith(url) else outside.append(r.url))
    try:
        screen = context.new_page()
        presenter = context.new_page()
        for page in (screen, presenter):
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        screen.goto(f"{url}screen?key={SCREEN_KEY}&name=public")
        presenter.goto(f"{url}present?key={PRESENTER_KEY}")
        wait_until(lambda: screen.evaluate("document.documentElement.dataset.seq"), 30)
        wait_until(lambda: presenter.evaluate("document.getElementById('stage').dataset.seq"), 30)
        keyboard = presenter.keyboard
        keyboard.press("ArrowRight")  # off the logo
        for number in range(1, 5):
            keyboard.type(str(number))
            keyboard.press("Enter")
            wait_until(lambda n=number: on_screen(screen, "item") == f"E0{n}", 10)
            keyboard.press("c")
            for panel in ("source", "facts", "corroboration", "content"):
                presenter.click(f"#panels button[data-panel={panel}]")
                wait_until(lambda p=panel: on_screen(screen, "panel") == p, 10)
            keyboard.press("ArrowRight")
            keyboard.press("c")
        wait_until(
            lambda: (
                screen.evaluate("document.documentElement.dataset.seq")
                == presenter.evaluate("document.getElementById('stage').dataset.seq")
            ),
            10,
        )
        for page in (screen, presenter):
            assert page.evaluate("window.__xss") is None
        assert "<script>window.__xss=1" in screen.locator("#stage").inner_text(), "shown as text"
        assert dialogs == []
        assert outside == []
    finally:
        context.close()
