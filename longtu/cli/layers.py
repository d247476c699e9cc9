"""``longtu build``, ``longtu layers [export]`` and ``longtu validate``: the data commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from longtu.cli.common import (
    add_overwrite,
    add_scenario_options,
    check_outputs,
    scenario_of,
    table_text,
)
from longtu.cli.help_text import add_command, zh_en

if TYPE_CHECKING:
    import pandas as pd


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``build``, ``layers`` and ``validate`` to the ``longtu`` sub-commands."""
    build = add_command(
        sub, "build", "构建基础地理图层（离线）", "build the base geography layers (offline)"
    )
    build.add_argument(
        "--force", action="store_true", help=zh_en("重新构建", "rebuild even if built")
    )
    build.set_defaults(func=run_build)
    layers = add_command(
        sub, "layers", "列出图层及要素数；导出图层", "list layers with feature counts; export one"
    )
    layers_sub = layers.add_subparsers(dest="layers_command")
    export = add_command(
        layers_sub,
        "export",
        "导出一个图层（GeoPackage、GeoParquet、GeoJSON 或 CSV）",
        "write a layer to GeoPackage, GeoParquet, GeoJSON or CSV",
    )
    export.add_argument(
        "name", help=zh_en("图层名，见 longtu layers", "layer name, see `longtu layers`")
    )
    export.add_argument(
        "--out",
        required=True,
        help=zh_en(
            "输出文件：.gpkg .parquet .geojson .csv 或 .tif",
            "output file: .gpkg, .parquet, .geojson, .csv or .tif",
        ),
    )
    export.add_argument(
        "--format",
        choices=["gpkg", "parquet", "geojson", "csv", "tif"],
        help=zh_en(
            "输出格式（默认按 --out 的后缀）", "output format (default: from the --out suffix)"
        ),
    )
    add_overwrite(export)
    add_scenario_options(export)
    layers.set_defaults(func=run_layers)
    validate = add_command(sub, "validate", "校验规划表", "validate the authored plan tables")
    validate.set_defaults(func=run_validate)


def run_build(args: argparse.Namespace) -> int:
    """``longtu build [--force]``."""
    from longtu import settings
    from longtu.gis_data.build import base_layers_are_built, build_base_layers

    if base_layers_are_built() and not args.force:
        print(f"Base layers are already built in {settings.data_folder} (use --force to rebuild).")
        return 0
    print(f"Building base layers into {settings.data_folder} …")
    build_base_layers(log=lambda line: print("  " + line))
    return 0


def run_layers(args: argparse.Namespace) -> int:
    """``longtu layers`` (the list) and ``longtu layers export NAME --out FILE``."""
    if args.layers_command == "export":
        check_outputs([args.out], overwrite=args.overwrite)
        scenario = scenario_of(args)
        frame = scenario.layers.get(args.name) if scenario is not None else None
        path = export(args.name, Path(args.out), fmt=args.format, frame=frame)
        of = ("", "")
        if frame is not None and scenario is not None:
            of = (f"（情景 {scenario.name}）", f" of scenario `{scenario.name}`")
        print(f"已写出图层 {args.name}{of[0]} 到 {path}")
        print(f"Wrote {args.name}{of[1]} to {path}")
        return 0
    import pandas as pd

    from longtu.layout import LAYERS, load_layer

    groups = {"base": "基础 base", "plan": "规划 plan"}
    geometries = {"Polygon": "面 polygon", "LineString": "线 line", "Point": "点 point",
                  "mixed": "混合 mixed", "none": "无 none"}  # fmt: skip
    rows = [
        {
            "图层 layer": spec.name,  # the name `longtu layers export NAME` takes
            "类别 group": groups.get(spec.group, spec.group),
            "名称 title": f"{spec.title_zh} {spec.title_en}",
            "几何 geometry": geometries.get(spec.geometry, spec.geometry),
            "要素数 features": len(load_layer(spec.name)),
        }
        for spec in LAYERS.values()
    ]
    print(table_text(pd.DataFrame(rows)))
    return 0


def export(
    name: str, out: Path, *, fmt: str | None = None, frame: pd.DataFrame | None = None
) -> Path:
    """Layer `name` written to `out`, under a temporary name first (nothing partial is left).

    GeoParquet (with a bounding-box column) is written here; the other formats by
    :func:`longtu.layout.export.export_layer`. `frame`: the rows to write (a scenario's plan
    layer); default: the layer as bundled.
    """
    from longtu.analysis.io.results import replacing, write_parquet
    from longtu.layout import load_layer
    from longtu.layout.export import export_layer, format_from_path

    if (fmt or out.suffix.lower().lstrip(".")) == "parquet":
        return write_parquet(load_layer(name) if frame is None else frame, out)
    chosen = fmt or format_from_path(out)  # an unknown suffix is refused by its own name
    with replacing([out]) as (temporary,):
        export_layer(name, temporary, fmt=chosen, frame=frame)  # type: ignore[arg-type]
    return out


def run_validate(args: argparse.Namespace) -> int:
    """``longtu validate``: every problem of the plan tables, or a one-line all clear."""
    from longtu.layout import ValidationError, build_plan_layers

    try:
        layers = build_plan_layers()
    except ValidationError as exc:
        print(exc.problems.to_string(index=False))
        print(f"\n{len(exc.problems)} problem(s) in the plan tables.", file=sys.stderr)
        return 1
    from longtu.layout.catalog import LAYERS

    titles = {name: (spec.title_zh, spec.title_en) for name, spec in LAYERS.items()}
    counts = [(titles.get(name, (name, name)), len(frame)) for name, frame in layers.items()]
    print("规划表校验通过：" + "、".join(f"{zh} {n}" for (zh, _), n in counts) + "。")
    print("Plan tables are valid: " + ", ".join(f"{en} {n}" for (_, en), n in counts) + ".")
    return 0
