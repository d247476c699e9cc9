"""Features placed on a park follow it: the plan loader's rule, applied to a scenario's edits.

Features placed on a park (``place_method = park``, ``place_ref`` = the park's name or alias)
take the park's geometry, precision, county and prefecture, and a ``location_basis`` naming
the park (:func:`follow_parks`); when the park is removed they stay where it last was and say
so (:func:`orphaned_features` lists them), and the removed park leaves the ``park_ids`` of the
industry chains (:func:`drop_parks_from_chains`). :mod:`longtu.layout.scenarios.apply` uses
these while it applies edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from longtu.layout.places import split_list
from longtu.layout.plan import assign_zones
from longtu.layout.scenarios.edits import Edit, PlanLayers

Record = dict[str, object]


def park_names(parks: pd.DataFrame) -> dict[str, str]:
    """Every name and alias of the parks -> the park's ``feature_id`` (the ``park`` method's keys).

    Examples
    --------
    >>> parks = pd.DataFrame({"feature_id": ["park_a"], "name_zh": ["甲园"], "aliases_zh": ["甲"]})
    >>> park_names(parks)
    {'甲园': 'park_a', '甲': 'park_a'}
    """
    names: dict[str, str] = {}
    aliases = parks["aliases_zh"] if "aliases_zh" in parks.columns else [""] * len(parks)
    for fid, name, more in zip(parks["feature_id"], parks["name_zh"], aliases, strict=True):
        for key in [str(name), *split_list(more)]:
            names[key] = str(fid)
    return names


def orphaned_features(layers: PlanLayers) -> pd.DataFrame:
    """Features placed on a park that is not in the layers (it was removed in the scenario).

    Such a feature keeps the park's last geometry (see the module); give it a site or remove it.

    Returns
    -------
    pandas.DataFrame
        Columns ``layer``, ``feature_id``, ``name_zh`` and ``park`` (the name it is placed on).
    """
    known = park_names(layers["parks"]) if "parks" in layers else {}
    rows = [
        {"layer": name, "feature_id": r["feature_id"], "name_zh": r["name_zh"],
         "park": r["place_ref"]}
        for name, frame in layers.items()
        if {"place_method", "place_ref", "feature_id", "name_zh"} <= set(frame.columns)
        for r in frame[frame["place_method"].eq("park")].to_dict(orient="records")
        if r["place_ref"] not in known
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["layer", "feature_id", "name_zh", "park"])


@dataclass(frozen=True)
class ParkHost:
    """Where a park is now, for the features placed on it (``removed_by``: it was removed)."""

    geometry: object
    precision: str
    location_basis: str
    county_adcodes: str
    prefecture_adcodes: str
    removed_by: Edit | None = None

    @classmethod
    def of(cls, row: Mapping[str, object], removed_by: Edit | None = None) -> ParkHost:
        """The host a park's row makes (`removed_by`: the edit that removed it)."""
        return cls(
            row.get("geometry"),
            str(row.get("precision") or ""),
            str(row.get("location_basis") or ""),
            str(row.get("county_adcodes") or ""),
            str(row.get("prefecture_adcodes") or ""),
            removed_by,
        )


def _follower_values(host: ParkHost, ref: str) -> Record:
    """The placement columns of a feature placed on park `ref` (the plan loader's rule)."""
    values: Record = {
        "geometry": host.geometry,
        "precision": host.precision,
        "location_basis": f"location of park {ref}: {host.location_basis}",
        "county_adcodes": host.county_adcodes,
        "prefecture_adcodes": host.prefecture_adcodes,
    }
    edit = host.removed_by
    if edit is not None:
        values["location_basis"] = (
            f"park {ref} was removed in scenario edit {edit.id} by {edit.author}, "
            f"{edit.time[:10]}; kept at the park's last location ({host.location_basis})"
        )
    return values


def follow_parks(
    out: dict[str, pd.DataFrame],
    hosts: dict[str, ParkHost],
    names: Mapping[str, str],
    zone_fixed: set[str],
) -> dict[str, pd.DataFrame]:
    """Features placed on the parks `hosts` (and on parks placed on them) follow them."""
    seen = set(hosts)
    while hosts:
        followers: dict[str, ParkHost] = {}
        for layer, frame in list(out.items()):
            if not isinstance(frame, gpd.GeoDataFrame) or "place_method" not in frame.columns:
                continue
            host_ids = frame["place_ref"].map(names).where(frame["place_method"].eq("park"))
            on_park = host_ids.isin(list(hosts)).to_numpy()
            if not on_park.any():
                continue
            frame = frame.copy()
            for i, host_id in zip(frame.index[on_park], host_ids[on_park], strict=True):
                row = frame.loc[i]
                for column, value in _follower_values(hosts[host_id], row["place_ref"]).items():
                    if column in frame.columns:
                        frame.loc[i, column] = value
                if layer == "parks" and row["feature_id"] not in seen:
                    followers[str(row["feature_id"])] = ParkHost.of(frame.loc[i].to_dict())
            out[layer] = rezone(frame, on_park, out["economic_zones"], zone_fixed)
        seen |= set(followers)
        hosts = followers
    return out


def rezone(
    frame: gpd.GeoDataFrame, mask: np.ndarray, zones: gpd.GeoDataFrame, zone_fixed: set[str]
) -> gpd.GeoDataFrame:
    """`frame` with the ``zone_ids`` of the `mask` rows recomputed, except those in `zone_fixed`."""
    if "zone_ids" not in frame.columns:
        return frame
    rezone = mask & ~frame["feature_id"].isin(zone_fixed).to_numpy()
    if rezone.any():
        frame.loc[rezone, "zone_ids"] = assign_zones(frame[rezone], zones)["zone_ids"].to_numpy()
    return frame


def drop_parks_from_chains(chains: pd.DataFrame, removed: set[str]) -> pd.DataFrame:
    """The chains without the removed parks in their ``park_ids``."""
    if "park_ids" not in chains.columns:
        return chains
    out = chains.copy()
    out["park_ids"] = [
        ";".join(p for p in split_list(cell) if p not in removed) for cell in out["park_ids"]
    ]
    return out
