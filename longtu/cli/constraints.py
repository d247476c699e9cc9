"""``longtu constraints check``: the conflict report of the plan against constraint layers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, overload

from longtu.cli.common import (
    ProgressBar,
    add_overwrite,
    add_scenario_options,
    check_outputs,
    print_notes,
    print_skipped,
    scenario_of,
    size_limits_help,
)
from longtu.cli.help_text import add_command, zh_en
from longtu.errors import ParameterError

if TYPE_CHECKING:
    from longtu.analysis.constraints import ConstraintLayer

LARGE_LAYER_FEATURES = 2_000_000
"""A constraint file with more features is overlaid by spatial partitions, never read whole
(``longtu.analysis.constraints.large.LARGE_LAYER_FEATURES``, repeated so ``--help`` stays fast)."""
CLI_MAX_BYTES = 1024**4
"""Largest plain file read whole on the command line (a machine of one's own; archives keep
their own limit when unpacked)."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``constraints check`` to the ``longtu`` sub-commands."""
    constraints = add_command(
        sub, "constraints", "约束审查（冲突报告）", "constraint review (conflict report)"
    )
    cons_sub = constraints.add_subparsers(dest="constraints_command", required=True)
    cons = add_command(
        cons_sub,
        "check",
        "检查规划要素与约束图层的冲突",
        "check plan features against constraint layers",
        epilog=size_limits_help(large_layers=True),
    )
    cons.add_argument(
        "layers",
        nargs="*",
        metavar="LAYER",
        help=zh_en(
            "约束图层文件 .gpkg[:LAYER] .geojson .zip .kml .fgb .tif", "constraint layer files"
        ),
    )
    cons.add_argument(
        "--out",
        required=True,
        help=zh_en(
            "报告 GeoPackage（或 .parquet）；CSV 写在旁边",
            "report .gpkg (or .parquet: GeoParquet files); CSVs beside it",
        ),
    )
    cons.add_argument(
        "--features",
        help=zh_en(
            "要检查的要素，任一图层格式或 .parquet（默认：规划）",
            "features to check, any layer format or .parquet (default: the plan)",
        ),
    )
    _layer_options(cons)
    add_overwrite(cons)
    add_scenario_options(cons)
    cons.set_defaults(func=run_check)


def _layer_options(cons: argparse.ArgumentParser) -> None:
    """``--buffer-km``, ``--category``, ``--builtin`` and ``--scheduler`` of ``check``."""
    cons.add_argument(
        "--buffer-km",
        nargs="+",
        action="extend",
        default=[],
        metavar="LABEL=KM",
        help=zh_en(
            "按图层（文件名去后缀）设缓冲距离，km，如 redline=2",
            "buffer of a layer (its file name), km",
        ),
    )
    cons.add_argument(
        "--category",
        nargs="+",
        action="extend",
        default=[],
        metavar="LABEL=CAT",
        help=zh_en(
            "图层的约束类别，如 redline=ecological_red_line", "category of a layer (its file name)"
        ),
    )
    add_builtin_option(cons)
    cons.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=zh_en(
            "Dask 调度器（tcp://host:8786）：在该集群上按分区叠加",
            "Dask scheduler (tcp://host:8786): overlay the layers by partitions on that cluster",
        ),
    )


def run_check(args: argparse.Namespace) -> int:
    """``longtu constraints check LAYER... --out report.gpkg``.

    Returns 1 when a file was skipped or a layer does not overlap Gansu (warned), else 0.
    """
    from longtu.analysis.constraints import check_constraint_files, write_conflict_report
    from longtu.analysis.constraints.report import report_paths

    check_outputs(
        report_paths(args.out),
        inputs=[*args.layers, *([args.features] if args.features else [])],
        overwrite=args.overwrite,
    )
    scenario = scenario_of(args)
    bar = ProgressBar("分区 partitions")
    try:
        result, problems = check_constraint_files(
            args.layers,
            plan=None if scenario is None else scenario.layers,
            features=args.features,
            buffers_km=parse_label_pairs(args.buffer_km, option="--buffer-km", number=True),
            categories=parse_label_pairs(args.category, option="--category", number=False),
            builtins=[parse_builtin(spec) for spec in args.builtin],
            large_features=LARGE_LAYER_FEATURES,
            scheduler=args.scheduler,
            progress=bar,
            max_bytes=CLI_MAX_BYTES,
        )
    finally:
        bar.close()
    print_skipped(problems)
    if result is None:
        print("longtu: error: no constraint layer could be read", file=sys.stderr)
        print("longtu: 错误：没有一个约束图层可以读取。", file=sys.stderr)
        return 2
    print_notes(result.tables.get("layer_notes"))
    write_conflict_report(result, args.out, problems=problems)
    print(result.summary_zh)
    print(result.summary_en)
    print(f"已写出冲突报告 {args.out}（及同名 CSV）")
    print(f"Wrote the conflict report to {args.out} (and the CSV beside it)")
    return 1 if len(problems) or result.numbers.get("n_layer_warnings") else 0


