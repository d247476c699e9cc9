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
from pyproj import CRS, Geod, Transformer

from analysis._result import AnalysisResult
from gis_data import settings

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

LAND_COVER_GROUPS: dict[str, tuple[int, ...]] = {
    "water": (0,),
    "wetland": (11,),
    "forest": (1, 2, 3, 4, 5),
    "cropland": (12, 14),
    "urban": (13,),
}
"""Named groups of IGBP classes (MODIS MCD12C1 legend, ``gis_data.rasters.IGBP_CLASSES``)."""

_NAME_COLUMNS = ("name_zh", "name", "NAME", "名称", "Name", "name_en")
_GEOD = Geod(ellps="WGS84")
_ROUGH_NOTE = "示意位置（县/市代表点或示意线），非选址 / schematic location, not a site"


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
        What the reader repaired (see :func:`analysis.constraint_io.read_vector_file`).
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
    keys = _feature_keys(features, id_column)
    missing = features.geometry.isna().to_numpy() | features.geometry.is_empty.to_numpy()
    placed = features[~missing]
    projected = _project(placed.geometry.to_numpy(), features.crs)
    shapely.prepare(projected)
    frames, overlaps = [], []
    for layer in layers:
        table, overlap = _check_layer(placed.geometry, projected, layer)
        frames.append(table.assign(feature_id=keys[~missing]))
        overlaps.append(overlap.assign(feature_id=keys[~missing][overlap["row"]]))
    return _assemble(features, keys, missing, layers, frames, overlaps)


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
        if layer.buffer_km < 0 or not np.isfinite(layer.buffer_km):
            raise ConstraintInputError(
                f"`buffer_km` of layer `{layer.label}` is {layer.buffer_km}; give a distance ≥ 0."
            )


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


