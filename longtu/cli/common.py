"""What several commands share: reading user rasters, guarding and writing outputs, tables."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from longtu.cli.help_text import display_width, zh_en, zh_en_paragraphs
from longtu.cli.interrupt import stop_if_interrupted
from longtu.errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd

    from longtu.analysis.io.rasters import UserRaster
    from longtu.analysis.result import AnalysisResult
    from longtu.layout.scenarios import Scenario, Workspace


def parse_raster_option(spec: str, option: str = "--raster") -> tuple[str, str, str | None]:
    """``NAME=PATH[::UNIT]`` (``--raster``, ``--stations``) -> ``(name, path, unit)``.

    Examples
    --------
    >>> parse_raster_option("ghi=GHI.tif::kWh/m2/yr")
    ('ghi', 'GHI.tif', 'kWh/m2/yr')
    >>> parse_raster_option("GHI.tif")
    Traceback (most recent call last):
    ...
    longtu.errors.ParameterError: `--raster` 'GHI.tif' must look like NAME=PATH or NAME=PATH::...
    """
    from longtu.analysis.io.rasters import KNOWN_RESOURCES

    name, sep, rest = spec.partition("=")
    if not (sep and name.strip() and rest.strip()):
        raise ParameterError(
            f"`{option}` {spec!r} must look like NAME=PATH or NAME=PATH::UNIT "
            f"(names: {', '.join(KNOWN_RESOURCES)}).",
            zh=f"{option} {spec!r} 应写成 NAME=PATH 或 NAME=PATH::UNIT"
            f"（NAME 可为：{', '.join(KNOWN_RESOURCES)}）。",
        )
    path, _, unit = rest.partition("::")
    return name.strip(), path.strip(), unit.strip() or None


def user_rasters(specs: Sequence[str], stations: Sequence[str] = ()) -> list[UserRaster]:
    """The ``--raster NAME=PATH[::UNIT]`` and ``--stations NAME=CSV[::UNIT]`` options as rasters.

    A station table becomes a modelled surface (inverse-distance interpolation, 10 km cells);
    its leave-one-out error is printed with it, since that is how good the surface is.
    """
    from longtu.analysis.io.rasters import read_user_raster

    rasters = [
        read_user_raster(path, name=name, unit=unit)
        for name, path, unit in map(parse_raster_option, specs)
    ]
    return rasters + [_station_raster(spec) for spec in stations]


def _station_raster(spec: str) -> UserRaster:
    from longtu.analysis.io.rasters import KNOWN_RESOURCES
    from longtu.analysis.io.tables import read_station_table
    from longtu.analysis.resource.stations import leave_one_out, station_surface

    name, path, unit = parse_raster_option(spec, option="--stations")
    if unit is None and name in KNOWN_RESOURCES:
        unit = KNOWN_RESOURCES[name][2]
    if unit is None:
        raise ParameterError(
            f"`--stations {spec}`: give the unit, e.g. {name}={path}::kWh/m2/yr.",
            zh=f"--stations {spec}：请写明单位，例如 {name}={path}::kWh/m2/yr。",
        )
    stations = read_station_table(path, name)
    if len(stations) < 3:
        raise ParameterError(
            f"`--stations {spec}`: {len(stations)} station(s) with a value; at least 3 are "
            "needed to interpolate a surface.",
            zh=f"--stations {spec}：只有 {len(stations)} 个站点有数值；插值成面至少需要 3 个。",
        )
    errors = leave_one_out(stations, name)["error"].abs()
    print(
        f"{name}: 由 {len(stations)} 个站点插值的模型面（非实测）modelled surface from "
        f"{len(stations)} stations (not measured); leave-one-out error mean {errors.mean():.4g}, "
        f"max {errors.max():.4g} {unit}"
    )
    return station_surface(stations, name, name=name, unit=unit)


SIZE_LIMITS = (
    "Size limits: constraint layers and archives up to 200 MiB (also unpacked), at most 200 "
    "archive entries, GeoTIFF masks up to 50,000,000 pixels; tables (CSV) up to 20 MiB; of a "
    "resource raster (--raster) only the window over Gansu is read, at most 25,000,000 cells "
    "(a finer one is read averaged down, and the output says so). Clip larger inputs to "
    "Gansu first."
)
SIZE_LIMITS_ZH = (
    "大小限制：约束图层与压缩包不超过 200 MiB（解压后亦然），压缩包最多 200 个文件，GeoTIFF "
    "掩膜不超过 50,000,000 像元；表格（CSV）不超过 20 MiB；资源栅格（--raster）只读甘肃范围"
    "内的窗口，最多 25,000,000 个像元（更细的按平均降采样读取，输出中注明）。更大的输入请先"
    "裁剪到甘肃。"
)
LARGE_LAYERS = (
    " Except in `longtu constraints check`: there constraint layers as plain files (.gpkg .fgb "
    ".shp .parquet) have no size limit, and one of over 2,000,000 features is read and "
    "overlaid by spatial partitions, two at a time (--scheduler: on a Dask cluster)."
)
LARGE_LAYERS_ZH = (
    "longtu constraints check 例外：其中普通文件（.gpkg .fgb .shp .parquet）形式的约束图层"
    "不限大小，超过 2,000,000 个要素的图层按空间分区读取并叠加，每次两个分区（--scheduler："
    "在 Dask 集群上）。"
)
"""What the commands that read files say in ``--help`` about the inputs they take."""
RASTER_HELP = zh_en(
    "资源栅格 NAME=PATH[::UNIT]，如 ghi=GHI.tif（可重复）", "a resource raster (repeatable)"
)
STATIONS_HELP = zh_en(
    "站点实测表 NAME=STATIONS.csv[::UNIT]（lon、lat、NAME 列），插值为模型面",
    "station measurements (lon, lat, NAME) interpolated",
)
INDUSTRY_HELP = zh_en("产业，如 光伏、pv、煤化工、coal_chemical", "industry, e.g. pv")
OUT_FOLDER_HELP = zh_en("输出文件夹", "output folder")
"""Help of the options several commands take (``--raster``, ``--industry``, ...)."""


def size_limits_help(*, large_layers: bool = False) -> str:
    """The epilog of a command that reads files: its size limits, in Chinese then in English.

    `large_layers` adds what ``longtu constraints check`` reads without a limit.
    """
    if large_layers:
        return zh_en_paragraphs(SIZE_LIMITS_ZH + LARGE_LAYERS_ZH, SIZE_LIMITS + LARGE_LAYERS)
    return zh_en_paragraphs(SIZE_LIMITS_ZH, SIZE_LIMITS)


class ProgressBar:
    """A progress bar on stderr with the time left, estimated from the pace so far.

    ``bar(done, total)`` redraws it (on one line in a terminal, else one line per tenth);
    ``bar.close()`` ends the line.

    Examples
    --------
    >>> import io
    >>> stream = io.StringIO()
    >>> bar = ProgressBar("partitions", stream=stream, clock=iter([0.0, 10.0, 20.0]).__next__)
    >>> bar(1, 4); bar(2, 4)
    >>> stream.getvalue().splitlines()[-1]
    'partitions [##########----------] 2/4  20 s, about 20 s left'
    """

    WIDTH = 20

    def __init__(self, label: str, *, stream=None, clock=None) -> None:
        import time

        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.clock = time.monotonic if clock is None else clock
        self.start = self.clock()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        """Show `done` of `total`; stop here if Ctrl-C was pressed (and swallowed) before."""
        stop_if_interrupted()
        elapsed = self.clock() - self.start
        filled = self.WIDTH * done // max(total, 1)
        left = elapsed / done * (total - done) if done else float("nan")
        estimate = "done" if done >= total else f"about {left:.0f} s left" if done else "starting"
        line = (
            f"{self.label} [{'#' * filled}{'-' * (self.WIDTH - filled)}] {done}/{total}  "
            f"{elapsed:.0f} s, {estimate}"
        )
        tenth = 10 * done // max(total, 1)
        if self.tty:
            print("\r" + line, end="", file=self.stream, flush=True)
        elif tenth != self.shown:
            print(line, file=self.stream, flush=True)
        self.shown = tenth

    def close(self) -> None:
        """End the bar's line (in a terminal)."""
        if self.tty:
            print(file=self.stream, flush=True)


