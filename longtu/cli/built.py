"""Options and run of ``longtu analyze built`` (the plan's energy bases against real plants)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from longtu.cli.help_text import zh_en
from longtu.errors import ParameterError

if TYPE_CHECKING:
    from longtu.analysis.result import AnalysisResult


def built_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of the implementation view to ``longtu analyze``."""
    parser.add_argument(
        "--plants",
        metavar="FILE",
        help=zh_en(
            "建成对照：电站登记册（含经纬度的 CSV、GeoPackage、GeoJSON…）：名称、类型、装机"
            "（MW）、位置、年份",
            "built: a register of real plants (CSV with lon/lat, GeoPackage, GeoJSON...): "
            "name, technology, capacity (MW), location, year",
        ),
    )
    parser.add_argument(
        "--footprint-radius-km",
        type=float,
        default=5.0,
        help=zh_en(
            "建成对照：推算建成范围时各电站的缓冲半径，km（默认 5）",
            "built: buffer of each plant for the built footprints, km (default 5)",
        ),
    )


def run_built(args: argparse.Namespace, plan: dict[str, Any]) -> AnalysisResult:
    """Run the implementation view on the plan (or scenario) layers in `plan`.

    Raises
    ------
    ParameterError
        ``--plants`` is not given.
    """
    from longtu.analysis.built import BUILT_LAYERS, built_view, read_plant_register
    from longtu.layout import load_layer

    if not getattr(args, "plants", None):
        raise ParameterError(
            "`longtu analyze built` needs `--plants FILE`: a register of real plants (CSV with "
            "lon/lat, or GeoPackage/GeoJSON) with name, technology, capacity and location.",
            zh="longtu analyze built 需要 --plants FILE：真实电厂登记表（带 lon/lat 的 CSV，"
            "或 GeoPackage/GeoJSON），含名称、技术、装机容量和位置。",
        )
    plants = read_plant_register(args.plants)
    layers = {name: plan[name] if name in plan else load_layer(name) for name in BUILT_LAYERS}
    radius_km = getattr(args, "footprint_radius_km", 5.0)
    return built_view(
        layers, plants, footprint_radius_km=radius_km, register_name=Path(args.plants).name
    )
