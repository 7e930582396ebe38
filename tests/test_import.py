"""`python app.py import decks/ID --from PATH`: decks made or extended from chat exports, UFDR
reports, CASE/UCO JSON-LD and spreadsheets with a mapping file."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from pydantic import TypeAdapter

from presenter.deck import load_deck
from presenter.deck.loader import split_item
from presenter.deck.model import Source
from presenter.importing import ufdr

from . import forensic_reports as fr
from .conftest import DEMO_DECK
from .deckfactory import edit, write_deck

CST = dt.timezone(dt.timedelta(hours=8))
TODO_LINE = re.compile(r"^[^:]+:\d+: error: [^:]+: still to be filled in \(TODO\)$")


def front(path: Path) -> dict:
    split = split_item(path.read_text("utf-8"))
    assert not isinstance(split, str)
    return tomllib.loads(split[0])


def items(deck: Path) -> dict[str, dict]:
    found = {}
    for path in sorted((deck / "items").glob("*.md")):
        data = front(path)
        found[data["id"]] = data
    return found


def only_todos(cli, deck: Path) -> list[str]:
    """`check` on the deck: every problem is a TODO blank; the blanks' lines."""
    result = cli.check(deck)
    *problems, summary = result.output.strip().splitlines()
    assert problems, result.output
    assert all(TODO_LINE.match(p) for p in problems), result.output
    assert summary == f"{len(problems)} errors, 0 warnings"
    return problems


def imported(cli, deck: Path, source: Path, *more: str):
    result = cli(
        "import", deck, "--from", source, "--lang", "en", "--instance", cli.instance, *more
    )
    assert "Traceback" not in result.output
    return result


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8"))))


# --- chat exports --------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_a_chat_csv_is_kept_as_it_is_its_headers_mapped(tmp_path: Path, cli, encoding) -> None:
    export = fr.wechat_csv(tmp_path / "导出 文件夹", encoding)
    deck = tmp_path / "decks" / "chen"
    result = imported(cli, deck, export)
    assert result.exit_code == 0, result.output
    item = items(deck)["E01"]
    assert item["view"] == "chat" and item["type"] == "communication"
    assert item["columns"] == {
        "time": "StrTime", "sender": "Sender", "text": "StrContent", "attachment": "MsgPath"
    }  # fmt: skip
    assert "encoding" not in item  # left to detection
    main = deck / item["files"][0]
    assert main.read_bytes() == export.read_bytes()  # byte for byte, BOM or GBK and CRLF
    assert item["files"][1:] == [
        "files/聊天记录 陈某/images/收益 截图.jpg",
        "files/聊天记录 陈某/voice/msg 1.amr",
    ]
    recorded = {(h["file"], h["algorithm"]): h["value"] for h in item["source"]["hash"]}
    assert recorded[(item["files"][0], "sha256")] == sha256(export)
    only_todos(cli, deck)  # each MsgPath, relative to the CSV's folder, names a listed file


def test_the_files_own_times_are_recorded_once_from_the_original(tmp_path: Path, cli) -> None:
    export = fr.wechat_csv(tmp_path / "export")
    seized = dt.datetime(2024, 3, 5, 6, 30, tzinfo=dt.UTC).timestamp()
    os.utime(export, (seized + 60, seized))
    deck = tmp_path / "decks" / "chen"
    assert imported(cli, deck, export).exit_code == 0
    record = items(deck)["E01"]["source"]["file"][0]
    assert record["file"] == items(deck)["E01"]["files"][0]
    assert record["modified"] == dt.datetime(2024, 3, 5, 14, 30, tzinfo=CST)
    assert record["modified"].utcoffset() == dt.timedelta(hours=8)  # the deck's zone
    # the copy's own access, change and creation times are the copying's, not the evidence's
    assert not {"accessed", "changed", "created"} & record.keys()
    assert record["size"] == export.stat().st_size
    assert record["origin"] == "原件文件系统"
    copy = deck / record["file"]
    assert copy.stat().st_mtime == seized  # a later look at the copy reads the same time
    loaded = load_deck(deck, verify_hashes=False)
    assert (
        loaded.deck is None
        or loaded.deck.exhibits[0].source.files[0].modified == (record["modified"])
    )


