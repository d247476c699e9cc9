"""The conflict report's tables, assembled from the overlay measures with NumPy alone.

:func:`assemble_tables` turns the measures of
:func:`longtu.analysis.constraints.overlay.measure_layer` into the columns of the report: one row
per feature and constraint layer (``conflicts``), the worst severity per feature (``features``), the
overlap geometries (``overlaps``) and the features that could not be checked (``unplaced``). It uses
no pandas, so that a command-line run (``longtu constraints check``) can write the report without
importing it; :func:`longtu.analysis.constraints.check.check_constraints` wraps the same tables in
(Geo)DataFrames.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import shapely

from longtu import settings
from longtu.analysis.constraints.overlay import to_lonlat

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

INFO_COLUMNS = ("name_zh", "name_en", "precision")
"""Feature columns copied into the report when present."""
NAME_COLUMNS = ("name_zh", "name", "NAME", "名称", "Name", "name_en")
"""Constraint columns that name a constraint (the first present is used)."""
MAX_NAMES = 10
"""Most constraint names listed per feature and layer."""

_ROUGH_NOTE = "示意位置（县/市代表点或示意线），非选址 / schematic location, not a site"


class LayerInfo(Protocol):
    """What a report says of a layer (as :class:`~longtu.analysis.constraints.ConstraintLayer`)."""

    label: str
    category: str
    buffer_km: float
    source: str


@dataclass
class Table:
    """Columns of equal length, and a geometry per row (EPSG:4326) or None.

    Attributes
    ----------
    columns : dict
        Column name -> 1-D NumPy array, in report order.
    geometry : numpy.ndarray or None
        shapely geometries in EPSG:4326, one per row; None for a plain table.
    """

    columns: dict[str, np.ndarray]
    geometry: np.ndarray | None = None

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))


@dataclass
class ConflictTables:
    """The conflict report without pandas.

    Attributes
    ----------
    tables : dict
        ``conflicts`` (feature x layer, with the feature's geometry), ``features`` (worst
        severity per feature), ``overlaps`` (overlap geometries), ``unplaced``; each a
        :class:`Table`.
    numbers : dict
        ``n_features``, ``n_checked``, ``n_unplaced``, ``n_layers``, ``n_conflict``, ``n_near``,
        ``n_clear``.
    summary_zh, summary_en : str
        One line each, with the numbers.
    parameters : dict
        The layers checked (label, category, buffer, source) and how things were measured.
    """

    tables: dict[str, Table]
    numbers: dict[str, int]
    summary_zh: str
    summary_en: str
    parameters: dict[str, object] = field(default_factory=dict)


def check_buffer(label: str, buffer_km: float) -> None:
    """Refuse a negative or infinite buffer, naming the layer.

    Examples
    --------
    >>> check_buffer("red", -1)
    Traceback (most recent call last):
    ...
    ValueError: `buffer_km` of layer `red` is -1; give a distance ≥ 0.
    """
    if buffer_km < 0 or not np.isfinite(buffer_km):
        raise ValueError(f"`buffer_km` of layer `{label}` is {buffer_km}; give a distance ≥ 0.")


def unique_label(label: str, taken: set[str]) -> str:
    """`label`, or `label_2`, `label_3`, … when taken already.

    Examples
    --------
    >>> unique_label("red", {"red", "red_2"})
    'red_3'
    """
    number = 1
    while label in taken or (number > 1 and f"{label}_{number}" in taken):
        number += 1
        if f"{label}_{number}" not in taken:
            return f"{label}_{number}"
    return label


def assemble_tables(
    keys: np.ndarray,
    info: dict[str, np.ndarray],
    missing: np.ndarray,
    lonlat: np.ndarray,
    layers: Sequence[LayerInfo],
    names: Sequence[np.ndarray | None],
    measures: Sequence[dict[str, np.ndarray]],
) -> ConflictTables:
    """The report's tables from the overlay measures.

    Parameters
    ----------
    keys
        Unique feature ids (str), one per feature.
    info
        Columns of :data:`INFO_COLUMNS` present in the features, one value per feature.
    missing
        True for features with no geometry (not checked).
    lonlat
        Geometries of the other (placed) features in EPSG:4326, in order.
    layers
        The constraint layers.
    names
        Per layer, the name of each of its geometries (those :func:`measure_layer` was given),
        or None when the layer has no name column.
    measures
        Per layer, :func:`longtu.analysis.constraints.overlay.measure_layer` of the placed features.

    Returns
    -------
    ConflictTables

    Examples
    --------
    >>> from longtu.analysis.constraints.overlay import measure_layer, project
    >>> from types import SimpleNamespace
    >>> plan = np.array([shapely.box(104, 36, 104.1, 36.1)])
    >>> red = np.array([shapely.box(104.05, 35.9, 104.2, 36.2)])
    >>> m = measure_layer(project(plan, 4326), plan, red, 4326)
    >>> layer = SimpleNamespace(label="red", category="nature_reserve", buffer_km=0.0, source="")
    >>> t = assemble_tables(np.array(["a"]), {}, np.array([False]), plan, [layer], [None], [m])
    >>> t.numbers["n_conflict"], t.summary_en[:40]
    (1, '1 placed plan features checked against 1')
    >>> round(float(t.tables["conflicts"].columns["overlap_pct"][0]))
    50
    """
    placed = ~missing
    per_layer = [
        _layer_columns(layer, layer_names, measured)
        for layer, layer_names, measured in zip(layers, names, measures, strict=True)
    ]
    n_placed = int(placed.sum())
    columns = {
        "feature_id": np.tile(keys[placed], len(layers)),
        **{name: np.tile(values[placed], len(layers)) for name, values in info.items()},
    }
    for name in per_layer[0]:
        columns[name] = np.concatenate([layer_columns[name] for layer_columns in per_layer])
    rank = np.vectorize(list(SEVERITIES).index, otypes=[np.int64])(columns["severity"])
    order = np.lexsort((columns["feature_id"], rank)) if len(rank) else np.arange(0)
    columns = {name: values[order] for name, values in columns.items()}
    if "precision" in info:
        rough = np.isin(columns["precision"], ["county", "prefecture", "schematic"])
        columns["location_note"] = np.where(rough, _ROUGH_NOTE, "").astype(object)
    position = np.tile(np.arange(n_placed), len(layers))[order]
    features = _worst_per_feature(columns, keys[placed], info, placed)
    numbers = {
        "n_features": len(keys),
        "n_checked": n_placed,
        "n_unplaced": int(missing.sum()),
        "n_layers": len(layers),
        **{
            f"n_{severity}": int((features["severity"] == severity).sum())
            for severity in SEVERITIES
        },
    }
    tables = {
        "conflicts": Table(columns, lonlat[position]),
        "features": Table(features, lonlat),
        "overlaps": _overlaps(layers, measures, keys[placed]),
        "unplaced": Table(
            {"feature_id": keys[missing], **{n: v[missing] for n, v in info.items()}}
        ),
    }
    return ConflictTables(
        tables, numbers, _summary_zh(numbers), _summary_en(numbers), _parameters(layers)
    )


def _layer_columns(layer: LayerInfo, names: np.ndarray | None, m: dict) -> dict[str, np.ndarray]:
    """One row per placed feature for one layer (from :func:`measure_layer`)."""
    dimension, measure, distance_km = m["dimension"], m["measure"], m["distance_km"]
    n = len(dimension)
    severity = np.where(m["n_hits"] > 0, "conflict", "clear").astype(object)
    near = (m["n_hits"] == 0) & (distance_km <= layer.buffer_km) & (layer.buffer_km > 0)
    severity[near] = "near"
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
        "constraint_names": _names(names, m["rows"], m["hits"], n),
    }


def _names(names: np.ndarray | None, rows: np.ndarray, hits: np.ndarray, n: int) -> np.ndarray:
    """The distinct names of the constraints each feature touches, in query order, ";"-joined."""
    out = np.full(n, "", dtype=object)
    if names is None or len(rows) == 0:
        return out
    found: dict[int, dict[str, None]] = {}
    for row, name in zip(rows.tolist(), names[hits].tolist(), strict=True):
        found.setdefault(row, {})[str(name)] = None
    for row, distinct in found.items():
        listed = list(distinct)
        extra = len(listed) - MAX_NAMES
        out[row] = ";".join(listed[:MAX_NAMES]) + (f";…(+{extra})" if extra > 0 else "")
    return out


def _worst_per_feature(columns, placed_keys, info, placed) -> dict[str, np.ndarray]:
    """The first (worst) severity of each feature, and the layers in conflict and near."""
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
    severity = np.array([worst.get(k) for k in placed_keys.tolist()], dtype=object)
    return {
        "feature_id": placed_keys,
        **{name: values[placed] for name, values in info.items()},
        "severity": severity,
        "layers_conflict": _joined(hit["conflict"], placed_keys),
        "layers_near": _joined(hit["near"], placed_keys),
        "severity_zh": np.array([SEVERITIES.get(s) for s in severity], dtype=object),
    }


def _joined(labels: dict[str, list[str]], keys: np.ndarray) -> np.ndarray:
    return np.array([";".join(labels.get(k, [])) for k in keys.tolist()], dtype=object)


def _overlaps(layers, measures, placed_keys) -> Table:
    """The overlap geometry of every feature and layer that overlap, in EPSG:4326."""
    ids, labels, pieces = [], [], []
    for layer, m in zip(layers, measures, strict=True):
        keep = np.flatnonzero(~shapely.is_missing(m["pieces"]) & (m["dimension"] > 0))
        ids.append(placed_keys[keep])
        labels.append(np.full(len(keep), layer.label, dtype=object))
        pieces.append(to_lonlat(m["pieces"][keep], m["crs"]))
    geometry = np.concatenate(pieces)
    columns = {"feature_id": np.concatenate(ids), "constraint_label": np.concatenate(labels)}
    return Table(columns, geometry)


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


def _parameters(layers: Sequence[LayerInfo]) -> dict[str, object]:
    return {
        "layers": [
            {"label": x.label, "category": x.category, "buffer_km": x.buffer_km, "source": x.source}
            for x in layers
        ],
        "area_crs": settings.equal_area_crs,
        "distance": "geodesic (WGS84) between the nearest points found in the equal-area CRS",
    }
