"""Surfaces interpolated from station measurements (e.g. annual GHI at weather stations).

For a user who has station data but no gridded resource map. The result is a **modelled**
surface and says so in its source; its quality is the leave-one-out error
(:func:`leave_one_out`), which should be quoted with it. Distances are in metres in the
Albers equal-area CRS (:data:`longtu.settings.equal_area_crs`), never in degrees.
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine
from scipy.interpolate import RBFInterpolator

from longtu import settings
from longtu.analysis.io.rasters import RasterInputError, UserRaster, warp_to_wgs84

Method = Literal["idw", "thin_plate"]


def _station_xy(stations: gpd.GeoDataFrame, value_column: str) -> tuple[np.ndarray, np.ndarray]:
    if stations.crs is None:
        raise RasterInputError(
            f"`stations` has no CRS; use `set_crs('{settings.storage_crs}')` for lon/lat points.",
            zh=f"站点未注明坐标系；经纬度点请设定为 {settings.storage_crs}。",
        )
    if value_column not in stations.columns:
        raise RasterInputError(
            f"`value_column` {value_column!r} is not a column of `stations`.",
            zh=f"站点数据中没有列 {value_column}；请选用站点数据中的数值列。",
        )
    valid = stations[stations[value_column].notna() & ~stations.geometry.is_empty]
    if len(valid) < 3:
        raise RasterInputError(
            f"`stations` needs at least 3 points with a value; it has {len(valid)}.",
            zh=f"有值的站点只有 {len(valid)} 个；插值至少需要 3 个。",
        )
    projected = valid.geometry.to_crs(settings.equal_area_crs)
    xy = np.column_stack([projected.x, projected.y])
    return xy, valid[value_column].to_numpy(dtype=float)


def _predict(
    xy: np.ndarray, values: np.ndarray, targets: np.ndarray, method: Method, power: float
) -> np.ndarray:
    if method == "thin_plate":
        scale = 1e5  # 100 km units keep the spline system well conditioned
        rbf = RBFInterpolator(xy / scale, values, kernel="thin_plate_spline", degree=1)
        return rbf(targets / scale)
    distance = np.hypot(*(targets[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    weights = 1.0 / np.maximum(distance, 1.0) ** power
    return (weights * values).sum(axis=1) / weights.sum(axis=1)


def leave_one_out(
    stations: gpd.GeoDataFrame,
    value_column: str,
    *,
    method: Method = "idw",
    power: float = 2.0,
) -> pd.DataFrame:
    """Predict each station from all the others: the honest error of the surface.

    Parameters
    ----------
    stations
        Points with a CRS and a value column.
    value_column
        Column to interpolate.
    method
        ``"idw"`` (inverse distance, weight ``1/d**power``) or ``"thin_plate"`` (scipy
        thin-plate spline with a linear trend).
    power
        IDW power.

    Returns
    -------
    pandas.DataFrame
        ``observed``, ``predicted``, ``error`` (predicted - observed), same index as the
        stations used.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoDataFrame({"v": [1.0, 1.0, 1.0, 1.0]},
    ...     geometry=[Point(100, 36), Point(101, 36), Point(100, 37), Point(101, 37)], crs=4326)
    >>> float(leave_one_out(pts, "v")["error"].abs().max())  # a flat field is reproduced exactly
    0.0
    """
    xy, values = _station_xy(stations, value_column)
    predicted = np.empty_like(values)
    for i in range(len(values)):
        keep = np.arange(len(values)) != i
        predicted[i] = _predict(xy[keep], values[keep], xy[i : i + 1], method, power)[0]
    return pd.DataFrame({"observed": values, "predicted": predicted, "error": predicted - values})


def interpolate_stations(
    stations: gpd.GeoDataFrame,
    value_column: str,
    *,
    name: str,
    unit: str,
    method: Method = "idw",
    power: float = 2.0,
    cell_km: float = 10.0,
) -> tuple[np.ndarray, Affine, str]:
    """Interpolate station values onto a grid over Gansu in the equal-area CRS.

    Parameters
    ----------
    stations
        Points with a CRS and a value column.
    value_column
        Column to interpolate.
    name, unit
        What the surface holds (kept for the caller; see :func:`station_surface`).
    method, power
        As in :func:`leave_one_out`.
    cell_km
        Grid cell size, km.

    Returns
    -------
    tuple
        ``(data, transform, crs)``: 2-D array (rows north to south), its affine transform in
        metres, and the CRS string (:data:`longtu.settings.equal_area_crs`).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoDataFrame({"v": [1.0, 2.0, 3.0]},
    ...     geometry=[Point(95, 40), Point(104, 36), Point(106, 34)], crs=4326)
    >>> data, transform, crs = interpolate_stations(pts, "v", name="v", unit="-", cell_km=50)
    >>> bool(np.nanmin(data) >= 1.0 and np.nanmax(data) <= 3.0), transform.a
    (True, 50000.0)
    """
    del name, unit  # carried by station_surface
    xy, values = _station_xy(stations, value_column)
    west, south, east, north = settings.gansu_bounds
    box = gpd.GeoSeries.from_xy(
        [west, east, west, east], [south, south, north, north], crs=settings.storage_crs
    )
    corners = box.to_crs(settings.equal_area_crs)
    cell = cell_km * 1000.0
    x0, x1 = np.floor(corners.x.min() / cell) * cell, np.ceil(corners.x.max() / cell) * cell
    y0, y1 = np.floor(corners.y.min() / cell) * cell, np.ceil(corners.y.max() / cell) * cell
    xs = np.arange(x0 + cell / 2, x1, cell)
    ys = np.arange(y1 - cell / 2, y0, -cell)
    grid_x, grid_y = np.meshgrid(xs, ys)
    targets = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    chunks = [_predict(xy, values, part, method, power) for part in np.array_split(targets, 20)]
    data = np.concatenate(chunks).reshape(grid_x.shape)
    return data, Affine(cell, 0.0, x0, 0.0, -cell, y1), settings.equal_area_crs


def station_surface(
    stations: gpd.GeoDataFrame,
    value_column: str,
    *,
    name: str,
    unit: str,
    method: Method = "idw",
    power: float = 2.0,
    cell_km: float = 10.0,
) -> UserRaster:
    """Interpolated surface as a :class:`~longtu.analysis.io.rasters.UserRaster` in EPSG:4326.

    Same parameters as :func:`interpolate_stations`; the raster's source says it is modelled
    from N stations by `method`.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoDataFrame({"v": [1.0, 2.0, 3.0]},
    ...     geometry=[Point(95, 40), Point(104, 36), Point(106, 34)], crs=4326)
    >>> station_surface(pts, "v", name="ghi", unit="kWh/m2/yr", cell_km=50).source[:8]
    'modelled'
    """
    data, transform, crs = interpolate_stations(
        stations, value_column, name=name, unit=unit, method=method, power=power, cell_km=cell_km
    )
    n = int(stations[value_column].notna().sum())
    source = f"modelled: {method} interpolation of {n} stations ({value_column}), {cell_km} km"
    return warp_to_wgs84(data, transform=transform, crs=crs, name=name, unit=unit, source=source)
