"""Coordinate systems as Chinese platforms deliver them (坐标系): WGS-84 from GPS and base
stations, GCJ-02 ("火星坐标", the state-mandated shift that AMap and Tencent use) and BD-09
(Baidu's further shift of GCJ-02), so that a trajectory lands on a base map where it was.

Written here rather than taken from PyPI, after reading the candidates (2026-11):
eviltransform 0.1.1 (MIT, 2018) and prcoords 1.0.2 (GPLv3+/CC0, 2019) convert one point at a
time in pure Python; coordtransform 0.2.1 (MIT, 2026), transbigdata 0.5.3, CoordinatesConverter
0.1.5 and MapDatumTrans 1.0.1 invert GCJ-02 in one step, which is off by up to a few metres;
coord-convert 0.2.1 and pygcj 0.0.2 iterate per point in Python; geocoordinates-rs 0.14.2
makes one foreign call per point; prcoords-typed needs Python 3.14. None is both exact and
vectorised, and a trajectory may hold 100,000 points while an inverse that is metres off
can put a phone on the wrong side of a street.

The forward transforms are the published ones (Krasovsky ellipsoid a = 6378245.0,
ee = 0.00669342162296594323; BD-09 from GCJ-02 with x_pi = pi * 3000 / 180), computed in
double precision. Neither has a closed form inverse, so the inverses iterate
w <- w - (forward(w) - given) until a step is under 1e-6 degrees, which leaves under
2e-8 degrees (2 mm). Points outside the rough China box of the standard algorithm
(lat 0.8293..55.8271, lon 72.004..137.8347, judged in the source system) are returned
unchanged, as the platforms do; a point with a non-finite coordinate comes back as NaN in
both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

CRS = ("wgs84", "gcj02", "bd09")

_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
_BD_DLAT = 0.006
_BD_DLON = 0.0065

_STEP_TOLERANCE = 1e-6
"""Degrees: an inverse stops once its last step moved no point by this much (see _inverse)."""
_MOST_STEPS = 10
"""A bound for the inverses' loops; three steps suffice everywhere in China."""
_BLOCK = 8192
"""Points converted together: their dozens of temporary arrays then stay in the CPU's
cache, which makes 100,000 points twice as fast as converting them all at once."""

Pair = tuple[np.ndarray, np.ndarray]


def out_of_china(lat, lon) -> np.ndarray | bool:
    """True where a point lies outside the box in which the platforms shift coordinates;
    a bool for scalars, a bool array for arrays (NaN counts as outside)."""
    lat_arr = np.asarray(lat, dtype=np.float64)
    lon_arr = np.asarray(lon, dtype=np.float64)
    inside = (lon_arr >= 72.004) & (lon_arr <= 137.8347)
    inside &= (lat_arr >= 0.8293) & (lat_arr <= 55.8271)
    outside = ~inside
    return bool(outside) if outside.ndim == 0 else outside


def convert(
    lats: Sequence[float] | np.ndarray,
    lons: Sequence[float] | np.ndarray,
    source: str,
    target: str,
) -> Pair:
    """(lats, lons) moved from the `source` system to the `target` one, both among CRS.

    Returns new float arrays of the inputs' shape; the inputs are never changed.
    """
    for name in (source, target):
        if name not in CRS:
            raise ValueError(f"unknown coordinate system {name!r}: choose one of {', '.join(CRS)}")
    lat = np.array(lats, dtype=np.float64)
    lon = np.array(lons, dtype=np.float64)
    if lat.shape != lon.shape:
        raise ValueError(f"lats and lons differ in shape: {lat.shape} and {lon.shape}")
    finite = np.isfinite(lat) & np.isfinite(lon)
    lat[~finite] = np.nan
    lon[~finite] = np.nan
    if source == target:
        return lat, lon
    steps = _STEPS[(source, target)]
    flat_lat, flat_lon = lat.reshape(-1), lon.reshape(-1)
    moved = np.flatnonzero(finite & ~out_of_china(lat, lon))
    for start in range(0, moved.size, _BLOCK):
        block = moved[start : start + _BLOCK]
        block_lat, block_lon = flat_lat[block], flat_lon[block]
        for step in steps:
            block_lat, block_lon = step(block_lat, block_lon)
        flat_lat[block], flat_lon[block] = block_lat, block_lon
    return lat, lon


def _sine(angle: np.ndarray) -> np.ndarray:
    """sin(angle) from the half-angle tangent: numpy runs float64 tan in SIMD but sin and
    cos one element at a time (five times slower here), and the identity loses nothing."""
    half = np.tan(angle / 2.0)
    return 2.0 * half / (1.0 + half * half)


