"""What changed between two sets of plan layers: plan and scenario, two scenarios, two plans.

One row per change of a feature (matched by ``feature_id`` within a layer):

``added`` / ``removed``
    In only one of the two (the geometry of a removed feature is the old one).
``moved``
    Both geometries are points (or the old one was a point and the new one is a point):
    ``distance_km`` between them, geodesic on the WGS84 ellipsoid.
``reshaped``
    Any other change of geometry, e.g. a county symbol point replaced by a site polygon:
    ``area_change_km2`` (areas in :data:`longtu.settings.equal_area_crs`) and the geodesic
    distance between the representative points. A feature gets one geometry row: moved *or*
    reshaped, never both.
``upgraded`` / ``downgraded``
    ``level`` rose or fell (national > provincial > other; ``unknown`` is not ranked, so a
    change from or to it is an attribute change).
``attributes``
    Other columns that differ, listed ``field: old -> new``. Provenance columns
    (``precision``, ``location_basis``, ``source_refs``, ``place_method``, ``place_ref``) are
    not compared; the units a feature lies in (``county_adcode(s)``, ``prefecture_adcode(s)``,
    ``zone_ids``) only when its geometry did not change (a move says it already).

Changes a feature did not get itself but from its park carry that park's name in
``followed_park`` (empty for every other row), so that a count of the edits a planner made
leaves them out (``changes[changes["followed_park"] == ""]``) while the map and the table still
show them:

* a feature placed on a park (``place_method = park``) that moved or was reshaped with it is
  ``moved`` / ``reshaped``, its details beginning "随所在园区…移动 / followed its park …";
* a feature whose park was removed keeps the park's last geometry (see
  :mod:`longtu.layout.scenarios.apply`) and gets an ``attributes`` row (``fields`` =
  ``location_basis``) saying the park is gone and it needs a site or a removal;
* an industry chain that only lost removed parks from its ``park_ids`` gets an ``attributes``
  row naming them.

:func:`write_changes` writes the table as a GeoPackage layer ``changes`` and a CSV beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from longtu import settings
from longtu.layout.catalog import LAYERS
from longtu.layout.export import write_csv
from longtu.layout.places import split_list
from longtu.layout.scenarios.apply import orphaned_features
from longtu.layout.scenarios.edits import PlanLayers
from longtu.layout.vocabulary import PARK_LEVEL_LABELS, field_change

LEVEL_RANK = {"national": 3, "provincial": 2, "other": 1}
NOT_COMPARED = frozenset(
    {"feature_id", "precision", "location_basis", "source_refs", "source_quotes"}
    | {"place_method", "place_ref", "geometry"}
)
GEOMETRY_DECIDES = frozenset(
    {"county_adcodes", "prefecture_adcodes", "zone_ids", "county_adcode", "prefecture_adcode"}
)
CHANGE_COLUMNS = (
    "kind",
    "layer",
    "feature_id",
    "name_zh",
    "name_en",
    "fields",
    "distance_km",
    "area_change_km2",
    "followed_park",
    "details_zh",
    "details_en",
)
KIND_ORDER = ("added", "removed", "moved", "reshaped", "upgraded", "downgraded", "attributes")
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class _ParkContext:
    """Parks removed from `a` to `b` (id -> name), and features left on them in `b`."""

    removed: dict[str, str]
    orphaned: dict[tuple[str, str], str]

    @classmethod
    def of(cls, a: PlanLayers, b: PlanLayers) -> _ParkContext:
        if "parks" not in a or "parks" not in b:
            return cls({}, {})
        gone = a["parks"][~a["parks"]["feature_id"].isin(b["parks"]["feature_id"])]
        before = orphaned_features(a)
        before_keys = set(zip(before["layer"], before["feature_id"], strict=True))
        after = orphaned_features(b)
        orphaned = {
            (layer, fid): park
            for layer, fid, park in zip(after["layer"], after["feature_id"], after["park"],
                                        strict=True)
            if (layer, fid) not in before_keys
        }  # fmt: skip
        return cls(dict(zip(gone["feature_id"], gone["name_zh"], strict=True)), orphaned)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _title(layer: str) -> tuple[str, str]:
    spec = LAYERS.get(layer)
    return (spec.title_zh, spec.title_en) if spec else (layer, layer)


def _change(kind: str, layer: str, row: pd.Series, zh: str, en: str, **values: object) -> dict:
    return {
        "kind": kind,
        "layer": layer,
        "feature_id": row["feature_id"],
        "name_zh": _text(row.get("name_zh", row.get("indicator_zh"))),
        "name_en": _text(row.get("name_en", row.get("indicator_en"))),
        "fields": values.pop("fields", ""),
        "distance_km": values.pop("distance_km", np.nan),
        "area_change_km2": values.pop("area_change_km2", np.nan),
        "followed_park": values.pop("followed_park", ""),
        "details_zh": zh,
        "details_en": en,
        "geometry": row.get("geometry"),
    }


def _added_removed(layer: str, a: pd.DataFrame, b: pd.DataFrame) -> list[dict]:
    zh_layer, en_layer = _title(layer)
    rows = []
    for kind, zh, en, frame, other in (
        ("added", "新增", "added", b, a),
        ("removed", "删除", "removed", a, b),
    ):
        for _, r in frame[~frame["feature_id"].isin(other["feature_id"])].iterrows():
            name = _text(r.get("name_zh", r.get("indicator_zh")))
            rows.append(
                _change(kind, layer, r, f"{zh}{zh_layer}：{name}", f"{en} ({en_layer}): {name}")
            )
    return rows


def _geometry_changed(old: gpd.GeoSeries, new: gpd.GeoSeries) -> np.ndarray:
    old_v, new_v = old.to_numpy(), new.to_numpy()
    both_missing = shapely.is_missing(old_v) & shapely.is_missing(new_v)
    same = shapely.equals_exact(old_v, new_v, tolerance=0.0)
    return ~(both_missing | np.asarray(same, dtype=bool))


def _distance_km(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    present = ~(shapely.is_missing(old) | shapely.is_missing(new))
    out = np.full(len(old), np.nan)
    if present.any():
        p, q = shapely.point_on_surface(old[present]), shapely.point_on_surface(new[present])
        _, _, metres = _GEOD.inv(
            shapely.get_x(p), shapely.get_y(p), shapely.get_x(q), shapely.get_y(q)
        )
        out[present] = np.asarray(metres) / 1000.0
    return out


def _area_km2(geometries: np.ndarray) -> np.ndarray:
    series = gpd.GeoSeries(geometries, crs=settings.storage_crs).to_crs(settings.equal_area_crs)
    return series.area.fillna(0.0).to_numpy() / 1e6


def _moved_words(
    distance_km: float, old: BaseGeometry | None, new: BaseGeometry | None
) -> tuple[str, str]:
    if new is None:
        return "不再定位（无几何）", "no longer placed (no geometry)"
    if old is None:
        return "首次定位（原无位置）", "placed for the first time"
    return f"代表点移动 {distance_km:.1f} km", f"moved {distance_km:.1f} km"


def _followed_words(
    layer: str, row: pd.Series, zh: str, en: str, parks: _ParkContext
) -> tuple[str, str, str]:
    """(zh, en, park): the words of a geometry change, saying so when it followed its park."""
    if row.get("place_method") != "park":
        return zh, en, ""
    park = _text(row.get("place_ref"))
    zh, en = f"随所在园区“{park}”{zh}", f"followed its park {park}: {en}"
    if (layer, row["feature_id"]) in parks.orphaned:
        zh += "；该园区随后删除，此为其最后位置"
        en += "; the park was then removed, this is its last location"
    return zh, en, park


def _shape_words(old, new, area_old_km2: float, area_new_km2: float) -> tuple[str, str]:
    """(zh, en): how a shape changed; a point given an outline is said so, not "area 0.00 ->".

    Examples
    --------
    >>> _shape_words(shapely.Point(0, 0), shapely.box(0, 0, 1, 1), 0.0, 11.92)
    ('由点改为边界：面积 11.92 km²', 'from a point to an outline: area 11.92 km²')
    >>> _shape_words(shapely.box(0, 0, 1, 1), shapely.box(0, 0, 2, 1), 1.0, 2.5)[1]
    'reshaped: area 1.00 -> 2.50 km² (+1.50)'
    """
    point = (0, 4)
    if old is not None and shapely.get_type_id(old) in point:
        return (
            f"由点改为边界：面积 {area_new_km2:.2f} km²",
            f"from a point to an outline: area {area_new_km2:.2f} km²",
        )
    if shapely.get_type_id(new) in point:
        return (
            f"由边界改为点（原面积 {area_old_km2:.2f} km²）",
            f"from an outline to a point (area was {area_old_km2:.2f} km²)",
        )
    delta = area_new_km2 - area_old_km2
    return (
        f"形状改变：面积 {area_old_km2:.2f} → {area_new_km2:.2f} km²（{delta:+.2f}）",
        f"reshaped: area {area_old_km2:.2f} -> {area_new_km2:.2f} km² ({delta:+.2f})",
    )


def _geometry_rows(
    layer: str, old: pd.DataFrame, new: pd.DataFrame, parks: _ParkContext
) -> list[dict]:
    changed = _geometry_changed(old.geometry, new.geometry)
    if not changed.any():
        return []
    old_g, new_g = old.geometry.to_numpy()[changed], new.geometry.to_numpy()[changed]
    distance = _distance_km(old_g, new_g)
    area_old, area_new = _area_km2(old_g), _area_km2(new_g)
    rows = []
    for i, (_, row) in enumerate(new[changed].iterrows()):
        points = shapely.get_type_id(new_g[i]) in (0, 4) and (
            old_g[i] is None or shapely.get_type_id(old_g[i]) in (0, 4)
        )
        d, delta = distance[i], area_new[i] - area_old[i]
        zh, en = _moved_words(d, old_g[i], new_g[i])
        if not points:
            shape_zh, shape_en = _shape_words(old_g[i], new_g[i], area_old[i], area_new[i])
            zh, en = f"{shape_zh}，{zh}", f"{shape_en}, {en}"
        zh, en, park = _followed_words(layer, row, zh, en, parks)
        if points:
            rows.append(_change("moved", layer, row, zh, en, distance_km=d, followed_park=park))
        else:
            rows.append(_change("reshaped", layer, row, zh, en, distance_km=d,
                                area_change_km2=delta, followed_park=park))  # fmt: skip
    return rows


def _orphan_rows(
    layer: str, new: pd.DataFrame, geometry_changed: np.ndarray, parks: _ParkContext
) -> list[dict]:
    """A row for each feature left on a removed park (unless its geometry row says it)."""
    rows = []
    for i, (_, row) in enumerate(new.iterrows()):
        park = parks.orphaned.get((layer, row["feature_id"]))
        if park is None or geometry_changed[i]:
            continue
        zh = f"所在园区“{park}”已删除：仍显示在该园区最后的位置，请重新定位或删除"
        en = f"its park {park} was removed: still shown at the park's last location; "
        en += "give it a site or remove it"
        rows.append(
            _change("attributes", layer, row, zh, en, fields="location_basis", followed_park=park)
        )
    return rows


def _chain_row(row: pd.Series, diffs: list[tuple[str, str, str]], parks: _ParkContext):
    """The row of a chain whose only change is the loss of removed parks, else None."""
    if [c for c, _, _ in diffs] != ["park_ids"]:
        return None
    before, after = split_list(diffs[0][1]), split_list(diffs[0][2])
    dropped = [p for p in before if p not in after]
    if not dropped or set(after) - set(before) or not set(dropped) <= set(parks.removed):
        return None
    names = "、".join(parks.removed[p] for p in dropped)
    zh = f"载体园区随园区删除而移除：{names}"
    en = f"carrier park(s) dropped because they were removed: {names}"
    return _change("attributes", "industry_chains", row, zh, en, fields="park_ids",
                   followed_park=names)  # fmt: skip


def _level_row(layer: str, row: pd.Series, old: str, new: str) -> dict | None:
    if old not in LEVEL_RANK or new not in LEVEL_RANK or old == new:
        return None
    kind = "upgraded" if LEVEL_RANK[new] > LEVEL_RANK[old] else "downgraded"
    (old_zh, old_en), (new_zh, new_en) = PARK_LEVEL_LABELS[old], PARK_LEVEL_LABELS[new]
    verb_zh = "级别提升" if kind == "upgraded" else "级别降低"
    return _change(
        kind,
        layer,
        row,
        f"{verb_zh}：{old_zh} → {new_zh}",
        f"{kind}: {old_en} -> {new_en}",
        fields="level",
    )


def _attribute_rows(
    layer: str,
    old: pd.DataFrame,
    new: pd.DataFrame,
    geometry_changed: np.ndarray,
    parks: _ParkContext,
) -> list[dict]:
    columns = [c for c in new.columns if c in old.columns and c not in NOT_COMPARED]
    rows = []
    for i, ((_, o), (_, n)) in enumerate(zip(old.iterrows(), new.iterrows(), strict=True)):
        diffs = []
        for column in columns:
            if geometry_changed[i] and column in GEOMETRY_DECIDES:
                continue
            a, b = _text(o[column]), _text(n[column])
            if a == b:
                continue
            level = _level_row(layer, n, a, b) if column == "level" else None
            if level is not None:
                rows.append(level)
            else:
                diffs.append((column, a, b))
        chain = _chain_row(n, diffs, parks) if diffs else None
        if chain is not None:
            rows.append(chain)
        elif diffs:
            listed_zh = "；".join(field_change(c, a, b, language="zh") for c, a, b in diffs)
            listed_en = "; ".join(field_change(c, a, b, language="en") for c, a, b in diffs)
            fields = ";".join(c for c, _, _ in diffs)
            rows.append(
                _change(
                    "attributes",
                    layer,
                    n,
                    f"属性变更：{listed_zh}",
                    f"attributes: {listed_en}",
                    fields=fields,
                )
            )
    return rows


def _layer_changes(layer: str, a: pd.DataFrame, b: pd.DataFrame, parks: _ParkContext) -> list[dict]:
    rows = _added_removed(layer, a, b)
    common = a["feature_id"][a["feature_id"].isin(b["feature_id"])]
    old = a.set_index("feature_id", drop=False).loc[common]
    new = b.set_index("feature_id", drop=False).loc[common]
    if "geometry" in old.columns and isinstance(old, gpd.GeoDataFrame):
        changed = _geometry_changed(old.geometry, new.geometry)
        rows += _geometry_rows(layer, old, new, parks)
    else:
        changed = np.zeros(len(old), dtype=bool)
    rows += _orphan_rows(layer, new, changed, parks)
    return rows + _attribute_rows(layer, old, new, changed, parks)


def diff_layers(
    a: PlanLayers, b: PlanLayers, *, layers: Sequence[str] | None = None
) -> gpd.GeoDataFrame:
    """Every change from layers `a` to layers `b`, one row per change (see the module).

    Parameters
    ----------
    a, b
        Plan layers (as :func:`longtu.layout.plan_layers` returns them): the old and the new.
    layers
        Layers to compare; default every layer in both with a ``feature_id`` column.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kind``, ``layer``, ``feature_id``, ``name_zh``, ``name_en``, ``fields``,
        ``distance_km``, ``area_change_km2``, ``followed_park`` (the park a change came with,
        else empty), ``details_zh``, ``details_en`` and the geometry (the new one; the old one
        for ``removed``), EPSG:4326.
    """
    names = layers or [
        n for n in a if n in b and "feature_id" in a[n].columns and "feature_id" in b[n].columns
    ]
    parks = _ParkContext.of(a, b)
    rows = [row for name in names for row in _layer_changes(name, a[name], b[name], parks)]
    frame = pd.DataFrame(rows, columns=[*CHANGE_COLUMNS, "geometry"])
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    frame = frame.assign(_order=frame["kind"].map(order)).sort_values(
        ["layer", "_order", "feature_id"], kind="stable"
    )
    frame = frame.drop(columns="_order").reset_index(drop=True)
    frame["distance_km"] = frame["distance_km"].astype(float)
    frame["area_change_km2"] = frame["area_change_km2"].astype(float)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.storage_crs)


def write_changes(changes: gpd.GeoDataFrame, out: str | Path) -> tuple[Path, Path]:
    """Write the changes as GeoPackage layer ``changes`` at `out` and a CSV beside it.

    The CSV (UTF-8 with a byte-order mark, for Excel, written by
    :func:`longtu.layout.export.write_csv`, so no cell can start a formula) holds the geometry
    as WKT in ``geometry_wkt``. An existing file at `out` is replaced.

    Returns
    -------
    tuple of Path
        The GeoPackage and the CSV.
    """
    out = Path(out)
    if out.suffix.lower() != ".gpkg":
        out = out.with_suffix(".gpkg")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    pyogrio.write_dataframe(changes, out, layer="changes", driver="GPKG", geometry_type="Unknown")
    csv = out.with_suffix(".csv")
    table = pd.DataFrame(changes.drop(columns=changes.geometry.name))
    table["geometry_wkt"] = changes.geometry.to_wkt()
    write_csv(table, csv)
    return out, csv
