"""The standard-library GeoPackage and CSV writer: GDAL reads back exactly what was written."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from longtu.analysis.io.report_write import write_csv, write_gpkg
from longtu.layout import load_layer


def test_gdal_reads_back_real_county_polygons_and_attributes(tmp_path):
    counties = load_layer("counties")
    columns = {
        "adcode": counties["adcode"].to_numpy(),
        "name_zh": counties["name_zh"].to_numpy(),
        "area_km2": counties["area_km2"].to_numpy(),
        "rank": np.arange(len(counties)),
        "large": (counties["area_km2"] > 10_000).to_numpy(),
    }
    path = write_gpkg(tmp_path / "c.gpkg", [("counties", columns, counties.geometry.to_numpy())])
    info = pyogrio.read_info(path)
    assert info["crs"] == "EPSG:4326" and info["geometry_type"] == "MultiPolygon"
    assert info["features"] == 90
    assert dict(zip(info["fields"], info["dtypes"], strict=True)) == {
        "adcode": "object",
        "name_zh": "object",
        "area_km2": "float64",
        "rank": "int64",
        "large": "bool",
    }
    back = pyogrio.read_dataframe(path)
    assert back["name_zh"].tolist() == counties["name_zh"].tolist()
    assert back["large"].tolist() == columns["large"].tolist()
    # polygons become one-part multipolygons, coordinates bit for bit the same
    assert np.array_equal(
        shapely.get_coordinates(back.geometry.to_numpy()),
        shapely.get_coordinates(counties.geometry.to_numpy()),
    )
    assert np.allclose(pyogrio.read_bounds(path)[1].T, shapely.bounds(counties.geometry.to_numpy()))


def test_layers_of_mixed_kinds_nulls_and_empties(tmp_path):
    geometry = np.array(
        [
            shapely.Point(104, 36),
            shapely.LineString([(103, 35), (104, 36)]),
            None,
            shapely.Polygon(),
        ],
        dtype=object,
    )
    points = np.array([shapely.Point(1, 2), shapely.MultiPoint([(3, 4), (5, 6)])], dtype=object)
    columns = {"note": np.array(["甲", None, "丙", np.nan], dtype=object)}
    path = write_gpkg(
        tmp_path / "m.gpkg",
        [("mixed", columns, geometry), ("points", {"n": np.array([1, 2])}, points)],
    )
    assert pyogrio.list_layers(path).tolist() == [["mixed", "Unknown"], ["points", "MultiPoint"]]
    mixed = pyogrio.read_dataframe(path, layer="mixed")
    assert mixed["note"].isna().tolist() == [False, True, False, True]
    kinds = [None if g is None else g.geom_type for g in mixed.geometry]
    assert kinds[:3] == ["MultiPoint", "MultiLineString", None]
    assert mixed.geometry.iloc[3].is_empty
    assert pyogrio.read_dataframe(path, layer="points").geometry.iloc[1].equals(points[1])


def test_a_gpkg_that_sqlite_and_the_standard_accept(tmp_path):
    path = write_gpkg(tmp_path / "s.gpkg", [("t", {"a": np.array([1.5])}, [shapely.Point(1, 2)])])
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        srs = connection.execute("SELECT srs_id FROM gpkg_spatial_ref_sys").fetchall()
        assert sorted(r[0] for r in srs) == [-1, 0, 4326]
    # replaced, not appended to
    write_gpkg(path, [("u", {"a": np.array([1.0])}, [shapely.Point(0, 0)])])
    assert pyogrio.list_layers(path)[:, 0].tolist() == ["u"]


def test_bad_layers_are_refused(tmp_path):
    with pytest.raises(ValueError, match="one value per geometry"):
        write_gpkg(tmp_path / "x.gpkg", [("t", {"a": np.array([1, 2])}, [shapely.Point(0, 0)])])
    with pytest.raises(ValueError, match="reserved"):
        write_gpkg(tmp_path / "x.gpkg", [("t", {"fid": np.array([1])}, [shapely.Point(0, 0)])])


def test_csv_matches_what_pandas_reads(tmp_path):
    columns = {"名称": ["兰州", None], "km2": [1.25, float("nan")], "n": [3, 4]}
    path = write_csv(tmp_path / "t.csv", columns)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(path, encoding="utf-8-sig")
    assert table.columns.tolist() == ["名称", "km2", "n"]
    assert table["名称"].tolist()[0] == "兰州" and table["名称"].isna().tolist() == [False, True]
    assert table["km2"].tolist()[0] == 1.25 and table["n"].tolist() == [3, 4]
