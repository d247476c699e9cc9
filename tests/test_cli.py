"""The `longtu` command line: its `main([...])` in-process, and once as the installed command."""

import contextlib
import io
import shutil
import subprocess
import sys
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pytest
import rasterio

from longtu.cli.constraints import parse_builtin, parse_label_pairs
from longtu.cli.main import main
from longtu.layout import load_layer


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def longtu(*args: str) -> Run:
    """Run ``longtu ARGS`` in this process, as the entry point does; capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse refusing the options
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def test_the_installed_command_runs():
    """One real start of the installed entry point (every other test calls `main` directly)."""
    exe = shutil.which("longtu")
    cmd = [exe] if exe else [sys.executable, "-m", "longtu"]
    done = subprocess.run(
        [*cmd, "validate"], capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("规划表校验通过：三大经济区及片区 ")
    assert "\nPlan tables are valid: Economic zones and sub-areas " in done.stdout
    module = subprocess.run(
        [sys.executable, "-m", "longtu", "--help"], capture_output=True, text=True, check=False
    )
    assert module.returncode == 0 and "constraints" in module.stdout


def test_bad_options_are_refused_with_usage():
    result = longtu("analyze", "nothing", "--out", "x")
    assert result.returncode == 2 and "invalid choice: 'nothing'" in result.stderr


def test_parse_builtin_forms():
    assert parse_builtin("terrain:3000m,25deg").label == (
        "海拔 ≥ 3000 m 或坡度 ≥ 25° Elevation ≥ 3000 m or slope ≥ 25°"
    )
    assert parse_builtin("land_cover:water,13").category == "land_cover"
    with pytest.raises(ValueError, match=r"`--builtin rivers`.*Forms"):
        parse_builtin("rivers")


def test_parse_label_pairs():
    assert parse_label_pairs(["red=2", "b=0.5"], option="--buffer-km", number=True) == {
        "red": 2.0,
        "b": 0.5,
    }
    assert parse_label_pairs(["red=nature_reserve"], option="--category", number=False) == {
        "red": "nature_reserve"
    }
    with pytest.raises(ValueError, match=r"`--buffer-km red`: expected LABEL=KM"):
        parse_label_pairs(["red"], option="--buffer-km", number=True)
    with pytest.raises(ValueError, match=r"`--buffer-km red=two`"):
        parse_label_pairs(["red=two"], option="--buffer-km", number=True)


def test_layers_lists_every_layer_with_counts():
    result = longtu("layers")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert {"province", "counties", "parks", "energy_sites", "targets", "terrain"} <= set(lines)
    assert lines["counties"].split()[-1] == "90"
    assert int(lines["parks"].split()[-1]) == len(load_layer("parks"))
    assert result.stdout.startswith("图层 layer  ")  # headings in words, the layers' names kept
    assert "规划 plan" in lines["parks"] and "点 point" in lines["parks"]


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".csv"])
def test_export_round_trip(tmp_path, suffix):
    out = tmp_path / f"parks{suffix}"
    result = longtu("layers", "export", "parks", "--out", str(out))
    assert result.returncode == 0, result.stderr
    parks = load_layer("parks")
    if suffix == ".csv":
        back = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert out.read_bytes()[:3] == b"\xef\xbb\xbf"  # BOM: Excel shows the Chinese right
        assert "geometry_wkt" in back.columns
    else:
        back = gpd.read_file(out)
        assert back.crs.to_epsg() == 4326
    assert list(back["name_zh"]) == list(parks["name_zh"])


def test_export_mixed_geometry_layer_to_gpkg(tmp_path):
    out = tmp_path / "bases.gpkg"
    assert longtu("layers", "export", "industrial_bases", "--out", str(out)).returncode == 0
    back = gpd.read_file(out)
    assert len(back) == len(load_layer("industrial_bases"))


def test_export_raster_as_geotiff(tmp_path):
    out = tmp_path / "terrain.tif"
    assert longtu("layers", "export", "terrain", "--out", str(out)).returncode == 0
    with rasterio.open(out) as src:
        assert src.crs.to_epsg() == 4326
        assert src.descriptions == ("elevation_m", "slope_deg")


def test_clear_errors_for_bad_requests(tmp_path):
    result = longtu("layers", "export", "parkz", "--out", str(tmp_path / "x.gpkg"))
    assert result.returncode == 2
    assert "No layer `parkz`; valid layers:" in result.stderr
    result = longtu("layers", "export", "parks", "--out", str(tmp_path / "x.shp"))
    assert result.returncode == 2 and "Cannot tell the format of `x.shp`" in result.stderr


def test_validate_passes_on_bundled_tables():
    result = longtu("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("规划表校验通过")


def test_pdf_commands(tmp_path):
    from pypdf import PdfReader

    page = tmp_path / "jyg.pdf"
    result = longtu(
        "pdf", "page", "--extent", "prefecture:620200", "--layers", "parks", "--out", str(page)
    )
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(page).pages) == 1
    atlas = tmp_path / "zones.pdf"
    result = longtu("pdf", "atlas", "--by", "zone", "--out", str(atlas))
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(atlas).pages) == 4  # index + three economic zones
    result = longtu("pdf")
    assert result.returncode == 2 and "`--out` is required" in result.stderr


def test_water_ledger_from_a_gbk_capacity_table_and_a_picked_quota(tmp_path):
    first = longtu("analyze", "water", "--out", str(tmp_path / "plain"))
    assert first.returncode == 0, first.stderr
    assert "未知" in first.stdout  # no capacities, no quota: demand is unknown, not zero
    template = pd.read_csv(tmp_path / "plain" / "capacities_template.csv", dtype=str)
    reference = pd.read_csv(tmp_path / "plain" / "quota_reference.csv", dtype=str)
    assert "coal_to_methanol_new" in set(reference["reference_id"])
    row = template.index[
        (template["feature_id"] == "park_zhangye_coal_chemical_park")
        & (template["industry_group"] == "coal_chemicals")
    ][0]
    template.loc[row, ["industry_key", "output_t_per_yr", "source"]] = [
        "coal_to_methanol",
        "600000",
        "示例产能 example",
    ]
    filled = tmp_path / "capacities.csv"
    template.to_csv(filled, index=False, encoding="gbk")  # Excel on Chinese Windows

    args = ["analyze", "water", "--out", str(tmp_path / "ledger"), "--capacities", str(filled)]
    args.append("--overwrite")  # each run below replaces the ledger of the one before
    result = longtu(*args, "--quota", "coal_to_methanol_new")
    assert result.returncode == 0, result.stderr
    assert "需水合计 660.0 万m³/年" in result.stdout  # 600,000 t x 11 m³/t
    assert "未经标准原文核对" in result.stdout
    lines = pd.read_csv(tmp_path / "ledger" / "ledger_lines.csv")
    assert lines["basin_zh"].tolist() == ["黑河"]

    result = longtu(*args)  # the same capacities without a quota: unknown, never zero
    assert result.returncode == 0 and "需水合计 unknown 未知" in result.stdout

    coefficients = pd.read_csv(tmp_path / "plain" / "coefficients.csv", dtype=str)
    at = coefficients["industry_key"] == "coal_to_methanol"
    coefficients.loc[at, ["water_m3_per_t", "value_source"]] = ["10", "用户录入 user"]
    coefficients.to_csv(tmp_path / "quotas.csv", index=False, encoding="gbk")
    result = longtu(*args, "--coefficients", str(tmp_path / "quotas.csv"))
    assert result.returncode == 0 and "需水合计 600.0 万m³/年" in result.stdout

    template.loc[row, "output_t_per_yr"] = "六十万"
    template.to_csv(filled, index=False, encoding="gbk")
    result = longtu(*args)
    assert result.returncode == 2
    assert f"data row {row + 1} '六十万'" in result.stderr


@pytest.mark.reference
def test_station_measurements_become_a_modelled_resource_surface(reference_dir, tmp_path):
    table = pd.read_csv(reference_dir / "solar" / "gansu_cdsrd_station_longterm_ghi.csv")
    stations = pd.DataFrame(
        {
            "lon": table["longitude(deg)"],
            "lat": table["latitude(deg)"],
            "ghi": table["GHI_kWh_m2_yr_mean"],
        }
    )
    path = tmp_path / "stations.csv"
    stations.to_csv(path, index=False, encoding="gbk")
    result = longtu(
        "site", "check", "--lon", "94.7", "--lat", "40.1", "--industry", "pv",
        "--stations", f"ghi={path}",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "modelled surface from 68 stations (not measured)" in result.stdout
    assert "kWh/m2/yr" in result.stdout.splitlines()[0]
    result = longtu(
        "site", "check", "--lon", "94.7", "--lat", "40.1", "--industry", "pv",
        "--stations", f"wind={path}",
    )  # fmt: skip
    assert result.returncode == 2 and "give the unit" in result.stderr


def test_site_check_takes_the_builtin_layers_the_app_and_constraints_check_offer():
    """合作市 lies on the Tibetan Plateau: a siting verdict against it blocks, as in the app."""
    result = longtu(
        "site", "check", "--lon", "102.9", "--lat", "34.98", "--industry", "nonferrous",
        "--builtin", "tibetan_plateau", "rivers:1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("不符合 does not fit")
    lines = [line for line in result.stdout.splitlines() if "约束 Constraints" in line]
    assert "青藏高原（甘肃境内） Tibetan Plateau (in Gansu)（青藏高原）：冲突" in lines[0]
    assert "河流两侧各 1 km" in lines[1] and "无冲突" in lines[1], lines
    # Each reason in Chinese, then in English beneath it.
    english = [line.strip() for line in result.stdout.splitlines() if "Constraints: " in line]
    assert english[0].startswith("× does not fit  Constraints: 青藏高原（甘肃境内） Tibetan"), (
        english
    )
    bad = longtu("site", "check", "--lon", "102.9", "--lat", "35", "--industry", "pv",
                 "--builtin", "rivers")  # fmt: skip
    assert bad.returncode == 2 and "可用的写法：rivers:2" in bad.stderr, bad.stderr


def test_commands_run_on_a_scenario(tmp_path, monkeypatch):
    """--scenario NAME: the constraint check, the siting verdict and a PDF use its layers."""
    monkeypatch.setenv("LONGTU_WORKSPACE", str(tmp_path / "ws.gpkg"))
    assert longtu("scenario", "new", "s", "--by", "li").returncode == 0
    moved = longtu(
        "scenario", "edit", "s", "park_zhangye_etdz", "--move", "100.45", "38.93",
        "--reason", "site agreed", "--by", "li",
    )  # fmt: skip
    assert moved.returncode == 0, moved.stderr
    removed = longtu(
        "scenario", "edit", "s", "park_jiuquan_etdz", "--remove", "--reason", "merged", "--by", "li"
    )
    assert removed.returncode == 0, removed.stderr

    def report(*extra):
        out = tmp_path / f"r{len(extra)}.gpkg"
        done = longtu("constraints", "check", "--builtin", "tibetan_plateau", "--out", str(out),
                      *extra)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return gpd.read_file(out, layer="features").set_index("feature_id")

    plan, scenario = report(), report("--scenario", "s")
    assert "park_jiuquan_etdz" in plan.index and "park_jiuquan_etdz" not in scenario.index
    site = scenario.loc["park_zhangye_etdz"]
    assert site["precision"] == "site" and plan.loc["park_zhangye_etdz", "precision"] != "site"

    page = longtu("pdf", "page", "--scenario", "s", "--extent", "zone:zone_hexi",
                  "--out", str(tmp_path / "p.pdf"))  # fmt: skip
    assert page.returncode == 0, page.stderr
    unknown = longtu("site", "check", "--lon", "100.4", "--lat", "38.9", "--industry", "pv",
                     "--scenario", "nope")  # fmt: skip
    assert unknown.returncode == 2 and "nope" in unknown.stderr


@pytest.mark.parametrize(
    ("argv", "overwrite", "paper"),
    [
        (["pdf", "--overwrite", "--paper", "A3", "atlas", "--out", "a.pdf"], True, "A3"),
        (["pdf", "atlas", "--overwrite", "--paper", "A3", "--out", "a.pdf"], True, "A3"),
        (["pdf", "page", "--out", "p.pdf"], False, "A4"),
        (["pdf", "--out", "b.pdf"], False, "A4"),
    ],
)
def test_pdf_options_count_before_or_after_the_sub_command(argv, overwrite, paper):
    """`longtu pdf --overwrite atlas` was silently reset to no overwrite by `atlas`'s default."""
    from longtu.cli.main import make_parser

    args = make_parser().parse_args(argv)
    assert (args.overwrite, args.paper, args.orientation) == (overwrite, paper, "portrait")


