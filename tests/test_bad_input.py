"""Issue 17: bad or hostile inputs never crash, lie or destroy.

A corpus of bad files and options, each run through ``longtu.cli.main.main([...])`` in-process
(or the Python API) with the exact message or result it must give. By class:

- tracebacks: files the readers cannot use end in one line naming the file and what to do;
- lies: a layer outside Gansu is warned about with its likely mistake; NaN coordinates, unknown
  parks and overflowing numbers are refused; repairs are listed; CSV cells cannot run formulas;
- destruction: no output replaces an input, or an existing file unless ``--overwrite``;
- unclear results: all-nodata rasters, typed "NaN", duplicated columns, minimal quota files.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine

from longtu.analysis.constraints import ConstraintLayer, check_constraints
from longtu.analysis.io.results import write_result
from longtu.analysis.io.vector import read_vector_file
from longtu.analysis.result import AnalysisResult
from longtu.analysis.siting import site_check
from longtu.cli.main import main
from longtu.errors import ConstraintFileError, ParameterError
from longtu.layout.export import neutralize_formulas, write_csv

GANSU_BOX = [[94, 39], [99, 39], [99, 41], [94, 41], [94, 39]]
EVIL = '=HYPERLINK("http://evil.example","click")'
PARK, COUNTY = "park_jiuquan_etdz", "620902"  # a coal-chemicals park of the plan, in Suzhou


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def longtu(*args: str | Path) -> Run:
    """``longtu ARGS`` in this process; what it prints and its exit status."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse: --help, or options refused
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


# --- the corpus -------------------------------------------------------------------------------


def _geojson(path: Path, *geometries: object, text: str | None = None, **properties) -> None:
    features = [
        {"type": "Feature", "properties": properties, "geometry": geometry}
        for geometry in geometries
    ]
    path.write_text(text or json.dumps({"type": "FeatureCollection", "features": features}))


def _polygon(ring: list) -> dict:
    return {"type": "Polygon", "coordinates": [ring]}


def _shapefile_zip(folder: Path, name: str, frame: gpd.GeoDataFrame, cpg: str | None, **kw) -> Path:
    shp = folder / f"_{name}" / f"{name}.shp"
    shp.parent.mkdir()
    frame.to_file(shp, engine="pyogrio", **kw)
    if cpg is not None:
        shp.with_suffix(".cpg").write_text(cpg)
    archive = folder / f"{name}.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in shp.parent.iterdir():
            zipped.write(part, part.name)
    return archive


def _tif(path: Path, data: np.ndarray, *, nodata: float | None = None) -> None:
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": 1,
        "height": data.shape[0],
        "width": data.shape[1],
        "crs": "EPSG:4326",
        "transform": Affine(17 / data.shape[1], 0, 92.0, 0, -11 / data.shape[0], 43.0),
        "nodata": nodata,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data.astype("float32"), 1)


def _vector_corpus(d: Path) -> None:
    box = _polygon(GANSU_BOX)
    _geojson(d / "red.geojson", box, name=EVIL)
    _geojson(d / "features.geojson", text=_features_json())
    _geojson(d / "swapped.geojson", _polygon([[y, x] for x, y in GANSU_BOX]))
    _geojson(d / "france.geojson", _polygon([[2, 45], [5, 45], [5, 48], [2, 48], [2, 45]]))
    world = [[-1e308, -1e308], [1e308, -1e308], [1e308, 1e308], [-1e308, 1e308], [-1e308, -1e308]]
    _geojson(d / "world.geojson", _polygon(world))  # covers Gansu, but not in degrees
    huge = [[1e307, 1e307], [1e308, 1e307], [1e308, 1e308], [1e307, 1e308], [1e307, 1e307]]
    _geojson(d / "huge.geojson", _polygon(huge))
    _geojson(d / "unclosed.geojson", _polygon(GANSU_BOX[:-1]))
    _geojson(d / "nan.geojson", _polygon([["NaN", 39], [99, 39], [99, 41], [94, 41], ["NaN", 39]]))
    nan_ring = (d / "nan.geojson").read_text().replace('"NaN"', "NaN")  # a bare NaN, as GDAL reads
    (d / "nan.geojson").write_text(nan_ring)
    nan_point = '{"type":"Point","coordinates":[NaN,40]}'
    (d / "nan_some.geojson").write_text(
        '{"type":"FeatureCollection","features":['
        f'{{"type":"Feature","properties":{{}},"geometry":{json.dumps(box)}}},'
        f'{{"type":"Feature","properties":{{}},"geometry":{nan_point}}}]}}'
    )
    bowtie = _polygon([[94, 39], [99, 41], [99, 39], [94, 41], [94, 39]])
    _geojson(d / "bowtie.geojson", bowtie)
    _geojson(d / "nullgeom.geojson", box, None)
    _geojson(d / "three_point.geojson", box, _polygon([[95, 39.5], [96, 40.5], [95, 39.5]]))
    _geojson(d / "=HYPERLINK(1).geojson", box)
    (d / "empty.geojson").write_bytes(b"")
    (d / "notjson.geojson").write_text("this is not GeoJSON")
    (d / "notes.txt").write_text("a layer?")
    degrees = gpd.GeoDataFrame(geometry=[shapely.Polygon(GANSU_BOX)])
    degrees.set_crs(3857).to_file(d / "degrees_as_3857.gpkg", engine="pyogrio")
    metres = shapely.box(1.0e7, 4.2e6, 1.1e7, 4.6e6)
    gpd.GeoDataFrame(geometry=[metres], crs=4326).to_file(d / "metres_as_4326.gpkg")
    far = shapely.box(1.0e7, 1.0e7, 1.1e7, 1.1e7)  # does not even cover Gansu
    gpd.GeoDataFrame(geometry=[far], crs=4326).to_file(d / "far_metres.gpkg")
    _shapefile_zip(d, "prj3857", degrees.set_crs(3857), None)
    gbk = gpd.GeoDataFrame({"name": ["祁连山生态保护红线"]}, geometry=degrees.geometry, crs=4326)
    _shapefile_zip(d, "gbk_cpg_utf8", gbk, "UTF-8", encoding="GBK")