def parsed_messages() -> list[list[str]]:
    deck_path = "files/聊天记录 陈某/"
    return [
        [time, sender, "" if attachment else text, deck_path + attachment if attachment else ""]
        for time, _, _, sender, text, attachment in fr.CHAT
    ]


@pytest.mark.parametrize("form", ["html", "txt"])
def test_an_html_or_txt_export_is_kept_first_and_parsed_into_a_csv_beside_it(
    tmp_path: Path, cli, form
) -> None:
    if form == "html":
        export = fr.wechat_html(tmp_path / "export 微信")
    else:
        export = fr.wechat_txt(tmp_path / "export 微信", encoding="gb18030")
    deck = tmp_path / "decks" / "chen"
    result = imported(cli, deck, export)
    assert result.exit_code == 0, result.output
    item = items(deck)["E01"]
    original, parsed, *attachments = item["files"]
    assert (deck / original).read_bytes() == export.read_bytes()
    assert parsed == "files/聊天记录 陈某/聊天记录 陈某（解析）.csv"
    assert attachments == [
        "files/聊天记录 陈某/images/收益 截图.jpg",
        "files/聊天记录 陈某/voice/msg 1.amr",
    ]
    assert rows(deck / parsed) == [["时间", "发送人", "内容", "附件"], *parsed_messages()]
    assert item["columns"] == {
        "time": "时间",
        "sender": "发送人",
        "text": "内容",
        "attachment": "附件",
    }
    (change,) = item["source"]["change"]
    assert change["what"].startswith(f"parsed from the exported {form.upper()} into CSV")
    hashed = {h["file"] for h in item["source"]["hash"]}
    assert {original, parsed} <= hashed
    records = {r["file"] for r in item["source"]["file"]}
    assert original in records and parsed not in records  # the CSV is ours, not the evidence
    if form == "html":  # a .txt is a table to check, beside the CSV: see the report
        only_todos(cli, deck)


def test_a_folder_holding_one_export_is_taken_whole(tmp_path: Path, cli) -> None:
    folder = tmp_path / "wechat export"
    fr.wechat_html(folder)
    deck = tmp_path / "decks" / "chen"
    assert imported(cli, deck, folder).exit_code == 0
    assert items(deck)["E01"]["files"][0].endswith(".html")


def test_an_empty_export_or_an_unknown_file_is_told_in_the_users_language(
    tmp_path: Path, cli
) -> None:
    empty = tmp_path / "空的.csv"
    empty.write_bytes(b"")
    result = imported(cli, tmp_path / "decks" / "a", empty)
    assert result.exit_code == 1 and "空的.csv" in result.output
    assert "not recognised" in result.output and "--mapping" in result.output
    blob = tmp_path / "disk image.bin"
    blob.write_bytes(b"\x00\x01 raw")
    result = cli("import", tmp_path / "decks" / "a", "--from", blob)
    assert result.exit_code == 1 and "无法识别" in result.output and "--mapping" in result.output
    header_only = tmp_path / "x.csv"
    header_only.write_text("StrTime,Sender,StrContent\n", "utf-8")
    result = imported(cli, tmp_path / "decks" / "a", header_only)
    assert result.exit_code == 1 and "holds no message" in result.output
    assert not (tmp_path / "decks" / "a").exists()


# --- extending a deck ----------------------------------------------------------------------


def snapshot(deck: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in deck.rglob("*") if p.is_file()}


