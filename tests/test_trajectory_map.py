"""Behaviour trajectories on a street map, offline (demo exhibit E10): real tile archives
(MBTiles, PMTiles) and a georeferenced picture made here, coordinates as Chinese platforms
deliver them, a scale bar true to the ground, hostile map files refused in words, and the
demo on court screens with its map drawn."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import math
import re
import sqlite3
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from presenter.charts import ChartView, basemap, crs, trajectory
from presenter.charts.basemap import MapRef
from presenter.deck import load_deck

ROLES = {"time": "time", "lat": "lat", "lon": "lon", "label": "label", "place": "place"}
MARK = (30.5500, 114.3000)
"""Where the red marker is drawn on every map, and where the trajectory's point 2 is."""
AREA = (114.25, 30.50, 114.35, 30.60)
"""West, south, east, north of every map made here."""
ZOOM = 14
RED = (220, 0, 0)
CST = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 8, 9, 0, tzinfo=CST)
"""When every trajectory made here begins: a point an hour."""


def world_px(lat: float, lon: float, z: int) -> tuple[float, float]:
    """A point's px in the whole world's picture at zoom `z` (256-px tiles, XYZ)."""
    n = 256 * 2**z
    x = (lon + 180) / 360 * n
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return x, y


def tile_range(z: int) -> tuple[range, range]:
    west, south, east, north = AREA
    x0, y0 = world_px(north, west, z)
    x1, y1 = world_px(south, east, z)
    return range(int(x0 // 256), int(x1 // 256) + 1), range(int(y0 // 256), int(y1 // 256) + 1)


def red_square(image: Image.Image, x: float, y: float, half: float) -> Image.Image:
    """`image` with the px whose centres lie within `half` px of (x, y) red: a square
    centred exactly there (px i covers [i, i + 1))."""
    pixels = np.asarray(image.convert("RGB")).copy()
    columns = np.abs(np.arange(image.width) + 0.5 - x) <= half
    rows = np.abs(np.arange(image.height) + 0.5 - y) <= half
    pixels[np.ix_(rows, columns)] = RED
    return Image.fromarray(pixels)


def tiles(z: int = ZOOM, fmt: str = "PNG") -> dict[tuple[int, int, int], bytes]:
    """White tiles of AREA at zoom `z`, with a red square centred on MARK."""
    mx, my = world_px(*MARK, z)
    xs, ys = tile_range(z)
    out = {}
    for x in xs:
        for y in ys:
            tile = red_square(Image.new("RGB", (256, 256), "white"), mx - x * 256, my - y * 256, 4)
            data = io.BytesIO()
            tile.save(data, fmt)
            out[z, x, y] = data.getvalue()
    return out


def write_mbtiles(path: Path, made: dict, fmt: str = "png", attribution: str = "") -> Path:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB)"
    )
    db.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [("name", "test"), ("format", fmt), ("attribution", attribution)],
    )
    db.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        [(z, x, (1 << z) - 1 - y, data) for (z, x, y), data in made.items()],  # TMS rows
    )
    db.commit()
    db.close()
    return path


def write_pmtiles(path: Path, made: dict, tile_type=None, attribution: str = "") -> Path:
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import write

    with write(str(path)) as writer:
        for (z, x, y), data in sorted(made.items(), key=lambda t: zxy_to_tileid(*t[0])):
            writer.write_tile(zxy_to_tileid(z, x, y), data)
        zooms = [z for z, _, _ in made]
        writer.finalize(
            {
                "tile_type": tile_type or TileType.PNG,
                "tile_compression": Compression.NONE,
                "min_zoom": min(zooms),
                "max_zoom": max(zooms),
                "min_lon_e7": int(AREA[0] * 1e7),
                "min_lat_e7": int(AREA[1] * 1e7),
                "max_lon_e7": int(AREA[2] * 1e7),
                "max_lat_e7": int(AREA[3] * 1e7),
                "center_zoom": min(zooms),
                "center_lon_e7": int(MARK[1] * 1e7),
                "center_lat_e7": int(MARK[0] * 1e7),
            },  # fmt: skip
            {"attribution": attribution},
        )
    return path


