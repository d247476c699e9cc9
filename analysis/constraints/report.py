"""The constraint check from files, and its report on disk.

:func:`check_constraint_files` reads constraint files safely
(:func:`longtu.analysis.io.constraint_files.read_constraint_layers`), adds built-in layers
(:func:`~longtu.analysis.constraints.builtin_layers.builtin_constraints`) and checks the features
of a file, or every placed plan feature, with
:func:`~longtu.analysis.constraints.check.check_constraints`; it writes nothing.
:func:`write_conflict_report` writes the result as a GeoPackage (pyogrio) and CSV files beside it,
as ``longtu constraints check`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from longtu import settings
from longtu.analysis.constraints.check import (
    ConstraintInputError,
    ConstraintLayer,
    check_constraints,
)
from longtu.analysis.io.results import replacing
from longtu.analysis.result import AnalysisResult
from longtu.errors import ParameterError

REPORT_LAYERS = ("conflicts", "features", "overlaps")
"""Tables of a check written as GeoPackage layers (each only when it has rows)."""
REPORT_CSVS = ("unplaced", "problems", "layer_notes")
"""Tables written as ``<out>_<name>.csv`` beside the GeoPackage (each only when it has rows)."""


def report_paths(out: str | Path) -> list[Path]:
    """Every file :func:`write_conflict_report` may write for `out` (to check before writing).

    Examples
    --------
    >>> [p.name for p in report_paths("r.gpkg")]
    ['r.gpkg', 'r.csv', 'r_unplaced.csv', 'r_problems.csv', 'r_layer_notes.csv']
    >>> [p.name for p in report_paths("r.parquet")][:3]
    ['r.parquet', 'r_features.parquet', 'r_overlaps.parquet']

    A name that is neither is refused here, before any work (:class:`ParameterError`).
    """
    out = _report_name(out)
    siblings = [out.with_name(f"{out.stem}_{name}.csv") for name in REPORT_CSVS]
    if out.suffix.lower() == ".parquet":
        layers = [out.with_name(f"{out.stem}_{name}.parquet") for name in REPORT_LAYERS[1:]]
        return [out, *layers, out.with_suffix(".csv"), *siblings]
    return [out, out.with_suffix(".csv"), *siblings]


def check_constraint_files(
    paths: Sequence[str | Path],
    *,
    features: str | Path | None = None,
    buffers_km: Mapping[str, float] | None = None,
    categories: Mapping[str, str] | None = None,
    builtins: Sequence[ConstraintLayer] = (),
    plan: Mapping[str, object] | None = None,
    large_features: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_bytes: int | None = None,
) -> tuple[AnalysisResult | None, pd.DataFrame]:
    """Read constraint files and check the features against them and the built-in layers.

    Parameters
    ----------
    paths
        Constraint files (``FILE.gpkg:LAYER`` picks a GeoPackage layer); a file that cannot be
        read is listed in `problems`, never fatal.
    features, plan
        File of the features to check (``FILE.gpkg:LAYER`` picks a layer); without one, every
        placed feature of the layers `plan` (default ``longtu.layout.plan_layers()``), e.g. a
        scenario's layers with its imported site polygons.
    buffers_km, categories
        Per-layer buffer (km) and category, keyed by label (the file name without suffix); a
        label that names no file is listed in `problems`.
    builtins
        Constraint layers built already, e.g. ``builtin_constraints("tibetan_plateau")``;
        checked after the files.
    large_features, scheduler, progress
        For layers too large to hold, as
        :func:`~longtu.analysis.io.constraint_files.read_constraint_layers` takes them; by default
        every layer is read whole.
    max_bytes
        Largest file read whole, the features file too (default that of
        :func:`~longtu.analysis.io.vector.read_vector_file`).

    Returns
    -------
    result : AnalysisResult or None
        As :func:`~longtu.analysis.constraints.check.check_constraints` returns it; None when
        there is no constraint layer (no file read and no `builtins`).
    problems : pandas.DataFrame
        ``file``, ``problem``: one row per file that could not be read or label naming no file.

    Examples
    --------
    >>> from longtu.analysis.constraints import builtin_constraints
    >>> plateau = builtin_constraints("tibetan_plateau")
    >>> result, problems = check_constraint_files(["nowhere.zip"], builtins=[plateau])
    >>> result.numbers["n_layers"], problems["file"].tolist()
    (1, ['nowhere.zip'])
    """
    layers, problems = _read_layers(
        paths, buffers_km, categories, builtins, large_features, scheduler, progress, max_bytes
    )
    result = _check_features(features, plan, layers, max_bytes) if layers else None
    return result, problems


def _read_layers(  # the order of check_constraint_files' parameters
    paths: Sequence[str | Path],
    buffers_km: Mapping[str, float] | None,
    categories: Mapping[str, str] | None,
    builtins: Sequence[ConstraintLayer],
    large_features: int | None,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
    max_bytes: int | None,
) -> tuple[list[ConstraintLayer], pd.DataFrame]:
    """The layers read from `paths`, then the `builtins`, and the problems of the files."""
    # Imported here: longtu.analysis.io.constraint_files itself imports this package.
    from longtu.analysis.io.constraint_files import read_constraint_layers

    builtins = list(builtins)
    for builtin in builtins:
        if not isinstance(builtin, ConstraintLayer):
            raise ConstraintInputError(
                f"`builtins` must hold ConstraintLayer objects, e.g. "
                f'`builtin_constraints("tibetan_plateau")`; got {builtin!r}.'
            )
    layers, problems = read_constraint_layers(
        paths,
        buffers_km=buffers_km,
        categories=categories,
        large_features=large_features,
        scheduler=scheduler,
        progress=progress,
        max_bytes=_byte_limit(max_bytes),
    )
    return [*layers, *builtins], problems


def _byte_limit(max_bytes: int | None) -> int:
    """`max_bytes`, or the default of :func:`~longtu.analysis.io.vector.read_vector_file`."""
    from longtu.analysis.io.vector import DEFAULT_MAX_BYTES

    return DEFAULT_MAX_BYTES if max_bytes is None else max_bytes


def _check_features(
    features: str | Path | None,
    plan: Mapping[str, object] | None,
    layers: list[ConstraintLayer],
    max_bytes: int | None,
) -> AnalysisResult:
    """The check of the features file, or of every placed feature of `plan` without one."""
    from longtu.analysis.io.constraint_files import split_layer  # imports this package
    from longtu.analysis.io.vector import read_vector_file

    if features is None:
        return check_constraints(plan_features(plan), layers)
    path, layer = split_layer(str(features))
    frame, report = read_vector_file(path, layer=layer, max_bytes=_byte_limit(max_bytes))
    return _check_features_file(frame, report, layers)


def _check_features_file(
    frame: gpd.GeoDataFrame, report: dict[str, object], layers: list[ConstraintLayer]
) -> AnalysisResult:
    """The check of a features file's `frame`, with what its reader repaired or warns about."""
    result = check_constraints(frame, layers)
    notes = _with_feature_notes(result.tables["layer_notes"], report)
    result.tables["layer_notes"] = notes
    if ((notes["layer"] == "features") & (notes["kind"] == "warning")).any():
        result.numbers["n_layer_warnings"] = int((notes["kind"] == "warning").sum())
        result.summary_zh += (
            f"警告：要素文件 {report['file']} 与甘肃省不重叠，其“无冲突”结果不可信。"
        )
        result.summary_en += (
            f" WARNING: the features file {report['file']} does not overlap Gansu, so its "
            "'clear' results mean nothing."
        )
    return result


