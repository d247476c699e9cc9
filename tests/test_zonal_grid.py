"""A raster summed onto the 0.05-degree analysis grid (analysis.zonal.raster_on_grid)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine

from longtu.analysis.io.rasters import UserRaster, sample_raster, warp_to_wgs84
from longtu.analysis.resource.availability import gansu_grid
from longtu.analysis.zonal import raster_on_grid, zonal_stats
from longtu.errors import ParameterError
from longtu.layout import load_base_raster

GRID_TRANSFORM, GRID_SHAPE = gansu_grid(0.05)


@pytest.fixture(scope="module")
def terrain():
    """Longtu's shipped terrain elevation (~0.083 degree cells) as a user raster."""
    base = load_base_raster("terrain")
    data = np.where(base.data[0] == -9999.0, np.nan, base.data[0])
    return UserRaster(data, base.transform, "elevation", "m")


def _grid_centres():
    rows, cols = np.indices(GRID_SHAPE)
    lon = GRID_TRANSFORM.c + (cols.ravel() + 0.5) * GRID_TRANSFORM.a
    lat = GRID_TRANSFORM.f + (rows.ravel() + 0.5) * GRID_TRANSFORM.e
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def test_a_fine_raster_is_averaged_not_sampled():
    # 0.01-degree cells, 1 only in the cell under each grid centre: sampling says 1, the mean
    # of the 25 cells of each grid cell is 1/25.
    rows, cols = np.indices((GRID_SHAPE[0] * 5, GRID_SHAPE[1] * 5))
    probe = ((rows % 5 == 2) & (cols % 5 == 2)).astype(float)
    raster = UserRaster(probe, Affine(0.01, 0, 92.0, 0, -0.01, 43.0), "probe", "1")
    assert np.nanmax(sample_raster(raster, _grid_centres())) == 1.0
    on_grid = raster_on_grid(raster, transform=GRID_TRANSFORM, shape=GRID_SHAPE)
    np.testing.assert_allclose(on_grid, 1 / 25)


def test_a_coarser_raster_gives_the_cell_under_each_grid_centre(terrain):
    # Terrain cells (0.083 degree) are wider than grid cells (0.05): a grid cell holds at most
    # one terrain centre, and that cell is the one under the grid centre.
    on_grid = raster_on_grid(terrain, transform=GRID_TRANSFORM, shape=GRID_SHAPE)
    sampled = sample_raster(terrain, _grid_centres()).reshape(GRID_SHAPE)
    np.testing.assert_array_equal(on_grid, sampled)
    assert np.isfinite(on_grid).mean() > 0.25  # Gansu fills ~30 % of its bounding box


def test_the_grid_mean_is_the_zonal_mean_of_the_grid_cell(terrain):
    fine = warp_to_wgs84(
        terrain.data, transform=terrain.transform, crs="EPSG:4326", name="elevation",
        unit="m", resolution_deg=0.01,
    )  # fmt: skip
    on_grid = raster_on_grid(fine, transform=GRID_TRANSFORM, shape=GRID_SHAPE, window_cells=10**5)
    inside = np.argwhere(np.isfinite(on_grid))  # grid cells over Gansu
    rows, cols = inside[np.random.default_rng(16).choice(len(inside), 40, replace=False)].T
    west = GRID_TRANSFORM.c + cols * GRID_TRANSFORM.a
    north = GRID_TRANSFORM.f + rows * GRID_TRANSFORM.e
    boxes = shapely.box(west, north + GRID_TRANSFORM.e, west + GRID_TRANSFORM.a, north)
    zones = gpd.GeoDataFrame(geometry=boxes, crs="EPSG:4326")
    zonal = zonal_stats(fine, zones, stats=("mean", "count"))
    assert zonal["n_cells"].between(1, 25).all()  # 5 x 5 fine cells, fewer at Gansu's edge
    assert (zonal["n_cells"] == 25).mean() > 0.8
    np.testing.assert_allclose(on_grid[rows, cols], zonal["mean"], rtol=1e-9)


def test_a_rotated_grid_is_refused(terrain):
    with pytest.raises(ParameterError, match="north-up"):
        raster_on_grid(terrain, transform=Affine(0.05, 0.01, 92, 0, -0.05, 43), shape=(2, 2))
