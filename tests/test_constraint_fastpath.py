"""The quick GeoPackage path of `longtu constraints check` gives exactly the ordinary result,
without importing pandas, geopandas or GDAL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from longtu.analysis.constraints.check import check_constraints, result_from_tables
from longtu.analysis.constraints.fastpath import check_gpkg_tables
from longtu.analysis.constraints.report import check_constraint_files
from longtu.analysis.io.gpkg_read import read_gpkg_geometries
from longtu.analysis.io.vector import read_constraint_layers, read_vector_file

BOWTIE = shapely.Polygon([(104.0, 36.0), (104.2, 36.2), (104.2, 36.0), (104.0, 36.2)])


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(7)
    x, y = rng.uniform(103.0, 105.0, 3000), rng.uniform(35.0, 37.0, 3000)
    geometry = [*shapely.box(x, y, x + 0.05, y + 0.05), BOWTIE, None]
    names = [f"区{i}" for i in range(len(geometry))]
    zones = gpd.GeoDataFrame({"name": names}, geometry=geometry, crs=4326)
    plan = gpd.GeoDataFrame(
        {"feature_id": ["a", "b", "c"], "name_zh": ["甲", "乙", "丙"]},
        geometry=[shapely.box(103.5, 35.5, 104.5, 36.5), shapely.Point(104.1, 36.1), None],
        crs=4326,
    )
    pyogrio.write_dataframe(zones, tmp_path / "zones.gpkg")
    pyogrio.write_dataframe(plan, tmp_path / "plan.gpkg")
    return tmp_path / "zones.gpkg", tmp_path / "plan.gpkg"


def ordinary(zones, plan, **options):
    layers, problems = read_constraint_layers([zones], **options)
    return check_constraints(read_vector_file(plan)[0], layers), problems


def test_quick_path_equals_the_ordinary_path(files):
    zones, plan = files
    options = {"buffers_km": {"zones": 3, "typo": 1}, "categories": {"zones": "floodplain"}}
    tables, quick_problems = check_gpkg_tables([zones], features=plan, **options)
    quick = result_from_tables(tables)
    slow, slow_problems = ordinary(zones, plan, **options)
    for name in ("conflicts", "features", "overlaps"):
        assert_geodataframe_equal(quick.tables[name], slow.tables[name])
    for name in ("conflicts_table", "unplaced"):
        pd.testing.assert_frame_equal(quick.tables[name], slow.tables[name])
    assert pd.DataFrame(quick_problems).equals(slow_problems)
    assert quick.numbers == slow.numbers and quick.parameters == slow.parameters
    assert quick.tables["conflicts_table"]["buffer_km"].tolist() == [3.0, 3.0]


def test_quick_reader_matches_gdal(files):
    zones, _ = files
    read = read_gpkg_geometries(zones)
    gdal = pyogrio.read_dataframe(zones, fid_as_index=True)
    assert read.fids.tolist() == gdal.index.tolist()
    assert shapely.equals_exact(read.geometry[:-1], gdal.geometry.to_numpy()[:-1], 0).all()
    assert read.geometry[-1] is None and gdal.geometry.iloc[-1] is None


def test_other_files_take_the_ordinary_path(files, tmp_path):
    zones, plan = files
    frame = pyogrio.read_dataframe(zones)
    pyogrio.write_dataframe(frame.to_crs(3857), tmp_path / "mercator.gpkg")
    pyogrio.write_dataframe(frame, tmp_path / "zones.geojson")
    pyogrio.write_dataframe(frame, tmp_path / "two.gpkg", layer="one")
    pyogrio.write_dataframe(frame, tmp_path / "two.gpkg", layer="two")
    for name in ("mercator.gpkg", "zones.geojson", "two.gpkg"):
        assert check_gpkg_tables([tmp_path / name], features=plan) is None
    assert read_gpkg_geometries(tmp_path / "two.gpkg", layer="two") is not None
    result, problems = check_constraint_files([tmp_path / "two.gpkg"], features=plan)
    assert result is None and "has 2 layers" in problems["problem"].iloc[0]


def test_damaged_or_view_geopackage_is_not_read_quickly(files, tmp_path):
    zones, _ = files
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    assert read_gpkg_geometries(broken) is None
    with sqlite3.connect(zones) as connection:
        connection.execute("UPDATE gpkg_contents SET table_name = 'v'")
        connection.execute("UPDATE gpkg_geometry_columns SET table_name = 'v'")
        connection.execute("CREATE VIEW v AS SELECT * FROM zones")
    assert read_gpkg_geometries(zones) is None


def test_check_constraint_files_writes_the_same_report(files, tmp_path):
    zones, plan = files
    result, _ = check_constraint_files([zones], features=plan, out=tmp_path / "r.gpkg")
    written = pyogrio.read_dataframe(tmp_path / "r.gpkg", layer="overlaps")
    assert written["feature_id"].tolist() == ["a"]
    assert written.to_crs(result.parameters["area_crs"]).area.iloc[0] / 1e6 == pytest.approx(
        result.tables["conflicts_table"].set_index("feature_id").loc["a", "overlap_km2"],
        rel=1e-6,
    )


def test_the_command_line_run_imports_neither_pandas_nor_gdal(files, tmp_path):
    zones, plan = files
    out = tmp_path / "cli.gpkg"
    run = (
        "import sys, longtu\n"
        f"status = longtu.main(['constraints', 'check', {str(zones)!r}, '--features', "
        f"{str(plan)!r}, '--out', {str(out)!r}])\n"
        "print(status, sorted(m for m in ('pandas', 'geopandas', 'pyogrio') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"
    written = pyogrio.read_dataframe(out, layer="conflicts")
    assert written["feature_id"].tolist() == ["a", "b"]
    first = written.iloc[0]  # every zone has its own name: ten are listed, the rest counted
    listed = first["constraint_names"].split(";")
    assert len(listed) == 11 and listed[-1] == f"…(+{first['n_intersecting'] - 10})"


def test_ids_that_gdal_would_read_differently_take_the_ordinary_path(files, tmp_path):
    zones, _ = files
    plan = gpd.GeoDataFrame(
        {"feature_id": [True, False]},
        geometry=[shapely.Point(104.1, 36.1), shapely.Point(104.3, 36.3)],
        crs=4326,
    )
    pyogrio.write_dataframe(plan, tmp_path / "flags.gpkg")
    assert check_gpkg_tables([zones], features=tmp_path / "flags.gpkg") is None
    result, _ = check_constraint_files([zones], features=tmp_path / "flags.gpkg")
    assert sorted(result.tables["features"]["feature_id"]) == ["False", "True"]
