"""Exhibits of several files (issue 15 §3): a gallery of photos, a code folder, several
documents. Every file the view shows can be shown; which one is the live state's `file`,
set by a step (`file` in [[step]]) or by the presenter (`file` command, , and . keys)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from presenter.deck import load_deck
from presenter.deck.checks import find_file, shown_files, step_files
from presenter.live.machine import Presentation
from presenter.live.state import LiveState, StateStore

from .conftest import PRESENTER_KEY, SCREEN_KEY, court_app, keyed_client, serve_deck, wait_until
from .deckfactory import write_deck
from .test_presenter_view import Page

A_PHP = "<?php\n// deposit\n$amount = $_POST['amount'];\n"
B_PHP = "<?php\n// withdraw\n$fee = 0.3;\n$amount = $_POST['amount'];\nblock($amount);\npay();\n"

GALLERY_ITEM = """\
+++
id = "E05"
title = "现场照片"
type = "file"
view = "image"
files = [
    "files/scene/door.png", "files/scene/desk.png", "files/scene/{disk}", "files/scene/screen.png",
]

[source]
method = "onsite"

[[source.hash]]
file = "files/scene/{disk}"
algorithm = "md5"
value = "{disk_md5}"

[[shows]]
fact = "F1"
aspect = "identity"

[[step]]
label = "桌面"
file = "desk.png"
region = [0.1, 0.1, 0.5, 0.5]

[[step]]
label = "屏幕"
file = "files/scene/screen.png"
+++
"""

FOLDER_ITEM = """\
+++
id = "E06"
title = "平台源代码目录"
type = "tool"
view = "code"
files = ["files/code/deposit.php", "files/code/withdraw.php"]

[source]
method = "onsite"

[[source.hash]]
file = "files/code/withdraw.php"
algorithm = "sha256"
value = "{withdraw_sha256}"

[[shows]]
fact = "F2"
aspect = "means"

[[step]]
label = "手续费"
file = "withdraw.php"
lines = "3"

[[step]]
label = "拦截提现"
lines = "4-6"

[[step]]
label = "充值"
file = "deposit.php"
lines = "3"
+++
"""

DOCUMENTS_ITEM = """\
+++
id = "E07"
title = "银行流水与合同"
type = "file"
view = "document"
files = ["files/docs/contract.pdf", "files/docs/bank.pdf"]

[source]
method = "retrieval"

[[source.hash]]
file = "files/docs/bank.pdf"
algorithm = "sha256"
value = "{bank_sha256}"

[[shows]]
fact = "F2"
aspect = "funds"

