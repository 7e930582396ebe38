"""Recall of personal numbers planted in generated pictures and PDF pages, and the time a
page takes (issue 16 §3: recall ≥ 95 %).

    python bench/redaction.py [--quick] [--keep DIR]

Draws pages of Chinese text with resident ID, mobile and bank card numbers among decoys
(dates, amounts, order and parcel numbers, landlines), in four fonts (Noto Sans CJK regular
and bold, Noto Serif CJK, DejaVu Sans for the digits), at 14 to 48 pixels, turned 0, ±5 and
±15 degrees, in black, blue, grey and red, on four grounds: a phone's screenshot, a
12-megapixel photo of a sheet on a desk (JPEG), a card-sized photo, and scans at 200 dpi
gathered into one PDF. They become a deck (an image item, a document item) that
presenter.redaction.detect reads as a court's deck is read: a child process per file. A
number counts as found when one proposal's box covers at least 90 % of the box its digits
were drawn in; a proposal over no planted number is false.
Needs fonts-noto-cjk and fonts-dejavu-core.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from presenter.deck import load_deck  # noqa: E402
from presenter.integrity import hash_file  # noqa: E402
from presenter.redaction import detect_deck, reading  # noqa: E402
from presenter.redaction.numbers import CHECK_DIGITS, WEIGHTS  # noqa: E402

NOTO = Path("/usr/share/fonts/opentype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
SC = 2
"""Simplified Chinese in the Noto CJK collections."""
FONTS = {
    "Noto Sans": (NOTO / "NotoSansCJK-Regular.ttc", SC),
    "Noto Sans Bold": (NOTO / "NotoSansCJK-Bold.ttc", SC),
    "Noto Serif": (NOTO / "NotoSerifCJK-Regular.ttc", SC),
    "DejaVu Sans": (DEJAVU / "DejaVuSans.ttf", 0),
}
SIZES = (14, 18, 24, 32, 48)
ANGLES = (0, 5, -5, 15, -15)
GROUNDS = ("screen", "photo", "card", "scan")
INKS = {"black": (20, 20, 24), "blue": (20, 40, 120), "grey": (105, 105, 105), "red": (170, 30, 30)}
"""The print's colour: a grey on paper is a faded copy, red a stamp or a banner."""
COVERED = 0.9
"""The share of a number's drawn box a proposal must cover for it to count as found."""

LABELS = {
    "mobile": ("手机号码：", "联系电话：", "电话：", "紧急联系人手机 "),
    "id_card": ("身份证号：", "公民身份号码：", "证件号码 "),
    "bank_card": ("银行卡号：", "收款账号：", "卡号 "),
}
DECOYS = (
    "交易时间：2024-03-01 10:02:33",
    "转账金额：¥49,000.00 元",
    "订单编号：20240301123456789012",
    "座机：010-6552 3300",
    "快递单号：SF1234567890123",
    "QQ：1234567890",
    "统一社会信用代码：91110105MA01ABCD3X",
)
TEXT = (
    "被害人陈某于当日晚间通过微信向对方转账",
    "经查，该账户系张某以他人名义开立",
    "以上内容经本人核对，与事实相符",
    "平台客服称可以保证每日收益百分之三",
    "侦查人员依法调取了相关交易记录",
    "对方要求被害人下载指定的投资软件",
)


@dataclass
class Planted:
    kind: str
    box: tuple[float, float, float, float]
    """Fractions of the picture: x, y, w, h."""


@dataclass
class Scene:
    ground: str
    font: str
    size: int
    angle: int
    ink: str
    planted: list[Planted] = field(default_factory=list)
    file: str = ""
    page: int = 1


def mobile(rng: random.Random) -> str:
    digits = "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9))
    style = rng.choice(("plain", "spaces", "dashes"))
    if style == "plain":
        return digits
    sep = " " if style == "spaces" else "-"
    return f"{digits[:3]}{sep}{digits[3:7]}{sep}{digits[7:]}"


