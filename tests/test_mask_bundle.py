"""`export --mask`: a bundle for the public that is still a bundle. Paths stay true, every
original a public screen would show unchanged is carried byte for byte, and every other one
is left out and named (masked) in the index with the reason, never with its number."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from presenter import i18n
from presenter.deck import load_deck
from presenter.export.bundle import CATALOGUE_NAME, export_bundle
from presenter.export.leaveout import Reason, check
from presenter.integrity import hash_bytes
from presenter.masking import mask_text

from .conftest import DEMO_DECK
from .deckfactory import write_deck

PHONE = "13812345678"
RESIDENT = "110101199003071234"
NUMBERS = (PHONE, RESIDENT)
FULL_WIDTH_CARD = "６２２２０２１２３４５６７８９０１２３"
RECORDING = "files/陈某手机/Screenrecorder-2024-02-21-10-32-12-345.mp4"
"""A phone's screen recording, named by the time it began: masking reads its 17 digits as a
bank card number, so a public screen shows the name masked."""
SOURCE = "files/code/login.py"
EMPTY = "files/code/备注.txt"
NUMBERED_LOG = "files/code/Screenrecorder-2024-02-21-10-32-12.log"
"""A name with digits masking leaves as they are: carried under it."""
PHONE_NAMED = f"files/code/{PHONE}.txt"
ENTITIES = "files/code/page.html"
CONTACTS = "files/contacts.csv"
GBK_CONTACTS = "files/通讯录-gbk.csv"
LOGIN_PY = 'def login(user, password):\n    """Check a password; 3 tries."""\n    return 0\n'
CONTACTS_CSV = f"姓名,手机,身份证\n陈某,{PHONE},{RESIDENT}\n"

VIDEO_ITEM = """\
+++
id = "E05"
title = "被害人手机录屏"
type = "file"
view = "video"
files = ["{recording}"]

[source]
method = "retrieval"

[[source.hash]]
file = "{recording}"
algorithm = "sha256"
value = "{recording_sha256}"
+++
"""
FOLDER_ITEM = """\
+++
id = "E06"
title = "平台后台代码目录"
type = "tool"
view = "code"
files = ["{source}", "{empty}", "{numbered_log}", "{phone_named}", "{entities}"]

[source]
method = "onsite"

[[source.hash]]
file = "{source}"
algorithm = "sha256"
value = "{source_sha256}"

[[source.hash]]
file = "{phone_named}"
algorithm = "md5"
value = "{phone_named_md5}"
+++
"""
TABLE_ITEM = """\
+++
id = "E07"
title = "通讯录"
type = "communication"
view = "table"
files = ["{contacts}"]

[source]
method = "seizure"

[[source.hash]]
file = "{contacts}"
algorithm = "sha256"
value = "{contacts_sha256}"
+++
"""
GBK_ITEM = """\
+++
id = "E08"
title = "通讯录（GBK）"
type = "communication"
view = "table"
files = ["{gbk_contacts}"]

[source]
method = "seizure"
+++
"""


def write_masking_deck(root: Path) -> Path:
    """The factory deck (a chat, a picture, PHP code, a funds chart; no personal numbers)
    with a screen recording named by its time, a code folder (clean source, a blank note,
    a log named by a time, a file named by a phone number, a page that spells a number in
    character references) and contact lists with a phone and an ID number, in UTF-8 and GBK."""
    write_deck(root)
    files = {
        SOURCE: LOGIN_PY.encode(),
        EMPTY: b"\n",  # a deck refuses a 0-byte file (file_empty): see the check tests
        NUMBERED_LOG: b"started\nstopped\n",
        PHONE_NAMED: "一段没有号码的说明\n".encode(),
        ENTITIES: b"<p>Tel &#49;&#51;&#56;&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;</p>\n",
        CONTACTS: CONTACTS_CSV.encode(),
        GBK_CONTACTS: CONTACTS_CSV.encode("gbk"),
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    recording = root / RECORDING
    recording.parent.mkdir(parents=True)
    shutil.copyfile(next((DEMO_DECK / "files" / "陈某手机").glob("*.MOV")), recording)
    values = {
        "recording": RECORDING,
        "recording_sha256": hashlib.sha256(recording.read_bytes()).hexdigest(),
        "source": SOURCE,
        "source_sha256": hashlib.sha256(files[SOURCE]).hexdigest(),
        "empty": EMPTY,
        "numbered_log": NUMBERED_LOG,
        "phone_named": PHONE_NAMED,
        "phone_named_md5": hashlib.md5(files[PHONE_NAMED]).hexdigest(),
        "entities": ENTITIES,
        "contacts": CONTACTS,
        "contacts_sha256": hashlib.sha256(files[CONTACTS]).hexdigest(),
        "gbk_contacts": GBK_CONTACTS,
    }
    for name, item in [
        ("e05.md", VIDEO_ITEM),
        ("e06.md", FOLDER_ITEM),
        ("e07.md", TABLE_ITEM),
        ("e08.md", GBK_ITEM),
    ]:
        (root / "items" / name).write_text(item.format(**values), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def deck_dir(tmp_path_factory) -> Path:
    return write_masking_deck(tmp_path_factory.mktemp("deck") / "case-1")


def export(deck_dir: Path, out: Path, lang: str = "zh-CN") -> Path:
    report = load_deck(deck_dir)
    assert report.deck is not None, [p.render("en") for p in report.errors]
    return export_bundle(report, out, mask=True, lang=lang, instance=out.parent / "i").folder


@pytest.fixture(scope="module")
def masked(deck_dir, tmp_path_factory) -> Path:
    return export(deck_dir, tmp_path_factory.mktemp("export") / "masked")


CARRIED = [
    SOURCE,
    EMPTY,
    NUMBERED_LOG,
    "files/chat.csv",
    "files/funds.csv",
    "files/admin.php",
]
LEFT_OUT = {
    RECORDING: "文件名含有将被遮蔽的号码（银行卡号）",
    PHONE_NAMED: "文件名含有将被遮蔽的号码（手机号）",
    ENTITIES: "含有将被遮蔽的号码（手机号）",
    CONTACTS: "含有将被遮蔽的号码（手机号、身份证号）",
    GBK_CONTACTS: "含有将被遮蔽的号码（手机号、身份证号）",
    "files/shot.png": "无法检查其中是否有号码（图片）",
}


def every_file(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def links(page: str) -> list[str]:
    return re.findall(r'\b(?:href|src)="([^"]*)"', page)


def catalogue_hash_lines(bundle: Path) -> list[str]:
    """The check-value lines of the 证据目录's CSV, "path ALGORITHM value" each."""
    with (bundle / f"{CATALOGUE_NAME}.csv").open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    column = header.index(i18n.translator("zh-CN")("catalogue.hash"))
    return [line for row in rows for line in row[column].splitlines() if line.count(" ") >= 2]


