"""Redaction for the public screen beyond text (issue 16 §3): the pixels a public screen is
sent of a picture, a PDF page, a callout, a thumbnail, a chat's picture and a video have every
box that holds blacked out on the server; a court screen's have not; a picture detection has
not run on is never sent; a masked bundle's pictures are the public screen's; `check` says
where a `[[redact]]` is wrong."""

from __future__ import annotations

import io
import json
import re
import subprocess
import threading
from pathlib import Path
from types import SimpleNamespace

import imageio_ffmpeg
import pytest
from PIL import Image

from presenter.deck import load_deck
from presenter.redaction import apply

from .conftest import (
    PRESENTER_KEY,
    PUBLIC_KEY,
    SCREEN_KEY,
    court_app,
    keyed_client,
    read_pictures,
    wait_until,
)
from .deckfactory import CODE_MD, SHOT_MD, edit, write_deck
from .test_originals import ffmpeg, item
from .test_originals_attacks import fetch, fresh_deck, token

YELLOW = (240, 200, 40)
BLUE = (60, 140, 230)

SHOT = "files/shot.png"
"""E01: 200 × 100, a box over [0.5, 0.5, 0.25, 0.25] (pixels 100..150 × 50..75)."""
TURNED = "files/turned.jpg"
"""E02: stored 200 × 100, EXIF orientation 6: upright 100 × 200; a box over the upright
picture's [0, 0, 0.5, 0.25] (pixels 0..50 × 0..50)."""
DOCUMENT = "files/doc.pdf"
"""E03: two pages; a box on page 2 over [0.1, 0.1, 0.3, 0.2]."""
CLIP = "files/clip.mp4"
"""E04: 2 s of yellow with sound; a box over [0.25, 0.25, 0.5, 0.5] from 0.5 s to 1.5 s."""
QR = "files/chat/qr.png"
"""E05: a chat's picture; a box over [0, 0, 0.5, 0.5]."""


def picture(size: tuple[int, int], colour=YELLOW) -> Image.Image:
    return Image.new("RGB", size, colour)


@pytest.fixture(scope="module")
def redacted_deck(tmp_path_factory) -> Path:
    root = fresh_deck(tmp_path_factory.mktemp("redaction") / "redacted")
    picture((200, 100)).save(root / SHOT)
    exif = Image.Exif()
    exif[0x0112] = 6  # turned: shown rotated 90° clockwise
    exif[0x010F] = "手机 13800000001"  # Make: what a public screen must not be sent
    picture((200, 100)).save(root / TURNED, exif=exif, quality=95)
    pages = [picture((600, 800), BLUE), picture((600, 800))]
    pages[0].save(root / DOCUMENT, save_all=True, append_images=pages[1:])
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=yellow:s=160x120:d=2:r=10",
        "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest", str(root / CLIP),
    )  # fmt: skip
    (root / "files/chat").mkdir()
    picture((120, 120)).save(root / QR)
    (root / "files/chat/chat.csv").write_text(
        "时间,发送人,内容,附件\n2024-03-01 10:00,张某,扫码,qr.png\n", encoding="utf-8"
    )
    redact = "[[redact]]\nbox = [{}]\n"
    item(root, "E01", "image", [SHOT], redact.format("0.5, 0.5, 0.25, 0.25"))
    item(root, "E02", "image", [TURNED], redact.format("0, 0, 0.5, 0.25"))
    document = '[[redact]]\npage = 2\nbox = [0.1, 0.1, 0.3, 0.2]\nreason = "手机号"\n'
    item(root, "E03", "document", [DOCUMENT], document)
    video = "[[redact]]\nbox = [0.25, 0.25, 0.5, 0.5]\nfrom = 0.5\nto = 1.5\n"
    item(root, "E04", "video", [CLIP], video)
    chat = '[columns]\ntime = "时间"\nsender = "发送人"\ntext = "内容"\nattachment = "附件"\n'
    chat += '[[redact]]\nfile = "qr.png"\nbox = [0, 0, 0.5, 0.5]\n'
    item(root, "E05", "chat", ["files/chat/chat.csv", QR], chat, type="communication")
    return root


