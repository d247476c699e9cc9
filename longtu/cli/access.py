"""Options and run of ``longtu analyze access`` (transport access of parks and sites)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from longtu.analysis.result import AnalysisResult


def access_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of the access analysis to ``longtu analyze``."""
    parser.add_argument("--osm", help="access: an OpenStreetMap extract (.osm.pbf) of Gansu")
    parser.add_argument(
        "--online", action="store_true", help="access: fetch the network from Overpass (OSMnx)"
    )


def run_access(args: argparse.Namespace, plan: dict[str, Any]) -> AnalysisResult:
    """Run the access analysis on the plan (or scenario) layers in `plan`."""
    raise NotImplementedError("longtu analyze access: not built yet")
