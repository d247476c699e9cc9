"""Constraint layers from users' files: one file, or many with the bad ones listed.

:func:`read_constraint_layer` reads a file (:func:`~longtu.analysis.io.vector.read_vector_file`)
as a :class:`~longtu.analysis.constraints.check.ConstraintLayer`; :func:`read_constraint_layers`
reads many, a bad file listed and never fatal, a plain file too large to hold measured by
partitions (:func:`~longtu.analysis.constraints.large.large_constraint_layer`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

import pandas as pd
import pyogrio
import pyogrio.errors

from longtu.analysis.constraints.check import ConstraintLayer
from longtu.analysis.constraints.large import large_constraint_layer
from longtu.analysis.io.vector import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_FILES,
    PARTITIONED_SUFFIXES,
    Reader,
    feature_count,
    read_vector_file,
)
from longtu.errors import ConstraintFileError


def read_constraint_layer(
    path: str | Path,
    *,
    label: str | None = None,
    category: str | None = None,
    buffer_km: float = 0.0,
    layer: str | None = None,
    crs: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_files: int = DEFAULT_MAX_FILES,
    max_features: int | None = None,
    reader: Reader | None = None,
) -> ConstraintLayer:
    """Read one constraint file (see :func:`read_vector_file`) as a :class:`ConstraintLayer`.

    Parameters
    ----------
    path
        The file.
    label
        Name of the layer in reports; default the file name without its suffix.
    category
        What it protects, a key of :data:`longtu.analysis.constraints.check.CATEGORIES` (e.g.
        ``"ecological_red_line"``) or free text; default ``"unspecified"``.
    buffer_km
        Distance around the constraint within which a feature is reported ``near``, km.
    layer, crs, max_bytes, max_files, max_features
        As for :func:`read_vector_file`.
    reader
        Called as ``reader(path, layer=layer)`` instead of :func:`read_vector_file` (which
        then ignores `crs` and the limits), e.g. to use geometries read already.

    Returns
    -------
    ConstraintLayer
        ``frame`` in EPSG:4326 and ``report`` of what was read and repaired.

    Examples
    --------
    >>> import tempfile, shapely, geopandas as gpd
    >>> path = f"{tempfile.mkdtemp()}/red.geojson"
    >>> gpd.GeoDataFrame(geometry=[shapely.box(103, 36, 104, 37)], crs=4326).to_file(path)
    >>> red = read_constraint_layer(path, category="ecological_red_line", buffer_km=2)
    >>> red.label, red.category, red.buffer_km, len(red.frame)
    ('red', 'ecological_red_line', 2.0, 1)
    """
    if reader is None:
        reader = _file_reader(crs, max_bytes, max_files, max_features)
    frame, report = reader(path, layer=layer)
    return ConstraintLayer(
        frame=frame,
        label=label or Path(path).stem,
        category=category or "unspecified",
        buffer_km=float(buffer_km),
        source=str(report["file"]),
        report=report,
    )


def read_constraint_layers(
    paths: Sequence[str | Path],
    *,
    buffers_km: Mapping[str, float] | None = None,
    categories: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_files: int = DEFAULT_MAX_FILES,
    reader: Reader | None = None,
    large_features: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[ConstraintLayer], pd.DataFrame]:
    """Read many constraint files; a bad file is listed, never fatal.

    Parameters
    ----------
    paths
        The files. A GeoPackage layer is chosen with ``FILE.gpkg:LAYER``.
    buffers_km, categories
        Per-layer buffer (km) and category, keyed by label (the file name without suffix).
    max_bytes, max_files, reader
        As for :func:`read_constraint_layer`.
    large_features
        A plain file (FlatGeobuf, GeoPackage, Shapefile, GeoParquet) with more features than
        this is not read but measured by partitions when checked
        (:func:`longtu.analysis.constraints.large.large_constraint_layer`); default never
        (a server shared by many people reads every layer within its limits).
    scheduler
        ``dask.distributed`` scheduler address for those layers (then every plain file is
        measured by partitions on the cluster); default the local threads.
    progress
        Told ``(partitions done, partitions)`` as a partitioned layer is measured.

    Returns
    -------
    layers : list of ConstraintLayer
        The layers that read well, in the order given (a repeated label gets ``_2``, ``_3``).
    problems : pandas.DataFrame
        One row per bad file: ``file``, ``problem`` and its Chinese ``problem_zh`` (empty when
        the error has none).

    Examples
    --------
    >>> layers, problems = read_constraint_layers(["missing.gpkg"])
    >>> len(layers), problems["file"].tolist()
    (0, ['missing.gpkg'])
    """
    buffers_km, categories = dict(buffers_km or {}), dict(categories or {})
    layers, problems = _read_each(
        paths,
        buffers_km=buffers_km,
        categories=categories,
        is_large=partial(_is_large, large_features=large_features, scheduler=scheduler),
        read_large=partial(large_constraint_layer, scheduler=scheduler, progress=progress),
        read_small=partial(
            read_constraint_layer, max_bytes=max_bytes, max_files=max_files, reader=reader
        ),
    )
    problems.extend(_unused_label_problems([*buffers_km, *categories]))
    return layers, pd.DataFrame(problems, columns=["file", "problem", "problem_zh"])


def _read_each(
    paths: Sequence[str | Path],
    *,
    buffers_km: dict[str, float],
    categories: dict[str, str],
    is_large: Callable[[str, str | None], bool],
    read_large: Callable[..., ConstraintLayer],
    read_small: Callable[..., ConstraintLayer],
) -> tuple[list[ConstraintLayer], list[dict[str, str]]]:
    """The layers that read well (buffer and category popped by label), a row per bad file."""
    layers: list[ConstraintLayer] = []
    problems: list[dict[str, str]] = []
    for raw in paths:
        path, layer = split_layer(str(raw))
        label = Path(path).stem if layer is None else layer
        label = _unique_label(label, {x.label for x in layers})
        try:
            large = is_large(path, layer)
            read = read_large if large else read_small
            category = categories.pop(label, "unspecified" if large else None)
            buffer_km = buffers_km.pop(label, 0.0)
            layers.append(
                read(path, label=label, category=category, buffer_km=buffer_km, layer=layer)
            )
        except ConstraintFileError as error:
            zh = error.message_zh or ""
            problems.append({"file": str(raw), "problem": str(error), "problem_zh": zh})
    return layers, problems


def _file_reader(
    crs: str | None, max_bytes: int, max_files: int, max_features: int | None
) -> Reader:
    """:func:`read_vector_file` with these options, called as ``reader(path, layer=layer)``."""
    return partial(
        read_vector_file,
        crs=crs,
        max_bytes=max_bytes,
        max_files=max_files,
        max_features=max_features,
    )


def _unused_label_problems(labels: list[str]) -> list[dict[str, str]]:
    """One problem row per label given a buffer or category that no layer read has."""
    return [
        {
            "file": label,
            "problem": f"no layer is labelled `{label}`",
            "problem_zh": f"没有标为 {label} 的图层",
        }
        for label in labels
    ]


def _is_large(path: str, layer: str | None, large_features: int | None, scheduler) -> bool:
    """Whether `path` is a plain file to measure by partitions (large, or a cluster given)."""
    if Path(path).suffix.lower() not in PARTITIONED_SUFFIXES:
        return False
    if scheduler is not None:
        return True
    if large_features is None or not Path(path).is_file():
        return False
    try:
        return feature_count(path, layer=layer) > large_features
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
        return False  # read_constraint_layer says what is wrong with it


def split_layer(raw: str) -> tuple[str, str | None]:
    """``"FILE.gpkg:LAYER"`` -> ``("FILE.gpkg", "LAYER")``; anything else -> ``(raw, None)``.

    Examples
    --------
    >>> split_layer("zones.gpkg:red"), split_layer("C:/data/zones.geojson")
    (('zones.gpkg', 'red'), ('C:/data/zones.geojson', None))
    """
    head, sep, tail = raw.rpartition(":")
    if sep and head.lower().endswith(".gpkg") and tail:
        return head, tail
    return raw, None


def _unique_label(label: str, taken: set[str]) -> str:
    """`label`, or `label_2`, `label_3`, … when taken already.

    Examples
    --------
    >>> _unique_label("red", {"red", "red_2"})
    'red_3'
    """
    number = 1
    while label in taken or (number > 1 and f"{label}_{number}" in taken):
        number += 1
        if f"{label}_{number}" not in taken:
            return f"{label}_{number}"
    return label