def _with_feature_notes(notes: pd.DataFrame, report: dict[str, object]) -> pd.DataFrame:
    """`notes` and, labelled ``features``, what was repaired or looks wrong in the features file."""
    warnings, repairs = report.get("warnings"), report.get("repairs")
    found = [("warning", str(w)) for w in (warnings if isinstance(warnings, list) else [])]
    found += list(repairs) if isinstance(repairs, list) else []
    from longtu.analysis.io.repairs import note_zh

    rows = [
        {"layer": "features", "source": report["file"], "kind": kind, "note": note,
         "note_zh": note_zh(report, note)}
        for kind, note in found
    ]  # fmt: skip
    return pd.concat([notes, pd.DataFrame(rows, columns=notes.columns)], ignore_index=True)


def write_conflict_report(
    result: AnalysisResult, out: str | Path, *, problems: pd.DataFrame | None = None
) -> list[Path]:
    """Write a constraint check as a GeoPackage and CSV files beside it.

    Parameters
    ----------
    result
        A result of :func:`check_constraint_files` or
        :func:`~longtu.analysis.constraints.check.check_constraints`.
    out
        The GeoPackage to write (``.gpkg``; replaced if it exists), or ``.parquet``: then
        ``conflicts`` is written to `out` and the other layers as GeoParquet beside it
        (``<out>_features.parquet``, ``<out>_overlaps.parquet``). Everything is written under
        temporary names and moved in place at the end: an error or Ctrl-C leaves no partial
        report. The GeoPackage gets the layers
        ``conflicts`` (feature x constraint layer), ``features`` (worst severity per feature)
        and ``overlaps`` (overlap geometries), each only when it has rows, in EPSG:4326. Beside
        it, in UTF-8 with a byte-order mark (Excel shows the Chinese), text cells that would
        start a formula prefixed with ``'``: ``<out>.csv``, the conflict table;
        ``<out>_unplaced.csv``, ``<out>_problems.csv`` and ``<out>_layer_notes.csv``, the
        features not checked, the `problems` and what was repaired, dropped or looks wrong in
        the layers, each only when it has rows.
    problems
        Files that could not be read, as :func:`check_constraint_files` lists them.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> from longtu.analysis.constraints import builtin_constraints
    >>> plateau = builtin_constraints("tibetan_plateau")
    >>> result = check_constraint_files([], builtins=[plateau])[0]
    >>> [p.name for p in write_conflict_report(result, f"{tempfile.mkdtemp()}/r.gpkg")]
    ['r.gpkg', 'r.csv', 'r_unplaced.csv']
    >>> write_conflict_report(result, "r.shp")
    Traceback (most recent call last):
    ...
    longtu.errors.ParameterError: `out` must end in .gpkg or .parquet; got `r.shp`.
    """
    out = _report_out(out)
    tables = {**result.tables}
    if problems is not None:
        tables["problems"] = problems[["file", "problem"]]
    paths = report_paths(out)
    with replacing(paths) as temporary:
        where = dict(zip(paths, temporary, strict=True))
        _write_layers(result, out, where)
        _write_csvs(tables, out, where)
        written = [path for path in paths if where[path].exists()]
    return written


