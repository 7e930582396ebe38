"""Photos the screens' browsers cannot draw (HEIC from an iPhone, AVIF): a JPEG copy, turned
upright as the photo's orientation says, without its metadata (a photo carries where it was
taken; what it says of itself is read from the original for the Source panel)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps

from . import DeriveError, Made, Progress, Request

QUALITY = 92
MAX_PIXELS = 200_000_000
"""A 100-megapixel phone photo is fine; a decompression bomb is not."""


def picture_copy(original: Path, target: Path, request: Request, progress: Progress) -> Made:
    import pillow_heif

    pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(original) as picture:
            upright = ImageOps.exif_transpose(picture).convert("RGB")
            upright.info = {}  # no comment, ICC or XMP of the original's in the copy
    except Image.DecompressionBombError:
        raise DeriveError("图片像素过多，无法转换", "the picture has too many pixels") from None
    progress(0.7)
    upright.save(target, "JPEG", quality=QUALITY, optimize=True)
    progress(1.0)
    return Made(
        tool=f"Pillow {Image.__version__}; pillow-heif {pillow_heif.__version__}",
        parameters={"format": "JPEG", "quality": QUALITY, "orientation": "applied"},
    )
