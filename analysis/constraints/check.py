"""Constraint overlay: which plan features hit which constraint layers, by how much, how near.

For every placed plan feature (point, line or polygon) and every constraint layer (ecological red
line, nature reserve, water-source protection zone, …): does it intersect the layer, the overlap
(km² and % of a polygon's area, km and % of a line's length, in ``settings.equal_area_crs``), the
nearest distance (km, geodesic between the nearest points) and a severity: ``conflict`` when it
intersects, ``near`` when within the layer's ``buffer_km``, else ``clear``. A line or polygon
feature that only meets an all-polygon layer along its boundary (an overlap under
:data:`CONTACT_KM2` or :data:`CONTACT_KM`: neighbours sharing a border, as a prefecture-level
feature and a county's red line do) is ``near``, at 0 km, not in conflict. Unplaced features are
skipped and listed.

:func:`check_constraints` is the one entry point: it checks its inputs, measures every layer with
the array kernels of :mod:`longtu.analysis.constraints.overlay` (the features are projected once;
candidate pairs come from a :class:`shapely.STRtree` query with a predicate; every geometric
operation is vectorised) and assembles the report's tables. Reading files and writing the report
are in :mod:`longtu.analysis.constraints.report`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from longtu import settings
from longtu.analysis.constraints.extent import layer_notes, warnings_en, warnings_zh
from longtu.analysis.constraints.overlay import measure_layer, project, to_lonlat
from longtu.analysis.result import AnalysisResult
from longtu.errors import ConstraintInputError

__all__ = [
    "CATEGORIES",
    "LAND_COVER_GROUPS",
    "SEVERITIES",
    "ConstraintInputError",
    "ConstraintLayer",
    "check_constraints",
]

CATEGORIES: dict[str, tuple[str, str]] = {
    "ecological_red_line": ("生态保护红线", "Ecological protection red line"),
    "nature_reserve": ("自然保护区", "Nature reserve"),
    "water_source_protection": ("饮用水水源保护区", "Drinking-water source protection zone"),
    "floodplain": ("洪泛区", "Floodplain"),
    "river_buffer": ("河流缓冲带", "River buffer"),
    "plateau": ("青藏高原", "Tibetan Plateau"),
    "terrain": ("高海拔或陡坡", "High or steep terrain"),
    "land_cover": ("土地覆被类别", "Land-cover class"),
    "unspecified": ("未指定", "Unspecified"),
}
"""Known constraint categories: key -> (Chinese, English). Other text is kept as given."""

SEVERITIES: dict[str, str] = {"conflict": "冲突", "near": "邻近", "clear": "无冲突"}
"""Severity -> Chinese label, worst first."""

CONTACT_KM2, CONTACT_KM = 1e-6, 1e-3
"""Overlaps under 1 m² (a polygon feature) or 1 m (a line) with an all-polygon layer are contact
along a boundary, not a conflict."""

LAND_COVER_GROUPS: dict[str, tuple[int, ...]] = {
    "water": (0,),
    "wetland": (11,),
    "forest": (1, 2, 3, 4, 5),
    "cropland": (12, 14),
    "urban": (13,),
}
"""Named groups of IGBP classes (MODIS MCD12C1 legend, ``longtu.gis_data.rasters.IGBP_CLASSES``)."""

INFO_COLUMNS = ("name_zh", "name_en", "precision")
"""Feature columns copied into the report when present."""
NAME_COLUMNS = ("name_zh", "name", "NAME", "名称", "Name", "name_en")
"""Constraint columns that name a constraint (the first present is used)."""
MAX_NAMES = 10
"""Most constraint names listed per feature and layer."""

_ROUGH_NOTE = "示意位置（县/市代表点或示意线），非选址 / schematic location, not a site"


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
    placed = features.geometry[~missing]
    measures = _measure(placed, layers, progress)
    info = {c: features[c].to_numpy() for c in INFO_COLUMNS if c in features.columns}
    placed_info = {name: values[~missing] for name, values in info.items()}
    columns, position = _conflict_columns(keys[~missing], placed_info, layers, measures)
    worst = _worst_per_feature(columns, keys[~missing], placed_info)
    numbers: dict[str, float | int | str] = {
        "n_features": len(keys),
        "n_checked": len(placed),
        "n_unplaced": int(missing.sum()),
        "n_layers": len(layers),
        **{f"n_{s}": int((worst["severity"] == s).sum()) for s in SEVERITIES},
    }
    lonlat = placed.to_crs(settings.storage_crs).to_numpy()
    unplaced = {"feature_id": keys[missing], **{n: v[missing] for n, v in info.items()}}
    notes = layer_notes(layers)
    numbers["n_layer_warnings"] = int((notes["kind"] == "warning").sum())
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


def _conflict_columns(
    keys: np.ndarray,
    info: dict[str, np.ndarray],
    layers: list[ConstraintLayer],
    measures: list[dict[str, np.ndarray]],
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The ``conflicts`` columns (feature x layer, worst severity first, then by feature id).

    `keys` and `info` are those of the placed features. Also returns, for each row, the
    position of its feature among them.
    """
    per_layer = [
        _layer_columns(layer, _name_values(layer.frame), measured)
        for layer, measured in zip(layers, measures, strict=True)
    ]
    columns = {
        "feature_id": np.tile(keys, len(layers)),
        **{name: np.tile(values, len(layers)) for name, values in info.items()},
    }
    for name in per_layer[0]:
        columns[name] = np.concatenate([layer_columns[name] for layer_columns in per_layer])
    rank = np.vectorize(list(SEVERITIES).index, otypes=[np.int64])(columns["severity"])
    order = np.lexsort((columns["feature_id"], rank)) if len(rank) else np.arange(0)
    columns = {name: values[order] for name, values in columns.items()}
    if "precision" in info:
        rough = np.isin(columns["precision"], ["county", "prefecture", "schematic"])
        columns["location_note"] = np.where(rough, _ROUGH_NOTE, "").astype(object)
    return columns, np.tile(np.arange(len(keys)), len(layers))[order]


