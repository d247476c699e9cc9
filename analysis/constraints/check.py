"""Constraint overlay: which plan features hit which constraint layers, by how much, how near.

For every placed plan feature (point, line or polygon) and every constraint layer (ecological red
line, nature reserve, water-source protection zone, …): does it intersect the layer, the overlap
(km² and % of a polygon's area, km and % of a line's length, in ``settings.equal_area_crs``), the
nearest distance (km, geodesic between the nearest points) and a severity: ``conflict`` when it
intersects, ``near`` when within the layer's ``buffer_km``, else ``clear``. Unplaced features are
skipped and listed. Both inputs are projected once; candidate pairs come from a
:class:`shapely.STRtree` query with a predicate, and every geometric operation is vectorised.

:func:`builtin_constraints` builds candidate layers from the bundled real data; the user picks
every threshold (no default width, height or slope is assumed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from longtu.analysis.constraints.overlay import measure_layer, project
from longtu.analysis.constraints.table import (
    CATEGORIES,
    INFO_COLUMNS,
    NAME_COLUMNS,
    SEVERITIES,
    ConflictTables,
    Table,
    assemble_tables,
    check_buffer,
)
from longtu.analysis.result import AnalysisResult

__all__ = [
    "CATEGORIES",
    "LAND_COVER_GROUPS",
    "SEVERITIES",
    "ConstraintInputError",
    "ConstraintLayer",
    "check_constraints",
    "conflict_tables",
    "measure_all",
    "result_from_tables",
]

LAND_COVER_GROUPS: dict[str, tuple[int, ...]] = {
    "water": (0,),
    "wetland": (11,),
    "forest": (1, 2, 3, 4, 5),
    "cropland": (12, 14),
    "urban": (13,),
}
"""Named groups of IGBP classes (MODIS MCD12C1 legend, ``longtu.gis_data.rasters.IGBP_CLASSES``)."""


class ConstraintInputError(ValueError):
    """Inputs the overlay cannot use; the message names the argument and the fix."""


@dataclass
class ConstraintLayer:
    """One constraint layer with what it means.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        The constraint geometries (any CRS; the readers return EPSG:4326).
    label : str
        Name in reports (unique among the layers checked together).
    category : str
        A key of :data:`CATEGORIES` or free text.
    buffer_km : float
        Features within this distance (km) of the layer are ``near``.
    source : str
        File or dataset it came from.
    report : dict
        What the reader repaired (see :func:`longtu.analysis.io.vector.read_vector_file`).
    """

    frame: gpd.GeoDataFrame
    label: str
    category: str = "unspecified"
    buffer_km: float = 0.0
    source: str = ""
    report: dict[str, object] = field(default_factory=dict)


def check_constraints(
    features: gpd.GeoDataFrame,
    constraints: Sequence[ConstraintLayer] | Mapping[str, gpd.GeoDataFrame],
    *,
    id_column: str | None = None,
) -> AnalysisResult:
    """Check every plan feature against every constraint layer.

    Parameters
    ----------
    features
        Plan features with a CRS; rows with no geometry (``precision == "unplaced"``) are skipped
        and listed in the ``unplaced`` table.
    constraints
        :class:`ConstraintLayer` objects, or a mapping label -> GeoDataFrame (no buffer).
    id_column
        Column identifying a feature; default ``feature_id``, else ``adcode``, else the index.

    Returns
    -------
    AnalysisResult
        Tables ``conflicts`` (GeoDataFrame, one row per feature and layer, the feature's
        geometry), ``conflicts_table`` (the same, CSV-ready), ``features`` (worst severity per
        feature), ``overlaps`` (overlap geometries) and ``unplaced``.

    Examples
    --------
    >>> import shapely
    >>> plan = gpd.GeoDataFrame({"feature_id": ["a", "b"]}, crs=4326,
    ...     geometry=[shapely.box(103.0, 36.0, 103.2, 36.2), shapely.Point(104.0, 36.1)])
    >>> red = ConstraintLayer(gpd.GeoDataFrame(geometry=[shapely.box(103.1, 35.9, 103.5, 36.3)],
    ...     crs=4326), "red_line", buffer_km=50)
    >>> table = check_constraints(plan, [red]).tables["conflicts_table"]
    >>> table[["feature_id", "severity"]].to_numpy().tolist()
    [['a', 'conflict'], ['b', 'near']]
    >>> round(table["overlap_pct"].iloc[0])
    50
    """
    layers = _as_layers(constraints)
    _check_inputs(features, layers)
    _feature_keys(features, id_column)  # refuse repeated ids before measuring
    return result_from_tables(
        conflict_tables(features, layers, measure_all(features, layers), id_column=id_column)
    )


def measure_all(
    features: gpd.GeoDataFrame, constraints: Sequence[ConstraintLayer]
) -> list[dict[str, np.ndarray]]:
    """:func:`~longtu.analysis.constraints.overlay.measure_layer` of the placed features, per layer.

    Examples
    --------
    >>> import shapely
    >>> plan = gpd.GeoDataFrame(geometry=[shapely.box(104, 36, 104.1, 36.1)], crs=4326)
    >>> red = ConstraintLayer(plan.copy(), "r")
    >>> [float(m["pct"][0]) for m in measure_all(plan, [red])]
    [100.0]
    """
    layers = _as_layers(constraints)
    _check_inputs(features, layers)
    placed = features.geometry[~_missing(features)]
    projected = project(placed.to_numpy(), features.crs)
    shapely.prepare(projected)
    return [
        measure_layer(
            projected,
            placed.to_crs(layer.frame.crs).to_numpy(),
            layer.frame.geometry.to_numpy(),
            layer.frame.crs,
        )
        for layer in layers
    ]


def conflict_tables(
    features: gpd.GeoDataFrame,
    constraints: Sequence[ConstraintLayer],
    measures: Sequence[dict[str, np.ndarray]],
    *,
    id_column: str | None = None,
) -> ConflictTables:
    """The report's plain tables (no pandas) from measures made beforehand.

    `measures` holds, for each layer,
    :func:`~longtu.analysis.constraints.overlay.measure_layer` of the placed features (those
    with a non-empty geometry, in order), as :func:`measure_all` makes them;
    :func:`result_from_tables` wraps the tables as :func:`check_constraints` returns them.

    Examples
    --------
    >>> import shapely
    >>> plan = gpd.GeoDataFrame({"feature_id": ["a"]}, geometry=[shapely.Point(104, 36)], crs=4326)
    >>> red = ConstraintLayer(gpd.GeoDataFrame(geometry=[shapely.Point(104, 36.1)], crs=4326), "r")
    >>> m = measure_layer(project(plan.geometry.to_numpy(), 4326), plan.geometry.to_numpy(),
    ...     red.frame.geometry.to_numpy(), 4326)
    >>> conflict_tables(plan, [red], [m]).tables["features"].columns["severity"].tolist()
    ['clear']
    """
    layers = _as_layers(constraints)
    _check_inputs(features, layers)
    keys = _feature_keys(features, id_column)
    missing = _missing(features)
    info = {c: features[c].to_numpy() for c in INFO_COLUMNS if c in features.columns}
    lonlat = features.geometry[~missing].to_crs("EPSG:4326").to_numpy()
    names = [_name_values(layer.frame) for layer in layers]
    return assemble_tables(keys, info, missing, lonlat, layers, names, measures)


def result_from_tables(tables: ConflictTables) -> AnalysisResult:
    """The :class:`AnalysisResult` of a check from its pandas-free tables.

    Examples
    --------
    >>> import shapely
    >>> plan = gpd.GeoDataFrame({"feature_id": ["a"]}, geometry=[shapely.Point(104, 36)], crs=4326)
    >>> red = ConstraintLayer(gpd.GeoDataFrame(geometry=[shapely.Point(104, 36.1)], crs=4326), "r")
    >>> sorted(check_constraints(plan, [red]).tables)
    ['conflicts', 'conflicts_table', 'features', 'overlaps', 'unplaced']
    """
    frames = {name: _frame(table) for name, table in tables.tables.items()}
    frames["conflicts_table"] = pd.DataFrame(tables.tables["conflicts"].columns)
    return AnalysisResult(
        name="constraints",
        summary_zh=tables.summary_zh,
        summary_en=tables.summary_en,
        numbers=dict(tables.numbers),
        tables=frames,
        parameters=tables.parameters,
    )


def _frame(table: Table) -> pd.DataFrame:
    frame = pd.DataFrame(table.columns)
    if table.geometry is None:
        return frame
    return gpd.GeoDataFrame(frame, geometry=table.geometry, crs="EPSG:4326")


def _name_values(frame: gpd.GeoDataFrame) -> np.ndarray | None:
    column = next((c for c in NAME_COLUMNS if c in frame.columns), None)
    return None if column is None else frame[column].astype(str).to_numpy()


def _missing(features: gpd.GeoDataFrame) -> np.ndarray:
    return features.geometry.isna().to_numpy() | features.geometry.is_empty.to_numpy()


def _as_layers(constraints) -> list[ConstraintLayer]:
    if isinstance(constraints, Mapping):
        constraints = [ConstraintLayer(frame, str(label)) for label, frame in constraints.items()]
    layers = list(constraints)
    labels = [layer.label for layer in layers]
    if not layers or len(set(labels)) != len(labels):
        raise ConstraintInputError(
            f"`constraints` must be one or more layers with unique labels; got {labels}."
        )
    return layers


def _check_inputs(features: gpd.GeoDataFrame, layers: list[ConstraintLayer]) -> None:
    if not isinstance(features, gpd.GeoDataFrame) or features.crs is None:
        raise ConstraintInputError(
            "`features` must be a GeoDataFrame with a CRS; set one with `features.set_crs(...)`."
        )
    for layer in layers:
        if layer.frame.crs is None:
            raise ConstraintInputError(
                f"`constraints` layer `{layer.label}` has no CRS; set it with "
                "`frame.set_crs(...)` (or read it with `read_constraint_layer`)."
            )
        try:
            check_buffer(layer.label, layer.buffer_km)
        except ValueError as error:
            raise ConstraintInputError(str(error)) from None


def _feature_keys(features: gpd.GeoDataFrame, id_column: str | None) -> np.ndarray:
    if id_column is not None and id_column not in features.columns:
        raise ConstraintInputError(f"`id_column` `{id_column}` is not a column of `features`.")
    column = id_column or next((c for c in ("feature_id", "adcode") if c in features), None)
    keys = np.asarray(features.index if column is None else features[column]).astype(str)
    if len(set(keys)) != len(keys):
        raise ConstraintInputError(
            f"`features` ids in `{column or 'index'}` are not unique; pass a unique `id_column`."
        )
    return keys
