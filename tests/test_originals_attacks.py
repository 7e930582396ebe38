"""Attacks on originals and display copies (issue 15): personal numbers on the public screen,
who gets an original, hostile originals, the copy store, the importers, and what a
prosecutor trips over. Each test asserts what must hold; a failing one is a defect."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from presenter.cli import main as cli_main
from presenter.deck import load_deck
from presenter.originals import DeriveError, Request, Store

from .conftest import (
    DEMO_DECK,
    PRESENTER_KEY,
    PUBLIC_KEY,
    SCREEN_KEY,
    court_app,
    keyed_client,
    read_pictures,
)
from .test_originals import DECK_TOML, ffmpeg, item

CARD = "6222000000000000101"
CARD_MASKED = "622200*********0101"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fresh_deck(root: Path) -> Path:
    (root / "items").mkdir(parents=True)
    (root / "files").mkdir()
    (root / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    return root


def fetch(client, url: str):
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def socket(app, key: str, role: str):
    client = app.extensions["socketio"].test_client(
        app, namespace="/live", auth={"key": key, "role": role, "name": role}
    )
    assert client.is_connected("/live")
    return client


def command(client, **payload):
    return client.emit("command", payload, namespace="/live", callback=True)


def last_state(client) -> dict:
    return [m for m in client.get_received("/live") if m["name"] == "state"][-1]["args"][0]


def token(app, name: str) -> str:
    from presenter.views.files import token_of

    with app.test_request_context():
        return token_of(name)


def loaded(root: Path, instance: Path):
    return load_deck(root, store=Store(instance / "display"))


# --- 1. personal data on the public screen -----------------------------------------------------

STATEMENT_COLUMNS = (
    '[columns]\ntime = "交易时间"\namount = "交易金额"\ndirection = "借贷标志"\n'
    'category = "交易类型"\n'
)
STATEMENT_NAME = "files/流水 13800000002.csv"
"""A file name holding a mobile number, as offices name statements after the account."""


@pytest.fixture(scope="module")
def statement_deck(tmp_path_factory) -> Path:
    root = fresh_deck(tmp_path_factory.mktemp("public") / "statement")
    lines = [
        "某银行股份有限公司 个人账户交易明细",
        f"户名：孙某,账号：{CARD},币种：人民币",
        "交易时间,交易类型,借贷标志,交易金额,对方账号",
        "2024-03-01 10:00:00,转给13800000001,借,100.00,6228000000000000303",
        "2024-03-01 11:00:00,转给13800000001,借,50.00,6228000000000000303",
        "2024-03-02 10:00:00,转账转入,贷,500.00,6212000000000000888",
        "合计,卡号6222000000000000202,,650.00,",
    ]
    (root / STATEMENT_NAME).write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    item(root, "E01", "table", [STATEMENT_NAME], STATEMENT_COLUMNS)
    return root


@pytest.fixture(scope="module")
def statement_app(statement_deck: Path, tmp_path_factory):
    with court_app(statement_deck, tmp_path_factory.mktemp("instance")) as app:
        yield app


UNMASKED = (CARD, "13800000001", "13800000002", "6222000000000000202", "6228000000000000303")


def test_public_table_page_masks_preamble_footer_and_categories(statement_app) -> None:
    """A public screen opens the GBK statement: title rows, totals rows, category totals and
    rows all reach it with the card and phone numbers masked."""
    public = keyed_client(statement_app, PUBLIC_KEY)
    page = public.get("/screen/exhibit/E01/content").get_data(as_text=True)
    assert "table-preamble" in page and "table-footer" in page and "table-categories" in page
    for number in UNMASKED:
        assert number not in page, number
    assert CARD_MASKED in page
    screen = keyed_client(statement_app, SCREEN_KEY)
    assert CARD in screen.get("/screen/exhibit/E01/content").get_data(as_text=True)


def test_public_source_panel_masks_file_names_and_derivation(statement_app) -> None:
    """A public screen opens the Source panel: the file name (with a phone number) is masked,
    the derivation (tool, parameters, both SHA-256) is shown with digests intact."""
    public = keyed_client(statement_app, PUBLIC_KEY)
    page = public.get("/screen/exhibit/E01/source").get_data(as_text=True)
    assert "13800000002" not in page and "展示件由原件转换" in page
    derived = statement_app.extensions["shizheng.court"].deck.displays["E01", STATEMENT_NAME]
    assert derived.original_sha256 in page and derived.copy_sha256 in page


def test_public_rows_and_state_with_a_category_filter_are_masked(statement_app) -> None:
    """The presenter clicks the category "转给13800000001": every screen follows, and the public
    screen's state and rows JSON hold the number masked only."""
    presenter = socket(statement_app, PRESENTER_KEY, "presenter")
    gallery = socket(statement_app, PUBLIC_KEY, "screen")
    assert command(presenter, action="goto", item="E01")["ok"]
    assert command(presenter, action="table", category="转给13800000001")["ok"]
    state = last_state(gallery)
    assert state["table"]["category"] and "13800000001" not in json.dumps(state)
    public = keyed_client(statement_app, PUBLIC_KEY)
    rows = public.get("/tables/E01/rows").get_json()
    assert rows["total"] == 2
    for number in UNMASKED:
        assert number not in json.dumps(rows, ensure_ascii=False), number
    screen = keyed_client(statement_app, SCREEN_KEY)
    assert screen.get("/tables/E01/rows").get_json()["arranged"]["category"] == "转给13800000001"
    assert command(presenter, action="table")["ok"]