[[step]]
label = "流水第三页"
file = "bank.pdf"
page = 3
+++
"""

COLOURS = {"door": (200, 30, 30), "desk": (30, 160, 30), "screen": (30, 30, 200)}


def pdf(path: Path, pages: int) -> None:
    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(300, 400)
    document.save(path)
    document.close()


def write_several(root: Path, disk: str = "disk.E01") -> Path:
    """The factory deck with a gallery of three photos (and a forensic image it carries),
    a code folder of two files and two documents, their steps naming their files."""
    write_deck(root)
    files = root / "files"
    for folder in ("scene", "code", "docs"):
        (files / folder).mkdir()
    for name, colour in COLOURS.items():
        Image.new("RGB", (160, 90), colour).save(files / "scene" / f"{name}.png")
    (files / "scene" / disk).write_bytes(b"EVF\x09\x0d\x0a\xff\x00" + bytes(range(256)))
    (files / "code" / "deposit.php").write_text(A_PHP, encoding="utf-8")
    (files / "code" / "withdraw.php").write_text(B_PHP, encoding="utf-8")
    pdf(files / "docs" / "contract.pdf", 2)
    pdf(files / "docs" / "bank.pdf", 4)
    digests = {
        "disk": disk,
        "disk_md5": hashlib.md5((files / "scene" / disk).read_bytes()).hexdigest(),
        "withdraw_sha256": hashlib.sha256(B_PHP.encode()).hexdigest(),
        "bank_sha256": hashlib.sha256((files / "docs" / "bank.pdf").read_bytes()).hexdigest(),
    }
    for name, item in [
        ("e05.md", GALLERY_ITEM),
        ("e06.md", FOLDER_ITEM),
        ("e07.md", DOCUMENTS_ITEM),
    ]:
        (root / "items" / name).write_text(item.format(**digests), encoding="utf-8")
    return root


@pytest.fixture
def several_dir(tmp_path: Path) -> Path:
    return write_several(tmp_path / "case-1")


@pytest.fixture
def deck(several_dir):
    report = load_deck(several_dir, verify_hashes=False)
    assert report.deck is not None, [p.render("en") for p in report.errors]
    return report.deck


# --- the deck: which files are shown, which a step names ------------------------------------


def test_a_view_shows_its_own_kinds_of_file_and_carries_the_rest(deck):
    gallery, folder, documents = (deck.exhibit(i) for i in ("E05", "E06", "E07"))
    assert shown_files(gallery) == (
        "files/scene/door.png",
        "files/scene/desk.png",
        "files/scene/screen.png",
    ), "the forensic image is hashed and listed, never in the gallery"
    assert shown_files(folder) == ("files/code/deposit.php", "files/code/withdraw.php")
    assert shown_files(documents) == ("files/docs/contract.pdf", "files/docs/bank.pdf")
    assert shown_files(deck.exhibit("E01")) == (), "a chat shows its one CSV whole"


def test_a_step_names_its_file_by_path_or_name_and_the_next_steps_stay_on_it(deck):
    folder = deck.exhibit("E06")
    assert find_file(folder, "withdraw.php") == ("files/code/withdraw.php", None)
    assert find_file(folder, "files/code/deposit.php") == ("files/code/deposit.php", None)
    assert find_file(folder, "nothing.php") == (None, "step_file_unknown")
    assert step_files(folder) == (1, 1, 0), "step 2 names no file: it stays on withdraw.php"
    assert step_files(deck.exhibit("E05")) == (1, 2)


def check(root: Path) -> list[tuple[str, str, str]]:
    report = load_deck(root, verify_hashes=False)
    return [(p.code, p.key, p.render("en")) for p in report.problems if p.is_error]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_check_takes_each_steps_lines_and_pages_within_the_file_it_names(several_dir):
    assert check(several_dir) == []
    edit(several_dir / "items/e06.md", 'lines = "4-6"', 'lines = "4-7"')  # withdraw.php: 6
    edit(several_dir / "items/e07.md", "page = 3", "page = 5")  # bank.pdf: 4 pages
    problems = check(several_dir)
    assert [(code, key) for code, key, _ in problems] == [
        ("step_out_of_range_in_file", "step[1].lines"),
        ("step_out_of_range_in_file", "step[0].page"),
    ]
    assert "'files/code/withdraw.php' (it has 6 lines)" in problems[0][2]
    assert "'files/docs/bank.pdf' (it has 4 pages)" in problems[1][2]


def test_check_refuses_a_file_no_file_of_the_item_has_or_two_have(several_dir):
    edit(several_dir / "items/e06.md", 'file = "deposit.php"', 'file = "missing.php"')
    assert [(c, k) for c, k, _ in check(several_dir)] == [("step_file_unknown", "step[2].file")]
    edit(several_dir / "items/e06.md", 'file = "missing.php"', 'file = "deposit.php"')
    (several_dir / "files/code/old").mkdir()
    (several_dir / "files/code/old/withdraw.php").write_text("<?php\n", encoding="utf-8")
    edit(
        several_dir / "items/e06.md",
        '"files/code/withdraw.php"]',
        '"files/code/withdraw.php", "files/code/old/withdraw.php"]',
    )
    problems = check(several_dir)
    assert [(c, k) for c, k, _ in problems] == [("step_file_ambiguous", "step[0].file")]
    assert "files/code/withdraw.php, files/code/old/withdraw.php" in problems[0][2]


# --- the state machine ------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def live(deck):
    live = Presentation(deck, clock=Clock(), pages={"E07": 2})
    ok(live, action="blank")  # the case's title goes
    return live


def ok(live: Presentation, **command) -> LiveState:
    outcome = live.command(command, "presenter")
    assert outcome.ok, outcome.error
    return outcome.state


def refused(live: Presentation, role: str = "presenter", **command) -> str:
    before = live.state
    outcome = live.command(command, role)
    assert not outcome.ok and live.state == before
    return outcome.error


def test_an_exhibit_opens_on_its_first_file_and_a_step_shows_the_file_it_names(live):
    state = ok(live, action="goto", item="E06")
    assert state.file == 0 and state.to_json()["file"] == 0
    assert ok(live, action="next").file == 1, "step 1 names withdraw.php"
    assert ok(live, action="next").file == 1, "step 2 names none: it stays"
    assert ok(live, action="next").file == 0, "step 3 names deposit.php"
    assert ok(live, action="step", step=2).file == 1, "a step jumped to shows its own file"
    assert ok(live, action="step", step=0).file == 0, "before any step: the first file"


def test_the_presenter_shows_a_file_by_index_or_name_and_it_starts_afresh(live):
    ok(live, action="goto", item="E05")
    ok(live, action="region", region=[0.2, 0.2, 0.3, 0.3])
    outcome = live.command({"action": "file", "index": 2}, "presenter")
    assert outcome.ok and outcome.recorded and outcome.details == {"file": "files/scene/screen.png"}
    assert (outcome.state.file, outcome.state.region, outcome.state.step) == (2, None, 0)
    assert ok(live, action="file", name="door.png").file == 0
    assert ok(live, action="file", name="files/scene/desk.png").file == 1
    ok(live, action="panel", panel="source")
    assert ok(live, action="file", index=0).panel == "content", "a file is shown on content"


def test_a_document_of_several_turns_the_pages_of_the_one_shown(live):
    ok(live, action="goto", item="E07")
    assert refused(live, action="page", page=3) == "page_out_of_range", "contract.pdf has 2"
    state = ok(live, action="next")  # bank.pdf, page 3
    assert (state.file, state.page) == (1, 3)
    assert ok(live, action="page", page=4).page == 4
    assert ok(live, action="file", index=0).page == 1, "another file starts at its first page"
    assert live.page_count("E07", 1) == 4 and live.page_count("E07", 0) == 2


def test_a_file_the_exhibit_does_not_show_is_refused_with_a_reason(live):
    ok(live, action="goto", item="E05")
    for command in (
        {"index": 3},  # three pictures
        {"name": "disk.E01"},  # carried, not shown
        {"name": "nothing.png"},
        {},
        {"index": 1, "name": "desk.png"},
        {"index": -1},
        {"index": True},
        {"name": 3},
    ):
        assert refused(live, action="file", **command) == "unknown_file", command
    assert refused(live, "screen", action="file", index=1) == "screen_cannot_command"
    assert refused(live, "expert", action="file", index=1) == "not_in_control"
    ok(live, action="goto", item="E01")
    assert refused(live, action="file", index=0) == "unknown_file", "a chat has no file list"


def test_a_file_of_an_exhibit_kept_off_the_screens_waits_for_the_presenters_confirmation(deck):
    from .conftest import altered

    live = Presentation(deck, clock=Clock())
    ok(live, action="goto", item="E05")
    ok(live, action="blank")
    ok(live, action="next")
    held = altered(deck, exhibits=tuple(
        altered(e, excluded=True) if e.id == "E05" else e for e in deck.exhibits
    ))  # fmt: skip
    live.replace_deck(held)
    assert refused(live, action="file", index=2) == "excluded"
    ok(live, action="goto", item="E05", confirm=True)
    assert ok(live, action="file", index=2).file == 2


def test_the_file_shown_is_saved_and_restored_after_a_restart(deck, tmp_path):
    live = Presentation(deck, clock=Clock())
    ok(live, action="goto", item="E06")
    ok(live, action="file", index=1)
    store = StateStore(tmp_path / "state.json")
    store.save(live.state)
    saved = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert saved["file"] == 1
    again = Presentation(deck, clock=Clock(), state=store.load(deck.id))
    assert (again.state.item, again.state.file) == ("E06", 1)
    beyond = again.state.but(file=7)
    assert Presentation(deck, clock=Clock(), state=beyond).state.file == 0, "no such file now"


# --- the screens' HTML and the socket ---------------------------------------------------------


@pytest.fixture
def several_app(several_dir, tmp_path):
    with court_app(several_dir, tmp_path / "instance") as app:
        yield app


def socket(app, key: str, role: str):
    client = app.extensions["socketio"].test_client(
        app, namespace="/live", auth={"key": key, "role": role, "name": role}
    )
    assert client.is_connected("/live")
    return client


def last_state(client) -> dict:
    return [m for m in client.get_received("/live") if m["name"] == "state"][-1]["args"][0]


def test_a_screen_gets_the_file_of_the_state_and_the_step_marks_only_their_own_file(several_app):
    screen = keyed_client(several_app, SCREEN_KEY)
    first = screen.get("/screen/exhibit/E06/content").get_data(as_text=True)
    assert 'data-file-index="0"' in first and 'data-step-files="[1, 1, 0]"' in first
    assert "deposit" in first and "withdraw();" not in first
    assert '<span class="file-count">文件 1/2</span>' in first
    second = screen.get("/screen/exhibit/E06/content?file=1").get_data(as_text=True)
    assert 'data-file-index="1"' in second and "$fee" in second and "// deposit" not in second
    assert '<span class="file-name">withdraw.php</span>' in second
    gallery = screen.get("/screen/exhibit/E05/content?file=2").get_data(as_text=True)
    assert gallery.count('class="file-thumb') == 3, "the strip: the three pictures, no E01"
    assert "screen.png" in gallery and "disk.E01" not in gallery
    source = screen.get("/screen/exhibit/E05/source").get_data(as_text=True)
    assert "disk.E01" in source, "the Source panel lists every file of the item"
    with screen.get("/pages/E07/3.png?file=1") as page:
        assert page.status_code == 200 and page.mimetype == "image/png", "bank.pdf has 4"
    assert screen.get("/pages/E07/3.png").status_code == 404, "contract.pdf has 2 pages"
    assert screen.get("/pages/E07/1.png?file=2").status_code == 404


def test_the_file_command_over_the_socket_moves_every_screen_and_is_recorded(several_app):
    presenter = socket(several_app, PRESENTER_KEY, "presenter")
    screen = socket(several_app, SCREEN_KEY, "screen")
    assert presenter.emit(
        "command", {"action": "goto", "item": "E05"}, namespace="/live", callback=True
    )["ok"]
    ack = presenter.emit(
        "command", {"action": "file", "name": "screen.png"}, namespace="/live", callback=True
    )
    assert ack["ok"]
    assert last_state(screen)["file"] == 2
    ack = screen.emit("command", {"action": "file", "index": 0}, namespace="/live", callback=True)
    assert ack == {"ok": False, "error": "screen_cannot_command"}
    ack = presenter.emit(
        "command", {"action": "file", "index": 9}, namespace="/live", callback=True
    )
    assert ack == {"ok": False, "error": "unknown_file"}
    court = several_app.extensions["shizheng.court"]
    lines = court.record.path.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    shown = [e for e in entries if (e.get("command") or {}).get("action") == "file"]
    assert shown and shown[-1]["state"]["file"] == 2
    assert shown[-1]["details"] == {"file": "files/scene/screen.png"}, "the record names it"
    assert json.loads(court.store.path.read_text(encoding="utf-8"))["file"] == 2


# --- in Chromium: the screen follows the step's file and the presenter's keys ----------------


@pytest.fixture
def served(several_dir, tmp_path):
    with serve_deck(several_dir, tmp_path / "instance") as served:
        yield served


def shown(page: Page) -> tuple[str, str]:
    """What the stage shows of an exhibit of several files: "2/3" and the file's name."""
    caption = page.page.locator("#stage .file-caption")
    if caption.count() != 1:
        return ("", "")
    return (caption.locator(".file-count").inner_text(), caption.locator(".file-name").inner_text())