def _check_layer(
    features: gpd.GeoSeries, projected: np.ndarray, layer: ConstraintLayer
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Overlay the features on one layer: one row per feature, plus the overlap geometries."""
    frame = layer.frame[~(layer.frame.geometry.isna() | layer.frame.geometry.is_empty)]
    own = frame.geometry.to_numpy()
    tree = shapely.STRtree(own)
    # Candidate pairs in the layer's own CRS (a topological test), then measures in equal area:
    # only the constraints that touch a feature are projected.
    rows, hits = tree.query(features.to_crs(frame.crs).to_numpy(), predicate="intersects")
    used, hits = np.unique(hits, return_inverse=True)
    constraint = _project(own[used], frame.crs)
    n_hits = np.bincount(rows, minlength=len(projected))
    measure, pieces = _overlaps(projected, constraint, rows, hits)
    dimension = shapely.get_dimensions(projected)
    whole = np.where(dimension == 2, shapely.area(projected) / 1e6, shapely.length(projected) / 1e3)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(dimension > 0, 100 * measure / whole, np.nan)
    distance_km = _nearest_km(projected, own, frame.crs, n_hits)
    severity = np.where(n_hits > 0, "conflict", "clear").astype(object)
    severity[(n_hits == 0) & (distance_km <= layer.buffer_km) & (layer.buffer_km > 0)] = "near"
    table = pd.DataFrame(
        {
            "constraint_label": layer.label,
            "constraint_category": layer.category,
            "category_zh": CATEGORIES.get(layer.category, (layer.category, ""))[0],
            "buffer_km": layer.buffer_km,
            "severity": severity,
            "severity_zh": pd.Series(severity).map(SEVERITIES).to_numpy(),
            "n_intersecting": n_hits,
            "overlap_km2": np.where(dimension == 2, measure, np.nan),
            "overlap_length_km": np.where(dimension == 1, measure, np.nan),
            "overlap_pct": pct,
            "distance_km": distance_km,
            "constraint_names": _names(frame, rows, used[hits], len(projected)),
        }
    )
    keep = np.flatnonzero(~shapely.is_missing(pieces) & (dimension > 0))
    return table, pd.DataFrame({"row": keep, "geometry": pieces[keep], "label": layer.label})


def _project(geometries: np.ndarray, crs) -> np.ndarray:
    """To the equal-area CRS; geometry invalid there (bow-ties, …) is repaired on the copy."""
    projected = gpd.GeoSeries(geometries, crs=crs).to_crs(settings.equal_area_crs).to_numpy()
    invalid = ~shapely.is_valid(projected)
    projected[invalid] = shapely.make_valid(projected[invalid])
    return projected


def _overlaps(projected, constraint, rows, hits) -> tuple[np.ndarray, np.ndarray]:
    """Overlap measure (km² or km) and geometry of each feature with the union of the layer.

    Touching constraints are grouped into clusters and each cluster is merged once (pairwise,
    vectorised); separate clusters never overlap, so their overlaps simply add up.
    """
    n = len(projected)
    cluster = _clusters(constraint)
    unions = _union_groups(constraint, cluster)
    pair = np.unique(rows.astype(np.int64) * len(unions) + cluster[hits])
    prow, pcl = pair // len(unions), pair % len(unions)
    inside = shapely.contains_properly(projected[prow], unions[pcl])
    pieces = unions[pcl].copy()
    pieces[~inside] = shapely.intersection(projected[prow[~inside]], unions[pcl[~inside]])
    dimension = shapely.get_dimensions(projected)[prow]
    size = np.where(dimension == 2, shapely.area(pieces) / 1e6, shapely.length(pieces) / 1e3)
    measure = np.bincount(prow, weights=size, minlength=n)
    parts, index = shapely.get_parts(pieces, return_index=True)
    keep = shapely.get_dimensions(parts) == dimension[index]
    parts, owner = parts[keep], prow[index[keep]]
    out = np.full(n, None, dtype=object)
    for dim, build in ((2, shapely.multipolygons), (1, shapely.multilinestrings)):
        mine = shapely.get_dimensions(projected)[owner] == dim
        if mine.any():
            ids, compact = np.unique(owner[mine], return_inverse=True)
            out[ids] = build(parts[mine], indices=compact)
    return measure, out


def _clusters(geometries: np.ndarray) -> np.ndarray:
    """Label of each geometry's connected group of geometries whose boxes overlap (0..k-1)."""
    left, right = shapely.STRtree(geometries).query(geometries)
    label = np.arange(len(geometries))
    while True:
        new = label.copy()
        np.minimum.at(new, left, label[right])
        new = new[new]
        if np.array_equal(new, label):
            return np.unique(label, return_inverse=True)[1]
        label = new


def _union_groups(geometries: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Union of the geometries of each group 0..k-1, merged pairwise in vectorised rounds."""
    # West to east within a group, so that neighbours (likely overlapping) merge first.
    order = np.lexsort((shapely.bounds(geometries)[:, 0], group))
    geometries, group = geometries[order], group[order]
    while len(group) and (group[1:] == group[:-1]).any():
        index = np.arange(len(group))
        start = np.r_[True, group[1:] != group[:-1]]
        position = index - np.maximum.accumulate(np.where(start, index, 0))
        even = position % 2 == 0
        merge = np.flatnonzero(even & np.r_[group[1:] == group[:-1], False])
        geometries = geometries.copy()
        geometries[merge] = shapely.union(geometries[merge], geometries[merge + 1])
        geometries, group = geometries[even], group[even]
    return geometries


def _nearest_km(projected, own, crs, n_hits) -> np.ndarray:
    """Geodesic distance (km) between each feature and its nearest constraint; 0 when touching."""
    distance_km = np.zeros(len(projected))
    apart = np.flatnonzero(n_hits == 0)
    distance_km[apart] = np.nan  # stays unknown when the layer has no geometry at all
    if len(apart) == 0:
        return distance_km
    constraint = _project(own, crs)
    rows, nearest = shapely.STRtree(constraint).query_nearest(projected[apart])
    lines = shapely.shortest_line(projected[apart[rows]], constraint[nearest])
    xy = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    to_lonlat = Transformer.from_crs(CRS(settings.equal_area_crs), "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(xy[:, :, 0], xy[:, :, 1])
    metres = _GEOD.inv(lon[:, 0], lat[:, 0], lon[:, 1], lat[:, 1])[2]
    distance_km[apart[rows]] = np.asarray(metres) / 1e3
    return distance_km


def _names(frame: gpd.GeoDataFrame, rows, hits, n: int) -> np.ndarray:
    column = next((c for c in _NAME_COLUMNS if c in frame.columns), None)
    out = np.full(n, "", dtype=object)
    if column is None or len(rows) == 0:
        return out
    pairs = pd.DataFrame({"row": rows, "name": frame[column].astype(str).to_numpy()[hits]})
    joined = (
        pairs.drop_duplicates()
        .groupby("row")["name"]
        .agg(lambda s: ";".join(s.iloc[:10]) + (f";…(+{len(s) - 10})" if len(s) > 10 else ""))
    )
    out[joined.index.to_numpy()] = joined.to_numpy()
    return out


def _assemble(features, keys, missing, layers, frames, overlaps) -> AnalysisResult:
    names = [c for c in ("name_zh", "name_en", "precision") if c in features.columns]
    info = pd.DataFrame({"feature_id": keys}).join(features[names].reset_index(drop=True))
    lonlat = features.geometry[~missing].to_crs("EPSG:4326").to_numpy()
    table = pd.concat(frames, ignore_index=True).merge(info, on="feature_id", how="left")
    table = table[["feature_id", *names, *[c for c in frames[0] if c != "feature_id"]]]
    rank = table["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    order = np.lexsort((table["feature_id"].to_numpy(), rank.to_numpy()))
    table = table.iloc[order].reset_index(drop=True)
    if "precision" in table:
        rough = table["precision"].isin(["county", "prefecture", "schematic"])
        table["location_note"] = np.where(rough, _ROUGH_NOTE, "")
    where = pd.Series(np.arange(len(lonlat)), index=keys[~missing])
    geometry = lonlat[where.reindex(table["feature_id"]).to_numpy()]
    conflicts = gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")
    per_feature = _worst_per_feature(table, info[~missing], lonlat)
    pieces = pd.concat(overlaps, ignore_index=True)
    overlap = gpd.GeoDataFrame(
        pieces[["feature_id", "label"]].rename(columns={"label": "constraint_label"}),
        geometry=gpd.GeoSeries(pieces["geometry"].to_numpy(), crs=settings.equal_area_crs)
        .to_crs("EPSG:4326")
        .to_numpy(),
        crs="EPSG:4326",
    )
    counts = per_feature["severity"].value_counts().reindex(list(SEVERITIES), fill_value=0)
    numbers = {
        "n_features": len(features),
        "n_checked": int((~missing).sum()),
        "n_unplaced": int(missing.sum()),
        "n_layers": len(layers),
        **{f"n_{s}": int(counts[s]) for s in SEVERITIES},
    }
    return AnalysisResult(
        name="constraints",
        summary_zh=_summary_zh(numbers),
        summary_en=_summary_en(numbers),
        numbers=numbers,
        tables={
            "conflicts": conflicts,
            "conflicts_table": table,
            "features": per_feature,
            "overlaps": overlap,
            "unplaced": info[missing].reset_index(drop=True),
        },
        parameters=_parameters(layers),
    )


def _worst_per_feature(table: pd.DataFrame, info: pd.DataFrame, lonlat) -> gpd.GeoDataFrame:
    def labels(severity: str) -> pd.Series:
        hit = table[table["severity"] == severity]
        joined = hit.groupby("feature_id")["constraint_label"].agg(";".join)
        return info["feature_id"].map(joined).astype(object).fillna("").to_numpy()

    worst = table.drop_duplicates("feature_id").set_index("feature_id")["severity"]
    out = info.assign(
        severity=info["feature_id"].map(worst).to_numpy(),
        layers_conflict=labels("conflict"),
        layers_near=labels("near"),
    )
    out["severity_zh"] = out["severity"].map(SEVERITIES)
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry=lonlat, crs="EPSG:4326")


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
