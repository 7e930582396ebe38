"""Personal numbers found in pictures and PDF pages, offline (issue 16 §3): real recognition on
small drawn pictures, the box of a number within its line, the numbers' masked form, the
readings kept per original and read again when it changes, the decisions' file, hostile
files, and `check --redactions`."""

from __future__ import annotations

import json
import os
import socket
import struct
import threading
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from presenter.deck import load_deck
from presenter.redaction import (
    FILE,
    Decisions,
    detect,
    detect_deck,
    detected,
    ocr,
    pending,
    reading,
    shown_pictures,
)
from presenter.redaction.numbers import find_numbers, id_check_ok
from presenter.redaction.report import describe

from .test_originals import item
from .test_originals_attacks import fresh_deck

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC = 2
"""Simplified Chinese in the Noto CJK collection (fonts-noto-cjk, which `make test` installs)."""
MOBILE = "138 0000 0001"
RESIDENT = "11010519491231002X"
CARD = "6222 0212 3456 7890 128"


def drawn(lines: list[str], size: int = 28, angle: float = 0) -> tuple[Image.Image, list]:
    """A photo-like picture of `lines` of text; the box each line's part after a full-width
    colon (the number) was drawn in, in fractions of the picture (before turning)."""
    font = ImageFont.truetype(FONT, size, index=SC)
    picture = Image.new("RGB", (size * 24, size * (2 * len(lines) + 2)), (246, 244, 238))
    draw = ImageDraw.Draw(picture)
    boxes = []
    for i, line in enumerate(lines):
        x, y = size, size * (1 + 2 * i)
        draw.text((x, y), line, font=font, fill=(20, 20, 20))
        label, _, number = line.rpartition("：")
        start = x + draw.textlength(label + "：", font=font) if label else x
        x0, y0, x1, y1 = draw.textbbox((start, y), number, font=font)
        w, h = picture.size
        boxes.append((x0 / w, y0 / h, (x1 - x0) / w, (y1 - y0) / h))
    if angle:
        picture = picture.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    return picture, boxes


def covered(box, drawn_box) -> float:
    """The share of `drawn_box` that `box` covers."""
    x0, y0 = max(box[0], drawn_box[0]), max(box[1], drawn_box[1])
    x1 = min(box[0] + box[2], drawn_box[0] + drawn_box[2])
    y1 = min(box[1] + box[3], drawn_box[1] + drawn_box[3])
    return max(0.0, x1 - x0) * max(0.0, y1 - y0) / (drawn_box[2] * drawn_box[3])


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    """The recogniser, loaded once for the module, with every connection from Python refused
    and a home of its own: its models come with the package, nothing is fetched, and
    onnxruntime keeps no usage events to send (it would, in ~/.cache/Microsoft)."""
    home = tmp_path_factory.mktemp("home")

    def refusing(original):
        # the recogniser runs in this thread; another test's client, reconnecting in a thread
        # of its own to a server that has stopped, is not it
        def refused(*args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                raise AssertionError("the recogniser tried to reach the network")
            return original(*args, **kwargs)

        return refused

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refusing(socket.socket.connect))
        patch.setattr(socket, "create_connection", refusing(socket.create_connection))
        patch.setattr(socket, "getaddrinfo", refusing(socket.getaddrinfo))
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
        ocr.engine()
        yield home


# --- recognition, in this process --------------------------------------------------------


def test_a_phone_number_within_a_line_is_found_and_boxed_apart_from_its_label(offline) -> None:
    picture, (number,) = drawn([f"联系电话：{MOBILE}"])
    (hit,) = ocr.hits(picture)
    assert (hit.kind, hit.masked) == ("mobile", "138****0001")
    assert covered(hit.box, number) >= 0.9
    assert hit.box[0] > number[0] - 0.04, "the box is the number's part of the line, padded"


def test_resident_id_and_bank_card_numbers_are_found(offline) -> None:
    picture, boxes = drawn([f"身份证号：{RESIDENT}", f"收款卡号：{CARD}", "交易时间：2024-03-01"])
    hits = sorted(ocr.hits(picture), key=lambda h: h.box[1])
    assert [(h.kind, h.masked) for h in hits] == [
        ("id_card", "110105********002X"),
        ("bank_card", "622202*********0128"),
    ]
    assert all(covered(h.box, b) >= 0.9 for h, b in zip(hits, boxes, strict=False))


