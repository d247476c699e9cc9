"""The rows of the constraint report: one per feature and layer, with severity and names.

:func:`conflict_columns` turns the measures of
:func:`~longtu.analysis.constraints.overlay.measure_layer` (one per layer) into the columns of
the ``conflicts`` table: a feature that intersects a layer is ``conflict``, one within the
layer's ``buffer_km`` is ``near``, else ``clear``; a line or polygon feature that only meets an
all-polygon layer along its boundary (an overlap under :data:`CONTACT_KM2` or :data:`CONTACT_KM`)
is ``near``, at 0 km. :func:`worst_per_feature` keeps each feature's worst severity.
:func:`~longtu.analysis.constraints.check.check_constraints` assembles the report from them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:
    from longtu.analysis.constraints.check import ConstraintLayer

__all__ = [
    "CATEGORIES",
    "CONTACT_KM",
    "CONTACT_KM2",
    "MAX_NAMES",
    "NAME_COLUMNS",
    "SEVERITIES",
    "conflict_columns",
    "name_strings",
    "worst_per_feature",
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

NAME_COLUMNS = (
    "name_zh", "name", "NAME", "名称", "Name", "name_en",
    "MC", "mc", "保护区名称", "BHQMC", "红线名称", "HXMC",
    "图斑编号", "TBBH", "tbbh", "标识码", "BSM", "bsm",
)  # fmt: skip
"""Constraint columns that name a constraint (the first present is used): names first, in
English, Chinese and the pinyin initials of Chinese GIS schemas (MC 名称, BHQMC 保护区名称, HXMC
红线名称), then the numbers a land-survey parcel goes by (TBBH 图斑编号, BSM 标识码 of the third
national land survey), which reviewers look parcels up by."""
MAX_NAMES = 10
"""Most constraint names listed per feature and layer."""

_ROUGH_NOTE = "示意位置（县/市代表点或示意线），非选址 / schematic location, not a site"


def conflict_columns(
    keys: np.ndarray,
    info: dict[str, np.ndarray],
    layers: list[ConstraintLayer],
    measures: list[dict[str, np.ndarray]],
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The ``conflicts`` columns (feature x layer, worst severity first, then by feature id).

    Parameters
    ----------
    keys, info
        The placed features' ids, and their columns of ``check.INFO_COLUMNS`` present.
    layers
        The layers checked.
    measures
        :func:`~longtu.analysis.constraints.overlay.measure_layer` of the features, per layer.

    Returns
    -------
    tuple of dict and numpy.ndarray
        The columns, and for each row the position of its feature among the placed features.
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
        "constraint_names": _names(*_hit_codes(names, m), m["rows"], n),
        "nearest_name": m.get("nearest_names", _nearest_names(names, m["nearest"])),
    }


def _contact_only(layer: ConstraintLayer, dimension: np.ndarray, measure: np.ndarray) -> np.ndarray:
    """Whether each feature's overlap with an all-polygon `layer` is only boundary contact.

    Examples
    --------
    >>> from longtu.analysis.constraints.check import ConstraintLayer
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
    """The name of each constraint (None where missing), or None for a layer with no name."""
    column = next((c for c in NAME_COLUMNS if c in frame.columns), None)
    return None if column is None else name_strings(frame[column])


def name_strings(values: pd.Series) -> np.ndarray:
    """Constraint names as text (a parcel number too), None where missing (never "None").

    Examples
    --------
    >>> name_strings(pd.Series(["祁连山", None, 620102])).tolist()
    ['祁连山', None, '620102']
    """
    text = values.astype(str).to_numpy(dtype=object)
    text[values.isna().to_numpy()] = None
    return text


def _hit_codes(names: np.ndarray | None, m: dict) -> tuple[np.ndarray | None, np.ndarray]:
    """The name of the constraint of each hit pair, as a code into the distinct names.

    Names are coded once per layer and the pairs take their codes (six times faster than
    coding the name of every pair: a million parcels against the plan are 5.5 million
    pairs); a partitioned layer brings its own (``hit_codes``, ``name_labels``). A missing
    name is -1.
    """
    if "hit_codes" in m:
        return m["hit_codes"], m["name_labels"]
    if names is None:
        return None, np.zeros(0, dtype=object)
    codes, labels = pd.factorize(names, use_na_sentinel=True)
    return codes[m["hits"]], np.asarray(labels, dtype=object)


def _names(codes: np.ndarray | None, labels: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """The distinct names of the constraints each feature touches, ";"-joined.

    `codes` name the constraint of each hit pair (``labels[code]``, -1 for none), `rows` its
    feature (non-decreasing); a feature's names are listed in the order of its pairs, the
    first :data:`MAX_NAMES` of them, then how many more.

    Examples
    --------
    >>> labels = np.array(["a", "b", "c"], dtype=object)
    >>> _names(np.array([1, 0, 1, -1, 2]), labels, np.array([0, 0, 0, 0, 2]), 3).tolist()
    ['b;a', '', 'c']
    """
    out = np.full(n, "", dtype=object)
    if codes is None or len(rows) == 0:
        return out
    bounds = np.searchsorted(rows, np.arange(n + 1))
    for feature in np.flatnonzero(np.diff(bounds)).tolist():  # a feature at a time: little memory
        mine = codes[bounds[feature] : bounds[feature + 1]]
        mine = mine[mine >= 0]
        first = np.sort(np.unique(mine, return_index=True)[1])  # each name's first pair
        if len(first):
            listed = labels[mine[first[:MAX_NAMES]]].tolist()
            extra = len(first) - MAX_NAMES
            out[feature] = ";".join(listed) + (f";…(+{extra})" if extra > 0 else "")
    return out


def _nearest_names(names: np.ndarray | None, nearest: np.ndarray) -> np.ndarray:
    """The name of the nearest constraint of each feature that touches none ("" otherwise)."""
    out = np.full(len(nearest), "", dtype=object)
    if names is not None:
        found = nearest >= 0
        out[found] = names[nearest[found]]
    out[pd.isna(out)] = ""
    return out


def worst_per_feature(columns: dict, keys: np.ndarray, info: dict) -> dict[str, np.ndarray]:
    """The first (worst) severity of each placed feature, and the layers in conflict and near.

    `columns` are those of :func:`conflict_columns`; `keys` and `info` as given to it.
    """
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
