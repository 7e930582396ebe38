"""Tables a page at a time: the row index, pages, the cache, totals and ranges."""

from __future__ import annotations

import csv
import io

import pytest

from presenter.views.tabledata import TableError, TableIndex, number

ROWS = [
    ["2024-03-01T10:00:00+08:00", "陈某", "1,234.50", 'a "quoted", cell'],
    ["2024-03-02 09:00", "刘某", "¥100", "two\nlines"],
    ["2024-02-28 23:59", "孙某", "", "plain"],
    ["2024-03-05 08:00", "周某", "n/a", "x,y"],
] + [[f"2024-04-{1 + i % 28:02d} 12:00", f"p{i}", str(i), "z"] for i in range(250)]


def write(path, rows, bom: bool = False) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["time", "name", "amount", "note"])
    writer.writerows(rows)
    path.write_text(("\ufeff" if bom else "") + out.getvalue(), encoding="utf-8", newline="")


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "t.csv"
    write(path, ROWS, bom=True)
    TableIndex._open.clear()
    return TableIndex.open(path, tmp_path / "cache")


def test_header_and_rows(table):
    assert table.header == ["time", "name", "amount", "note"]
    assert table.rows == len(ROWS)


@pytest.mark.parametrize("start", [0, 1, 100, 200, 250, len(ROWS) - 1])
def test_any_page_matches_the_whole_file(table, start):
    assert table.page(start, 100) == ROWS[start : start + 100]


def test_quoted_cells_with_commas_quotes_and_newlines(table):
    assert table.page(0, 2) == ROWS[:2]


def test_the_index_is_kept_and_reused(table, tmp_path):
    stored = next((tmp_path / "cache").glob("*.rows"))
    written = stored.stat().st_mtime_ns
    TableIndex._open.clear()
    again = TableIndex.open(table.path, tmp_path / "cache")
    assert again.rows == table.rows and stored.stat().st_mtime_ns == written
    write(table.path, ROWS[:3])
    TableIndex._open.clear()
    assert TableIndex.open(table.path, tmp_path / "cache").rows == 3


def test_totals_and_time_range(table):
    summary = table.summary("amount", "time")
    assert summary["total"] == round(1234.5 + 100 + sum(range(250)), 2)
    assert summary["skipped"] == 1  # "n/a"; the empty cell is not counted at all
    assert summary["first"] == "2024-02-28 23:59" and summary["last"] == "2024-04-28 12:00"
    assert table.summary(None, None) == {"rows": len(ROWS)}


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1,234.50", 1234.5), ("¥100", 100.0), ("-3", -3.0), ("x", None), ("1.2.3", None)],
)
def test_numbers_in_cells(cell, value):
    assert number(cell) == value


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("name\n陈某\n".encode("gb18030"))
    TableIndex._open.clear()
    with pytest.raises(TableError, match="gbk.csv"):
        TableIndex.open(path, tmp_path / "cache").page(0)
    with pytest.raises(TableError, match="missing.csv"):
        TableIndex.open(tmp_path / "missing.csv", tmp_path / "cache")


def test_a_filter_keeps_the_rows_holding_the_text_in_any_cell(table):
    arranged = table.arranged(None, False, "QUOTED", "amount")
    assert list(arranged.rows) == [0]
    assert arranged.total == 1234.5
    assert table.rows_at(arranged.rows) == [ROWS[0]]
    lines = table.arranged(None, False, "lines", None)
    assert table.rows_at(lines.rows) == [ROWS[1]] and lines.total is None


def test_a_numeric_column_sorts_as_numbers_with_empty_cells_last(tmp_path):
    path = tmp_path / "n.csv"
    write(
        path,
        [["t", "a", "10", ""], ["t", "b", "9", ""], ["t", "c", "", ""], ["t", "d", "1,000", ""]],
    )
    index = TableIndex.open(path, tmp_path / "cache")
    up = index.arranged(2, False, "", "amount")
    assert [r[1] for r in index.rows_at(up.rows)] == ["b", "a", "d", "c"]
    down = index.arranged(2, True, "", "amount")
    assert [r[1] for r in index.rows_at(down.rows)] == ["d", "a", "b", "c"]
    assert down.total == 1019.0


def test_a_text_column_sorts_as_text_and_sort_and_filter_combine(table):
    arranged = table.arranged(1, True, "p1", None)
    names = [row[1] for row in table.rows_at(arranged.rows)]
    assert names == sorted((f"p{i}" for i in range(250) if "p1" in f"p{i}"), reverse=True)
    assert table.arranged(1, True, "p1", None) is arranged  # kept for the next page


def test_an_index_from_the_quote_counting_scan_is_never_reused(tmp_path):
    """Version 1 of the index counted quotes per line; its cached files must be scanned anew."""
    import hashlib
    import json
    import os

    path = tmp_path / "t.csv"
    path.write_text('name,size\n显示器,5"\n键盘,1\n', encoding="utf-8")
    stat = os.stat(path)
    old_key = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"
    cache = tmp_path / "cache"
    cache.mkdir()
    stored = cache / f"{hashlib.sha256(old_key.encode()).hexdigest()[:32]}.rows"
    stored.write_bytes(json.dumps(["name", "size"]).encode() + b"\n" + bytes(16))
    TableIndex._open.clear()
    index = TableIndex.open(path, cache)
    assert index.rows == 2 and index.page(0) == [["显示器", '5"'], ["键盘", "1"]]


def test_blank_lines_are_no_rows_for_the_index_the_filter_and_the_totals(tmp_path):
    path = tmp_path / "t.csv"
    text = 'name,amount\r\n\r\n张某,5" \r\n\r\n\r\n李某,"1,000"\r\n\r\n'
    path.write_bytes(text.encode())
    TableIndex._open.clear()
    index = TableIndex.open(path, tmp_path / "cache")
    assert index.page(0) == [["张某", '5" '], ["李某", "1,000"]]
    assert index.rows_at([1, 0]) == [["李某", "1,000"], ["张某", '5" ']]
    assert list(index.arranged(None, False, "李", "amount").rows) == [1]
    assert index.summary("amount", None)["total"] == 1000 and index.rows == 2


def test_a_line_break_inside_an_unquoted_cell_is_named_with_its_line(tmp_path):
    """A bare CR (classic Mac OS line ends) cannot be told from a break in a cell: the file is
    unreadable, as `check` says, rather than one huge row."""
    path = tmp_path / "mac.csv"
    path.write_bytes(b"name,amount\r\xe5\xbc\xa0,1\r")
    TableIndex._open.clear()
    with pytest.raises(TableError, match=r"mac.csv:1: a line break inside an unquoted cell"):
        TableIndex.open(path, tmp_path / "cache")