def test_an_existing_deck_is_extended_never_overwritten(tmp_path: Path, cli, deck_copy) -> None:
    before = snapshot(deck_copy)
    order = tomllib.loads((deck_copy / "deck.toml").read_text("utf-8")).get("order")
    export = fr.wechat_html(tmp_path / "export")
    assert imported(cli, deck_copy, export).exit_code == 0
    assert imported(cli, deck_copy, export).exit_code == 0  # the same again: a second folder
    after = snapshot(deck_copy)
    changed = {p for p in before if before[p] != after[p]}
    assert changed <= {deck_copy / "deck.toml"}
    found = items(deck_copy)
    last = max(int(i[1:]) for i in found)  # the highest E-number before: the two new ones
    first, second = f"E{last - 1:02d}", f"E{last:02d}"
    assert found[first]["files"][0] == "files/聊天记录 陈某/聊天记录 陈某.html"
    assert found[second]["files"][0] == "files/聊天记录 陈某-2/聊天记录 陈某.html"
    if order is not None:
        new_order = tomllib.loads((deck_copy / "deck.toml").read_text("utf-8"))["order"]
        assert new_order == [*order, first, second]
    problems = only_todos(cli, deck_copy)
    assert all(
        p.startswith((f"items/{first.lower()}", f"items/{second.lower()}")) for p in problems
    )


def test_an_order_is_extended_and_the_rest_of_deck_toml_kept(tmp_path: Path, cli) -> None:
    deck = write_deck(tmp_path / "decks" / "case-1")
    edit(deck / "deck.toml", "format = 1\n", 'format = 1\norder = ["E02", "E01", "E03", "E04"]\n')
    text = (deck / "deck.toml").read_text("utf-8")
    assert imported(cli, deck, fr.wechat_html(tmp_path / "export")).exit_code == 0
    written = (deck / "deck.toml").read_text("utf-8")
    assert written == text.replace('"E04"]', '"E04", "E05"]')
    assert (deck / "items" / "e05.md").is_file()


def test_the_deck_zone_is_the_zone_of_recorded_times(tmp_path: Path, cli) -> None:
    deck = write_deck(tmp_path / "decks" / "case-1")
    edit(
        deck / "deck.toml",
        'defendants = ["张某"]\n',
        'defendants = ["张某"]\ntimezone = "+09:00"\n',
    )
    assert imported(cli, deck, fr.Ufdr().write(tmp_path / "phone.ufdr")).exit_code == 0
    chat = next(i for i in items(deck).values() if i["view"] == "chat" and i["id"] != "E01")
    collected = chat["source"]["collected_at"]
    assert collected == dt.datetime(2024, 3, 5, 14, 30, tzinfo=CST)
    assert collected.utcoffset() == dt.timedelta(hours=9)


# --- UFDR ----------------------------------------------------------------------------------


@pytest.fixture
def phone(tmp_path: Path) -> tuple[fr.Ufdr, Path]:
    report = fr.Ufdr()
    return report, report.write(tmp_path / "张某 iPhone 13.ufdr")


def test_a_ufdr_gives_its_source_from_the_report(tmp_path: Path, cli, phone) -> None:
    report, path = phone
    deck = tmp_path / "decks" / "zhang-phone"
    result = imported(cli, deck, path)
    assert result.exit_code == 0, result.output
    found = items(deck)
    assert [(i["view"], i["title"]) for i in found.values()] == [
        ("chat", "WeChat 陈姐"),
        ("table", "Call log"),
        ("table", "Contacts"),
        ("image", "IMG_0001.JPG"),
        ("image", "转账 凭证.jpg"),
    ]
    for item in found.values():
        source = item["source"]
        assert source["collected_at"] == dt.datetime(2024, 3, 5, 14, 30, tzinfo=CST)
        assert source["tool"] == "UFED 4PC 7.69.0.42"
        assert source["collectors"] == ["侦查员甲"]
        assert source["medium"] == {
            "brand": "Apple",
            "model": "iPhone 13 (A2634)",
            "serial": "F2LXK0ABCDEF",
            "identifier": "IMEI 356789101234567",
        }
        assert "Advanced Logical" in source["procedure"]
        assert "2024-03-05 16:02:11 (UTC+08:00)" in source["procedure"]
        assert "iOS 17.3.1" in source["procedure"]
        assert source["method"] == "TODO"  # only a person knows how it was collected
    only_todos(cli, deck)