def test_a_turned_line_is_found_and_its_box_covers_the_turned_number(offline) -> None:
    picture, (number,) = drawn([f"电话：{MOBILE}"])
    ink = Image.new("L", picture.size, 0)  # the number's ink alone, turned as the picture is
    w, h = picture.size
    ImageDraw.Draw(ink).rectangle((number[0] * w, number[1] * h,
                                   (number[0] + number[2]) * w, (number[1] + number[3]) * h),
                                  fill=255)  # fmt: skip
    turned, _ = drawn([f"电话：{MOBILE}"], angle=12)
    x0, y0, x1, y1 = ink.rotate(12, expand=True).getbbox()
    w, h = turned.size
    (hit,) = ocr.hits(turned)
    assert hit.kind == "mobile"
    assert covered(hit.box, (x0 / w, y0 / h, (x1 - x0) / w, (y1 - y0) / h)) >= 0.9


def test_a_pdf_page_is_drawn_and_read(offline, tmp_path) -> None:
    blank = Image.new("RGB", (800, 1100), "white")
    page, _ = drawn([f"手机：{MOBILE}"])
    sheet = blank.copy()
    sheet.paste(page, (60, 500))
    blank.save(tmp_path / "doc.pdf", save_all=True, append_images=[sheet], resolution=200)
    read = {n: ocr.hits(p) for n, p in ocr.pdf_pages(tmp_path / "doc.pdf", 1, 2)}
    assert read[1] == []
    assert [h.masked for h in read[2]] == ["138****0001"]
    assert 0.45 < read[2][0].box[1] < 0.6, "the box is where the page shows the number"


def test_the_recogniser_keeps_nothing_to_send(offline) -> None:
    ocr.hits(drawn([f"电话：{MOBILE}"])[0])
    assert list(offline.rglob("*")) == []


# --- the numbers in a line of text, and their boxes -----------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("电话：138 0000 0001", [("mobile", "138 0000 0001")]),
        ("Tel:138-0000-0001。", [("mobile", "138-0000-0001")]),
        ("+86 13800000001", [("mobile", "+86 13800000001")]),
        ("手机1380O000001", [("mobile", "1380O000001")]),  # a letter O read for a zero
        (f"身份证{RESIDENT}号", [("id_card", RESIDENT)]),
        ("永久居留证 91110519491231002X", [("id_card", "91110519491231002X")]),
        (f"卡号 {CARD}", [("bank_card", CARD)]),
        ("13800000001 13900000002", [("mobile", "13800000001"), ("mobile", "13900000002")]),
        ("订单号 20240301123456789012", []),
        ("金额 1234567890123 元", []),
        ("座机 010-6552 3300", []),
    ],
)
def test_numbers_in_a_line_of_text(text: str, found: list[tuple[str, str]]) -> None:
    assert [(f.kind, text[f.start : f.end]) for f in find_numbers(text)] == found


def test_the_masked_form_never_holds_the_whole_number() -> None:
    text = f"{MOBILE} {RESIDENT} {CARD}"
    masked = [f.masked for f in find_numbers(text)]
    assert masked == ["138****0001", "110105********002X", "622202*********0128"]
    for number, shown in zip((MOBILE, RESIDENT, CARD), masked, strict=True):
        assert number.replace(" ", "") not in shown


def test_an_ids_check_digit() -> None:
    assert id_check_ok(RESIDENT)
    assert not id_check_ok(RESIDENT[:-1] + "1")
    assert not id_check_ok("1234")


def test_a_numbers_box_is_its_share_of_the_line_by_the_width_of_its_characters() -> None:
    # 电话： is three wide characters (about two digits each) before 11 digits
    line = ocr.Line(
        ((100.0, 100.0), (500.0, 100.0), (500.0, 130.0), (100.0, 130.0)), "电话：13800000001"
    )
    (number,) = find_numbers(line.text)
    x, y, w, h = ocr.number_box(line, number, (1000, 1000))
    share = 3 * 1.9 / (3 * 1.9 + 11)
    assert x * 1000 == pytest.approx(100 + 400 * share, abs=400 / 16.7)
    assert x + w == pytest.approx(0.5)
    assert y < 0.1 and y + h > 0.13, "padded across the line"