def write_picture(path: Path, size: tuple[int, int] = (1000, 1200)) -> Path:
    """A white north-up picture of AREA, rows evenly spaced in Web Mercator northing, with
    the red square on MARK."""
    west, south, east, north = AREA

    def northing(lat: float) -> float:
        return math.asinh(math.tan(math.radians(lat)))

    x = (MARK[1] - west) / (east - west) * size[0]
    y = (northing(north) - northing(MARK[0])) / (northing(north) - northing(south)) * size[1]
    red_square(Image.new("RGB", size, "white"), x, y, 3).save(path)
    return path


def write_track(path: Path, points: list[tuple[float, float]], label: str = "到达") -> Path:
    rows = [
        f"{(START + dt.timedelta(hours=i)).isoformat()},{float(lat)!r},{float(lon)!r},"
        f"{label}{i + 1},某地{i}"
        for i, (lat, lon) in enumerate(points)
    ]
    path.write_text("time,lat,lon,label,place\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


NEARBY = [(30.5450, 114.2950), MARK, (30.5560, 114.3060)]
"""A short trajectory through MARK (its second point)."""


def ref(path: Path, bounds=None, map_crs: str = "wgs84", attribution: str = "") -> MapRef:
    return MapRef(str(path), basemap.identity(path), bounds, map_crs, attribution)


def red_centre(figure: dict) -> tuple[float, float]:
    """Where the figure's map picture is red, in the figure's axis units."""
    image = figure["layout"]["images"][0]
    data = base64.b64decode(image["source"].split(",", 1)[1])
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    red = (pixels[..., 0] > 160) & (pixels[..., 1] < 90) & (pixels[..., 2] < 90)
    rows, columns = np.nonzero(red)
    assert len(rows), "the marker is on the picture"
    height, width = red.shape
    x = (columns.mean() + 0.5) / width * image["sizex"]
    y = image["y"] - (rows.mean() + 0.5) / height * image["sizey"]
    return x, y


def path_point(figure: dict, index: int) -> tuple[float, float]:
    path = figure["data"][1]
    return path["x"][index], path["y"][index]


@pytest.fixture(params=["mbtiles", "pmtiles", "picture"])
def any_map(request, tmp_path: Path) -> MapRef:
    if request.param == "mbtiles":
        return ref(write_mbtiles(tmp_path / "city.mbtiles", tiles()))
    if request.param == "pmtiles":
        return ref(write_pmtiles(tmp_path / "city.pmtiles", tiles()))
    return ref(write_picture(tmp_path / "city.png"), bounds=AREA)


def test_the_map_under_a_point_is_the_map_at_that_place(any_map, tmp_path):
    """The picture composed from each kind of map has the red marker where the figure puts
    the trajectory's point at the marker's coordinates: within 3 px of the picture."""
    figure = trajectory.figure(write_track(tmp_path / "t.csv", NEARBY), ROLES,
                               ChartView(basemap=any_map))  # fmt: skip
    assert figure["meta"]["map"] and figure["meta"]["map_problem"] is None
    x, y = red_centre(figure)
    px, py = path_point(figure, 1)
    metres_per_px = figure["layout"]["images"][0]["sizex"] / basemap.WIDTH
    assert math.hypot(x - px, y - py) <= 3 * metres_per_px
    assert figure["layout"]["images"][0]["source"].startswith("data:image/webp;base64,")


@pytest.mark.parametrize("delivered", ["gcj02", "bd09"])
@pytest.mark.parametrize("drawn_in", ["wgs84", "gcj02"])
def test_points_from_chinese_platforms_land_where_their_wgs84_places_do(
    delivered, drawn_in, tmp_path
):
    """A trajectory delivered in GCJ-02 or BD-09 is drawn where the same places in WGS-84
    are, on a map in WGS-84 or in GCJ-02 (as AMap's tiles are)."""
    picture = write_picture(tmp_path / "city.png")
    lats, lons = np.array([p[0] for p in NEARBY]), np.array([p[1] for p in NEARBY])
    moved_lats, moved_lons = crs.convert(lats, lons, "wgs84", delivered)
    truth = trajectory.figure(write_track(tmp_path / "w.csv", NEARBY), ROLES,
                              ChartView(basemap=ref(picture, AREA, drawn_in)))  # fmt: skip
    shifted = write_track(tmp_path / "c.csv", list(zip(moved_lats, moved_lons, strict=True)))
    figure = trajectory.figure(
        shifted, ROLES, ChartView(crs=delivered, basemap=ref(picture, AREA, drawn_in))
    )
    for i in range(3):
        a, b = path_point(truth, i), path_point(figure, i)
        assert math.hypot(a[0] - b[0], a[1] - b[1]) < 0.2, "within 20 cm"
    if drawn_in == "wgs84":
        assert "坐标由" in figure["layout"]["title"]["text"]
    x, y = basemap.mercator(*crs.convert(lats[1:2], lons[1:2], "wgs84", drawn_in))
    west, south = figure["meta"]["frame"][:2]
    drawn = path_point(figure, 1)
    assert math.hypot(x[0] - west - drawn[0], y[0] - south - drawn[1]) < 0.2
    shift = haversine(MARK, (moved_lats[1], moved_lons[1]))
    assert shift > 100, f"the platforms' shift is real ({shift:.0f} m)"


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    "points",
    [NEARBY, [(30.40, 114.10), (30.70, 114.60)], [(45.70, 126.60), (45.71, 126.62)]],
    ids=["a street", "a city", "far north"],
)
def test_the_scale_bar_is_a_round_length_on_the_ground_to_one_percent(points, tmp_path):
    figure = trajectory.figure(write_track(tmp_path / "t.csv", points), ROLES, ChartView())
    bar = figure["layout"]["shapes"][1]
    label = next(a for a in figure["layout"]["annotations"] if a["text"].endswith(("米", "公里")))
    number = float(label["text"].split()[0])
    metres = number * 1000 if label["text"].endswith("公里") else number
    assert str(int(number))[0] in "125" and set(str(int(number))[1:]) <= {"0"}
    west, south = figure["meta"]["frame"][:2]
    lat = basemap.latitude(south + bar["y0"])
    ends = [math.degrees((west + x) / basemap.EARTH) for x in (bar["x0"], bar["x1"])]
    assert haversine((lat, ends[0]), (lat, ends[1])) == pytest.approx(metres, rel=0.01)
    assert any(a["text"] == "北 N" for a in figure["layout"]["annotations"])


