"""A case folder as a prosecutor's office receives it goes through `new` and `check` to a deck
that shows every file, keeps every original's hash in the catalogue and the bundle, and reads
its times as the evidence's own: a bank's GBK statement with title rows, a phone's MOV, a
forensic image, a WeChat voice message, several photos of one scene, a source-code folder."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
import tomlkit
from PIL import Image

from presenter.deck import load_deck
from presenter.originals import Store

from .conftest import SCREEN_KEY, court_app, keyed_client

STATEMENT = [
    "某银行股份有限公司 个人账户交易明细",
    "户名：孙某,账号：6222000000000000101,币种：人民币",
    "起止日期：2026-03-01 至 2026-03-31",
    "",
    "交易时间,摘要,借贷标志,交易金额,账户余额,对方户名,对方账号",
    '20260308100000,转账,贷,"20,000.00","20,010.00",陈某,6212000000000000888',
    '20260308112000,网银转出,借,"20,000.00",10.00,吴某,6228000000000000303',
    '20260310202500,转账,贷,"30,000.00","30,010.00",陈某,6212000000000000888',
    "合计,,,,,,",
]
SEIZED = dt.datetime(2026, 5, 12, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
"""When the files were last modified on the seized device: earlier than any copying."""
FILLED = {
    "title": "示例案",
    "text": "孙某名下账户接收被害人资金",
    "element": "conduct",
    "type": "file",
    "method": "seizure",
    "collectors": "侦查员甲",
    "fact": "F1",
    "aspect": "other",
    "how": "示例",
}
"""What a person writes over the blanks `new` leaves, by key."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("received") / "案件材料"
    for part in ("银行流水", "手机 视频", "镜像", "现场照片", "源代码", "语音"):
        (root / part).mkdir(parents=True)
    (root / "银行流水" / "孙某 交易明细.csv").write_bytes(
        ("\r\n".join(STATEMENT) + "\r\n").encode("gbk")
    )
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25",
         "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libx264", "-c:a", "aac",
         str(root / "手机 视频" / "IMG_0417.MOV")],
        check=True,
    )  # fmt: skip
    (root / "镜像" / "phone.E01").write_bytes(b"EVF\t\r\n\xff\x00" + os.urandom(4 << 20))
    for i, colour in enumerate([(200, 0, 0), (0, 200, 0), (0, 0, 200)], 1):
        Image.new("RGB", (320, 200), colour).save(root / "现场照片" / f"IMG_000{i}.jpg")
    (root / "源代码" / "deposit.php").write_text("<?php\necho 'deposit';\n", encoding="utf-8")
    (root / "源代码" / "withdraw.php").write_text("<?php\n// 提现\necho 2;\n", encoding="gbk")
    import array
    import math

    import pysilk

    pcm = array.array("h", [int(8000 * math.sin(i / 9)) for i in range(24000)]).tobytes()
    silk = io.BytesIO()
    pysilk.encode(io.BytesIO(pcm), silk, 24000, 24000)
    (root / "语音" / "msg 1.amr").write_bytes(silk.getvalue())  # WeChat: SILK named .amr
    stamp = SEIZED.timestamp()
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (stamp, stamp))
    return root


