"""``longtu analyze clustering|resource|water|access|built`` and ``longtu suitability``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from longtu.cli.access import access_options, run_access
from longtu.cli.built import built_options, run_built
from longtu.cli.common import (
    INDUSTRY_HELP,
    OUT_FOLDER_HELP,
    RASTER_HELP,
    STATIONS_HELP,
    add_layer_format,
    add_overwrite,
    add_scenario_options,
    check_out_folder,
    input_files,
    plan_of,
    report,
    size_limits_help,
    user_rasters,
)
from longtu.cli.help_text import add_command, zh_en

if TYPE_CHECKING:
    from longtu.analysis.result import AnalysisResult

ANALYSES = ("clustering", "resource", "water", "access", "built")

#: Options of the analyses with their defaults, for commands that run them without asking
#: (``longtu pdf --analysis NAME``).
ANALYSIS_DEFAULTS: dict[str, object] = {
    "eps_km": 50.0,
    "min_samples": 3,
    "seed": 0,
    "raster": [],
    "stations": [],
    "capacities": None,
    "caps": None,
    "coefficients": None,
    "quota": [],
    "osm": None,
    "online": False,
    "plants": None,
    "footprint_radius_km": 5.0,
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``analyze`` and ``suitability`` to the ``longtu`` sub-commands."""
    analyze = add_command(
        sub,
        "analyze",
        "运行一项分析并写出结果",
        "run an analysis and write its outputs",
        epilog=size_limits_help(),
    )
    analyze.add_argument(
        "name",
        choices=ANALYSES,
        help=zh_en(
            "分析：产业集聚、资源适宜性、以水定产、交通可达性、规划与建成对照", "the analysis"
        ),
    )
    analyze.add_argument("--out", required=True, help=OUT_FOLDER_HELP)
    analyze.add_argument("--raster", action="append", default=[], help=RASTER_HELP)
    analyze.add_argument("--stations", action="append", default=[], help=STATIONS_HELP)
    _clustering_options(analyze)
    _water_options(analyze)
    access_options(analyze)
    built_options(analyze)
    add_overwrite(analyze)
    add_layer_format(analyze)
    add_scenario_options(analyze)
    analyze.set_defaults(func=run_analyze)
    _register_suitability(sub)


def _clustering_options(analyze: argparse.ArgumentParser) -> None:
    analyze.add_argument(
        "--eps-km", type=float, default=50.0, help=zh_en("DBSCAN 半径，km", "DBSCAN radius, km")
    )
    analyze.add_argument(
        "--min-samples",
        type=int,
        default=3,
        help=zh_en("DBSCAN 每个集聚最少园区数", "DBSCAN minimum cluster size"),
    )
    analyze.add_argument(
        "--seed",
        type=int,
        default=0,
        help=zh_en("随机模拟的种子", "random seed of the simulations"),
    )


def _water_options(analyze: argparse.ArgumentParser) -> None:
    analyze.add_argument(
        "--capacities",
        help=zh_en("以水定产：园区产能 CSV", "water: CSV of capacities for the ledger"),
    )
    analyze.add_argument(
        "--caps",
        help=zh_en(
            "以水定产：各流域用水总量控制或供水 CSV", "water: CSV of caps or supply by basin"
        ),
    )
    analyze.add_argument(
        "--coefficients",
        help=zh_en(
            "以水定产：取水定额 CSV（其写出的 coefficients.csv，填好后）",
            "water: CSV of water-use quotas (the coefficients.csv it writes, filled in)",
        ),
    )
    analyze.add_argument(
        "--quota",
        action="append",
        default=[],
        metavar="REFERENCE_ID",
        help=zh_en(
            "采用转录定额（见 quota_reference.csv；未经标准原文核对）",
            "use a transcribed quota (see quota_reference.csv; not checked against the standard)",
        ),
    )