@pytest.fixture(scope="module")
def redacted_app(redacted_deck: Path, tmp_path_factory):
    with court_app(redacted_deck, tmp_path_factory.mktemp("instance")) as app:
        read_pictures(app)  # really, by the OCR: the pictures hold no number
        yield app


@pytest.fixture
def public(redacted_app):
    return keyed_client(redacted_app, PUBLIC_KEY)


@pytest.fixture
def screen(redacted_app):
    return keyed_client(redacted_app, SCREEN_KEY)


def opened(response) -> Image.Image:
    assert response.status_code == 200, response.get_data(as_text=True)[:200]
    return Image.open(io.BytesIO(response.data)).convert("RGB")


def black(image: Image.Image, at: tuple[float, float]) -> bool:
    """Whether the picture is black at a point given in fractions of it."""
    x, y = at
    pixel = image.getpixel((min(image.width - 1, int(x * image.width)),
                            min(image.height - 1, int(y * image.height))))  # fmt: skip
    return max(pixel) < 24


def images_url(app, item: str, name: str, query: str = "") -> str:
    return f"/images/{item}/{token(app, name)}{query}"


# --- pictures --------------------------------------------------------------------------------


def test_public_picture_is_black_in_its_box_and_the_court_screens_is_not(
    redacted_app, public, screen
) -> None:
    answer = fetch(public, images_url(redacted_app, "E01", SHOT))
    assert "no-cache" in answer.headers["Cache-Control"]  # its boxes change in court
    shown = opened(answer)
    assert shown.size == (200, 100)
    assert black(shown, (0.6, 0.6)) and black(shown, (0.5, 0.5)) and black(shown, (0.74, 0.74))
    assert not black(shown, (0.45, 0.6)) and not black(shown, (0.8, 0.6))
    assert not black(shown, (0.6, 0.4)) and not black(shown, (0.6, 0.8))
    whole = opened(fetch(screen, f"/images/E01/{SHOT}"))
    assert not black(whole, (0.6, 0.6))  # a court screen's picture is its own render
    presenter = keyed_client(redacted_app, PRESENTER_KEY)
    assert not black(opened(fetch(presenter, f"/images/E01/{SHOT}")), (0.6, 0.6))


def test_a_callout_across_the_box_is_black_where_the_box_is(redacted_app, public, screen) -> None:
    """The callout [0.4, 0.4, 0.4, 0.4] holds the box [0.5, 0.5, 0.25, 0.25] from a quarter
    of its width and height to 0.875 of them."""
    query = "?region=0.4,0.4,0.4,0.4"
    callout = opened(fetch(public, images_url(redacted_app, "E01", SHOT, query)))
    assert black(callout, (0.3, 0.3)) and black(callout, (0.85, 0.85))
    assert not black(callout, (0.15, 0.5)) and not black(callout, (0.5, 0.1))
    assert not black(callout, (0.95, 0.95))
    assert not black(opened(fetch(screen, f"/images/E01/{SHOT}{query}")), (0.5, 0.5))


def test_a_thumbnail_is_redacted_too(redacted_app, public) -> None:
    thumb = opened(fetch(public, images_url(redacted_app, "E01", SHOT, "?thumb=1")))
    assert black(thumb, (0.6, 0.6)) and not black(thumb, (0.2, 0.2))


def test_a_turned_photos_box_is_on_the_upright_picture(redacted_app, public) -> None:
    """EXIF orientation 6: the box [0, 0, 0.5, 0.25] is the top left of the picture as it is
    shown (100 × 200), not of the pixels as stored (200 × 100)."""
    response = fetch(public, images_url(redacted_app, "E02", TURNED))
    shown = opened(response)
    assert shown.size == (100, 200)
    assert black(shown, (0.1, 0.05)) and black(shown, (0.45, 0.2))
    assert not black(shown, (0.75, 0.1)) and not black(shown, (0.25, 0.5))
    assert not black(shown, (0.9, 0.9))
    raw = Image.open(io.BytesIO(response.data))
    assert not raw.getexif() and b"13800000001" not in response.data  # no metadata sent