def _cosine(angle: np.ndarray) -> np.ndarray:
    """cos(angle), from the half-angle tangent like _sine."""
    square = np.tan(angle / 2.0) ** 2
    return (1.0 - square) / (1.0 + square)


def _shift(lat: np.ndarray, lon: np.ndarray) -> Pair:
    """GCJ-02's offset in degrees (north, east) at a WGS-84 point, as published."""
    x = lon - 105.0
    y = lat - 35.0
    px = x * np.pi
    py = y * np.pi
    xy = x * y
    root = np.sqrt(np.abs(x))
    common = 20.0 * _sine(6.0 * px) + 20.0 * _sine(2.0 * px)
    north = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * xy + 0.2 * root
    north += common * 2.0 / 3.0
    north += (20.0 * _sine(py) + 40.0 * _sine(py / 3.0)) * 2.0 / 3.0
    north += (160.0 * _sine(py / 12.0) + 320.0 * _sine(py / 30.0)) * 2.0 / 3.0
    east = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * xy + 0.1 * root
    east += common * 2.0 / 3.0
    east += (20.0 * _sine(px) + 40.0 * _sine(px / 3.0)) * 2.0 / 3.0
    east += (150.0 * _sine(px / 12.0) + 300.0 * _sine(px / 30.0)) * 2.0 / 3.0
    # the offsets above are metres; turn them into degrees on the Krasovsky ellipsoid
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * _sine(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    north = north * 180.0 / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    east = east * 180.0 / (_A / sqrt_magic * _cosine(rad_lat) * np.pi)
    return north, east


def _wgs84_to_gcj02(lat: np.ndarray, lon: np.ndarray) -> Pair:
    north, east = _shift(lat, lon)
    return lat + north, lon + east


def _gcj02_to_bd09(lat: np.ndarray, lon: np.ndarray) -> Pair:
    radius = np.sqrt(lon * lon + lat * lat) + 0.00002 * _sine(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * _cosine(lon * _X_PI)
    return radius * _sine(theta) + _BD_DLAT, radius * _cosine(theta) + _BD_DLON


def _bd09_to_gcj02_rough(lat: np.ndarray, lon: np.ndarray) -> Pair:
    """Baidu's published approximate inverse (about 2e-6 degrees off): a starting point."""
    x = lon - _BD_DLON
    y = lat - _BD_DLAT
    radius = np.sqrt(x * x + y * y) - 0.00002 * _sine(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * _cosine(x * _X_PI)
    return radius * _sine(theta), radius * _cosine(theta)


def _inverse(
    forward: Callable[[np.ndarray, np.ndarray], Pair],
    lat: np.ndarray,
    lon: np.ndarray,
    start: Pair,
) -> Pair:
    """The point that `forward` takes to (lat, lon), by fixed-point steps from `start`.

    Both shifts vary slowly (by under 0.02 degree per degree moved), so each step leaves
    under a fiftieth of the error before it: once a step moves no point by
    _STEP_TOLERANCE, the error left is below 2e-8 degrees (2 mm)."""
    guess_lat, guess_lon = start
    for _ in range(_MOST_STEPS):
        got_lat, got_lon = forward(guess_lat, guess_lon)
        miss_lat = got_lat - lat
        miss_lon = got_lon - lon
        guess_lat = guess_lat - miss_lat
        guess_lon = guess_lon - miss_lon
        largest = max(np.abs(miss_lat).max(initial=0.0), np.abs(miss_lon).max(initial=0.0))
        if largest < _STEP_TOLERANCE:
            break
    return guess_lat, guess_lon


def _gcj02_to_wgs84(lat: np.ndarray, lon: np.ndarray) -> Pair:
    return _inverse(_wgs84_to_gcj02, lat, lon, (lat, lon))


def _bd09_to_gcj02(lat: np.ndarray, lon: np.ndarray) -> Pair:
    return _inverse(_gcj02_to_bd09, lat, lon, _bd09_to_gcj02_rough(lat, lon))


_STEPS: dict[tuple[str, str], tuple[Callable[[np.ndarray, np.ndarray], Pair], ...]] = {
    ("wgs84", "gcj02"): (_wgs84_to_gcj02,),
    ("gcj02", "wgs84"): (_gcj02_to_wgs84,),
    ("gcj02", "bd09"): (_gcj02_to_bd09,),
    ("bd09", "gcj02"): (_bd09_to_gcj02,),
    ("wgs84", "bd09"): (_wgs84_to_gcj02, _gcj02_to_bd09),
    ("bd09", "wgs84"): (_bd09_to_gcj02, _gcj02_to_wgs84),
}
"""Each direction as the chain of steps it takes; BD-09 is always reached through GCJ-02."""
