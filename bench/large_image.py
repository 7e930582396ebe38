"""A 100-megapixel JPEG exhibit: time until a screen has it, and a callout region, and the
server's peak memory.

    python bench/large_image.py [--megapixels 100]

Builds a deck with one 10000×10000 JPEG in a temporary folder and serves it; then, as a
screen does, fetches the exhibit's content and its display image, then a callout region cut
from the full-resolution original: first cold (the derivative made), then again (from the
cache). Peak RSS is the server process's VmHWM. Goals: < 1 s each once cached, RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _live import SCREEN_KEY, shizheng  # noqa: E402

from presenter.integrity import hash_file  # noqa: E402

ITEM = """+++
id = "E01"
title = "一亿像素照片"
type = "file"
view = "image"
files = ["files/big.jpg"]

[source]
method = "seizure"

[[source.hash]]
file = "files/big.jpg"
algorithm = "sha256"
value = "{digest}"

[[shows]]
fact = "F1"
aspect = "other"
+++
"""
DECK = """format = 1

[case]
title = "基准"

[[fact]]
id = "F1"
text = "x"
element = "conduct"
"""


def build(root: Path, side: int) -> None:
    (root / "files").mkdir(parents=True)
    (root / "items").mkdir()
    image = Image.new("RGB", (side, side), (235, 240, 245))
    draw = ImageDraw.Draw(image)
    for i in range(0, side, side // 50):
        draw.line((i, 0, side - i, side), fill=(20, 60, 120), width=9)
        draw.rectangle((i, i, i + side // 100, i + side // 100), fill=(200, 30, 30))
    image.save(root / "files" / "big.jpg", quality=88)
    del image
    digest = hash_file(root / "files" / "big.jpg", ["sha256"])["sha256"]
    (root / "deck.toml").write_text(DECK, encoding="utf-8")
    (root / "items" / "e01.md").write_text(ITEM.format(digest=digest), encoding="utf-8")


def timed(browser, url: str) -> float:
    start = time.perf_counter()
    with browser.open(url, timeout=120) as response:
        response.read()
    return time.perf_counter() - start


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megapixels", type=int, default=100)
    args = parser.parse_args()
    side = int((args.megapixels * 1_000_000) ** 0.5)
    with tempfile.TemporaryDirectory() as folder:
        deck = Path(folder) / "big-image"
        build(deck, side)
        size = (deck / "files" / "big.jpg").stat().st_size / 1e6
        with shizheng(deck) as url:
            browser = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
            )
            browser.open(f"{url}screen?key={SCREEN_KEY}").read()
            shown = [url + "screen/exhibit/E01/content", url + "images/E01/files/big.jpg"]
            region = url + "images/E01/files/big.jpg?region=0.4000,0.4000,0.1000,0.1000"
            cold_show = sum(timed(browser, u) for u in shown)
            warm_show = sum(timed(browser, u) for u in shown)
            cold_region = timed(browser, region)
            warm_region = timed(browser, region)
            pid = int(Path(f"/proc/{_server_pid(url)}/status").exists() and _server_pid(url))
            rss = peak_rss_mb(pid)
    print(f"{side}×{side} JPEG ({args.megapixels} MP, {size:.0f} MB)")
    show, region = f"{warm_show * 1000:.0f} ms", f"{warm_region * 1000:.0f} ms"
    print(f"screen shows it:   first {cold_show:.2f} s (derivative made), then {show}")
    print(f"callout region:    first {cold_region:.2f} s (from the original), then {region}")
    print(f"server peak RSS:   {rss:.0f} MB")


def _server_pid(url: str) -> int:
    """The pid of the process listening on the URL's port (from /proc/net/tcp)."""
    import os

    port = int(url.rsplit(":", 1)[1].strip("/"))
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":
            inodes.add(fields[9])
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    return 0


if __name__ == "__main__":
    main()
