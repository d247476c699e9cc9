"""Tests of reading untrusted constraint files: every format, encodings, CRS, repairs, safety."""

from __future__ import annotations

import math
import stat
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from affine import Affine
from raster_helpers import write_geotiff

from longtu.analysis.constraints import (
    ConstraintLayer,
    builtin_constraints,
    check_constraint_files,
    check_constraints,
    write_conflict_report,
)
from longtu.analysis.constraints.check import ConstraintInputError
from longtu.analysis.io.constraint_files import read_constraint_layer, read_constraint_layers
from longtu.analysis.io.vector import ConstraintFileError, read_vector_file

RED = shapely.box(103.0, 36.0, 104.0, 37.0)
NAMES = ["生态保护红线", "水源保护区"]


def zones(crs="EPSG:4326") -> gpd.GeoDataFrame:
    geometry = [RED, shapely.box(104.5, 36.0, 105.0, 36.5)]
    return gpd.GeoDataFrame({"name": NAMES}, geometry=geometry, crs="EPSG:4326").to_crs(crs)


def zip_folder(folder: Path, out: Path, *, skip: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.suffix not in skip:
                archive.write(path, f"zones/{path.name}")
    return out


def shapefile_zip(tmp_path: Path, *, encoding: str, skip: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir()
    pyogrio.write_dataframe(zones(), folder / "zones.shp", encoding=encoding)
    return zip_folder(folder, tmp_path / "zones.zip", skip=skip)


@pytest.mark.parametrize(
    ("suffix", "driver"),
    [(".gpkg", "GPKG"), (".geojson", "GeoJSON"), (".fgb", "FlatGeobuf"), (".kml", "KML")],
)
def test_vector_formats(tmp_path, suffix, driver):
    path = tmp_path / f"zones{suffix}"
    pyogrio.write_dataframe(zones(), path, driver=driver)
    layer = read_constraint_layer(path, category="nature_reserve", buffer_km=1.5)
    assert layer.label == "zones" and layer.buffer_km == 1.5
    assert layer.frame.crs.to_epsg() == 4326
    assert len(layer.frame) == 2
    # FlatGeobuf reorders features along its spatial index: compare by name.
    by_name = layer.frame.set_index("name" if "name" in layer.frame else "Name").geometry
    assert sorted(by_name.index) == sorted(NAMES)
    assert by_name[NAMES[0]].equals_exact(RED, 1e-9)


def test_zipped_shapefile_utf8_with_cpg(tmp_path):
    layer = read_constraint_layer(shapefile_zip(tmp_path, encoding="UTF-8"))
    assert layer.frame["name"].tolist() == NAMES
    assert layer.report["encoding"] == "UTF-8 (from .cpg)"
    assert layer.report["file"] == "zones.zip!zones/zones.shp"


def test_gbk_shapefile_without_cpg_reads_right(tmp_path):
    path = shapefile_zip(tmp_path, encoding="GBK", skip=(".cpg",))
    assert not any(n.endswith(".cpg") for n in zipfile.ZipFile(path).namelist())
    frame, report = read_vector_file(path)
    assert frame["name"].tolist() == NAMES
    assert report["encoding"].startswith("GB18030 (no .cpg; not valid UTF-8")


def test_gbk_shapefile_with_cpg(tmp_path):
    frame, report = read_vector_file(shapefile_zip(tmp_path, encoding="GBK"))
    assert frame["name"].tolist() == NAMES
    assert report["encoding"] == "GBK (from .cpg)"


def test_shapefile_without_prj_is_a_clear_error(tmp_path):
    path = shapefile_zip(tmp_path, encoding="UTF-8", skip=(".prj",))
    with pytest.raises(ConstraintFileError, match=r"`zones.zip` has no CRS; a \.prj is missing"):
        read_vector_file(path)
    frame, report = read_vector_file(path, crs="EPSG:4490")
    assert "EPSG:4490 assumed" in report["notes"] and frame.crs.to_epsg() == 4326


def test_geojson_without_crs_is_wgs84(tmp_path):
    path = tmp_path / "plain.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "Point", "coordinates": [103.8, 36.1]}}]}'
    )
    frame, report = read_vector_file(path)
    assert frame.crs.to_epsg() == 4326 and frame.geometry.iloc[0].equals(shapely.Point(103.8, 36.1))
    assert report["reprojected"] is False


def test_web_mercator_is_reprojected(tmp_path):
    # Lanzhou, 103.8343 E 36.0611 N, in EPSG:3857 by the spherical Mercator formulas.
    radius = 6378137.0
    lon, lat = 103.8343, 36.0611
    x = radius * math.radians(lon)
    y = radius * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    path = tmp_path / "mercator.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.Point(x, y)], crs="EPSG:3857").to_file(path)
    frame, report = read_vector_file(path)
    assert report["reprojected"] is True and report["crs_in"] == "EPSG:3857"
    point = frame.geometry.iloc[0]
    assert (point.x, point.y) == (pytest.approx(lon, abs=1e-9), pytest.approx(lat, abs=1e-9))


def test_bow_tie_is_repaired_and_reported(tmp_path):
    bow_tie = shapely.Polygon([(103, 36), (104, 37), (104, 36), (103, 37)])
    assert not bow_tie.is_valid
    path = tmp_path / "bowtie.gpkg"
    gpd.GeoDataFrame(geometry=[bow_tie, RED], crs=4326).to_file(path)
    layer = read_constraint_layer(path)
    assert layer.report["n_repaired"] == 1
    assert layer.frame.geometry.is_valid.all()
    # Two triangles, each half of 1 x 0.5 degree: 0.5 square degree in all.
    assert shapely.area(layer.frame.geometry.iloc[0]) == pytest.approx(0.5)


def test_empty_files_are_clear_errors(tmp_path):
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(ConstraintFileError, match=r"`empty.geojson` has no features"):
        read_vector_file(empty)
    (tmp_path / "zero.gpkg").write_bytes(b"")
    with pytest.raises(ConstraintFileError, match=r"`zero.gpkg` is empty \(0 bytes\)"):
        read_vector_file(tmp_path / "zero.gpkg")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ConstraintFileError, match=r"unknown format `.txt`"):
        read_vector_file(tmp_path / "notes.txt")
    (tmp_path / "fake.gpkg").write_text("not a database")
    with pytest.raises(ConstraintFileError, match=r"`fake.gpkg` could not be read"):
        read_vector_file(tmp_path / "fake.gpkg")


