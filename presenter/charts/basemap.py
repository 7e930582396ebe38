"""Base maps (底图) a trajectory is drawn on, with no network: a georeferenced picture or a
raster tile archive (.mbtiles, .pmtiles) the technician made, composed here into ONE picture
of the trajectory's whole frame, in Web Mercator, sent inside the figure as a `data:` URI.

Every screen, the presenter's miniature and the pre-trial bundle (opened from file://) then
show the same picture, and nothing is fetched as the chart is drawn. A base map is not
evidence but a demonstrative aid: the item lists it among its files, so it is hashed,
verified and bundled like them, and it is read here as hostile as any file (a picture too
large to decode, an archive of millions of tiles, a frame of thousands of tiles, a truncated
database: each a MapError in words, never a crash).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gzip
import html
import io
import json
import math
import os
import sqlite3
import time
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ..masking import AppUrl

EARTH = 6378137.0
"""The sphere of Web Mercator (EPSG:3857), in metres."""
LATITUDE_LIMIT = 85.05112878
"""Web Mercator's edge: the latitude where the square world map ends."""
PICTURES = (".png", ".jpg", ".jpeg", ".webp")
ARCHIVES = (".mbtiles", ".pmtiles")
RASTER = ("png", "jpg", "jpeg", "webp")
"""The tile formats drawn; vector tiles (pbf, mvt) would need a style and a renderer."""

WIDTH = 2400
"""The composed picture's width in px: the map's part of a court picture is at most ~1700 px
wide at the 1080-px reference, so a 4K screen still gets more than one px per px of it."""
WIDEST = 2600
"""A tile archive is read at the finest zoom whose tiles cover the frame in at most this many
px across (then resized to WIDTH)."""
MOST_TILES = 1_000_000
"""Tiles an archive may hold: a city at every zoom holds tens of thousands; more is a
country's or the world's archive, to be cut to the case's area first."""
FRAME_TILES = 400
"""Tiles one frame may need: a frame at the archive's coarsest zoom needing more is refused
(the archive lacks the coarser zooms for a trajectory this large)."""
TILE_PX = 1024
"""The largest tile side read (tiles are 256 or 512 px)."""
TILE_BYTES = 4 << 20
"""The most bytes one tile may hold (a 1024-px tile of noise is 3 MB): a larger one is not a
tile but a hostile archive's way to fill the memory."""
SIDE = 512
"""The side a tile is pasted at: a larger one is scaled down first (the frame is at most
WIDEST px across in 256-px tiles, so nothing a screen shows is lost)."""
MOST_ZOOM = 24
"""The finest zoom an archive may claim (1 cm a px): beyond it a zoom number is no zoom."""
MAP_PIXELS = 150_000_000
"""The most pixels a picture base map may have (a 12,000 x 12,000 scan passes): the limit is
this module's own, so that `check` and the court judge a picture alike, whatever limit other
parts of the app give Pillow."""
PICTURE_FORMATS = ("PNG", "JPEG", "WEBP")
INFLATED = 32 << 20
"""The most a PMTiles directory or metadata may inflate to (a gzip bomb goes no further)."""
BUDGET = 1_400_000
"""The `data:` URI's most characters: the figure, its points and labels included, stays
within 2 MB."""
SQL_SECONDS = 20.0
"""The longest an MBTiles archive's queries may run together (a hostile view is cut off)."""
BLANK = (243, 241, 234)
"""Where the map has nothing (outside a picture's corners, a missing tile)."""


class MapError(Exception):
    """A base map that cannot be drawn: `code` names the message (presenter.deck.problems),
    `params` fill it in."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def mercator(lats: np.ndarray, lons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator metres (x east, y north) of points in degrees."""
    lat = np.radians(np.clip(np.asarray(lats, dtype=np.float64), -LATITUDE_LIMIT, LATITUDE_LIMIT))
    x = EARTH * np.radians(np.asarray(lons, dtype=np.float64))
    return x, EARTH * np.log(np.tan(np.pi / 4 + lat / 2))


