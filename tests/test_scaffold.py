"""`python app.py new DECK --from FOLDER`: a deck scaffolded from a folder of evidence."""

from __future__ import annotations

import hashlib
import re
import shutil
import wave
from pathlib import Path

import pytest
from PIL import Image

from presenter.deck import load_deck
from presenter.deck.loader import split_item, toml_lines

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
    photo.save(chat / "pic.jpg")
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


def test_exif_and_file_attributes_go_into_the_source(scaffolded) -> None:
    _, deck, _ = scaffolded
    photo = next(
        front_matter(p) for p in (deck / "items").glob("*.md") if "IMG" in p.read_text("utf-8")
    )
    assert photo["source"]["medium"] == {"brand": "Apple", "model": "iPhone 13"}
    procedure = photo["source"]["procedure"]
    assert "EXIF taken 2024-03-05T14:30:00+08:00" in procedure
    assert "camera Apple iPhone 13" in procedure
    assert re.search(r"\d+ bytes; modified \d{4}-\d\d-\d\dT", procedure)


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


def test_an_unfilled_view_holds_back_only_what_depends_on_it(tmp_path: Path, cli) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "disk.bin").write_bytes(b"\x00\x01\x02 raw image")
    deck = tmp_path / "decks" / "raw"
    assert cli("new", deck, "--from", folder, "--instance", cli.instance).exit_code == 0
    item = front_matter(deck / "items" / "E01.md")
    assert item["view"] == "TODO"
    keys = [p.key for p in load_deck(deck).problems]
    assert keys == [
        "case.title",
        "fact[0].text",
        "fact[0].element",
        "type",
        "view",
        *TODO_KEYS_PER_ITEM[1:],
    ]


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
