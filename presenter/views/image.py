"""Images for court: display derivatives and callout crops made from the full-resolution
original with Pillow (an SVG drawn to PNG by resvg, nothing outside it loaded), and what the
file says about itself (EXIF). Derivatives are made in a worker process: presenter.rendering."""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

from PIL import ExifTags, Image, ImageOps

from ..deck import Deck, Exhibit
from .files import FileUrl, file_ref

Image.MAX_IMAGE_PIXELS = 400_000_000
"""Evidence photos and scans can be huge; they are our own files, not uploads."""
LONG_SIDE = 2560
"""Pixels on the long side of what a screen is sent: a 4K screen's width, no more."""
THUMB = 480
"""Pixels on the long side of a thumbnail (a chat's attachment)."""
SVG_SIDE = 6000
"""Pixels on the long side of an SVG drawn for a callout at most (36 megapixels)."""
SVG_BYTES = 20 << 20
"""An SVG larger than this is not a picture for court."""

EXIF_TAGS = ("Make", "Model", "Software", "DateTime", "DateTimeOriginal", "Artist")


def _open_for(path: Path, box: tuple[int, int] | None) -> Image.Image:
    image = Image.open(path)
    if box is not None and image.format == "JPEG":
        image.draft("RGB", box)  # decode a JPEG at a reduced scale: far less work and memory
    return image


def derivative(
    path: Path,
    target: Path,
    region: tuple[float, ...] | None = None,
    side: int = LONG_SIDE,
    boxes: tuple[tuple[float, float, float, float], ...] = (),
) -> None:
    """Write to `target` the image, or the `region` [x, y, w, h] of it, at most `side`
    pixels on its long side, cropped from the original (a JPEG is decoded only as finely as
    the result needs; an SVG is drawn as finely as the region needs); `boxes` (fractions of
    the upright picture) filled black before it is scaled (presenter.redaction.apply)."""
    from ..redaction.apply import fill

    if is_svg(path):
        _svg_derivative(path, target, region, side, boxes)
        return
    with Image.open(path) as probe:
        width, height = probe.size
        kind = probe.format
    if region is None:
        x, y, w, h = 0.0, 0.0, 1.0, 1.0
    else:
        x, y, w, h = region
    crop_w, crop_h = max(1, round(w * width)), max(1, round(h * height))
    scale = min(1.0, side / max(crop_w, crop_h))
    need = (max(1, round(width * scale)), max(1, round(height * scale)))
    with _open_for(path, need) as image:
        # regions are fractions of the upright image; turned in place: no second copy of a
        # 100-megapixel picture in memory
        ImageOps.exif_transpose(image, in_place=True)
        full_w, full_h = image.size
        box = (round(x * full_w), round(y * full_h),
               round((x + w) * full_w), round((y + h) * full_h))  # fmt: skip
        part = image.crop(box) if region is not None else image
        # the boxes' pixels are gone before scaling blends them into their neighbours; the
        # frame is the crop's own, in whole pixels
        frame = (box[0] / full_w, box[1] / full_h,
                 max(1, box[2] - box[0]) / full_w, max(1, box[3] - box[1]) / full_h)  # fmt: skip
        part = fill(part, boxes, frame)
        part.thumbnail((side, side), Image.Resampling.LANCZOS)
        if part.mode not in ("RGB", "RGBA", "L"):
            part = part.convert("RGBA" if "A" in part.getbands() else "RGB")
        # drawn again without what the file says of itself (comment, XMP, EXIF): a public
        # screen gets the picture, and its metadata may name people and numbers
        part.info = {k: v for k, v in part.info.items() if k in ("icc_profile", "dpi")}
        if kind == "JPEG" and part.mode != "RGBA":
            save_atomically(part, target, format="JPEG", quality=90)
        else:
            save_atomically(part, target, format="PNG")


