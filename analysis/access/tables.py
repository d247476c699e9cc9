"""What an access result says per park: one row per point, time classes, counts, the farthest.

Derived from the long table ``access_paths`` of :func:`longtu.analysis.access.access` (one row
per point and target kind), for the briefing's access pages and the app's access map:

- :func:`access_by_point`: one row per point with the nearest target of every kind;
- :func:`map_measure`: the value a map colours each point by (time to the nearest station or
  interchange on the network, else the straight-line distance to the nearest airport) and
  :func:`measure_class`, its class;
- :func:`counts_within`: parks within 30/60/120 min (or km, for estimates) of a target kind;
- :func:`map_paths`: the paths a map draws (network paths to the nearest station and
  interchange only, not every path to Lanzhou).
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from longtu import settings
from longtu.analysis.access.run import ESTIMATE, KINDS, NETWORK

BANDS = (30, 60, 120)
"""Upper limits of the classes, minutes on the network (km for straight-line estimates)."""
MAP_KINDS = ("station", "interchange")
"""Target kinds whose paths a map draws and whose time colours the points."""
Unit = Literal["min", "km"]


def access_by_point(paths: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per point of a park or energy site: the nearest target of every kind.

    Parameters
    ----------
    paths
        The table ``access_paths`` of an access result (lines that start at the point).

    Returns
    -------
    geopandas.GeoDataFrame
        ``feature_id``, ``name_zh``, ``name_en``, ``feature_kind``, ``precision``,
        ``prefecture_adcode``, ``point`` (1 for the first point of a feature, 2 for its
        second…), ``n_points`` (points of the feature) and, for each target kind found,
        ``<kind>_km``, ``<kind>_min``, ``<kind>_method`` and ``<kind>_name_zh``; the points.

    Examples
    --------
    >>> line = shapely.LineString([(103.0, 36.0), (103.1, 36.0)])
    >>> paths = gpd.GeoDataFrame({"feature_id": ["p", "p"], "name_zh": "园", "name_en": "P",
    ...     "feature_kind": "park", "precision": "town", "prefecture_adcode": "620100",
    ...     "target_kind": ["airport", "capital"], "target_name_zh": ["机场", "兰州"],
    ...     "distance_km": [9.0, 50.0], "travel_time_min": np.nan, "method": ESTIMATE},
    ...     geometry=[line, line], crs=4326)
    >>> row = access_by_point(paths).iloc[0]
    >>> float(row["airport_km"]), float(row["capital_km"]), row.geometry.x
    (9.0, 50.0, 103.0)
    """
    keys = ["feature_id", "name_zh", "name_en", "feature_kind", "precision", "prefecture_adcode"]
    frame = pd.DataFrame(paths).copy()
    for column in keys:
        if column not in frame.columns:
            frame[column] = ""
    frame[keys] = frame[keys].fillna("")
    frame["point"] = frame.groupby(["feature_id", "target_kind"], sort=False).cumcount() + 1
    first = frame[frame["target_kind"] == frame["target_kind"].iloc[0]]
    out = first[[*keys, "point"]].reset_index(drop=True)
    geometry = shapely.get_point(first.geometry.to_numpy(), 0)
    for kind in [k for k in KINDS if (frame["target_kind"] == k).any()]:
        part = frame[frame["target_kind"] == kind].set_index(["feature_id", "point"])
        part = part.reindex(pd.MultiIndex.from_frame(out[["feature_id", "point"]]))
        for column, name in (("distance_km", "km"), ("travel_time_min", "min"),
                             ("method", "method"), ("target_name_zh", "name_zh")):  # fmt: skip
            out[f"{kind}_{name}"] = part[column].to_numpy()
    out["n_points"] = out.groupby("feature_id")["point"].transform("size")
    return gpd.GeoDataFrame(out, geometry=geometry, crs=settings.storage_crs)


def map_measure(by_point: pd.DataFrame) -> tuple[pd.Series, Unit, str]:
    """The value each point is coloured by, its unit, and the target kind(s) it measures.

    Minutes to the nearest station or interchange where the network reached one (NaN for the
    points it did not reach); with no network time at all, the straight-line distance (km) to
    the nearest airport (``"airport"``).

    Examples
    --------
    >>> frame = pd.DataFrame({"station_min": [12.0, np.nan], "interchange_min": [30.0, 5.0],
    ...                       "airport_km": [40.0, 80.0]})
    >>> values, unit, kinds = map_measure(frame)
    >>> list(values), unit, kinds
    ([12.0, 5.0], 'min', 'station_interchange')
    """
    columns = [f"{k}_min" for k in MAP_KINDS if f"{k}_min" in by_point.columns]
    if columns:
        minutes = by_point[columns].astype(float).min(axis=1)
        if minutes.notna().any():
            return minutes, "min", "station_interchange"
    return by_point["airport_km"].astype(float), "km", "airport"


def measure_class(values: pd.Series) -> pd.Series:
    """Class of each value: 0 up to 30, 1 up to 60, 2 up to 120, 3 beyond, -1 not measured.

    Examples
    --------
    >>> list(measure_class(pd.Series([30.0, 30.5, 119.0, 500.0, np.nan])))
    [0, 1, 2, 3, -1]
    """
    classes = np.searchsorted(np.asarray(BANDS, dtype=float), values.to_numpy(float), "left")
    return pd.Series(np.where(values.isna(), -1, classes), index=values.index, dtype=int)


def counts_within(by_point: pd.DataFrame, kind: str) -> tuple[list[int], Unit, int, int]:
    """Parks within 30, 60 and 120 min (network) or km (estimate) of a target of `kind`.

    A park with several points counts by its nearest point. Minutes when the network reached
    the kind from any park (the parks it did not reach are counted apart), else straight-line
    km.

    Returns
    -------
    tuple
        (counts within each of :data:`BANDS`, unit, parks counted, parks with no network time
        when the unit is minutes).

    Examples
    --------
    >>> frame = pd.DataFrame({"feature_id": ["a", "a", "b"], "feature_kind": "park",
    ...     "airport_km": [200.0, 50.0, 10.0], "airport_min": np.nan,
    ...     "airport_method": ESTIMATE})
    >>> counts_within(frame, "airport")
    ([1, 2, 2], 'km', 2, 0)
    """
    parks = by_point[by_point["feature_kind"] == "park"]
    unit: Unit = "min" if parks[f"{kind}_min"].notna().any() else "km"
    nearest = parks.groupby("feature_id")[f"{kind}_{unit}"].min()
    counts = [int((nearest <= band).sum()) for band in BANDS]
    return counts, unit, len(nearest), int(nearest.isna().sum())


def kind_method(by_point: pd.DataFrame, kind: str) -> str:
    """``network``, ``straight-line estimate`` or ``mixed``: how a kind was measured."""
    methods = set(by_point[f"{kind}_method"].dropna())
    if methods == {NETWORK}:
        return NETWORK
    return ESTIMATE if methods <= {ESTIMATE} else "mixed"


def map_paths(paths: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The paths a map draws: on the network, to the nearest station and interchange only.

    Straight-line estimates are not drawn as paths (they are no route), nor are the paths to
    airports, seats and Lanzhou (one from every park would hide the map).
    """
    keep = paths["target_kind"].isin(MAP_KINDS) & (paths["method"] == NETWORK)
    return paths[keep & paths.geometry.notna()]
