"""Options and run of ``longtu analyze access`` (transport access of parks and sites)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from longtu.cli.help_text import zh_en
from longtu.errors import ParameterError

if TYPE_CHECKING:
    from longtu.analysis.access import AccessNetwork
    from longtu.analysis.result import AnalysisResult


def access_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of the access analysis to ``longtu analyze``."""
    parser.add_argument(
        "--osm",
        metavar="FILE",
        help=zh_en(
            "可达性：甘肃的 OpenStreetMap 路网数据（.osm.pbf），读一次后缓存",
            "access: an OpenStreetMap extract of Gansu (.osm.pbf); read once, then cached",
        ),
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help=zh_en(
            "可达性：用 OSMnx 从 Overpass 取甘肃路网（需联网；默认不用）",
            "access: fetch Gansu's roads from Overpass with OSMnx (network use; off by default)",
        ),
    )
    parser.add_argument(
        "--isochrone",
        metavar="LON,LAT",
        help=zh_en(
            "可达性：另算自此点 30/60/120 分钟可达范围（需路网）",
            "access: also the areas reached in 30/60/120 min from this point (needs a network)",
        ),
    )


def run_access(args: argparse.Namespace, plan: dict[str, Any]) -> AnalysisResult:
    """Run the access analysis on the plan (or scenario) layers in `plan`.

    Without ``--osm`` or ``--online`` the distances are straight-line estimates to the
    airports and seats that ship with Longtu.

    Raises
    ------
    ParameterError
        ``--osm`` and ``--online`` together, or a ``--isochrone`` that is not ``LON,LAT``.
    InputFileError
        An extract that is not OSM, is damaged or does not cover Gansu.
    """
    from longtu.analysis.access import access
    from longtu.layout.load import symbol_points

    layers = {name: plan[name] for name in ("parks", "energy_sites")}
    layers["prefecture_seats"] = symbol_points("prefecture")
    layers["county_seats"] = symbol_points("county")
    point = _isochrone_point(getattr(args, "isochrone", None))
    network = _network(getattr(args, "osm", None), online=bool(getattr(args, "online", False)))
    if point is not None and network is None:
        raise ParameterError(
            "`--isochrone` needs a road network: add `--osm FILE.osm.pbf` (or `--online`).",
            zh="--isochrone 需要路网：请加上 --osm FILE.osm.pbf（或 --online）。",
        )
    return access(layers, network, isochrone_at=point)


def _network(osm: str | None, *, online: bool) -> AccessNetwork | None:
    if osm and online:
        raise ParameterError(
            "give `--osm FILE` or `--online`, not both.",
            zh="--osm FILE 与 --online 只能给一个。",
        )
    if osm:
        from longtu.analysis.access import load_network

        return load_network(osm)
    if online:
        from longtu.analysis.access.online import network_from_overpass
        from longtu.layout import load_layer

        return network_from_overpass(load_layer("province").geometry.iloc[0])
    return None


def _isochrone_point(text: str | None) -> tuple[float, float] | None:
    """``"103.8,36.1"`` -> (103.8, 36.1); None when not given."""
    if not text:
        return None
    try:
        lon, lat = (float(part) for part in text.split(","))
    except ValueError:
        raise ParameterError(
            f"`--isochrone` {text!r}: give longitude and latitude in degrees, e.g. 103.8,36.1.",
            zh=f"--isochrone {text!r}：请以度为单位给出经度和纬度，例如 103.8,36.1。",
        ) from None
    return lon, lat
