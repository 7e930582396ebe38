"""Originals kept byte for byte, display copies derived from them (Art. 30(3), 31(3)): a GBK
chat, an iPhone-style MOV, a HEIC photo, AMR and WeChat SILK voice, a forensic image no view
shows; each original hashed, listed and verified, each copy's derivation recorded and shown."""

from __future__ import annotations

import array
import hashlib
import io
import json
import math
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pillow_heif
import pysilk
import pytest
from PIL import Image

from presenter.deck import load_deck
from presenter.originals import Request, Store

from .conftest import PRESENTER_KEY, SCREEN_KEY, court_app, keyed_client

DECK_TOML = """\
format = 1

[case]
title = "原件测试案"

[[fact]]
id = "F1"
text = "张某联系被害人"
element = "conduct"
"""

ITEM = """\
+++
id = "{id}"
title = "{title}"
type = "{type}"
view = "{view}"
files = [{files}]
{extra}
[source]
method = "seizure"
{hashes}
[[shows]]
fact = "F1"
aspect = "means"
+++
"""

GBK_CHAT = (
    "时间,发送人,内容\n"
    "2024-03-01 10:00,阳光总在风雨后,你好，我是投资导师\n"
    "2024-03-01 10:01,陈某,老师好\n"
)
CHAT_COLUMNS = '[columns]\ntime = "时间"\nsender = "发送人"\ntext = "内容"\n'


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ffmpeg(*arguments: str) -> None:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    subprocess.run([*command, *arguments], check=True)