def add_layer_format(parser: argparse.ArgumentParser) -> None:
    """The ``--layer-format`` option of a command that writes an analysis result."""
    parser.add_argument(
        "--layer-format",
        choices=("gpkg", "parquet"),
        default="gpkg",
        help=zh_en(
            "含几何的表存为一个 GeoPackage（默认）或各存一个 GeoParquet",
            "tables with geometry as one GeoPackage (default) or one GeoParquet file each",
        ),
    )


def add_overwrite(parser: argparse.ArgumentParser) -> None:
    """The ``--overwrite`` option of a command that writes files."""
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help=zh_en("替换已有的输出文件", "replace output files that exist already"),
    )


def input_files(args: argparse.Namespace) -> list[str]:
    """The files named by the options of `args` that read files (to never write over them)."""
    names = ("capacities", "caps", "coefficients", "plants", "osm")
    files = [getattr(args, name, None) for name in names]
    files += [getattr(args, "criteria", None)]
    specs = [*getattr(args, "raster", []), *getattr(args, "stations", [])]
    files += [spec.partition("=")[2].partition("::")[0] for spec in specs]
    return [str(f) for f in files if f]


def check_outputs(
    outputs: Iterable[str | Path], *, inputs: Iterable[str | Path] = (), overwrite: bool
) -> None:
    """Refuse to write over an input, over a folder, under a file, or over a file unasked.

    Examples
    --------
    >>> check_outputs(["r.gpkg"], inputs=["./r.gpkg"], overwrite=True)
    Traceback (most recent call last):
    ...
    longtu.errors.ParameterError: `--out` r.gpkg is also an input file; write the output ...
    """
    sources = {Path(_file_part(str(p))).resolve() for p in inputs}
    for raw in outputs:
        path = Path(raw)
        if path.resolve() in sources:
            raise ParameterError(
                f"`--out` {path} is also an input file; write the output to another file "
                "(the input is left as it is).",
                zh=f"--out {path} 也是输入文件；请把输出写到另一个文件（输入文件保持不变）。",
            )
        _check_parent(path)
        if path.is_dir():
            raise ParameterError(
                f"`--out` {path} is a folder; give a file name inside it.",
                zh=f"--out {path} 是一个文件夹；请给出其中的文件名。",
            )
        if path.exists() and not overwrite:
            raise ParameterError(
                f"`--out`: {path} exists already; add `--overwrite` to replace it, or choose "
                "another name.",
                zh=f"--out：{path} 已存在；加 --overwrite 以替换它，或换一个文件名。",
            )


