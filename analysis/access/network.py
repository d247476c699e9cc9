"""The road network of an OSM extract as a routable graph, with its targets and railways.

The ways read by :mod:`~longtu.analysis.access.reader` are cut at every node shared by two
ways, at way ends and at motorway junctions; the nodes in between are folded into the edge's
length. Each edge has ``length_m`` (geodesic, WGS84), ``travel_time_s`` (length at the speed
of its road class, :data:`~longtu.analysis.access.reader.ROAD_SPEEDS_KMH`) and ``highway``.
The graph is undirected: access is measured as if every road ran both ways (one-way streets
matter inside towns, not at the scale of a province).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from longtu import settings
from longtu.analysis.access.reader import ROAD_SPEEDS_KMH, OsmContent
from longtu.errors import InputFileError

if TYPE_CHECKING:
    from longtu.analysis.access.routing import Router

_GEOD = Geod(ellps="WGS84")
TARGET_KINDS_OSM = ("station", "interchange", "airport")


@dataclass
class AccessNetwork:
    """A road graph with the targets and railways of the same extract.

    Attributes
    ----------
    node_id : numpy.ndarray
        OSM id of each graph node (int64).
    lon, lat : numpy.ndarray
        Coordinates of the nodes (degrees, EPSG:4326).
    edge_u, edge_v : numpy.ndarray
        Positions (into `node_id`) of the two ends of each edge.
    length_m, travel_time_s : numpy.ndarray
        Length and travel time of each edge.
    highway : numpy.ndarray
        Road class of each edge (``motorway``, ``primary``…).
    targets : geopandas.GeoDataFrame
        ``kind`` (station, interchange, airport), ``osm_id``, ``name``; points.
    railways : geopandas.GeoDataFrame
        Railway lines (``rail``, ``narrow_gauge``) of the extract.
    source : str
        Where the network came from (the file name, or ``Overpass``).
    n_ways_dropped : int
        Ways left out because the extract lacks some of their nodes.
    """

    node_id: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    length_m: np.ndarray
    travel_time_s: np.ndarray
    highway: np.ndarray
    targets: gpd.GeoDataFrame
    railways: gpd.GeoDataFrame
    source: str = ""
    n_ways_dropped: int = 0
    notes: list[str] = field(default_factory=list)

    @cached_property
    def graph(self) -> nx.Graph:
        """The network as an undirected NetworkX graph keyed by OSM node id.

        Nodes carry ``x`` (lon) and ``y`` (lat), edges ``length_m``, ``travel_time_s`` and
        ``highway`` (the osmnx attribute names, lengths in metres, times in seconds).
        """
        graph = nx.Graph(crs=settings.storage_crs, source=self.source)
        ids = self.node_id.tolist()
        graph.add_nodes_from(
            (n, {"x": x, "y": y})
            for n, x, y in zip(ids, self.lon.tolist(), self.lat.tolist(), strict=True)
        )
        u = self.node_id[self.edge_u].tolist()
        v = self.node_id[self.edge_v].tolist()
        graph.add_edges_from(
            (a, b, {"length_m": length, "travel_time_s": time, "highway": kind})
            for a, b, length, time, kind in zip(
                u,
                v,
                self.length_m.tolist(),
                self.travel_time_s.tolist(),
                self.highway.tolist(),
                strict=True,
            )
        )
        return graph

    @cached_property
    def router(self) -> Router:
        """The :class:`~longtu.analysis.access.routing.Router` of this network, built once."""
        from longtu.analysis.access.routing import Router

        return Router(self)

    @property
    def n_edges(self) -> int:
        """Number of road edges."""
        return len(self.edge_u)

    def has_railway(self) -> bool:
        """Whether the extract holds a railway line or a station."""
        return bool(len(self.railways)) or bool((self.targets["kind"] == "station").any())


def network_from_content(content: OsmContent, *, source: str = "") -> AccessNetwork:
    """The road graph of what :func:`~longtu.analysis.access.reader.read_osm` found.

    Parameters
    ----------
    content
        Roads, railways and targets of one extract.
    source
        Name of the extract, kept with the network.

    Returns
    -------
    AccessNetwork

    Raises
    ------
    InputFileError
        When the extract holds no complete road.
    """
    if not content.roads:
        raise InputFileError(
            f"{source or 'the extract'}: no complete road in it; give an OpenStreetMap extract "
            "with roads (highway=*).",
            zh=f"{source or '路网数据'} 中没有一条完整的道路；请改用含道路（highway 标签）的 "
            "OpenStreetMap 路网数据。",
        )
    ids = np.concatenate([r[0] for r in content.roads])
    lon = np.concatenate([r[1] for r in content.roads])
    lat = np.concatenate([r[2] for r in content.roads])
    sizes = np.array([len(r[0]) for r in content.roads])
    speeds = np.array([ROAD_SPEEDS_KMH[r[3]] for r in content.roads])
    classes = np.array([r[3] for r in content.roads], dtype=object)
    junctions = [t[1] for t in content.targets if t[0] == "interchange"]
    network = network_from_ways(
        ids, lon, lat, sizes, speeds_kmh=speeds, classes=classes, keep=np.array(junctions)
    )
    network.targets = targets_frame(content.targets)
    network.railways = gpd.GeoDataFrame(
        geometry=[shapely.LineString(line) for line in content.railways],
        crs=settings.storage_crs,
    )
    network.source = source
    network.n_ways_dropped = content.n_ways_dropped
    return network


def targets_frame(targets: list[tuple[str, int, str, float, float]]) -> gpd.GeoDataFrame:
    """Targets ``(kind, osm_id, name, lon, lat)`` as a point GeoDataFrame."""
    frame = pd.DataFrame(targets, columns=["kind", "osm_id", "name", "lon", "lat"])
    return gpd.GeoDataFrame(
        frame[["kind", "osm_id", "name"]],
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs=settings.storage_crs,
    )


def network_from_ways(
    ids: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    sizes: np.ndarray,
    *,
    speeds_kmh: np.ndarray,
    classes: np.ndarray,
    keep: np.ndarray | None = None,
) -> AccessNetwork:
    """The graph of ways given as flat node arrays (vectorised; no loop over ways).

    Parameters
    ----------
    ids, lon, lat
        Node ids and coordinates of every way, one way after the other.
    sizes
        Number of nodes of each way.
    speeds_kmh, classes
        Speed and road class of each way.
    keep
        Node ids to keep as graph nodes even inside a way (motorway junctions).

    Returns
    -------
    AccessNetwork
        With no targets and no railways.
    """
    way = np.repeat(np.arange(len(sizes)), sizes)
    ends = np.cumsum(sizes)
    starts = ends - sizes
    _, first, counts = np.unique(ids, return_index=True, return_counts=True)
    shared = np.zeros(len(ids), bool)
    shared[first[counts > 1]] = True
    kept = np.isin(ids, ids[shared]) if shared.any() else shared
    kept[starts] = kept[ends - 1] = True
    if keep is not None and len(keep):
        kept |= np.isin(ids, keep)
    _, _, step_m = _GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    step_m[way[:-1] != way[1:]] = 0.0
    cumulative = np.concatenate([[0.0], np.cumsum(step_m)])
    position = np.flatnonzero(kept)
    same_way = way[position[:-1]] == way[position[1:]]
    a, b = position[:-1][same_way], position[1:][same_way]
    length = cumulative[b] - cumulative[a]
    edge_way = way[a]
    time = length / (speeds_kmh[edge_way] / 3.6)
    return assemble_network(ids, lon, lat, a, b, length, time, classes[edge_way])


def assemble_network(
    ids: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    length: np.ndarray,
    time: np.ndarray,
    highway: np.ndarray,
) -> AccessNetwork:
    """The network of edges ``ids[a] - ids[b]``: unique nodes, loops dropped, fastest kept.

    Parameters
    ----------
    ids, lon, lat
        Node ids and coordinates (a node may repeat).
    a, b
        Positions in `ids` of the two ends of each edge.
    length, time, highway
        Length (m), travel time (s) and road class of each edge.

    Returns
    -------
    AccessNetwork
        With no targets and no railways.
    """
    node_id, index = np.unique(ids[np.concatenate([a, b])], return_index=True)
    source_position = np.concatenate([a, b])[index]
    u = np.searchsorted(node_id, ids[a])
    v = np.searchsorted(node_id, ids[b])
    low, high = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((time, high, low))
    low, high = low[order], high[order]
    first = np.ones(len(order), bool)
    first[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    chosen = order[first & (low != high)]
    return AccessNetwork(
        node_id=node_id,
        lon=lon[source_position],
        lat=lat[source_position],
        edge_u=u[chosen],
        edge_v=v[chosen],
        length_m=length[chosen],
        travel_time_s=time[chosen],
        highway=np.asarray(highway[chosen], dtype=object),
        targets=targets_frame([]),
        railways=gpd.GeoDataFrame(geometry=[], crs=settings.storage_crs),
    )


def check_overlap(
    network: AccessNetwork, bounds: tuple[float, float, float, float], *, name: str
) -> None:
    """Raise :class:`InputFileError` when no road node of `network` lies inside `bounds`."""
    west, south, east, north = bounds
    inside = (
        (network.lon >= west)
        & (network.lon <= east)
        & (network.lat >= south)
        & (network.lat <= north)
    )
    if inside.any():
        return
    raise InputFileError(
        f"{name}: the extract covers {network.lon.min():.2f}-{network.lon.max():.2f} E, "
        f"{network.lat.min():.2f}-{network.lat.max():.2f} N, outside Gansu ({west:g}-{east:g} E, "
        f"{south:g}-{north:g} N); give an OpenStreetMap extract of Gansu.",
        zh=f"{name} 的范围为东经 {network.lon.min():.2f}～{network.lon.max():.2f}、北纬 "
        f"{network.lat.min():.2f}～{network.lat.max():.2f}，在甘肃省（东经 {west:g}～{east:g}、"
        f"北纬 {south:g}～{north:g}）之外；请改用甘肃的 OpenStreetMap 路网数据。",
    )


EXPRESSWAY_CLASSES = ("motorway", "trunk")
"""Road classes counted as expressways for suitability (高速公路 and 一级 trunk roads)."""


def transport_lines(network: AccessNetwork) -> gpd.GeoDataFrame:
    """Railways and expressways of `network` as lines (``kind``: ``railway`` / ``expressway``).

    The input of the suitability criterion "distance to a railway or an expressway".

    Examples
    --------
    >>> import numpy as np
    >>> net = network_from_ways(np.array([1, 2, 3]), np.array([100.0, 100.1, 100.2]),
    ...     np.array([36.0, 36.0, 36.0]), np.array([3]), speeds_kmh=np.array([100.0]),
    ...     classes=np.array(["motorway"], dtype=object))
    >>> transport_lines(net)["kind"].tolist()
    ['expressway']
    """
    fast = np.isin(network.highway.astype(str), EXPRESSWAY_CLASSES)
    xy = np.column_stack([network.lon, network.lat])
    roads = shapely.linestrings(
        np.stack([xy[network.edge_u[fast]], xy[network.edge_v[fast]]], axis=1)
    )
    frame = pd.DataFrame(
        {"kind": ["railway"] * len(network.railways) + ["expressway"] * int(fast.sum())}
    )
    return gpd.GeoDataFrame(
        frame,
        geometry=[*network.railways.geometry, *np.asarray(roads)],
        crs=settings.storage_crs,
    )
