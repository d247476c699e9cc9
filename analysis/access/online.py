"""The road network fetched from Overpass with OSMnx: an option (``--online``), never the default.

OSMnx downloads the drivable roads (its ``network_type="drive"`` filter) inside a polygon, and
the stations, junctions, aerodromes and railways as features, keeping its responses in its own
cache (``osmnx.settings.cache_folder``, set here to ``<data folder>/osmnx_cache``), so that a
second run does not ask the server again. The Overpass server is ``osmnx.settings.overpass_url``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from longtu import settings
from longtu.analysis.access.network import AccessNetwork, assemble_network, targets_frame
from longtu.analysis.access.reader import RAIL_CLASSES, ROAD_SPEEDS_KMH, target_kind

FEATURE_TAGS: dict[str, bool | str | list[str]] = {
    "railway": ["station", "halt", "yard", *RAIL_CLASSES],
    "highway": "motorway_junction",
    "aeroway": "aerodrome",
}
"""The OSM tags of the targets and railways fetched beside the roads."""

UNLISTED_SPEED_KMH = 30.0
"""Speed of a drivable road class missing from ``ROAD_SPEEDS_KMH`` (e.g. ``busway``)."""


@contextmanager
def _osmnx_cache() -> Iterator[None]:
    import osmnx

    before = (osmnx.settings.use_cache, osmnx.settings.cache_folder)
    osmnx.settings.use_cache = True
    osmnx.settings.cache_folder = Path(settings.data_folder) / "osmnx_cache"
    try:
        yield
    finally:
        osmnx.settings.use_cache, osmnx.settings.cache_folder = before


def network_from_overpass(polygon: shapely.Polygon | shapely.MultiPolygon) -> AccessNetwork:
    """Roads, targets and railways inside `polygon` (EPSG:4326), fetched with OSMnx.

    Parameters
    ----------
    polygon
        The area, e.g. Gansu's outline (``load_layer("province")``).

    Returns
    -------
    AccessNetwork
        Its ``source`` is the Overpass server's address.
    """
    import osmnx

    with _osmnx_cache():
        graph = osmnx.graph_from_polygon(
            polygon, network_type="drive", simplify=True, retain_all=True
        )
        features = _features(polygon)
    network = network_from_osmnx(graph)
    targets, railways = _targets_and_railways(features)
    network.targets = targets
    network.railways = railways
    network.source = f"Overpass ({osmnx.settings.overpass_url})"
    return network


def _features(polygon: shapely.Polygon | shapely.MultiPolygon) -> gpd.GeoDataFrame:
    import osmnx

    try:
        return osmnx.features_from_polygon(polygon, tags=FEATURE_TAGS)
    except ValueError as exc:  # osmnx's InsufficientResponseError: none of these in the area
        if "No matching features" not in str(exc):
            raise
        return gpd.GeoDataFrame(geometry=[], crs=settings.storage_crs)


def network_from_osmnx(graph: nx.MultiDiGraph) -> AccessNetwork:
    """An OSMnx graph (edge ``length`` in m, ``highway`` a class or a list) as a network."""
    ids = np.fromiter(graph.nodes, np.int64, graph.number_of_nodes())
    lon = np.array([graph.nodes[n]["x"] for n in ids.tolist()], float)
    lat = np.array([graph.nodes[n]["y"] for n in ids.tolist()], float)
    position = {n: i for i, n in enumerate(ids.tolist())}
    rows = [
        (position[u], position[v], float(data["length"]), _road_class(data.get("highway")))
        for u, v, data in graph.edges(data=True)
    ]
    edges = pd.DataFrame(rows, columns=["a", "b", "length_m", "highway"])
    speed = edges["highway"].map(ROAD_SPEEDS_KMH).fillna(UNLISTED_SPEED_KMH)
    return assemble_network(
        ids,
        lon,
        lat,
        edges["a"].to_numpy(),
        edges["b"].to_numpy(),
        edges["length_m"].to_numpy(),
        edges["length_m"].to_numpy() / (speed.to_numpy() / 3.6),
        edges["highway"].to_numpy(object),
    )


def _road_class(value: object) -> str:
    """The fastest class of an OSMnx ``highway`` value (a list where ways were merged)."""
    classes = value if isinstance(value, list) else [value]
    known = [c for c in classes if c in ROAD_SPEEDS_KMH]
    return max(known, key=ROAD_SPEEDS_KMH.__getitem__) if known else str(classes[0])


def _targets_and_railways(
    features: gpd.GeoDataFrame,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Targets (points; areas at their centroid) and railway lines of OSMnx features."""
    targets = []
    lines = []
    for (element, osm_id), row in features.iterrows():
        tags = {k: str(v) for k, v in row.items() if k != "geometry" and isinstance(v, str)}
        kind = target_kind(tags)
        geometry = row.geometry
        if kind is not None:
            point = geometry if geometry.geom_type == "Point" else geometry.centroid
            name = tags.get("name:zh") or tags.get("name") or ""
            targets.append((kind, int(osm_id), name, point.x, point.y))
        elif element == "way" and tags.get("railway") in RAIL_CLASSES:
            lines.append(geometry)
    railways = gpd.GeoDataFrame(geometry=lines, crs=settings.storage_crs)
    return targets_frame(targets), railways