def check_out_folder(folder: str | Path, *, overwrite: bool) -> None:
    """Refuse an output folder that is a file, or a folder with files in it unless `overwrite`."""
    path = Path(folder)
    _check_parent(path)
    if path.exists() and not path.is_dir():
        raise ParameterError(
            f"`--out` {path} is a file, not a folder; give a folder name.",
            zh=f"--out {path} 是文件而不是文件夹；请给出文件夹名。",
        )
    if path.is_dir() and any(path.iterdir()) and not overwrite:
        raise ParameterError(
            f"`--out` folder {path} has files in it already; add `--overwrite` to replace "
            "them, or choose an empty or new folder.",
            zh=f"--out 文件夹 {path} 中已有文件；加 --overwrite 以替换，或选一个空的或新的文件夹。",
        )


def _check_parent(path: Path) -> None:
    for parent in path.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise ParameterError(
                    f"`--out` {path}: {parent} is a file, not a folder; choose another path.",
                    zh=f"--out {path}：{parent} 是文件而不是文件夹；请换一个路径。",
                )
            return


def _file_part(raw: str) -> str:
    """``FILE.gpkg:LAYER`` -> ``FILE.gpkg`` (a GeoPackage layer names its file)."""
    head, sep, tail = raw.rpartition(":")
    return head if sep and head.lower().endswith(".gpkg") and tail else raw


def print_skipped(problems: pd.DataFrame) -> None:
    """Each file that could not be read: one line in English, then its Chinese when it has one."""
    for problem in problems.itertuples(index=False):
        print(f"longtu: skipped {problem.file}: {problem.problem}", file=sys.stderr)
        if getattr(problem, "problem_zh", ""):
            print(f"longtu: 已跳过 {problem.file}：{problem.problem_zh}", file=sys.stderr)


def print_notes(notes: pd.DataFrame | None) -> None:
    """Print what the readers repaired, dropped or warn about (one line each, to stderr)."""
    from longtu.analysis.io.repairs import NOTE_KINDS

    if notes is None:
        return
    for row in notes.itertuples(index=False):  # the note, then its Chinese (if it has one)
        print(f"longtu: {row.kind}: {row.layer}: {row.note}", file=sys.stderr)
        zh = getattr(row, "note_zh", row.note)
        if zh != row.note:
            kind = NOTE_KINDS.get(row.kind, (row.kind, row.kind))[0]
            print(f"longtu: {kind}：{zh}", file=sys.stderr)


