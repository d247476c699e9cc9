"""``longtu``: the command line of 陇图 Longtu.

Commands
--------
longtu build [--force]
    Build the base geography layers from the installed data packages (no network).
longtu layers
    List every layer with its feature count.
longtu layers export NAME --out FILE
    Write a layer as GeoPackage, GeoJSON or CSV (GeoTIFF for terrain and land_cover).
longtu validate
    Validate the authored plan tables and print every problem.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd


def _cmd_build(args: argparse.Namespace) -> int:
    from gis_data import settings
    from gis_data.build import base_layers_are_built, build_base_layers

    if base_layers_are_built() and not args.force:
        print(f"Base layers are already built in {settings.data_folder} (use --force to rebuild).")
        return 0
    print(f"Building base layers into {settings.data_folder} …")
    build_base_layers(log=lambda line: print("  " + line))
    return 0


def _feature_count(name: str) -> int:
    from layout import load_layer

    return len(load_layer(name))


def _cmd_layers(args: argparse.Namespace) -> int:
    from layout import LAYERS

    if args.layers_command == "export":
        from layout.export import export_layer

        path = export_layer(args.name, Path(args.out))
        print(f"Wrote {args.name} to {path}")
        return 0
    rows = [
        {
            "layer": spec.name,
            "group": spec.group,
            "title": f"{spec.title_zh} {spec.title_en}",
            "geometry": spec.geometry,
            "features": _feature_count(spec.name),
        }
        for spec in LAYERS.values()
    ]
    print(pd.DataFrame(rows).to_string(index=False))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from layout import ValidationError, build_plan_layers

    try:
        layers = build_plan_layers()
    except ValidationError as exc:
        print(exc.problems.to_string(index=False))
        print(f"\n{len(exc.problems)} problem(s) in the plan tables.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in layers.items())
    print(f"Plan tables are valid: {counts}.")
    return 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``longtu`` (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="longtu", description="陇图 Longtu — Gansu industrial-layout planning"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the base geography layers (offline)")
    build.add_argument("--force", action="store_true", help="rebuild even if built")
    build.set_defaults(func=_cmd_build)
    layers = sub.add_parser("layers", help="list layers with feature counts; export one")
    layers_sub = layers.add_subparsers(dest="layers_command")
    export = layers_sub.add_parser("export", help="write a layer to GeoPackage, GeoJSON or CSV")
    export.add_argument("name", help="layer name, see `longtu layers`")
    export.add_argument("--out", required=True, help="output file: .gpkg, .geojson, .csv or .tif")
    layers.set_defaults(func=_cmd_layers)
    validate = sub.add_parser("validate", help="validate the authored plan tables")
    validate.set_defaults(func=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (ValueError, KeyError, FileNotFoundError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"longtu: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
