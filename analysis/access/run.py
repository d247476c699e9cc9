"""Transport access of the parks and energy sites: ``access(layers, graph=None)``.

For every park and energy site (one row per point of a MultiPoint), the nearest railway station
or freight yard, expressway interchange, airport, prefecture seat, provincial capital and
county seat, with the distance (km), the travel time (min), the path as a line and the method:

- ``network``: the fastest path over the road network of an OSM extract (:mod:`.routing`);
- ``straight-line estimate``: the geodesic distance to the nearest target, with no travel time.
  Used for every kind when no network is given (airports, seats: what ships with Longtu), and
  for a point or a kind the network does not reach (a park more than `snap_limit_km` from any
  road, targets of a kind missing from the extract).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from longtu import settings
from longtu.analysis.access.routing import Router
from longtu.analysis.access.targets import gansu_airports, osm_targets, seat_targets
from longtu.analysis.distance import check_wgs84
from longtu.analysis.result import AnalysisResult
from longtu.errors import ParameterError

if TYPE_CHECKING:
    from longtu.analysis.access.network import AccessNetwork

ACCESS_LAYERS = ("parks", "energy_sites", "prefecture_seats", "county_seats")
"""Layers :func:`access` reads (the seats are :func:`longtu.layout.load.symbol_points`)."""

KINDS = ("station", "interchange", "airport", "prefecture_seat", "capital", "county_seat")
NETWORK = "network"
ESTIMATE = "straight-line estimate"
_GEOD = Geod(ellps="WGS84")
_KIND_WORDS = {
    "station": ("最近火车站", "the nearest railway station"),
    "interchange": ("最近高速互通", "the nearest expressway interchange"),
    "airport": ("最近机场", "the nearest airport"),
    "prefecture_seat": ("最近市州驻地", "the nearest prefecture seat"),
    "capital": ("省会兰州", "the capital Lanzhou"),
    "county_seat": ("最近县城", "the nearest county seat"),
}


def feature_points(layers: dict[str, gpd.GeoDataFrame]) -> tuple[gpd.GeoDataFrame, int]:
    """Parks and energy sites as points (MultiPoints exploded); and the count left unplaced."""
    parts = []
    unplaced = 0
    for layer, kind in (("parks", "park"), ("energy_sites", "energy_site")):
        frame = layers[layer]
        check_wgs84(frame, layer)
        empty = frame.geometry.isna() | frame.geometry.is_empty
        unplaced += int(empty.sum())
        columns = ["feature_id", "name_zh", "name_en", "precision", "prefecture_adcode"]
        columns.append("geometry")
        placed = frame.loc[~empty, [c for c in columns if c in frame.columns]]
        points = placed.explode(index_parts=False).reset_index(drop=True)
        points = points[points.geometry.geom_type == "Point"]
        parts.append(points.assign(feature_kind=kind))
    frame = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.storage_crs), unplaced


def all_targets(
    layers: dict[str, gpd.GeoDataFrame], graph: AccessNetwork | None
) -> gpd.GeoDataFrame:
    """Every target: the stations, interchanges and airports of `graph`, and seats.

    The shipped airports stand in when the extract has none (or when there is no extract).
    """
    seats = seat_targets(layers["prefecture_seats"], layers["county_seats"])
    parts = [seats]
    osm = osm_targets(graph.targets) if graph is not None else None
    if osm is not None and len(osm):
        parts.insert(0, osm)
    if osm is None or not (osm["kind"] == "airport").any():
        parts.insert(0, layers.get("airports", gansu_airports()))
    frame = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.storage_crs)


def straight_line(points: gpd.GeoSeries, targets: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Position of the geodesically nearest target of each point and the distance (km)."""
    p_lon = np.repeat(points.x.to_numpy()[:, None], len(targets), axis=1)
    p_lat = np.repeat(points.y.to_numpy()[:, None], len(targets), axis=1)
    t_lon = np.repeat(targets.x.to_numpy()[None, :], len(points), axis=0)
    t_lat = np.repeat(targets.y.to_numpy()[None, :], len(points), axis=0)
    _, _, metres = _GEOD.inv(p_lon, p_lat, t_lon, t_lat)
    metres = np.asarray(metres).reshape(len(points), len(targets))
    nearest = metres.argmin(axis=1)
    return nearest, metres[np.arange(len(points)), nearest] / 1000.0


