"""Renders in worker processes: a decompression bomb, a flood of regions, hostile regions and
SVGs cannot stall the server, swell it, or reach outside; the cache on disk stays bounded."""

from __future__ import annotations

import functools
import hashlib
import http.cookiejar
import io
import multiprocessing
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest
from PIL import Image

from presenter import rendering
from presenter.views.image import self_contained_svg

from .conftest import SCREEN_KEY, keyed_client, serve_deck, wait_until
from .deckfactory import CHAT_MD, edit, write_deck

BOMB = "case-1/E06"
FLOOD = "case-1/E07"
"""The pool's groups of the bomb and the heavy page: a deck's id and an exhibit's."""

DOCUMENT_ITEM = """\
+++
id = "{id}"
title = "{title}"
type = "file"
view = "document"
files = ["files/{name}"]

[source]
method = "seizure"

[[source.hash]]
file = "files/{name}"
algorithm = "sha256"
value = "{sha256}"

[[shows]]
fact = "F2"
aspect = "funds"
+++
"""

DRAWING = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
  <rect x="0" y="0" width="100" height="100" fill="#ff0000"/>
  <rect x="100" y="0" width="100" height="100" fill="#0000ff"/>
</svg>
"""


def pdf(content: bytes, times: int = 1) -> bytes:
    """A one-page PDF (US Letter) whose page draws `content` `times` over, stored FlateDecode,
    written by hand: header, four objects, the cross-reference table, the trailer."""
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(content) for _ in range(times)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


SQUARES = b"0 0 1 1 re f\n" * 100_000
"""100,000 filled squares: 1.3 MB of drawing, 35 MB once pdfium has parsed it."""


@functools.cache
def bomb() -> bytes:
    """A PDF of 0.6 MB whose page is 325 MB of drawing: pdfium wants ~9 GB to load it."""
    return pdf(SQUARES, 250)


@pytest.fixture(autouse=True)
def pool():
    """Every test starts and ends without a render worker."""
    yield
    rendering.shutdown()
    assert multiprocessing.active_children() == []


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    """The factory deck with a ledger PDF (E05), a bomb PDF whose one page expands to 300 MB
    of drawing (E06), a heavy but honest page (E07), and an SVG attachment in the chat."""
    root = write_deck(tmp_path / "case-1")
    ledger = pdf(b"1 0 0 rg 0 396 306 396 re f\n0 0 1 rg 306 0 306 396 re f\n")
    documents = [
        ("E05", "对账单", "ledger.pdf", ledger),
        ("E06", "炸弹", "bomb.pdf", bomb()),
        ("E07", "繁重的一页", "heavy.pdf", pdf(SQUARES, 12)),
    ]
    for exhibit, title, name, data in documents:
        (root / "files" / name).write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        item = DOCUMENT_ITEM.format(id=exhibit, title=title, name=name, sha256=digest)
        (root / "items" / f"{exhibit.lower()}-doc.md").write_text(item, encoding="utf-8")
    (root / "files" / "drawing.svg").write_text(DRAWING, encoding="utf-8")
    chat_files = 'files = ["files/chat.csv"'
    edit(root / CHAT_MD, chat_files, chat_files + ', "files/drawing.svg"')
    return root


class Browser:
    """A court screen's browser on the live server: it opened the screen link."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        assert self.get(f"/screen?key={SCREEN_KEY}")[0] == 200

    def get(self, path: str) -> tuple[int, bytes, str]:
        """Status, body and content type, whatever the status."""
        try:
            with self.opener.open(self.base + path, timeout=120) as response:
                return response.status, response.read(), response.headers["Content-Type"]
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read(), error.headers["Content-Type"]


def fetch(client, path: str) -> tuple[int, bytes, str]:
    """Status, body and media type of a GET through a test client, the response closed."""
    with client.get(path) as response:
        return response.status_code, response.data, response.mimetype