def report(
    result: AnalysisResult,
    out: Path,
    *,
    overwrite: bool = False,
    inputs: Iterable[str | Path] = (),
    layer_format: str = "gpkg",
) -> int:
    """Write an analysis result to folder `out` and print its summaries; never over `inputs`."""
    from longtu.analysis.io.results import result_paths, write_result

    check_out_folder(out, overwrite=overwrite)
    paths = result_paths(result, out, layer_format=layer_format)
    check_outputs(paths, inputs=inputs, overwrite=True)
    paths = write_result(result, out, layer_format=layer_format)
    print(result.summary_zh)
    print(result.summary_en)
    print(f"已写出 {len(paths)} 个文件到 {out}")
    print(f"Wrote {len(paths)} files to {out}")
    return 0


def table_text(frame: pd.DataFrame) -> str:
    """A plain-text table aligned for Chinese (full-width) characters; numbers right-aligned."""
    import pandas as pd

    cells = [list(map(str, frame.columns))] + [[str(v) for v in row] for row in frame.to_numpy()]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(frame.columns))]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = []
    for row in cells:
        parts = []
        for cell, width, is_number in zip(row, widths, numeric, strict=True):
            pad = " " * (width - display_width(cell))
            parts.append(pad + cell if is_number else cell + pad)
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def add_scenario_options(parser: argparse.ArgumentParser) -> None:
    """``--scenario NAME`` and ``--workspace FILE``: run on a scenario instead of the plan."""
    parser.add_argument(
        "--scenario",
        metavar="NAME",
        help=zh_en(
            "用工作区中的此情景（见 longtu scenario list）代替规划",
            "run on this scenario of the workspace instead of the plan",
        ),
    )
    parser.add_argument(
        "--workspace",
        metavar="FILE",
        help=zh_en(
            "工作区 GeoPackage（默认 $LONGTU_WORKSPACE，否则用户数据文件夹中的 workspace.gpkg，"
            "如 ~/.local/share/longtu）",
            "workspace GeoPackage (default: $LONGTU_WORKSPACE, else workspace.gpkg in the "
            "user's data folder, such as ~/.local/share/longtu)",
        ),
    )


def open_workspace(path: str | None, *, create: bool = False) -> Workspace:
    """The workspace at `path` (default: the user's); a note on stderr if it lies in the cache.

    A workspace Longtu used to keep in its cache (``~/.cache/longtu/<version>``) is still used
    where it is; the note says to move it before a clean-up deletes it.
    """
    from longtu.layout.scenarios import Workspace, default_workspace, left_in_cache, workspace_path

    resolved = workspace_path(path)
    if not path and left_in_cache(resolved):
        home = default_workspace().parent
        print(
            f"longtu: the workspace {resolved} is in a cache folder (where Longtu used to keep "
            f"it); move it (with any plan folders beside it) to {home} before a clean-up "
            "deletes it.",
            file=sys.stderr,
        )
        print(
            f"longtu: 工作区 {resolved} 在缓存文件夹中（陇图以前放工作区的地方）；"
            f"请在清理缓存之前把它（连同旁边的规划文件夹）移到 {home}。",
            file=sys.stderr,
        )
    return Workspace(resolved, create=create)


def scenario_of(args: argparse.Namespace) -> Scenario | None:
    """The scenario named by ``--scenario`` (loaded from ``--workspace``), or None."""
    name = getattr(args, "scenario", None)
    if not name:
        return None
    from longtu.layout.scenarios import edits_in_effect

    with open_workspace(getattr(args, "workspace", None)) as workspace:
        scenario = workspace.load(name)
    n = len(edits_in_effect(scenario.edits))  # undone and rejected edits change nothing
    print(f"情景 scenario: {name}（{n} 项修改 edits in effect）", file=sys.stderr)
    return scenario


def plan_of(args: argparse.Namespace) -> dict[str, Any]:
    """The plan layers a command runs on: the scenario's (``--scenario``) or the plan's."""
    scenario = scenario_of(args)
    if scenario is not None:
        return dict(scenario.layers)
    from longtu.layout import plan_layers

    return dict(plan_layers())