def latitude(y: float) -> float:
    """The latitude in degrees of a Web Mercator northing."""
    return math.degrees(2 * math.atan(math.exp(y / EARTH)) - math.pi / 2)


def ground(y: float) -> float:
    """Metres on the ground per Web Mercator metre at northing `y` (cos of its latitude)."""
    return math.cos(math.radians(latitude(y)))


@dataclass(frozen=True)
class Frame:
    """The part of the world a chart shows, in Web Mercator metres."""

    west: float
    south: float
    east: float
    north: float

    @property
    def width(self) -> float:
        return self.east - self.west

    @property
    def height(self) -> float:
        return self.north - self.south


@dataclass(frozen=True)
class MapRef:
    """An item's base map as a figure reads it: the file, its identity (so a changed map is
    composed again), and the item's `[map]` keys; `missing` names why the file cannot be
    used (it is outside files/, gone), the check says so in words."""

    path: str
    identity: tuple[int, ...] = ()
    bounds: tuple[float, float, float, float] | None = None
    """A picture's west, south, east, north in degrees of `crs`."""
    crs: str = "wgs84"
    attribution: str = ""
    missing: str | None = None


def identity(path: Path) -> tuple[int, ...]:
    stat = os.stat(path)
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True)
class Picture:
    """The composed base map: a `data:` URI (never masked: pixels, not text) and the words
    its licence asks to be shown; for a tile archive, the Web Mercator boxes of the frame's
    tiles it lacks (`holes`), and how many of the frame's tiles it holds as pictures
    (`drawn`) and as something else (`unreadable`, drawn blank), so that `check` can say
    which points have no streets under them."""

    uri: str
    attribution: str
    holes: tuple[tuple[float, float, float, float], ...] = ()
    drawn: int = 0
    unreadable: int = 0

    def off_map(self, xs: np.ndarray, ys: np.ndarray) -> int:
        """How many of the points (Web Mercator metres) lie in a hole of the map."""
        off = np.zeros(len(xs), dtype=bool)
        for west, south, east, north in self.holes:
            off |= (xs >= west) & (xs <= east) & (ys >= south) & (ys <= north)
        return int(off.sum())


# --- reading ---------------------------------------------------------------------------------


def inspect(path: Path) -> str:
    """What a base map file is ("picture", "mbtiles" or "pmtiles"), once it is found fit to
    draw from: raises MapError saying why not."""
    kind = kind_of(path)
    if kind == "picture":
        with _opened_picture(path) as image:
            try:
                image.verify()
            except (OSError, SyntaxError, ValueError) as error:
                raise MapError("map_unreadable", detail=str(error)[:200]) from None
        return kind
    with _archive(path) as archive:
        archive.check()
    return kind


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in PICTURES:
        return "picture"
    if suffix in ARCHIVES:
        return suffix[1:]
    raise MapError("map_kind", suffixes=", ".join(PICTURES + ARCHIVES))


def bounds_problem(bounds: tuple[float, ...]) -> None:
    west, south, east, north = bounds
    inside = -180 <= west < east <= 180 and -LATITUDE_LIMIT <= south < north <= LATITUDE_LIMIT
    if not inside:
        raise MapError("map_bounds_bad")