def test_a_line_read_from_its_far_end_boxes_the_number_at_that_end() -> None:
    """A line read upside down (turned half round) has its start at the right."""
    corners = ocr._reading_order([[100, 100], [500, 100], [500, 130], [100, 130]], turned=True)
    line = ocr.Line(tuple(corners), "电话：13800000001")  # type: ignore[arg-type]
    (number,) = find_numbers(line.text)
    x, _, w, _ = ocr.number_box(line, number, (1000, 1000))
    assert x == pytest.approx(0.1) and x + w < 0.4


# --- a deck's pictures: the child process, the readings kept ---------------------------------


HOSTILE = ["files/truncated.png", "files/empty.png", "files/huge.png"]


def spoil(root: Path) -> None:
    """A truncated PNG, an empty file, and a PNG whose header claims 100,000² pixels."""
    whole = drawn(["电话：" + MOBILE])[0]
    whole.save(root / HOSTILE[0])
    (root / HOSTILE[0]).write_bytes((root / HOSTILE[0]).read_bytes()[:600])
    (root / HOSTILE[1]).write_bytes(b"")
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1000)
    chunks = [_chunk(b"IHDR", header), _chunk(b"IDAT", data), _chunk(b"IEND", b"")]
    (root / HOSTILE[2]).write_bytes(b"\x89PNG\r\n\x1a\n" + b"".join(chunks))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """A deck of a photo with a number and a three-page PDF with one on page 2 (read two
    pages at most, here); detection run once, in child processes."""
    root = fresh_deck(tmp_path_factory.mktemp("redaction") / "numbers")
    files = root / "files"
    drawn([f"联系电话：{MOBILE}"])[0].save(files / "phone.png")
    page, _ = drawn([f"手机：{MOBILE}"])
    pages = [Image.new("RGB", (800, 1100), "white") for _ in range(3)]
    pages[1].paste(page, (60, 500))
    pages[0].save(files / "doc.pdf", save_all=True, append_images=pages[1:], resolution=200)
    item(root, "E01", "image", ["files/phone.png"])
    item(root, "E02", "document", ["files/doc.pdf"])
    deck = load_deck(root).deck
    assert deck is not None
    folder = tmp_path_factory.mktemp("instance") / deck.id
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(detect, "MOST_PAGES", 2)
        detect_deck(folder, deck)
    return root, deck, folder


def test_a_decks_pictures_and_pages_are_read_once_and_their_numbers_proposed(case) -> None:
    root, deck, folder = case
    e01, e02 = deck.exhibits
    (proposal,) = detected(folder, deck, e01, "files/phone.png")
    assert (proposal.file, proposal.page, proposal.kind) == ("files/phone.png", 1, "mobile")
    assert proposal.masked == "138****0001"
    assert len(proposal.id) == 16 and int(proposal.id, 16) >= 0
    assert detected(folder, deck, e02, "files/doc.pdf", 1) == []
    assert [p.masked for p in detected(folder, deck, e02, "files/doc.pdf", 2)] == ["138****0001"]
    assert [n for _, n in shown_pictures(deck)] == ["files/phone.png", "files/doc.pdf"]


def test_pages_past_a_pdfs_bound_are_not_read_and_never_shown(case) -> None:
    _, deck, folder = case
    e02 = deck.exhibits[1]
    assert detected(folder, deck, e02, "files/doc.pdf", 3) is None
    kept = reading(folder, deck, e02, "files/doc.pdf")
    assert (kept.pages, kept.read, kept.complete) == (3, (1, 2), False)


def test_a_hostile_picture_is_reported_unread_and_never_shown(tmp_path) -> None:
    root = fresh_deck(tmp_path / "hostile")
    for name in HOSTILE:
        Image.new("RGB", (40, 30), "white").save(root / name)
    item(root, "E01", "image", HOSTILE)
    deck = load_deck(root).deck
    assert deck is not None
    spoil(root)  # after the check: changed on disk since
    folder = tmp_path / "instance" / deck.id
    detect_deck(folder, deck)
    (exhibit,) = deck.exhibits
    for name in HOSTILE:
        assert detected(folder, deck, exhibit, name) is None, name
        kept = reading(folder, deck, exhibit, name)
        assert kept is not None and kept.read == () and kept.failed is not None, name
    said = describe(folder, deck, "en")
    assert "E01 files/empty.png: not read (cannot read this file: " in "\n".join(said)
    assert sum("not read" in line for line in said) == 3