@pytest.fixture(scope="module")
def deck(folder: Path, tmp_path_factory) -> Path:
    """`new`, then the blanks filled in as a person would."""
    from presenter.scaffold import scaffold

    target = tmp_path_factory.mktemp("decks") / "sun-fraud"
    scaffold(target, folder, language="zh-CN")
    for path in [target / "deck.toml", *sorted((target / "items").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            _, front, body = text.split("+++\n", 2)
            path.write_text(f"+++\n{_filled(front)}+++\n{body}", encoding="utf-8")
        else:
            path.write_text(_filled(text), encoding="utf-8")
    return target


def _filled(text: str) -> str:
    document = tomlkit.parse(text)

    def fill(node, key=None):
        if isinstance(node, dict):
            for k in list(node):
                node[k] = fill(node[k], k)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                node[i] = fill(value, key)
        elif isinstance(node, str) and node.startswith("TODO"):
            return FILLED[key]
        return node

    fill(document)
    return tomlkit.dumps(document)


@pytest.fixture(scope="module")
def loaded(deck: Path, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    report = load_deck(deck, store=Store(instance / "display"))
    return report, instance


def test_check_is_clean_and_every_file_is_an_original_of_an_item(loaded, folder, deck) -> None:
    report, _ = loaded
    assert [p.render("en") for p in report.errors] == []
    views = {e.title: e.view for e in report.deck.exhibits}
    assert views == {
        "银行流水": "table", "手机 视频": "video", "镜像": "markdown", "现场照片": "image",
        "源代码": "code", "语音": "audio",
    }  # fmt: skip
    listed = {name for e in report.deck.exhibits for name in e.files}
    received = {f"files/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*.*")}
    assert listed == received
    for exhibit in report.deck.exhibits:
        for name in exhibit.files:
            recorded = {h.value for h in exhibit.source.hashes if h.file == name}
            assert sha256(deck / name) in recorded  # the original's hash, byte for byte
            assert (deck / name).read_bytes() == (folder / name.removeprefix("files/")).read_bytes()


def test_the_originals_that_need_it_are_shown_through_display_copies(loaded) -> None:
    deck = loaded[0].deck
    kinds = {name.rsplit("/", 1)[-1]: d.kind for (_, name), d in deck.displays.items()}
    assert kinds == {
        "孙某 交易明细.csv": "table", "IMG_0417.MOV": "video", "withdraw.php": "text",
        "msg 1.amr": "audio",
    }  # fmt: skip
    table = next(d for (_, n), d in deck.displays.items() if n.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(table.copy.read_text(encoding="utf-8"))))
    assert rows[0] == [
        "交易时间",
        "摘要",
        "借贷标志",
        "交易金额",
        "账户余额",
        "对方户名",
        "对方账号",
    ]
    assert len(rows) == 4  # the header and three transactions: the title and totals rows apart
    assert any("户名：孙某" in line for line in table.preamble)


def test_every_file_is_shown_to_a_screen(loaded, deck: Path) -> None:
    report, instance = loaded
    with court_app(deck, instance / "app") as app:
        screen = keyed_client(app, SCREEN_KEY)
        by_view = {e.view: e for e in report.deck.exhibits}
        photos = by_view["image"]
        for index in range(3):
            page = screen.get(f"/screen/exhibit/{photos.id}/content?file={index}")
            assert f"IMG_000{index + 1}.jpg" in page.get_data(as_text=True)
        code = by_view["code"]
        page = screen.get(f"/screen/exhibit/{code.id}/content?file=1").get_data(as_text=True)
        assert "提现" in page  # the GBK file, read through its UTF-8 copy
        video = by_view["video"]
        response = screen.get(f"/files/{video.id}/{video.files[0]}")
        assert response.status_code == 200 and response.mimetype == "video/mp4"
        response.close()
        rows = screen.get(f"/tables/{by_view['table'].id}/rows?start=0").get_json()
        assert len(rows["rows"]) == 3


def test_the_source_panel_shows_the_evidence_s_own_times(loaded, deck: Path) -> None:
    report, instance = loaded
    photos = next(e for e in report.deck.exhibits if e.view == "image")
    record = next(r for r in photos.source.files if r.file.endswith("IMG_0001.jpg"))
    assert record.modified == SEIZED  # recorded at `new`, from the original, with its offset
    with court_app(deck, instance / "app") as app:
        screen = keyed_client(app, SCREEN_KEY)
        panel = screen.get(f"/screen/exhibit/{photos.id}/source").get_data(as_text=True)
    assert "2026-05-12 09:30" in panel  # the seized file's time, in the deck's zone
    today = dt.datetime.now().strftime("%Y-%m-%d")
    assert today not in panel  # never this laptop's copy's times


def test_the_catalogue_and_the_bundle_keep_every_original(loaded, deck: Path, tmp_path) -> None:
    from presenter.export.bundle import export_bundle

    report, _ = loaded
    out = tmp_path / "bundle"
    export_bundle(report, out, lang="zh-CN")
    catalogue = (out / "证据目录.csv").read_text(encoding="utf-8-sig")
    for exhibit in report.deck.exhibits:
        for name in exhibit.files:
            assert (out / name).read_bytes() == (deck / name).read_bytes()
            assert sha256(deck / name) in catalogue, name
