"""Coordinate systems: conversions between WGS-84, GCJ-02 and BD-09 checked against values
published by other projects and vendors, and round trips over a grid covering China."""

import itertools
import math

import numpy as np
import pytest

from presenter.charts.crs import CRS, convert, out_of_china

EARTH_RADIUS = 6371008.8


def metres(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance on the mean Earth sphere; good to a fraction of a millimetre at
    the metre scales measured here."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS * np.arcsin(np.sqrt(a))


def test_metres_is_a_true_distance():
    # one degree of a great circle, and a metre of latitude
    assert metres(0.0, 0.0, 0.0, 1.0) == pytest.approx(2 * math.pi * EARTH_RADIUS / 360)
    assert metres(30.0, 120.0, 30.0 + 1 / 111195.1, 120.0) == pytest.approx(1.0, rel=1e-3)


# googollee/eviltransform, python/test.py (the same rows in go/transform_test.go and
# javascript/test.js): (wgs lat, wgs lon) and the GCJ-02 its forward transform gives.
EVILTRANSFORM = [
    ("Shanghai", (31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
    ("Shenzhen", (22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
    ("Beijing", (39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
]

# hujiulong/gcoord, test/fixtures/china-cities.json (gcoord stores [lon, lat]; here lat
# first): one point per city, given in the three systems to 7 decimals. Its WGS-84 and
# GCJ-02 columns sit 0.67 m (0.73 m at most) from the published transform at every city,
# so they check to within a metre; its BD-09 agrees with its GCJ-02 to the last decimal.
GCOORD_CITIES = [
    ("Kashgar", (39.470184, 75.9868089), (39.4704064, 75.9897602), (39.4764048, 75.9962502)),
    ("Qitaihe", (45.7695273, 130.9954759), (45.7717334, 131.0031494), (45.7775982, 131.0097055)),
    ("Sansha", (16.8334801, 112.3337959), (16.8318454, 112.3387036), (16.8380363, 112.3451951)),
    ("Da Hinggan Ling", (52.3338635, 124.7038236), (52.3352664, 124.7115324),
     (52.3412419, 124.7180582)),
    ("Beijing", (39.9028057, 116.4011517), (39.9042136, 116.4074002), (39.9105355, 116.4137852)),
    ("Shanghai", (31.2323443, 121.4691633), (31.2304194, 121.4737061), (31.2363541, 121.4802435)),
    ("Guangzhou", (23.131788, 113.2590543), (23.1291146, 113.2643859), (23.135343, 113.2708188)),
    ("Urumqi", (43.824388, 87.6140048), (43.8255962, 87.6168579), (43.8317719, 87.6232918)),
    ("Lhasa", (29.655277, 91.1706414), (29.6524954, 91.1721167), (29.6585294, 91.1786184)),
    ("Harbin", (45.8017783, 126.528903), (45.8037804, 126.5349726), (45.8094074, 126.5415875)),
    ("Kunming", (24.8831612, 102.8314746), (24.8800993, 102.8328974), (24.8863908, 102.8393447)),
    ("Chongqing", (29.565849, 106.5478343), (29.563013, 106.5515641), (29.5693061, 106.5579989)),
    ("Chengdu", (30.5747262, 104.0640437), (30.5722732, 104.0665489), (30.5783237, 104.0730134)),
    ("Xi'an", (34.3431382, 108.9351301), (34.3415801, 108.9397792), (34.3477457, 108.946246)),
    ("Hangzhou", (30.2764043, 120.1503589), (30.274088, 120.1550722), (30.2799982, 120.1616149)),
    ("Wuhan", (30.5955177, 114.2999512), (30.5931044, 114.3053942), (30.5987732, 114.3119755)),
]  # fmt: skip


def _column(rows, index):
    points = np.array([row[index] for row in rows])
    return points[:, 0], points[:, 1]


def _gcoord(system: str):
    return _column(GCOORD_CITIES, 1 + CRS.index(system))


def test_wgs84_to_gcj02_matches_eviltransform():
    lat, lon = _column(EVILTRANSFORM, 1)
    want_lat, want_lon = _column(EVILTRANSFORM, 2)
    got = convert(lat, lon, "wgs84", "gcj02")
    assert metres(*got, want_lat, want_lon).max() < 0.001


def test_gcj02_to_wgs84_is_exact_where_the_one_step_inverse_misses_by_metres():
    # eviltransform's own one-step inverse misses Shanghai by 1.9 m; its test allows 5 m
    lat, lon = _column(EVILTRANSFORM, 2)
    want_lat, want_lon = _column(EVILTRANSFORM, 1)
    got = convert(lat, lon, "gcj02", "wgs84")
    assert metres(*got, want_lat, want_lon).max() < 0.01


@pytest.mark.parametrize("source,target", list(itertools.permutations(CRS, 2)))
def test_every_direction_matches_gcoord_cities_within_a_metre(source, target):
    got = convert(*_gcoord(source), source, target)
    assert metres(*got, *_gcoord(target)).max() < 1.0


@pytest.mark.parametrize("source,target", [("gcj02", "bd09"), ("bd09", "gcj02")])
def test_gcj02_and_bd09_match_gcoord_cities_to_their_last_decimal(source, target):
    # 1e-7 degrees is about 1 cm; Baidu's one-step inverse alone misses by up to 20 cm
    got = convert(*_gcoord(source), source, target)
    assert metres(*got, *_gcoord(target)).max() < 0.02


def test_baidu_and_amap_points_match_wandergis_coordtransform():
    # wandergis/coordtransform, test/app.js, each from (lon 116.404, lat 39.915)
    lat, lon = [39.915], [116.404]
    to_gcj02 = convert(lat, lon, "wgs84", "gcj02")
    assert metres(*to_gcj02, 39.91640428150164, 116.41024449916938)[0] < 0.001
    to_bd09 = convert(lat, lon, "gcj02", "bd09")
    assert metres(*to_bd09, 39.92133699351021, 116.41036949371029)[0] < 0.001
    # its BD-09 to GCJ-02 is Baidu's one-step inverse, itself about 5 cm off
    from_bd09 = convert(lat, lon, "bd09", "gcj02")
    assert metres(*from_bd09, 39.90865673957631, 116.39762729119315)[0] < 0.1


def test_gcj02_to_bd09_matches_alibaba_cloud_documented_example():
    # help.aliyun.com, address purification API TransferCoord, response example:
    # GCJ02 "120.026268,30.279164" -> BD09 "120.032768,30.285238" (6 decimals, ~10 cm)
    got = convert([30.279164], [120.026268], "gcj02", "bd09")
    assert metres(*got, 30.285238, 120.032768)[0] < 0.1


@pytest.fixture(scope="module")
def china_grid():
    """Every quarter degree over lat 18..53, lon 73..135: 35,000 points, several blocks."""
    lat, lon = np.meshgrid(np.arange(18.0, 53.001, 0.25), np.arange(73.0, 135.001, 0.25))
    return lat.ravel(), lon.ravel()


@pytest.mark.parametrize("source,target", list(itertools.permutations(CRS, 2)))
def test_round_trip_over_china_lands_within_a_centimetre(china_grid, source, target):
    there = convert(*china_grid, source, target)
    # every point moves (38 m at least, on this grid), so a no-op could not pass this
    assert metres(*there, *china_grid).min() > 10
    back = convert(*there, target, source)
    assert metres(*back, *china_grid).max() < 0.01


@pytest.mark.parametrize("source,target", [("gcj02", "wgs84"), ("bd09", "gcj02")])
def test_inverse_solves_the_forward_transform_to_1e_7_degrees(china_grid, source, target):
    lat, lon = convert(*china_grid, source, target)
    again_lat, again_lon = convert(lat, lon, target, source)
    assert np.abs(again_lat - china_grid[0]).max() < 1e-7
    assert np.abs(again_lon - china_grid[1]).max() < 1e-7


@pytest.mark.parametrize("system", CRS)
def test_identity_returns_equal_new_arrays(system):
    lat = np.array([39.9, 31.2])
    lon = np.array([116.4, 121.5])
    got_lat, got_lon = convert(lat, lon, system, system)
    np.testing.assert_array_equal(got_lat, lat)
    np.testing.assert_array_equal(got_lon, lon)
    got_lat[0] = 0.0
    assert lat[0] == 39.9


# London, Tokyo (east of the box), Sydney, the Gulf of Guinea, and north of the box
ABROAD = ([51.5074, 35.6762, -33.8688, 0.0, 56.0], [-0.1278, 139.6503, 151.2093, 0.0, 100.0])


@pytest.mark.parametrize("source,target", list(itertools.permutations(CRS, 2)))
def test_points_outside_china_are_left_unchanged(source, target):
    got_lat, got_lon = convert(*ABROAD, source, target)
    np.testing.assert_array_equal(got_lat, ABROAD[0])
    np.testing.assert_array_equal(got_lon, ABROAD[1])


def test_points_in_and_out_of_china_in_one_call_are_each_treated_right():
    lat = [ABROAD[0][1], 39.911954]
    lon = [ABROAD[1][1], 116.377817]
    got_lat, got_lon = convert(lat, lon, "wgs84", "gcj02")
    assert (got_lat[0], got_lon[0]) == (lat[0], lon[0])
    assert metres(got_lat[1], got_lon[1], *EVILTRANSFORM[2][2]) < 0.001


def test_out_of_china_answers_for_scalars_and_arrays():
    assert out_of_china(51.5074, -0.1278) is True
    assert out_of_china(39.9, 116.4) is False
    np.testing.assert_array_equal(
        out_of_china([39.9, 35.6762, float("nan")], [116.4, 139.6503, 116.4]),
        [False, True, True],
    )


@pytest.mark.parametrize("source,target", list(itertools.permutations(CRS, 2)))
def test_non_finite_points_come_back_nan_without_warnings(source, target):
    # pytest turns any numpy warning into an error here (filterwarnings = error)
    nan, inf = float("nan"), float("inf")
    lat = [nan, 39.9, inf, -inf, 39.9]
    lon = [116.4, nan, 116.4, 116.4, 116.4]
    got_lat, got_lon = convert(lat, lon, source, target)
    assert np.isnan(got_lat[:4]).all() and np.isnan(got_lon[:4]).all()
    assert np.isfinite([got_lat[4], got_lon[4]]).all()
    assert metres(got_lat[4], got_lon[4], 39.9, 116.4) > 100


@pytest.mark.parametrize(
    "source,target", [("wgs84", "gcj02"), ("bd09", "wgs84"), ("gcj02", "gcj02")]
)
def test_empty_input_gives_empty_arrays(source, target):
    got_lat, got_lon = convert([], np.array([]), source, target)
    assert got_lat.shape == got_lon.shape == (0,)
    assert got_lat.dtype == got_lon.dtype == np.float64


def test_shape_is_kept_and_inputs_are_untouched():
    lat = np.array([[39.9, 31.2], [22.5, 45.8]])
    lon = np.array([[116.4, 121.5], [113.9, 126.5]])
    kept_lat, kept_lon = lat.copy(), lon.copy()
    got_lat, got_lon = convert(lat, lon, "bd09", "wgs84")
    assert got_lat.shape == got_lon.shape == (2, 2)
    flat = convert(lat.ravel(), lon.ravel(), "bd09", "wgs84")
    np.testing.assert_array_equal(got_lat.ravel(), flat[0])
    np.testing.assert_array_equal(lat, kept_lat)
    np.testing.assert_array_equal(lon, kept_lon)


@pytest.mark.parametrize("source,target", [("wgs84", "mars"), ("GCJ-02", "wgs84")])
def test_unknown_system_names_the_choices(source, target):
    with pytest.raises(ValueError, match="wgs84, gcj02, bd09") as caught:
        convert([39.9], [116.4], source, target)
    bad = target if source in CRS else source
    assert repr(bad) in str(caught.value)


def test_lats_and_lons_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="shape"):
        convert([39.9, 31.2], [116.4], "wgs84", "gcj02")