def test_ufdr_chats_calls_and_contacts_become_csvs_said_to_come_from_the_report(
    tmp_path: Path, cli, phone
) -> None:
    _, path = phone
    deck = tmp_path / "decks" / "zhang-phone"
    assert imported(cli, deck, path).exit_code == 0
    chat, calls, contacts = list(items(deck).values())[:3]
    messages = rows(deck / chat["files"][0])
    assert messages[0] == ["时间", "发送人", "内容", "附件"]
    assert messages[1] == [
        "2024-03-01T10:00:00+08:00",
        "阳光总在风雨后（wxid_zhang）",
        fr.CHAT[0][4],
        "",
    ]
    assert messages[5][2] == '好的，我转 "5,000" 元\n明天再说'
    assert messages[3][3] == chat["files"][1] == "files/张某 iPhone 13/转账 凭证.jpg"
    assert "report.xml" in chat["source"]["change"][0]["what"]
    assert rows(deck / calls["files"][0])[1] == [
        "2024-03-01T11:00:05+08:00", "Outgoing", "Established", "13800138000", "陈姐",
        "00:03:12", "Phone",
    ]  # fmt: skip
    assert calls["type"] == "behaviour"
    assert rows(deck / contacts["files"][0])[1:] == [
        ["陈姐", "+86 138 0013 8000", "Phone"],
        ["李经理", "13900139000", "Phone"],
    ]


def test_ufdr_files_keep_the_reports_hashes_and_times(tmp_path: Path, cli, phone) -> None:
    report, path = phone
    deck = tmp_path / "decks" / "zhang-phone"
    assert imported(cli, deck, path).exit_code == 0
    photo = items(deck)["E04"]
    (name,) = photo["files"]
    assert (deck / name).read_bytes() == report.files[0].data
    assert {h["algorithm"]: h["value"] for h in photo["source"]["hash"]} == {
        "md5": report.files[0].md5,
        "sha256": report.files[0].sha256,
    }
    (record,) = photo["source"]["file"]
    assert record == {
        "file": name,
        "size": len(report.files[0].data),
        "created": dt.datetime(2024, 2, 28, 9, 15, tzinfo=CST),
        "modified": dt.datetime(2024, 2, 28, 9, 16, 30, tzinfo=CST),
        "accessed": dt.datetime(2024, 3, 4, 20, 0, tzinfo=CST),
        "origin": "UFDR report.xml",
    }
    assert "/private/var/mobile/Media/DCIM/100APPLE/IMG_0001.JPG" in (
        deck / "items" / "e04.md"
    ).read_text("utf-8")


def test_a_file_that_differs_from_the_reports_hash_is_told_loudly(tmp_path: Path, cli) -> None:
    report = fr.Ufdr()
    report.files[0].sha256 = "0" * 64
    deck = tmp_path / "decks" / "zhang-phone"
    result = imported(cli, deck, report.write(tmp_path / "phone.ufdr"))
    assert "WARNING: the SHA256 of files/phone/IMG_0001.JPG differs" in result.output
    assert "0" * 64 in result.output
    assert re.search(r"items/e04\.md:\d+: error: .*hash", result.output)


@pytest.mark.parametrize(
    "member",
    ["../outside.txt", "files/../../outside.txt", "/etc/cron.d/evil", "C:/Windows/evil.dll"],
)
def test_a_zip_member_pointing_outside_is_refused(tmp_path: Path, cli, member) -> None:
    path = tmp_path / "hostile.ufdr"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("report.xml", fr.Ufdr().report_xml())
        archive.writestr(zipfile.ZipInfo(member), b"owned")
    result = imported(cli, tmp_path / "decks" / "x", path)
    assert result.exit_code == 1
    assert member in result.output and "refused" in result.output
    assert not (tmp_path / "decks").exists() or not any((tmp_path / "decks").iterdir())
    assert not (tmp_path / "outside.txt").exists()


