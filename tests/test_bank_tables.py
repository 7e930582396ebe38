"""Tables as Chinese banks and platforms deliver them: GBK statements with title rows, a
借/贷 column and 合计 rows; tab-separated UTF-16 TXT; workbooks with merged titles and date
cells. The original stays as it is; the display copy, the totals, the totals by category
and their drill-down are what the court is shown."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from presenter import cells
from presenter.originals import DeriveError, Request
from presenter.originals.sheets import find_header, is_totals, sniff, table_copy
from presenter.views.tabledata import Roles, TableIndex

from .conftest import PRESENTER_KEY, SCREEN_KEY, court_app, keyed_client, serve_deck, wait_until
from .deckfactory import write_deck

CST = dt.timezone(dt.timedelta(hours=8))

# an ICBC-style export: four title rows, 借/贷 in a column of its own, amounts with ￥ and
# separators, Chinese dates, a blank line, a header repeated on the next printed page, and
# the totals rows at the end (GBK has no ¥ of its own: banks write the full-width ￥)
STATEMENT = (
    "中国某银行个人账户交易明细\n"
    "户名：张某,,,,,,\n"
    "账号：6222021234567890123,,,币种：人民币,,,\n"
    "起止日期：2024-03-01 至 2024-03-31,,,,,,\n"
    "交易时间,交易类型,借贷标志,交易金额,余额,对方户名,摘要\n"
    '2024年3月1日 10时05分,入金,贷,"￥20,000.00","20,000.00",陈某,转账\n'
    '2024年3月1日 10时15分,出金,借,"￥19,000.00","1,000.00",李某,网银转出\n'
    "\n"
    '2024年3月2日 09时00分,消费,借,￥5.50,994.50,某超市,5" 显示器\n'
    "交易时间,交易类型,借贷标志,交易金额,余额,对方户名,摘要\n"
    '2024年3月3日 14时30分,入金,贷,"￥30,000.10","30,994.60",陈某,转账\n'
    '2024年3月4日 08时00分,出金,借,"￥29,500.00",1494.60,王某,网银转出\n'
    '合  计,,,"￥98,505.60",,,\n'
    "本页合计,笔数：5,,,,,\n"
)
HEADER = ["交易时间", "交易类型", "借贷标志", "交易金额", "余额", "对方户名", "摘要"]


def copy(original: Path, **request) -> tuple[list[list[str]], object]:
    """The display copy's records and what the deriver reported."""
    target = original.with_suffix(".copy.csv")
    fractions: list[float] = []
    made = table_copy(original, target, Request("table", **request), fractions.append)
    assert fractions and fractions[-1] == 1.0
    with open(target, encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream)), made


def gbk_statement(folder: Path) -> Path:
    path = folder / "statement.csv"
    path.write_bytes(STATEMENT.encode("gbk"))
    return path


def workbook(path: Path) -> Path:
    """A statement as a bank's XLSX: an empty first sheet, then merged title cells, date
    cells, amounts stored as numbers, an account number kept as text, a long cell."""
    import xlsxwriter

    book = xlsxwriter.Workbook(path)
    book.add_worksheet("封面")  # empty
    sheet = book.add_worksheet("交易明细")
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.merge_range(0, 0, 0, 5, "某银行对公账户交易明细")
    sheet.merge_range(1, 0, 1, 2, "户名：某科技有限公司")
    sheet.merge_range(1, 3, 1, 5, "账号：6222021234567890123")
    sheet.write_row(3, 0, ["交易时间", "记账日", "支出金额", "收入金额", "笔数", "备注"])
    sheet.write_datetime(4, 0, dt.datetime(2024, 3, 1, 10, 0), when)
    sheet.write_datetime(4, 1, dt.date(2024, 3, 1), day)  # type: ignore[arg-type]
    sheet.write_blank(4, 2, None, money)
    sheet.write_number(4, 3, 50000, money)
    sheet.write_number(4, 4, 1.0)
    sheet.write_string(4, 5, "长" * 3000)
    sheet.write_datetime(5, 0, dt.datetime(2024, 3, 1, 10, 7, 30), when)
    sheet.write_datetime(5, 1, dt.date(2024, 3, 1), day)  # type: ignore[arg-type]
    sheet.write_number(5, 2, 49000.5, money)
    sheet.write_blank(5, 3, None, money)
    sheet.write_number(5, 4, 2.5)
    sheet.write_string(5, 5, "6217000011112222")
    sheet.write_row(6, 0, ["总计", "", 49000.5, 50000])
    book.close()
    return path


