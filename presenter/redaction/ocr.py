"""Text recognised in a picture or a PDF page (RapidOCR: PP-OCR's Chinese models on
onnxruntime, shipped inside its wheel; nothing is fetched), and the personal numbers in it
as boxes of the picture. Runs in the child process (presenter.redaction.child), never in the
server: it loads onnxruntime and the models (about a second), and takes up to 1 GB reading
a large photo.

A picture is read whole at most WHOLE pixels on its long side; where a larger one shows
small print, the overlapping tiles around it are read again at its own resolution, so that
small print in a large photo is not lost (detection finds a line of print far smaller than
recognition can read).
"""

from __future__ import annotations

import functools
import math
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from ..originals.pictures import MAX_PIXELS
from .numbers import Found, find_numbers

WHOLE = 2560
"""Pixels on the long side of the whole-picture pass."""
TILE = 1600
OVERLAP = 448
"""Tiles of a larger picture, and how much neighbours share: more than a number in small
print is long, so each such number lies whole in one tile."""
TILED_ABOVE = 1.25 * WHOLE
"""A picture longer than this is read in tiles too."""
READ_PIXELS = 24_000_000
"""A picture is read at most this large (a 48-megapixel photo at half its pixels)."""
PDF_DPI = 200
"""A PDF page is drawn at this resolution: 10-point print is 28 pixels high."""
MIN_SCORE = 0.3
"""Lines the recogniser is less sure of are still searched: a number read with doubt is
still a number to hide (RapidOCR's own default, 0.5, drops them)."""
LONG_ENOUGH = 3.0
"""A line shorter than this many times its height cannot hold eleven digits: not read."""
SMALL_PRINT = 24
"""A block of text less high than this (pixels, detection's box) in the whole-picture pass
may be misread there: the tiles around it are read at the picture's own resolution."""
PAD_ALONG = 0.7
"""Padding of a number's box along its line, in widths of a digit, each side."""
PAD_ACROSS = 0.12
"""Padding across its line, in line heights, each side."""

NO_TELEMETRY = "ORT_DISABLE_TELEMETRY"
"""Set to 1 before onnxruntime loads: it then keeps and sends no usage events."""

Point = tuple[float, float]
Box = tuple[float, float, float, float]
"""x, y, w, h in fractions of the picture."""
Progress = Callable[[float], None]


@dataclass(frozen=True)
class Line:
    """A line of text: its corners in the picture's pixels, in reading order (start top,
    end top, end bottom, start bottom), and what it says."""

    corners: tuple[Point, Point, Point, Point]
    text: str


@dataclass(frozen=True)
class Hit:
    """A personal number seen in a picture: its kind, box and masked digits."""

    kind: str
    box: Box
    masked: str