def test_geopackage_with_two_layers_needs_a_choice(tmp_path):
    path = tmp_path / "two.gpkg"
    zones().to_file(path, layer="red_line")
    zones().to_file(path, layer="reserves")
    with pytest.raises(ConstraintFileError, match=r"has 2 layers \(red_line, reserves\)"):
        read_vector_file(path)
    layers, problems = read_constraint_layers([f"{path}:reserves"])
    assert [x.label for x in layers] == ["reserves"] and problems.empty


def test_geotiff_mask_becomes_polygons(tmp_path):
    data = np.zeros((4, 4), dtype="uint8")
    data[1:3, 0:2] = 1  # rows 1-2, columns 0-1 of 0.25-degree pixels from (103, 37)
    transform = Affine(0.25, 0, 103, 0, -0.25, 37)
    path = write_geotiff(tmp_path / "mask.tif", data, transform, "EPSG:4326")
    layer = read_constraint_layer(path)
    assert len(layer.frame) == 1
    assert layer.frame.geometry.iloc[0].bounds == (103.0, 36.25, 103.5, 36.75)
    write_geotiff(tmp_path / "nocrs.tif", data, transform, None)
    with pytest.raises(ConstraintFileError, match=r"`nocrs.tif` has no CRS"):
        read_constraint_layer(tmp_path / "nocrs.tif")


def test_kmz_is_read_through_the_safe_unpacker(tmp_path):
    kml = tmp_path / "doc.kml"
    pyogrio.write_dataframe(zones(), kml, driver="KML")
    kmz = tmp_path / "zones.kmz"
    with zipfile.ZipFile(kmz, "w") as archive:
        archive.write(kml, "doc.kml")
    assert len(read_vector_file(kmz)[0]) == 2


