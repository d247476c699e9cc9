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

from analysis._result import AnalysisResult
from analysis.constraint_overlay import measure_layer, project
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
    _feature_keys(features, id_column)
    placed = features.geometry[~_missing(features)]
    projected = project(placed.to_numpy(), features.crs)
    shapely.prepare(projected)
    measures = [
        measure_layer(
            projected,
            placed.to_crs(layer.frame.crs).to_numpy(),
            layer.frame.geometry.to_numpy(),
            layer.frame.crs,
        )
        for layer in layers
    ]
    return assemble_check(features, layers, measures, id_column=id_column)


def assemble_check(
    features: gpd.GeoDataFrame,
    constraints: Sequence[ConstraintLayer],
    measures: Sequence[dict[str, np.ndarray]],
    *,
    id_column: str | None = None,
) -> AnalysisResult:
    """The result of :func:`check_constraints` from measures made beforehand.

    `measures` holds, for each layer, :func:`analysis.constraint_overlay.measure_layer` of the
    placed features (those with a non-empty geometry, in order). The inputs are checked as in
    :func:`check_constraints`.

    Examples
    --------
    >>> import shapely
    >>> plan = gpd.GeoDataFrame({"feature_id": ["a"]}, geometry=[shapely.Point(104, 36)], crs=4326)
    >>> red = ConstraintLayer(gpd.GeoDataFrame(geometry=[shapely.Point(104, 36.1)], crs=4326), "r")
    >>> m = measure_layer(project(plan.geometry.to_numpy(), 4326), plan.geometry.to_numpy(),
    ...     red.frame.geometry.to_numpy(), 4326)
    >>> assemble_check(plan, [red], [m]).numbers["n_clear"]
    1
    """
    layers = _as_layers(constraints)
    _check_inputs(features, layers)
    keys = _feature_keys(features, id_column)
    missing = _missing(features)
    frames, overlaps = [], []
    for layer, measured in zip(layers, measures, strict=True):
        table, overlap = _layer_tables(layer, measured)
        frames.append(table.assign(feature_id=keys[~missing]))
        overlaps.append(overlap.assign(feature_id=keys[~missing][overlap["row"]]))
    return _assemble(features, keys, missing, layers, frames, overlaps)


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


def _layer_tables(layer: ConstraintLayer, m: dict[str, np.ndarray]) -> tuple[pd.DataFrame, ...]:
    """One row per feature for one layer (from :func:`measure_layer`), plus the overlaps."""
    dimension, measure, distance_km = m["dimension"], m["measure"], m["distance_km"]
    severity = np.where(m["n_hits"] > 0, "conflict", "clear").astype(object)
    near = (m["n_hits"] == 0) & (distance_km <= layer.buffer_km) & (layer.buffer_km > 0)
    severity[near] = "near"
    table = pd.DataFrame(
        {
            "constraint_label": layer.label,
            "constraint_category": layer.category,
            "category_zh": CATEGORIES.get(layer.category, (layer.category, ""))[0],
            "buffer_km": layer.buffer_km,
            "severity": severity,
            "severity_zh": pd.Series(severity).map(SEVERITIES).to_numpy(),
            "n_intersecting": m["n_hits"],
            "overlap_km2": np.where(dimension == 2, measure, np.nan),
            "overlap_length_km": np.where(dimension == 1, measure, np.nan),
            "overlap_pct": m["pct"],
            "distance_km": distance_km,
            "constraint_names": _names(layer.frame, m["rows"], m["hits"], len(dimension)),
        }
    )
    pieces = m["pieces"]
    keep = np.flatnonzero(~shapely.is_missing(pieces) & (dimension > 0))
    return table, pd.DataFrame({"row": keep, "geometry": pieces[keep], "label": layer.label})


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