def item(root: Path, id: str, view: str, files: list[str], extra: str = "", **kw) -> None:
    hashes = "".join(
        f'[[source.hash]]\nfile = "{name}"\nalgorithm = "sha256"\nvalue = "{sha256(root / name)}"\n'
        for name in files
    )
    text = ITEM.format(
        id=id,
        title=kw.get("title", f"{id} 证据"),
        type=kw.get("type", "file"),
        view=view,
        files=", ".join(f'"{f}"' for f in files),
        extra=extra,
        hashes=hashes,
    )
    (root / "items" / f"{id.lower()}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def evidence(tmp_path_factory) -> Path:
    """A case folder as an office receives it, made once for the module."""
    root = tmp_path_factory.mktemp("decks") / "originals"
    files = root / "files"
    (root / "items").mkdir(parents=True)
    (files / "手机 导出").mkdir(parents=True)
    (root / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    (files / "手机 导出" / "微信 聊天.csv").write_bytes(GBK_CHAT.encode("gbk"))
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libx264", "-c:a", "aac",
        "-metadata", "location=+31.2304+121.4737/", str(files / "IMG_0001.MOV"),
    )  # fmt: skip
    ffmpeg(
        "-f", "lavfi", "-i", "sine=duration=2", "-ar", "8000", "-ac", "1",
        "-c:a", "libopencore_amrnb", "-b:a", "12.2k", str(files / "voice.amr"),
    )  # fmt: skip
    pcm = array.array("h", [int(8000 * math.sin(i / 10)) for i in range(24000)]).tobytes()
    silk = io.BytesIO()
    pysilk.encode(io.BytesIO(pcm), silk, 24000, 24000)
    (files / "msg_1.silk").write_bytes(silk.getvalue())
    pillow_heif.register_heif_opener()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(files / "IMG_0002.HEIC")
    (files / "phone.E01").write_bytes(b"EVF\t\r\n\xff\x00" + bytes(range(256)) * 64)
    (files / "report.pdf").write_bytes(_pdf())
    item(root, "E01", "chat", ["files/手机 导出/微信 聊天.csv"], CHAT_COLUMNS, type="communication")
    item(root, "E02", "video", ["files/IMG_0001.MOV"])
    item(root, "E03", "image", ["files/IMG_0002.HEIC"])
    item(root, "E04", "audio", ["files/voice.amr"])
    item(root, "E05", "audio", ["files/msg_1.silk"])
    item(root, "E06", "document", ["files/report.pdf", "files/phone.E01"])
    return root


def _pdf() -> bytes:
    """A one-page PDF, written by Pillow."""
    out = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(out, "PDF")
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(evidence: Path, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    report = load_deck(evidence, store=Store(instance / "display"))
    return report, instance


def test_a_case_folder_as_received_loads_with_no_problem(loaded) -> None:
    report, _ = loaded
    assert report.deck is not None, [p.render("en") for p in report.problems]
    assert [p.render("en") for p in report.errors] == []
    kinds = {name: d.kind for (_, name), d in report.deck.displays.items()}
    assert kinds == {
        "files/手机 导出/微信 聊天.csv": "table",
        "files/IMG_0001.MOV": "video",
        "files/IMG_0002.HEIC": "picture",
        "files/voice.amr": "audio",
        "files/msg_1.silk": "audio",
    }  # the PDF and the forensic image are shown or carried as they are


def test_each_copy_records_its_derivation_and_both_hashes(loaded, evidence: Path) -> None:
    deck = loaded[0].deck
    for (_, name), derived in deck.displays.items():
        assert derived.original_sha256 == sha256(evidence / name)
        assert derived.copy_sha256 == sha256(derived.copy)
        assert derived.copy.is_relative_to(loaded[1])  # in the instance folder, not the deck
        assert derived.tool and derived.parameters
    chat = deck.displays["E01", "files/手机 导出/微信 聊天.csv"]
    assert chat.parameters["encoding"] == "gb18030"
    assert "阳光总在风雨后" in chat.copy.read_text(encoding="utf-8")
    assert "ffmpeg" in deck.displays["E02", "files/IMG_0001.MOV"].tool
    assert "silk-python" in deck.displays["E05", "files/msg_1.silk"].tool


def test_the_originals_are_untouched(evidence: Path, loaded) -> None:
    assert (evidence / "files/手机 导出/微信 聊天.csv").read_bytes() == GBK_CHAT.encode("gbk")
    assert sorted(p.name for p in (evidence / "files").iterdir()) == [
        "IMG_0001.MOV", "IMG_0002.HEIC", "msg_1.silk", "phone.E01", "report.pdf", "voice.amr",
        "手机 导出",
    ]  # fmt: skip


def test_a_copy_is_made_once_and_again_when_changed(evidence: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "display")
    original = evidence / "files/voice.amr"
    first = store.copy_of("files/voice.amr", original, Request("audio"))
    again = Store(tmp_path / "display").copy_of("files/voice.amr", original, Request("audio"))
    assert again.copy == first.copy and again.made_at == first.made_at
    first.copy.write_bytes(b"tampered")
    remade = Store(tmp_path / "display").copy_of("files/voice.amr", original, Request("audio"))
    assert remade.copy_sha256 == first.copy_sha256  # the same original makes the same copy
    assert sha256(remade.copy) == first.copy_sha256


def fetch(client, url: str):
    """A response read whole and closed (a file's response holds the file open)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_screens_are_sent_the_display_copies(loaded, evidence: Path) -> None:
    report, instance = loaded
    with court_app(evidence, instance / "app") as app:
        screen = keyed_client(app, SCREEN_KEY)
        presenter = keyed_client(app, PRESENTER_KEY)
        video = fetch(screen, "/files/E02/files/IMG_0001.MOV")
        assert video.status_code == 200 and video.mimetype == "video/mp4"
        assert b"+31.2304" not in video.data  # where the phone was: not sent to a screen
        assert b"+31.2304" in (evidence / "files/IMG_0001.MOV").read_bytes()
        original = fetch(presenter, "/files/E02/files/IMG_0001.MOV?original=1")
        assert original.data == (evidence / "files/IMG_0001.MOV").read_bytes()
        refused = fetch(screen, "/files/E02/files/IMG_0001.MOV?original=1")
        assert refused.mimetype == "video/mp4"  # a screen never gets the original
        voice = fetch(screen, "/files/E05/files/msg_1.silk")
        assert voice.status_code == 200 and voice.data[:4] == b"OggS"
        photo = fetch(screen, "/images/E03/files/IMG_0002.HEIC")
        assert photo.status_code == 200 and Image.open(io.BytesIO(photo.data)).size == (64, 48)
        messages = screen.get("/chats/E01/messages?start=0").get_json()
        assert [m["sender"] for m in messages["messages"]] == ["阳光总在风雨后", "陈某"]


def test_the_source_panel_says_the_copy_was_converted_with_both_hashes(
    loaded, evidence: Path
) -> None:
    report, instance = loaded
    derived = report.deck.displays["E02", "files/IMG_0001.MOV"]
    with court_app(evidence, instance / "app") as app:
        screen = keyed_client(app, SCREEN_KEY)
        page = screen.get("/screen/exhibit/E02/source").get_data(as_text=True)
        assert "展示件由原件转换" in page
        assert derived.original_sha256 in page and derived.copy_sha256 in page
        carried = screen.get("/screen/exhibit/E06/source").get_data(as_text=True)
        assert "files/phone.E01" in carried and "展示件由原件转换" not in carried


def test_a_file_no_library_can_read_is_a_clear_error(evidence: Path, tmp_path: Path) -> None:
    from shutil import copytree

    root = Path(copytree(evidence, tmp_path / "broken"))
    (root / "files/IMG_0001.MOV").write_bytes(b"\x00not a movie" * 100)
    item(root, "E02", "video", ["files/IMG_0001.MOV"])
    report = load_deck(root, store=Store(tmp_path / "display"))
    errors = [p for p in report.errors]
    assert [p.code for p in errors] == ["display_copy_failed"]
    assert errors[0].path == "items/e02.md" and errors[0].key == "files[0]"
    said = errors[0].render("zh-CN")
    assert "IMG_0001.MOV" in said and "没有可播放的音视频内容" in said


def test_a_wrong_encoding_is_named(evidence: Path, tmp_path: Path) -> None:
    from shutil import copytree

    root = Path(copytree(evidence, tmp_path / "wrong"))
    columns = '[columns]\ntime = "时间"\nsender = "发送人"\ntext = "内容"\n'
    item(root, "E01", "chat", ["files/手机 导出/微信 聊天.csv"],
         'encoding = "utf-16-le"\n' + columns, type="communication")  # fmt: skip
    report = load_deck(root, store=Store(tmp_path / "display"))
    assert [p.code for p in report.errors] == ["display_copy_failed"]  # and nothing after
    said = report.errors[0].render("zh-CN")
    assert "utf-16-le" in said and "encoding" in said


def test_the_bundle_carries_originals_and_records_derivations(
    loaded, evidence: Path, tmp_path: Path
) -> None:
    from presenter.export.bundle import export_bundle

    report, _ = loaded
    out = tmp_path / "bundle"
    export_bundle(report, out, lang="zh-CN")
    assert (out / "files/IMG_0001.MOV").read_bytes() == (
        evidence / "files/IMG_0001.MOV"
    ).read_bytes()
    assert (out / "files/phone.E01").read_bytes() == (evidence / "files/phone.E01").read_bytes()
    made = json.loads((out / "derivations.json").read_text(encoding="utf-8"))["derivations"]
    assert {d["original"] for d in made} >= {"files/IMG_0001.MOV", "files/msg_1.silk"}


def test_a_chat_attachment_that_cannot_be_played_is_a_warning(
    evidence: Path, tmp_path: Path
) -> None:
    """The chat is still shown; the voice message is named, and said why it is not played."""
    from shutil import copytree

    root = Path(copytree(evidence, tmp_path / "chat"))
    folder = root / "files/手机 导出"
    (folder / "voice.amr").write_bytes(b"#!AMR\n" + b"\xff" * 40)
    (folder / "微信 聊天.csv").write_bytes(
        (
            GBK_CHAT.replace("内容\n", "内容,附件\n") + "2024-03-01 10:02,陈某,[语音],voice.amr\n"
        ).encode("gbk")
    )
    columns = CHAT_COLUMNS + 'attachment = "附件"\n'
    names = ["files/手机 导出/微信 聊天.csv", "files/手机 导出/voice.amr"]
    item(root, "E01", "chat", names, columns, type="communication")
    report = load_deck(root, store=Store(tmp_path / "display"))
    assert report.deck is not None, [p.render("en") for p in report.errors]
    (warning,) = [p for p in report.warnings if p.code == "display_copy_failed"]
    assert warning.key == "files[1]" and "voice.amr" in warning.render("zh-CN")
