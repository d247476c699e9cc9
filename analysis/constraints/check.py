"""Constraint overlay: which plan features hit which constraint layers, by how much, how near.

For every placed plan feature (point, line or polygon) and every constraint layer (ecological red
line, nature reserve, water-source protection zone, …): does it intersect the layer, the overlap
(km² and % of a polygon's area, km and % of a line's length, in ``settings.equal_area_crs``), the
nearest distance (km, geodesic between the nearest points) and a severity: ``conflict`` when it
intersects, ``near`` when within the layer's ``buffer_km``, else ``clear``. A line or polygon
feature that only meets an all-polygon layer along its boundary (an overlap under
:data:`~.conflict_rows.CONTACT_KM2` or :data:`~.conflict_rows.CONTACT_KM`: neighbours sharing a
border, as a prefecture-level feature and a county's red line do) is ``near``, at 0 km, not in
conflict. Unplaced features are skipped and listed.

:func:`check_constraints` is the one entry point: it checks its inputs, measures every layer with
the array kernels of :mod:`longtu.analysis.constraints.overlay` (the features are projected once;
candidate pairs come from a :class:`shapely.STRtree` query with a predicate; every geometric
operation is vectorised) and assembles the report's tables, whose rows
:mod:`longtu.analysis.constraints.conflict_rows` builds (with the vocabularies). Reading files
and writing the report are in :mod:`longtu.analysis.constraints.report`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from longtu import settings
from longtu.analysis.constraints.conflict_rows import (
    CATEGORIES,
    SEVERITIES,
    conflict_columns,
    worst_per_feature,
)
from longtu.analysis.constraints.conflict_rows import (  # re-exported: layer_files reads it here
    NAME_COLUMNS as NAME_COLUMNS,
)
from longtu.analysis.constraints.extent import layer_notes, warnings_en, warnings_zh
from longtu.analysis.constraints.overlay import measure_layer, project, to_lonlat
from longtu.analysis.result import AnalysisResult
from longtu.errors import ConstraintInputError

__all__ = [
    "CATEGORIES",
    "LAND_COVER_GROUPS",
    "LAND_COVER_GROUP_WORDS",
    "SEVERITIES",
    "ConstraintInputError",
    "ConstraintLayer",
    "check_constraints",
]

LAND_COVER_GROUPS: dict[str, tuple[int, ...]] = {
    "water": (0,),
    "wetland": (11,),
    "forest": (1, 2, 3, 4, 5),
    "cropland": (12, 14),
    "urban": (13,),
}
"""Named groups of IGBP classes (MODIS MCD12C1 legend, ``longtu.gis_data.rasters.IGBP_CLASSES``)."""
LAND_COVER_GROUP_WORDS: dict[str, tuple[str, str]] = {
    "water": ("水体", "water"),
    "wetland": ("湿地", "wetland"),
    "forest": ("森林", "forest"),
    "cropland": ("农田", "cropland"),
    "urban": ("城镇建设用地", "urban and built-up"),
}
"""The groups of :data:`LAND_COVER_GROUPS` in words (Chinese, English)."""

INFO_COLUMNS = ("name_zh", "name_en", "precision")
"""Feature columns copied into the report when present."""


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
    geometry_dimension : int or None
        The lowest dimension of its geometries (2: polygons only), for a layer whose `frame`
        is empty; None: taken from `frame`.
    measurer : callable or None
        For a layer too large to hold (``frame`` is then empty):
        ``measurer(projected, features)`` measures the features (equal-area array, GeoSeries)
        as :func:`~longtu.analysis.constraints.overlay.measure_layer` does, by partitions
        (:func:`longtu.analysis.constraints.large.large_constraint_layer`).
    """

    frame: gpd.GeoDataFrame
    label: str
    category: str = "unspecified"
    buffer_km: float = 0.0
    source: str = ""
    report: dict[str, object] = field(default_factory=dict)
    geometry_dimension: int | None = None
    measurer: Callable[[np.ndarray, gpd.GeoSeries], dict[str, np.ndarray]] | None = None