def resident_id(rng: random.Random) -> str:
    region = rng.choice(("110105", "310104", "440305", "510107", "330106", "420111"))
    born = f"{rng.randint(1955, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = region + born + f"{rng.randint(0, 999):03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + CHECK_DIGITS[total % 11]


def card(rng: random.Random) -> str:
    length = rng.choice((16, 16, 19))
    body = "62" + "".join(rng.choices("0123456789", k=length - 3))
    digits = body + _luhn(body)
    if rng.random() < 0.5:
        return " ".join(digits[i : i + 4] for i in range(0, length, 4))
    return digits


def _luhn(body: str) -> str:
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


NUMBERS = {"mobile": mobile, "id_card": resident_id, "bank_card": card}


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FONTS[name]
    return ImageFont.truetype(str(path), size, index=index)


def sheet(scene: Scene, rng: random.Random) -> tuple[Image.Image, list[tuple[str, tuple]]]:
    """The text block: rows of labels with numbers, decoys and prose, on paper; the numbers'
    drawn boxes in its pixels."""
    size = scene.size
    label_font = font("Noto Sans" if scene.font == "DejaVu Sans" else scene.font, size)
    digit_font = font(scene.font, size)
    rows: list[tuple[str, str | None]] = []
    kinds = ["mobile", "id_card", "bank_card"] * 2
    rng.shuffle(kinds)
    for i, kind in enumerate(kinds):
        rows.append((rng.choice(LABELS[kind]), kind))
        rows.append((DECOYS[(i + size) % len(DECOYS)] if i % 2 else rng.choice(TEXT), None))
    width = round(size * 26)
    height = round(size * 2.1 * len(rows) + size * 2)
    paper = _paper(scene.ground, (width, height), rng)
    draw = ImageDraw.Draw(paper)
    ink = INKS[scene.ink]
    boxes = []
    y = size
    for text, kind in rows:
        x = size
        if kind is None:
            draw.text((x, y), text, font=label_font, fill=ink)
        else:
            draw.text((x, y), text, font=label_font, fill=ink)
            x += draw.textlength(text, font=label_font)
            number = NUMBERS[kind](rng)
            draw.text((x, y), number, font=digit_font, fill=ink)
            boxes.append((kind, draw.textbbox((x, y), number, font=digit_font)))
        y += round(size * 2.1)
    return paper, boxes


def _paper(ground: str, size: tuple[int, int], rng: random.Random) -> Image.Image:
    if ground == "screen":
        return Image.new("RGB", size, (248, 248, 248))
    tone = (250, 246, 236) if ground != "card" else (232, 240, 250)
    paper = Image.new("RGB", size, tone)
    noise = Image.effect_noise(size, 12).convert("RGB")
    return Image.blend(paper, noise, 0.06)


GROUND_SIZES = {"screen": (1080, 1920), "photo": (4032, 3024), "card": (1600, 1200)}
SCAN = (1654, 2339)
"""A4 at 200 dpi."""


def picture(scene: Scene, rng: random.Random) -> Image.Image:
    """The scene's picture: its sheet turned by the scene's angle on its ground; the planted
    numbers' boxes recorded in fractions of the picture."""
    paper, boxes = sheet(scene, rng)
    turned = paper.convert("RGBA").rotate(
        scene.angle, resample=Image.Resampling.BICUBIC, expand=True
    )
    size = GROUND_SIZES.get(scene.ground, SCAN)
    size = (max(size[0], turned.width + 40), max(size[1], turned.height + 40))
    ground = _ground(scene.ground, size)
    left = rng.randint(20, size[0] - turned.width - 20)
    top = rng.randint(20, size[1] - turned.height - 20)
    ground.paste(turned, (left, top), turned)
    centre = (paper.width / 2, paper.height / 2)
    moved = (left + turned.width / 2, top + turned.height / 2)
    for kind, box in boxes:
        corners = [_turn(p, centre, moved, scene.angle) for p in _corners(box)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        scene.planted.append(
            Planted(kind, (x0 / size[0], y0 / size[1], (x1 - x0) / size[0], (y1 - y0) / size[1]))
        )
    if scene.ground == "photo":
        ground = ground.filter(ImageFilter.GaussianBlur(0.6))  # a phone's lens, not a scanner
    return ground


def _ground(kind: str, size: tuple[int, int]) -> Image.Image:
    if kind in ("scan", "screen"):
        return Image.new("RGB", size, (255, 255, 255) if kind == "scan" else (20, 20, 20))
    ground = Image.linear_gradient("L").resize(size).convert("RGB")
    desk = Image.new("RGB", size, (120, 92, 70) if kind == "photo" else (90, 110, 130))
    return Image.blend(desk, ground, 0.25)


def _corners(box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = box
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _turn(point, centre, moved, degrees: float) -> tuple[float, float]:
    """Where a point of the sheet lands once the sheet is turned (counter-clockwise, as
    Pillow turns) and placed with its centre at `moved`."""
    a = math.radians(degrees)
    dx, dy = point[0] - centre[0], point[1] - centre[1]
    return (
        moved[0] + dx * math.cos(a) + dy * math.sin(a),
        moved[1] - dx * math.sin(a) + dy * math.cos(a),
    )


def scenes(quick: bool) -> list[Scene]:
    """Every size with every angle; fonts and grounds turn round, so each meets all."""
    fonts = list(FONTS)
    made = []
    for i, (size, angle) in enumerate(itertools.product(SIZES, ANGLES)):
        if quick and i % 3:
            continue
        ink = list(INKS)[(i // 4) % len(INKS)]
        made.append(Scene(GROUNDS[i % 4], fonts[(i // 4 + i) % 4], size, angle, ink))
    return made


ITEM = """+++
id = "{id}"
title = "基准：{title}"
type = "file"
view = "{view}"
files = [{files}]

[source]
method = "seizure"
{hashes}
[[shows]]
fact = "F1"
aspect = "other"
+++
"""
DECK = """format = 1

[case]
title = "号码识别基准"

[[fact]]
id = "F1"
text = "x"
element = "conduct"
"""


def build(root: Path, made: list[Scene]) -> None:
    """The scenes as files of a deck: pictures of an image item, scans pages of one PDF."""
    files, items = root / "files", root / "items"
    files.mkdir(parents=True)
    items.mkdir()
    rng = random.Random(16)
    pictures, scans = [], []
    for n, scene in enumerate(made, 1):
        drawn = picture(scene, rng)
        if scene.ground == "scan":
            scene.file, scene.page = "files/scans.pdf", len(scans) + 1
            scans.append(drawn)
            continue
        suffix = ".png" if scene.ground == "screen" else ".jpg"
        scene.file = f"files/{n:02d}-{scene.ground}{suffix}"
        drawn.save(root / scene.file, quality=75)  # a phone's JPEG
        pictures.append(scene.file)
    if scans:
        scans[0].save(files / "scans.pdf", save_all=True, append_images=scans[1:], resolution=200)
    (root / "deck.toml").write_text(DECK, encoding="utf-8")
    listing = (("E01", "image", pictures), ("E02", "document", ["files/scans.pdf"]))
    for ident, view, names in listing:
        hashes = "".join(
            f'\n[[source.hash]]\nfile = "{name}"\nalgorithm = "sha256"\n'
            f'value = "{hash_file(root / name)["sha256"]}"\n'
            for name in names
        )
        listed = ", ".join(f'"{name}"' for name in names)
        text = ITEM.format(id=ident, title=view, view=view, files=listed, hashes=hashes)
        (items / f"{ident.lower()}.md").write_text(text, encoding="utf-8")


class Clock:
    """Wall and CPU seconds (the child processes') of each file read."""

    def __init__(self) -> None:
        self.started: dict[str, tuple[float, float]] = {}
        self.took: dict[str, tuple[float, float]] = {}

    def __call__(self, name: str, fraction: float) -> None:
        now = (time.perf_counter(), _children_cpu())
        if fraction == 0.0:
            self.started[name] = now
        elif fraction == 1.0 and name in self.started:
            start = self.started[name]
            self.took[name] = (now[0] - start[0], now[1] - start[1])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def covered(box, planted) -> float:
    x0, y0 = max(box[0], planted[0]), max(box[1], planted[1])
    x1 = min(box[0] + box[2], planted[0] + planted[2])
    y1 = min(box[1] + box[3], planted[1] + planted[3])
    area = planted[2] * planted[3]
    return max(0.0, x1 - x0) * max(0.0, y1 - y0) / area if area else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="A third of the scenes.")
    parser.add_argument("--keep", type=Path, help="Write the deck here and keep it.")
    args = parser.parse_args()
    made = scenes(args.quick)
    with tempfile.TemporaryDirectory() as temp:
        root = (args.keep or Path(temp)) / "redaction-bench"
        build(root, made)
        report = load_deck(root)
        assert report.deck is not None, report.problems
        deck = report.deck
        folder = Path(temp, "instance", deck.id)
        clock = Clock()
        detect_deck(folder, deck, clock)
        found = defaultdict(list)
        for exhibit in deck.exhibits:
            for name in exhibit.files:
                kept = reading(folder, deck, exhibit, name)
                for proposal in kept.proposals if kept else ():
                    found[(name, proposal.page)].append(proposal)
    print_results(made, found, clock)


def print_results(made: list[Scene], found, clock: Clock) -> None:
    totals: dict[tuple[str, object], list[int]] = defaultdict(lambda: [0, 0])
    false = 0
    print(f"{'ground':7} {'font':15} {'px':>3} {'°':>4} {'ink':5}  found  false  seconds (CPU)")
    for scene in made:
        proposals = found[(scene.file, scene.page)]
        hits = [any(covered(p.box, t.box) >= COVERED for p in proposals) for t in scene.planted]
        wrong = sum(
            1 for p in proposals if not any(covered(p.box, t.box) > 0 for t in scene.planted)
        )
        false += wrong
        wall, cpu = per_page(scene, made, clock)
        print(
            f"{scene.ground:7} {scene.font:15} {scene.size:3} {scene.angle:4} {scene.ink:5}"
            f"  {sum(hits)}/{len(hits)}  {wrong:5}  {wall:5.1f} ({cpu:.1f})"
        )
        for planted, hit in zip(scene.planted, hits, strict=True):
            groups = {"kind": planted.kind, "px": scene.size, "angle": scene.angle}
            groups |= {"font": scene.font, "ground": scene.ground, "ink": scene.ink, "all": ""}
            for key in groups.items():
                totals[key][0] += hit
                totals[key][1] += 1
    print()
    for (group, value), (hit, planted) in sorted(totals.items(), key=lambda kv: str(kv[0])):
        print(f"recall {group:6} {value!s:15} {hit:4}/{planted:<4} {hit / planted:7.1%}")
    print(f"false proposals {false} on {len(made)} pages")
    for ground in GROUNDS:
        times = [per_page(scene, made, clock) for scene in made if scene.ground == ground]
        if times:
            wall, cpu = statistics.mean(t[0] for t in times), statistics.mean(t[1] for t in times)
            size = GROUND_SIZES.get(ground, SCAN)
            label = "a PDF page" if ground == "scan" else f"a {ground}"
            print(f"{label:11} {size[0]}×{size[1]}: {wall:5.1f} s wall, {cpu:5.1f} s CPU")


def per_page(scene: Scene, made: list[Scene], clock: Clock) -> tuple[float, float]:
    """Seconds (wall, CPU) of the scene's page: a PDF's pages share its file's time."""
    wall, cpu = clock.took.get(scene.file, (math.nan, math.nan))
    shared = sum(1 for s in made if s.file == scene.file)
    return wall / shared, cpu / shared


if __name__ == "__main__":
    main()