# --- the display copy -----------------------------------------------------------------------


def test_a_gbk_statement_loses_its_title_lines_blank_rows_and_totals_to_the_sides(tmp_path):
    original = gbk_statement(tmp_path)
    before = original.read_bytes()
    rows, made = copy(original)
    assert rows[0] == HEADER, "the header found past the four title rows"
    assert [row[0] for row in rows[1:]] == [
        "2024年3月1日 10时05分",
        "2024年3月1日 10时15分",
        "2024年3月2日 09时00分",
        "2024年3月3日 14时30分",
        "2024年3月4日 08时00分",
    ]
    assert rows[1][3] == "￥20,000.00" and rows[3][6] == '5" 显示器', "cells as written"
    assert made.preamble == (
        "中国某银行个人账户交易明细",
        "户名：张某",
        "账号：6222021234567890123  币种：人民币",
        "起止日期：2024-03-01 至 2024-03-31",
    )
    assert made.footer == (("合  计", "", "", "￥98,505.60"), ("本页合计", "笔数：5"))
    assert made.parameters["encoding"] == "gb18030" and made.parameters["delimiter"] == ","
    assert made.parameters["header_row"] == 5 and made.parameters["header_found"]
    assert made.parameters["repeated_header_rows"] == [10]
    assert made.parameters["footer_rows"] == [13, 14] and made.parameters["blank_rows"] == 1
    assert "charset-normalizer" in made.tool
    assert original.read_bytes() == before, "the original stays byte for byte"


def test_a_tab_separated_utf16_txt_with_title_lines(tmp_path):
    text = (
        "账户明细查询\n"
        "卡号\t6222021234567890123\n"
        "交易日期\t交易金额\t借贷\t摘要\n"
        "20240301\t100.00\tC\t工资\n"
        '20240302\t5.00\tD\t"双引号开头的备注\n'
        "20240303\t1,000.00\tCr\t转账\n"
    )
    original = tmp_path / "statement.txt"
    original.write_bytes(text.encode("utf-16"))
    rows, made = copy(original)
    assert rows == [
        ["交易日期", "交易金额", "借贷", "摘要"],
        ["20240301", "100.00", "C", "工资"],
        ["20240302", "5.00", "D", '"双引号开头的备注'],
        ["20240303", "1,000.00", "Cr", "转账"],
    ], "a stray quote in a tab-separated export is a character, not the start of a cell"
    assert made.preamble == ("账户明细查询", "卡号  6222021234567890123")
    assert made.parameters["encoding"] == "utf-16" and made.parameters["delimiter"] == "\t"


def test_a_stray_quote_in_a_utf8_bom_csv_is_a_character(tmp_path):
    original = tmp_path / "bom.csv"
    original.write_bytes('\ufeff商品,数量\n5" 显示器,1\n键盘 "无线",2\n'.encode())
    rows, made = copy(original)
    assert rows == [["商品", "数量"], ['5" 显示器', "1"], ['键盘 "无线"', "2"]]
    assert made.parameters["encoding"] == "utf-8-sig" and made.preamble == ()


def test_a_workbook_with_merged_titles_dates_and_figures(tmp_path):
    rows, made = copy(workbook(tmp_path / "statement.xlsx"))
    assert rows[0] == ["交易时间", "记账日", "支出金额", "收入金额", "笔数", "备注"]
    assert rows[1][:5] == ["2024-03-01 10:00:00", "2024-03-01", "", "50000.00", "1"]
    assert rows[1][5] == "长" * 3000, "a long cell is kept whole"
    assert rows[2] == [
        "2024-03-01 10:07:30",
        "2024-03-01",
        "49000.50",
        "",
        "2.5",
        "6217000011112222",
    ]
    assert len(rows) == 3
    assert made.preamble == (
        "某银行对公账户交易明细",
        "户名：某科技有限公司  账号：6222021234567890123",
    )
    assert made.footer == (("总计", "", "49000.50", "50000.00"),)
    assert made.parameters["sheet"] == "交易明细", "the empty first sheet is passed over"
    assert made.tool.startswith("python-calamine ")


