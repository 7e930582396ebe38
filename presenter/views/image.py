"""Images for court: display derivatives and callout crops made from the full-resolution
original with Pillow, and what the file says about itself (EXIF)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PIL import ExifTags, Image, ImageOps

from ..deck import Deck, Exhibit
from .files import FileUrl

Image.MAX_IMAGE_PIXELS = 400_000_000
"""Evidence photos and scans can be huge; they are our own files, not uploads."""
LONG_SIDE = 2560
"""Pixels on the long side of what a screen is sent: a 4K screen's width, no more."""
THUMB = 480
"""Pixels on the long side of a thumbnail (a chat's attachment)."""

EXIF_TAGS = ("Make", "Model", "Software", "DateTime", "DateTimeOriginal", "Artist")


def _open_for(path: Path, box: tuple[int, int] | None) -> Image.Image:
    image = Image.open(path)
    if box is not None and image.format == "JPEG":
        image.draft("RGB", box)  # decode a JPEG at a reduced scale: far less work and memory
    return image


def derivative(
    path: Path, target: Path, region: tuple[float, ...] | None = None, side: int = LONG_SIDE
) -> None:
    """Write to `target` the image, or the `region` [x, y, w, h] of it, at most `side`
    pixels on its long side, cropped from the original (a JPEG is decoded only as finely as
    the result needs)."""
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
        part.thumbnail((side, side), Image.Resampling.LANCZOS)
        if part.mode not in ("RGB", "RGBA", "L"):
            part = part.convert("RGBA" if "A" in part.getbands() else "RGB")
        if kind == "JPEG" and part.mode != "RGBA":
            save_atomically(part, target, format="JPEG", quality=90)
        else:
            save_atomically(part, target, format="PNG")


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
    """A derivative for the screen; callouts are cut from the original by `?region=`."""
    from flask import url_for

    url = url_for("files.image", item=exhibit.id, name=exhibit.files[0])
    return {"src": url, "crop": url + "?region="}