def evil_zip(path: Path, name: str, *, mode: int | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        archive.writestr(info, b"x" * 100)
        archive.writestr("zones.geojson", zones().to_json())
    return path


@pytest.mark.parametrize(
    "entry", ["../evil.shp", "a/../../evil.shp", "/etc/evil.shp", "C:/evil.shp"]
)
def test_zip_entries_escaping_the_folder_are_refused(tmp_path, entry):
    path = evil_zip(tmp_path / "evil.zip", entry)
    with pytest.raises(ConstraintFileError, match=r"`evil.zip` has an entry .* points outside"):
        read_vector_file(path)
    assert not (tmp_path.parent / "evil.shp").exists()


def test_zip_symlinks_are_refused(tmp_path):
    path = evil_zip(tmp_path / "link.zip", "zones.prj", mode=stat.S_IFLNK | 0o777)
    with pytest.raises(ConstraintFileError, match="symbolic link"):
        read_vector_file(path)


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.geojson", b"0" * 3_000_000)  # compresses to a few KB
    assert path.stat().st_size < 20_000
    with pytest.raises(ConstraintFileError, match=r"`bomb.zip` would unpack to 2.9 MiB.*zip bomb"):
        read_vector_file(path, max_bytes=1024**2)


def test_too_many_entries_and_too_large_files_are_refused(tmp_path):
    path = shapefile_zip(tmp_path, encoding="UTF-8")
    with pytest.raises(
        ConstraintFileError, match=r"`zones.zip` holds 5 entries, over the limit of 3"
    ):
        read_vector_file(path, max_files=3)
    with pytest.raises(ConstraintFileError, match="limit for uploads"):
        read_vector_file(path, max_bytes=100)


def test_many_files_bad_ones_listed_good_ones_kept(tmp_path):
    good = tmp_path / "reserve.geojson"
    zones().to_file(good)
    (tmp_path / "broken.gpkg").write_text("garbage")
    layers, problems = read_constraint_layers(
        [tmp_path / "broken.gpkg", good, tmp_path / "missing.zip"],
        buffers_km={"reserve": 2, "typo": 1},
        categories={"reserve": "nature_reserve"},
    )
    assert [(x.label, x.buffer_km, x.category) for x in layers] == [
        ("reserve", 2.0, "nature_reserve")
    ]
    assert problems["file"].tolist() == [
        str(tmp_path / "broken.gpkg"),
        str(tmp_path / "missing.zip"),
        "typo",
    ]
    assert problems["problem"].str.contains("`broken.gpkg`|`missing.zip`|`typo`").all()


def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.gpkg"
    gpd.GeoDataFrame(
        {"feature_id": ["in", "near", "far"], "name_zh": ["园区甲", "园区乙", "园区丙"]},
        geometry=[shapely.Point(103.5, 36.5), shapely.Point(103.5, 37.01), shapely.Point(108, 40)],
        crs=4326,
    ).to_file(path, layer="parks")
    return path


def test_check_constraint_files_reads_and_checks_and_writes_nothing(tmp_path):
    red = tmp_path / "red.geojson"
    zones().to_file(red)
    plan = plan_file(tmp_path)
    plateau = builtin_constraints("tibetan_plateau")
    result, problems = check_constraint_files(
        [red, tmp_path / "missing.zip"],
        features=f"{plan}:parks",
        buffers_km={"red": 5, "typo": 1},
        categories={"red": "ecological_red_line"},
        builtins=[plateau],
    )
    assert problems["file"].tolist() == [str(tmp_path / "missing.zip"), "typo"]
    assert [x["label"] for x in result.parameters["layers"]] == [
        "red",
        "青藏高原（甘肃境内） Tibetan Plateau (in Gansu)",
    ]
    table = result.tables["conflicts_table"]
    red_rows = table[table["constraint_label"] == "red"].set_index("feature_id")
    assert red_rows["severity"].to_dict() == {"in": "conflict", "near": "near", "far": "clear"}
    assert red_rows.loc["in", "constraint_names"] == "生态保护红线"
    assert red_rows.loc["in", "category_zh"] == "生态保护红线"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.gpkg", "red.geojson"]


def test_check_constraint_files_without_any_layer_and_with_spec_strings(tmp_path):
    result, problems = check_constraint_files([tmp_path / "missing.zip"])
    assert result is None and problems.columns.tolist() == ["file", "problem", "problem_zh"]
    assert len(problems) == 1
    with pytest.raises(ConstraintInputError, match=r"`builtins` must hold ConstraintLayer"):
        check_constraint_files([], builtins=["tibetan_plateau"])


def test_write_conflict_report_files(tmp_path):
    red = tmp_path / "red.geojson"
    zones().to_file(red)
    result, problems = check_constraint_files(
        [red, tmp_path / "missing.zip"], features=plan_file(tmp_path), buffers_km={"red": 5}
    )
    out = tmp_path / "out" / "report.gpkg"
    written = write_conflict_report(result, out, problems=problems)
    assert [p.name for p in written] == ["report.gpkg", "report.csv", "report_problems.csv"]
    # points have no overlap geometry: no `overlaps` layer; single parts written as multi
    assert pyogrio.list_layers(out).tolist() == [
        ["conflicts", "MultiPoint"],
        ["features", "MultiPoint"],
    ]
    assert pyogrio.read_info(out, layer="conflicts")["crs"] == "EPSG:4326"
    back = pyogrio.read_dataframe(out, layer="features")
    features = result.tables["features"]
    assert back.columns.tolist() == features.columns.tolist()
    assert (
        back.drop(columns="geometry")
        .astype(object)
        .equals(features.drop(columns="geometry").astype(object))
    )
    assert shapely.equals(back.geometry.to_numpy(), features.geometry.to_numpy()).all()
    csv = tmp_path / "out" / "report.csv"
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert table.columns.tolist() == result.tables["conflicts_table"].columns.tolist()
    assert table["severity"].tolist() == ["conflict", "near", "clear"]
    assert table["constraint_names"].tolist()[0] == "生态保护红线"
    listed = pd.read_csv(written[2], encoding="utf-8-sig")
    assert listed["file"].tolist() == [str(tmp_path / "missing.zip")]
    with pytest.raises(ValueError, match=r"`out` must end in .gpkg or .parquet; got `report.shp`"):
        write_conflict_report(result, tmp_path / "report.shp")


def test_report_of_mixed_kinds_overlaps_and_unplaced(tmp_path):
    plan = gpd.GeoDataFrame(
        {"feature_id": ["poly", "line", "nowhere"], "name_zh": ["面", "线", None]},
        geometry=[
            shapely.box(103.5, 36.5, 103.6, 36.6),
            shapely.LineString([(102.5, 36.5), (103.5, 36.5)]),
            None,
        ],
        crs=4326,
    )
    result = check_constraints(plan, [ConstraintLayer(zones(), "red")])
    out = tmp_path / "r.gpkg"
    out.write_bytes(b"an older file, replaced")
    written = write_conflict_report(result, out)
    assert [p.name for p in written] == ["r.gpkg", "r.csv", "r_unplaced.csv"]
    assert pyogrio.list_layers(out)[:, 0].tolist() == ["conflicts", "features", "overlaps"]
    assert pyogrio.list_layers(out)[0, 1] == "Unknown"  # polygons and lines in one layer
    overlaps = pyogrio.read_dataframe(out, layer="overlaps")
    assert overlaps["feature_id"].tolist() == ["poly", "line"]
    assert overlaps.geometry.geom_type.tolist() == ["MultiPolygon", "MultiLineString"]
    assert pd.read_csv(written[2], encoding="utf-8-sig")["feature_id"].tolist() == ["nowhere"]
    # nothing placed: the report still opens, with an empty `conflicts` layer
    nothing = check_constraints(plan.iloc[[2]], [ConstraintLayer(zones(), "red")])
    write_conflict_report(nothing, out)
    assert pyogrio.list_layers(out)[:, 0].tolist() == ["conflicts"]
    assert pyogrio.read_info(out)["features"] == 0


def test_repeated_file_names_get_unique_labels(tmp_path):
    (tmp_path / "a").mkdir()
    zones().to_file(tmp_path / "red.geojson")
    zones().to_file(tmp_path / "a" / "red.geojson")
    layers, problems = read_constraint_layers(
        [tmp_path / "red.geojson", tmp_path / "a/red.geojson"]
    )
    assert [x.label for x in layers] == ["red", "red_2"] and problems.empty


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_a_layer_over_the_feature_limit_is_refused_before_it_is_read(tmp_path, suffix):
    boxes = [shapely.box(100 + i * 0.01, 36, 100.005 + i * 0.01, 36.005) for i in range(30)]
    path = tmp_path / f"parcels{suffix}"
    gpd.GeoDataFrame({"n": range(30)}, geometry=boxes, crs=4326).to_file(path)
    with pytest.raises(ConstraintFileError, match=r"`parcels.*` has 30 features, more than the 29"):
        read_vector_file(path, max_features=29)
    frame, report = read_vector_file(path, max_features=30)
    assert len(frame) == 30 and report["n_features"] == 30