def _register_suitability(sub: argparse._SubParsersAction) -> None:
    suit = add_command(
        sub,
        "suitability",
        "适宜性评价（多准则）得分与前 N 个候选区",
        "suitability (MCDA) score and top-N candidate areas",
        epilog=size_limits_help(),
    )
    suit.add_argument("--industry", required=True, help=INDUSTRY_HELP)
    suit.add_argument("--out", required=True, help=OUT_FOLDER_HELP)
    suit.add_argument("--raster", action="append", default=[], help=RASTER_HELP)
    suit.add_argument("--stations", action="append", default=[], help=STATIONS_HELP)
    suit.add_argument(
        "--criteria",
        help=zh_en(
            "修改过的准则 CSV（如某次运行的 DIR/criteria.csv）",
            "edited criteria CSV (e.g. DIR/criteria.csv of a run)",
        ),
    )
    suit.add_argument(
        "--top-n",
        type=int,
        default=10,
        help=zh_en("候选区数量（默认 10）", "number of candidate areas (default 10)"),
    )
    suit.add_argument(
        "--min-score",
        type=float,
        help=zh_en(
            "候选区的得分下限（默认：得分的第 95 百分位）",
            "lowest score of a candidate cell (default: the 95th percentile)",
        ),
    )
    suit.add_argument(
        "--exclude-plateau",
        action="store_true",
        help=zh_en("另排除青藏高原", "also exclude the Tibetan Plateau"),
    )
    suit.add_argument(
        "--osm",
        metavar="FILE",
        help=zh_en(
            "OpenStreetMap 路网数据（.osm.pbf）：算距铁路或公路的距离",
            "an OpenStreetMap extract (.osm.pbf): distance to rail or road",
        ),
    )
    add_overwrite(suit)
    add_layer_format(suit)
    add_scenario_options(suit)
    suit.set_defaults(func=run_suitability)


def run_analyze(args: argparse.Namespace) -> int:
    """``longtu analyze NAME --out DIR``."""
    check_out_folder(args.out, overwrite=args.overwrite)
    result = run_analysis(args.name, args)
    return _write(result, args)


def run_analysis(name: str, args: argparse.Namespace) -> AnalysisResult:
    """Run the analysis `name` on the bundled layers with the options in `args`."""
    from longtu.layout import load_layer

    plan = plan_of(args)
    if name == "clustering":
        from longtu.analysis.clustering import run_clustering

        layers = {**plan, "province": load_layer("province"), "counties": load_layer("counties")}
        return run_clustering(
            layers, eps_km=args.eps_km, min_samples=args.min_samples, seed=args.seed
        )
    if name == "resource":
        from longtu.analysis.resource import RESOURCE_LAYERS, run_resource_fit

        layers = _with_base(plan, RESOURCE_LAYERS)
        return run_resource_fit(layers, resource_rasters=user_rasters(args.raster, args.stations))
    if name == "access":
        return run_access(args, plan)
    if name == "built":
        return run_built(args, plan)
    return _run_water(args, plan)


def _with_base(plan: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The layers `names`: plan layers from `plan` (the plan or a scenario), base layers loaded."""
    from longtu.layout import load_layer

    return {name: plan[name] if name in plan else load_layer(name) for name in names}


def _run_water(args: argparse.Namespace, plan: dict[str, Any]) -> AnalysisResult:
    from longtu.analysis.io.tables import read_user_csv
    from longtu.analysis.tables import water_coefficients
    from longtu.analysis.water import (
        WATER_LAYERS,
        apply_quota_reference,
        complete_coefficients,
        run_water_fit,
    )

    layers = _with_base(plan, WATER_LAYERS)
    capacities = read_user_csv(args.capacities) if args.capacities else None
    caps = read_user_csv(args.caps) if args.caps else None
    coefficients = (
        complete_coefficients(read_user_csv(args.coefficients, required=["industry_key"]))
        if args.coefficients
        else water_coefficients()
    )
    if args.quota:
        coefficients = apply_quota_reference(coefficients, args.quota)
    return run_water_fit(layers, capacities=capacities, caps=caps, coefficients=coefficients)


def run_suitability(args: argparse.Namespace) -> int:
    """``longtu suitability --industry NAME --out DIR``."""
    import pandas as pd

    from longtu.analysis.io.tables import read_user_csv
    from longtu.analysis.suitability import SUITABILITY_LAYERS, suitability
    from longtu.layout import load_layer

    check_out_folder(args.out, overwrite=args.overwrite)
    plan = plan_of(args)
    base = {name: load_layer(name) for name in SUITABILITY_LAYERS}
    if args.osm:
        from longtu.analysis.access import load_network, transport_lines

        base["transport_lines"] = transport_lines(load_network(args.osm))
    result = suitability(
        args.industry,
        base=base,
        parks=pd.concat([plan["parks"], plan["energy_sites"]], ignore_index=True),
        criteria=read_user_csv(args.criteria) if args.criteria else None,
        resource_rasters=user_rasters(args.raster, args.stations),
        exclude_plateau=args.exclude_plateau,
        min_score=args.min_score,
        top_n=args.top_n,
    )
    return _write(result, args)


def _write(result: AnalysisResult, args: argparse.Namespace) -> int:
    """Write `result` to ``--out`` as the options say (never over an input file)."""
    return report(
        result,
        Path(args.out),
        overwrite=True,
        inputs=input_files(args),
        layer_format=args.layer_format,
    )