def test_a_named_sheet_that_is_empty_or_missing_is_refused_in_words(tmp_path):
    book = workbook(tmp_path / "statement.xlsx")
    with pytest.raises(DeriveError, match="is empty"):
        copy(book, sheet="封面")
    with pytest.raises(DeriveError) as refused:
        copy(book, sheet="Sheet1")
    assert refused.value.words[0] == "工作簿中没有工作表“Sheet1”（共有：封面、交易明细）"


def test_header_row_names_the_header_and_cannot_be_beyond_the_rows(tmp_path):
    original = gbk_statement(tmp_path)
    rows, made = copy(original, header_row=5, encoding="GBK")
    assert rows[0] == HEADER and not made.parameters["header_found"]
    assert made.parameters["encoding"] == "gb18030" and "charset" not in made.tool
    with pytest.raises(DeriveError, match="beyond the file's rows"):
        copy(original, header_row=99)


def test_the_header_is_the_first_row_as_wide_as_the_table():
    titles = [(1, ["某银行流水", "", ""]), (2, ["户名", "张某", ""])]
    table = [(3, ["时间", "金额", "对方"])] + [(n, ["t", "1", ""]) for n in range(4, 9)]
    assert find_header(titles + table) == 2
    assert sniff("标题\na|b|c\n1|2|3\n4|5|6\n") == "|"
    assert sniff("标题,说明\na\tb\tc\n1\t2\t3\n") == "\t"
    assert is_totals(["", "合 计", "100"]) and is_totals(["Total:", ""]) and not is_totals(["合同"])


# --- how cells read ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("¥20,000.00", "20000.00"),
        ("20,000.00元", "20000.00"),
        ("￥-1,234.5", "-1234.5"),
        ("(1,234.50)", "-1234.50"),
        ("RMB 100", "100"),
        ("１２,３４５.６", "12345.6"),
        ("1,234.50-", "-1234.50"),
        ("2024-03-01", None),
        ("1,23", None),
        ("n/a", None),
    ],
)
def test_amounts_as_banks_write_them(cell, value):
    assert cells.amount(cell) == (None if value is None else Decimal(value))


@pytest.mark.parametrize(
    ("cell", "moment"),
    [
        ("2024年3月1日", dt.datetime(2024, 3, 1)),
        ("2024年3月1日 10时05分", dt.datetime(2024, 3, 1, 10, 5)),
        ("2024/03/01 10:00:00", dt.datetime(2024, 3, 1, 10, 0)),
        ("2024-3-1", dt.datetime(2024, 3, 1)),
        ("20240301100000", dt.datetime(2024, 3, 1, 10, 0)),
        ("20240301", dt.datetime(2024, 3, 1)),
        ("2024-03-01T02:00:00Z", dt.datetime(2024, 3, 1, 10, 0)),
        ("2024年2月30日", None),
    ],
)
def test_dates_as_banks_write_them(cell, moment):
    assert cells.moment(cell, CST) == moment


def test_for_a_bank_account_jie_is_money_out():
    outs = ["借", "支出", "出", "D", "Dr", "-"]
    ins = ["贷", "收入", "入", "C", "Cr", "+"]
    assert [cells.direction(w) for w in outs] == [-1] * 6
    assert [cells.direction(w) for w in ins] == [1] * 6
    signing = cells.Signing(amount=1, direction=0)
    assert signing.value(["借", "￥19,000.00"]) == Decimal("-19000.00")
    assert signing.value(["贷", "-5"]) == Decimal(5), "the direction decides the sign"
    two = cells.Signing(debit=0, credit=1)
    assert two.value(["49000.50", ""]) == Decimal("-49000.50")
    assert two.value(["", "50000.00"]) == Decimal("50000.00")


# --- totals, by category, exact ----------------------------------------------------------

ROLES = Roles(
    amount="交易金额", time="交易时间", direction="借贷标志", category="交易类型", zone="+08:00"
)


@pytest.fixture
def statement_index(tmp_path):
    rows, _ = copy(gbk_statement(tmp_path))
    path = tmp_path / "display.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    TableIndex._open.clear()
    return TableIndex.open(path, tmp_path / "cache")


def test_the_signed_total_the_range_and_the_totals_by_category(statement_index):
    summary = statement_index.summary(ROLES)
    assert summary["exact"] == "1494.60", "20000 − 19000 − 5.50 + 30000.10 − 29500"
    assert summary["inflow"] == "50000.10" and summary["outflow"] == "-48505.50"
    assert summary["first"] == "2024-03-01 10:05" and summary["last"] == "2024-03-04 08:00"
    assert summary["categories"] == [
        {"value": "入金", "count": 2, "sum": "50000.10"},
        {"value": "出金", "count": 2, "sum": "-48500.00"},
        {"value": "消费", "count": 1, "sum": "-5.50"},
    ]
    assert summary["other"] is None and summary["skipped"] == 0