def _kind_rows(
    points: gpd.GeoDataFrame,
    targets: gpd.GeoDataFrame,
    router: Router | None,
    snap_limit_km: float,
) -> pd.DataFrame:
    """One row per point to the nearest target of one kind (network where it reaches)."""
    n = len(points)
    rows = pd.DataFrame(
        {
            "target": np.full(n, -1),
            "distance_km": np.nan,
            "travel_time_min": np.nan,
            "to_network_km": np.nan,
            "method": ESTIMATE,
        }
    )
    paths: list[shapely.Geometry | None] = [None] * n
    if router is not None:
        found = router.nearest(points.geometry, targets.geometry, snap_limit_km=snap_limit_km)
        reached = found.target >= 0
        rows.loc[reached, "target"] = found.target[reached]
        rows.loc[reached, "distance_km"] = found.distance_km[reached]
        rows.loc[reached, "travel_time_min"] = found.travel_time_min[reached]
        rows.loc[reached, "method"] = NETWORK
        rows["to_network_km"] = found.to_network_km
        paths = list(found.paths)
    rest = rows["target"].to_numpy() < 0
    if rest.any():
        nearest, km = straight_line(points.geometry[rest], targets.geometry)
        rows.loc[rest, "target"] = nearest
        rows.loc[rest, "distance_km"] = km
        for i, t in zip(np.flatnonzero(rest), nearest, strict=True):
            paths[i] = shapely.LineString([points.geometry.iloc[i], targets.geometry.iloc[t]])
    rows["geometry"] = paths
    return rows


def access_paths(
    points: gpd.GeoDataFrame,
    targets: gpd.GeoDataFrame,
    router: Router | None,
    *,
    snap_limit_km: float,
) -> gpd.GeoDataFrame:
    """The long table: one row per point and target kind with a target of that kind."""
    parts = []
    for kind in KINDS:
        of_kind = targets[targets["kind"] == kind].reset_index(drop=True)
        if of_kind.empty:
            continue
        rows = _kind_rows(points, of_kind, router, snap_limit_km)
        chosen = of_kind.iloc[rows["target"].to_numpy()]
        part = pd.DataFrame(
            {
                "feature_id": points["feature_id"].to_numpy(),
                "name_zh": points["name_zh"].to_numpy(),
                "name_en": points["name_en"].to_numpy(),
                "feature_kind": points["feature_kind"].to_numpy(),
                "precision": points.get("precision", pd.Series("", index=points.index)).to_numpy(),
                "prefecture_adcode": points.get(
                    "prefecture_adcode", pd.Series("", index=points.index)
                ).to_numpy(),
                "target_kind": kind,
                "target_name_zh": chosen["name_zh"].to_numpy(),
                "target_name_en": chosen["name_en"].to_numpy(),
            }
        )
        parts.append(pd.concat([part, rows.drop(columns="target")], axis=1))
    frame = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.storage_crs)