def _layer_columns(layer: ConstraintLayer, names: np.ndarray | None, m: dict) -> dict:
    """One row per placed feature for one layer (from :func:`measure_layer`)."""
    dimension, measure, distance_km = m["dimension"], m["measure"], m["distance_km"]
    n = len(dimension)
    hit = m["n_hits"] > 0
    contact = hit & _contact_only(layer, dimension, measure)
    severity = np.where(hit & ~contact, "conflict", "clear").astype(object)
    near = ~hit & (distance_km <= layer.buffer_km) & (layer.buffer_km > 0)
    severity[near | contact] = "near"
    category_zh = CATEGORIES.get(layer.category, (layer.category, ""))[0]
    return {
        "constraint_label": np.full(n, layer.label, dtype=object),
        "constraint_category": np.full(n, layer.category, dtype=object),
        "category_zh": np.full(n, category_zh, dtype=object),
        "buffer_km": np.full(n, float(layer.buffer_km)),
        "severity": severity,
        "severity_zh": np.array([SEVERITIES[s] for s in severity], dtype=object),
        "n_intersecting": m["n_hits"].astype(np.int64),
        "overlap_km2": np.where(dimension == 2, measure, np.nan),
        "overlap_length_km": np.where(dimension == 1, measure, np.nan),
        "overlap_pct": m["pct"],
        "distance_km": distance_km,
        "constraint_names": _names(_hit_names(names, m), m["rows"], n),
        "nearest_name": m.get("nearest_names", _nearest_names(names, m["nearest"])),
    }