def test_no_one_but_the_presenter_gets_an_original(statement_app) -> None:
    """`?original=1`, the token name, another case of the name: a screen, a public screen and
    a browser without a key never get the GBK original; the presenter does."""
    original = (
        Path(statement_app.extensions["shizheng.court"].deck.root) / STATEMENT_NAME
    ).read_bytes()
    name, opaque = STATEMENT_NAME, token(statement_app, STATEMENT_NAME)
    urls = [
        f"/files/E01/{name}?original=1",
        f"/files/E01/{opaque}?original=1",
        f"/files/E01/{name.upper()}?original=1",
        f"/files/E01/{name}?original=1&original=1",
        f"/files/E01/{name}",
    ]
    for key in (SCREEN_KEY, PUBLIC_KEY, None):
        client = keyed_client(statement_app, key) if key else statement_app.test_client()
        for url in urls:
            answer = fetch(client, url)
            assert answer.data != original, (key, url)
            if key == PUBLIC_KEY or key is None:
                assert answer.status_code in (403, 404), (key, url)
    presenter = keyed_client(statement_app, PRESENTER_KEY)
    assert fetch(presenter, f"/files/E01/{name}?original=1").data == original


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = Path(shutil.copytree(DEMO_DECK, tmp_path_factory.mktemp("demo") / "decks" / "demo"))
    with court_app(root, tmp_path_factory.mktemp("instance")) as app:
        yield app


def test_demo_statement_on_the_public_screen_has_no_full_card_number(demo) -> None:
    """The demo's E14 (GBK, title rows with 账号：6222000000000000101): content, source and
    the rows filtered by a category, for a public screen, never hold the card number."""
    public = keyed_client(demo, PUBLIC_KEY)
    content = public.get("/screen/exhibit/E14/content").get_data(as_text=True)
    assert CARD not in content and CARD_MASKED in content
    assert CARD not in public.get("/screen/exhibit/E14/source").get_data(as_text=True)
    presenter = socket(demo, PRESENTER_KEY, "presenter")
    assert command(presenter, action="goto", item="E14")["ok"]
    assert command(presenter, action="table", category="转账转入")["ok"]
    rows = public.get("/tables/E14/rows").get_json()
    assert rows["total"] == 7 and "6212000000000000888" not in json.dumps(rows)
    assert command(presenter, action="table")["ok"]