def test_a_chat_picture_is_redacted_large_and_small(redacted_app, public, screen) -> None:
    messages = public.get("/chats/E05/messages").get_json()["messages"]
    attachment = messages[0]["attachment"]
    for url in (attachment["large"], attachment["thumb"]):
        shown = opened(fetch(public, url))
        assert black(shown, (0.25, 0.25)) and not black(shown, (0.75, 0.75))
    callout = opened(fetch(public, attachment["crop"] + "0.25,0.25,0.5,0.5"))
    assert black(callout, (0.25, 0.25)) and not black(callout, (0.75, 0.75))
    assert not black(opened(fetch(screen, f"/images/E05/{QR}")), (0.25, 0.25))


def test_public_never_gets_an_original_picture(redacted_app, public, screen) -> None:
    """Not by its token, its name, `?original=1`, nor a cookie of a court screen besides."""
    for name in (token(redacted_app, TURNED), TURNED):
        for query in ("", "?original=1"):
            assert fetch(public, f"/files/E02/{name}{query}").status_code in (403, 404)
    assert fetch(public, f"/files/E03/{token(redacted_app, DOCUMENT)}").status_code == 403
    both = keyed_client(redacted_app, PUBLIC_KEY)  # and a court screen's cookie: public
    both.set_cookie(redacted_app.extensions["shizheng.court"].cookies["screen"], SCREEN_KEY)
    assert fetch(both, f"/files/E02/{TURNED}?original=1").status_code in (403, 404)
    assert black(opened(fetch(both, images_url(redacted_app, "E02", TURNED))), (0.1, 0.05))
    original = fetch(screen, f"/files/E02/{TURNED}?original=1")
    assert original.status_code == 200 and b"13800000001" in original.data  # a court screen's


# --- documents -----------------------------------------------------------------------------


def test_a_pdf_pages_box_is_black_on_that_page_only(redacted_app, public, screen) -> None:
    page = opened(fetch(public, "/pages/E03/2.png"))
    assert black(page, (0.2, 0.15)) and black(page, (0.39, 0.29))
    assert not black(page, (0.05, 0.15)) and not black(page, (0.5, 0.5))
    assert not black(opened(fetch(public, "/pages/E03/1.png")), (0.2, 0.15))
    assert not black(opened(fetch(screen, "/pages/E03/2.png")), (0.2, 0.15))
    callout = opened(fetch(public, "/pages/E03/2.png?region=0,0,0.5,0.5"))
    assert black(callout, (0.4, 0.3)) and not black(callout, (0.1, 0.1))
    assert not black(callout, (0.9, 0.9))


# --- what holds: detection, decisions, live boxes -------------------------------------------


def test_a_picture_not_checked_yet_is_a_placeholder_never_the_picture(
    redacted_app, redacted_deck, public, screen
) -> None:
    """A picture and a document changed since they were read (another picture, another
    PDF): not read as they are now, so a public screen gets a placeholder until they are."""
    shot, document = redacted_deck / SHOT, redacted_deck / DOCUMENT
    kept = shot.read_bytes(), document.read_bytes()
    picture((200, 100), BLUE).save(shot)
    document.write_bytes(kept[1] + b"\n% another version\n")
    for url in (
        images_url(redacted_app, "E01", SHOT),
        images_url(redacted_app, "E01", SHOT, "?region=0,0,0.5,0.5"),
        images_url(redacted_app, "E01", SHOT, "?thumb=1"),
        "/pages/E03/1.png",
    ):
        answer = fetch(public, url)
        assert answer.status_code == 202, url  # accepted, being checked: not the picture
        assert answer.mimetype == "image/svg+xml" and "no-store" in answer.headers["Cache-Control"]
        assert "正在检查隐私信息" in answer.get_data(as_text=True)
        assert answer.headers["Retry-After"]
    assert fetch(screen, f"/images/E01/{SHOT}").status_code == 200  # the court's: unchanged
    shot.write_bytes(kept[0])  # as they were read: shown again
    document.write_bytes(kept[1])
    assert fetch(public, images_url(redacted_app, "E01", SHOT)).status_code == 200
    assert fetch(public, "/pages/E03/1.png").status_code == 200


