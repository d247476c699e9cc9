"""Spatial checks of the plan layers, run whenever they load.

Each check adds rows to a :class:`longtu.layout.problems.Problems` collector; nothing here raises by
itself, so that one run reports every problem.
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from pyproj import CRS

from longtu import settings
from longtu.layout.places import PLACE_METHODS, split_list
from longtu.layout.problems import Problems

#: Largest gap or overlap between the economic zones and the province that still counts as a
#: partition (km²): floating-point slivers of the dissolve, nothing a map could show.
PARTITION_TOLERANCE_KM2 = 0.01
#: Every ``place_method`` a layer may hold: the plan tables' methods and ``site``, the geometry a
#: scenario edit gives (imported, drawn or typed; see ``catalog.PROVENANCE_COLUMNS``).
LAYER_PLACE_METHODS = (*PLACE_METHODS, "site")
PRECISIONS = ("site", "town", "county", "prefecture", "schematic", "unplaced")


def check_crs_and_geometry(name: str, frame: gpd.GeoDataFrame, problems: Problems) -> None:
    """CRS must be EPSG:4326; every present geometry must be valid."""
    storage = CRS.from_user_input(settings.storage_crs)
    if frame.crs is None or CRS.from_user_input(frame.crs) != storage:
        problems.add(name, "layer", "crs", f"is {frame.crs}, expected {settings.storage_crs}")
    present = frame.geometry.notna()
    invalid = present & ~frame.geometry.is_valid
    for fid, geom in zip(
        frame.loc[invalid, "feature_id"], frame.loc[invalid].geometry, strict=True
    ):
        problems.add(name, fid, "geometry", f"invalid: {shapely.is_valid_reason(geom)}")


def check_within_claimed_units(
    name: str,
    frame: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    prefectures: gpd.GeoDataFrame,
    problems: Problems,
) -> None:
    """Every feature must lie inside the county (and prefecture) its row claims.

    Uses the ``county_adcode`` and ``prefecture_adcode`` columns a table states beside its
    placement; a point on a boundary counts as inside.
    """
    county_geom = counties.set_index("adcode").geometry
    pref_geom = prefectures.set_index("adcode").geometry
    for row in frame.itertuples(index=False):
        if row.geometry is None:
            continue
        for col, units, label in (
            ("county_adcode", county_geom, "county"),
            ("prefecture_adcode", pref_geom, "prefecture"),
        ):
            claimed = split_list(getattr(row, col, ""))
            unknown = [c for c in claimed if c not in units.index]
            if unknown:
                problems.add(
                    name, row.feature_id, col, f"unknown {label} adcode(s) {', '.join(unknown)}"
                )
                continue
            if claimed:
                area = shapely.union_all(units.loc[claimed].values)
                if not shapely.covers(area.buffer(1e-9), row.geometry):
                    problems.add(
                        name,
                        row.feature_id,
                        col,
                        f"geometry is not inside the claimed {label} {';'.join(claimed)}",
                    )


def check_zone_partition(
    zones: gpd.GeoDataFrame, province: gpd.GeoDataFrame, problems: Problems
) -> dict[str, float]:
    """The ``zone`` rows must cover the province with no gap and no overlap.

    Returns
    -------
    dict
        ``gap_km2``, ``overlap_km2`` and ``province_km2`` (equal-area CRS).
    """
    top = zones[zones["level"] == "zone"].to_crs(settings.equal_area_crs)
    outline = province.to_crs(settings.equal_area_crs).geometry.iloc[0]
    geoms = [g for g in top.geometry if g is not None]
    union = shapely.union_all(geoms) if geoms else shapely.Polygon()
    gap = shapely.difference(outline, union).area / 1e6
    overlap = (sum(g.area for g in geoms) - union.area) / 1e6
    if len(top) != 3:
        problems.add("economic_zones", "layer", "level", f"{len(top)} zone rows, the plan has 3")
    if gap > PARTITION_TOLERANCE_KM2:
        problems.add(
            "economic_zones", "layer", "geometry", f"zones leave {gap:.2f} km² of Gansu uncovered"
        )
    if overlap > PARTITION_TOLERANCE_KM2:
        problems.add("economic_zones", "layer", "geometry", f"zones overlap by {overlap:.2f} km²")
    return {"gap_km2": gap, "overlap_km2": overlap, "province_km2": outline.area / 1e6}


def check_unique_ids(frames: dict[str, gpd.GeoDataFrame], problems: Problems) -> None:
    """``feature_id`` must be unique across every plan layer."""
    seen: dict[str, str] = {}
    for name, frame in frames.items():
        for fid in frame["feature_id"]:
            if fid in seen:
                problems.add(name, fid, "feature_id", f"also used in {seen[fid]}")
            seen[fid] = name


def check_provenance(name: str, frame: gpd.GeoDataFrame, problems: Problems) -> None:
    """``place_method`` and ``precision`` must be known words (``site`` among them).

    A ``site`` (geometry a scenario edit gave) needs a geometry, a ``place_ref`` (the source
    file and feature, or the edit) and precision ``site``.
    """
    for row in frame.itertuples(index=False):
        method, precision = getattr(row, "place_method", ""), getattr(row, "precision", "")
        if method not in LAYER_PLACE_METHODS:
            problems.add(name, row.feature_id, "place_method",
                         f"`{method}` is not one of {', '.join(LAYER_PLACE_METHODS)}")  # fmt: skip
        if precision not in PRECISIONS:
            problems.add(name, row.feature_id, "precision",
                         f"`{precision}` is not one of {', '.join(PRECISIONS)}")  # fmt: skip
        if method != "site":
            continue
        if row.geometry is None or row.geometry.is_empty:
            problems.add(name, row.feature_id, "geometry", "a site has no geometry")
        if not getattr(row, "place_ref", ""):
            problems.add(name, row.feature_id, "place_ref", "a site names no source or edit")
        if precision != "site":
            problems.add(name, row.feature_id, "precision", f"is `{precision}` for a site")


def check_layers(
    layers: dict[str, gpd.GeoDataFrame],
    counties: gpd.GeoDataFrame,
    prefectures: gpd.GeoDataFrame,
    problems: Problems,
) -> None:
    """The checks of single layers, run on built layers such as a scenario's.

    Unique ids, CRS, valid geometry, provenance (:func:`check_provenance`) and claimed units;
    the zone partition is the plan's and is not checked again.
    """
    frames = {
        n: f for n, f in layers.items() if isinstance(f, gpd.GeoDataFrame) and "feature_id" in f
    }
    check_unique_ids(frames, problems)
    for name, frame in frames.items():
        check_crs_and_geometry(name, frame, problems)
        if "place_method" in frame.columns:
            check_provenance(name, frame, problems)
        if "county_adcode" in frame.columns:
            check_within_claimed_units(name, frame, counties, prefectures, problems)