def test_the_whole_number_is_kept_nowhere(case) -> None:
    _, _, folder = case
    for path in detect.readings_folder(folder).iterdir():
        text = path.read_text(encoding="utf-8")
        assert "13800000001" not in text and "0000 0001" not in text, path


def test_a_second_detection_reads_nothing_and_a_changed_file_is_read_again(
    case, monkeypatch
) -> None:
    root, deck, folder = case
    e01 = deck.exhibits[0]
    (before,) = detected(folder, deck, e01, "files/phone.png")
    ran = []
    real = detect._run_child
    monkeypatch.setattr(detect, "_run_child", lambda *a: ran.append(a[0]["path"]) or real(*a))
    detect_deck(folder, deck)
    assert ran == []
    picture = root / "files/phone.png"
    original = picture.read_bytes()
    picture.write_bytes(original)  # the same picture, written again: kept by content
    assert detected(folder, deck, e01, "files/phone.png") == [before]
    detect_deck(folder, deck)
    assert ran == []
    with Image.open(picture) as image:  # one pixel changed: another picture
        changed = image.convert("RGB")
    changed.putpixel((0, 0), (1, 2, 3))
    changed.save(picture)
    assert detected(folder, deck, e01, "files/phone.png") is None, "changed: not read yet"
    detect_deck(folder, deck)
    assert ran == [str(deck.display(e01, "files/phone.png"))]
    (after,) = detected(folder, deck, e01, "files/phone.png")
    assert after.masked == before.masked and after.box == before.box
    picture.write_bytes(original)  # as the module's other tests have it
    assert detected(folder, deck, e01, "files/phone.png") == [before]


def test_pending_lists_the_proposals_without_a_decision(case, tmp_path) -> None:
    _, deck, folder = case
    assert [(item, name, p.masked) for item, name, p in pending(folder, deck)] == [
        ("E01", "files/phone.png", "138****0001"),
        ("E02", "files/doc.pdf", "138****0001"),
    ]


# --- decisions ---------------------------------------------------------------------------


def test_decisions_are_kept_whole_and_an_unreadable_file_holds_none(tmp_path) -> None:
    decisions = Decisions(tmp_path / FILE)
    assert decisions.all() == {} and decisions.get("0123456789abcdef") is None
    decisions.set("0123456789abcdef", "confirmed")
    decisions.set("fedcba9876543210", "dismissed")
    assert Decisions(tmp_path / FILE).all() == {
        "0123456789abcdef": "confirmed",
        "fedcba9876543210": "dismissed",
    }
    decisions.set("0123456789abcdef", None)
    assert decisions.get("0123456789abcdef") is None
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [FILE]
    (tmp_path / FILE).write_text("{ not json", encoding="utf-8")
    assert decisions.all() == {}
    (tmp_path / FILE).write_text(json.dumps({"decisions": {"x": "confirmed"}}), encoding="utf-8")
    assert decisions.all() == {}
    with pytest.raises(ValueError):
        decisions.set("0123456789abcdef", "maybe")
    with pytest.raises(ValueError):
        decisions.set("not an id", "confirmed")


# --- check --redactions --------------------------------------------------------------------


def test_check_redactions_lists_the_numbers_and_records_decisions(case, cli) -> None:
    root, deck, folder = case
    instance = folder.parent
    result = cli("check", root, "--redactions", "--instance", instance)
    assert result.exit_code == 0, result.output
    (first, second) = (p for _, _, p in pending(folder, deck))
    assert f"E01  files/phone.png  手机号  138****0001  {first.id}  待确认" in result.output
    assert f"E02  files/doc.pdf  第 2 页  手机号  138****0001  {second.id}" in result.output
    assert "E02 files/doc.pdf：仅识别了 2/3 页，其余页面旁听席屏幕不显示" in result.output
    assert "13800000001" not in result.output and MOBILE not in result.output
    result = cli(
        "check", root, "--instance", instance, "--lang", "en", "--dismiss", first.id,
        "--confirm", "0000000000000000",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "no number found has the id 0000000000000000" in result.output
    assert f"{first.id}  dismissed" in result.output
    result = cli("check", root, "--instance", instance, "--confirm-all", "--lang", "en")
    assert f"{second.id}  confirmed" in result.output
    assert Decisions(folder / FILE).all() == {first.id: "dismissed", second.id: "confirmed"}
    assert pending(folder, deck) == []
    assert os.stat(folder / FILE).st_size > 0
