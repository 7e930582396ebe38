"""Evidence files that would break a screen: a stray quote, a 50 MB cell, a 50 MB line of code,
a huge chat message. One CSV reader means the index, the filter, `check` and every route agree
on the rows; a screen gets a bounded part of any file, with a note saying what was cut."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from presenter import create_app
from presenter.bounds import CELL, LINE
from presenter.deck import load_deck
from presenter.views.tabledata import TableIndex

from .conftest import PRESENTER_KEY, SCREEN_KEY, keyed_client
from .deckfactory import CHAT_CSV, CHAT_MD, CODE, CODE_MD, edit, write_deck

HUGE = 50 * 1024 * 1024
"""Characters in the hostile cell, message and line: 50 MiB."""
BOUND = 200_000
"""Bytes any one response may take for the files here: a page or a window, not the file."""

TABLE_ITEM = """\
+++
id = "E05"
title = "商品清单"
type = "file"
view = "table"
files = ["files/goods.csv"]

[columns]
amount = "金额"

[source]
method = "seizure"

[[source.hash]]
file = "files/goods.csv"
algorithm = "sha256"
value = "{sha256}"

[[shows]]
fact = "F2"
aspect = "funds"

[[step]]
label = "最后一行"
rows = "{last}"
+++
"""

STRAY = (
    "时间,商品,金额\n"
    '2024-03-01,5" 显示器,100\n'
    "2024-03-02,键盘,50\n"
    "\n"
    '2024-03-03,"两行的\n备注",30\n'
    '2024-03-04,引号"中间,20\n'
)
STRAY_ROWS = [
    ["2024-03-01", '5" 显示器', "100"],
    ["2024-03-02", "键盘", "50"],
    ["2024-03-03", "两行的\n备注", "30"],
    ["2024-03-04", '引号"中间', "20"],
]
"""What csv makes of STRAY: a quote inside an unquoted cell is a character; a blank line is
no row."""
COURT_ROWS = [[when, what, f"{int(amount):,}.00"] for when, what, amount in STRAY_ROWS]
"""STRAY_ROWS as the court reads them: the amount column in yuan and fen."""


def add_table(deck: Path, data: bytes, last: int) -> Path:
    (deck / "files" / "goods.csv").write_bytes(data)
    item = TABLE_ITEM.format(sha256=hashlib.sha256(data).hexdigest(), last=last)
    (deck / "items" / "e05-table.md").write_text(item, encoding="utf-8")
    return deck


def replace_file(deck: Path, item: str, name: str, data: bytes, old: bytes) -> None:
    """Write a file of the factory deck anew and keep its recorded hash right."""
    (deck / "files" / name).write_bytes(data)
    for algorithm in ("sha256", "sm3"):
        from presenter.integrity import hash_bytes

        text = (deck / item).read_text(encoding="utf-8")
        before = hash_bytes(old, algorithm)
        if before in text:
            edit(deck / item, before, hash_bytes(data, algorithm))


def served(deck: Path, instance: Path):
    report = load_deck(deck)
    assert report.deck is not None, [p.render("en") for p in report.problems]
    app = create_app(
        report, instance_path=instance, test_config={"TESTING": True},
        presenter_key=PRESENTER_KEY, screen_key=SCREEN_KEY,
    )  # fmt: skip
    return app


@pytest.fixture
def opened():
    """Apps made by a test, their records closed after it."""
    apps = []
    yield apps.append
    for app in apps:
        app.extensions["shizheng.court"].record.close()


def problems(deck: Path) -> list[tuple[str, str, str, str]]:
    return [(p.severity, p.code, p.path, p.key) for p in load_deck(deck).problems]


# --- a stray quote -------------------------------------------------------------------------


def test_a_stray_quote_is_one_character_to_the_index_the_filter_and_check(tmp_path):
    path = tmp_path / "goods.csv"
    path.write_text(STRAY, encoding="utf-8")
    index = TableIndex.open(path, tmp_path / "cache")
    assert index.header == ["时间", "商品", "金额"]
    assert index.rows == 4
    assert index.page(0, 100) == STRAY_ROWS
    assert index.rows_at([3, 0]) == [STRAY_ROWS[3], STRAY_ROWS[0]]
    shown = index.arranged(None, False, "显示器", "金额")
    assert list(shown.rows) == [0] and shown.total == 100
    by_amount = index.arranged(2, False, "", "金额")
    assert index.rows_at(by_amount.rows) == sorted(STRAY_ROWS, key=lambda r: int(r[2]))
    assert index.summary("金额", "时间")["total"] == 200


def test_a_stray_quote_gives_the_same_rows_on_every_route(tmp_path, instance, opened):
    deck = add_table(write_deck(tmp_path / "case-1"), STRAY.encode(), last=4)
    assert problems(deck) == [], "rows = 4 is in range: check counts the rows the index does"
    app = served(deck, instance)
    opened(app)
    presenter = keyed_client(app, PRESENTER_KEY)
    html = presenter.get("/screen/exhibit/E05/content").get_data(as_text=True)
    assert 'data-total="4"' in html and html.count('<tr data-n="') == 4
    assert "5&#34; 显示器" in html and "引号&#34;中间" in html
    data = presenter.get("/tables/E05/rows").get_json()
    assert data["rows"] == COURT_ROWS and data["numbers"] == [1, 2, 3, 4]
    court = app.extensions["shizheng.court"]
    court.presentation.command({"action": "goto", "item": "E05"}, "presenter")
    court.presentation.command({"action": "table", "filter": "显示器"}, "presenter")
    screen = keyed_client(app, SCREEN_KEY)
    data = screen.get("/tables/E05/rows").get_json()
    assert data["rows"] == [COURT_ROWS[0]] and data["numbers"] == [1]
    court.presentation.command({"action": "table", "sort": 2, "desc": True}, "presenter")
    data = screen.get("/tables/E05/rows").get_json()
    assert data["rows"] == COURT_ROWS and data["numbers"] == [1, 2, 3, 4]


def test_check_counts_the_rows_the_screens_show(tmp_path):
    deck = add_table(write_deck(tmp_path / "case-1"), STRAY.encode(), last=5)
    assert problems(deck) == [("error", "step_out_of_range", "items/e05-table.md", "step[0].rows")]


# --- a 50 MB cell --------------------------------------------------------------------------


def huge_cell_table(deck: Path) -> Path:
    data = (
        "时间,商品,金额\n2024-03-01,普通,1\n2024-03-02,"
        + "x" * (HUGE - 4)
        + "4512,2\n2024-03-03,也普通,3\n"
    ).encode()
    return add_table(deck, data, last=3)


def test_a_50_mb_cell_is_read_and_check_warns(tmp_path, cli):
    deck = huge_cell_table(write_deck(tmp_path / "case-1"))
    assert problems(deck) == [("warning", "csv_long_cell", "items/e05-table.md", "files")]
    result = cli.check(deck)
    assert result.exit_code == 0, result.output
    assert "row 2 of 'files/goods.csv' has 52,428,800 characters in '商品'" in result.output


def test_a_50_mb_cell_reaches_a_screen_cut_with_a_note(tmp_path, instance, opened):
    app = served(huge_cell_table(write_deck(tmp_path / "case-1")), instance)
    opened(app)
    presenter = keyed_client(app, PRESENTER_KEY)
    note = "…（已截断，共 52,428,800 字）"
    response = presenter.get("/screen/exhibit/E05/content")
    assert response.status_code == 200 and len(response.data) < BOUND
    html = response.get_data(as_text=True)
    assert note in html and "x" * CELL in html and "x" * (CELL + 1) not in html
    assert 'data-total="3"' in html and "也普通" in html
    response = presenter.get("/tables/E05/rows")
    assert response.status_code == 200 and len(response.data) < BOUND
    cell = response.get_json()["rows"][1][1]
    assert cell == "x" * CELL + note
    english = presenter.get("/tables/E05/rows?lang=en").get_json()["rows"][1][1]
    assert english.endswith("… (cut: 52,428,800 characters in all)")
    court = app.extensions["shizheng.court"]
    court.presentation.command({"action": "goto", "item": "E05"}, "presenter")
    court.presentation.command({"action": "table", "filter": "xxxx", "sort": 1}, "presenter")
    response = keyed_client(app, SCREEN_KEY).get("/tables/E05/rows")
    assert response.status_code == 200 and len(response.data) < BOUND
    assert response.get_json()["rows"] == [["2024-03-02", "x" * CELL + note, "2.00"]]


def test_a_cut_never_splits_a_number():
    from presenter.bounds import shorten

    text = "x" * (CELL - 5) + " 13800138000 " + "y" * 100
    cut = shorten(text, CELL, "…{total}")
    assert cut == "x" * (CELL - 5) + "…" + f"{len(text):,}", "the whole number is left out"


def test_a_cell_beyond_the_field_limit_is_a_clear_error(tmp_path):
    from presenter.csvfile import FIELD_LIMIT
    from presenter.views.tabledata import TableError

    data = b"a,b\n1,2\n3," + b"x" * (FIELD_LIMIT + 1) + b"\n"
    deck = add_table(write_deck(tmp_path / "case-1"), data, last=1)
    found = [p for p in load_deck(deck).problems if p.is_error]
    assert [(p.code, p.path, p.key) for p in found] == [
        ("unreadable", "items/e05-table.md", "files")
    ]
    assert "a cell longer than 67,108,864 characters" in found[0].message("en")
    with pytest.raises(TableError, match="goods.csv:3: a cell longer than"):
        TableIndex.open(deck / "files" / "goods.csv", tmp_path / "cache")


# --- a 50 MB line of code ------------------------------------------------------------------


def huge_code(deck: Path) -> Path:
    data = ("<?php $a = '" + "A" * HUGE + "';\n" + "echo $a;\nexit;\n").encode()
    replace_file(deck, CODE_MD, "admin.php", data, CODE.encode())
    return deck


def test_a_50_mb_line_of_code_reaches_a_screen_cut_and_check_warns(tmp_path, instance, opened):
    deck = huge_code(write_deck(tmp_path / "case-1"))
    assert problems(deck) == [("warning", "code_long_line", CODE_MD, "files")]
    app = served(deck, instance)
    opened(app)
    response = keyed_client(app, PRESENTER_KEY).get("/screen/exhibit/E03/content")
    assert response.status_code == 200 and len(response.data) < BOUND
    html = response.get_data(as_text=True)
    assert "…（此行已截断）" in html, "the read ended inside the line: its length is unknown"
    size = (deck / "files" / "admin.php").stat().st_size
    assert f"文件过大（共 {size:,} 字节），仅显示开头 1 行" in html
    assert 'data-n="1"' in html and 'data-n="2"' not in html


def test_long_lines_and_many_lines_are_cut_and_said(tmp_path, instance, opened):
    deck = write_deck(tmp_path / "case-1")
    lines = ["\n", "// " + "长" * 600 + "\n"] + [f"$x{n} = {n};\n" for n in range(6000)]
    replace_file(deck, CODE_MD, "admin.php", "".join(lines).encode(), CODE.encode())
    app = served(deck, instance)
    opened(app)
    html = (
        keyed_client(app, PRESENTER_KEY).get("/screen/exhibit/E03/content").get_data(as_text=True)
    )
    assert "显示前 5,000 行，共 6,002 行" in html
    assert 'data-n="5000"' in html and 'data-n="5001"' not in html
    assert "长" * (LINE - 3) in html and "长" * (LINE - 2) not in html
    assert "…（此行已截断，共 603 字）" in html
    # a blank first line keeps the numbering: line 3 is the first statement
    assert '<span class="line" data-n="3"><span class="ln">3</span>' in html
    third = html.split('data-n="3">', 1)[1].split('<span class="line"', 1)[0]
    assert "$x0" in third


# --- a huge chat message -------------------------------------------------------------------


def huge_chat(deck: Path) -> Path:
    data = (CHAT_CSV + "2024-03-01 10:03,陈某," + "好" * (HUGE // 3) + "\n").encode()
    replace_file(deck, CHAT_MD, "chat.csv", data, CHAT_CSV.encode())
    return deck


def test_a_huge_chat_message_reaches_a_screen_cut_and_check_warns(tmp_path, instance, opened):
    deck = huge_chat(write_deck(tmp_path / "case-1"))
    assert problems(deck) == [("warning", "csv_long_cell", CHAT_MD, "files")]
    app = served(deck, instance)
    opened(app)
    presenter = keyed_client(app, PRESENTER_KEY)
    note = f"…（已截断，共 {HUGE // 3:,} 字）"
    response = presenter.get("/screen/exhibit/E01/content")
    assert response.status_code == 200 and len(response.data) < BOUND
    assert note in response.get_data(as_text=True)
    response = presenter.get("/chats/E01/messages")
    assert response.status_code == 200 and len(response.data) < BOUND
    messages = response.get_json()["messages"]
    assert [m["n"] for m in messages] == [1, 2, 3, 4]
    assert messages[3]["text"] == "好" * CELL + note


def test_the_new_warnings_are_documented():
    guide = (Path(__file__).resolve().parent.parent / "docs" / "deck-format.md").read_text(
        encoding="utf-8"
    )
    for code in ("csv_long_cell", "code_long_line"):
        assert f"`{code}`" in guide


def test_a_window_is_json_with_the_note_in_the_cell(tmp_path, instance, opened):
    """The note is text in the cell: a screen draws it with textContent, never as markup."""
    app = served(huge_cell_table(write_deck(tmp_path / "case-1")), instance)
    opened(app)
    body = keyed_client(app, PRESENTER_KEY).get("/tables/E05/rows").get_data(as_text=True)
    assert json.loads(body)["rows"][1][1].endswith("字）")


def test_a_picture_whose_header_claims_ten_gigapixels_is_a_problem_not_a_crash(tmp_path):
    """A PNG whose header claims 100,000 × 100,000 pixels (a decompression bomb): `check`
    names the file, it never raises."""
    import struct
    import zlib

    from presenter.deck import load_deck

    from .deckfactory import write_deck

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    deck = write_deck(tmp_path / "case-1")
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    (deck / "files" / "shot.png").write_bytes(bomb)
    report = load_deck(deck, verify_hashes=False)
    assert any(p.code == "unreadable" and "shot.png" in str(p) for p in report.problems)
