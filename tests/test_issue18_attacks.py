"""Attacks on the trajectory map and the chart figure route (issue 18), as a hostile
evidence file and as an assistant preparing real evidence would make them: each asserts
what the court must get (a check message in words saying what, where and what to do; no
traceback, no 500, no hang; a masked number never on a public screen)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from presenter.charts import ChartView, basemap, trajectory
from presenter.deck import load_deck
from tests.test_trajectory_map import (
    BOUNDS,
    NEARBY,
    ROLES,
    deck_with,
    ref,
    tiles,
    write_mbtiles,
    write_picture,
    write_pmtiles,
)

PHONE = "13812345678"
CARD = "6222021234567890123"


def found(root: Path, code: str) -> list:
    """The deck's problems of `code`, each message checked filled in both languages."""
    report = load_deck(root, verify_hashes=False)
    out = [p for p in report.problems if p.code == code]
    for problem in out:
        for language in ("zh-CN", "en"):
            text = problem.message(language)
            assert "{" not in text and "Traceback" not in text, text
    return out


def codes(root: Path) -> list[tuple[str, str, str]]:
    report = load_deck(root, verify_hashes=False)
    return [(p.severity, p.code, p.key) for p in report.problems if p.path.startswith("items/")]


def with_map(root: Path, name: str, keys: str = "", points=NEARBY) -> Path:
    return deck_with(root, f"files/{name}", keys, points=points)


# --- a map path leaving the deck ------------------------------------------------------------


CONFINED = {"../x.png": "path_parent", "absolute": "path_absolute", "symlink": "path_escapes"}


@pytest.mark.parametrize("where", list(CONFINED))
def test_a_map_outside_the_decks_files_is_refused_and_never_read(where, tmp_path):
    outside = write_picture(tmp_path / "x.png")
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    name = {"../x.png": "../x.png", "absolute": str(outside)}.get(where, "files/link.png")
    if where == "symlink":
        (root / "files" / "link.png").symlink_to(outside)
    deck_with(root, name, BOUNDS)
    assert ("error", CONFINED[where], "files[1]") in codes(root)
    assert found(root, CONFINED[where])


def test_a_map_swapped_for_a_symlink_out_after_the_check_is_never_read(tmp_path):
    """The court confines the map when it draws, not only when `check` ran."""
    outside = write_picture(tmp_path / "x.png")
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    write_picture(root / "files" / "city.png")
    with_map(root, "city.png", BOUNDS)
    report = load_deck(root, verify_hashes=False)
    assert report.deck is not None
    (root / "files" / "city.png").unlink()
    (root / "files" / "city.png").symlink_to(outside)
    _, base = trajectory.map_of(report.deck.exhibit("E01"), report.deck)
    assert base is not None and base.missing is not None, "the chart never opens it"
    figure = trajectory.figure(root / "files" / "track.csv", ROLES, ChartView(basemap=base))
    assert figure["layout"]["images"] == [] and figure["meta"]["map_problem"]


# --- a map's edges -----------------------------------------------------------------------------


EDGES = {
    "reversed": "west = 114.35\nsouth = 30.50\neast = 114.25\nnorth = 30.60\n",
    "lat 95": "west = 114.25\nsouth = 30.50\neast = 114.35\nnorth = 95\n",
    "nan": "west = nan\nsouth = 30.50\neast = 114.35\nnorth = 30.60\n",
    "inf": "west = -inf\nsouth = 30.50\neast = inf\nnorth = 30.60\n",
}