def test_analysis_layers_as_geoparquet_equal_the_geopackage(tmp_path):
    """`--layer-format parquet`: a GeoParquet file per table, the same rows as the GeoPackage."""
    import pyogrio

    for fmt in ("gpkg", "parquet"):
        out = str(tmp_path / fmt)
        run = longtu("analyze", "clustering", "--out", out, "--layer-format", fmt)
        assert run.returncode == 0, run.stderr
    layers = [name for name, _ in pyogrio.list_layers(tmp_path / "gpkg" / "clustering.gpkg")]
    assert sorted(p.stem for p in (tmp_path / "parquet").glob("*.parquet")) == sorted(layers)
    assert not list((tmp_path / "parquet").glob("*.gpkg"))
    for name in layers:
        packaged = gpd.read_file(tmp_path / "gpkg" / "clustering.gpkg", layer=name)
        parquet = gpd.read_parquet(tmp_path / "parquet" / f"{name}.parquet")
        assert parquet.crs.to_epsg() == packaged.crs.to_epsg() == 4326
        assert parquet.geometry.geom_equals(packaged.geometry).all(), name
        columns = [c for c in packaged.columns if c != "geometry"]
        pd.testing.assert_frame_equal(
            pd.DataFrame(parquet[columns]), pd.DataFrame(packaged[columns]), check_dtype=False
        )