def test_a_detected_number_is_black_until_the_presenter_dismisses_it(
    redacted_app, public, monkeypatch
) -> None:
    from presenter.web import files

    found = SimpleNamespace(id="0123456789abcdef", box=(0.0, 0.0, 0.2, 0.2))
    monkeypatch.setattr(apply, "detected", lambda *args: [found])
    url = images_url(redacted_app, "E01", SHOT)
    assert black(opened(fetch(public, url)), (0.1, 0.1))  # pending: blacked out
    decided = {"0123456789abcdef": "confirmed"}
    live = SimpleNamespace(boxes=(), decisions=decided)
    monkeypatch.setattr(files, "_live_redaction", lambda: live)
    assert black(opened(fetch(public, url)), (0.1, 0.1))
    decided["0123456789abcdef"] = "dismissed"
    shown = opened(fetch(public, url))
    assert not black(shown, (0.1, 0.1)) and black(shown, (0.6, 0.6))  # the deck's box holds


def test_a_live_box_blacks_out_its_file_and_page(redacted_app, public) -> None:
    presentation = redacted_app.extensions["shizheng.court"].presentation
    for command in (
        {"action": "goto", "item": "E03"},
        {"action": "redact", "op": "add", "box": [0.6, 0.6, 0.3, 0.3]},
    ):
        assert presentation.command(command, "presenter").ok
    first = opened(fetch(public, "/pages/E03/1.png"))
    assert black(first, (0.75, 0.75)) and not black(first, (0.2, 0.15))
    second = opened(fetch(public, "/pages/E03/2.png"))
    assert not black(second, (0.75, 0.75)) and black(second, (0.2, 0.15))
    redrawn = opened(fetch(public, "/pages/E03/1.png?rv=7"))  # the stage's cache buster
    assert black(redrawn, (0.75, 0.75))
    assert presentation.command({"action": "redact", "op": "clear"}, "presenter").ok
    assert not black(opened(fetch(public, "/pages/E03/1.png")), (0.75, 0.75))


def test_boxes_for_says_what_holds(monkeypatch) -> None:
    """The API, without a server: the deck's boxes by file and page, live ones by index,
    proposals but the dismissed; None while detection has not run."""
    from presenter.deck.loader import validate

    exhibit = _exhibit(
        validate,
        view="document",
        files=["files/a.pdf", "files/b.pdf"],
        redact=[
            {"file": "b.pdf", "page": 2, "box": [0.1, 0.1, 0.2, 0.2]},
            {"file": "files/a.pdf", "box": [0.5, 0.5, 0.1, 0.1]},
        ],
    )
    live = SimpleNamespace(
        boxes=[SimpleNamespace(item="E09", file=1, page=2, box=[0.0, 0.0, 0.05, 0.05])],
        decisions={"dismissed-one": "dismissed"},
    )
    found = [SimpleNamespace(id="dismissed-one", box=(0.9, 0.9, 0.1, 0.1)),
             SimpleNamespace(id="pending-one", box=(0.8, 0.0, 0.1, 0.1))]  # fmt: skip
    monkeypatch.setattr(apply, "detected", lambda *args: found)
    boxes = apply.boxes_for(None, Path("."), live, exhibit, "files/b.pdf", 2)
    assert boxes == [(0.0, 0.0, 0.05, 0.05), (0.1, 0.1, 0.2, 0.2), (0.8, 0.0, 0.1, 0.1)]
    boxes = apply.boxes_for(None, Path("."), None, exhibit, "files/a.pdf", 1)
    assert boxes == [(0.5, 0.5, 0.1, 0.1), (0.8, 0.0, 0.1, 0.1), (0.9, 0.9, 0.1, 0.1)]
    monkeypatch.setattr(apply, "detected", lambda *args: None)
    assert apply.boxes_for(None, Path("."), live, exhibit, "files/b.pdf", 2) is None