@pytest.mark.parametrize("case", EDGES)
def test_wrong_edges_are_an_error_that_names_them_and_what_is_needed(case, tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    write_picture(root / "files" / "city.png")
    with_map(root, "city.png", EDGES[case])
    (problem,) = found(root, "map_bounds_bad")
    assert problem.is_error and problem.key == "map"
    assert "west <" in problem.message("en") and "west <" in problem.message("zh-CN")


def test_a_string_for_degrees_says_degrees_are_wanted(tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    write_picture(root / "files" / "city.png")
    with_map(root, "city.png", BOUNDS.replace("west = 114.25", 'west = "114.25"'))
    assert ("error", "bad_degrees", "map.west") in codes(root)


def test_a_map_far_from_every_point_is_an_error_and_the_chart_still_draws(tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    picture = write_picture(root / "files" / "city.png")
    with_map(root, "city.png", BOUNDS.replace("114.", "14."))  # Italy, not Wuhan
    (problem,) = found(root, "map_misses_trajectory")
    assert problem.is_error and "3" in problem.message("zh-CN")
    far = (14.25, 30.50, 14.35, 30.60)
    figure = trajectory.figure(root / "files" / "track.csv", ROLES,
                               ChartView(basemap=ref(picture, far)))  # fmt: skip
    assert figure["meta"]["points"] == 3


# --- hostile tile archives --------------------------------------------------------------------


def test_an_mbtiles_whose_tiles_is_a_view_with_a_trigger_is_read_read_only(tmp_path):
    """A `tiles` VIEW over the rows is allowed by MBTiles (deduplicating archives do it); a
    trigger never fires (the file is opened read-only, immutable): the map draws."""
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    path = write_mbtiles(root / "files" / "city.mbtiles", tiles())
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE tiles RENAME TO rows_of_tiles")
    db.execute("CREATE VIEW tiles AS SELECT * FROM rows_of_tiles")
    db.execute("CREATE TABLE log (x)")
    db.execute("CREATE TRIGGER t AFTER INSERT ON rows_of_tiles BEGIN DELETE FROM metadata; END")
    db.commit()
    db.close()
    before = path.read_bytes()
    with_map(root, "city.mbtiles")
    assert codes(root) == []
    figure = trajectory.figure(root / "files" / "track.csv", ROLES, ChartView(basemap=ref(path)))
    assert figure["meta"]["map"] is True
    assert path.read_bytes() == before and not list(root.glob("files/*-journal"))


@pytest.mark.parametrize("body", [
    b"<html><body><script>alert(1)</script></body></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
], ids=["html", "svg"])  # fmt: skip
def test_tiles_that_are_html_or_svg_are_never_drawn_and_are_an_error(body, tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    path = write_mbtiles(root / "files" / "city.mbtiles", {k: body for k in tiles()})
    with_map(root, "city.mbtiles")
    (problem,) = found(root, "map_tiles_unreadable")
    assert problem.is_error
    figure = trajectory.figure(root / "files" / "track.csv", ROLES, ChartView(basemap=ref(path)))
    assert b"<script>" not in json.dumps(figure).encode()
    for image in figure["layout"]["images"]:
        assert image["source"].startswith("data:image/webp;base64,")


def test_a_pmtiles_cut_short_by_a_few_bytes_is_an_error_in_words(tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    path = write_pmtiles(root / "files" / "city.pmtiles", tiles())
    path.write_bytes(path.read_bytes()[:-10])
    with_map(root, "city.pmtiles")
    (problem,) = found(root, "map_unreadable")
    assert "cut short" in problem.message("en") and problem.key == "map.file"


# --- coordinate systems as written ------------------------------------------------------------


@pytest.mark.parametrize("value", ["GCJ02", "mars"])
def test_an_unknown_crs_names_the_ones_known(value, tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    write_picture(root / "files" / "city.png")
    with_map(root, "city.png", BOUNDS + f'crs = "{value}"\n')
    (problem,) = found(root, "bad_value")
    assert problem.key == "map.crs" and "gcj02" in problem.message("zh-CN")
    deck_with(tmp_path / "case-2", None, more=f'crs = "{value}"\n')
    (problem,) = found(tmp_path / "case-2", "bad_value")
    assert problem.key == "crs" and "gcj02" in problem.message("en")


# --- the figure route -------------------------------------------------------------------------


SECRET_NOTE = "私下备注勿示人"
SECRET_CHALLENGE = "辩方质疑预案内容"


def court_deck(root: Path, csv: bytes, map_name: str | None = "city.png") -> Path:
    """A deck whose trajectory CSV is `csv` (as delivered), with a picture map, a
    [[challenge]] and notes below ???: presenter-only text that no figure may carry."""
    import hashlib

    (root / "files").mkdir(parents=True, exist_ok=True)
    if map_name:
        write_picture(root / "files" / map_name)
    deck_with(root, f"files/{map_name}" if map_name else None, BOUNDS if map_name else "")
    (root / "files" / "track.csv").write_bytes(csv)
    item = root / "items" / "e01-track.md"
    text = item.read_text(encoding="utf-8")
    text = text.replace(text.split('value = "')[1].split('"')[0], hashlib.sha256(csv).hexdigest())
    head, _, _ = text.rpartition("+++")
    challenge = (f'[[challenge]]\nground = "relevance"\nclaim = "{SECRET_CHALLENGE}"\n'
                 f'response = "{SECRET_CHALLENGE}答复"\n')  # fmt: skip
    item.write_text(head + challenge + "+++\n轨迹说明\n\n???\n"
                    + SECRET_NOTE + "\n", encoding="utf-8")  # fmt: skip
    return root


def rows(n: int, offset: str = "+08:00") -> bytes:
    """`n` points a minute apart through Wuhan (NEARBY's area), each with a mobile number in
    its place and a bank card number in its event; times written with `offset` (or none)."""
    lines = ["time,lat,lon,label,place"]
    for i in range(n):
        lat, lon = 30.545 + 0.0003 * i, 114.295 + 0.0003 * i
        lines.append(f"2026-03-08T09:{i:02d}:00{offset},{lat:.5f},{lon:.5f},"
                     f"转账至 {CARD} 第{i}次,{PHONE} 处{i}")  # fmt: skip
    return ("\n".join(lines) + "\n").encode("utf-8")


def on_screen(app, item: str = "E01") -> None:
    court = app.extensions["shizheng.court"]
    court.presentation.command({"action": "goto", "item": item}, "presenter")


def test_the_figure_route_wants_a_key_and_masks_numbers_for_the_public(tmp_path, instance):
    from tests.conftest import PUBLIC_KEY, SCREEN_KEY, court_app, keyed_client

    root = court_deck(tmp_path / "case-1", rows(40))
    with court_app(root, instance) as app:
        on_screen(app)
        assert app.test_client().get("/charts/E01/figure").status_code in (401, 403)
        screen = keyed_client(app, SCREEN_KEY).get("/charts/E01/figure")
        assert screen.status_code == 200
        seen = screen.get_data(as_text=True)
        assert PHONE in json.loads(seen)["layout"]["annotations"].__repr__() or PHONE in seen
        public = keyed_client(app, PUBLIC_KEY).get("/charts/E01/figure")
        assert public.status_code == 200
        text = public.get_data(as_text=True)
        figure = json.loads(text)
        assert figure["meta"]["listed"] or figure["meta"]["written"], "labels and list drawn"
        for secret in (PHONE, CARD, CARD[:4] + CARD[4:8], CARD[-8:]):
            assert secret not in text, secret
        assert "138****5678" in text
        for secret in (SECRET_NOTE, SECRET_CHALLENGE):
            assert secret not in seen and secret not in text


def test_a_csv_broken_since_the_check_is_a_422_not_a_500(tmp_path, instance):
    from tests.conftest import SCREEN_KEY, court_app, keyed_client

    root = court_deck(tmp_path / "case-1", rows(3))
    with court_app(root, instance) as app:
        on_screen(app)
        deck = app.extensions["shizheng.court"].deck
        shown = deck.display(deck.exhibit("E01"), "files/track.csv")
        # changed on disk since `check`: a row of more fields than the header
        shown.write_bytes(b"time,lat,lon,label,place\n1,2,3,4,5,6,7,8\n")
        answer = keyed_client(app, SCREEN_KEY).get("/charts/E01/figure")
        assert answer.status_code == 422 and answer.get_json() == {"error": "unreadable"}


def test_times_without_an_offset_are_the_decks_wall_time(tmp_path, instance):
    from presenter.charts import build

    root = court_deck(tmp_path / "case-1", rows(3, offset=""))
    report = load_deck(root)
    assert report.deck is not None, [p.render("en") for p in report.problems]
    figure = build(report.deck.exhibit("E01"), report.deck)
    texts = " ".join(a["text"] for a in figure["layout"]["annotations"])
    assert "09:00" in texts and "09:02" in texts, texts
    assert "01:00" not in texts and "17:00" not in texts


def test_two_points_in_the_same_second_are_both_drawn_in_file_order(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "time,lat,lon,label,place\n"
        "2026-03-08T09:00:00+08:00,30.5450,114.2950,甲事,甲\n"
        "2026-03-08T09:00:00+08:00,30.5500,114.3000,乙事,乙\n",
        encoding="utf-8",
    )
    figure = trajectory.figure(path, ROLES, ChartView())
    assert figure["meta"]["points"] == 2 and figure["meta"]["dropped"] == 0
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert "<b>甲</b><br><b>1</b> 2026-03-08 09:00 甲事" in texts
    assert "<b>乙</b><br><b>2</b> 2026-03-08 09:00 乙事" in texts


# --- CSVs as platforms and technicians deliver them -------------------------------------------


GBK_TRACK = (
    "王某手机定位记录\n导出时间：2026-03-09\ntime,lat,lon,label,place\n"
    "2026-03-08 09:00:00,30.5450,114.2950,出门,汉口站\n"
    "2026-03-08 10:00:00,30.5500,114.3000,到达,江汉路\n"
)


def test_a_gbk_csv_with_two_title_rows_is_drawn_in_chinese(tmp_path):
    from presenter.charts import build

    root = deck_with(tmp_path / "case-1", None)
    (root / "files" / "track.csv").write_bytes(GBK_TRACK.encode("gbk"))
    report = load_deck(root, verify_hashes=False)
    assert report.deck is not None and codes(root) == []
    figure = build(report.deck.exhibit("E01"), report.deck)
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert figure["meta"]["points"] == 2
    assert "<b>汉口站</b><br><b>1</b> 2026-03-08 09:00 出门" in texts


def test_a_gbk_csv_behind_a_utf8_bom_says_to_name_its_encoding(tmp_path):
    root = deck_with(tmp_path / "case-1", None)
    (root / "files" / "track.csv").write_bytes(b"\xef\xbb\xbf" + GBK_TRACK.encode("gbk"))
    (problem,) = found(root, "display_copy_failed")
    assert problem.is_error and "encoding" in problem.message("zh-CN")


@pytest.mark.parametrize("lat", ["1e309", "NaN", "30°32'N"])
def test_coordinates_not_in_decimal_degrees_are_a_warning_with_the_row(lat, tmp_path):
    root = deck_with(tmp_path / "case-1", None)
    (root / "files" / "track.csv").write_text(
        "time,lat,lon,label,place\n"
        f'2026-03-08T09:00:00+08:00,"{lat}",114.30,到达,甲\n'
        "2026-03-08T10:00:00+08:00,30.55,114.30,到达,乙\n",
        encoding="utf-8",
    )
    (problem,) = found(root, "trajectory_rows_dropped")
    assert problem.severity == "warning" and lat in problem.message("zh-CN")
    assert "30.5512" in problem.message("en")
    figure = trajectory.figure(root / "files" / "track.csv", ROLES, ChartView())
    assert figure["meta"]["points"] == 1 and figure["meta"]["dropped"] == 1


@pytest.mark.parametrize("deep", ["header", "inline"])
def test_a_map_table_nested_two_thousand_deep_is_a_syntax_error_not_a_crash(deep, tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    write_picture(root / "files" / "city.png")
    inline = "deep = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n"
    with_map(root, "city.png", BOUNDS + (inline if deep == "inline" else ""))
    if deep == "header":
        item = root / "items" / "e01-track.md"
        head, _, tail = item.read_text(encoding="utf-8").rpartition("+++")
        item.write_text(head + "[map." + ".".join(["a"] * 2000) + "]\nx = 1\n+++" + tail,
                        encoding="utf-8")  # fmt: skip
    (problem,) = found(root, "toml_syntax")
    assert problem.is_error and "32" in problem.message("en")


# --- guards of basemap.py that had no test ----------------------------------------------------


def test_a_pmtiles_directory_claiming_millions_of_entries_or_a_huge_number_is_refused():
    with pytest.raises(basemap.MapError, match="map_unreadable"):
        basemap._entries_problem(bytes([0xFF, 0xFF, 0xFF, 0x7F]) + b"\x00" * 20)
    with pytest.raises(basemap.MapError, match="map_unreadable"):
        basemap._entries_problem(b"\x01" + b"\x80" * 12 + b"\x01" + b"\x00" * 10)


def test_a_gzip_bomb_inflates_no_further_than_its_limit():
    import gzip

    bomb = gzip.compress(b"\x00" * (4 << 20))
    with pytest.raises(basemap.MapError) as error:
        basemap._inflate(bomb, limit=1 << 20)
    assert "beyond" in error.value.params["detail"]
    with pytest.raises(basemap.MapError):
        basemap._inflate(bomb[:-20])  # cut short


def test_an_mbtiles_claiming_zoom_99_is_an_error_in_words(tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    path = write_mbtiles(root / "files" / "city.mbtiles", tiles())
    db = sqlite3.connect(path)
    db.execute("INSERT INTO tiles VALUES (99, 0, 0, x'00')")
    db.commit()
    db.close()
    with_map(root, "city.mbtiles")
    problems = found(root, "map_unreadable") + found(root, "map_frame_tiles")
    assert problems and problems[0].is_error, codes(root)


def test_a_tiff_named_png_is_refused_before_it_is_parsed(tmp_path):
    root = tmp_path / "case-1"
    (root / "files").mkdir(parents=True)
    Image.new("RGB", (8, 8), "white").save(root / "files" / "city.png", "TIFF")
    with_map(root, "city.png", BOUNDS)
    (problem,) = found(root, "map_unreadable")
    assert problem.is_error and problem.key == "map.file"
