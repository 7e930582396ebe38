"""What a file is, from its content: its type, the view that shows it, and what a picture's
EXIF says of itself (capture time, camera, GPS)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import filetype
from PIL import ExifTags, Image, UnidentifiedImageError

from ..deck.checks import fits_view
from .writer import ORIGIN_EXIF, moment

SNIFF_BYTES = 64 << 10


SILK = "audio/x-silk"
"""A WeChat or QQ voice message (SILK), whatever its name says."""
SPREADSHEET_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)


def mime_of(head: bytes) -> str:
    if head.lstrip(b"\x02").startswith(b"#!SILK"):
        return SILK
    kind = filetype.guess(head)
    if kind:
        return kind.mime
    return "text/plain" if is_text(head) else "application/octet-stream"


def is_text(head: bytes) -> bool:
    """Text in UTF-8, or in another encoding offices receive (GBK, UTF-16): the app reads
    it through a UTF-8 display copy."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:
            return True  # a character cut at the end of the sample
        import charset_normalizer

        return charset_normalizer.from_bytes(head).best() is not None
    return True


def view_of(mime: str, name: str) -> str | None:
    """The view that shows this content, when the file's name is one that view takes."""
    kind = mime.split("/")[0]
    lower = name.lower()
    if mime == "application/pdf":
        view = "document"
    elif mime == SILK:
        view = "audio"
    elif kind in ("image", "video", "audio"):
        view = kind
    elif mime in SPREADSHEET_TYPES or (
        mime == "application/zip" and lower.endswith((".xlsx", ".xlsm", ".ods"))
    ):
        view = "table"
    elif mime == "text/plain":
        view = "table" if lower.endswith((".csv", ".tsv")) else "code"
    else:
        return None
    return view if fits_view(view, name) or mime == SILK else None


def exif_record(path: Path, tz: dt.tzinfo) -> dict[str, Any]:
    """A picture's own EXIF: when taken, the camera, where: FileRecord keys (or nothing)."""
    try:
        with Image.open(path) as image:
            exif = image.getexif()
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return {}
    detail = exif.get_ifd(ExifTags.IFD.Exif)
    record: dict[str, Any] = {}
    taken = _exif_time(
        _clean(detail.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)),
        _clean(detail.get(ExifTags.Base.OffsetTimeOriginal)),
        tz,
    )
    if taken is not None:
        record["taken"] = taken
    for key, tag in (("make", ExifTags.Base.Make), ("model", ExifTags.Base.Model)):
        if value := _clean(exif.get(tag)):
            record[key] = value
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    longitude = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    if latitude is not None and longitude is not None:
        record["latitude"], record["longitude"] = latitude, longitude
    if record:
        record["origin"] = ORIGIN_EXIF
    return record


def _clean(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return value.replace("\0", "").strip() if isinstance(value, str) else ""


def _exif_time(taken: str, offset: str, tz: dt.tzinfo) -> dt.datetime | None:
    """EXIF's "2024:03:05 14:30:00" (and "+08:00"); without an offset, in the deck's zone."""
    try:
        value = dt.datetime.strptime(taken, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if offset:
        try:
            value = dt.datetime.fromisoformat(value.isoformat() + offset)
        except ValueError:
            pass
    return moment(value, tz)


def _degrees(value: object, reference: object) -> float | None:
    """EXIF's (degrees, minutes, seconds) and N/S/E/W as signed decimal degrees."""
    try:
        d, m, s = (float(part) for part in value)  # type: ignore[union-attr]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if not (0 <= degrees <= 180):
        return None
    sign = -1 if _clean(reference).upper() in ("S", "W") else 1
    return round(sign * degrees, 7)
