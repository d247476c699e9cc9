"""User rasters read, checked, warped to the storage CRS and sampled (analysis.io.rasters)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from affine import Affine
from raster_helpers import write_geotiff
from shapely.geometry import Point

from longtu import settings
from longtu.analysis.io.rasters import (
    RasterInputError,
    read_user_raster,
    sample_raster,
    warp_to_wgs84,
)


def _write(path, data, transform, crs, nodata=None):
    return write_geotiff(path, data.astype("float32"), transform, crs, nodata=nodata)


def _points(*xy):
    return gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in xy], crs=4326)


def test_sample_raster_picks_the_pixel_under_each_point():
    raster = warp_to_wgs84(
        np.array([[1.0, 2.0], [3.0, 4.0]]),
        transform=Affine(1, 0, 100, 0, -1, 40),
        crs="EPSG:4326",
        name="ghi",
        unit="kWh/m2/yr",
        resolution_deg=1.0,
    )
    values = sample_raster(raster, _points((100.5, 39.5), (101.5, 39.5), (100.5, 38.5)))
    assert values.tolist() == [1.0, 2.0, 3.0]


def test_nodata_becomes_nan_and_points_outside_are_nan():
    raster = warp_to_wgs84(
        np.array([[-9999.0, 2.0], [3.0, 4.0]]),
        transform=Affine(1, 0, 100, 0, -1, 40),
        crs="EPSG:4326",
        name="ghi",
        unit="kWh/m2/yr",
        nodata=-9999.0,
        resolution_deg=1.0,
    )
    values = sample_raster(raster, _points((100.5, 39.5), (90.0, 30.0)))
    assert np.isnan(values).all()


def test_projected_geotiff_is_reprojected_bilinear(tmp_path):
    # A plane rising 1 per km eastwards in the equal-area CRS keeps its values after warping.
    cell = 5000.0
    x0, y1 = 0.0, 4_300_000.0  # near 105 E, 37-38 N
    cols = np.arange(40)
    data = np.tile((x0 + (cols + 0.5) * cell) / 1000.0, (40, 1))
    path = _write(
        tmp_path / "plane.tif", data, Affine(cell, 0, x0, 0, -cell, y1), settings.equal_area_crs
    )
    raster = read_user_raster(path, name="plane", unit="km")
    assert raster.tags["resampling"] == "bilinear"
    probe = gpd.GeoSeries([Point(50_000, 4_250_000)], crs=settings.equal_area_crs).to_crs(4326)
    value = sample_raster(raster, gpd.GeoDataFrame(geometry=probe))[0]
    assert value == pytest.approx(50.0, abs=3.0)  # within about half a 5 km pixel


def test_categorical_raster_keeps_its_classes(tmp_path):
    data = np.array([[10.0, 12.0], [16.0, 13.0]])
    path = _write(tmp_path / "classes.tif", data, Affine(0.5, 0, 100, 0, -0.5, 38), "EPSG:4326")
    raster = read_user_raster(path, name="igbp", unit="class", kind="categorical")
    assert raster.tags["resampling"] == "nearest"
    assert set(np.unique(raster.data[~np.isnan(raster.data)])) <= {10.0, 12.0, 13.0, 16.0}


def test_raster_without_crs_or_outside_gansu_is_refused(tmp_path):
    data = np.ones((3, 3))
    no_crs = _write(tmp_path / "nocrs.tif", data, Affine(1, 0, 100, 0, -1, 38), None)
    with pytest.raises(RasterInputError, match="has no CRS"):
        read_user_raster(no_crs, name="ghi")
    africa = _write(tmp_path / "africa.tif", data, Affine(1, 0, 10, 0, -1, 10), "EPSG:4326")
    with pytest.raises(RasterInputError, match="does not overlap Gansu"):
        read_user_raster(africa, name="ghi")
    with pytest.raises(RasterInputError, match="`unit` is needed"):
        read_user_raster(africa, name="mystery")


def test_clear_sky_irradiance_is_never_accepted_as_a_resource():
    with pytest.raises(RasterInputError, match="not a resource map"):
        warp_to_wgs84(
            np.ones((2, 2)),
            transform=Affine(1, 0, 100, 0, -1, 40),
            crs="EPSG:4326",
            name="ghi_clearsky",
            unit="kWh/m2/yr",
        )


def test_a_raster_finer_than_the_read_limit_is_read_averaged_and_says_so(tmp_path):
    """A raster over Gansu with more cells than `max_cells` is read as block means (not whole)."""
    rows, cols = 400, 600  # 0.025 degree cells over Gansu's bounding box
    data = np.arange(rows * cols, dtype=np.float32).reshape(rows, cols) % 997
    transform = Affine(0.025, 0, 93.0, 0, -0.025, 42.5)  # inside Gansu's box: read whole
    path = _write(tmp_path / "ghi_fine.tif", data, transform, "EPSG:4326")
    raster = read_user_raster(path, name="ghi", max_cells=20_000)  # 240,000 cells -> factor 4
    assert raster.data.shape == (100, 150)
    assert raster.transform.a == pytest.approx(0.1)
    by_hand = data.reshape(100, 4, 150, 4).mean(axis=(1, 3))  # means of 4x4 blocks
    np.testing.assert_allclose(raster.data, by_hand, rtol=1e-5)
    assert "1/4" in raster.tags["read_note_en"] and "ghi_fine.tif" in raster.tags["read_note_en"]
    assert "合并" in raster.tags["read_note_zh"]
    whole = read_user_raster(path, name="ghi")  # under the default limit: read as it is
    assert whole.data.shape == (rows, cols) and "read_note_en" not in whole.tags