def test_each_point_says_its_number_time_place_and_event_and_none_is_left_out(tmp_path):
    """The demo's E10: every point is written out (on the map or in the list), with its
    number, time (the date where it changes) and the CSV's event, e.g. admin_w's logins."""
    from presenter.charts import build
    from presenter.deck import load_deck as load

    deck = load(Path(__file__).parent.parent / "decks" / "demo", verify_hashes=False).deck
    exhibit = deck.exhibit("E10")
    figure = build(exhibit, deck, ChartView())
    texts = "\n".join(a["text"] for a in figure["layout"]["annotations"])
    assert "<b>2</b> 09:51 admin_w 登录：修改盈亏" in texts
    assert "<b>9</b> 21:05 admin_w 登录：审核提现" in texts
    assert "<b>6</b> 2026-03-15 13:02 admin_w 登录：审核提现" in texts
    assert figure["meta"]["written"] == 9 and figure["meta"]["map"]
    assert "底图：示意底图" in texts, "the map's attribution"
    until = dt.datetime(2026, 3, 8, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    early = build(exhibit, deck, ChartView(until=until))
    assert early["meta"]["points"] == 3 and early["meta"]["frame"] == figure["meta"]["frame"]
    assert early["layout"]["images"][0]["source"] == figure["layout"]["images"][0]["source"]


def test_labels_without_room_are_listed_beside_the_map(tmp_path):
    """Thirty events at three places a few metres apart: those whose labels find no room
    are in the list beside the map, the latest that fit; the earlier ones, counted there,
    are written out at an earlier step."""
    points = [(30.55 + (i % 3) * 0.0004, 114.30 + (i % 3) * 0.0004) for i in range(30)]
    figure = trajectory.figure(write_track(tmp_path / "t.csv", points), ROLES, ChartView())
    notes = figure["layout"]["annotations"]
    (listing,) = [a for a in notes if a.get("bordercolor") and not a["showarrow"]]
    meta = figure["meta"]
    assert meta["listed"] == listing["text"].count("到达") > 0
    assert listing["text"].startswith(f"…另有较早的 {meta['unlisted']} 条见前面的步骤")
    texts = "\n".join(a["text"] for a in notes)
    for n in range(meta["unlisted"] + 1, 31):
        assert re.search(f"到达{n}(?!\\d)", texts), "every later point is on the map or listed"
    until = START + dt.timedelta(hours=meta["unlisted"] - 1)
    earlier = trajectory.figure(tmp_path / "t.csv", ROLES, ChartView(until=until))
    texts = "\n".join(a["text"] for a in earlier["layout"]["annotations"])
    assert earlier["meta"]["unlisted"] == 0
    for n in range(1, meta["unlisted"] + 1):
        assert re.search(f"到达{n}(?!\\d)", texts), "an earlier step writes out the earlier ones"


def test_a_hundred_thousand_points_are_thinned_for_the_screen_but_counted(tmp_path):
    rng = np.random.default_rng(7)
    steps = rng.normal(0, 0.0002, size=(100_000, 2)).cumsum(axis=0)
    start = dt.datetime(2026, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    lines = [
        f"{(start + dt.timedelta(seconds=10 * i)).isoformat()},{30.55 + a:.6f},"
        f"{114.30 + b:.6f},{'登录' if i % 5000 == 0 else ''},"
        for i, (a, b) in enumerate(steps)
    ]
    path = tmp_path / "big.csv"
    path.write_text("time,lat,lon,label,place\n" + "\n".join(lines) + "\n", encoding="utf-8")
    figure = trajectory.figure(path, ROLES, ChartView())
    meta = figure["meta"]
    assert meta["points"] == 100_000 and meta["drawn"] <= trajectory.DRAWN
    assert meta["written"] == 20, "every event kept"
    assert "100,000 / 100,000 个位置点" in figure["layout"]["title"]["text"]
    assert "路径按屏幕精度画" in figure["layout"]["title"]["text"]


def test_unreadable_coordinates_are_dropped_and_counted(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "time,lat,lon,label,place\n"
        "2026-03-08T09:00:00+08:00,30.55,114.30,到达,甲\n"
        "2026-03-08T10:00:00+08:00,91,114.30,到达,乙\n"
        "2026-03-08T11:00:00+08:00,30.55,NaN,到达,丙\n"
        "2026-03-08T12:00:00+08:00,30.55,inf,到达,丁\n"
        "2026-03-08T13:00:00+08:00,abc,114.30,到达,戊\n"
        "not a time,30.55,114.30,到达,己\n"
        "2026-03-08T14:00:00+08:00,30.56,114.31,到达,庚\n",
        encoding="utf-8",
    )
    figure = trajectory.figure(path, ROLES, ChartView())
    assert figure["meta"]["dropped"] == 5 and figure["meta"]["points"] == 2
    assert "5 点时间或坐标无效未画" in figure["layout"]["title"]["text"]
    assert all(math.isfinite(v) for v in figure["data"][1]["x"] + figure["data"][1]["y"])


# --- hostile maps: `check` says what is wrong, the chart still draws ---------------------------


DECK = """\
format = 1

[case]
title = "轨迹测试案"

[[fact]]
id = "F1"
text = "王某在场"
element = "conduct"
"""

ITEM = """\
+++
id = "E01"
title = "王某手机定位"
type = "behaviour"
view = "chart"
chart = "trajectory"
files = {files}
{more}
[source]
method = "retrieval"

[[source.hash]]
file = "files/track.csv"
algorithm = "sha256"
value = "{digest}"

[[shows]]
fact = "F1"
aspect = "trajectory"
{map}{steps}
+++
"""


def deck_with(root: Path, map_file: str | None, keys: str = "", listed: bool = True,
              more: str = "", points=NEARBY, track: str | None = None,
              steps: str = "") -> Path:  # fmt: skip
    """A deck of one trajectory item (E01) in `root`: its track the CSV text `track` or
    `points`, its map `map_file` (listed among its files unless not `listed`) with the
    `[map]` keys `keys`, then `more` item keys and `steps` (`[[step]]` tables)."""
    (root / "files").mkdir(parents=True, exist_ok=True)
    (root / "items").mkdir(exist_ok=True)
    (root / "deck.toml").write_text(DECK, encoding="utf-8")
    csv = root / "files" / "track.csv"
    if track is None:
        write_track(csv, points)
    else:
        csv.write_text(track, encoding="utf-8")
    files = ["files/track.csv"] + ([map_file] if map_file and listed else [])
    table = f'[map]\nfile = "{map_file}"\n{keys}' if map_file else ""
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    item = ITEM.format(files=str(files).replace("'", '"'), more=more, map=table, digest=digest,
                       steps=steps)  # fmt: skip
    (root / "items" / "e01-track.md").write_text(item, encoding="utf-8")
    return root


BOUNDS = "west = 114.25\nsouth = 30.50\neast = 114.35\nnorth = 30.60\n"


def problems_of(root: Path) -> list[tuple[str, str, str]]:
    report = load_deck(root, verify_hashes=False)
    return [(p.severity, p.code, p.key) for p in report.problems if p.path.startswith("items/")]


def test_a_good_map_of_each_kind_passes_the_check(tmp_path):
    files = tmp_path / "case-1" / "files"
    files.mkdir(parents=True)
    write_mbtiles(files / "city.mbtiles", tiles())
    write_pmtiles(files / "city.pmtiles", tiles())
    write_picture(files / "city.png")
    for name, keys in (("city.mbtiles", ""), ("city.pmtiles", ""), ("city.png", BOUNDS)):
        root = deck_with(tmp_path / "case-1", f"files/{name}", keys)
        assert problems_of(root) == [], name


def test_a_map_that_is_missing_or_not_listed_is_said_and_the_chart_draws_without_it(tmp_path):
    root = deck_with(tmp_path / "case-1", "files/nowhere.png", BOUNDS)
    assert ("error", "file_missing", "files[1]") in problems_of(root)
    root = tmp_path / "case-2"
    (root / "files").mkdir(parents=True)
    write_picture(root / "files" / "city.png")
    deck_with(root, "files/city.png", BOUNDS, listed=False)
    assert ("error", "map_not_listed", "map.file") in problems_of(root)
    missing = MapRef("files/nowhere.png", missing="file_missing")
    figure = trajectory.figure(root / "files" / "track.csv", ROLES, ChartView(basemap=missing))
    assert figure["layout"]["images"] == [] and figure["meta"]["map_problem"] == "file_missing"
    assert "底图无法显示" in figure["layout"]["title"]["text"]


def png_bomb(path: Path, width: int = 60_000, height: int = 60_000) -> Path:
    """A small PNG whose header claims 3.6 billion px."""
    small = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 255, 255)).save(small, "PNG")
    data = bytearray(small.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    path.write_bytes(bytes(data))
    return path


def truncated(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def too_many_tiles(path: Path) -> Path:
    """A PMTiles archive whose header counts 2,000,000 tiles."""
    write_pmtiles(path, tiles())
    data = bytearray(path.read_bytes())
    data[72:80] = (2_000_000).to_bytes(8, "little")
    path.write_bytes(bytes(data))
    return path


def vector_pmtiles(path: Path) -> Path:
    from pmtiles.tile import TileType

    return write_pmtiles(path, {(ZOOM, x, y): b"\x1a\x00" for (_, x, y) in tiles()},
                         TileType.MVT)  # fmt: skip


def fine_tiles() -> dict:
    """Four tiles of zoom 18 (an archive with no coarser zoom)."""
    x, y = (int(v // 256) for v in world_px(*MARK, 18))
    return {(18, x + i, y + j): tiles()[next(iter(tiles()))] for i in (0, 1) for j in (0, 1)}


HOSTILE = {
    "a PNG bomb": ("bomb.png", BOUNDS, png_bomb, "map_too_large"),
    "a truncated MBTiles": ("cut.mbtiles", "", lambda p: truncated(write_mbtiles(p, tiles())),
                            "map_unreadable"),
    "a truncated PMTiles": ("cut.pmtiles", "", lambda p: truncated(write_pmtiles(p, tiles())),
                            "map_unreadable"),
    "a vector MBTiles": ("vector.mbtiles", "", lambda p: write_mbtiles(p, tiles(), "pbf"),
                         "map_vector"),
    "a vector PMTiles": ("vector.pmtiles", "", vector_pmtiles, "map_vector"),
    "millions of tiles": ("world.pmtiles", "", too_many_tiles, "map_too_many_tiles"),
    "a 2,000-tile frame": ("fine.mbtiles", "", lambda p: write_mbtiles(p, fine_tiles()),
                           "map_frame_tiles"),
    "a picture without its edges": ("city.png", "", write_picture, "map_bounds_missing"),
    "edges for tiles": ("city.mbtiles", BOUNDS, lambda p: write_mbtiles(p, tiles()),
                        "map_bounds_not_for_tiles"),
    "a text file": ("city.txt", "", lambda p: p.write_text("街道"), "map_kind"),
}  # fmt: skip


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_map_is_an_error_in_words_and_the_chart_draws_without_it(case, tmp_path):
    name, keys, make, code = HOSTILE[case]
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    make(root / "files" / name)
    points = [(30.30, 114.00), (30.90, 114.60)] if code == "map_frame_tiles" else NEARBY
    deck_with(root, f"files/{name}", keys, points=points)
    found = [p for p in load_deck(root, verify_hashes=False).problems if p.code == code]
    assert found and found[0].severity == "error", problems_of(root)
    for language in ("zh-CN", "en"):
        assert "{" not in found[0].message(language), "every placeholder filled"
    bounds = AREA if keys else None
    view = ChartView(basemap=ref(root / "files" / name, bounds))
    figure = trajectory.figure(root / "files" / "track.csv", ROLES, view)
    drawable = code in ("map_too_many_tiles", "map_bounds_not_for_tiles")  # refused by check
    assert figure["meta"]["map"] == drawable and (drawable or figure["meta"]["map_problem"])


def test_points_off_a_picture_map_are_a_warning(tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    write_picture(root / "files" / "city.png")
    deck_with(root, "files/city.png", BOUNDS, points=[*NEARBY, (31.0, 115.0)])
    assert problems_of(root) == [("warning", "map_off_trajectory", "map")]


def test_crs_and_map_are_for_trajectories_only(tmp_path):
    root = deck_with(tmp_path / "case-1", None, more='crs = "gcj02"\n')
    text = (root / "items" / "e01-track.md").read_text(encoding="utf-8")
    (root / "items" / "e01-track.md").write_text(
        text.replace('chart = "trajectory"', 'chart = "timeline"'), encoding="utf-8"
    )
    assert ("error", "map_not_for_chart", "crs") in problems_of(root)
    root = deck_with(tmp_path / "case-2", None, more='crs = "mars"\n')
    assert ("error", "bad_value", "crs") in problems_of(root)


def test_a_changed_map_is_drawn_again(tmp_path):
    """The figure's cache keys the map file's identity: a new map makes a new picture."""
    picture = write_picture(tmp_path / "city.png")
    track_csv = write_track(tmp_path / "t.csv", NEARBY)
    first = trajectory.figure(track_csv, ROLES, ChartView(basemap=ref(picture, AREA)))
    Image.new("RGB", (1000, 1200), (0, 0, 255)).save(picture)
    again = trajectory.figure(track_csv, ROLES, ChartView(basemap=ref(picture, AREA)))
    assert first["layout"]["images"][0]["source"] != again["layout"]["images"][0]["source"]


# --- the demo on court screens ----------------------------------------------------------------


@pytest.fixture(scope="module")
def court(browser):
    """The demo served once, on a 1920×1080 and a 1024×768 screen, showing E10."""
    from .screens import demo_screens

    with demo_screens(browser, ((1920, 1080), (1024, 768))) as (screens, exhibits):
        screens.send({"action": "blank", "mode": None})
        screens.send({"action": "goto", "item": "E10"})
        yield screens, dict(exhibits)["E10"]


def test_the_demo_trajectory_fits_every_screen_at_every_step_with_its_map(court):
    screens, steps = court
    assert steps == 3
    for step in range(steps + 1):
        screens.send({"action": "step", "step": step})
        assert screens.problems() == {}, f"step {step}"
        for page in screens.pages.values():
            image = page.locator("[data-role=chart] svg image")
            assert image.count() == 1, "the base map is drawn in the SVG"
            href = image.first.get_attribute("href") or ""
            assert href.startswith("data:image/webp;base64,")
            assert page.locator("[data-role=chart] svg text", has_text="北 N").count() == 1


def test_a_public_screens_figure_keeps_the_map_picture_unmasked(tmp_path):
    """Masking a public screen's figure reads the labels, not the picture's base64 (its
    digits are pixels, never a number to hide)."""
    from presenter.masking import mask_value

    picture = write_picture(tmp_path / "city.png")
    path = tmp_path / "t.csv"
    path.write_text(
        "time,lat,lon,label,place\n"
        "2026-03-08T09:00:00+08:00,30.5450,114.2950,致电 13800000001,甲\n"
        "2026-03-08T10:00:00+08:00,30.5500,114.3000,到达,乙\n",
        encoding="utf-8",
    )
    figure = trajectory.figure(path, ROLES, ChartView(basemap=ref(picture, AREA)))
    masked = mask_value(figure)
    assert masked["layout"]["images"][0]["source"] == figure["layout"]["images"][0]["source"]
    texts = "".join(a["text"] for a in masked["layout"]["annotations"])
    assert "13800000001" not in texts and "138****0001" in texts


def test_the_bundle_shows_the_trajectory_on_its_map_from_file(tmp_path, cli, browser):
    """The pre-trial bundle, opened from file://, draws E10 on its map (inside the figure:
    nothing fetched) and carries the map file with its SHA-256 like the item's other files."""
    from .conftest import DEMO_DECK

    out = tmp_path / "bundle"
    result = cli("export", DEMO_DECK, "--out", out, "--items", "E10")
    assert result.exit_code == 0, result.output
    assert (out / "files" / "city-map.png").read_bytes() == (
        DEMO_DECK / "files" / "city-map.png"
    ).read_bytes()
    page_html = (out / "E10.html").read_text("utf-8")
    digest = hashlib.sha256((out / "files" / "city-map.png").read_bytes()).hexdigest()
    assert "city-map.png" in page_html and digest in page_html
    lines = re.findall(r"<li>(.*?)</li>", page_html.split('class="original-files"')[1])
    (map_line,) = [line for line in lines if "city-map.png" in line]
    assert "轨迹底图，示意用，非证据" in map_line, "the map is an aid, not evidence"
    assert not any("轨迹底图" in line for line in lines if line is not map_line)
    assert not (out / "assets" / "geo.js").exists()
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    refused = []
    page.on("requestfailed", lambda request: refused.append(request.url))
    page.goto((out / "E10.html").as_uri())
    image = page.locator("[data-chart=E10] svg image")
    image.first.wait_for(state="attached", timeout=30_000)
    assert (image.first.get_attribute("href") or "").startswith("data:image/webp;base64,")
    assert page.locator("[data-chart=E10] svg text", has_text="admin_w").count() >= 1
    context.close()
    assert refused == []


@pytest.mark.parametrize("kind", ["mbtiles", "pmtiles"])
def test_an_archives_attribution_is_shown_as_words_within_the_map(kind, tmp_path):
    """The archive's own attribution (HTML as map tools write it) is written on the map as
    plain words, a long one wrapped to at most two lines; the deck's replaces it."""
    words = '<a href="https://example.org/">© 测试地图</a> <b>&amp;</b> <img src=x onerror=1>'
    words += " 贡献者" * 80
    write = write_mbtiles if kind == "mbtiles" else write_pmtiles
    archive = write(tmp_path / f"city.{kind}", tiles(), attribution=words)
    track_csv = write_track(tmp_path / "t.csv", NEARBY)
    figure = trajectory.figure(track_csv, ROLES, ChartView(basemap=ref(archive)))
    (credit,) = [a for a in figure["layout"]["annotations"] if a["text"].startswith("底图：")]
    assert credit["text"].startswith("底图：© 测试地图 &amp; 贡献者")
    assert "<a" not in credit["text"] and "<img" not in credit["text"]
    assert credit["text"].count("<br>") == 1 and credit["text"].endswith("…")
    own = trajectory.figure(track_csv, ROLES, ChartView(basemap=ref(archive, attribution="甲")))
    assert any(a["text"] == "底图：甲" for a in own["layout"]["annotations"])


def test_an_mbtiles_whose_tiles_never_end_is_cut_off(tmp_path, monkeypatch):
    """A hostile MBTiles whose `tiles` is a view counting for ever: `check` stops it and
    says so, and the chart draws without it."""
    monkeypatch.setattr(basemap, "SQL_SECONDS", 1.0)
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    db = sqlite3.connect(root / "files" / "endless.mbtiles")
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute(
        "CREATE VIEW tiles AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
        " SELECT x AS zoom_level, x AS tile_column, x AS tile_row, x AS tile_data FROM c"
    )
    db.commit()
    db.close()
    deck_with(root, "files/endless.mbtiles")
    problems = load_deck(root, verify_hashes=False).problems
    (found,) = [p for p in problems if p.path.startswith("items/")]
    assert found.code == "map_unreadable" and "longer than 1 s" in found.message("en")
    view = ChartView(basemap=ref(root / "files" / "endless.mbtiles"))
    figure = trajectory.figure(root / "files" / "track.csv", ROLES, view)
    assert figure["meta"]["map_problem"] == "map_unreadable"


def test_a_map_beside_a_csv_without_coordinates_is_no_crash(tmp_path):
    """The check says the column is missing; the map's check and the chart carry on."""
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    write_picture(root / "files" / "city.png")
    deck_with(root, "files/city.png", BOUNDS)
    track_csv = root / "files" / "track.csv"
    track_csv.write_text("time,lat\n2026-03-08T09:00:00+08:00,30.55\n", encoding="utf-8")
    assert ("error", "csv_missing_column", "files") in problems_of(root)
    figure = trajectory.figure(
        track_csv, ROLES, ChartView(basemap=ref(root / "files" / "city.png", AREA))
    )
    assert figure["meta"]["points"] == 0 and figure["meta"]["dropped"] == 1


def test_the_source_panel_says_the_base_map_is_an_aid_not_evidence(tmp_path):
    """The map is among the item's files (hashed, bundled), but the court is told what it
    is: a demonstrative aid, not evidence."""
    import shutil

    from .conftest import DEMO_DECK, SCREEN_KEY, court_app, keyed_client

    deck = shutil.copytree(DEMO_DECK, tmp_path / "demo")
    with court_app(deck, tmp_path / "instance") as app:
        html = keyed_client(app, SCREEN_KEY).get("/screen/exhibit/E10/source").text
        other = keyed_client(app, SCREEN_KEY).get("/screen/exhibit/E09/source").text
    assert 'city-map.png<span class="aid">（轨迹底图，示意用，非证据）</span>' in html
    assert "trajectory-wang.csv<span" not in html, "the evidence itself is not marked"
    assert "非证据" not in other
