"""The command-line path of the constraint review: option parsing, the whole check, the report.

``longtu constraints check`` calls :func:`run_constraint_check`, which reads the files safely
(:mod:`longtu.analysis.io.vector`), runs the overlay (:mod:`longtu.analysis.constraints.check`) and
writes the report (:func:`write_conflict_tables`, with the standard library:
:mod:`longtu.analysis.io.report_write`). Plain GeoPackages take a quicker path to the same tables
that imports neither pandas nor GDAL (:mod:`longtu.analysis.constraints.fastpath`).
:func:`check_constraint_files` is the same check with the result as (Geo)DataFrames, for Python
users and the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from longtu.analysis.constraints.fastpath import check_gpkg_tables
from longtu.analysis.constraints.table import ConflictTables, Table
from longtu.analysis.io.report_write import write_csv, write_gpkg

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from longtu.analysis.constraints.check import ConstraintLayer
    from longtu.analysis.result import AnalysisResult

# pandas, geopandas and GDAL are imported inside the functions: a command-line run on plain
# GeoPackages never loads them (longtu.analysis.constraints.fastpath).


def parse_label_pairs(items: Sequence[str], *, option: str, number: bool) -> dict[str, object]:
    """``["red=2", "reserve=1.5"]`` -> ``{"red": 2.0, "reserve": 1.5}`` (``--buffer-km``, …).

    Examples
    --------
    >>> parse_label_pairs(["red=2"], option="--buffer-km", number=True)
    {'red': 2.0}
    """
    pairs: dict[str, object] = {}
    for item in items:
        label, sep, value = item.partition("=")
        try:
            if not (sep and label and value):
                raise ValueError
            pairs[label] = float(value) if number else value
        except ValueError:
            kind = "KM" if number else "CATEGORY"
            raise ValueError(
                f"`{option} {item}`: expected LABEL={kind}, e.g. red_line=2."
            ) from None
    return pairs


def parse_builtin(spec: str) -> ConstraintLayer:
    """A built-in constraint layer from a command-line spec.

    ``rivers:KM`` (river buffer half-width), ``tibetan_plateau``, ``terrain:3000m``,
    ``terrain:25deg`` (or ``terrain:3000m,25deg``), ``land_cover:water,wetland`` (groups of
    :data:`longtu.analysis.constraints.check.LAND_COVER_GROUPS` or IGBP codes).

    Examples
    --------
    >>> parse_builtin("tibetan_plateau").category
    'plateau'
    """
    from longtu.analysis.constraints.builtin_layers import builtin_constraints

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
        return builtin_constraints(kind)  # type: ignore[arg-type]
    except ValueError as error:
        raise ValueError(
            f"`--builtin {spec}`: {error} Forms: rivers:2, tibetan_plateau, terrain:3000m, "
            "terrain:25deg, land_cover:water,wetland."
        ) from None


def check_constraint_files(
    paths: Sequence[str | Path],
    *,
    features: str | Path | None = None,
    out: str | Path | None = None,
    buffers_km: Mapping[str, float] | None = None,
    categories: Mapping[str, str] | None = None,
    builtins: Sequence[str] = (),
) -> tuple[AnalysisResult | None, pd.DataFrame]:
    """Read the files, check the features, write the report; the result as tables.

    Parameters
    ----------
    paths
        Constraint files (see :func:`read_constraint_layers`).
    features
        File of features to check; default every plan layer (``longtu.layout.plan_layers``).
    out
        Report GeoPackage (see :func:`write_conflict_report`); nothing is written when None.
    buffers_km, categories
        Per-layer buffer (km) and category, keyed by label (file name without suffix).
    builtins
        Built-in layers, in the forms of :func:`parse_builtin`.

    Returns
    -------
    result : AnalysisResult or None
        None when no constraint layer could be read.
    problems : pandas.DataFrame
        Files that could not be read and why.

    Examples
    --------
    >>> result, problems = check_constraint_files(["nowhere.zip"], builtins=["tibetan_plateau"])
    >>> result.numbers["n_layers"], problems["file"].tolist()
    (1, ['nowhere.zip'])
    """
    import pandas as pd

    from longtu.analysis.constraints.check import result_from_tables

    tables, problems = run_constraint_check(
        paths,
        features=features,
        out=out,
        buffers_km=buffers_km,
        categories=categories,
        builtins=builtins,
    )
    result = None if tables is None else result_from_tables(tables)
    return result, pd.DataFrame(problems, columns=["file", "problem"])


def run_constraint_check(
    paths: Sequence[str | Path],
    *,
    features: str | Path | None = None,
    out: str | Path | None = None,
    buffers_km: Mapping[str, float] | None = None,
    categories: Mapping[str, str] | None = None,
    builtins: Sequence[str] = (),
) -> tuple[ConflictTables | None, list[dict[str, str]]]:
    """``longtu constraints check``: :func:`check_constraint_files` with plain tables.

    Plain GeoPackages in EPSG:4326 are checked without importing pandas, geopandas or GDAL
    (:mod:`longtu.analysis.constraints.fastpath`); anything else is read the ordinary way. The
    arguments are those of :func:`check_constraint_files`.

    Returns
    -------
    tables : ConflictTables or None
        None when no constraint layer could be read.
    problems : list of dict
        ``{"file", "problem"}`` for each file that could not be read.

    Examples
    --------
    >>> tables, problems = run_constraint_check([], builtins=["tibetan_plateau"])
    >>> tables.numbers["n_layers"], problems
    (1, [])
    """
    checked = None
    if features is not None and not builtins:
        checked = check_gpkg_tables(
            paths, features=features, buffers_km=buffers_km, categories=categories
        )
    if checked is None:
        checked = _check_files(paths, features, buffers_km, categories, builtins)
    tables, problems = checked
    if tables is not None and out is not None:
        write_conflict_tables(tables, out, problems=problems)
    return tables, problems


def _check_files(paths, features, buffers_km, categories, builtins):
    from longtu.analysis.constraints.check import conflict_tables, measure_all
    from longtu.analysis.io.vector import read_constraint_layers, read_vector_file

    layers, problems = read_constraint_layers(paths, buffers_km=buffers_km, categories=categories)
    layers += [parse_builtin(spec) for spec in builtins]
    problems = problems.to_dict("records")
    if not layers:
        return None, problems
    frame = _plan_features() if features is None else read_vector_file(features)[0]
    return conflict_tables(frame, layers, measure_all(frame, layers)), problems


def write_conflict_report(
    result: AnalysisResult, out: str | Path, *, problems: pd.DataFrame | None = None
) -> list[Path]:
    """Write a constraint check (:func:`check_constraint_files`) as GeoPackage and CSV.

    See :func:`write_conflict_tables`, which this calls with the result's tables.

    Examples
    --------
    >>> import tempfile
    >>> result = check_constraint_files([], builtins=["tibetan_plateau"])[0]
    >>> [p.suffix for p in write_conflict_report(result, f"{tempfile.mkdtemp()}/r.gpkg")]
    ['.gpkg', '.csv', '.csv']
    """
    tables = {name: _table(result.tables[name]) for name in _REPORT_TABLES}
    listed = [] if problems is None else problems.to_dict("records")
    return _write(tables, Path(out), listed)


def write_conflict_tables(
    tables: ConflictTables, out: str | Path, *, problems: Sequence[Mapping[str, str]] = ()
) -> list[Path]:
    """Write a constraint check as a GeoPackage and CSV files beside it.

    ``out`` (.gpkg) gets the layers ``conflicts`` (feature x constraint layer), ``features``
    (worst severity) and ``overlaps``; ``<out>.csv`` the conflict table and ``<out>_unplaced.csv``
    / ``<out>_problems.csv`` the skipped features and unreadable files (UTF-8 with BOM, for
    Excel). Returns the paths written.

    Examples
    --------
    >>> import tempfile
    >>> tables, _ = run_constraint_check([], builtins=["tibetan_plateau"])
    >>> [p.name for p in write_conflict_tables(tables, f"{tempfile.mkdtemp()}/r.gpkg")]
    ['r.gpkg', 'r.csv', 'r_unplaced.csv']
    """
    return _write(tables.tables, Path(out), list(problems))


_REPORT_TABLES = ("conflicts", "features", "overlaps", "unplaced")


def _write(tables: Mapping[str, Table], out: Path, problems: list) -> list[Path]:
    if out.suffix.lower() != ".gpkg":
        raise ValueError(f"`out` must end in .gpkg; got `{out.name}`.")
    out.parent.mkdir(parents=True, exist_ok=True)
    layers = [
        (name, tables[name].columns, tables[name].geometry)
        for name in ("conflicts", "features", "overlaps")
        if len(tables[name])
    ]
    write_gpkg(out, layers)
    written = [out, write_csv(out.with_suffix(".csv"), tables["conflicts"].columns)]
    extra = {
        "unplaced": tables["unplaced"].columns,
        "problems": {key: [row[key] for row in problems] for key in ("file", "problem")},
    }
    for name, columns in extra.items():
        if len(next(iter(columns.values()))):
            written.append(write_csv(out.with_name(f"{out.stem}_{name}.csv"), columns))
    return written


def _table(frame: pd.DataFrame) -> Table:
    """A (Geo)DataFrame as plain columns, with its geometry in EPSG:4326 when it has one."""
    geometry = None
    if hasattr(frame, "geometry") and "geometry" in frame:
        geometry = frame.geometry.to_crs("EPSG:4326").to_numpy()
        frame = frame.drop(columns="geometry")
    return Table({str(c): frame[c].to_numpy() for c in frame.columns}, geometry)


def _plan_features() -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    from longtu.layout import plan_layers

    frames = [
        frame.assign(layer=name)
        for name, frame in plan_layers().items()
        if isinstance(frame, gpd.GeoDataFrame) and "feature_id" in frame
    ]
    columns = ["feature_id", "layer", "name_zh", "name_en", "precision", "geometry"]
    joined = pd.concat([f[[c for c in columns if c in f]] for f in frames], ignore_index=True)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs="EPSG:4326")