def png(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    assert image.format == "PNG"
    return image


def peak_rss() -> int:
    """This process's peak resident memory (VmHWM), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_page_that_expands_to_gigabytes_fails_clearly_while_other_exhibits_are_served(
    live_server,
):
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM from now on
    screen = Browser(live_server)
    # two workers ready, as a court's screens have them after the first exhibits
    first = ("/pages/E05/1.png", "/images/E02/files/shot.png")
    warm = [threading.Thread(target=screen.get, args=(path,)) for path in first]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()
    bomb: list[tuple[int, bytes, str]] = []
    asking = threading.Thread(target=lambda: bomb.append(screen.get("/pages/E06/1.png")))
    asking.start()
    wait_until(lambda: BOMB in rendering.in_flight())

    served = [
        screen.get("/pages/E05/1.png?region=0,0,0.5,0.5"),
        screen.get("/images/E02/files/shot.png?region=0.5,0.5,0.5,0.5"),
    ]
    still_drawing = asking.is_alive()
    asking.join()

    assert [status for status, _, _ in served] == [200, 200]
    assert png(served[0][1]).convert("RGB").getpixel((10, 10)) == (255, 0, 0)
    assert png(served[1][1]).size == (32, 24)
    assert still_drawing, "the other exhibits were served while the bomb was being drawn"
    status, body, kind = bomb[0]
    assert status == 422 and kind.startswith("text/plain")
    assert body.decode() == "此文件过于复杂，无法在时间和内存限度内绘制"
    assert peak_rss() < 1 << 30, "the server never held the bomb's page"

    assert screen.get("/pages/E06/1.png")[0] == 422, "remembered, not drawn again"
    status, body, _ = screen.get("/pages/E05/1.png?region=0.5,0.5,0.5,0.5")
    assert status == 200 and png(body).convert("RGB").getpixel((10, 10)) == (0, 0, 255)


def test_a_flood_of_regions_on_one_exhibit_does_not_hold_another_exhibits_callout(live_server):
    screen = Browser(live_server)
    for path in ("/pages/E05/1.png", "/images/E02/files/shot.png"):
        assert screen.get(path)[0] == 200
    stop = threading.Event()
    answers: list[int] = []

    def flood(offset: int) -> None:
        for n in range(10_000):
            if stop.is_set():
                return
            x = (n * 4 + offset) % 190 / 200  # every request a region of its own
            answers.append(screen.get(f"/pages/E07/1.png?region={x:.4f},0.1,0.05,0.05")[0])

    threads = [threading.Thread(target=flood, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: len(answers) >= 2, timeout=120)
        seen = rendering.in_flight().get(FLOOD)

        def fresh() -> int | None:
            """A job of the flood that has just started."""
            job = rendering.in_flight().get(FLOOD)
            return job if job is not None and job != seen else None

        job = wait_until(fresh, timeout=120)

        image = screen.get("/images/E02/files/shot.png?region=0,0,0.5,0.5")
        page = screen.get("/pages/E05/1.png?region=0.5,0.5,0.25,0.25")

        assert rendering.in_flight().get(FLOOD) == job, "served before that job of the flood ended"
        assert all(thread.is_alive() for thread in threads)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert image[0] == 200 and png(image[1]).size == (32, 24)
    assert page[0] == 200 and png(page[1]).convert("RGB").getpixel((5, 5)) == (0, 0, 255)
    assert set(answers) == {200}


@pytest.mark.parametrize(
    "region",
    [
        "0,0,0.00001,0.00001",
        "nan,0,0.5,0.5",
        "0,0,inf,0.5",
        "0,0,0.5,-inf",
        "-0.1,0,0.5,0.5",
        "0.9,0,0.5,1",
        "0,0,0,0.5",
        "0,0,0.5",
        "a,b,c,d",
        "1e309,0,0.5,0.5",
    ],
)
def test_a_region_that_is_tiny_not_a_number_or_outside_the_picture_is_a_bad_request(
    screen_client, region
):
    for path in ("/images/E02/files/shot.png", "/pages/E05/1.png"):
        assert fetch(screen_client, f"{path}?region={region}")[0] == 400


def test_regions_snap_outward_to_the_grid_and_grow_to_the_smallest_callout():
    assert rendering.quantise(0.1, 0.1, 0.5, 0.5) == (0.1, 0.1, 0.5, 0.5)
    assert rendering.quantise(0.1001, 0.0999, 0.3, 0.2999) == (0.1, 0.095, 0.305, 0.305)
    assert rendering.quantise(0.5, 0.5, 0.002, 0.002) == (0.5, 0.5, 0.01, 0.01)
    assert rendering.quantise(0.999, 0.999, 0.001, 0.001) == (0.99, 0.99, 0.01, 0.01)
    assert rendering.quantise(0.5, 0.5, 0.0001, 0.5) is None


def test_near_identical_regions_share_one_render(app, screen_client, instance):
    cache = instance / "case-1" / "cache" / "pages"
    first = fetch(screen_client, "/pages/E05/1.png?region=0.1001,0.1002,0.3,0.3")
    second = fetch(screen_client, "/pages/E05/1.png?region=0.1004,0.1,0.2999,0.3001")
    assert first[0] == 200 and first == second
    assert len(list(cache.iterdir())) == 1


def test_the_cache_of_derivatives_stays_within_its_bound(app, screen_client, instance):
    cache = instance / "case-1" / "cache"
    assert fetch(screen_client, "/pages/E05/1.png")[0] == 200
    one = sum(f.stat().st_size for f in cache.glob("*/*.png"))
    app.config["RENDER_CACHE_BYTES"] = bound = 4 * one
    for n in range(20):
        assert fetch(screen_client, f"/pages/E05/1.png?region={n / 40:.3f},0,0.5,0.3")[0] == 200
        assert fetch(screen_client, "/images/E02/files/shot.png?thumb=1")[0] == 200
        files = list(cache.glob("images/*")) + list(cache.glob("pages/*"))
        assert sum(f.stat().st_size for f in files) <= bound
    assert 2 <= len(files) < 20
    assert fetch(screen_client, "/images/E02/files/shot.png?thumb=1")[0] == 200


@pytest.fixture
def listener():
    """A port that would see any connection made to it."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        yield server


def test_an_svg_is_shown_as_png_and_nothing_in_it_reaches_outside(
    deck_dir, screen_client, listener
):
    status, body, kind = fetch(screen_client, "/images/E01/files/drawing.svg")
    assert status == 200 and kind == "image/png"
    drawn = png(body).convert("RGB")
    assert drawn.size == (2560, 1280), "drawn sharp at the display size"
    assert drawn.getpixel((10, 10)) == (255, 0, 0) and drawn.getpixel((2550, 10)) == (0, 0, 255)
    assert b"<svg" not in body

    port = listener.getsockname()[1]
    hostile = f"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="100" height="100" onload="alert(1)">
  <style>@import url(http://127.0.0.1:{port}/style.css); rect {{ fill: #00ff00; }}</style>
  <script>alert(document.cookie)</script>
  <rect width="100" height="100"/>
  <rect width="50" height="50" style="fill: url(http://127.0.0.1:{port}/paint)"/>
  <image href="http://127.0.0.1:1/x" width="100" height="100"/>
  <image xlink:href="http://127.0.0.1:{port}/y.png" width="100" height="100"/>
  <image href="file:///etc/hostname" width="100" height="100"/>
  <image href="data:image/svg+xml;utf8,&lt;svg/&gt;" width="100" height="100"/>
  <foreignObject width="100" height="100"><iframe src="http://127.0.0.1:{port}/"/></foreignObject>
</svg>"""
    (deck_dir / "files" / "drawing.svg").write_text(hostile, encoding="utf-8")
    status, body, kind = fetch(
        screen_client, "/images/E01/files/drawing.svg?region=0.5,0.5,0.5,0.5"
    )
    assert status == 200 and kind == "image/png"
    assert png(body).convert("RGB").getpixel((10, 10)) == (0, 255, 0)
    assert b"script" not in body and b"alert" not in body
    with pytest.raises(BlockingIOError):
        listener.accept()

    markup = self_contained_svg(deck_dir / "files" / "drawing.svg")
    for gone in ("script", "alert", "127.0.0.1", "file:", "foreignObject", "svg+xml", "@import"):
        assert gone not in markup
    assert "fill: #00ff00" in markup


def test_a_worker_over_its_time_or_memory_is_replaced_and_the_next_job_runs(tmp_path):
    source = tmp_path / "photo.png"
    Image.new("RGB", (640, 480), (0, 128, 0)).save(source)

    late = rendering.make("t/x", tmp_path / "late", time.sleep, 3600, time_limit=0.5)
    assert late is not None and late.reason == "too_heavy" and "time" in late.detail
    if sys.platform != "win32":  # no memory limit there
        greedy = rendering.make("t/x", tmp_path / "greedy", bytearray, 4 << 30)
        assert greedy is not None and greedy.reason == "too_heavy" and "memory" in greedy.detail
    crashed = rendering.make("t/x", tmp_path / "crashed", os.abort)
    assert crashed is not None and crashed.reason == "too_heavy"

    target = tmp_path / "photo-small.png"
    assert rendering.image("t/x", target, source, None, 100) is None
    with Image.open(target) as small:
        assert small.size == (100, 75)
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    unreadable = rendering.image("t/x", tmp_path / "notes-small.png", text, None, 100)
    assert unreadable is not None and unreadable.reason == "unreadable"


def test_requests_for_the_same_derivative_make_it_once(tmp_path):
    target = tmp_path / "made"
    results: list[object] = []

    def ask() -> None:
        # os.mkdir fails (and its worker with it) if it runs a second time
        results.append(rendering.make("t/y", target, os.mkdir, target))

    asking = [threading.Thread(target=ask) for _ in range(4)]
    for thread in asking:
        thread.start()
    for thread in asking:
        thread.join()
    assert results == [None] * 4 and target.is_dir()


def test_the_server_exits_on_sigterm_mid_render_and_its_workers_with_it(deck_dir, instance):
    with serve_deck(deck_dir, instance) as served:
        served.get(f"/screen?key={SCREEN_KEY}")
        asking = threading.Thread(target=served.get, args=("/pages/E06/1.png",), daemon=True)
        asking.start()
        workers = wait_until(lambda: _children(served.process.pid), timeout=60)
    # leaving `serve_deck` sent SIGTERM and waited for the server to exit
    assert served.process.returncode is not None
    wait_until(lambda: not any(_running(pid) for pid in workers), timeout=30)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_no_worker_is_started_until_the_first_render(app, client):
    assert fetch(client, "/")[0] == 200
    assert multiprocessing.active_children() == []
    assert fetch(keyed_client(app, SCREEN_KEY), "/pages/E05/1.png")[0] == 200
    assert len(multiprocessing.active_children()) == 1
