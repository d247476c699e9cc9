"""A fine raster summed onto a coarser analysis grid (the suitability and availability grids).

Where the analyses score a 0.05-degree grid, a resource raster finer than the grid is best
represented in each grid cell by the mean of its own cells there, not by the one cell under the
grid cell's centre. The zones here are the grid cells themselves, so no polygon is burnt: each
raster cell's grid cell follows from its centre by arithmetic (the cell-centre rule), and the
cells are summed per grid cell with :func:`numpy.bincount`, window by window.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from affine import Affine

from longtu import settings
from longtu.analysis.io.rasters import UserRaster, sample_raster
from longtu.analysis.zonal.windows import DEFAULT_WINDOW_CELLS, window_grid
from longtu.errors import ParameterError


def _grid_index(centres: np.ndarray, origin: float, step: float, n: int) -> np.ndarray:
    """Grid cell (0..n-1) of each coordinate of cell centres, -1 outside the grid."""
    index = np.floor((centres - origin) / step).astype(np.int64)
    return np.where((index >= 0) & (index < n), index, -1)


def raster_on_grid(
    raster: UserRaster,
    *,
    transform: Affine,
    shape: tuple[int, int],
    window_cells: int = DEFAULT_WINDOW_CELLS,
) -> np.ndarray:
    """Mean of `raster`'s cells in each cell of a grid in EPSG:4326 (cell-centre rule).

    A grid cell holding no raster cell centre (under a raster coarser than the grid) takes the
    value of the raster cell under its own centre, as :func:`sample_raster` gives.

    Parameters
    ----------
    raster
        A user raster (EPSG:4326), e.g. from :func:`longtu.analysis.io.read_user_raster`.
    transform
        The grid's north-up transform, in degrees (e.g. ``gansu_grid(0.05)[0]``).
    shape
        The grid's (rows, columns).
    window_cells
        Raster cells handled at once.

    Returns
    -------
    numpy.ndarray
        float64 array of `shape`, in the raster's unit; NaN where the raster has no value.

    Examples
    --------
    >>> fine = UserRaster(np.arange(16.0).reshape(4, 4), Affine(0.5, 0, 100, 0, -0.5, 40),
    ...                   "demo", "m")
    >>> raster_on_grid(fine, transform=Affine(1, 0, 100, 0, -1, 40), shape=(2, 2)).tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """
    if transform.b != 0 or transform.d != 0 or raster.transform.b or raster.transform.d:
        raise ParameterError("`transform` and the raster must be north-up (no rotation).")
    total, count = _sums_on_grid(raster, transform, shape, window_cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (total / count).reshape(shape)
    empty = count.reshape(shape) == 0
    if empty.any():
        means[empty] = _sample_at_centres(raster, transform, empty)
    return means


def _sums_on_grid(
    raster: UserRaster, transform: Affine, shape: tuple[int, int], window_cells: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sum and count of `raster`'s valued cells per grid cell (flat, row by row), by window."""
    total, count = np.zeros(shape[0] * shape[1]), np.zeros(shape[0] * shape[1])
    data, fine = raster.data, raster.transform
    for window in window_grid(data.shape, (1, data.shape[1]), window_cells=window_cells):
        rows, cols = window.toslices()
        y = fine.f + (np.arange(rows.start, rows.stop) + 0.5) * fine.e
        x = fine.c + (np.arange(cols.start, cols.stop) + 0.5) * fine.a
        grid_row = _grid_index(y, transform.f, transform.e, shape[0])
        grid_col = _grid_index(x, transform.c, transform.a, shape[1])
        label = grid_row[:, None] * shape[1] + grid_col[None, :]
        keep = (grid_row[:, None] >= 0) & (grid_col[None, :] >= 0) & ~np.isnan(data[rows, cols])
        total += np.bincount(label[keep], weights=data[rows, cols][keep], minlength=total.size)
        count += np.bincount(label[keep], minlength=count.size)
    return total, count


def _sample_at_centres(raster: UserRaster, transform: Affine, cells: np.ndarray) -> np.ndarray:
    """`raster`'s value under the centre of each grid cell where `cells` is true, row by row."""
    rows, cols = np.nonzero(cells)
    lon, lat = (
        transform.c + (cols + 0.5) * transform.a,
        transform.f + (rows + 0.5) * transform.e,
    )
    centres = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=settings.storage_crs)
    return sample_raster(raster, centres)
