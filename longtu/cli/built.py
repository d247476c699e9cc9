"""Options and run of ``longtu analyze built`` (the plan's energy bases against real plants)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from longtu.analysis.result import AnalysisResult


def built_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of the implementation view to ``longtu analyze``."""
    parser.add_argument(
        "--plants", help="built: a register of real plants (CSV, GeoPackage...) to set against"
    )


def run_built(args: argparse.Namespace, plan: dict[str, Any]) -> AnalysisResult:
    """Run the implementation view on the plan (or scenario) layers in `plan`."""
    raise NotImplementedError("longtu analyze built: not built yet")
