"""Demonstratives made in court (演示材料): the view on the screens with the presenter's
annotations on it, saved as a PNG in the instance folder, hashed and recorded (Art. 49).

The picture under the marks is the exhibit's own, drawn on the server from its display copy
(a picture, a document's page, a paused video's frame, a chat's picture shown large), at
the callout's region when one is shown. A view with no picture of its own (a chat, a table,
a chart, code) is laid out by the browser alone: the presenter's page sends the miniature as
it drew it (the screen, scaled, with its marks), which is decoded and drawn again here; without
one, its marks are saved on a white page headed with what was on screen. The
drawing runs in a worker process (presenter.rendering): an exhibit that cannot be drawn
fails there, never in the server.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont, ImageOps

SIDE = 2560
"""Pixels on the long side of a demonstrative: a 4K screen's width."""
PAGE = 1600
"""Pixels across a document page drawn for a demonstrative (as the screens get it)."""
BLANK = (1920, 1080)
"""A view without a picture of its own: its marks on a page of this size."""
CAPTURE_SIDE = 8000
"""Pixels on the long side of a capture of the miniature at most."""
CAPTURE_BYTES = 4 << 20
"""Bytes of a capture at most."""
FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@dataclass(frozen=True)
class Under:
    """What the marks are drawn on: a picture file, a document page, a video frame, or
    nothing (a white page headed by `caption`)."""

    kind: str
    """picture, page, frame, capture (the presenter's miniature as drawn, its marks on it)
    or none."""
    path: Path | None = None
    page: int = 1
    position: float = 0.0
    region: tuple[float, ...] | None = None
    caption: str = ""


def draw(under: Under, shapes: list[dict[str, Any]], target: Path) -> None:
    """The demonstrative at `target` (PNG): the picture under, the shapes on it in its own
    coordinates, then cut to the callout's region. Runs in a worker."""
    from .rendering import Unreadable
    from .views.image import save_atomically

    try:
        picture = _picture(under)
    except (OSError, ValueError, SyntaxError, subprocess.SubprocessError) as error:
        raise Unreadable(f"{type(error).__name__}: {error}") from error
    if under.kind != "capture":
        picture = _marked(picture.convert("RGB"), shapes)
    if under.region is not None:
        x, y, w, h = under.region
        width, height = picture.size
        picture = picture.crop(
            (round(x * width), round(y * height), round((x + w) * width), round((y + h) * height))
        )
    save_atomically(picture, target, format="PNG")


def _picture(under: Under) -> Image.Image:
    if under.kind == "capture" and under.path is not None:
        with Image.open(under.path) as image:
            if image.format != "PNG" or max(image.size) > CAPTURE_SIDE:
                raise ValueError("not a capture of the miniature")
            image.load()
            return image.convert("RGB")  # drawn again: nothing of the upload's but pixels
    if under.kind == "picture" and under.path is not None:
        with Image.open(under.path) as image:
            image.draft("RGB", (SIDE, SIDE))
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
            return upright.convert("RGB")
    if under.kind == "page" and under.path is not None:
        from .deck.pdf import render_page

        return render_page(under.path, under.page, PAGE, None)
    if under.kind == "frame" and under.path is not None:
        return _frame(under.path, under.position)
    page = Image.new("RGB", BLANK, "white")
    ImageDraw.Draw(page).text((40, 30), under.caption, fill="#13294b", font=_font(40))
    return page


def _frame(path: Path, position: float) -> Image.Image:
    """The video's frame at `position` seconds, through the ffmpeg imageio-ffmpeg bundles."""
    import io

    import imageio_ffmpeg

    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-ss", f"{max(0.0, position):.3f}",
        "-i", str(path), "-frames:v", "1", "-f", "image2pipe", "-vcodec", "png", "-",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, timeout=60, check=True)
    if not done.stdout:
        raise ValueError("no frame at this position")
    with Image.open(io.BytesIO(done.stdout)) as frame:
        frame.load()
        return frame.copy()


SIMPLIFIED = 2
"""The face of a Noto CJK collection with the mainland's glyphs (face 0 is Japanese)."""


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in FONTS:
        if Path(name).exists():
            index = SIMPLIFIED if "NotoSansCJK" in name else 0
            return ImageFont.truetype(name, size, index=index)
    return ImageFont.load_default(size)


def _marked(picture: Image.Image, shapes: list[dict[str, Any]]) -> Image.Image:
    """The shapes drawn as the screens draw them (static/js/annotations.js): strokes a
    fraction of the picture's larger side, highlights translucent, labels on a white halo."""
    width, height = picture.size
    side = max(width, height)
    layer = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    for shape in shapes:
        points = [(x * width, y * height) for x, y in shape["points"]]
        color = _rgb(shape.get("color", "#e02020"))
        kind = shape["kind"]
        stroke = max(2, round(side * 0.004))
        if kind == "highlight":
            pen.line(points, fill=(*color, 90), width=max(6, round(side * 0.025)), joint="curve")
        elif kind == "pen":
            pen.line(points, fill=(*color, 255), width=stroke, joint="curve")
        elif kind in ("rect", "ellipse"):
            (x0, y0), (x1, y1) = points
            box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            (pen.rectangle if kind == "rect" else pen.ellipse)(
                box, outline=(*color, 255), width=stroke
            )
        elif kind == "arrow":
            _arrow(pen, points[0], points[1], (*color, 255), stroke)
        elif kind == "text":
            font = _font(max(16, round(height * 28 / 1080 * 1.2)))
            pen.text(
                points[0], shape.get("text", ""), fill=(*color, 255), font=font,
                stroke_width=max(2, stroke // 2), stroke_fill=(255, 255, 255, 255),
            )  # fmt: skip
    return Image.alpha_composite(picture.convert("RGBA"), layer).convert("RGB")


def _arrow(pen: ImageDraw.ImageDraw, tail, head, color, stroke: int) -> None:
    pen.line([tail, head], fill=color, width=stroke)
    angle = math.atan2(head[1] - tail[1], head[0] - tail[0])
    size = stroke * 5
    wings = [
        (head[0] - size * math.cos(angle - s), head[1] - size * math.sin(angle - s))
        for s in (0.45, -0.45)
    ]
    pen.polygon([head, *wings], fill=color)


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except (ValueError, IndexError):
        return (224, 32, 32)


def file_name(item: str, now: dt.datetime) -> str:
    """A demonstrative's file name: when it was made and of which exhibit."""
    return f"{now.strftime('%Y%m%dT%H%M%S%f')}-{item}.png"