def _features_json() -> str:
    points = [(96.0, 40.0), (103.8, 36.1), (100.5, 38.9)]
    features = [
        {
            "type": "Feature",
            "properties": {"feature_id": f"f{i}", "name_zh": name},
            "geometry": {"type": "Point", "coordinates": list(xy)},
        }
        for i, (xy, name) in enumerate(zip(points, [EVIL, "兰州", "张掖"], strict=True))
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


def _raster_corpus(d: Path) -> None:
    (d / "text.tif").write_text("not a GeoTIFF at all\n" * 20)
    _tif(d / "good.tif", 1500 + 200 * np.random.default_rng(0).random((44, 68)))
    whole = (d / "good.tif").read_bytes()
    (d / "truncated.tif").write_bytes(whole[: len(whole) // 2])  # header whole, data cut
    _tif(d / "allnodata.tif", np.full((22, 34), -9999.0), nodata=-9999.0)


def _table_corpus(d: Path) -> None:
    head = "feature_id,industry_key,county_adcode,output_t_per_yr\n"
    rows = {
        "cap_header": "",
        "cap_unknown_park": f"nowhere_park,coal_to_methanol,{COUNTY},100\n",
        "cap_nan": f"{PARK},coal_to_methanol,{COUNTY},NaN\n",
        "cap_overflow": f"{PARK},coal_to_methanol,{COUNTY},1e999\n",
        "cap_inf": f"{PARK},coal_to_methanol,{COUNTY},inf\n",
        "cap_formula": f"{PARK},coal_to_methanol,{COUNTY},=1+1\n",
        "cap_good": f"{PARK},coal_to_methanol,{COUNTY},600000\n",
    }
    for name, body in rows.items():
        (d / f"{name}.csv").write_text(head + body, encoding="utf-8")
    (d / "cap_dup_column.csv").write_text(
        "feature_id,industry_key,county_adcode,output_t_per_yr,output_t_per_yr\n"
        f"{PARK},coal_to_methanol,{COUNTY},1,2\n"
    )
    caps_head = "scope,key,cap_1e4_m3_per_yr\n"
    caps = {
        "caps_unknown_basin": "basin,石羊河流域,5000\n",
        "caps_unknown_prefecture": "prefecture,629900,5000\n",
        "caps_bad_scope": "county,620902,5000\n",
        "caps_good": "basin,黑河,5000\nbasin,疏勒河,\n",
    }
    for name, body in caps.items():
        (d / f"{name}.csv").write_text(caps_head + body, encoding="utf-8")
    (d / "quota_min.csv").write_text("industry_key,water_m3_per_t\ncoal_to_methanol,10\n")
    (d / "quota_no_value.csv").write_text("industry_key\ncoal_to_methanol\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    _vector_corpus(folder)
    _raster_corpus(folder)
    _table_corpus(folder)
    return folder


def check(corpus: Path, tmp_path: Path, *layers: str, out: str = "report.gpkg") -> Run:
    """``longtu constraints check`` of the three corpus features against `layers`."""
    files = [corpus / name for name in layers]
    features = ["--features", corpus / "features.geojson"]
    return longtu("constraints", "check", *files, *features, "--out", tmp_path / out)


# --- tracebacks: one line naming the file and what to do -----------------------------------------

SKIPPED = [
    ("nan.geojson", "`nan.geojson`: no feature's geometry can be read (NaN coordinates or broken"),
    ("empty.geojson", "`empty.geojson` is empty (0 bytes)."),
    ("notjson.geojson", "`notjson.geojson` could not be read:"),
    ("notes.txt", "`notes.txt`: unknown format `.txt`; use GeoPackage, GeoJSON, zipped Shapefile"),
    ("text.tif", "`text.tif` could not be read as GeoTIFF:"),
    ("truncated.tif", "`truncated.tif` could not be read as GeoTIFF:"),
    ("missing.gpkg", "`missing.gpkg`: no such file"),
    ("world.geojson", "`world.geojson` has coordinates out of the range of degrees (x -1e+308"),
    ("huge.geojson", "(x 1e+307..1e+308, y 1e+307..1e+308) under the degree CRS EPSG:4326"),
    ("far_metres.gpkg", "`far_metres.gpkg` has coordinates out of the range of degrees"),
    ("metres_as_4326.gpkg", "look like metres (or are out of range); check the file and its .prj"),
]


@pytest.mark.parametrize(("name", "message"), SKIPPED, ids=[n for n, _ in SKIPPED])
def test_an_unusable_constraint_file_is_skipped_with_one_line(corpus, tmp_path, name, message):
    result = check(corpus, tmp_path, name)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.splitlines()[-2:] == [
        "longtu: error: no constraint layer could be read",
        "longtu: 错误：没有一个约束图层可以读取。",
    ]
    skipped = next(line for line in result.stderr.splitlines() if "skipped" in line)
    said_zh = [line for line in result.stderr.splitlines() if line.startswith("longtu: 已跳过 ")]
    assert said_zh and said_zh[0].startswith(f"longtu: 已跳过 {skipped.split()[2].rstrip(':')}：")
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr


def test_a_cpg_saying_utf8_over_a_gbk_dbf_is_read_as_gbk_and_said(corpus, tmp_path):
    result = check(corpus, tmp_path, "gbk_cpg_utf8.zip")
    assert result.returncode == 0, result.stderr
    assert (
        "longtu: repaired: gbk_cpg_utf8: attribute text: .cpg says UTF-8 but the .dbf is not "
        "valid UTF-8; read as GB18030"
    ) in result.stderr
    table = pd.read_csv(tmp_path / "report.csv", encoding="utf-8-sig")
    assert "祁连山生态保护红线" in set(table["constraint_names"])


def test_an_unclosed_ring_is_closed_and_said(corpus, tmp_path):
    result = check(corpus, tmp_path, "unclosed.geojson")
    assert result.returncode == 0, result.stderr
    assert "longtu: repaired: unclosed: 1 feature(s) (rows 1) with a ring not closed: closed" in (
        result.stderr
    )
    assert "1 个冲突" in result.stdout  # the feature at (96, 40) lies in the box


def test_nan_coordinates_among_good_ones_are_dropped_and_said(corpus, tmp_path):
    result = check(corpus, tmp_path, "nan_some.geojson")
    assert result.returncode == 0, result.stderr
    assert (
        "longtu: dropped: nan_some: 1 feature(s) (rows 2) with no geometry (null, empty or "
        "NaN)" in result.stderr
    )  # GDAL reads POINT (NaN 40) as an empty point


def test_nan_vertices_are_found_in_every_chunk_of_a_layer(monkeypatch):
    """Rows with a NaN or infinite vertex (not only the first) are named wherever they lie."""
    from longtu.analysis.io import repairs

    monkeypatch.setattr(repairs, "FINITE_CHUNK", 2)
    rings = [[(94, 39), (99, 39), (99, 41), (94, 39)] for _ in range(5)]
    rings[1][1], rings[4][2] = (math.nan, 39), (99, math.inf)
    with np.errstate(invalid="ignore"):
        polygons = shapely.polygons(np.array(rings, dtype=float))
    frame = gpd.GeoDataFrame(geometry=polygons, crs=4326)
    report: dict = {}
    kept = repairs.drop_nonfinite(frame, shown="parcels.gpkg", report=report)
    assert len(kept) == 3
    assert report["repairs"] == [
        ("dropped", "2 feature(s) (rows 2, 5) with NaN or infinite coordinates")
    ]


@pytest.mark.parametrize("name", ["text.tif", "truncated.tif"])
def test_an_unreadable_resource_raster_is_one_line(corpus, tmp_path, name):
    result = longtu("analyze", "resource", "--raster", f"ghi={corpus / name}", "--out", tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"longtu: error: `{name}` could not be read as a GeoTIFF (")
    english, chinese = result.stderr.splitlines()
    assert english.endswith(
        "it may be truncated or another kind of file: export it again as GeoTIFF."
    )
    assert chinese == (
        f"longtu: 错误：{name} 无法作为 GeoTIFF 读取：文件可能不完整，或并非 GeoTIFF；"
        "请重新导出为 GeoTIFF。"
    )


def test_a_missing_resource_raster_is_named_in_both_lines(tmp_path):
    missing = tmp_path / "ghi.tif"
    result = longtu("site", "check", "--lon", "95.9", "--lat", "40.3", "--industry", "pv",
                    "--raster", f"ghi={missing}")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"longtu: error: {missing}: No such GeoTIFF file; check the path (and that its folder "
        "exists).",
        f"longtu: 错误：{missing}：文件或文件夹不存在；请检查路径（及其所在的文件夹是否存在）。",
    ]


def test_a_capacity_table_with_only_a_header_is_one_line(corpus, tmp_path):
    result = longtu(
        "analyze", "water", "--out", tmp_path, "--capacities", corpus / "cap_header.csv"
    )
    assert result.returncode == 2
    assert result.stderr == (
        "longtu: error: `capacities` has a header row but no data rows; start from "
        "capacities_template.csv (`longtu analyze water --out DIR` writes it) and fill in the "
        "outputs you know.\n"
        "longtu: 错误：产能表只有表头、没有数据行；请从产能模板表格开始，填入已知的产量。\n"
    )


def test_an_unwritable_output_is_one_line(corpus, tmp_path):
    result = check(corpus, tmp_path, "red.geojson", out="/proc/longtu_no/report.gpkg")
    assert result.returncode == 2
    assert result.stderr.startswith("longtu: error: /proc/longtu_no")
    assert "Traceback" not in result.stderr


def test_a_programming_error_still_shows(monkeypatch):
    """Only errors a user can cause are turned into one line; a bug keeps its traceback."""
    import longtu.cli.layers

    def broken(args):
        raise TypeError("a bug")

    monkeypatch.setattr(longtu.cli.layers, "run_validate", broken)
    parser_func = longtu.cli.main.make_parser().parse_args(["validate"]).func
    assert parser_func is broken
    with pytest.raises(TypeError, match="a bug"):
        main(["validate"])


# --- results that lie ---------------------------------------------------------------------------

OUTSIDE = [
    ("swapped.geojson", "the longitude and latitude look swapped (the swapped bounds fall in",
     "经度与纬度似乎填反了（对调后落在甘肃）"),
    ("france.geojson", "it lies elsewhere (another region or country?)",
     "图层位于别处（其他地区或国家？）"),
    ("degrees_as_3857.gpkg", "look like degrees but the file declares the projected CRS EPSG:3857",
     "坐标像是经纬度，但文件声明的是投影坐标系 EPSG:3857（米）"),
    ("prj3857.zip", "the coordinates look like degrees but the file declares the projected CRS",
     "坐标像是经纬度，但文件声明的是投影坐标系"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "mistake", "zh"), OUTSIDE, ids=[n for n, _, _ in OUTSIDE])
def test_a_layer_outside_gansu_is_warned_about_with_its_mistake(
    corpus, tmp_path, name, mistake, zh
):
    result = check(corpus, tmp_path, name)
    label = Path(name).stem
    assert result.returncode == 1, result.stderr  # warned: not a clean run
    assert f"longtu: warning: {label}: `{name}` " in result.stderr
    assert mistake in result.stderr
    assert f"longtu: 警告：{name} 与甘肃省不重叠：" in result.stderr and zh in result.stderr
    assert f"WARNING: layer(s) {label} do not overlap Gansu" in result.stdout
    assert f"警告：图层 {label} 与甘肃省不重叠" in result.stdout
    notes = pd.read_csv(tmp_path / "report_layer_notes.csv", encoding="utf-8-sig")
    assert notes["kind"].tolist()[:1] == ["warning"] and mistake in notes["note"].iloc[0]
    assert zh in notes["note_zh"].iloc[0]


def test_a_features_file_outside_gansu_is_counted_as_a_warning(corpus, tmp_path):
    """Its features were reported "clear" with only a line on stderr; the summary now says so."""
    features = tmp_path / "features_france.geojson"
    features.write_text(
        _features_json().replace("96.0, 40.0", "2.3, 48.8").replace("103.8, 36.1", "4.8, 45.7")
        .replace("100.5, 38.9", "5.4, 43.3"),
        encoding="utf-8",
    )  # fmt: skip
    result = longtu(
        "constraints", "check", corpus / "red.geojson", "--features", features,
        "--out", tmp_path / "report.gpkg",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # warned: not a clean run
    assert "WARNING: the features file features_france.geojson does not overlap Gansu" in (
        result.stdout
    )
    assert "警告：要素文件 features_france.geojson 与甘肃省不重叠" in result.stdout


def test_a_layer_in_gansu_gets_no_warning(corpus, tmp_path):
    result = check(corpus, tmp_path, "red.geojson")
    assert result.returncode == 0 and result.stderr == ""
    assert "WARNING" not in result.stdout
    assert not (tmp_path / "report_layer_notes.csv").exists()


def test_a_layer_given_directly_outside_gansu_is_warned_about_too():
    plan = gpd.GeoDataFrame({"feature_id": ["a"]}, geometry=[shapely.Point(96, 40)], crs=4326)
    swapped = gpd.GeoDataFrame(geometry=[shapely.box(39, 94, 41, 99)], crs=4326)
    result = check_constraints(plan, [ConstraintLayer(swapped, "red")])
    assert result.numbers["n_layer_warnings"] == 1
    note = result.tables["layer_notes"]["note"].iloc[0]
    assert note.startswith("does not overlap Gansu: lon 39..41, lat 94..99; the longitude and")


REPAIRS = [
    (
        "bowtie.geojson",
        "repaired",
        "1 feature(s) (rows 1) invalid (e.g. self-intersecting): made valid",
    ),
    ("nullgeom.geojson", "dropped", "1 feature(s) (rows 2) with no geometry (null, empty or NaN)"),
    (
        "three_point.geojson",
        "repaired",
        "row 2: an invalid polygon (e.g. a ring of three points) became a line; check it in a GIS",
    ),
]


@pytest.mark.parametrize(("name", "kind", "note"), REPAIRS, ids=[n for n, *_ in REPAIRS])
def test_repairs_are_said_per_file(corpus, tmp_path, name, kind, note):
    result = check(corpus, tmp_path, name)
    assert result.returncode == 0, result.stderr
    assert f"longtu: {kind}: {Path(name).stem}: {note}" in result.stderr
    notes = pd.read_csv(tmp_path / "report_layer_notes.csv", encoding="utf-8-sig")
    assert [kind, note] in notes[["kind", "note"]].to_numpy().tolist()
    _, report = read_vector_file(corpus / name)
    assert (kind, note) in report["repairs"]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [("nan", "40"), ("96", "nan"), ("inf", "40"), ("1e999", "40"), ("500", "40"), ("96", "-95")],
)
def test_site_check_refuses_coordinates_that_are_not_lon_lat(lon, lat):
    result = longtu("site", "check", "--lon", lon, "--lat", lat, "--industry", "pv")
    assert result.returncode == 2
    assert result.stderr.startswith(f"longtu: error: `lon` {float(lon)}, `lat` {float(lat)}: ")
    assert "give longitude and latitude in degrees as numbers" in result.stderr


def test_site_check_api_refuses_nan():
    with pytest.raises(ParameterError, match="give longitude and latitude in degrees"):
        site_check(math.nan, 40.0, "pv", plan={}, base={})


NOT_NUMBERS = "`capacities` column output_t_per_yr has values that are not numbers: data row 1"
CAPACITY_ERRORS = [
    ("cap_unknown_park", "`capacities` data row 1 has feature_id 'nowhere_park', which is not a"),
    ("cap_nan", f"{NOT_NUMBERS} 'NaN'."),
    ("cap_overflow", f"{NOT_NUMBERS} '1e999'."),
    ("cap_inf", f"{NOT_NUMBERS} 'inf'."),
    ("cap_formula", f"{NOT_NUMBERS} '=1+1'."),
    ("cap_dup_column", "cap_dup_column.csv has the column(s) output_t_per_yr more than once"),
]


@pytest.mark.parametrize(("name", "message"), CAPACITY_ERRORS, ids=[n for n, _ in CAPACITY_ERRORS])
def test_a_bad_capacity_row_is_refused_by_name(corpus, tmp_path, name, message):
    capacities = corpus / f"{name}.csv"
    result = longtu("analyze", "water", "--out", tmp_path, "--capacities", capacities)
    assert result.returncode == 2
    assert result.stderr.startswith(f"longtu: error: {message}")
    assert "inf" not in result.stdout and list(tmp_path.iterdir()) == []


CAPS_ERRORS = [
    ("caps_unknown_basin", "`caps` data row 1 names basin '石羊河流域', which is not in Gansu"),
    ("caps_unknown_prefecture", "`caps` data row 1 names prefecture '629900', which is not in"),
    ("caps_bad_scope", "`caps` data row 1 has scope 'county'; write `basin` (流域) or"),
]


@pytest.mark.parametrize(("name", "message"), CAPS_ERRORS, ids=[n for n, _ in CAPS_ERRORS])
def test_a_cap_that_would_compare_with_nothing_is_refused_by_row(corpus, tmp_path, name, message):
    """A cap row whose basin or prefecture is unknown was silently left out of the comparison."""
    result = longtu(
        "analyze", "water", "--out", tmp_path, "--capacities", corpus / "cap_good.csv",
        "--quota", "coal_to_methanol_new", "--caps", corpus / f"{name}.csv",
    )  # fmt: skip
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith(f"longtu: error: {message}")
    assert list(tmp_path.iterdir()) == []


def test_good_caps_with_a_blank_row_are_compared(corpus, tmp_path):
    result = longtu(
        "analyze", "water", "--out", tmp_path, "--capacities", corpus / "cap_good.csv",
        "--quota", "coal_to_methanol_new", "--caps", corpus / "caps_good.csv",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    by_basin = pd.read_csv(tmp_path / "by_basin.csv")
    assert by_basin.loc[by_basin["basin_zh"] == "黑河", "cap_1e4_m3_per_yr"].item() == 5000


# --- CSV injection --------------------------------------------------------------------------------

CELLS = [
    ("=1+1", "'=1+1"),
    ("+1", "'+1"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    (EVIL, "'" + EVIL),
    ("兰州新区", "兰州新区"),
    ("a=b", "a=b"),
    ("", ""),
]


@pytest.mark.parametrize(("cell", "written"), CELLS)
def test_text_cells_that_start_a_formula_are_defused(cell, written):
    table = pd.DataFrame({"name": [cell], "value": [-3.5]})
    out = neutralize_formulas(table)
    assert out["name"].tolist() == [written]
    assert out["value"].tolist() == [-3.5]  # real numbers are left alone


def test_column_names_and_missing_cells_are_safe_too():
    table = pd.DataFrame({"=cmd": [None, "ok"], "n": [1, 2]})
    out = neutralize_formulas(table)
    assert list(out.columns) == ["'=cmd", "n"] and out["=cmd".join(["'", ""])].isna().iloc[0]


def test_the_conflict_report_csv_defuses_names_from_users_files(corpus, tmp_path):
    result = check(corpus, tmp_path, "red.geojson", "=HYPERLINK(1).geojson")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    table = pd.read_csv(tmp_path / "report.csv", encoding="utf-8-sig", keep_default_na=False)
    assert "'" + EVIL in set(table["constraint_names"])  # the constraint's name
    assert "'" + EVIL in set(table["name_zh"])  # the feature's name
    assert "'=HYPERLINK(1)" in set(table["constraint_label"])  # the file's name
    assert not any(line.split(",")[0].startswith("=") for line in text.splitlines())


def test_write_result_defuses_every_table(tmp_path):
    result = AnalysisResult("x", "", "", tables={"t": pd.DataFrame({"a": ["@x"], "b": [-1]})})
    write_result(result, tmp_path)
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig") == "a,b\n'@x,-1\n"


def test_write_csv_is_utf8_with_bom(tmp_path):
    path = write_csv(pd.DataFrame({"名称": ["-甘肃"]}), tmp_path / "x.csv")
    assert path.read_bytes() == "\ufeff名称\n'-甘肃\n".encode()


# --- nothing destroyed ----------------------------------------------------------------------------


def test_the_report_never_replaces_an_input(corpus, tmp_path):
    mine = tmp_path / "mine.gpkg"
    shutil.copy(corpus / "degrees_as_3857.gpkg", mine)
    before = mine.read_bytes()
    result = longtu("constraints", "check", mine, "--out", mine, "--overwrite")
    assert result.returncode == 2
    assert result.stderr == (
        f"longtu: error: `--out` {mine} is also an input file; write the output to another "
        "file (the input is left as it is).\n"
        f"longtu: 错误：--out {mine} 也是输入文件；请把输出写到另一个文件（输入文件保持不变）。\n"
    )
    assert mine.read_bytes() == before


def test_the_report_never_replaces_the_features_file(corpus, tmp_path):
    features = tmp_path / "features.gpkg"
    gpd.read_file(corpus / "features.geojson").to_file(features)
    result = longtu(
        "constraints", "check", corpus / "red.geojson", "--features", f"{features}:features",
        "--out", features, "--overwrite",
    )  # fmt: skip
    assert result.returncode == 2 and "is also an input file" in result.stderr


@pytest.mark.parametrize("existing", ["report.gpkg", "report.csv", "report_layer_notes.csv"])
def test_an_existing_report_file_needs_overwrite(corpus, tmp_path, existing):
    (tmp_path / existing).write_text("mine")
    result = check(corpus, tmp_path, "red.geojson")
    assert result.returncode == 2
    assert result.stderr == (
        f"longtu: error: `--out`: {tmp_path / existing} exists already; add `--overwrite` to "
        "replace it, or choose another name.\n"
        f"longtu: 错误：--out：{tmp_path / existing} 已存在；加 --overwrite 以替换它，"
        "或换一个文件名。\n"
    )
    assert (tmp_path / existing).read_text() == "mine"
    again = longtu(
        "constraints", "check", corpus / "red.geojson", "--features", corpus / "features.geojson",
        "--out", tmp_path / "report.gpkg", "--overwrite",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr


def test_out_naming_a_folder_is_refused(corpus, tmp_path):
    (tmp_path / "report.gpkg").mkdir()
    result = check(corpus, tmp_path, "red.geojson")
    assert result.returncode == 2
    assert f"`--out` {tmp_path / 'report.gpkg'} is a folder; give a file name" in result.stderr


def test_out_under_a_file_is_refused(corpus, tmp_path):
    (tmp_path / "afile").write_text("x")
    result = check(corpus, tmp_path, "red.geojson", out="afile/report.gpkg")
    assert result.returncode == 2
    assert f"{tmp_path / 'afile'} is a file, not a folder; choose another path." in result.stderr


def test_layers_export_never_overwrites_unasked(tmp_path):
    out = tmp_path / "parks.csv"
    out.write_text("my notes")
    result = longtu("layers", "export", "parks", "--out", out)
    assert result.returncode == 2 and "exists already; add `--overwrite`" in result.stderr
    assert out.read_text() == "my notes"
    assert longtu("layers", "export", "parks", "--out", out, "--overwrite").returncode == 0
    assert out.read_text(encoding="utf-8-sig").startswith("feature_id,")


def test_layers_export_to_a_folder_is_refused(tmp_path):
    result = longtu("layers", "export", "parks", "--out", tmp_path)
    assert result.returncode == 2 and f"`--out` {tmp_path} is a folder" in result.stderr


def test_analyze_never_writes_into_a_folder_with_files_unasked(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = longtu("analyze", "water", "--out", tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"longtu: error: `--out` folder {tmp_path} has files in it already; add `--overwrite` "
        "to replace them, or choose an empty or new folder.\n"
        f"longtu: 错误：--out 文件夹 {tmp_path} 中已有文件；加 --overwrite 以替换，"
        "或选一个空的或新的文件夹。\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_analyze_out_naming_a_file_is_refused(tmp_path):
    (tmp_path / "x").write_text("mine")
    result = longtu("analyze", "water", "--out", tmp_path / "x")
    assert result.returncode == 2 and "is a file, not a folder" in result.stderr


def test_suitability_never_writes_into_a_folder_with_files_unasked(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = longtu("suitability", "--industry", "pv", "--out", tmp_path)
    assert result.returncode == 2 and "add `--overwrite`" in result.stderr


def test_pdf_never_overwrites_unasked(tmp_path):
    out = tmp_path / "briefing.pdf"
    out.write_text("mine")
    for command in (["pdf"], ["pdf", "atlas"], ["pdf", "page"]):
        result = longtu(*command, "--out", out)
        assert result.returncode == 2 and "exists already; add `--overwrite`" in result.stderr
    assert out.read_text() == "mine"


# --- unclear results ------------------------------------------------------------------------------


def test_an_all_nodata_raster_is_refused_not_scored_nan(corpus, tmp_path):
    raster = f"ghi={corpus / 'allnodata.tif'}"
    result = longtu("suitability", "--industry", "pv", "--raster", raster, "--out", tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "longtu: error: `ghi` has no value over Gansu: every pixel there is nodata; check the "
        "file (and its nodata value) or supply one that covers Gansu.\n"
        "longtu: 错误：在甘肃范围内没有任何有值像元（全部为无数据）；请检查文件及其无数据值，"
        "或改用覆盖甘肃的栅格。\n"
    )


def test_a_minimal_quota_file_gives_the_same_answer_as_a_full_one(corpus, tmp_path):
    args = ["analyze", "water", "--capacities", corpus / "cap_good.csv"]
    result = longtu(*args, "--coefficients", corpus / "quota_min.csv", "--out", tmp_path / "a")
    assert result.returncode == 0, result.stderr
    assert "需水合计 600.0 万m³/年" in result.stdout  # 600,000 t x 10 m³/t


def test_a_quota_file_without_a_quota_column_is_one_line(corpus, tmp_path):
    quotas = corpus / "quota_no_value.csv"
    result = longtu("analyze", "water", "--coefficients", quotas, "--out", tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "longtu: error: `coefficients` needs a quota column, water_m3_per_t or water_m3_per_mwh "
        "(units in the name), beside industry_key.\n"
        "longtu: 错误：用水定额表除 industry_key 外，还须有一列定额：water_m3_per_t 或 "
        "water_m3_per_mwh（列名含单位）。\n"
    )


@pytest.mark.parametrize(
    "command",
    [["constraints", "check"], ["analyze"], ["suitability"], ["site", "check"]],
    ids=lambda c: " ".join(c),
)
def test_help_of_commands_that_read_files_gives_the_size_limits(command):
    result = longtu(*command, "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "Size limits: constraint layers and archives up to 200 MiB (also unpacked)" in text
    assert "tables (CSV) up to 20 MiB" in text


@pytest.mark.parametrize(
    "command",
    [["layers", "export"], ["analyze"], ["suitability"], ["constraints", "check"], ["pdf"]],
    ids=lambda c: " ".join(c),
)
def test_every_command_that_writes_has_overwrite(command):
    assert "--overwrite" in longtu(*command, "--help").stdout


def test_read_vector_file_refuses_a_file_with_only_nan_geometry(corpus):
    with pytest.raises(ConstraintFileError, match="no feature's geometry can be read"):
        read_vector_file(corpus / "nan.geojson")


UNWRITABLE = [
    (
        ["layers", "export", "parks", "--out", "/proc/longtu_t.gpkg"],
        "/proc/longtu_t.gpkg",
    ),
    (["layers", "export", "parks", "--out", "/proc/longtu_t.geojson"], "/proc/longtu_t.geojson"),
    (["layers", "export", "parks", "--out", "/proc/longtu_t.csv"], "/proc/longtu_t.csv"),
    (["layers", "export", "terrain", "--out", "/proc/longtu_t.tif"], "/proc/longtu_t.tif"),
    (["analyze", "water", "--out", "/proc/longtu_t"], "/proc/longtu_t"),
]


@pytest.mark.parametrize(("argv", "message"), UNWRITABLE, ids=lambda v: str(v)[-24:])
# /proc takes no new files, for root too; the reason given (no such file, permission) varies.
def test_an_unwritable_path_is_one_line_naming_it(argv, message):
    """One line in English, then the same in Chinese, each naming the path."""
    result = longtu(*argv)
    assert result.returncode == 2
    english, chinese = result.stderr.splitlines()
    assert english.startswith("longtu: error: ") and message in english
    assert chinese.startswith("longtu: 错误：") and message in chinese and chinese.endswith("。")


def test_file_system_errors_become_one_line_and_bugs_do_not():
    from longtu.cli.main import file_error_message

    assert file_error_message(NotADirectoryError(20, "Not a directory", "f/x.gpkg")) == (
        "f/x.gpkg: Not a directory; check the path is one you can read or write."
    )
    assert file_error_message(ZeroDivisionError()) is None


def test_a_demand_that_overflows_is_refused_not_printed_inf(corpus, tmp_path):
    capacities = tmp_path / "cap.csv"
    capacities.write_text(
        "feature_id,industry_key,county_adcode,output_t_per_yr\n"
        f"{PARK},coal_to_methanol,{COUNTY},1e300\n"
    )
    quotas = tmp_path / "quota.csv"
    quotas.write_text("industry_key,water_m3_per_t\ncoal_to_methanol,1e300\n")
    out = tmp_path / "out"
    result = longtu(
        "analyze", "water", "--capacities", capacities, "--coefficients", quotas, "--out", out
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"longtu: error: `capacities` output x quota is too large to be a number for {PARK}; "
        "check the output and the quota typed (units: t/yr or MWh/yr, m³/t or m³/MWh).\n"
        f"longtu: 错误：产能表中 {PARK} 的产量乘以定额大到无法成为数字；请检查所填产量与定额"
        "（单位：t/年或 MWh/年，m³/t 或 m³/MWh）。\n"
    )
    assert "inf" not in result.stdout


def test_analyze_never_writes_over_an_input_in_its_out_folder(corpus, tmp_path):
    mine = tmp_path / "coefficients.csv"  # the name the water analysis writes its quotas to
    shutil.copy(corpus / "quota_min.csv", mine)
    before = mine.read_bytes()
    result = longtu("analyze", "water", "--coefficients", mine, "--out", tmp_path, "--overwrite")
    assert result.returncode == 2
    assert result.stderr == (
        f"longtu: error: `--out` {mine} is also an input file; write the output to another file "
        "(the input is left as it is).\n"
        f"longtu: 错误：--out {mine} 也是输入文件；请把输出写到另一个文件（输入文件保持不变）。\n"
    )
    assert mine.read_bytes() == before


def test_site_check_warns_of_a_constraint_layer_outside_gansu(corpus):
    swapped = corpus / "swapped.geojson"
    result = longtu(
        "site", "check", "--lon", "96", "--lat", "40", "--industry", "pv", "--constraint", swapped
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("longtu: warning: swapped: `swapped.geojson` does not overlap")


def test_repairs_of_the_features_file_are_said_too(corpus, tmp_path):
    result = longtu(
        "constraints", "check", corpus / "red.geojson", "--features", corpus / "nullgeom.geojson",
        "--out", tmp_path / "report.gpkg",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "longtu: dropped: features: 1 feature(s) (rows 2) with no geometry (null, empty or NaN)\n"
        "longtu: 已删除：1 个要素（第 2 行）没有几何（空或 NaN），已删除\n"
    )


def test_the_size_limits_in_help_are_the_readers_limits():
    from longtu.analysis.io import rasters, tables, vector
    from longtu.cli.common import SIZE_LIMITS

    assert f"up to {vector.DEFAULT_MAX_BYTES // 1024**2} MiB (also unpacked)" in SIZE_LIMITS
    assert f"at most {vector.DEFAULT_MAX_FILES} archive entries" in SIZE_LIMITS
    assert f"masks up to {vector.DEFAULT_MAX_PIXELS:,} pixels" in SIZE_LIMITS
    assert f"tables (CSV) up to {tables.DEFAULT_MAX_BYTES // 1024**2} MiB" in SIZE_LIMITS
    assert f"at most {rasters.DEFAULT_MAX_CELLS:,} cells" in SIZE_LIMITS