@overload
def parse_label_pairs(
    items: Sequence[str], *, option: str, number: Literal[True]
) -> dict[str, float]: ...
@overload
def parse_label_pairs(
    items: Sequence[str], *, option: str, number: Literal[False]
) -> dict[str, str]: ...
def parse_label_pairs(
    items: Sequence[str], *, option: str, number: bool
) -> Mapping[str, float | str]:
    """``["red=2", "reserve=1.5"]`` -> ``{"red": 2.0, "reserve": 1.5}`` (``--buffer-km``, …).

    Examples
    --------
    >>> parse_label_pairs(["red=2"], option="--buffer-km", number=True)
    {'red': 2.0}
    >>> parse_label_pairs(["red"], option="--buffer-km", number=True)
    Traceback (most recent call last):
    ...
    longtu.errors.ParameterError: `--buffer-km red`: expected LABEL=KM, e.g. red_line=2.
    """
    pairs: dict[str, float | str] = {}
    for item in items:
        label, sep, value = item.partition("=")
        try:
            if not (sep and label and value):
                raise ValueError
            pairs[label] = float(value) if number else value
        except ValueError:
            kind = "KM" if number else "CATEGORY"
            raise ParameterError(
                f"`{option} {item}`: expected LABEL={kind}, e.g. red_line=2.",
                zh=f"{option} {item}：应写成 LABEL={kind}，例如 red_line=2。",
            ) from None
    return pairs


def add_builtin_option(parser: argparse.ArgumentParser) -> None:
    """``--builtin SPEC ...``: layers built from the bundled data (:func:`parse_builtin`)."""
    parser.add_argument(
        "--builtin",
        nargs="+",
        action="extend",
        default=[],
        metavar="SPEC",
        help=zh_en(
            "内置约束 rivers:2 | tibetan_plateau | terrain:3000m[,25deg] | "
            "land_cover:water,wetland",
            "built-in constraints",
        ),
    )


def parse_builtin(spec: str) -> ConstraintLayer:
    """A built-in constraint layer from a ``--builtin`` spec.

    ``rivers:KM`` (river buffer half-width), ``tibetan_plateau``, ``terrain:3000m``,
    ``terrain:25deg`` (or ``terrain:3000m,25deg``), ``land_cover:water,wetland`` (groups of
    :data:`longtu.analysis.constraints.LAND_COVER_GROUPS` or IGBP codes).

    Examples
    --------
    >>> parse_builtin("tibetan_plateau").category
    'plateau'
    """
    from longtu.analysis.constraints import builtin_constraints

    kind, _, value = spec.partition(":")
    items = [v.strip() for v in value.split(",") if v.strip()]
    try:
        if kind == "rivers":
            return builtin_constraints("rivers", width_km=float(value))
        if kind == "terrain":
            metres = [float(v[:-1]) for v in items if v.endswith("m")]
            degrees = [float(v[:-3]) for v in items if v.endswith("deg")]
            return builtin_constraints(
                "terrain",
                min_elevation_m=metres[0] if metres else None,
                min_slope_deg=degrees[0] if degrees else None,
            )
        if kind == "land_cover":
            return builtin_constraints("land_cover", classes=items)
        if kind == "tibetan_plateau":
            return builtin_constraints("tibetan_plateau")
        raise ValueError(
            f"`kind` {kind!r} is unknown; use rivers, tibetan_plateau, terrain or land_cover."
        )
    except ValueError as error:
        raise ParameterError(
            f"`--builtin {spec}`: {error} Forms: rivers:2, tibetan_plateau, terrain:3000m, "
            "terrain:25deg, land_cover:water,wetland.",
            zh=f"--builtin {spec}：{getattr(error, 'message_zh', None) or '无法使用。'}"
            "可用的写法：rivers:2、tibetan_plateau、terrain:3000m、terrain:25deg、"
            "land_cover:water,wetland。",
        ) from None