def _exhibit(validate, **front):
    from presenter.deck.loader import Located
    from presenter.deck.model import Exhibit

    data = {"id": "E09", "title": "t", "type": "file", "source": {"method": "seizure"}, **front}
    problems: list = []
    exhibit = validate(Exhibit, data, Located("items/e09.md"), problems)
    assert exhibit is not None, problems
    return exhibit


# --- video ---------------------------------------------------------------------------------


def frame(data: bytes, seconds: float, tmp_path: Path) -> Image.Image:
    """The video's picture at `seconds`, decoded by ffmpeg."""
    video = tmp_path / f"v{seconds}.mp4"
    video.write_bytes(data)
    png = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-ss", str(seconds), "-i", str(video),
         "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_a_public_video_is_black_in_its_box_during_its_time_only(
    redacted_app, public, screen, tmp_path
) -> None:
    url = f"/files/E04/{token(redacted_app, CLIP)}"
    first = fetch(public, url)
    assert first.status_code in (200, 202)  # made in the background: never the original
    if first.status_code == 202:
        assert first.headers["Retry-After"] and "no-store" in first.headers["Cache-Control"]
    answer = wait_until(lambda: (r := fetch(public, url)).status_code == 200 and r, timeout=120)
    assert answer.mimetype == "video/mp4"
    during, before, after = (frame(answer.data, t, tmp_path) for t in (1.0, 0.2, 1.8))
    assert black(during, (0.5, 0.5)) and black(during, (0.3, 0.3))
    assert not black(during, (0.1, 0.1)) and not black(during, (0.9, 0.9))
    assert not black(before, (0.5, 0.5)) and not black(after, (0.5, 0.5))
    sound = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(tmp_path / "v1.0.mp4")],
        capture_output=True, text=True,
    ).stderr  # fmt: skip
    assert re.search(r"Audio: aac", sound)  # the sound copied along
    court = fetch(screen, f"/files/E04/{CLIP}")
    assert court.status_code == 200
    assert not black(frame(court.data, 1.0, tmp_path), (0.5, 0.5))