def check_constraints(
    features: gpd.GeoDataFrame,
    constraints: Sequence[ConstraintLayer] | Mapping[str, gpd.GeoDataFrame],
    *,
    id_column: str | None = None,
    progress: Callable[[int, int], None] | None = None,
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
    progress
        Told ``(layers measured, layers)`` after each layer (e.g. a progress bar).

    Returns
    -------
    AnalysisResult
        Tables ``conflicts`` (GeoDataFrame, one row per feature and layer, worst severity first,
        the feature's geometry; ``constraint_names`` names the constraints it intersects and
        ``nearest_name`` the nearest one when it intersects none, from the layer's first name
        column of :data:`NAME_COLUMNS`), ``features`` (worst severity per feature), ``overlaps``
        (overlap geometries), ``unplaced`` and ``conflicts_table`` (``conflicts`` without its
        geometry, CSV-ready); geometries in EPSG:4326. ``numbers`` holds ``n_features``,
        ``n_checked``, ``n_unplaced``, ``n_layers``, ``n_conflict``, ``n_near`` and ``n_clear``;
        ``parameters`` the layers checked and how things were measured.

    Examples
    --------
    >>> import shapely
    >>> plan = gpd.GeoDataFrame({"feature_id": ["a", "b"]}, crs=4326,
    ...     geometry=[shapely.box(103.0, 36.0, 103.2, 36.2), shapely.Point(104.0, 36.1)])
    >>> red = ConstraintLayer(gpd.GeoDataFrame(geometry=[shapely.box(103.1, 35.9, 103.5, 36.3)],
    ...     crs=4326), "red_line", buffer_km=50)
    >>> result = check_constraints(plan, [red])
    >>> table = result.tables["conflicts_table"]
    >>> table[["feature_id", "severity"]].to_numpy().tolist()
    [['a', 'conflict'], ['b', 'near']]
    >>> round(table["overlap_pct"].iloc[0])
    50
    >>> result.numbers["n_conflict"], result.numbers["n_near"], result.numbers["n_unplaced"]
    (1, 1, 0)
    """
    layers = _as_layers(constraints)
    _check_inputs(features, layers)
    keys = _feature_keys(features, id_column)  # refuses repeated ids before measuring
    missing = _missing(features)
    measures = _measure(features.geometry[~missing], layers, progress)
    return _assemble(features, layers, keys, missing, measures)


def _assemble(
    features: gpd.GeoDataFrame,
    layers: list[ConstraintLayer],
    keys: np.ndarray,
    missing: np.ndarray,
    measures: list[dict[str, np.ndarray]],
) -> AnalysisResult:
    """The result of :func:`check_constraints` from the layers' measures of the placed features."""
    placed = features.geometry[~missing]
    info = {c: features[c].to_numpy() for c in INFO_COLUMNS if c in features.columns}
    placed_info = {name: values[~missing] for name, values in info.items()}
    columns, position = conflict_columns(keys[~missing], placed_info, layers, measures)
    worst = worst_per_feature(columns, keys[~missing], placed_info)
    notes = layer_notes(layers)
    numbers = _numbers(keys, missing, layers, worst, notes)
    lonlat = placed.to_crs(settings.storage_crs).to_numpy()
    unplaced = {"feature_id": keys[missing], **{n: v[missing] for n, v in info.items()}}
    return AnalysisResult(
        name="constraints",
        summary_zh=_summary_zh(numbers) + warnings_zh(notes),
        summary_en=_summary_en(numbers) + warnings_en(notes),
        numbers=numbers,
        tables={
            "conflicts": _geoframe(columns, lonlat[position]),
            "features": _geoframe(worst, lonlat),
            "overlaps": _overlaps(layers, measures, keys[~missing]),
            "unplaced": pd.DataFrame(unplaced),
            "conflicts_table": pd.DataFrame(columns),
            "layer_notes": notes,
        },
        parameters=_parameters(layers),
    )


def _numbers(
    keys: np.ndarray,
    missing: np.ndarray,
    layers: list[ConstraintLayer],
    worst: dict[str, np.ndarray],
    notes: pd.DataFrame,
) -> dict[str, float | int | str]:
    """The counts of the result: features, layers, severities and layer warnings."""
    return {
        "n_features": len(keys),
        "n_checked": int((~missing).sum()),
        "n_unplaced": int(missing.sum()),
        "n_layers": len(layers),
        **{f"n_{s}": int((worst["severity"] == s).sum()) for s in SEVERITIES},
        "n_layer_warnings": int((notes["kind"] == "warning").sum()),
    }


def _as_layers(constraints) -> list[ConstraintLayer]:
    if isinstance(constraints, Mapping):
        constraints = [ConstraintLayer(frame, str(label)) for label, frame in constraints.items()]
    layers = list(constraints)
    labels = [layer.label for layer in layers]
    if not layers or len(set(labels)) != len(labels):
        raise ConstraintInputError(
            f"`constraints` must be one or more layers with unique labels; got {labels}.",
            zh=f"约束图层须至少一个，且名称互不相同；现为：{'、'.join(map(str, labels)) or '无'}。",
        )
    return layers


def _check_inputs(features: gpd.GeoDataFrame, layers: list[ConstraintLayer]) -> None:
    if not isinstance(features, gpd.GeoDataFrame) or features.crs is None:
        raise ConstraintInputError(
            "`features` must be a GeoDataFrame with a CRS; set one with `features.set_crs(...)`.",
            zh="要检查的要素须是注明坐标系的地理数据；请先为其设定坐标系。",
        )
    for layer in layers:
        if layer.frame.crs is None:
            raise ConstraintInputError(
                f"`constraints` layer `{layer.label}` has no CRS; set it with "
                "`frame.set_crs(...)` (or read it with `read_constraint_layer`).",
                zh=f"约束图层 {layer.label} 未注明坐标系；请在 GIS 中补上坐标系（.prj）。",
            )
        if layer.buffer_km < 0 or not np.isfinite(layer.buffer_km):
            raise ConstraintInputError(
                f"`buffer_km` of layer `{layer.label}` is {layer.buffer_km}; give a distance ≥ 0.",
                zh=f"图层 {layer.label} 的缓冲距离为 {layer.buffer_km} km；请给出不小于 0 的距离。",
            )


def _feature_keys(features: gpd.GeoDataFrame, id_column: str | None) -> np.ndarray:
    if id_column is not None and id_column not in features.columns:
        raise ConstraintInputError(
            f"`id_column` `{id_column}` is not a column of `features`.",
            zh=f"要检查的要素中没有编号列 {id_column}；请选用其中已有的列。",
        )
    column = id_column or next((c for c in ("feature_id", "adcode") if c in features), None)
    keys = np.asarray(features.index if column is None else features[column]).astype(str)
    if len(set(keys)) != len(keys):
        raise ConstraintInputError(
            f"`features` ids in `{column or 'index'}` are not unique; pass a unique `id_column`.",
            zh=f"要检查的要素的编号（{f'{column} 列' if column else '行号'}）有重复；"
            "请选用每个要素各不相同的编号列。",
        )
    return keys


def _missing(features: gpd.GeoDataFrame) -> np.ndarray:
    return features.geometry.isna().to_numpy() | features.geometry.is_empty.to_numpy()


def _measure(
    placed: gpd.GeoSeries, layers: list[ConstraintLayer], progress=None
) -> list[dict[str, np.ndarray]]:
    """:func:`~longtu.analysis.constraints.overlay.measure_layer` of the placed features, per layer.

    The features are projected to the equal-area CRS once; each layer is overlaid in its own CRS.
    """
    projected = project(placed.to_numpy(), placed.crs)
    shapely.prepare(projected)
    with np.errstate(invalid="ignore", over="ignore"):  # a layer outside the CRS's domain:
        return _measure_each(projected, placed, layers, progress)  # layer_notes warns of it


def _measure_each(
    projected: np.ndarray, placed: gpd.GeoSeries, layers: list[ConstraintLayer], progress
) -> list[dict[str, np.ndarray]]:
    measures = []
    for done, layer in enumerate(layers, start=1):
        measures.append(_measure_one(projected, placed, layer))
        if progress is not None:
            progress(done, len(layers))
    return measures


def _measure_one(
    projected: np.ndarray, placed: gpd.GeoSeries, layer: ConstraintLayer
) -> dict[str, np.ndarray]:
    if layer.measurer is not None:
        return layer.measurer(projected, placed)
    try:
        return measure_layer(
            projected,
            placed.to_crs(layer.frame.crs).to_numpy(),
            layer.frame.geometry.to_numpy(),
            layer.frame.crs,
            valid="n_repaired" in layer.report,  # the readers repaired it already
        )
    except shapely.errors.GEOSException as error:
        notes = layer_notes([layer])
        why = "; ".join(notes.loc[notes["kind"] == "warning", "note"]) or "check its coordinates"
        far = "它与甘肃省不重叠；" if (notes["kind"] == "warning").any() else ""
        raise ConstraintInputError(
            f"`constraints` layer `{layer.label}` cannot be measured ({error}): {why}",
            zh=f"约束图层 {layer.label} 无法量算（几何或坐标有误）；{far}请检查其坐标与坐标系。",
        ) from None


def _overlaps(layers, measures, keys: np.ndarray) -> gpd.GeoDataFrame:
    """The overlap geometry of every placed feature and layer that overlap, in EPSG:4326."""
    ids, labels, pieces = [], [], []
    for layer, m in zip(layers, measures, strict=True):
        keep = np.flatnonzero(~shapely.is_missing(m["pieces"]) & (m["dimension"] > 0))
        ids.append(keys[keep])
        labels.append(np.full(len(keep), layer.label, dtype=object))
        pieces.append(to_lonlat(m["pieces"][keep], m["crs"]))
    columns = {"feature_id": np.concatenate(ids), "constraint_label": np.concatenate(labels)}
    return _geoframe(columns, np.concatenate(pieces))


def _geoframe(columns: dict[str, np.ndarray], geometry: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(columns), geometry=geometry, crs=settings.storage_crs)


def _summary_zh(n: dict) -> str:
    return (
        f"{n['n_checked']} 个已落位规划要素对照 {n['n_layers']} 个约束图层："
        f"{n['n_conflict']} 个冲突，{n['n_near']} 个邻近，{n['n_clear']} 个无冲突；"
        f"{n['n_unplaced']} 个未落位要素未检查。"
    )


def _summary_en(n: dict) -> str:
    """The English summary, its nouns in the singular for one.

    Examples
    --------
    >>> counts = dict(n_checked=1, n_layers=1, n_conflict=1, n_near=0, n_clear=0, n_unplaced=2)
    >>> _summary_en(counts).split(": ")[0]
    '1 placed plan feature checked against 1 constraint layer'
    >>> _summary_en(counts).split("; ")[1]
    '2 unplaced features not checked.'
    """
    return (
        f"{_counted(n['n_checked'], 'placed plan feature')} checked against "
        f"{_counted(n['n_layers'], 'constraint layer')}: {n['n_conflict']} in conflict, "
        f"{n['n_near']} near, {n['n_clear']} clear; "
        f"{_counted(n['n_unplaced'], 'unplaced feature')} not checked."
    )


def _counted(count: int, noun: str) -> str:
    """``"1 constraint layer"``, ``"2 constraint layers"``."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _parameters(layers: list[ConstraintLayer]) -> dict[str, object]:
    return {
        "layers": [
            {"label": x.label, "category": x.category, "buffer_km": x.buffer_km, "source": x.source}
            for x in layers
        ],
        "area_crs": settings.equal_area_crs,
        "distance": "geodesic (WGS84) between the nearest points found in the equal-area CRS",
    }
