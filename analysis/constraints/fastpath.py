"""The quick path of ``longtu constraints check``: plain GeoPackages, without pandas or GDAL.

A short command-line run would spend most of its time importing pandas, geopandas and GDAL. When
every input is a plain single-layer EPSG:4326 GeoPackage (:mod:`longtu.analysis.io.gpkg_read`), this
path reads the geometries and the few attributes the report needs with SQLite, repairs and measures
them with shapely (:func:`longtu.analysis.constraints.overlay.measure_layer`) and assembles the
report's tables with NumPy (:func:`longtu.analysis.constraints.table.assemble_tables`): the same
steps and the same tables as :func:`longtu.analysis.constraints.check.check_constraints` on what
:func:`longtu.analysis.io.vector.read_constraint_layers` reads. For anything else (another format, a
CRS other than EPSG:4326, attribute types it does not map exactly as GDAL does, a file any check
would refuse) it returns None and the caller takes the ordinary path, whose checks and messages then
apply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from longtu.analysis.constraints.overlay import measure_layer, project, repair
from longtu.analysis.constraints.table import (
    INFO_COLUMNS,
    NAME_COLUMNS,
    ConflictTables,
    assemble_tables,
    check_buffer,
    unique_label,
)
from longtu.analysis.io.gpkg_read import GpkgGeometries, read_gpkg_geometries, split_layer

MAX_BYTES = 200 * 1024**2
"""Files larger than this (``longtu.analysis.io.vector.DEFAULT_MAX_BYTES``) take the ordinary
path, which refuses them with a clear message."""

ID_COLUMNS = ("feature_id", "adcode")
"""Feature id columns, in order of preference (else the row number), as the ordinary path."""

_KEY_TYPES = ("TEXT", "INTEGER", "INT", "MEDIUMINT", "SMALLINT", "TINYINT", "REAL", "DOUBLE")
"""Declared types whose values GDAL reads as this path does (text, integers, floats)."""


@dataclass
class GpkgLayer:
    """A constraint layer read by this path (what the report says of it).

    Attributes
    ----------
    label, category, buffer_km, source
        As :class:`longtu.analysis.constraints.check.ConstraintLayer`.
    """

    label: str
    category: str
    buffer_km: float
    source: str


def check_gpkg_tables(
    paths: Sequence[str | Path],
    *,
    features: str | Path,
    buffers_km: Mapping[str, float] | None = None,
    categories: Mapping[str, str] | None = None,
) -> tuple[ConflictTables, list[dict[str, str]]] | None:
    """The conflict tables of plain GeoPackages, or None when the ordinary path must decide.

    Parameters
    ----------
    paths
        Constraint GeoPackages (``FILE.gpkg:LAYER`` picks a layer).
    features
        GeoPackage of the features to check.
    buffers_km, categories
        Per-layer buffer (km) and category, keyed by label (file name without suffix).

    Returns
    -------
    (tables, problems) or None
        ``tables`` as :func:`longtu.analysis.constraints.table.assemble_tables` returns them, and
        ``problems`` (``{"file", "problem"}`` rows) for options naming no layer.

    Examples
    --------
    >>> import tempfile, geopandas as gpd
    >>> folder = tempfile.mkdtemp()
    >>> gpd.GeoDataFrame({"feature_id": ["a"]}, geometry=[shapely.box(103, 36, 103.2, 36.2)],
    ...     crs=4326).to_file(f"{folder}/plan.gpkg")
    >>> gpd.GeoDataFrame(geometry=[shapely.box(103.1, 36, 103.5, 36.2)], crs=4326).to_file(
    ...     f"{folder}/red.gpkg")
    >>> tables, problems = check_gpkg_tables([f"{folder}/red.gpkg"], features=f"{folder}/plan.gpkg")
    >>> round(float(tables.tables["conflicts"].columns["overlap_pct"][0])), problems
    (50, [])
    """
    if not paths:
        return None
    sources = [split_layer(str(p)) for p in paths]
    layers, problems = _layers(sources, dict(buffers_km or {}), dict(categories or {}))
    if layers is None:
        return None
    reads = [_read(path, layer, NAME_COLUMNS) for path, layer in sources]
    plan = _read(*split_layer(str(features)), (*ID_COLUMNS, *INFO_COLUMNS))
    if plan is None or any(read is None for read in reads):
        return None
    names = [_names(read) for read in reads]
    if any(n is False for n in names) or _not_text(plan, INFO_COLUMNS):
        return None
    repaired = [repair(read.geometry) for read in [*reads, plan]]
    if not all(keep.any() for _, keep, _, _ in repaired):
        return None  # a file with no geometry: the ordinary reader says so
    placed, keep = repaired[-1][0], repaired[-1][1]
    keys = _keys(plan, keep)
    if keys is None or len(set(keys.tolist())) != len(keys):
        return None  # the ordinary path says which ids repeat
    placed = placed[keep]
    projected = project(placed, "EPSG:4326")
    shapely.prepare(projected)
    measures = [
        measure_layer(projected, placed, geometry[kept], "EPSG:4326", valid=True)
        for geometry, kept, _, _ in repaired[:-1]
    ]
    kept = [keep_layer for _, keep_layer, _, _ in repaired[:-1]]
    names = [None if n is None else n[k] for n, k in zip(names, kept, strict=True)]
    info = {c: v[keep] for c, v in plan.attributes.items() if c in INFO_COLUMNS}
    missing = np.zeros(len(placed), dtype=bool)
    tables = assemble_tables(keys, info, missing, placed, layers, names, measures)
    return tables, problems


def _layers(sources, buffers_km: dict, categories: dict):
    """Labels as :func:`longtu.analysis.io.vector.read_constraint_layers` gives them."""
    layers: list[GpkgLayer] = []
    for path, layer in sources:
        label = unique_label(Path(path).stem if layer is None else layer, {x.label for x in layers})
        buffer_km = float(buffers_km.pop(label, 0.0))
        try:
            check_buffer(label, buffer_km)
        except ValueError:
            return None, []  # the ordinary path raises the error
        category = categories.pop(label, None) or "unspecified"
        layers.append(GpkgLayer(label, category, buffer_km, Path(path).name))
    problems = [
        {"file": label, "problem": f"no layer is labelled `{label}`"}
        for label in [*buffers_km, *categories]
    ]
    return layers, problems


def _read(path: str, layer: str | None, columns: Sequence[str]) -> GpkgGeometries | None:
    file = Path(path)
    if file.suffix.lower() != ".gpkg" or not file.is_file():
        return None
    if not 0 < file.stat().st_size <= MAX_BYTES:
        return None
    return read_gpkg_geometries(file, layer=layer, columns=columns)


def _names(read: GpkgGeometries) -> np.ndarray | bool | None:
    """The layer's constraint names as text; None without a name column; False if not text."""
    column = next((c for c in NAME_COLUMNS if c in read.columns), None)
    if column is None:
        return None
    if not read.columns[column].startswith("TEXT"):
        return False
    return np.array([str(v) for v in read.attributes[column].tolist()], dtype=object)


def _keys(plan: GpkgGeometries, keep: np.ndarray) -> np.ndarray | None:
    """Ids of the features kept, as the ordinary path makes them; None if they would differ."""
    column = next((c for c in ID_COLUMNS if c in plan.columns), None)
    if column is None:
        return np.arange(int(keep.sum())).astype(str)  # the row number after empty rows go
    values = plan.attributes[column][keep]
    if plan.columns[column].split("(")[0] not in _KEY_TYPES or any(v is None for v in values):
        return None
    return values.astype(str)


def _not_text(plan: GpkgGeometries, columns: Sequence[str]) -> bool:
    return any(not plan.columns[c].startswith("TEXT") for c in columns if c in plan.columns)