def test_the_heic_copy_carries_no_exif_or_gps(demo) -> None:
    """The demo's E16 HEIC has GPS EXIF: its JPEG copy (to a screen) and the picture drawn for
    a public screen carry no EXIF, GPS or XMP."""
    deck = demo.extensions["shizheng.court"].deck
    name = "files/王某住处/IMG_0003.HEIC"
    copy = deck.displays["E16", name].copy.read_bytes()
    assert copy[:2] == b"\xff\xd8"
    for marker in (b"Exif", b"GPS", b"xmp", b"XMP"):
        assert marker not in copy, marker
    screen = fetch(keyed_client(demo, SCREEN_KEY), f"/files/E16/{name}")
    assert screen.status_code == 200 and b"Exif" not in screen.data
    read_pictures(demo)  # a public screen is sent no picture before it is read for numbers
    public = fetch(keyed_client(demo, PUBLIC_KEY), f"/images/E16/{token(demo, name)}")
    assert public.status_code == 200 and b"Exif" not in public.data
    assert not Image.open(io.BytesIO(public.data)).getexif()


def test_a_mov_copy_carries_no_place_global_or_per_stream(tmp_path: Path) -> None:
    """An iPhone MOV with its place in the global and the stream metadata (and a number in a
    handler name): the MP4 copy holds none of them."""
    source = tmp_path / "IMG_0001.MOV"
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10",
        "-f", "lavfi", "-i", "sine=duration=1", "-c:v", "libx264", "-c:a", "aac",
        "-metadata", "location=+31.2304+121.4737/",
        "-metadata:s:v:0", "location=+32.1111+122.2222/",
        "-metadata:s:v:0", "handler_name=Core Media 13800000001",
        "-metadata:s:a:0", "title=张某 13800000001", str(source),
    )  # fmt: skip
    assert b"+31.2304" in source.read_bytes()
    copy = Store(tmp_path / "display").copy_of("IMG_0001.MOV", source, Request("video"))
    data = copy.copy.read_bytes()
    for marker in (b"+31.2304", b"+32.1111", b"13800000001", b"\xa9xyz", b"location"):
        assert marker not in data, marker


def test_a_public_screen_never_gets_an_attachment_original_whose_copy_failed(
    tmp_path: Path,
) -> None:
    """A chat's .mov attachment cannot be converted (a warning): the public screen must not be
    sent the original instead (its bytes hold a place and a phone number, unmasked)."""
    root = fresh_deck(tmp_path / "chat")
    (root / "files/chat").mkdir()
    evil = b"<html><script>alert(1)</script>\xa9xyz+31.2304+121.4737/ 13800000001</html>"
    (root / "files/chat/v.mov").write_bytes(evil)
    (root / "files/chat/chat.csv").write_text(
        "时间,发送人,内容,附件\n2024-03-01 10:00,张某,看视频,v.mov\n", encoding="utf-8"
    )
    columns = '[columns]\ntime = "时间"\nsender = "发送人"\ntext = "内容"\nattachment = "附件"\n'
    names = ["files/chat/chat.csv", "files/chat/v.mov"]
    item(root, "E01", "chat", names, columns, type="communication")
    with court_app(root, tmp_path / "instance") as app:
        public = keyed_client(app, PUBLIC_KEY)
        answer = fetch(public, f"/files/E01/{token(app, 'files/chat/v.mov')}")
        assert answer.data != evil
        assert b"13800000001" not in answer.data and b"+31.2304" not in answer.data
        screen = fetch(keyed_client(app, SCREEN_KEY), "/files/E01/files/chat/v.mov")
        assert screen.mimetype != "text/html"  # never run as a page, whatever it holds