def test_a_category_filter_keeps_its_rows_and_totals_them(statement_index):
    arranged = statement_index.arranged(None, False, "", ROLES, "出金")
    assert list(arranged.rows) == [1, 4] and arranged.total == Decimal("-48500.00")
    by_amount = statement_index.arranged(3, False, "", ROLES)
    names = [row[5] for row in statement_index.rows_at(by_amount.rows)]
    assert names == ["王某", "李某", "某超市", "陈某", "陈某"], "sorted by the signed amount"
    by_time = statement_index.arranged(0, True, "", ROLES)
    assert list(by_time.rows) == [4, 3, 2, 1, 0], "Chinese dates sort as times"


def test_more_than_twenty_categories_end_in_others(tmp_path):
    path = tmp_path / "many.csv"
    lines = ["类型,金额"] + [f"类{n:02d},{n}.01" for n in range(1, 26)] * 2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    TableIndex._open.clear()
    summary = TableIndex.open(path, tmp_path / "cache").summary(
        Roles(amount="金额", category="类型")
    )
    assert len(summary["categories"]) == 20 and summary["categories"][0]["value"] == "类25"
    assert summary["other"] == {"values": 5, "count": 10, "sum": "30.10"}
    total = sum(Decimal(c["sum"]) for c in summary["categories"]) + Decimal(summary["other"]["sum"])
    assert str(total) == summary["exact"] == "650.50", "sums stay exact"


# --- in court -----------------------------------------------------------------------------

ITEM = """\
+++
id = "E05"
title = "张某账户交易明细"
type = "behaviour"
view = "table"
files = ["files/statement.csv"]

[columns]
amount = "交易金额"
time = "交易时间"
direction = "借贷标志"
category = "交易类型"

[source]
method = "retrieval"

[[source.hash]]
file = "files/statement.csv"
algorithm = "sha256"
value = "{sha256}"

[[shows]]
fact = "F2"
aspect = "funds"
+++
"""


def bank_deck(root: Path) -> Path:
    deck = write_deck(root)
    original = gbk_statement(deck / "files")
    sha256 = hashlib.sha256(original.read_bytes()).hexdigest()
    (deck / "items" / "e05-statement.md").write_text(ITEM.format(sha256=sha256), encoding="utf-8")
    return deck


def presenter_socket(app):
    client = app.extensions["socketio"].test_client(
        app, namespace="/live", auth={"key": PRESENTER_KEY, "role": "presenter"}
    )
    client.get_received("/live")
    return client


def test_the_statement_in_court_with_its_titles_totals_and_categories(tmp_path, instance):
    with court_app(bank_deck(tmp_path / "bank"), instance) as app:
        screen = keyed_client(app, SCREEN_KEY)
        html = screen.get("/screen/exhibit/E05/content").get_data(as_text=True)
        assert "<p>户名：张某</p>" in html and "<p>起止日期：2024-03-01 至 2024-03-31</p>" in html
        assert "原表合计行" in html and "<td>￥98,505.60</td>" in html
        assert "合计（交易金额）1,494.60 元" in html and "共计行数 5 " in html
        assert "时间范围 2024-03-01 10:05 — 2024-03-04 08:00" in html
        assert '<tr data-category="入金"><td><button type="button" class="category">入金' in html
        assert '<td class="num">-48,500.00 元</td>' in html
        whole = screen.get("/tables/E05/rows?start=0").get_json()
        assert whole["total"] == 5 and whole["arranged"] is None

        presenter = presenter_socket(app)
        presenter.emit("command", {"action": "goto", "item": "E05"}, namespace="/live")
        presenter.emit(
            "command", {"action": "table", "category": "出金", "start": 0}, namespace="/live"
        )
        assert app.extensions["shizheng.court"].state.table.category == "出金"
        window = screen.get("/tables/E05/rows?start=0").get_json()
        assert window["numbers"] == [2, 5], "each row keeps its number in the file"
        assert [row[5] for row in window["rows"]] == ["李某", "王某"]
        arranged = window["arranged"]
        assert arranged["category"] == "出金" and arranged["category_column"] == "交易类型"
        assert arranged["rows"] == 2 and arranged["total_text"] == "-48,500.00 元"
        record = app.extensions["shizheng.court"].record.path.read_text(encoding="utf-8")
        assert '"category":"出金"' in record.replace(" ", ""), "the record names the category"