def _report_out(out: str | Path) -> Path:
    """`out` as a path whose folder exists; a name not ending in .gpkg or .parquet refused."""
    out = _report_name(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _report_name(out: str | Path) -> Path:
    """`out` as a path; a name not ending in .gpkg or .parquet refused."""
    out = Path(out)
    if out.suffix.lower() not in (".gpkg", ".parquet"):
        raise ParameterError(
            f"`out` must end in .gpkg or .parquet; got `{out.name}`.",
            zh=f"报告文件（--out）须以 .gpkg 或 .parquet 结尾，而不是 {out.name}。",
        )
    return out


def _write_csvs(tables: Mapping[str, pd.DataFrame], out: Path, where: dict[Path, Path]) -> None:
    """The conflict table as ``<out>.csv``, and each other CSV table that has rows beside it."""
    _write_csv(tables["conflicts_table"], where[out.with_suffix(".csv")])
    for name in REPORT_CSVS:
        table = tables.get(name)
        if table is not None and len(table):
            _write_csv(table, where[out.with_name(f"{out.stem}_{name}.csv")])


def _write_layers(result: AnalysisResult, out: Path, where: dict[Path, Path]) -> None:
    """The geometry tables: GeoPackage layers of `out`, or GeoParquet files beside it."""
    layers = [name for name in REPORT_LAYERS if len(result.tables[name])] or ["conflicts"]
    for name in layers:  # an empty `conflicts` layer only when no feature could be checked
        frame = result.tables[name].to_crs(settings.storage_crs)
        if out.suffix.lower() == ".parquet":
            target = out if name == "conflicts" else out.with_name(f"{out.stem}_{name}.parquet")
            frame.to_parquet(where[target], write_covering_bbox=True, index=False)
        else:
            pyogrio.write_dataframe(
                frame, where[out], layer=name, promote_to_multi=True, use_arrow=True
            )


def _write_csv(table: pd.DataFrame, path: Path) -> Path:
    """`table` as CSV in UTF-8 with a byte-order mark, formulas defused (Excel opens it)."""
    from longtu.layout.export import write_csv

    return write_csv(table, path)


def plan_features(plan: Mapping[str, object] | None = None) -> gpd.GeoDataFrame:
    """Every plan layer with a ``feature_id``, as one frame (unplaced rows included)."""
    from longtu.layout import plan_layers

    frames = [
        frame.assign(layer=name)
        for name, frame in (plan_layers() if plan is None else plan).items()
        if isinstance(frame, gpd.GeoDataFrame) and "feature_id" in frame
    ]
    columns = ["feature_id", "layer", "name_zh", "name_en", "precision", "geometry"]
    joined = pd.concat([f[[c for c in columns if c in f]] for f in frames], ignore_index=True)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=settings.storage_crs)