def test_a_public_screen_gets_no_place_from_a_phone_mp4(tmp_path: Path) -> None:
    """An Android phone's MP4 (its place in the metadata) is played on the public screen: the
    public screen must be sent no location (docs: a phone video's place is personal data)."""
    root = fresh_deck(tmp_path / "mp4")
    source = root / "files/VID_20240301.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10", "-c:v", "libx264",
        "-metadata", "location=+31.2304+121.4737/", "-movflags", "use_metadata_tags",
        str(source),
    )  # fmt: skip
    assert b"+31.2304" in source.read_bytes()
    item(root, "E01", "video", ["files/VID_20240301.mp4"])
    with court_app(root, tmp_path / "instance") as app:
        public = keyed_client(app, PUBLIC_KEY)
        answer = fetch(public, f"/files/E01/{token(app, 'files/VID_20240301.mp4')}")
        assert answer.status_code == 200
        assert b"+31.2304" not in answer.data


# --- 2. access and commands ----------------------------------------------------------------------


def test_hostile_file_and_table_commands_are_refused(statement_app, demo) -> None:
    """Negative, huge, boolean indexes; a name with ../; a category that is no string or is
    100 KB; a screen sending either command: each refused, the state unchanged."""
    presenter = socket(demo, PRESENTER_KEY, "presenter")
    screen = socket(demo, SCREEN_KEY, "screen")
    public = socket(demo, PUBLIC_KEY, "screen")
    assert command(presenter, action="goto", item="E16")["ok"]
    for payload in (
        {"index": -1}, {"index": 10**12}, {"index": True}, {"index": "1"}, {"index": 1.0},
        {"name": "../../deck.toml"}, {"name": "files/王某住处/../王某住处/IMG_0001.JPG"},
        {"name": "/etc/passwd"}, {"name": "img_0001.jpg"}, {"name": ["IMG_0001.JPG"]},
    ):  # fmt: skip
        answer = command(presenter, action="file", **payload)
        assert answer["ok"] is False, payload
    assert command(screen, action="file", index=1)["error"] == "screen_cannot_command"
    assert command(public, action="file", index=1)["ok"] is False
    assert command(presenter, action="goto", item="E14")["ok"]
    for category in (5, ["转账转入"], {"a": 1}, "类" * 100_000, True):
        assert command(presenter, action="table", category=category)["ok"] is False, category
    assert command(screen, action="table", category="转账转入")["ok"] is False
    assert command(public, action="table", category="转账转入")["ok"] is False
    assert command(presenter, action="goto", item="E16")["ok"]
    assert command(presenter, action="table", category="转账转入")["ok"] is False


def test_a_browser_without_a_key_gets_no_file_of_an_item(demo) -> None:
    """No key at all: every file URL of E16 is refused, with or without `?original=1`."""
    anonymous = demo.test_client()
    for url in (
        "/files/E16/files/王某住处/IMG_0003.HEIC?original=1",
        "/images/E16/files/王某住处/IMG_0003.HEIC",
        "/tables/E14/rows",
    ):
        assert fetch(anonymous, url).status_code == 403, url


# --- 3. hostile originals ----------------------------------------------------------------------