def test_check_names_the_table_keys_roles_and_unreadable_amounts(tmp_path, cli):
    deck = bank_deck(tmp_path / "bank")
    item = deck / "items" / "e05-statement.md"
    text = item.read_text(encoding="utf-8")
    broken = text.replace('view = "table"', 'view = "table"\nheader_row = 40')
    item.write_text(broken.replace("category =", "branch ="), encoding="utf-8")
    output = cli.check(deck, "--lang", "en").output
    assert "columns.branch: the table view has no column role 'branch'" in output
    assert "header_row: header_row = 40 is beyond the rows of 'files/statement.csv' (14)" in output
    chat = deck / "items" / "e01-chat.md"
    chat_text = chat.read_text(encoding="utf-8")
    chat.write_text(chat_text.replace('view = "chat"', 'view = "chat"\nsheet = "明细"'), "utf-8")
    item.write_text(text.replace('view = "table"', 'view = "table"\nencoding = "gbk"'), "utf-8")
    original = deck / "files" / "statement.csv"
    original.write_bytes(STATEMENT.replace("￥5.50", "五元五角").encode("gbk"))
    output = cli.check(deck, "--lang", "en").output
    assert "sheet: '" in output and "is no workbook" in output
    assert (
        "row 3 of 'files/statement.csv' holds '五元五角' in '交易金额', which is no amount"
        in output
    )


# --- on every screen ------------------------------------------------------------------------


def test_a_category_click_on_the_presenter_filters_every_screen(tmp_path, browser):
    deck = bank_deck(tmp_path / "decks" / "bank")
    with serve_deck(deck, tmp_path / "instance") as served:
        context = browser.new_context(viewport={"width": 1600, "height": 900})
        errors: list[str] = []
        screens = [context.new_page(), context.new_page()]
        presenter = context.new_page()
        for page in (*screens, presenter):
            page.on("pageerror", lambda e: errors.append(str(e)))
        for n, screen in enumerate(screens):
            screen.goto(f"{served.url}screen?key={SCREEN_KEY}&name=screen{n}")
        presenter.goto(f"{served.url}present?key={PRESENTER_KEY}")
        for page in screens:
            wait_until(lambda p=page: p.evaluate("document.documentElement.dataset.seq"), 30)
        wait_until(lambda: presenter.evaluate("document.getElementById('stage').dataset.seq"))
        presenter.keyboard.press("ArrowRight")  # past the opening logo
        presenter.keyboard.type("5")  # E05, as a trial technician calls it up
        presenter.keyboard.press("Enter")
        for page in screens:
            wait_until(lambda p=page: p.locator("#stage .table-categories").count() > 0, 15)
        presenter.locator("#stage .table-categories tr[data-category='出金'] button").click()
        for page in screens:
            wait_until(
                lambda p=page: "出金" in (p.locator("#stage .table-arranged").text_content() or ""),
                15,
            )
            rows = page.locator("#stage .table-scroll tbody tr").all_inner_texts()
            assert len(rows) == 2 and all("出金" in row for row in rows)
            assert (
                page.locator("#stage .table-categories tr.hl").get_attribute("data-category")
                == "出金"
            )
        # the same category again shows every row only once the presenter's page knows it
        chosen = "#stage .table-categories tr.hl[data-category='出金']"
        wait_until(lambda: presenter.locator(chosen).count() == 1, 15)
        presenter.locator("#stage .table-categories tr[data-category='出金'] button").click()
        for page in screens:
            wait_until(lambda p=page: p.locator("#stage .table-arranged").is_hidden(), 15)
            assert page.locator("#stage .table-scroll tbody tr").count() == 5
        context.close()
        assert errors == []


def test_serving_prepares_each_table_before_it_is_opened(deck_copy, tmp_path) -> None:
    """The row index and the totals of a million-row statement take seconds: serving makes
    them in a thread of its own, so the presenter's first opening in court does not wait."""
    instance = tmp_path / "instance"
    tables = instance / "demo" / "cache" / "tables"
    with serve_deck(deck_copy, instance):  # nobody opens a table
        wait_until(lambda: len(list(tables.glob("*.json"))) >= 2, 60)  # E03's and E08's totals
