"""Constraint layers too large to hold: read and overlaid by spatial partitions, with Dask.

A layer of tens of millions of polygons (a land-survey layer as FlatGeobuf, GeoPackage or
GeoParquet of several GB) is never read whole. The tiles of the lattice
(:func:`~longtu.analysis.constraints.tiles.tile_size`) over the layer's extent are put in
Hilbert order and cut into runs of about :data:`PARTITION_FEATURES` features; each run is one
partition of a :class:`dask_geopandas.GeoDataFrame` whose task reads only the features that
meet its tiles and cuts them to its tiles
(:func:`~longtu.analysis.constraints.layer_files.read_partition`). Every partition is overlaid
with :func:`~longtu.analysis.constraints.partitions.measure_partition`, the function that
overlays a layer held in memory, and the partials are added up
(:func:`~longtu.analysis.constraints.partitions.combine_partials`). Dask runs the partitions two
at a time on this machine, or on a ``dask.distributed`` cluster given its scheduler address;
memory is bounded by what two partitions hold.

:func:`large_constraint_layer` gives a :class:`~longtu.analysis.constraints.check.ConstraintLayer`
that measures itself this way, so that
:func:`~longtu.analysis.constraints.check.check_constraints` treats it as any other layer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from longtu.analysis.constraints.check import ConstraintLayer
from longtu.analysis.constraints.layer_files import layer_info, read_partition
from longtu.analysis.constraints.overlay import finish_measures, transform
from longtu.analysis.constraints.partitions import (
    Partial,
    combine_partials,
    measure_partition,
    nearest_in_partition,
    nearest_of,
)
from longtu.analysis.constraints.tiles import tile_size
from longtu.errors import ParameterError

if TYPE_CHECKING:
    import dask_geopandas

__all__ = [
    "LARGE_LAYER_FEATURES",
    "PARTITION_FEATURES",
    "large_constraint_layer",
    "layer_partitions",
    "measure_by_partitions",
]

LARGE_LAYER_FEATURES = 2_000_000
"""A layer with more features than this is read and overlaid by partitions, never whole."""
PARTITION_FEATURES = 200_000
"""About this many features per partition (two in memory at a time: with 400,000 the
10,000,000-box layer peaked at 3.85 GiB)."""

Progress = Callable[[int, int], None]
"""``progress(done, total)``, called as partitions finish."""


def layer_partitions(
    bounds: tuple[float, ...], crs, n_features: int, *, per_partition: int = PARTITION_FEATURES
) -> list[np.ndarray]:
    """Runs of lattice tiles over `bounds`, in Hilbert order, one run per partition.

    Each run is an array of ``(column, row)`` tile indices; the runs cover the extent once.

    Examples
    --------
    >>> runs = layer_partitions((92.0, 32.0, 109.0, 43.0), "EPSG:4326", 1_000_000,
    ...                         per_partition=400_000)
    >>> len(runs), sum(len(r) for r in runs)
    (3, 187)
    """
    size = tile_size(crs)
    west, south, east, north = bounds
    i = np.arange(math.floor(west / size), max(math.ceil(east / size), math.floor(west / size) + 1))
    j = np.arange(
        math.floor(south / size), max(math.ceil(north / size), math.floor(south / size) + 1)
    )
    ii, jj = (a.ravel() for a in np.meshgrid(i, j))
    centres = gpd.GeoSeries(shapely.points((ii + 0.5) * size, (jj + 0.5) * size))
    order = np.argsort(centres.hilbert_distance().to_numpy(), kind="stable")
    count = max(1, math.ceil(n_features / per_partition))
    tiles = np.column_stack([ii, jj])[order]
    return [run for run in np.array_split(tiles, min(count, len(tiles))) if len(run)]


def measure_by_partitions(
    path: str | Path,
    projected: np.ndarray,
    features: np.ndarray,
    *,
    layer: str | None = None,
    scheduler: str | None = None,
    per_partition: int = PARTITION_FEATURES,
    progress: Progress | None = None,
) -> dict[str, np.ndarray]:
    """Measure features against a layer file, partition by partition, with Dask.

    Parameters
    ----------
    path
        FlatGeobuf, GeoPackage, Shapefile or GeoParquet (with a ``bbox`` covering column).
    projected
        The features in the equal-area CRS.
    features
        The same features in the file's CRS.
    layer
        Layer of a multi-layer file.
    scheduler
        Address of a ``dask.distributed`` scheduler (``tcp://host:8786``); default the local
        threads (two at a time).
    per_partition
        About this many features per partition.
    progress
        Told ``(partitions done, partitions)`` as they finish.

    Returns
    -------
    dict
        As :func:`~longtu.analysis.constraints.overlay.measure_layer` returns it, with the
        names of the hit and nearest constraints (``hit_codes`` into ``name_labels``,
        ``nearest_names``) when the layer has a name column, and the lowest dimension of its
        geometries (``geometry_dimension``, an int as a 0-d array).
    """
    info = layer_info(path, layer=layer)
    crs = info.crs
    partitions = layer_partitions(info.bounds, crs, info.features, per_partition=per_partition)
    frame = _dask_frame(path, partitions, crs, layer=layer, name_column=info.name_column)
    partials, names, lowest = _compute(frame, features, projected, crs, scheduler, progress)
    combined = combine_partials(partials, shapely.get_dimensions(projected), crs)
    apart = np.flatnonzero(combined["n_hits"] == 0)
    if len(apart):  # only features that meet no constraint anywhere need their nearest one
        distance_km, nearest = _nearest_everywhere(
            frame, features[apart], projected[apart], crs, scheduler
        )
        combined["distance_km"][apart], combined["nearest"][apart] = distance_km, nearest
    measures = finish_measures(combined, projected, crs)
    measures["geometry_dimension"] = np.asarray(lowest)
    if info.name_column is not None:
        measures |= _constraint_names(measures, names)
    return measures


def _constraint_names(
    measures: dict[str, np.ndarray], names: list[pd.Series]
) -> dict[str, np.ndarray]:
    """The names of the hit and nearest constraints, from the partitions' name lookups.

    ``hit_codes`` (the name of each hit pair as a code into ``name_labels``, -1 for none:
    the names are coded once, not per pair) and ``nearest_names``.
    """
    lookup = pd.concat(names)
    lookup = lookup[~lookup.index.duplicated()]
    codes, labels = pd.factorize(lookup.to_numpy(dtype=object), use_na_sentinel=True)
    position = lookup.index.get_indexer(measures["hits"])
    hit_codes = np.where(position >= 0, codes[position], -1)
    found = measures["nearest"] >= 0
    nearest = np.full(len(found), "", dtype=object)
    nearest[found] = lookup.reindex(measures["nearest"][found]).fillna("").to_numpy()
    labels = np.asarray(labels, dtype=object)
    return {"hit_codes": hit_codes, "name_labels": labels, "nearest_names": nearest}


def _dask_frame(path, partitions, crs, *, layer, name_column):
    """The layer as a Dask GeoDataFrame, one partition per run of tiles (read lazily)."""
    import dask
    import dask.dataframe as dd
    import dask_geopandas

    meta = gpd.GeoDataFrame(
        {"source": np.zeros(0, np.int64), "cell": np.zeros(0, np.int64)}
        | ({"name": np.zeros(0, dtype=object)} if name_column else {}),
        geometry=np.zeros(0, dtype=object),
        crs=crs,
    )
    parts = [
        dask.delayed(read_partition)(path, tiles, crs, layer=layer, name_column=name_column)
        for tiles in partitions
    ]
    frame = dask_geopandas.from_dask_dataframe(dd.from_delayed(parts, meta=meta, verify_meta=False))
    size = tile_size(crs)
    frame.spatial_partitions = gpd.GeoSeries(
        [shapely.box(*(t.min(axis=0) * size), *((t.max(axis=0) + 1) * size)) for t in partitions],
        crs=crs,
    )
    return frame


def _piece_cells(part: gpd.GeoDataFrame):
    """The pieces of a partition read by :func:`read_partition`, sorted by cell."""
    from longtu.analysis.constraints.tiles import Cells

    order = np.argsort(part["cell"].to_numpy(), kind="stable")
    cell = np.unique(part["cell"].to_numpy()[order], return_inverse=True)[1].ravel()
    return Cells(part.geometry.to_numpy()[order], part["source"].to_numpy()[order], cell)


def _measure_piece_frame(part: gpd.GeoDataFrame, features, projected, crs):
    """:func:`measure_partition` of one partition read by :func:`read_partition`."""
    partial = measure_partition(features, projected, _piece_cells(part), crs, find_nearest=False)
    names = None
    if "name" in part:
        names = pd.Series(part["name"].to_numpy(), index=part["source"].to_numpy())
        names = names[~names.index.duplicated()]
    lowest = int(shapely.get_dimensions(part.geometry.to_numpy()).min(initial=2))
    return partial, names, lowest


def _nearest_piece_frame(part: gpd.GeoDataFrame, features, projected, crs):
    """:func:`nearest_in_partition` of one partition read by :func:`read_partition`."""
    cells = _piece_cells(part)
    return nearest_in_partition(features, projected, cells, crs)


def _nearest_everywhere(frame, features, projected, crs, scheduler):
    """The nearest constraint over all partitions of features that meet none (second pass)."""
    found = _per_partition(_nearest_piece_frame, frame, (features, projected, crs), scheduler)
    return nearest_of(found, len(features))


def _compute(
    frame: dask_geopandas.GeoDataFrame,
    features: np.ndarray,
    projected: np.ndarray,
    crs: CRS,
    scheduler: str | None,
    progress: Progress | None,
) -> tuple[list[Partial], list[pd.Series], int]:
    """Every partition measured: the partials, the name lookups, the lowest dimension met."""
    task = _measure_piece_frame
    results = _per_partition(task, frame, (features, projected, crs), scheduler, progress)
    partials: list[Partial] = [r[0] for r in results]
    names = [r[1] for r in results if r[1] is not None]
    return partials, names, min((r[2] for r in results), default=2)


def _per_partition(func, frame, args: tuple, scheduler, progress=None) -> list:
    """``func(partition, *args)`` of every partition, on local threads or the cluster."""
    import dask

    tasks = [dask.delayed(func)(part, *args) for part in frame.to_delayed()]
    if scheduler is None:
        return _compute_local(tasks, progress)
    return _compute_on_cluster(tasks, scheduler, progress)


def _compute_local(tasks, progress):
    import dask
    from dask.callbacks import Callback

    total = len(tasks)
    done = [0]

    class _Told(Callback):
        def _posttask(self, key, result, dsk, state, worker_id):
            name = key[0] if isinstance(key, tuple) else key
            if str(name).startswith("_measure_piece_frame") and progress is not None:
                done[0] += 1
                progress(done[0], total)

    with _Told():
        return list(dask.compute(*tasks, scheduler="threads", num_workers=2))


def _compute_on_cluster(tasks, scheduler, progress):
    from distributed import Client, as_completed

    try:
        client = Client(scheduler, timeout="10s")
    except OSError as error:
        raise ParameterError(
            f"`--scheduler {scheduler}`: no Dask scheduler answers there ({error}); start one "
            "(`dask scheduler`, and `dask worker ADDRESS` on each machine) or leave "
            "--scheduler out to use this machine.",
            zh=f"--scheduler {scheduler}：该地址没有 Dask 调度器应答（{error}）；请先启动一个"
            "（dask scheduler，并在每台机器上运行 dask worker 地址），或不用 --scheduler，"
            "在本机计算。",
        ) from None
    with client:
        futures = client.compute(tasks)
        for done, _ in enumerate(as_completed(futures), start=1):
            if progress is not None:
                progress(done, len(futures))
        return client.gather(futures)


def large_constraint_layer(
    path: str | Path,
    *,
    label: str | None = None,
    category: str = "unspecified",
    buffer_km: float = 0.0,
    layer: str | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    per_partition: int = PARTITION_FEATURES,
) -> ConstraintLayer:
    """A constraint layer that is measured by partitions when checked, never read whole.

    `layer`, `scheduler`, `progress` and `per_partition` are as for
    :func:`measure_by_partitions`; `label` (default the file name without suffix), `category`
    and `buffer_km` as for :class:`~longtu.analysis.constraints.check.ConstraintLayer`.

    Examples
    --------
    >>> import tempfile
    >>> path = f"{tempfile.mkdtemp()}/red.fgb"
    >>> gpd.GeoDataFrame(geometry=[shapely.box(103, 36, 104, 37)], crs=4326).to_file(path)
    >>> red = large_constraint_layer(path, buffer_km=2)
    >>> red.label, red.report["n_features"], len(red.frame), red.geometry_dimension
    ('red', 1, 0, 2)
    """
    path = Path(path)
    info = layer_info(path, layer=layer)
    crs = info.crs
    made = ConstraintLayer(
        frame=gpd.GeoDataFrame(geometry=[], crs=crs),
        label=label or path.stem,
        category=category,
        buffer_km=float(buffer_km),
        source=path.name,
        report=_layer_report(path, info.bounds, crs, info.features),
        geometry_dimension=info.dimension,
    )

    def measure(projected: np.ndarray, features: gpd.GeoSeries) -> dict[str, np.ndarray]:
        measures = measure_by_partitions(
            path,
            projected,
            features.to_crs(crs).to_numpy(),
            layer=layer,
            scheduler=scheduler,
            progress=progress,
            per_partition=per_partition,
        )
        lowest = measures.pop("geometry_dimension")
        if made.geometry_dimension is None:  # the file did not say: its pieces did
            made.geometry_dimension = int(lowest)
        return measures

    made.measurer = measure
    return made


def _layer_report(
    path: Path, bounds: tuple[float, ...], crs: CRS, n_features: int
) -> dict[str, object]:
    """What the layer's report says before any reading: the file, and whether it meets Gansu."""
    from longtu.analysis.io.repairs import warn_outside_gansu

    lonlat = transform(np.array([shapely.box(*bounds)]), crs, CRS("EPSG:4326"))
    report: dict[str, object] = {
        "file": path.name,
        "format": path.suffix.lstrip("."),
        "n_features": n_features,
        "repairs": [],
        "partitioned": True,
    }
    lonlat_bounds = shapely.bounds(lonlat)[0]
    warn_outside_gansu(report, path.name, lonlat_bounds, raw_bounds=np.array(bounds), crs_in=crs)
    return report