def masked_name(name: str) -> str:
    """A deck path as a masked bundle shows it."""
    return mask_text(name)


def test_clean_originals_are_carried_byte_for_byte_at_their_deck_paths(masked, deck_dir):
    for name in CARRIED:
        assert (masked / name).read_bytes() == (deck_dir / name).read_bytes(), name
    originals = {p.relative_to(masked).as_posix() for p in every_file(masked / "files")}
    assert originals == set(CARRIED)


def test_a_carried_original_is_listed_on_its_page_with_its_sha256(masked, deck_dir):
    page = (masked / "E06.html").read_text("utf-8")
    for name in (SOURCE, EMPTY, NUMBERED_LOG):
        assert hashlib.sha256((deck_dir / name).read_bytes()).hexdigest() in page
    assert f"{Path(NUMBERED_LOG).name}</span>" in page  # its true name, not opened as a page
    manifest = (masked / "manifest.json").read_text("utf-8")
    assert f'"{SOURCE}"' in manifest and f'"{EMPTY}"' in manifest


def test_every_link_of_every_page_names_a_file_of_the_bundle(masked):
    pages = list(masked.glob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        for link in links(page.read_text("utf-8")):
            if link.startswith(("#", "data:")):
                continue
            assert not urlsplit(link).scheme, (page.name, link)
            target = masked / unquote(urlsplit(link).path)
            assert target.is_file(), (page.name, link)


def test_the_recording_plays_its_display_copy_from_assets(masked):
    page = (masked / "E05.html").read_text("utf-8")
    videos = [s for s in links(page) if s.startswith("assets/") and s.endswith(".mp4")]
    assert videos and all((masked / v).stat().st_size > 0 for v in videos)
    assert all(not re.search(r"\d", Path(v).stem) for v in videos)  # named without digits


def test_the_catalogue_names_each_carried_file_by_its_true_path(masked, deck_dir):
    lines = catalogue_hash_lines(masked)
    named = {}
    for line in lines:
        name, algorithm, value = line.rsplit(" ", 2)
        named[name] = (algorithm, value)
    for name in ("files/chat.csv", "files/admin.php", SOURCE):  # carried, hash recorded
        algorithm, value = named[name]
        assert hash_bytes((masked / name).read_bytes(), algorithm.lower().replace("-", "")) == value
    for name in (RECORDING, PHONE_NAMED, CONTACTS):  # left out: named as the index names it
        assert masked_name(name) in named
        assert not (masked / masked_name(name)).exists()


def test_each_left_out_original_is_in_the_index_masked_with_its_reason(masked):
    index = (masked / "index.html").read_text("utf-8")
    section = index[index.index("未附的原始文件") :]
    for name, reason in LEFT_OUT.items():
        shown = masked_name(name)
        listed = rf'E\d\d</span> <span class="file-name">{re.escape(shown)}</span> <span[^>]*>'
        assert re.search(listed + re.escape(reason), section), name
        assert not (masked / name).exists()
    assert "*" in masked_name(PHONE_NAMED) and "*" in masked_name(RECORDING)
    page = (masked / "E06.html").read_text("utf-8")
    assert f"{masked_name(PHONE_NAMED)}</span>" in page and "未附：文件名含有" in page


def test_no_personal_number_anywhere_in_the_masked_bundle(masked):
    files = every_file(masked)
    contents = [p.relative_to(masked.parent).as_posix().encode() for p in files]
    contents += [p.read_bytes() for p in files]
    zipped = [p for p in files if zipfile.is_zipfile(p)] + [masked.with_suffix(".zip")]
    assert masked / f"{CATALOGUE_NAME}.docx" in zipped
    for path in zipped:  # the DOCX files' XML, the archive's names and files
        with zipfile.ZipFile(path) as archive:
            contents += [n.encode() for n in archive.namelist()]
            contents += [archive.read(n) for n in archive.namelist()]
    hidden = [*NUMBERS, "Screenrecorder-2024-02-21-10-32-12-345"]
    forms = {form for n in hidden for form in (n.encode(), n.encode("utf-16-le"))}
    for form in forms:
        assert not any(form in data for data in contents), form


def test_the_masked_bundle_verifies_against_its_manifest(masked, cli):
    result = cli("verify-bundle", masked)
    assert result.exit_code == 0, result.output


def test_the_reasons_are_in_english_for_an_english_bundle(deck_dir, tmp_path):
    out = export(deck_dir, tmp_path / "masked-en", lang="en")
    index = (out / "index.html").read_text("utf-8")
    assert "Original files not included" in index
    assert "its name holds a number that is masked (mobile number)" in index
    assert "holds a number that is masked (mobile number, ID number)" in index
    assert "cannot be checked for numbers (picture)" in index


@pytest.mark.parametrize(
    ("name", "data", "encoding", "words"),
    [
        ("files/a.txt", f"电话 {PHONE}\n".encode("utf-16"), None, "含有将被遮蔽的号码（手机号）"),
        ("files/a.txt", f"电话{PHONE}".encode("utf-16-le"), None, "含有将被遮蔽的号码（手机号）"),
        ("files/a.txt", f"卡号：{FULL_WIDTH_CARD}".encode(), None, "（银行卡号）"),
        ("files/a.txt", "138\u200b1234\u200b5678".encode(), None, "（手机号）"),
        ("files/a.log", b"\x1b[0m138\x1b[0m12345678\n", None, "（二进制文件）"),
        ("files/a.txt", b"<img src='data:image/png;base64,iVBOR'>", None, "（含编码的内容）"),
        ("files/mail.eml", b"Subject: hi\n\nhello\n", None, "（含编码的内容）"),
        ("files/ledger.pdf", b"%PDF-1.4\n(hello) Tj\n", None, "（文档或表格）"),
        ("files/disk.E01", b"EVF\x09\x0d\x0a\xff\x00" + bytes(range(256)), None, "（二进制文件）"),
        ("files/138/1234/5678/a.txt", b"", None, "文件名含有将被遮蔽的号码（手机号）"),
        (f"files/{RESIDENT}.txt", b"", None, "文件名含有将被遮蔽的号码（身份证号）"),
    ],
)
def test_a_number_in_any_form_or_an_unreadable_file_is_left_out_with_its_reason(
    tmp_path, name, data, encoding, words
):
    source = tmp_path / "f"
    source.write_bytes(data)
    why = check(name, source, encoding)
    assert isinstance(why, Reason) and words in why.words("zh-CN")


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("files/empty.txt", b"", None),
        ("files/login.php", b"<?php\n// 3 tries\n$x = 20240221103212;\n", None),
        ("files/a.txt", "订单 2024-02-21 10:32，金额 50,000 元".encode("gbk"), None),
        ("files/a.txt", "说明".encode("utf-16"), "utf-16"),
        ("files/sums.txt", b"sha256 " + hashlib.sha256(b"x").hexdigest().encode(), None),
    ],
)
def test_a_text_without_a_number_masking_hides_is_carried_as_read(tmp_path, name, data, encoding):
    source = tmp_path / "f"
    source.write_bytes(data)
    assert check(name, source, encoding) == data


def test_the_demo_deck_exports_masked_carrying_its_clean_originals(tmp_path):
    report = load_deck(DEMO_DECK)
    deck = report.deck
    assert deck is not None
    out = export_bundle(report, tmp_path / "demo", mask=True, instance=tmp_path / "i").folder
    index = (out / "index.html").read_text("utf-8")
    names = [name for exhibit in deck.exhibits if not exhibit.excluded for name in exhibit.files]
    carried = [name for name in names if (out / name).is_file()]
    for name in carried:
        assert (out / name).read_bytes() == (DEMO_DECK / name).read_bytes(), name
    for name in set(names) - set(carried):
        assert f"{masked_name(name)}</span>" in index, name
    assert "files/platform/TradeAdmin.php" in carried  # the platform's code: no numbers
    assert "files/recruit-ad.png" not in carried  # a picture: its display copy is shown