@pytest.mark.parametrize("xml", [fr.BILLION_LAUGHS, fr.EXTERNAL_ENTITY, "<project><unclosed>"])
def test_a_hostile_or_broken_report_is_refused(tmp_path: Path, cli, xml) -> None:
    path = fr.Ufdr().write(tmp_path / "hostile.ufdr", report=xml)
    result = imported(cli, tmp_path / "decks" / "x", path)
    assert result.exit_code == 1
    assert "cannot be read safely" in result.output and "report.xml" in result.output
    assert "root:" not in result.output  # no /etc/passwd
    assert not (tmp_path / "decks" / "x").exists()


def test_a_broken_zip_is_told(tmp_path: Path, cli, phone) -> None:
    _, path = phone
    broken = tmp_path / "broken.ufdr"
    broken.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    result = cli("import", tmp_path / "decks" / "x", "--from", broken)
    assert result.exit_code == 1
    assert "UFDR" in result.output and "重新导出" in result.output


def test_a_zip_too_large_or_with_too_many_members_is_refused_before_reading(
    tmp_path: Path, cli, phone, monkeypatch
) -> None:
    _, path = phone
    monkeypatch.setattr(ufdr, "MAX_TOTAL", 1000)
    result = imported(cli, tmp_path / "decks" / "x", path)
    assert result.exit_code == 1 and "4 GiB" in result.output
    monkeypatch.setattr(ufdr, "MAX_TOTAL", 4 << 30)
    monkeypatch.setattr(ufdr, "MAX_MEMBERS", 2)
    result = imported(cli, tmp_path / "decks" / "x", path)
    assert result.exit_code == 1 and "3 members" in result.output


def test_a_zip_without_a_report_is_no_ufdr(tmp_path: Path, cli) -> None:
    path = tmp_path / "photos.ufdr"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.jpg", b"x")
    result = imported(cli, tmp_path / "decks" / "x", path)
    assert result.exit_code == 1 and "no report.xml" in result.output


# --- CASE/UCO ------------------------------------------------------------------------------


def exported_demo(tmp_path: Path, cli) -> Path:
    """The demo deck's CASE export, handed over with the deck's files beside it."""
    folder = tmp_path / "handed over"
    folder.mkdir()
    out = folder / "demo.jsonld"
    assert cli("export-case", DEMO_DECK, "--out", out, "--instance", cli.instance).exit_code == 0
    shutil.copytree(DEMO_DECK / "files", folder / "files")
    return out


def demo_exhibits():
    return [e for e in load_deck(DEMO_DECK).deck.exhibits if not e.excluded]


def test_case_round_trip_keeps_every_provenance_field(tmp_path: Path, cli) -> None:
    """`export-case` → `import`: every field of every exhibit's `[source]` comes back, the
    files byte for byte, their recorded times too (the export's annotation carries what UCO
    has no place for: participants' roles, procedure, documents, changes, defects)."""
    out = exported_demo(tmp_path, cli)
    deck = tmp_path / "decks" / "demo-copy"
    result = imported(cli, deck, out)
    assert result.exit_code == 0, result.output
    found = list(items(deck).values())
    assert len(found) == len(demo_exhibits())
    read = TypeAdapter(Source)  # the deck still has blanks (facts shown): read the sources
    for exhibit, item in zip(demo_exhibits(), found, strict=True):
        assert item["title"] == exhibit.title
        assert item.get("files", []) == list(exhibit.files)
        for name in exhibit.files:
            assert sha256(deck / name) == sha256(DEMO_DECK / name)
        source = read.validate_python(item["source"])
        assert source.method == exhibit.source.method
        for key in ("collected_at", "collectors", "witnesses", "holder", "location", "tool",
                    "recorded", "documents", "url", "medium", "changes", "defects"):  # fmt: skip
            assert getattr(source, key) == getattr(exhibit.source, key), (item["id"], key)
        assert source.procedure.strip() == exhibit.source.procedure.strip()
        wanted = {(h.file, h.algorithm, h.value) for h in exhibit.source.hashes}
        assert {(h.file, h.algorithm, h.value) for h in source.hashes} >= wanted
        recorded = {r.file: r for r in exhibit.source.files}
        for record in source.files:
            if record.file in recorded:
                kept = recorded[record.file]
                assert (record.created, record.modified) == (kept.created, kept.modified)
                assert record.origin == kept.origin