def test_a_turned_videos_box_is_on_the_upright_picture(tmp_path) -> None:
    """A phone's video stored 160 × 80 and shown turned 90°: the box is on the picture as
    shown (80 × 160), and the copy is stored upright (no rotation left to apply twice)."""
    from presenter.redaction.video import make_copy

    ffmpeg("-f", "lavfi", "-i", "color=c=yellow:s=160x80:d=1:r=5", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", str(tmp_path / "plain.mp4"))  # fmt: skip
    ffmpeg("-display_rotation", "90", "-i", str(tmp_path / "plain.mp4"), "-c", "copy",
           str(tmp_path / "turned.mp4"))  # fmt: skip
    copy = tmp_path / "redacted" / "copy.mp4"
    make_copy(tmp_path / "turned.mp4", copy, [apply.TimedBox((0.0, 0.0, 0.5, 0.25))])
    shown = frame(copy.read_bytes(), 0.0, tmp_path)
    assert shown.size == (80, 160)
    assert black(shown, (0.1, 0.1)) and black(shown, (0.45, 0.2))
    assert not black(shown, (0.75, 0.1)) and not black(shown, (0.1, 0.4))
    record = json.loads(copy.with_suffix(".json").read_text("utf-8"))
    assert "drawbox" in record["parameters"]["ffmpeg"] and len(record["copy_sha256"]) == 64


# --- the masked bundle ---------------------------------------------------------------------


def test_a_masked_bundles_pictures_are_redacted(redacted_deck, cli, tmp_path) -> None:
    """The bundle runs detection first where it has not run (the real recogniser, in its
    child), then fetches its pictures, pages and videos as the public screen."""
    out = tmp_path / "masked"
    result = cli("export", redacted_deck, "--out", out, "--mask", "--instance", cli.instance)
    assert result.exit_code == 0, result.output
    assert not (out / SHOT).exists() and not (out / TURNED).exists()  # no originals
    for page, at in (("E01", (0.6, 0.6)), ("E02", (0.1, 0.05)), ("E03", (0.2, 0.15))):
        html = (out / f"{page}.html").read_text("utf-8")
        shown = [Image.open(out / src).convert("RGB") for src in _pictures(html)]
        assert shown, page
        assert any(black(p, at) for p in shown), page
    html = (out / "E04.html").read_text("utf-8")
    video = next(src for src in re.findall(r'src="(assets/[^"]+)"', html) if src.endswith(".mp4"))
    assert black(frame((out / video).read_bytes(), 1.0, tmp_path), (0.5, 0.5))
    assert "个人信息已涂黑，不附原始文件" in (out / "index.html").read_text("utf-8")


def _pictures(html: str) -> list[str]:
    return [s for s in re.findall(r'src="(assets/[^"]+)"', html) if s.endswith((".png", ".jpg"))]


# --- check ---------------------------------------------------------------------------------


def problems_of(root: Path) -> list:
    return [(p.path, p.line, p.key, p.code) for p in load_deck(root, verify_hashes=False).problems]


def redactions_wrong(root: Path) -> list[tuple[str, str]]:
    return [p[2:] for p in problems_of(root) if p[2].startswith("redact")]


def test_check_says_where_a_redaction_is_wrong(tmp_path: Path) -> None:
    root = write_deck(tmp_path / "case-1")
    edit(root / SHOT_MD, "+++\n虚假", "[[redact]]\nbox = [0.5, 0.5, 0.75, 0.2]\n+++\n虚假")
    edit(root / CODE_MD, 'lines = "2-3"\n', 'lines = "2-3"\n[[redact]]\nbox = [0, 0, 0.1, 0.1]\n')
    shot, code = "items/e02-shot.md", "items/e03-code.md"
    line = _line_of(root / SHOT_MD, "box = [0.5, 0.5, 0.75, 0.2]")
    redact_line = _line_of(root / CODE_MD, "[[redact]]")
    assert problems_of(root) == [
        (shot, line, "redact[0].box", "bad_region"),
        (code, redact_line, "redact", "redact_no_pixels"),
    ]
    messages = [p.render("en") for p in load_deck(root, verify_hashes=False).problems]
    assert f"{shot}:{line}: error: redact[0].box: a region is [x, y, w, h]" in messages[0]
    assert "this code item has none" in messages[1]
    edit(root / SHOT_MD, "box = [0.5, 0.5, 0.75, 0.2]\n", (
        "box = [0.5, 0.5, 0.25, 0.2]\n\n"
        '[[redact]]\nfile = "other.png"\nbox = [0, 0, 0.1, 0.1]\n\n'
        "[[redact]]\npage = 2\nbox = [0, 0, 0.1, 0.1]\n\n"
        "[[redact]]\nbox = [0, 0, 0.1, 0.1]\nfrom = 1.0\n"
    ))  # fmt: skip
    edit(root / CODE_MD, "[[redact]]\nbox = [0, 0, 0.1, 0.1]\n", "")
    assert problems_of(root) == [
        (shot, _line_of(root / SHOT_MD, 'file = "other.png"'), "redact[1].file",
         "redact_file_unknown"),
        (shot, _line_of(root / SHOT_MD, "page = 2"), "redact[2].page", "step_out_of_range_in_file"),
        (shot, _line_of(root / SHOT_MD, "from = 1.0"), "redact[3].from", "redact_time_not_video"),
    ]  # fmt: skip
    zh = [p.render("zh-CN") for p in load_deck(root, verify_hashes=False).problems]
    assert "file“other.png”不是本证据项的文件" in zh[0]
    assert "page = 2 超出“files/shot.png”的范围（共 1 页）" in zh[1]


def _line_of(path: Path, text: str) -> int:
    return path.read_text("utf-8").split("\n").index(text) + 1


def test_check_takes_a_video_redactions_times(tmp_path: Path) -> None:
    root = fresh_deck(tmp_path / "video")
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=yellow:s=64x48:d=1:r=5", "-c:v", "libx264", str(root / CLIP)
    )
    item(root, "E01", "video", [CLIP], "[[redact]]\nbox = [0, 0, 0.5, 0.5]\nfrom = 2\nto = 1\n")
    assert redactions_wrong(root) == [("redact[0].to", "redact_time_order")]
    item(root, "E01", "video", [CLIP], '[[redact]]\nbox = [0, 0, 0.5, 0.5]\nfrom = "00:00:05"\n')
    assert redactions_wrong(root) == [("redact[0].from", "redact_after_media")]
    item(root, "E01", "video", [CLIP], "[[redact]]\nbox = [0, 0, 0.5, 0.5]\nfrom = -1\n")
    assert redactions_wrong(root) == [("redact[0].from", "bad_seconds")]
    item(root, "E01", "video", [CLIP], "[[redact]]\nbox = [0, 0, 0.5, 0.5]\nto = 0.5\n")
    assert redactions_wrong(root) == []


