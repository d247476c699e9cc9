"""The quick path of ``longtu constraints check``: plain GeoPackages, measured while pandas loads.

A short command-line run spends much of its time importing pandas, geopandas and GDAL. When
every input is a plain single-layer EPSG:4326 GeoPackage (:mod:`analysis.gpkg_read`), this path
reads the geometries with SQLite, starts those imports on a second thread, and meanwhile
repairs and measures the geometries with shapely (:func:`analysis.constraint_overlay.measure_layer`,
which releases the GIL). Then it reads the attributes with GDAL and assembles the same result as
:func:`analysis.constraints.check_constraints` through the same readers' checks
(:func:`analysis.constraint_io.read_constraint_layers`). For anything else it returns None and
the caller takes the ordinary path.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely

from analysis.constraint_overlay import measure_layer, project, repair
from analysis.gpkg_read import GpkgGeometries, read_gpkg_geometries, split_layer

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from analysis._result import AnalysisResult

MAX_BYTES = 200 * 1024**2
"""Files larger than this (``analysis.constraint_io.DEFAULT_MAX_BYTES``) take the ordinary
path, which refuses them with a clear message."""


def check_gpkg_files(
    paths: Sequence[str | Path],
    *,
    features: str | Path,
    buffers_km: Mapping[str, float] | None = None,
    categories: Mapping[str, str] | None = None,
) -> tuple[AnalysisResult, pd.DataFrame] | None:
    """:func:`analysis.constraint_report.check_constraint_files` for plain GeoPackages.

    Returns ``(result, problems)`` as that function does, or None when an input is not a
    plain single-layer EPSG:4326 GeoPackage (or cannot be read so): then nothing was decided
    and the caller reads the files the ordinary way.

    Examples
    --------
    >>> import tempfile, geopandas as gpd
    >>> folder = tempfile.mkdtemp()
    >>> gpd.GeoDataFrame({"feature_id": ["a"]}, geometry=[shapely.box(103, 36, 103.2, 36.2)],
    ...     crs=4326).to_file(f"{folder}/plan.gpkg")
    >>> gpd.GeoDataFrame(geometry=[shapely.box(103.1, 36, 103.5, 36.2)], crs=4326).to_file(
    ...     f"{folder}/red.gpkg")
    >>> result, problems = check_gpkg_files([f"{folder}/red.gpkg"], features=f"{folder}/plan.gpkg")
    >>> round(result.tables["conflicts_table"]["overlap_pct"].iloc[0]), len(problems)
    (50, 0)
    """
    sources = [split_layer(str(p)) for p in [*paths, features]]
    reads = [_read(path, layer) for path, layer in sources]
    if not paths or any(read is None for read in reads):
        return None
    repaired = [repair(read.geometry) for read in reads]
    if not all(keep.any() for _, keep, _, _ in repaired):
        return None
    placed = repaired[-1][0][repaired[-1][1]]
    projected = project(placed, "EPSG:4326")
    shapely.prepare(projected)
    # pandas, geopandas and GDAL load while shapely measures (in long calls that release the
    # GIL; started earlier, the import would slow the many short calls of reading and repair).
    imports = threading.Thread(target=_import_tables, daemon=True)
    imports.start()
    measures = [
        measure_layer(projected, placed, geometry[keep], "EPSG:4326")
        for geometry, keep, _, _ in repaired[:-1]
    ]
    imports.join()
    return _assemble(paths, sources, reads, repaired, measures, buffers_km, categories)


def gpkg_frame(
    path: str | Path, read: GpkgGeometries, repaired: tuple
) -> tuple[gpd.GeoDataFrame, dict[str, object]]:
    """What :func:`read_vector_file` returns for a GeoPackage whose geometries are read already.

    `read` comes from :func:`analysis.gpkg_read.read_gpkg_geometries` (EPSG:4326) and
    `repaired` from :func:`analysis.constraint_overlay.repair` of its geometries; the
    attributes are read here with GDAL, and must come in the same feature-id order.

    Examples
    --------
    >>> import tempfile, geopandas as gpd
    >>> path = f"{tempfile.mkdtemp()}/a.gpkg"
    >>> gpd.GeoDataFrame({"n": [7]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326).to_file(path)
    >>> read = read_gpkg_geometries(path)
    >>> frame, report = gpkg_frame(path, read, repair(read.geometry))
    >>> frame["n"].tolist(), report["n_features"], report["crs_in"]
    ([7], 1, 'EPSG:4326')
    """
    import geopandas as gpd
    import pyogrio
    import pyogrio.errors

    from analysis.constraint_io import ConstraintFileError, repaired_frame, to_storage_crs

    shown = Path(path).name
    try:
        attributes = pyogrio.read_dataframe(
            path, layer=read.layer, read_geometry=False, fid_as_index=True, use_arrow=True
        )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise ConstraintFileError(f"`{shown}` could not be read: {error}") from None
    if not np.array_equal(attributes.index.to_numpy(), read.fids) or "geometry" in attributes:
        raise ConstraintFileError(f"`{shown}`: its attributes do not match its geometries.")
    frame = gpd.GeoDataFrame(
        attributes.reset_index(drop=True), geometry=read.geometry, crs="EPSG:4326"
    )
    report: dict[str, object] = {"file": shown, "format": "gpkg", "notes": ""}
    frame = to_storage_crs(frame, crs=None, shown=shown, report=report, is_shp=False)
    return repaired_frame(frame, repaired, shown=shown, report=report), report


def _read(path: str, layer: str | None) -> GpkgGeometries | None:
    file = Path(path)
    if file.suffix.lower() != ".gpkg" or not file.is_file():
        return None
    if not 0 < file.stat().st_size <= MAX_BYTES:
        return None
    return read_gpkg_geometries(file, layer=layer)


def _import_tables() -> None:
    import analysis.constraint_io
    import analysis.constraints  # noqa: F401


def _assemble(paths, sources, reads, repaired, measures, buffers_km, categories):
    from analysis.constraint_io import ConstraintFileError, read_constraint_layers
    from analysis.constraints import assemble_check

    known = dict(zip(sources, zip(reads, repaired, strict=True), strict=True))

    def reader(path, *, layer=None):
        return gpkg_frame(path, *known[(str(path), layer)])

    layers, problems = read_constraint_layers(
        paths, buffers_km=buffers_km, categories=categories, reader=reader
    )
    if len(layers) != len(paths):
        return None
    path, layer = sources[-1]
    try:
        frame = reader(path, layer=layer)[0]
    except ConstraintFileError:
        return None
    return assemble_check(frame, layers, measures), problems