def test_case_files_not_beside_the_json_ld_are_named(tmp_path: Path, cli) -> None:
    out = exported_demo(tmp_path, cli)
    (out.parent / "files" / "recruit-ad.png").unlink()
    result = imported(cli, tmp_path / "decks" / "x", out)
    assert result.exit_code == 1
    assert "recruit-ad.png" in result.output and "beside the JSON-LD" in result.output


def test_broken_json_ld_is_told(tmp_path: Path, cli) -> None:
    path = tmp_path / "autopsy.jsonld"
    path.write_text('{"@context": {}, "@graph": [', "utf-8")
    result = imported(cli, tmp_path / "decks" / "x", path)
    assert result.exit_code == 1 and "no readable CASE/UCO JSON-LD" in result.output


# --- spreadsheets with a mapping file ------------------------------------------------------


def bank_statement(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("交易明细")
    sheet.write_row(0, 0, ["某银行 账户交易明细"])
    sheet.write_row(1, 0, ["账号：6222 0000 0000 0000"])
    sheet.write_row(2, 0, ["交易时间", "对方户名", "交易金额", "摘要"])
    sheet.write_row(3, 0, ["2024-03-02 10:00:00", "账户A", 50000, "转账"])
    sheet.write_row(4, 0, ["2024-03-02 11:00:00", "账户B", -49000, "转账"])
    book.close()
    return path


def test_a_spreadsheet_with_a_mapping_file_becomes_one_item(tmp_path: Path, cli) -> None:
    sheet = bank_statement(tmp_path / "陈某 流水.xlsx")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'title = "陈某银行卡交易明细"\ntype = "behaviour"\nview = "table"\nsheet = "交易明细"\n'
        'header_row = 3\n\n[columns]\ntime = "交易时间"\namount = "交易金额"\n',
        "utf-8",
    )
    deck = tmp_path / "decks" / "bank"
    result = imported(cli, deck, sheet, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    item = items(deck)["E01"]
    assert item["title"] == "陈某银行卡交易明细" and item["type"] == "behaviour"
    assert item["sheet"] == "交易明细" and item["header_row"] == 3
    assert item["columns"] == {"time": "交易时间", "amount": "交易金额"}
    assert (deck / item["files"][0]).read_bytes() == sheet.read_bytes()
    only_todos(cli, deck)


def test_a_mapping_naming_what_is_not_there_is_told(tmp_path: Path, cli) -> None:
    sheet = bank_statement(tmp_path / "流水.xlsx")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('header_row = 3\nsheet = "交易明细"\n[columns]\namount = "金额"\n', "utf-8")
    result = imported(cli, tmp_path / "decks" / "x", sheet, "--mapping", mapping)
    assert (
        result.exit_code == 1 and "amount = '金额'" in result.output and "交易金额" in result.output
    )
    mapping.write_text('titel = "x"\n', "utf-8")
    result = imported(cli, tmp_path / "decks" / "x", sheet, "--mapping", mapping)
    assert result.exit_code == 1 and "unknown keys: titel" in result.output
    assert not (tmp_path / "decks" / "x").exists()