def _xlsx_bomb(path: Path) -> None:
    """A workbook whose one sheet inflates to 2 GiB (a few MB on disk)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write(0, 0, "a")
    book.close()
    with zipfile.ZipFile(path) as source:
        members = {n: source.read(n) for n in source.namelist()}
    head = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            if name != "xl/worksheets/sheet1.xml":
                out.writestr(name, data)
                continue
            with out.open(name, "w", force_zip64=True) as sheet:
                sheet.write(head)
                chunk = b"A" * (1 << 20)
                for _ in range(2048):
                    sheet.write(chunk)
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")


@pytest.mark.parametrize(
    ("name", "view", "make"),
    [
        ("bomb.xlsx", "table", _xlsx_bomb),
        ("voice.silk", "audio", lambda p: p.write_bytes(b"\x02#!SILK_V3" + os.urandom(4000))),
        ("page.mov", "video", lambda p: p.write_bytes(b"<html><script>alert(1)</script>")),
        ("photo.heic", "image", lambda p: p.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\0" * 99)),
    ],
)
def test_a_hostile_original_is_a_clear_error_not_a_crash(tmp_path: Path, name, view, make):
    """A zip-bomb workbook, a SILK header over garbage, HTML named .mov, a broken HEIC: check
    names the file (display_copy_failed) and the server does not fall over."""
    root = fresh_deck(tmp_path / "hostile")
    make(root / "files" / name)
    columns = '[columns]\nx = "a"\n' if view == "table" else ""
    item(root, "E01", view, [f"files/{name}"], columns)
    started = time.monotonic()
    report = loaded(root, tmp_path / "instance")
    assert time.monotonic() - started < 60
    codes = [p.code for p in report.errors]
    assert "display_copy_failed" in codes, [p.render("en") for p in report.problems]
    said = next(p for p in report.errors if p.code == "display_copy_failed").render("zh-CN")
    assert name in said


def test_a_statement_title_line_is_cut_on_the_screens_like_any_cell(tmp_path: Path) -> None:
    """A bank statement whose title cell holds 200,000 characters: the screens get it cut
    ("已截断"), as any table cell, never the whole line (what a screen is sent is bounded)."""
    root = fresh_deck(tmp_path / "title")
    lines = ["户名：孙某  备注：" + "长" * 200_000, f"账号：{CARD}", "交易时间,交易类型,交易金额"]
    lines += ["2024-03-01 10:00:00,转账,100"] * 3
    (root / "files/a.csv").write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    item(root, "E01", "table", ["files/a.csv"], '[columns]\namount = "交易金额"\n')
    with court_app(root, tmp_path / "instance") as app:
        page = keyed_client(app, SCREEN_KEY).get("/screen/exhibit/E01/content")
        html = page.get_data(as_text=True)
    assert "已截断" in html
    assert len(html) < 100_000


def test_totals_rows_on_every_printed_page_do_not_swell_the_screens_page(tmp_path: Path) -> None:
    """A statement printed with 本页合计 on each of 20,000 pages: the screens' table page stays
    under 1 MiB (the footer is bounded like everything a screen is sent)."""
    root = fresh_deck(tmp_path / "pages")
    lines = ["交易时间,交易类型,交易金额"]
    for page in range(20_000):
        lines += [f"2024-03-01 10:00:00,转账,{page}", f"本页合计,,{page}.00"]
    (root / "files/a.csv").write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    item(root, "E01", "table", ["files/a.csv"], '[columns]\namount = "交易金额"\n')
    with court_app(root, tmp_path / "instance") as app:
        html = keyed_client(app, SCREEN_KEY).get("/screen/exhibit/E01/content").get_data()
    assert len(html) < 1 << 20, len(html)


def test_a_category_longer_than_a_filter_can_still_be_clicked(tmp_path: Path) -> None:
    """A category value of 150 characters (a platform's long 交易说明) is listed in the totals;
    the presenter's click on it must show its rows, not be refused as bad_table."""
    root = fresh_deck(tmp_path / "long")
    value = "平台充值" + "说" * 146
    (root / "files/a.csv").write_text(
        f"交易时间,交易类型,交易金额\n2024-03-01 10:00:00,{value},5\n2024-03-01 11:00:00,短,6\n",
        encoding="utf-8",
    )
    columns = STATEMENT_COLUMNS.replace('direction = "借贷标志"\n', "")
    item(root, "E01", "table", ["files/a.csv"], columns)
    with court_app(root, tmp_path / "instance") as app:
        page = (
            keyed_client(app, SCREEN_KEY).get("/screen/exhibit/E01/content").get_data(as_text=True)
        )
        assert f'data-category="{value}"' in page
        presenter = socket(app, PRESENTER_KEY, "presenter")
        assert command(presenter, action="goto", item="E01")["ok"]
        assert command(presenter, action="table", category=value)["ok"]
        assert keyed_client(app, SCREEN_KEY).get("/tables/E01/rows").get_json()["total"] == 1


def test_a_utf16_statement_without_a_bom_is_read_as_utf16(tmp_path: Path) -> None:
    """A platform's export in UTF-16LE without a byte-order mark (docs: UTF-16 "with or
    without BOM"): its columns are found and its rows read, not NUL-riddled UTF-8."""
    root = fresh_deck(tmp_path / "utf16")
    text = "time,amount\n2024-03-01 10:00:00,5\n2024-03-02 10:00:00,6\n"
    (root / "files/a.csv").write_bytes(text.encode("utf-16-le"))
    item(root, "E01", "table", ["files/a.csv"], '[columns]\ntime = "time"\namount = "amount"\n')
    report = loaded(root, tmp_path / "instance")
    assert [p.render("en") for p in report.errors] == []
    copy = report.deck.display(report.deck.exhibit("E01"), "files/a.csv")
    assert copy.read_text(encoding="utf-8").startswith("time,")


def test_an_encoding_that_is_no_text_encoding_is_named(tmp_path: Path) -> None:
    """`encoding = "rot13"` (or "zlib"): check says the encoding is not one a text can be
    read in, naming it, rather than a Python error about str.translate."""
    root = fresh_deck(tmp_path / "rot13")
    (root / "files/a.csv").write_bytes("交易时间,交易金额\n2024-03-01,5\n".encode("gbk"))
    item(root, "E01", "table", ["files/a.csv"], 'encoding = "rot13"\n')
    report = loaded(root, tmp_path / "instance")
    said = " ".join(p.render("en") for p in report.errors)
    assert "rot13" in said and "translate" not in said and "bytes" not in said


def test_a_header_row_on_a_title_row_is_said_at_header_row(tmp_path: Path) -> None:
    """A prosecutor writes header_row = 2 (the 账号 line) for a statement whose header is row
    3: check must point at `header_row`, not only say the columns are missing."""
    root = fresh_deck(tmp_path / "header")
    lines = ["某银行 交易明细", f"户名：孙某,账号：{CARD},币种：人民币", "time,amount,x",
             "2024-03-01 10:00,5,a"]  # fmt: skip
    (root / "files/a.csv").write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    columns = 'header_row = 2\n[columns]\ntime = "time"\namount = "amount"\n'
    item(root, "E01", "table", ["files/a.csv"], columns)
    report = loaded(root, tmp_path / "instance")
    assert report.errors
    assert any(p.key == "header_row" or "header_row" in p.render("en") for p in report.errors), [
        p.render("en") for p in report.errors
    ]


def test_the_default_sheet_is_one_a_person_sees(tmp_path: Path) -> None:
    """A workbook whose first sheet is hidden (a bank's lookup data) and whose visible sheet
    is the statement: without `sheet`, the screens show the visible sheet, as Excel does."""
    import xlsxwriter

    root = fresh_deck(tmp_path / "hidden")
    book = xlsxwriter.Workbook(str(root / "files/b.xlsx"))
    hidden = book.add_worksheet("隐藏")
    hidden.write_row(0, 0, ["time", "amount"])
    hidden.write_row(1, 0, ["2024-03-01 10:00", "999"])
    hidden.hide()
    shown = book.add_worksheet("明细")
    shown.write_row(0, 0, ["time", "amount"])
    shown.write_row(1, 0, ["2024-03-01 10:00", "5"])
    shown.activate()
    book.close()
    item(root, "E01", "table", ["files/b.xlsx"], '[columns]\namount = "amount"\n')
    report = loaded(root, tmp_path / "instance")
    assert report.deck is not None
    derived = report.deck.displays["E01", "files/b.xlsx"]
    assert derived.parameters["sheet"] == "明细"
    assert "999" not in derived.copy.read_text(encoding="utf-8")


def test_one_workbook_shown_as_two_items_shows_each_items_own_sheet(tmp_path: Path) -> None:
    """Two items list the same workbook, one with `sheet = "明细"`, one with `sheet = "汇总"`:
    each item's table shows its own sheet (copies are not keyed by file name alone)."""
    import xlsxwriter

    root = fresh_deck(tmp_path / "two")
    book = xlsxwriter.Workbook(str(root / "files/book.xlsx"))
    book.add_worksheet("明细").write_row(0, 0, ["时间", "金额"])
    book.get_worksheet_by_name("明细").write_row(1, 0, ["2024-03-01 10:00", "100"])
    book.add_worksheet("汇总").write_row(0, 0, ["姓名", "合计"])
    book.get_worksheet_by_name("汇总").write_row(1, 0, ["张某", "999"])
    book.close()
    item(root, "E01", "table", ["files/book.xlsx"], 'sheet = "明细"\n')
    item(root, "E02", "table", ["files/book.xlsx"], 'sheet = "汇总"\n')
    with court_app(root, tmp_path / "instance") as app:
        screen = keyed_client(app, SCREEN_KEY)
        first = screen.get("/tables/E01/rows").get_json()["rows"]
        second = screen.get("/tables/E02/rows").get_json()["rows"]
    assert first == [["2024-03-01 10:00", "100"]]
    assert second == [["张某", "999"]]


def _processes_naming(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in line:
            found.append(int(entry.name))
    return found


def test_the_time_limit_ends_the_ffmpeg_the_conversion_started(tmp_path: Path, monkeypatch):
    """A conversion runs past its time limit: the child is killed and so is the ffmpeg it
    started (else a hostile video keeps two cores busy after the "timeout" was reported)."""
    import presenter.originals as originals

    source = tmp_path / "slow.avi"
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=duration=30:size=1280x720:rate=30",
        "-c:v", "mpeg4", "-q:v", "5", str(source),
    )  # fmt: skip
    monkeypatch.setattr(originals, "TIME_LIMIT_BASE", 2.0)
    monkeypatch.setattr(originals, "TIME_LIMIT_PER_MB", 0.0)
    store = tmp_path / "display-store-for-timeout"
    try:
        with pytest.raises(DeriveError):
            Store(store).copy_of("slow.avi", source, Request("video"))
        deadline = time.monotonic() + 5
        while _processes_naming(str(store)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _processes_naming(str(store)) == [], "ffmpeg still converting after the limit"
    finally:
        for pid in _processes_naming(str(store)):  # only the ffmpeg this test started
            with __import__("contextlib").suppress(OSError):
                os.kill(pid, 9)


# --- the copy store ------------------------------------------------------------------------------


@pytest.fixture
def made(tmp_path: Path):
    original = tmp_path / "a.csv"
    original.write_bytes("时间,金额\n2024-03-01 10:00,1\n".encode("gbk"))
    store = Store(tmp_path / "display")
    return original, store, store.copy_of("a.csv", original, Request("table"))


@pytest.mark.parametrize("how", ["dots", "absolute", "symlink"])
def test_a_copy_outside_the_store_is_never_used(tmp_path: Path, made, how: str) -> None:
    """Someone edits derivation.json (`copy` = ../../secret, or an absolute path, with the
    secret's SHA-256) or plants a symlink as the copy: the copy used is inside the store."""
    original, store, derived = made
    secret = tmp_path / "secret.txt"
    secret.write_text(f"not evidence {CARD}\n", encoding="utf-8")
    record = derived.copy.parent / "derivation.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["copy_sha256"] = sha256(secret.read_bytes())
    if how == "dots":
        data["copy"] = "../../secret.txt"
    elif how == "absolute":
        data["copy"] = str(secret)
    else:
        derived.copy.unlink()
        derived.copy.symlink_to(secret)
    record.write_text(json.dumps(data), encoding="utf-8")
    again = Store(store.folder).copy_of("a.csv", original, Request("table"))
    assert again.copy.resolve().is_relative_to(store.folder.resolve())
    assert not again.copy.is_symlink()
    assert CARD not in again.copy.read_text(encoding="utf-8")


def test_an_original_changed_with_its_mtime_put_back_gets_a_new_copy(made) -> None:
    """The original is edited (same size) and its mtime put back, as `touch -r` does: the
    copy is made again, its original_sha256 is the original's now (the hash cache keys by
    ctime for this very reason)."""
    original, store, derived = made
    before = original.stat()
    original.write_bytes("时间,金额\n2024-03-01 10:00,9\n".encode("gbk"))
    os.utime(original, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert original.stat().st_size == before.st_size
    again = Store(store.folder).copy_of("a.csv", original, Request("table"))
    assert again.original_sha256 == sha256(original.read_bytes())
    assert again.copy.read_text(encoding="utf-8").endswith(",9\n")


# --- 4. import -----------------------------------------------------------------------------------


def test_chat_html_attachments_never_come_from_outside_the_export(tmp_path: Path, cli) -> None:
    """A chat HTML export's <img src> names ../../../etc/passwd, /etc/passwd, a symlink out, a
    folder symlink out, file:// and a Windows path: none is copied into the deck."""
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(b"\xff\xd8\xff secret outside")
    export = tmp_path / "export"
    (export / "img").mkdir(parents=True)
    (export / "img/ok.jpg").write_bytes(b"\xff\xd8\xff ok")
    (export / "img/link.jpg").symlink_to(outside)
    (export / "dirlink").symlink_to(tmp_path)
    sources = ["../../../etc/passwd", "/etc/passwd", "img/link.jpg", "dirlink/outside.jpg",
               "file:///etc/passwd", "C:\\Windows\\win.ini", "img/ok.jpg"]  # fmt: skip
    messages = "".join(
        f'<div class="message"><span class="time">2024-03-01 10:0{i}:00</span>'
        f'<span class="nickname">张某</span><div class="content"><img src="{src}"></div></div>'
        for i, src in enumerate(sources)
    )
    (export / "chat.html").write_text(f"<html><body>{messages}</body></html>", encoding="utf-8")
    cli("import", tmp_path / "deck", "--from", export)
    copied = [p for p in (tmp_path / "deck/files").rglob("*") if p.is_file()]
    assert sorted(p.name for p in copied) == ["chat.html", "chat（解析）.csv", "ok.jpg"]
    for path in copied:
        assert b"secret outside" not in path.read_bytes() and b"root:" not in path.read_bytes()


def test_a_mapping_nested_too_deep_is_told_not_a_traceback(tmp_path: Path) -> None:
    """`import --mapping` with a TOML of 2,000 nested arrays: one message naming the mapping
    file, nothing written, no RecursionError."""
    sheet = tmp_path / "s.csv"
    sheet.write_text("时间,金额\n2024-03-01 10:00,5\n", encoding="utf-8")
    mapping = tmp_path / "deep.toml"
    mapping.write_text("title = " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli_main, ["import", str(tmp_path / "deck"), "--from", str(sheet), "--mapping",
                   str(mapping)],
    )  # fmt: skip
    assert not isinstance(result.exception, RecursionError), "a traceback, not a message"
    assert result.exit_code != 0 and "deep.toml" in result.output
    assert not (tmp_path / "deck").exists()


def test_a_heic_that_is_really_a_jpeg_loses_its_comment_in_the_copy(tmp_path: Path) -> None:
    """A photo named .HEIC that is a JPEG whose comment holds a place and a phone number (as
    some export tools write): the display copy carries no metadata, the comment included."""
    source = tmp_path / "IMG_0009.HEIC"
    Image.new("RGB", (32, 32), (200, 0, 0)).save(
        source, "JPEG", comment=b"GPS 31.2304,121.4737 tel 13800000001"
    )
    derived = Store(tmp_path / "display").copy_of("IMG_0009.HEIC", source, Request("picture"))
    data = derived.copy.read_bytes()
    assert b"13800000001" not in data and b"31.2304" not in data
