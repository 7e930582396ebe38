"""`python app.py new DECK --from FOLDER`: a deck scaffolded from a folder of evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import wave
from pathlib import Path

import pytest
from PIL import Image

from presenter.deck import load_deck
from presenter.deck.loader import split_item, toml_lines

CST = dt.timezone(dt.timedelta(hours=8))
DEMO_PDF = next((Path(__file__).parent.parent / "decks" / "demo").rglob("*.pdf"))
TODO_KEYS_PER_ITEM = [
    "type",
    "source.method",
    "source.collectors[0]",
    "shows[0].fact",
    "shows[0].aspect",
    "shows[0].how",
]


def evidence_folder(root: Path) -> Path:
    """An image with EXIF, a PDF, a CSV, a text file, a WAV and a folder of chat export."""
    folder = root / "evidence"
    folder.mkdir()
    photo = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 13"  # Model
    detail = exif.get_ifd(0x8769)
    detail[0x9003] = "2024:03:05 14:30:00"  # DateTimeOriginal
    detail[0x9011] = "+08:00"  # OffsetTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (31.0, 14.0, 24.0), "E", (121.0, 28.0, 12.0)
    photo.save(folder / "IMG_0001.jpg", exif=exif)
    shutil.copy(DEMO_PDF, folder / "report.pdf")
    (folder / "ledger.csv").write_text("time,from,to,amount\n2024-03-01,甲,乙,100\n", "utf-8")
    (folder / "memo.txt").write_text("嫌疑人备忘录\n第二行\n", "utf-8")
    with wave.open(str(folder / "call.wav"), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * 800)
    chat = folder / "wechat"
    chat.mkdir()
    (chat / "msgs.csv").write_text("时间,发送人,内容\n2024-03-01 10:00,张某,你好\n", "utf-8")
    photo.save(chat / "pic.jpg", exif=exif)  # a sender's photo: says nothing of the phone
    (folder / ".DS_Store").write_bytes(b"\0junk")
    return folder


@pytest.fixture
def scaffolded(tmp_path: Path, cli) -> tuple[Path, Path, object]:
    folder = evidence_folder(tmp_path)
    deck = tmp_path / "decks" / "case-2024"
    result = cli("new", deck, "--from", folder, "--lang", "en", "--instance", cli.instance)
    return folder, deck, result


def front_matter(path: Path) -> dict:
    split = split_item(path.read_text("utf-8"))
    assert not isinstance(split, str)
    data, syntax = toml_lines.parse(split[0])
    assert syntax is None
    return data


def test_one_exhibit_per_file_or_folder_with_the_view_guessed(scaffolded) -> None:
    _, deck, result = scaffolded
    assert result.exit_code == 0, result.output
    items = sorted((deck / "items").glob("*.md"))
    found = {front_matter(p)["title"]: front_matter(p) for p in items}
    assert {t: f["view"] for t, f in found.items()} == {
        "IMG_0001": "image",
        "call": "audio",
        "ledger": "table",
        "memo": "code",
        "report": "document",
        "wechat": "chat",
    }
    assert found["wechat"]["files"] == ["files/wechat/msgs.csv", "files/wechat/pic.jpg"]
    assert found["wechat"]["columns"] == {"time": "时间", "sender": "发送人", "text": "内容"}
    assert not (deck / "files" / ".DS_Store").exists()
    assert ".DS_Store" in result.output


def test_hashes_are_those_of_the_evidence_and_its_copy(scaffolded) -> None:
    folder, deck, _ = scaffolded
    for item in (deck / "items").glob("*.md"):
        recorded = front_matter(item)["source"]["hash"]
        assert {h["algorithm"] for h in recorded} == {"sha256", "md5"}
        for entry in recorded:
            original = folder / entry["file"].removeprefix("files/")
            copy = deck / entry["file"]
            for data in (original.read_bytes(), copy.read_bytes()):
                assert hashlib.new(entry["algorithm"], data).hexdigest() == entry["value"]
            assert copy.stat().st_mtime == original.stat().st_mtime


def item_of(deck: Path, title: str) -> dict:
    return next(
        data for data in map(front_matter, (deck / "items").glob("*.md")) if data["title"] == title
    )


def test_a_picture_that_is_the_exhibit_records_its_exif_never_as_the_medium(scaffolded) -> None:
    folder, deck, _ = scaffolded
    photo = item_of(deck, "IMG_0001")
    assert "medium" not in photo["source"]
    (record,) = photo["source"]["file"]
    assert record["file"] == "files/IMG_0001.jpg"
    assert record["taken"] == dt.datetime(2024, 3, 5, 14, 30, tzinfo=CST)
    assert (record["make"], record["model"]) == ("Apple", "iPhone 13")
    assert (record["latitude"], record["longitude"]) == (31.24, 121.47)
    assert record["origin"] == "原件文件系统、EXIF"


def test_a_picture_inside_a_chat_export_says_nothing_of_the_phone(scaffolded) -> None:
    _, deck, _ = scaffolded
    chat = item_of(deck, "wechat")
    assert "medium" not in chat["source"]
    picture = next(r for r in chat["source"]["file"] if r["file"].endswith("pic.jpg"))
    assert not {"make", "model", "taken", "latitude", "longitude"} & picture.keys()
    assert picture["origin"] == "原件文件系统"


def test_the_files_own_times_come_from_the_original_in_the_deck_zone(tmp_path: Path, cli) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    memo = folder / "备忘 录.txt"
    memo.write_text("第一行\n", "utf-8")
    seized = dt.datetime(2024, 3, 5, 6, 30, 15, tzinfo=dt.UTC).timestamp()
    os.utime(memo, (seized, seized))
    deck = tmp_path / "decks" / "memo"
    assert cli("new", deck, "--from", folder, "--instance", cli.instance).exit_code == 0
    (record,) = front_matter(deck / "items" / "e01.md")["source"]["file"]
    assert record["file"] == "files/备忘 录.txt" and record["size"] == memo.stat().st_size
    assert record["modified"] == dt.datetime(2024, 3, 5, 14, 30, 15, tzinfo=CST)
    assert record["modified"].utcoffset() == dt.timedelta(hours=8)
    assert not {"accessed", "changed", "created"} & record.keys()  # the copying's, not its own
    assert record["origin"] == "原件文件系统"
    loaded = load_deck(deck, verify_hashes=False)
    assert not [p for p in loaded.problems if p.code != "todo"]


def test_check_reports_exactly_the_todos_with_file_and_key(scaffolded, cli) -> None:
    _, deck, _ = scaffolded
    result = cli.check(deck)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    *problems, summary = lines
    expected = ["deck.toml: case.title", "deck.toml: fact[0].text", "deck.toml: fact[0].element"]
    for item in sorted((deck / "items").glob("*.md")):
        expected += [f"items/{item.name}: {key}" for key in TODO_KEYS_PER_ITEM]
    found = [
        re.sub(r"^([^:]+):\d+: error: ([^:]+): still to be filled in \(TODO\)$", r"\1: \2", p)
        for p in problems
    ]
    assert found == expected
    assert summary == f"{len(expected)} errors, 0 warnings"


def test_a_filled_in_scaffold_loads_clean(scaffolded) -> None:
    _, deck, _ = scaffolded
    fill = {
        'title = "TODO"': 'title = "张某诈骗案"',
        'text = "TODO"': 'text = "张某冒充投资导师"',
        'element = "TODO"': 'element = "conduct"',
        'type = "TODO"': 'type = "file"',
        'method = "TODO"': 'method = "seizure"',
        'collectors = ["TODO"]': 'collectors = ["侦查员甲", "侦查员乙"]',
        'fact = "TODO"': 'fact = "F1"',
        'aspect = "TODO"': 'aspect = "means"',
        'how = "TODO"': 'how = "所载内容"',
    }
    for path in [deck / "deck.toml", *(deck / "items").glob("*.md")]:
        text = path.read_text("utf-8")
        for old, new in fill.items():
            text = text.replace(old, new)
        assert "TODO" not in text
        path.write_text(text, "utf-8")
    report = load_deck(deck)
    assert report.deck is not None
    assert [p.code for p in report.problems] == []
    assert len(report.deck.exhibits) == 6


def test_a_file_no_view_shows_is_carried_by_a_markdown_item(tmp_path: Path, cli) -> None:
    """A forensic image is evidence too: listed, hashed and bundled, never shown."""
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "disk.bin").write_bytes(b"\x00\x01\x02 raw image")
    deck = tmp_path / "decks" / "raw"
    assert cli("new", deck, "--from", folder, "--instance", cli.instance).exit_code == 0
    item = front_matter(deck / "items" / "e01.md")
    assert item["view"] == "markdown" and item["files"] == ["files/disk.bin"]
    assert {h["file"] for h in item["source"]["hash"]} == {"files/disk.bin"}
    keys = [p.key for p in load_deck(deck).problems]
    assert keys == ["case.title", "fact[0].text", "fact[0].element", *TODO_KEYS_PER_ITEM]


def test_an_existing_deck_is_never_overwritten(scaffolded, cli) -> None:
    folder, deck, _ = scaffolded
    before = {p: p.read_bytes() for p in deck.rglob("*") if p.is_file()}
    (folder / "extra.txt").write_text("new", "utf-8")
    result = cli("new", deck, "--from", folder, "--lang", "en", "--instance", cli.instance)
    assert result.exit_code == 1
    assert "exists and is not empty" in result.output
    assert {p: p.read_bytes() for p in deck.rglob("*") if p.is_file()} == before
    assert [p.name for p in deck.parent.iterdir()] == [deck.name]  # nothing half-built


def test_bad_names_and_folders_are_told(tmp_path: Path, cli) -> None:
    result = cli("new", tmp_path / "Bad Name", "--from", tmp_path, "--lang", "en")
    assert result.exit_code == 1 and "lowercase letters" in result.output
    result = cli("new", tmp_path / "ok", "--from", tmp_path / "nowhere", "--lang", "en")
    assert result.exit_code != 0 and "nowhere" in result.output
    assert not (tmp_path / "ok").exists()