@functools.cache
def engine() -> Any:
    """The recogniser, loaded once per process (its models come with the package), on half
    the machine's cores: the server and its renders keep the rest."""
    # onnxruntime (1.32) collects usage events and sends them to Microsoft unless told not to
    # before it loads: evidence is read offline, and nothing about it leaves the machine
    os.environ[NO_TELEMETRY] = "1"
    from rapidocr_onnxruntime import RapidOCR

    threads = max(1, (os.cpu_count() or 1) // 2)
    return RapidOCR(text_score=MIN_SCORE, intra_op_num_threads=threads, inter_op_num_threads=1)


def upright(path: Path) -> Image.Image:
    """The picture as screens show it: turned as its EXIF says, an SVG drawn (as
    presenter.views.image draws it), in RGB on white, at most READ_PIXELS."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(path)
    except UnidentifiedImageError:
        return _drawn(path)
    with image:
        scale = min(1.0, math.sqrt(READ_PIXELS / (image.width * image.height)))
        if image.format == "JPEG":
            image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
        picture = ImageOps.exif_transpose(image)
    picture = _on_white(picture)
    scale = min(1.0, math.sqrt(READ_PIXELS / (picture.width * picture.height)))
    if scale < 1.0:
        size = (round(picture.width * scale), round(picture.height * scale))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    return picture


def _drawn(path: Path) -> Image.Image:
    """An SVG drawn as a screen is sent it; anything else Pillow cannot open is refused."""
    from ..views.image import derivative, is_svg

    if not is_svg(path):
        raise UnidentifiedImageError(f"not a picture: {path.name}")
    with tempfile.TemporaryDirectory() as folder:
        drawn = Path(folder, "drawn.png")
        derivative(path, drawn, None, WHOLE)
        with Image.open(drawn) as image:
            return _on_white(image)


def _on_white(picture: Image.Image) -> Image.Image:
    """RGB, what is transparent white (black print on a transparent screenshot stays read)."""
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        picture = picture.convert("RGBA")
        ground = Image.new("RGBA", picture.size, (255, 255, 255, 255))
        return Image.alpha_composite(ground, picture).convert("RGB")
    return picture.convert("RGB")


def pdf_pages(path: Path, first: int, last: int) -> Iterator[tuple[int, Image.Image]]:
    """Pages `first`..`last` (1-based, within the document) drawn at PDF_DPI as shown
    (/Rotate applied), none larger than READ_PIXELS."""
    import pypdfium2

    from ..deck.pdf import LOCK

    with LOCK, pypdfium2.PdfDocument(path) as document:
        for number in range(first, min(last, len(document)) + 1):
            page = document[number - 1]
            try:
                width, height = page.get_size()
                scale = PDF_DPI / 72
                scale = min(scale, math.sqrt(READ_PIXELS / max(1.0, width * height)))
                picture = page.render(scale=scale).to_pil().convert("RGB")
            finally:
                page.close()
            yield number, picture


def hits(picture: Image.Image, progress: Progress | None = None) -> list[Hit]:
    """The personal numbers in the picture, each once, boxed in fractions of it."""
    size = picture.size
    found: list[Hit] = []
    for line in read_lines(picture, progress):
        for number in find_numbers(line.text):
            found.append(Hit(number.kind, number_box(line, number, size), number.masked))
    return _merged(found)


def read_lines(picture: Image.Image, progress: Progress | None = None) -> list[Line]:
    """Every line of text long enough to hold a number: from the whole picture, and when it
    is large, from the tiles that hold small print at its own resolution."""
    scale = min(1.0, WHOLE / max(picture.size))
    lines, boxes = _read_part(picture, None, scale)
    tiles = []
    if max(picture.size) > TILED_ABOVE:
        small = [_bounds(box) for box, height in boxes if height * scale < SMALL_PRINT]
        tiles = [tile for tile in _tiles(picture.size) if any(_meets(tile, b) for b in small)]
    for done, tile in enumerate(tiles, 1):
        if progress is not None:
            progress(done / (len(tiles) + 1))
        lines += _read_part(picture, tile, 1.0)[0]
    if progress is not None:
        progress(1.0)
    return lines


def _read_part(
    picture: Image.Image, tile: tuple[int, int, int, int] | None, scale: float
) -> tuple[list[Line], list[tuple[list[Point], float]]]:
    """The lines of the tile (or the whole picture) read at `scale`; and every block of text
    detected there, long enough or not, with its height, both in the picture's pixels."""
    import numpy as np

    part = picture.crop(tile) if tile is not None else picture
    if scale < 1.0:
        size = (round(part.width * scale), round(part.height * scale))
        part = part.resize(size, Image.Resampling.LANCZOS)
    left, top = tile[:2] if tile is not None else (0, 0)

    def placed(corners: list[Point]) -> list[Point]:
        return [(left + x / scale, top + y / scale) for x, y in corners]

    bgr = np.ascontiguousarray(np.asarray(part)[:, :, ::-1])
    found, boxes = _recognised(bgr)
    lines = [Line(tuple(placed(corners)), text) for corners, text in found]  # type: ignore[arg-type]
    return lines, [(placed(box), height / scale) for box, height in boxes]


def _bounds(corners: list[Point]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _meets(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two rectangles (left, top, right, bottom) share any part."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _tiles(size: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """Overlapping tiles (left, top, right, bottom) covering a picture of `size`."""
    width, height = size
    return [
        (x, y, min(x + TILE, width), min(y + TILE, height))
        for y in _starts(height)
        for x in _starts(width)
    ]


def _starts(length: int) -> list[int]:
    if length <= TILE:
        return [0]
    count = math.ceil((length - TILE) / (TILE - OVERLAP)) + 1
    step = (length - TILE) / (count - 1)
    return [round(i * step) for i in range(count)]


def _recognised(bgr: Any) -> tuple[list[tuple[list[Point], str]], list[tuple[list[Point], float]]]:
    """RapidOCR's steps (detect, turn, recognise) on a BGR array, lines too short to hold a
    number left unread: each line read with its corners in reading order; and every block
    detected, with its height."""
    ocr = engine()
    boxes, _ = ocr.text_det(bgr)
    if boxes is None or len(boxes) == 0:
        return [], []
    boxes = ocr.sorted_boxes(boxes)
    blocks = [([tuple(map(float, p)) for p in box], _sides(box)[1]) for box in boxes]
    boxes = [box for box in boxes if _sides(box)[0] >= LONG_ENOUGH * _sides(box)[1]]
    if not boxes:
        return [], blocks  # type: ignore[return-value]
    crops = ocr.get_crop_img_list(bgr, boxes)
    crops, turns, _ = ocr.text_cls(crops)
    texts, _ = ocr.text_rec(crops, False)
    lines = []
    for box, (label, _score), (text, score) in zip(boxes, turns, texts, strict=True):
        if score >= MIN_SCORE and text.strip():
            lines.append((_reading_order(box.tolist(), label == "180"), text))
    return lines, blocks  # type: ignore[return-value]


def _sides(box: Any) -> tuple[float, float]:
    """A detected box's length and height (its longer and shorter side)."""
    one, other = _distance(box[0], box[1]), _distance(box[0], box[3])
    return max(one, other), max(1.0, min(one, other))


def _distance(a: Any, b: Any) -> float:
    return math.hypot(float(a[0]) - float(b[0]), float(a[1]) - float(b[1]))


def _reading_order(box: list[list[float]], turned: bool) -> list[Point]:
    """The corners (clockwise from top left, as detected) in reading order: a tall box is
    read top to bottom (RapidOCR turns its crop a quarter left), a box read turned half
    round from its far end."""
    p0, p1, p2, p3 = (tuple(map(float, p)) for p in box)
    wide = _distance(p0, p1) * 1.5 > _distance(p0, p3)
    start_top, end_top, end_bottom, start_bottom = (p0, p1, p2, p3) if wide else (p1, p2, p3, p0)
    if turned:
        start_top, end_top, end_bottom, start_bottom = end_bottom, start_bottom, start_top, end_top
    return [start_top, end_top, end_bottom, start_bottom]  # type: ignore[list-item]


def _width(char: str) -> float:
    """A character's advance in digit widths: a CJK character about two, a space less
    than one."""
    if char.isspace():
        return 0.6
    return 1.9 if unicodedata.east_asian_width(char) in ("W", "F") else 1.0


def number_box(line: Line, number: Found, size: tuple[int, int]) -> Box:
    """The part of the line that holds the number, estimated by its characters' widths
    along the line, padded, as the rectangle around it in fractions of the picture."""
    widths = [_width(c) for c in line.text]
    total = sum(widths)
    start = (sum(widths[: number.start]) - PAD_ALONG) / total
    end = (sum(widths[: number.end]) + PAD_ALONG) / total
    start, end = max(0.0, start), min(1.0, end)
    a, b, c, d = line.corners
    top = (_along(a, b, start), _along(a, b, end))
    bottom = (_along(d, c, start), _along(d, c, end))
    corners = [*_away(top, bottom), *_away(bottom, top)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    width, height = size
    x0, y0 = max(0.0, min(xs) / width), max(0.0, min(ys) / height)
    x1, y1 = min(1.0, max(xs) / width), min(1.0, max(ys) / height)
    return (x0, y0, x1 - x0, y1 - y0)


def _along(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _away(edge: tuple[Point, Point], other: tuple[Point, Point]) -> list[Point]:
    """The edge's two points moved PAD_ACROSS line heights away from the other edge."""
    return [
        (p[0] + (p[0] - q[0]) * PAD_ACROSS, p[1] + (p[1] - q[1]) * PAD_ACROSS)
        for p, q in zip(edge, other, strict=True)
    ]


def _merged(found: list[Hit]) -> list[Hit]:
    """One hit for the same number read twice (the whole picture and a tile, two tiles):
    the same kind over the same place, boxed by both boxes together."""
    merged: list[Hit] = []
    for hit in found:
        for i, kept in enumerate(merged):
            if kept.kind == hit.kind and _overlap(kept.box, hit.box) >= 0.5:
                merged[i] = Hit(kept.kind, _union(kept.box, hit.box), kept.masked)
                break
        else:
            merged.append(hit)
    return merged


def _overlap(a: Box, b: Box) -> float:
    """The shared area over the smaller box's area."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    smaller = min(a[2] * a[3], b[2] * b[3])
    return max(0.0, w) * max(0.0, h) / smaller if smaller > 0 else 0.0


def _union(a: Box, b: Box) -> Box:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)