def _contact_only(layer: ConstraintLayer, dimension: np.ndarray, measure: np.ndarray) -> np.ndarray:
    """Whether each feature's overlap with an all-polygon `layer` is only boundary contact.

    Examples
    --------
    >>> layer = ConstraintLayer(gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)]), "red")
    >>> _contact_only(layer, np.array([2, 2, 1, 0]), np.array([0.0, 5.0, 0.0, 0.0])).tolist()
    [True, False, True, False]
    """
    lowest = layer.geometry_dimension
    if lowest is None:
        dims = shapely.get_dimensions(layer.frame.geometry.dropna().to_numpy())
        lowest = int(dims.min()) if len(dims) else None
    if lowest != 2:  # a point or line constraint inside a polygon: no area, still a conflict
        return np.zeros(len(dimension), dtype=bool)
    floor = np.where(dimension == 2, CONTACT_KM2, CONTACT_KM)
    return (dimension >= 1) & (measure < floor)


def _name_values(frame: gpd.GeoDataFrame) -> np.ndarray | None:
    column = next((c for c in NAME_COLUMNS if c in frame.columns), None)
    return None if column is None else frame[column].astype(str).to_numpy()


def _hit_names(names: np.ndarray | None, m: dict) -> np.ndarray | None:
    """The name of the constraint of each hit pair (a partitioned layer brings its own)."""
    if "hit_names" in m:
        return m["hit_names"]
    return None if names is None else names[m["hits"]]


def _names(hit_names: np.ndarray | None, rows: np.ndarray, n: int) -> np.ndarray:
    """The distinct names of the constraints each feature touches, ";"-joined."""
    out = np.full(n, "", dtype=object)
    if hit_names is None or len(rows) == 0:
        return out
    found: dict[int, dict[str, None]] = {}
    for row, name in zip(rows.tolist(), hit_names.tolist(), strict=True):
        found.setdefault(row, {})[str(name)] = None
    for row, distinct in found.items():
        listed = list(distinct)
        extra = len(listed) - MAX_NAMES
        out[row] = ";".join(listed[:MAX_NAMES]) + (f";…(+{extra})" if extra > 0 else "")
    return out


def _nearest_names(names: np.ndarray | None, nearest: np.ndarray) -> np.ndarray:
    """The name of the nearest constraint of each feature that touches none ("" otherwise)."""
    out = np.full(len(nearest), "", dtype=object)
    if names is not None:
        found = nearest >= 0
        out[found] = names[nearest[found]]
    return out


def _worst_per_feature(columns: dict, keys: np.ndarray, info: dict) -> dict[str, np.ndarray]:
    """The first (worst) severity of each placed feature, and the layers in conflict and near."""
    worst: dict[str, str] = {}
    hit: dict[str, dict[str, list[str]]] = {"conflict": {}, "near": {}}
    for key, severity, label in zip(
        columns["feature_id"].tolist(),
        columns["severity"].tolist(),
        columns["constraint_label"].tolist(),
        strict=True,
    ):
        worst.setdefault(key, severity)
        if severity in hit:
            hit[severity].setdefault(key, []).append(label)
    severity = np.array([worst.get(k) for k in keys.tolist()], dtype=object)
    return {
        "feature_id": keys,
        **info,
        "severity": severity,
        "layers_conflict": _joined(hit["conflict"], keys),
        "layers_near": _joined(hit["near"], keys),
        "severity_zh": np.array([SEVERITIES.get(s) for s in severity], dtype=object),
    }


def _joined(labels: dict[str, list[str]], keys: np.ndarray) -> np.ndarray:
    return np.array([";".join(labels.get(k, [])) for k in keys.tolist()], dtype=object)


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
    return (
        f"{n['n_checked']} placed plan features checked against {n['n_layers']} constraint "
        f"layers: {n['n_conflict']} in conflict, {n['n_near']} near, {n['n_clear']} clear; "
        f"{n['n_unplaced']} unplaced features not checked."
    )


def _parameters(layers: list[ConstraintLayer]) -> dict[str, object]:
    return {
        "layers": [
            {"label": x.label, "category": x.category, "buffer_km": x.buffer_km, "source": x.source}
            for x in layers
        ],
        "area_crs": settings.equal_area_crs,
        "distance": "geodesic (WGS84) between the nearest points found in the equal-area CRS",
    }