@contextlib.contextmanager
def _opened_picture(path: Path) -> Iterator[Image.Image]:
    """A PNG, JPEG or WebP picture opened with its size checked before any pixel is decoded:
    one of more than MAP_PIXELS is refused, not decoded; no other format is even parsed (a
    TIFF named .png, with its thousands of tags, is refused at its first bytes)."""
    too_large = MapError("map_too_large", limit=f"{MAP_PIXELS:,}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # MAP_PIXELS decides
        try:
            image = Image.open(path, formats=PICTURE_FORMATS)
        except Image.DecompressionBombError:
            raise too_large from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise MapError("map_unreadable", detail=str(error)[:200]) from None
    with image:
        if image.width * image.height > MAP_PIXELS:
            raise too_large
        yield image


def _archive(path: Path) -> _MBTiles | _PMTiles:
    return _MBTiles(path) if path.suffix.lower() == ".mbtiles" else _PMTiles(path)


def _format_of(tile: bytes) -> str:
    """A tile's format by its first bytes: a raster picture's, else "pbf" (a vector tile,
    gzipped or not)."""
    if tile.startswith(b"\x89PNG"):
        return "png"
    if tile.startswith(b"\xff\xd8"):
        return "jpg"
    if tile[:4] == b"RIFF" and tile[8:12] == b"WEBP":
        return "webp"
    return "pbf"


def _plain_words(text: object) -> str:
    """An archive's attribution as words: its HTML links and tags left out, entities read."""
    import nh3

    words = html.unescape(nh3.clean(str(text), tags=set()))
    return " ".join(words.split())[:300]


class _MBTiles:
    """An MBTiles archive: SQLite, opened read-only, tiles rows counted from the south
    (TMS), as the MBTiles 1.3 specification writes them."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> _MBTiles:
        # immutable: SQLite reads the file as it is, as hashed and bundled (no journal or
        # write-ahead log beside it is read, none is made in the deck's folder)
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        self.db = sqlite3.connect(uri, uri=True)
        self.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, TILE_BYTES)  # no tile of a gigabyte
        # a hostile file's `tiles` may be a view that computes for ever: cut it off
        deadline = time.monotonic() + SQL_SECONDS
        self.db.set_progress_handler(lambda: time.monotonic() > deadline, 100_000)
        try:
            self.metadata = {
                name: value
                for name, value in self.db.execute(
                    "SELECT name, substr(value, 1, 2000) FROM metadata"
                    " WHERE name IN ('format', 'attribution')"
                )
            }
            self.low, self.high = self.db.execute(
                "SELECT min(zoom_level), max(zoom_level) FROM tiles"
            ).fetchone()
        except sqlite3.Error as error:
            self.db.close()
            raise MapError("map_unreadable", detail=_said(error)) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def check(self) -> None:
        """Raster tiles, and not so many that this is not a city's archive."""
        self.format()
        try:
            (count,) = self.db.execute("SELECT count(*) FROM tiles").fetchone()
        except sqlite3.Error as error:
            raise MapError("map_unreadable", detail=_said(error)) from None
        if count > MOST_TILES:
            raise MapError("map_too_many_tiles", count=f"{count:,}", limit=f"{MOST_TILES:,}")

    def format(self) -> str:
        if self.low is None:
            raise MapError("map_unreadable", detail="the archive holds no tiles")
        named = str(self.metadata.get("format", "")).lower()
        if not named:
            try:
                row = self.db.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
            except sqlite3.Error as error:
                raise MapError("map_unreadable", detail=_said(error)) from None
            named = _format_of(row[0] if isinstance(row[0], bytes) else b"")
        if named not in RASTER:
            raise MapError("map_vector", format=named[:20])
        return named

    def zooms(self) -> tuple[int, int]:
        return _zooms(self.low, self.high)

    def attribution(self) -> str:
        return _plain_words(self.metadata.get("attribution", ""))

    def tiles(self, z: int, xs: range, ys: range) -> Iterator[tuple[int, int, bytes]]:
        """The tiles of zoom `z` in columns `xs` and rows `ys` (counted from the north), one
        at a time (x, y, bytes): a tile that is not bytes comes as b"" (not a picture)."""
        flip = (1 << z) - 1
        try:
            rows = self.db.execute(
                "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ?"
                " AND tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?",
                (z, xs[0], xs[-1], flip - ys[-1], flip - ys[0]),
            )
            for x, y, data in rows:
                yield int(x), flip - int(y), data if isinstance(data, bytes) else b""
        except sqlite3.Error as error:
            raise MapError("map_unreadable", detail=_said(error)) from None


def _said(error: sqlite3.Error) -> str:
    """What SQLite said, in words a technician can act on."""
    if str(error) == "interrupted":
        return f"its queries ran longer than {SQL_SECONDS:g} s (a view that never ends?)"
    if isinstance(error, sqlite3.DataError):  # SQLITE_LIMIT_LENGTH
        return f"a tile larger than {TILE_BYTES >> 20} MB"
    return str(error)[:200]


def _zooms(low: object, high: object) -> tuple[int, int]:
    """An archive's coarsest and finest zoom, once they are whole numbers in 0..MOST_ZOOM,
    the coarsest first."""
    whole = all(isinstance(z, int) and not isinstance(z, bool) for z in (low, high))
    if not whole or not 0 <= low <= high <= MOST_ZOOM:  # type: ignore[operator]
        raise MapError(
            "map_unreadable", detail=f"zoom levels {low!r} to {high!r} (0 to {MOST_ZOOM} wanted)"
        )
    return low, high  # type: ignore[return-value]


def _inflate(data: bytes, limit: int = INFLATED) -> bytes:
    """Gzipped bytes inflated, refusing what would inflate beyond `limit` (a bomb)."""
    inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header
    try:
        out = inflater.decompress(data, limit)
    except zlib.error as error:
        raise MapError("map_unreadable", detail=f"gzip: {error}") from None
    if inflater.unconsumed_tail:
        raise MapError("map_unreadable", detail=f"gzip data inflating beyond {limit:,} bytes")
    if inflater.unused_data or not inflater.eof:
        raise MapError("map_unreadable", detail="gzip data cut short or in several members")
    return out


class _PMTiles:
    """A PMTiles v3 archive, read with the `pmtiles` package's header and directory parsers;
    each directory is inflated within INFLATED and parsed once (a hostile one costs once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.directories: dict[tuple[int, int], list] = {}

    def __enter__(self) -> _PMTiles:
        from pmtiles.tile import (
            Compression,
            MagicNumberNotFound,
            SpecVersionUnsupported,
            deserialize_header,
        )

        try:
            self.file = open(self.path, "rb")  # noqa: SIM115 - closed by __exit__
        except OSError as error:
            raise MapError("map_unreadable", detail=str(error)[:200]) from None
        self.size = os.fstat(self.file.fileno()).st_size
        try:
            self.header = deserialize_header(self._read(0, 127))
        except (MagicNumberNotFound, SpecVersionUnsupported, ValueError, MapError):
            self.file.close()
            raise MapError("map_unreadable", detail="not a PMTiles v3 archive") from None
        self.gzipped = self.header["internal_compression"] == Compression.GZIP
        if not self.gzipped and self.header["internal_compression"] != Compression.NONE:
            self.file.close()
            raise MapError("map_unreadable", detail="directories compressed other than gzip")
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def _read(self, offset: int, length: int) -> bytes:
        if length > INFLATED:
            raise MapError("map_unreadable", detail=f"a part of {length:,} bytes")
        if offset < 0 or offset + length > self.size:  # a forged offset, or a file cut short
            raise MapError("map_unreadable", detail="the archive is cut short")
        self.file.seek(offset)
        return self.file.read(length)

    def _directory(self, offset: int, length: int) -> list:
        from pmtiles.tile import deserialize_directory

        if (offset, length) not in self.directories:
            data = self._read(offset, length)
            if self.gzipped:
                _entries_problem(_inflate(data))  # within bounds: the parser may inflate it
            else:
                _entries_problem(data)
                data = gzip.compress(data, compresslevel=1, mtime=0)  # it takes gzip only
            try:
                entries = deserialize_directory(data)
            except (EOFError, ValueError, OSError) as error:
                raise MapError("map_unreadable", detail=f"a directory: {error}"[:200]) from None
            self.directories[offset, length] = entries
        return self.directories[offset, length]

    def check(self) -> None:
        """Raster tiles, the whole archive there (not cut short), its root directory readable,
        and not so many tiles that this is not a city's archive."""
        self.format()
        h = self.header
        if self.size < h["tile_data_offset"] + h["tile_data_length"]:
            raise MapError("map_unreadable", detail="the archive is cut short")
        self._directory(h["root_offset"], h["root_length"])
        count = h["addressed_tiles_count"]
        if count > MOST_TILES:
            raise MapError("map_too_many_tiles", count=f"{count:,}", limit=f"{MOST_TILES:,}")

    def format(self) -> str:
        from pmtiles.tile import TileType

        kind = self.header["tile_type"]
        named = {TileType.PNG: "png", TileType.JPEG: "jpg", TileType.WEBP: "webp"}.get(kind)
        if named is None:
            raise MapError("map_vector", format=kind.name.lower())
        return named

    def zooms(self) -> tuple[int, int]:
        return _zooms(self.header["min_zoom"], self.header["max_zoom"])

    def attribution(self) -> str:
        h = self.header
        if not 0 < h["metadata_length"] <= INFLATED:
            return ""
        try:
            data = self._read(h["metadata_offset"], h["metadata_length"])
            metadata = json.loads(_inflate(data) if self.gzipped else data)
        except (MapError, ValueError):
            return ""
        return _plain_words(metadata.get("attribution", "")) if isinstance(metadata, dict) else ""

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """One tile's bytes, as the PMTiles v3 specification finds it: the root directory,
        then at most three leaf directories."""
        from pmtiles.tile import Compression, find_tile, zxy_to_tileid

        h = self.header
        wanted = zxy_to_tileid(z, x, y)
        offset, length = h["root_offset"], h["root_length"]
        for _ in range(4):
            entry = find_tile(self._directory(offset, length), wanted)
            if entry is None:
                return None
            if entry.run_length > 0:
                if entry.length > TILE_BYTES:
                    raise MapError(
                        "map_unreadable", detail=f"a tile larger than {TILE_BYTES >> 20} MB"
                    )
                data = self._read(h["tile_data_offset"] + entry.offset, entry.length)
                if h["tile_compression"] == Compression.GZIP:
                    data = _inflate(data, TILE_PX * TILE_PX * 4)
                return data
            offset, length = h["leaf_directory_offset"] + entry.offset, entry.length
        return None

    def tiles(self, z: int, xs: range, ys: range) -> Iterator[tuple[int, int, bytes]]:
        """The tiles of zoom `z` in columns `xs` and rows `ys`, one at a time (x, y, bytes)."""
        for x in xs:
            for y in ys:
                data = self.tile(z, x, y)
                if data is not None:
                    yield x, y, data


def _entries_problem(data: bytes) -> None:
    """Refuses a PMTiles directory (inflated) that would cost its parser more than reading
    it: more entries than MOST_TILES or than its bytes can hold (each takes four numbers of
    at least a byte), or a number of more than 64 bits (a run of ten bytes or more with the
    high bit set, which the parser would turn into a number of millions of digits)."""
    count, shift, at = 0, 0, len(data)  # `at`: the last byte of the count
    for i, byte in enumerate(data[:10]):
        count |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            at = i
            break
    if count > MOST_TILES or 4 * count > len(data) - at - 1:
        raise MapError("map_unreadable", detail=f"a directory claiming {count:,} entries")
    high = np.concatenate(([0], np.cumsum(np.frombuffer(data, dtype=np.uint8) >= 0x80)))
    if np.any(high[10:] - high[:-10] == 10):  # ten bytes in a row with the high bit set
        raise MapError("map_unreadable", detail="a directory with a number beyond 64 bits")


# --- composing ----------------------------------------------------------------------------


def picture(ref: MapRef, frame: Frame) -> Picture:
    """The base map of `frame` as one picture (kept while the map file is unchanged)."""
    if ref.missing is not None:
        raise MapError(ref.missing)
    return _composed(ref, frame)


@functools.lru_cache(maxsize=8)
def _composed(ref: MapRef, frame: Frame) -> Picture:
    path = Path(ref.path)
    size = (WIDTH, max(1, round(WIDTH * frame.height / frame.width)))
    if kind_of(path) == "picture":
        if ref.bounds is None:
            raise MapError("map_bounds_missing")
        bounds_problem(ref.bounds)
        image = _from_picture(path, ref.bounds, frame, size)
        return Picture(_data_uri(image), ref.attribution)
    with _archive(path) as archive:
        archive.format()
        mosaic, words = _from_tiles(archive, frame, size), archive.attribution()
    return Picture(_data_uri(mosaic.image), ref.attribution or words, mosaic.holes,
                   mosaic.drawn, mosaic.unreadable)  # fmt: skip


def _from_picture(
    path: Path, bounds: tuple[float, float, float, float], frame: Frame, size: tuple[int, int]
) -> Image.Image:
    """A north-up picture whose edges are at `bounds`, cut and scaled to `frame`. Its rows are
    taken as evenly spaced in Web Mercator northing: at a city's scale (tens of km) a picture
    evenly spaced in latitude differs from that by well under a pixel."""
    west, south, east, north = bounds
    (left, right), (bottom, top) = mercator(np.array([south, north]), np.array([west, east]))
    with _opened_picture(path) as image:
        if image.format == "JPEG":  # decoded at the scale the frame needs (1/2 to 1/8)
            wanted = size[0] / ((frame.east - frame.west) / (right - left))
            image.draft("RGB", (math.ceil(wanted), math.ceil(wanted * image.height / image.width)))
        width, height = image.size
        px = width / (right - left)
        py = height / (top - bottom)
        box = (
            (frame.west - left) * px,
            (top - frame.north) * py,
            (frame.east - left) * px,
            (top - frame.south) * py,
        )
        try:
            return _cut(image if image.mode == "RGB" else image.convert("RGB"), box, size)
        except (OSError, SyntaxError, ValueError) as error:  # a picture cut short
            raise MapError("map_unreadable", detail=str(error)[:200]) from None


def _cut(image: Image.Image, box: tuple[float, ...], size: tuple[int, int]) -> Image.Image:
    """The part `box` (px of `image`, may reach beyond it) scaled to `size`, BLANK where the
    image has nothing (resized with Pillow's reducing filters, so a large source is averaged
    rather than sampled)."""
    canvas = Image.new("RGB", size, BLANK)
    sx, sy = size[0] / (box[2] - box[0]), size[1] / (box[3] - box[1])
    inner = (max(box[0], 0), max(box[1], 0), min(box[2], image.width), min(box[3], image.height))
    to = (
        round((inner[0] - box[0]) * sx),
        round((inner[1] - box[1]) * sy),
        round((inner[2] - box[0]) * sx),
        round((inner[3] - box[1]) * sy),
    )
    if to[2] <= to[0] or to[3] <= to[1]:
        return canvas
    part = image.resize(
        (to[2] - to[0], to[3] - to[1]), Image.Resampling.BICUBIC, box=inner, reducing_gap=3.0
    )
    canvas.paste(part, to[:2])
    return canvas


def zoom_for(frame: Frame, low: int, high: int) -> int:
    """The finest zoom in [low, high] at which the frame is at most WIDEST px across (256-px
    tiles); the coarsest when even that is wider."""
    for z in range(high, low - 1, -1):
        if frame.width / (2 * math.pi * EARTH) * 256 * (1 << z) <= WIDEST:
            return z
    return low


def tile_span(frame: Frame, z: int) -> tuple[range, range]:
    """The columns and rows (from the north) of zoom `z` that the frame touches."""
    n = 1 << z

    def tile(v: float) -> int:
        return min(n - 1, max(0, int((v + math.pi * EARTH) / (2 * math.pi * EARTH) * n)))

    xs = range(tile(frame.west), tile(frame.east) + 1)
    ys = range(n - 1 - tile(frame.north), n - 1 - tile(frame.south) + 1)
    return xs, ys


def frame_tiles(path: Path, frame: Frame) -> int:
    """The tiles a tile archive gives `frame` (raises MapError when that is too many)."""
    with _archive(path) as archive:
        z = zoom_for(frame, *archive.zooms())
    xs, ys = tile_span(frame, z)
    count = len(xs) * len(ys)
    if count > FRAME_TILES:
        raise MapError("map_frame_tiles", count=f"{count:,}", limit=FRAME_TILES, zoom=z)
    return count


@dataclass(frozen=True)
class Mosaic:
    """A frame composed from tiles, with the boxes (Web Mercator metres) of the tiles the
    archive lacks, how many it has as pictures and how many as something else."""

    image: Image.Image
    holes: tuple[tuple[float, float, float, float], ...]
    drawn: int
    unreadable: int


def _from_tiles(archive: _MBTiles | _PMTiles, frame: Frame, size: tuple[int, int]) -> Mosaic:
    """The frame's tiles pasted together, each read, decoded and let go in turn (a hostile
    archive's tiles are never all in memory at once), then cut to the frame."""
    z = zoom_for(frame, *archive.zooms())
    xs, ys = tile_span(frame, z)
    if len(xs) * len(ys) > FRAME_TILES:
        raise MapError("map_frame_tiles", count=f"{len(xs) * len(ys):,}", limit=FRAME_TILES, zoom=z)
    side: int | None = None
    mosaic: Image.Image | None = None
    drawn, unreadable = set(), set()
    for x, y, data in archive.tiles(z, xs, ys):
        tile = _tile(data)
        if tile is None:
            unreadable.add((x, y))
            continue
        if side is None:  # the first tile's side, SIDE at most
            side = min(tile.width, SIDE)
            mosaic = Image.new("RGB", (len(xs) * side, len(ys) * side), BLANK)
        if tile.size != (side, side):
            tile = tile.resize((side, side), Image.Resampling.BICUBIC)
        mosaic.paste(tile, ((x - xs[0]) * side, (y - ys[0]) * side))  # type: ignore[union-attr]
        drawn.add((x, y))
    side = side or 256
    mosaic = mosaic or Image.new("RGB", (len(xs) * side, len(ys) * side), BLANK)
    world = 2 * math.pi * EARTH
    scale = side * (1 << z) / world  # px of the mosaic per metre

    def px(v: float, first: int) -> float:
        return (v + math.pi * EARTH) * scale - first * side

    def py(v: float) -> float:
        return (math.pi * EARTH - v) * scale - ys[0] * side

    box = (px(frame.west, xs[0]), py(frame.north), px(frame.east, xs[0]), py(frame.south))
    there = drawn | unreadable
    holes = tuple(_tile_box(z, x, y) for x in xs for y in ys if (x, y) not in there)
    return Mosaic(_cut(mosaic, box, size), holes, len(drawn), len(unreadable))


def _tile_box(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """A tile's west, south, east, north in Web Mercator metres (rows from the north)."""
    metres = 2 * math.pi * EARTH / (1 << z)
    west, north = x * metres - math.pi * EARTH, math.pi * EARTH - y * metres
    return west, north - metres, west + metres, north


def _tile(data: bytes) -> Image.Image | None:
    """A tile's picture, or None for one that is not a picture of a tile's size."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=PICTURE_FORMATS) as tile:
                if tile.width > TILE_PX or tile.height > TILE_PX:
                    return None
                return tile.convert("RGB")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
    ):
        return None


def _data_uri(image: Image.Image) -> str:
    """The picture as a WebP `data:` URI within BUDGET characters: lower quality first, then
    fewer px."""
    while True:
        for quality in (82, 70, 58, 46):
            out = io.BytesIO()
            image.save(out, "WEBP", quality=quality, method=4)
            if len(out.getvalue()) * 4 / 3 + 30 <= BUDGET:
                text = base64.b64encode(out.getvalue()).decode("ascii")
                return AppUrl(f"data:image/webp;base64,{text}")
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4))