def is_svg(path: Path) -> bool:
    """Whether the file is an SVG drawing: by its name, or by its first bytes."""
    if path.suffix.lower() == ".svg":
        return True
    with open(path, "rb") as stream:
        head = stream.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def _svg_derivative(
    path: Path,
    target: Path,
    region: tuple[float, ...] | None,
    side: int,
    boxes: tuple[tuple[float, float, float, float], ...],
) -> None:
    """The SVG drawn to PNG with resvg: fitted in a square as large as the region needs, then
    cropped; no script runs (resvg has none) and nothing outside the file is fetched."""
    import resvg_py

    from ..redaction.apply import fill

    x, y, w, h = region if region is not None else (0.0, 0.0, 1.0, 1.0)
    box = min(SVG_SIDE, round(side / max(w, h)))
    png = resvg_py.svg_to_bytes(svg_string=self_contained_svg(path), width=box, height=box)
    with Image.open(io.BytesIO(png)) as drawn:
        drawn.load()
        drawn = fill(drawn, boxes)
        full_w, full_h = drawn.size
        part = drawn.crop((round(x * full_w), round(y * full_h),
                           round((x + w) * full_w), round((y + h) * full_h)))  # fmt: skip
    part.thumbnail((side, side), Image.Resampling.LANCZOS)
    save_atomically(part, target, format="PNG")


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
EMBEDDED = ("#", "data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
"""References an SVG may keep: its own elements and pictures inside it (not another SVG,
which could refer onwards)."""
OUTSIDE_URL = re.compile(r"url\(\s*(?!['\"]?#)[^)]*\)", re.IGNORECASE)
IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)


def self_contained_svg(path: Path) -> str:
    """The SVG's markup with everything that could reach outside it removed: scripts,
    foreign objects, links to other files or addresses, CSS imports and outside url()s.
    Raises ValueError for a file too large and SyntaxError (ParseError) for one that is not
    XML; entities from outside are never loaded (expat resolves none)."""
    import xml.etree.ElementTree as ET

    if os.stat(path).st_size > SVG_BYTES:
        raise ValueError(f"larger than {SVG_BYTES >> 20} MB")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(Path(path).read_bytes())
    for parent in root.iter():
        for child in list(parent):
            if not isinstance(child.tag, str) or _local(child.tag) in ("script", "foreignObject"):
                parent.remove(child)
        for name, value in list(parent.attrib.items()):
            local = _local(name).lower()
            if local.startswith("on") or (
                local in ("href", "src") and not value.strip().startswith(EMBEDDED)
            ):
                del parent.attrib[name]
            else:
                parent.attrib[name] = _inside(value)
        if _local(parent.tag) == "style" and parent.text:
            parent.text = _inside(parent.text)
    return ET.tostring(root, encoding="unicode")


def _inside(css: str) -> str:
    """CSS without imports, and with `none` for any url() not of the SVG's own elements."""
    return OUTSIDE_URL.sub("none", IMPORT.sub("", css))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def save_atomically(image: Image.Image, target: Path, **options) -> None:
    """Write beside the target under a unique name, then rename: two requests making the
    same derivative at once each finish with a whole file in place."""
    fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        image.save(temp, **options)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def exif(path: Path) -> dict[str, str]:
    """The EXIF fields a court asks about (camera, software, times, GPS), as text."""
    try:
        with Image.open(path) as image:
            data = image.getexif()
            facts = {"size": f"{image.size[0]} × {image.size[1]}", "format": image.format or ""}
    except OSError:
        return {}
    names = {ExifTags.TAGS.get(k, str(k)): v for k, v in data.items()}
    names.update({ExifTags.TAGS.get(k, str(k)): v for k, v in data.get_ifd(0x8769).items()})
    for tag in EXIF_TAGS:
        if tag in names:
            facts[tag] = str(names[tag]).strip("\x00 ")
    gps = data.get_ifd(0x8825)
    if 2 in gps and 4 in gps:
        facts["GPS"] = f"{_degrees(gps[2], gps.get(1))}, {_degrees(gps[4], gps.get(3))}"
    return facts


def _degrees(value, ref) -> str:
    try:
        d, m, s = (float(v) for v in value)
    except (TypeError, ValueError):
        return str(value)
    sign = -1 if ref in ("S", "W") else 1
    return f"{sign * (d + m / 60 + s / 3600):.6f}"


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    """A derivative of the picture shown (of a gallery: the one asked for); callouts are cut
    from the original by `?region=`; thumbnails of the gallery's pictures for its strip."""
    from flask import url_for

    from .several import STRIP, chosen

    files = chosen(exhibit)
    name = files.name or exhibit.files[0]
    url = url_for("files.image", item=exhibit.id, name=file_ref(name))
    thumbs = [
        url_for("files.image", item=exhibit.id, name=file_ref(f), thumb=1) for f in files.files
    ]
    return {"src": url, "crop": url + "?region=", "files": files, "thumbs": thumbs, "strip": STRIP}
