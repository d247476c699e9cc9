"""Applying edits to plan layers: the layers of a scenario.

The result has the shape of :func:`longtu.layout.plan_layers` (layer name -> GeoDataFrame,
``targets`` a DataFrame) and the same columns. A feature whose geometry an edit gives
(``move``, ``reshape``, ``add``) gets ``precision = "site"``, ``place_method = "site"``,
``place_ref`` the source file and feature (``zones.gpkg#7``, base name) when the site was
imported, else ``edit:<id>``, a ``location_basis`` saying how the site was given (drawn, typed
coordinates, imported from FILE feature N) and ``edit:<id>`` added to its ``source_refs``;
``county_adcodes``, ``prefecture_adcodes`` and ``zone_ids`` are recomputed from the new geometry
(``zone_ids`` set by an edit are kept). The input layers are never modified.

Features placed on a park (``place_method = park``, ``place_ref`` = the park's name or alias:
the sub-parks of 兰州新区, the park members of the industrial bases, the parts of the 兰白
pilot zone) follow that park, by the plan loader's rule: the park's geometry, precision,
county and prefecture, and ``location_basis`` "location of park NAME: <the park's basis>";
``zone_ids`` are recomputed. A feature given its own site by an edit (``place_method =
site``) no longer follows. When the park is removed, its features stay where the park last
was, so nothing vanishes from the map unasked, and say so: ``location_basis`` names the
removal (:func:`orphaned_features` lists them; the diff reports them).
A removed park is also dropped from the ``park_ids`` of the industry chains
(:mod:`longtu.layout.scenarios.park_followers`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import PureWindowsPath

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from longtu.errors import ScenarioError
from longtu.layout.catalog import layer_title_zh
from longtu.layout.scenarios.edits import Edit, PlanLayers
from longtu.layout.scenarios.geography import gansu
from longtu.layout.scenarios.park_followers import (
    ParkHost,
    drop_parks_from_chains,
    follow_parks,
    park_names,
    rezone,
)
from longtu.layout.scenarios.park_followers import orphaned_features as orphaned_features

_KIND_ZH = {"add": "新增", "remove": "删除", "move": "移动", "reshape": "改形", "set": "改属性"}
"""Edit kinds in Chinese, as the scenario page names them."""

Record = dict[str, object]


def edits_in_effect(edits: Iterable[Edit]) -> list[Edit]:
    """The edits that change the layers: not ``undo`` records, not undone, not rejected.

    Examples
    --------
    >>> a = Edit("remove", "park_x", "parks", "me", "why", id="ed_a")
    >>> b = Edit("undo", "park_x", "parks", "me", "oops", undoes="ed_a")
    >>> edits_in_effect([a, b]), [e.id for e in edits_in_effect([a])]
    ([], ['ed_a'])
    """
    edits = list(edits)
    undone = {e.undoes for e in edits if e.kind == "undo"}
    return [
        e
        for e in edits
        if e.kind != "undo" and e.id not in undone and e.status not in ("rejected", "undone")
    ]


def location_basis(edit: Edit) -> str:
    """How an edit gave a feature its site, in words (for ``location_basis``)."""
    stamp = f"scenario edit {edit.id} by {edit.author}, {edit.time[:10]}"
    geometry = edit.geometry
    if edit.how == "imported":
        name = PureWindowsPath(edit.source_file).name or edit.source_file
        return f"site imported from {name} feature {edit.source_feature} ({stamp})"
    if edit.how == "typed" and geometry is not None and geometry.geom_type == "Point":
        x, y = shapely.get_x(geometry), shapely.get_y(geometry)
        return f"site typed as coordinates {x:.5f}, {y:.5f} WGS84 ({stamp})"
    if edit.how == "typed":
        return f"site typed as coordinates ({stamp})"
    if edit.how == "drawn":
        return f"site drawn on the map ({stamp})"
    return f"site given in {stamp}"


def site_ref(edit: Edit) -> str:
    r"""The ``place_ref`` of a site an edit gives: ``FILE#FEATURE`` when imported, else the edit.

    Examples
    --------
    >>> site_ref(Edit("move", "park_x", "parks", "li", "why", id="ed_1", how="imported",
    ...               source_file="C:\\gis\\zones.gpkg", source_feature="7"))
    'zones.gpkg#7'
    >>> site_ref(Edit("move", "park_x", "parks", "li", "why", id="ed_1", how="drawn"))
    'edit:ed_1'
    """
    if edit.how == "imported" and edit.source_file:
        name = PureWindowsPath(edit.source_file).name or edit.source_file
        return f"{name}#{edit.source_feature}"
    return f"edit:{edit.id}"


class _Work:
    """Working copies of the layers an edit touches (rows as dicts, rebuilt once at the end)."""

    def __init__(self, layers: PlanLayers) -> None:
        self.layers = dict(layers)
        self.where = {
            fid: name
            for name, frame in layers.items()
            if "feature_id" in frame.columns
            for fid in frame["feature_id"]
        }
        self.records: dict[str, dict[str, Record]] = {}
        self.placed: dict[str, set[str]] = {}
        self.zone_fixed: set[str] = set()
        self.park_names = park_names(layers["parks"]) if "parks" in layers else {}
        self.removed_parks: dict[str, ParkHost] = {}

    def rows(self, layer: str) -> dict[str, Record]:
        if layer not in self.records:
            frame = self.layers[layer]
            self.records[layer] = {str(r["feature_id"]): r for r in frame.to_dict(orient="records")}
        return self.records[layer]

    def apply(self, edit: Edit) -> tuple[str, str] | None:
        """Apply one edit; the reason it cannot be applied (English, Chinese), or None."""
        if edit.kind == "add":
            return self._add(edit)
        layer = self.where.get(edit.feature_id)
        if layer is None:
            return (
                f"feature `{edit.feature_id}` is not in the layers (removed or never added)",
                f"要素 {edit.feature_id} 不在图层中（已删除或从未新增）",
            )
        row = self.rows(layer)[edit.feature_id]
        if edit.kind == "remove":
            if layer == "parks":
                self.removed_parks[edit.feature_id] = self._last_place(row, edit)
            del self.rows(layer)[edit.feature_id]
            del self.where[edit.feature_id]
        elif edit.kind in ("move", "reshape"):
            if "geometry" not in row:
                return (
                    f"{layer} has no geometry to move",
                    f"{layer_title_zh(layer)}没有可移动的几何图形",
                )
            self._place(layer, row, edit)
        elif edit.kind == "set":
            row.update(edit.attributes)
            if "zone_ids" in edit.attributes:
                self.zone_fixed.add(edit.feature_id)
        else:
            return (
                f"`{edit.kind}` is not an edit that changes layers",
                f"{_KIND_ZH.get(edit.kind, edit.kind)}不是改动图层的编辑",
            )
        return None

    def _last_place(self, row: Record, edit: Edit) -> ParkHost:
        """Where a park being removed is, its units derived now if an edit placed it."""
        host = ParkHost.of(row, edit)
        if str(row["feature_id"]) not in self.placed.get("parks", set()):
            return host
        geometry = row["geometry"]
        assert isinstance(geometry, BaseGeometry)  # an edit placed it
        counties, prefectures = gansu().units_of(geometry)
        return replace(
            host, county_adcodes=";".join(counties), prefecture_adcodes=";".join(prefectures)
        )

    def _add(self, edit: Edit) -> tuple[str, str] | None:
        if edit.feature_id in self.where:
            return f"feature `{edit.feature_id}` already exists", f"要素 {edit.feature_id} 已存在"
        if edit.layer not in self.layers or "geometry" not in self.layers[edit.layer].columns:
            return (
                f"`{edit.layer}` is not a plan layer with geometry",
                f"{layer_title_zh(edit.layer)}不是有几何图形的规划图层",
            )
        row: Record = {c: "" for c in self.layers[edit.layer].columns}
        row.update({k: v for k, v in edit.attributes.items() if k in row or k == "zone_ids"})
        row["feature_id"] = edit.feature_id
        row["source_refs"] = ""
        row["notes"] = f"added in a scenario by {edit.author}: {edit.reason}"
        self.rows(edit.layer)[edit.feature_id] = row
        self.where[edit.feature_id] = edit.layer
        self._place(edit.layer, row, edit)
        if "zone_ids" in edit.attributes:
            self.zone_fixed.add(edit.feature_id)
        return None

    def _place(self, layer: str, row: Record, edit: Edit) -> None:
        refs = [r for r in str(row.get("source_refs") or "").split(";") if r]
        row.update(
            geometry=edit.geometry,
            precision="site",
            place_method="site",
            place_ref=site_ref(edit),
            location_basis=location_basis(edit),
            source_refs=";".join([*refs, f"edit:{edit.id}"]),
        )
        self.placed.setdefault(layer, set()).add(str(row["feature_id"]))
        self.zone_fixed.discard(str(row["feature_id"]))  # the later of move and set zone wins

    def result(self) -> dict[str, pd.DataFrame]:
        out = {name: frame.copy() for name, frame in self.layers.items()}
        for name, rows in self.records.items():
            out[name] = _frame_like(self.layers[name], list(rows.values()))
        for name, ids in self.placed.items():
            out[name] = _derive_units(out[name], ids, out["economic_zones"], self.zone_fixed)
        if "parks" not in out:
            return out
        parks = out["parks"].set_index("feature_id", drop=False)
        hosts = {
            fid: ParkHost.of(parks.loc[fid].to_dict())
            for fid in self.placed.get("parks", set())
            if fid in parks.index
        }
        hosts |= self.removed_parks
        out = follow_parks(out, hosts, self.park_names, self.zone_fixed)
        if self.removed_parks and "industry_chains" in out:
            chains = drop_parks_from_chains(out["industry_chains"], set(self.removed_parks))
            out["industry_chains"] = chains
        return out


def _frame_like(original: pd.DataFrame, rows: Sequence[Record]) -> pd.DataFrame:
    columns = list(original.columns)
    if not isinstance(original, gpd.GeoDataFrame):
        return _cast(pd.DataFrame.from_records(rows, columns=columns), original.dtypes)
    name = original.geometry.name
    plain = pd.DataFrame.from_records(rows, columns=columns).drop(columns=name)
    plain = _cast(plain, original.dtypes.drop(name))
    geometry = gpd.GeoSeries([r[name] for r in rows], crs=original.crs, index=plain.index)
    return gpd.GeoDataFrame(plain.assign(**{name: geometry}), geometry=name, crs=original.crs)[
        columns
    ]


def _cast(frame: pd.DataFrame, dtypes: pd.Series) -> pd.DataFrame:
    """`frame` with the column types of the layer it was made from (numbers typed as text too)."""
    out = frame.copy()
    for column, dtype in dtypes.items():
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            out[column] = pd.to_numeric(out[column].replace("", None))
    return out.astype(dtypes.to_dict())


def _derive_units(
    frame: gpd.GeoDataFrame, ids: set[str], zones: gpd.GeoDataFrame, zone_fixed: set[str]
) -> gpd.GeoDataFrame:
    """Recompute county, prefecture and zone columns of the placed features `ids`."""
    mask = frame["feature_id"].isin(ids).to_numpy()
    if not mask.any():
        return frame
    out = frame.copy()
    units = [gansu().units_of(g) for g in out.geometry[mask]]
    out.loc[mask, "county_adcodes"] = [";".join(c) for c, _ in units]
    out.loc[mask, "prefecture_adcodes"] = [";".join(p) for _, p in units]
    for claim, derived in (
        ("county_adcode", "county_adcodes"),
        ("prefecture_adcode", "prefecture_adcodes"),
    ):
        if claim in out.columns:  # an added feature claims the units its site lies in
            added = out["feature_id"].str.startswith("user_").to_numpy()
            blank = mask & added & out[claim].fillna("").eq("").to_numpy()
            out.loc[blank, claim] = out.loc[blank, derived]
    return rezone(out, mask, zones, zone_fixed)


def apply_edits(
    layers: PlanLayers,
    edits: Iterable[Edit],
    *,
    skipped: list[tuple[Edit, str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """The plan layers with the edits in effect applied, in order.

    Parameters
    ----------
    layers
        Plan layers as :func:`longtu.layout.plan_layers` returns them (not modified).
    edits
        Edits in order; ``undo`` records, the edits they undo and rejected edits are left out
        (:func:`edits_in_effect`).
    skipped
        A list to collect ``(edit, reason)`` for edits that cannot apply (their feature was
        removed, or added by an edit since undone or rejected). Without it such an edit raises.

    Returns
    -------
    dict
        Layer name -> GeoDataFrame (``targets``: DataFrame), new frames.

    Raises
    ------
    ScenarioError
        An edit cannot apply and `skipped` is not given.
    """
    work = _Work(layers)
    for edit in edits_in_effect(edits):
        problem = work.apply(edit)
        if problem is None:
            continue
        if skipped is None:
            raise ScenarioError(
                f"edit {edit.id} ({edit.kind} {edit.feature_id}): {problem[0]}.",
                zh=f"编辑 {edit.id}（{_KIND_ZH.get(edit.kind, edit.kind)} {edit.feature_id}）"
                f"无法应用：{problem[1]}。",
            )
        skipped.append((edit, problem[0]))
    return work.result()
