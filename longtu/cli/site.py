"""``longtu site check``: the siting verdict (选址分析) for a point and an industry."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from longtu.cli.common import (
    INDUSTRY_HELP,
    RASTER_HELP,
    STATIONS_HELP,
    add_scenario_options,
    plan_of,
    print_notes,
    print_skipped,
    size_limits_help,
    user_rasters,
)
from longtu.cli.constraints import add_builtin_option, parse_builtin
from longtu.cli.help_text import add_command, zh_en

if TYPE_CHECKING:
    from longtu.analysis.constraints import ConstraintLayer


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``site check`` to the ``longtu`` sub-commands."""
    site = add_command(
        sub, "site", "选址分析：点位对产业的判定", "siting verdict for a point and an industry"
    )
    site_sub = site.add_subparsers(dest="site_command", required=True)
    check = add_command(
        site_sub,
        "check",
        "符合、有条件符合或不符合，附理由",
        "fits, fits with conditions or does not fit, with reasons",
        epilog=size_limits_help(),
    )
    check.add_argument(
        "--lon", type=float, required=True, help=zh_en("经度，度", "longitude, degrees")
    )
    check.add_argument(
        "--lat", type=float, required=True, help=zh_en("纬度，度", "latitude, degrees")
    )
    check.add_argument("--industry", required=True, help=INDUSTRY_HELP)
    check.add_argument(
        "--datum",
        default="wgs84",
        choices=["wgs84", "gcj02", "bd09"],
        help=zh_en(
            "坐标系：wgs84（默认）、gcj02（高德、腾讯）、bd09（百度）",
            "datum of --lon/--lat (default wgs84)",
        ),
    )
    check.add_argument(
        "--constraint",
        action="append",
        default=[],
        help=zh_en("约束图层文件（可重复）", "constraint layer file (repeatable)"),
    )
    add_builtin_option(check)  # the same layers as in `longtu constraints check` and the app
    check.add_argument("--raster", action="append", default=[], help=RASTER_HELP)
    check.add_argument("--stations", action="append", default=[], help=STATIONS_HELP)
    check.add_argument(
        "--osm",
        metavar="FILE",
        help=zh_en(
            "OpenStreetMap 路网数据（.osm.pbf）：按路网算可达性",
            "an OpenStreetMap extract (.osm.pbf): access by road network",
        ),
    )
    add_scenario_options(check)
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """``longtu site check --lon X --lat Y --industry NAME``: the verdict and its reasons."""
    from longtu.analysis.access import load_network
    from longtu.analysis.constraints.extent import layer_notes
    from longtu.analysis.io.constraint_files import read_constraint_layers
    from longtu.analysis.siting import SITING_LAYERS, site_check
    from longtu.layout import load_layer
    from longtu.layout.load import symbol_points
    from longtu.maps.words.verdict import reason_words

    constraints: list[ConstraintLayer] = []
    if args.constraint:
        constraints, problems = read_constraint_layers(args.constraint)
        print_skipped(problems)
        print_notes(layer_notes(constraints))
    constraints += [parse_builtin(spec) for spec in args.builtin]
    verdict = site_check(
        args.lon,
        args.lat,
        args.industry,
        plan=plan_of(args),
        base={name: load_layer(name) for name in SITING_LAYERS}
        | {"prefecture_seats": symbol_points("prefecture")},
        datum=args.datum,
        constraints=constraints,
        resource_rasters=user_rasters(args.raster, args.stations),
        network=load_network(args.osm) if args.osm else None,
    )
    print(
        f"{verdict.verdict_zh} {verdict.verdict_en}  ({verdict.lon:.5f}, {verdict.lat:.5f} WGS84)"
    )
    for row in verdict.reasons.itertuples(index=False):  # each reason in Chinese, then English
        reason, english = reason_words(row, language="zh"), reason_words(row, language="en")
        source = f"（出处：{reason.source}）" if reason.source else ""
        print(f"  {reason.mark}  {reason.aspect}：{reason.finding}。{source}")
        source = f" (source: {english.source})" if english.source else ""
        print(f"      {english.mark}  {english.aspect}: {english.finding}.{source}")
    return 0