def test_check_asks_which_file_when_an_item_has_several(tmp_path: Path) -> None:
    root = fresh_deck(tmp_path / "gallery")
    for name in ("files/a.png", "files/b.png"):
        picture((20, 20)).save(root / name)
    item(root, "E01", "image", ["files/a.png", "files/b.png"], "[[redact]]\nbox = [0, 0, 1, 1]\n")
    assert redactions_wrong(root) == [("redact[0]", "redact_file_needed")]
    item(root, "E01", "image", ["files/a.png", "files/b.png"],
         '[[redact]]\nfile = "files/b.png"\nbox = [0, 0, 1, 1]\n')  # fmt: skip
    assert redactions_wrong(root) == []


# --- in a browser --------------------------------------------------------------------------


def test_the_public_screens_browser_shows_the_box_black_and_a_court_screens_does_not(
    redacted_app, browser
) -> None:
    """The pixels each screen's browser draws: the public gallery's has the box black, the
    court screen's has not (nothing is hidden by the browser: it is the picture sent)."""
    import socketio
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, redacted_app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{server.server_port}"
    contexts = [browser.new_context(viewport={"width": 1280, "height": 720}) for _ in range(2)]
    presenter = socketio.Client(reconnection=False)
    try:
        screens = {}
        for context, key in zip(contexts, (PUBLIC_KEY, SCREEN_KEY), strict=True):
            screens[key] = context.new_page()
            screens[key].goto(f"{url}/screen?key={key}")
        presenter.connect(
            url, namespaces=["/live"], transports=["websocket"], wait_timeout=30,
            auth={"key": PRESENTER_KEY, "role": "presenter", "name": "test"},
        )  # fmt: skip
        for command in ({"action": "goto", "item": "E01"}, {"action": "blank", "mode": None}):
            answer = presenter.call("command", command, namespace="/live")
            assert answer["ok"], answer
        drawn = {}
        for key, page in screens.items():
            wait_until(
                lambda p=page: p.evaluate("document.querySelector('#stage').dataset.blank") == "",
                30,
            )
            picture = page.locator("#stage img.exhibit-image")
            wait_until(
                lambda p=picture: p.count() and p.evaluate("i => i.complete && i.naturalWidth > 0"),
                30,
            )
            drawn[key] = Image.open(io.BytesIO(picture.screenshot())).convert("RGB")
        assert black(drawn[PUBLIC_KEY], (0.6, 0.6)) and not black(drawn[PUBLIC_KEY], (0.2, 0.2))
        assert not black(drawn[SCREEN_KEY], (0.6, 0.6))
    finally:
        presenter.disconnect()
        for context in contexts:
            context.close()
        server.shutdown()
        serving.join()