def test_the_screen_shows_the_steps_file_and_the_next_file_key_moves_every_screen(browser, served):
    screen = Page(browser, served.url + f"screen?key={SCREEN_KEY}&name=judge")
    presenter = Page(browser, served.url + f"present?key={PRESENTER_KEY}")
    try:
        wait_until(lambda: screen.seq() >= 0 and presenter.seq() >= 0, 30)
        keys = presenter.page.keyboard
        keys.type("5")
        keys.press("Enter")  # the gallery, still behind the title
        keys.press("ArrowRight")  # the title goes
        wait_until(
            lambda: screen.data("stage", "item") == "E05" and shown(screen) == ("1/3", "door.png"),
            20,
        )
        # the strip of the three pictures fits under the picture on the court's screen
        assert screen.page.locator("#stage .file-strip .file-thumb").count() == 3
        keys.press("ArrowRight")  # step 1 names desk.png
        wait_until(lambda: shown(screen) == ("2/3", "desk.png"), 20)
        assert "desk.png" in screen.page.locator("#stage img.exhibit-image").get_attribute("src")
        wait_until(lambda: shown(presenter) == ("2/3", "desk.png"), 20)
        picker = presenter.page.locator("#file-picker")
        wait_until(lambda: picker.is_visible() and picker.locator("li").count() == 3, 10)
        keys.press(".")  # the next file, on every screen
        wait_until(lambda: shown(screen) == ("3/3", "screen.png"), 20)
        wait_until(lambda: shown(presenter) == ("3/3", "screen.png"), 20)
        keys.press(",")
        wait_until(lambda: shown(screen) == ("2/3", "desk.png"), 20)
        # the code folder: the step names withdraw.php, and marks its lines only there
        keys.type("6")
        keys.press("Enter")
        wait_until(lambda: shown(screen) == ("文件 1/2", "deposit.php"), 20)
        keys.press("ArrowRight")
        wait_until(lambda: shown(screen) == ("文件 2/2", "withdraw.php"), 20)
        marked = screen.page.locator("#stage .line.hl")
        wait_until(lambda: marked.count() == 1 and marked.get_attribute("data-n") == "3", 10)
        wait_until(lambda: presenter.page.locator("#file-picker li").count() == 2, 10)
        presenter.page.locator("#file-picker button[data-index='0']").click()
        wait_until(lambda: shown(screen) == ("文件 1/2", "deposit.php"), 20)
        assert marked.count() == 0, "the step's lines are withdraw.php's, not deposit.php's"
        # "." counts from the file the presenter's page knows: wait until it knows deposit.php
        wait_until(lambda: presenter.page.locator("#file-picker").get_attribute("data-file") == "0")
        keys.press(".")
        wait_until(
            lambda: shown(screen) == ("文件 2/2", "withdraw.php") and marked.count() == 1, 20
        )
        # nothing on the court's picture is smaller than its text: 28/1080 of its height
        smallest = screen.page.evaluate(
            """() => {
              const canvas = document.querySelector('#stage .stage-canvas');
              const sizes = [...canvas.querySelectorAll('.file-caption, .file-caption *')]
                .map((e) => parseFloat(getComputedStyle(e).fontSize));
              return Math.min(...sizes) / canvas.clientHeight * 1080;
            }"""
        )
        assert smallest >= 27.9
        assert screen.errors == [] and presenter.errors == []
    finally:
        screen.context.close()
        presenter.context.close()


# --- the bundle -------------------------------------------------------------------------------


def test_the_bundle_shows_every_file_of_an_exhibit_of_several(several_dir, tmp_path):
    """The defence reads the bundle whole: each photo of the gallery, each file of the code
    folder and each document, not only the first; the carried forensic image is copied."""
    from presenter.export.bundle import export_bundle

    report = load_deck(several_dir)
    out = tmp_path / "bundle"
    export_bundle(report, out, lang="zh-CN")
    pages = {n: (out / f"{n}.html").read_text("utf-8") for n in ("E05", "E06", "E07")}
    counts = {n: html.count('class="bundle-file"') for n, html in pages.items()}
    assert counts == {"E05": 3, "E06": 2, "E07": 2}  # the gallery, code folder, documents
    assert "deposit.php" in pages["E06"] and "withdraw.php" in pages["E06"]
    assert "contract.pdf" in pages["E07"] and "bank.pdf" in pages["E07"]
    assert (out / "files/scene/disk.E01").read_bytes() == (
        several_dir / "files/scene/disk.E01"
    ).read_bytes()