def summary_by_kind(paths: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per target kind and method: points, median and largest distance, median time."""
    grouped = paths.groupby(["target_kind", "method"], sort=False)
    table = grouped.agg(
        n_points=("feature_id", "size"),
        median_distance_km=("distance_km", "median"),
        max_distance_km=("distance_km", "max"),
        median_travel_time_min=("travel_time_min", "median"),
    )
    return table.reset_index()


def access(
    layers: dict[str, gpd.GeoDataFrame],
    graph: AccessNetwork | None = None,
    *,
    snap_limit_km: float = 5.0,
    isochrone_at: tuple[float, float] | None = None,
) -> AnalysisResult:
    """Distance and travel time from every park and energy site to the nearest targets.

    Parameters
    ----------
    layers
        ``parks``, ``energy_sites`` (plan layers), ``prefecture_seats`` and ``county_seats``
        (symbol points); optional ``airports`` (default: :func:`.targets.gansu_airports`).
        All EPSG:4326.
    graph
        The road network of an OSM extract (:func:`.cache.load_network`); None for
        straight-line estimates only.
    snap_limit_km
        A point or target farther than this from the network is not joined to it; its rows
        are straight-line estimates.
    isochrone_at
        (lon, lat) of a chosen site: adds the table ``isochrones`` (30/60/120 min), which
        needs `graph`.

    Returns
    -------
    AnalysisResult
        Named ``"access"``; tables ``access_paths`` (lines), ``access_summary``,
        ``access_targets`` and, with `isochrone_at`, ``isochrones``.

    Examples
    --------
    With no network, everything is a straight-line estimate:

    >>> from longtu.layout import load_layer
    >>> from longtu.layout.load import symbol_points
    >>> layers = {n: load_layer(n) for n in ("parks", "energy_sites")}
    >>> layers |= {"prefecture_seats": symbol_points("prefecture"),
    ...            "county_seats": symbol_points("county")}
    >>> result = access(layers)
    >>> sorted(set(result.tables["access_paths"]["method"]))
    ['straight-line estimate']
    """
    points, unplaced = feature_points(layers)
    targets = all_targets(layers, graph)
    router = graph.router if graph is not None else None
    paths = access_paths(points, targets, router, snap_limit_km=snap_limit_km)
    numbers = _numbers(paths, points, unplaced, graph)
    tables = {
        "access_paths": paths,
        "access_summary": summary_by_kind(paths),
        "access_targets": targets,
    }
    parameters = _parameters(graph, snap_limit_km)
    if isochrone_at is not None:
        tables["isochrones"], parameters["isochrone_at"] = _isochrones(router, isochrone_at)
    return _result(numbers, access_notes(graph, targets), tables, parameters)


def _parameters(graph: AccessNetwork | None, snap_limit_km: float) -> dict[str, object]:
    """The network used (or the estimate) and the snapping limit, for the result."""
    return {
        "network": graph.source if graph is not None else ESTIMATE,
        "snap_limit_km": snap_limit_km,
    }


def _isochrones(
    router: Router | None, isochrone_at: tuple[float, float]
) -> tuple[gpd.GeoDataFrame, str]:
    """The isochrones (30/60/120 min) of the site `isochrone_at`, and the site as text."""
    if router is None:
        raise ParameterError("`isochrone_at` needs a road network (`graph`).")
    isochrones = router.isochrones(*isochrone_at)
    return isochrones, f"{isochrone_at[0]:.4f}, {isochrone_at[1]:.4f}"


def _result(
    numbers: dict[str, float | int | str],
    notes: list[tuple[str, str]],
    tables: dict[str, gpd.GeoDataFrame | pd.DataFrame],
    parameters: dict[str, object],
) -> AnalysisResult:
    """The ``access`` result: its summaries from `numbers` and `notes`, with the tables."""
    zh, en = _summary(numbers, notes)
    return AnalysisResult(
        name="access",
        summary_zh=zh,
        summary_en=en,
        numbers=numbers,
        tables=tables,
        parameters=parameters,
    )


def access_notes(graph: AccessNetwork | None, targets: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """What the reader must know about the method (Chinese, English)."""
    seats = (
        "园区多按县城或市州驻地示意点定位（定位精度见表），其到驻地的距离仅为示意。",
        "Many parks are placed at a county or prefecture seat symbol (see the precision "
        "column); their distance to that seat says nothing.",
    )
    if graph is None:
        return [
            seats,
            (
                "未提供路网：机场与市县驻地为直线距离估算，无行车时间；"
                "火车站与高速互通需 OSM 路网数据。",
                "No road network: airports and seats are straight-line estimates with no travel "
                "time; stations and interchanges need an OSM extract.",
            ),
        ]
    notes = [seats]
    if not graph.has_railway():
        notes.append(
            (
                f"{graph.source} 中没有铁路和火车站：到火车站的可达性无法计算。",
                f"{graph.source} holds no railway and no station: access to stations is not "
                "measured.",
            )
        )
    if not (targets["kind"] == "interchange").any():
        notes.append(
            (
                f"{graph.source} 中没有高速互通。",
                f"{graph.source} holds no motorway junction (interchange).",
            )
        )
    return notes


def _numbers(
    paths: gpd.GeoDataFrame, points: gpd.GeoDataFrame, unplaced: int, graph: AccessNetwork | None
) -> dict[str, float | int | str]:
    numbers: dict[str, float | int | str] = {
        "n_points": len(points),
        "n_features_unplaced": unplaced,
        "n_paths_network": int((paths["method"] == NETWORK).sum()),
        "n_paths_estimate": int((paths["method"] == ESTIMATE).sum()),
    }
    for kind, part in paths.groupby("target_kind", sort=False):
        numbers[f"median_{kind}_km"] = round(float(part["distance_km"].median()), 1)
        minutes = part["travel_time_min"].median()
        if pd.notna(minutes):
            numbers[f"median_{kind}_min"] = round(float(minutes), 1)
    if graph is not None:
        numbers["n_road_edges"] = graph.n_edges
        numbers["n_ways_dropped"] = graph.n_ways_dropped
    return numbers


def _summary(numbers: dict, notes: list[tuple[str, str]]) -> tuple[str, str]:
    zh = [f"{numbers['n_points']} 个园区与能源基地点位"]
    en = [f"{numbers['n_points']} park and energy-site points"]
    for kind, (kind_zh, kind_en) in _KIND_WORDS.items():
        if f"median_{kind}_km" not in numbers:
            continue
        km = numbers[f"median_{kind}_km"]
        minutes = numbers.get(f"median_{kind}_min")
        zh.append(f"到{kind_zh}中位 {km} km" + (f"（{minutes} 分钟）" if minutes else ""))
        en.append(f"median {km} km to {kind_en}" + (f" ({minutes} min)" if minutes else ""))
    way = "路网最短时间路径" if numbers["n_paths_network"] else "直线距离估算"
    way_en = "fastest paths on the road network" if numbers["n_paths_network"] else ESTIMATE
    zh_text = "；".join(zh) + f"（{way}）。" + "".join(n[0] for n in notes)
    en_text = "; ".join(en) + f" ({way_en}). " + " ".join(n[1] for n in notes)
    return zh_text.strip(), en_text.strip()


def site_access(
    lon: float,
    lat: float,
    *,
    graph: AccessNetwork | None = None,
    prefecture_seats: gpd.GeoDataFrame | None = None,
    snap_limit_km: float = 5.0,
) -> pd.DataFrame:
    """Nearest station, interchange, airport and prefecture seat of one site.

    Parameters
    ----------
    lon, lat
        The site (WGS84 degrees).
    graph
        The road network, if any (else straight-line estimates).
    prefecture_seats
        Symbol points of the prefectures (optional; without them, no seat rows).
    snap_limit_km
        As in :func:`access`.

    Returns
    -------
    pandas.DataFrame
        One row per target kind found: ``target_kind``, ``target_name_zh``,
        ``target_name_en``, ``distance_km``, ``travel_time_min``, ``method``.

    Examples
    --------
    >>> row = site_access(103.62, 36.60).iloc[0]
    >>> row["target_name_zh"], round(float(row["distance_km"]), 1), row["method"]
    ('兰州中川国际机场', 9.4, 'straight-line estimate')
    """
    point = gpd.GeoDataFrame(
        {"feature_id": ["site"], "name_zh": ["选址"], "name_en": ["site"], "feature_kind": "site"},
        geometry=[shapely.Point(lon, lat)],
        crs=settings.storage_crs,
    )
    parts = [gansu_airports()]
    if graph is not None and len(graph.targets):
        parts.insert(0, osm_targets(graph.targets))
    if prefecture_seats is not None:
        seats = seat_targets(prefecture_seats, prefecture_seats.iloc[:0])
        parts.append(seats[seats["kind"] == "prefecture_seat"])
    targets = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=settings.storage_crs)
    router = graph.router if graph is not None else None
    paths = access_paths(point, targets, router, snap_limit_km=snap_limit_km)
    columns = ["target_kind", "target_name_zh", "target_name_en", "distance_km"]
    return pd.DataFrame(paths[[*columns, "travel_time_min", "method"]])
