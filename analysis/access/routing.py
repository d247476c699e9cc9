"""Shortest paths on an :class:`AccessNetwork`: snapping, one search per target kind, isochrones.

A point joins the network at its nearest graph node (found in the equal-area CRS, the gap
measured geodesically). The nearest target of a kind is found by ONE multi-source Dijkstra
search from all targets of that kind at once (SciPy's compiled Dijkstra with ``min_only``, on
the undirected graph, by travel time), not one search per park; each park's path is then read
from the predecessor array.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod, Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from longtu import settings
from longtu.analysis.access.network import AccessNetwork

_GEOD = Geod(ellps="WGS84")
_TINY_S = 1e-6
"""Added to every edge time: SciPy's sparse graphs read a stored zero as an edge, but a
zero-length edge (two nodes at one place) is then still found, and never preferred by error."""


@dataclass
class NearestOnNetwork:
    """The nearest target of one kind for each point, by network travel time.

    Attributes
    ----------
    target : numpy.ndarray
        Position of the nearest target in the targets given (-1: not reached).
    travel_time_min, distance_km : numpy.ndarray
        Time and length of the fastest path (NaN: not reached).
    to_network_km : numpy.ndarray
        Gap from the point to the node where it joins the network.
    paths : list of shapely.LineString or None
        Point -> network -> target, one per point.
    """

    target: np.ndarray
    travel_time_min: np.ndarray
    distance_km: np.ndarray
    to_network_km: np.ndarray
    paths: list[shapely.LineString | None]


class Router:
    """Sparse matrices and a spatial index of one network, built once, searched many times.

    Parameters
    ----------
    network
        The road network.
    """

    def __init__(self, network: AccessNetwork) -> None:
        self.network = network
        n = len(network.node_id)
        u, v = network.edge_u, network.edge_v
        rows, cols = np.concatenate([u, v]), np.concatenate([v, u])
        times = np.concatenate([network.travel_time_s, network.travel_time_s]) + _TINY_S
        lengths = np.concatenate([network.length_m, network.length_m])
        self.time = csr_matrix((times, (rows, cols)), shape=(n, n))
        order = np.argsort(rows * n + cols)
        self._edge_key = (rows * n + cols)[order]
        self._edge_length_m = lengths[order]
        self._to_area = Transformer.from_crs(
            settings.storage_crs, settings.equal_area_crs, always_xy=True
        )

    @cached_property
    def tree(self) -> cKDTree:
        """KD-tree of the nodes in the equal-area CRS (metres)."""
        x, y = self._to_area.transform(self.network.lon, self.network.lat)
        return cKDTree(np.column_stack([x, y]))

    def snap(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node of each point and the geodesic gap to it (km).

        The eight nearest nodes in the equal-area CRS are measured on the ellipsoid and the
        nearest of them kept (the projection's scale changes across a province).
        """
        lon, lat = np.asarray(lon, float), np.asarray(lat, float)
        x, y = self._to_area.transform(lon, lat)
        k = min(8, len(self.network.node_id))
        _, near = self.tree.query(np.column_stack([x, y]), k=k)
        near = near.reshape(len(lon), k)
        _, _, gap_m = _GEOD.inv(
            np.repeat(lon, k),
            np.repeat(lat, k),
            self.network.lon[near].ravel(),
            self.network.lat[near].ravel(),
        )
        gap_m = np.asarray(gap_m).reshape(len(lon), k)
        best = gap_m.argmin(axis=1)
        rows = np.arange(len(lon))
        return near[rows, best].astype(np.int64), gap_m[rows, best] / 1000.0

    def nearest(
        self, points: gpd.GeoSeries, targets: gpd.GeoSeries, *, snap_limit_km: float
    ) -> NearestOnNetwork:
        """For each point, the fastest target of `targets` over the network.

        Targets and points farther than `snap_limit_km` from the network are not joined to
        it (their rows stay NaN, for the caller to estimate in a straight line).
        """
        t_lon, t_lat = targets.x.to_numpy(), targets.y.to_numpy()
        t_node, t_gap = self.snap(t_lon, t_lat)
        joined = t_gap <= snap_limit_km
        p_lon, p_lat = points.x.to_numpy(), points.y.to_numpy()
        p_node, p_gap = self.snap(p_lon, p_lat)
        n = len(points)
        found = NearestOnNetwork(
            np.full(n, -1), np.full(n, np.nan), np.full(n, np.nan), p_gap, [None] * n
        )
        if not joined.any():
            return found
        sources = np.unique(t_node[joined])
        seconds, previous, origin = dijkstra(
            self.time, directed=True, indices=sources, min_only=True, return_predecessors=True
        )
        target_of_node = {int(t_node[i]): i for i in np.flatnonzero(joined)[::-1]}
        for i in np.flatnonzero(p_gap <= snap_limit_km):
            node = int(p_node[i])
            if not np.isfinite(seconds[node]):
                continue
            path = _walk(previous, node)
            target = target_of_node[int(origin[node])]
            found.target[i] = target
            found.travel_time_min[i] = (seconds[node] - _TINY_S * (len(path) - 1)) / 60.0
            found.distance_km[i] = self.path_length_m(path) / 1000.0
            ends = (p_lon[i], p_lat[i]), (t_lon[target], t_lat[target])
            found.paths[i] = self.path_line(path, *ends)
        return found

    def path_length_m(self, path: np.ndarray) -> float:
        """Length (m) of a node path."""
        if len(path) < 2:
            return 0.0
        keys = path[:-1] * len(self.network.node_id) + path[1:]
        return float(self._edge_length_m[np.searchsorted(self._edge_key, keys)].sum())

    def path_line(
        self, path: np.ndarray, start: tuple[float, float], end: tuple[float, float]
    ) -> shapely.LineString:
        """The line start -> nodes of `path` -> end (through graph nodes, EPSG:4326)."""
        xy = np.column_stack([self.network.lon[path], self.network.lat[path]])
        return shapely.LineString(np.vstack([start, xy, end]))

    def isochrones(
        self, lon: float, lat: float, *, minutes: tuple[float, ...] = (30, 60, 120)
    ) -> gpd.GeoDataFrame:
        """Areas reached within each of `minutes` from the point (lon, lat).

        The area is the concave hull (ratio 0.3, equal-area CRS) of the graph nodes reached;
        the point's gap to the network is not counted.
        """
        node, _ = self.snap(np.array([lon]), np.array([lat]))
        limit = max(minutes) * 60.0 + 1.0
        seconds = dijkstra(self.time, directed=True, indices=int(node[0]), limit=limit)
        to_area = self._to_area
        back = Transformer.from_crs(settings.equal_area_crs, settings.storage_crs, always_xy=True)
        shapes, counts = [], []
        for m in minutes:
            reached = np.flatnonzero(seconds <= m * 60.0 + 1e-3)  # edge times carry _TINY_S
            x, y = to_area.transform(self.network.lon[reached], self.network.lat[reached])
            hull = shapely.concave_hull(shapely.multipoints(np.column_stack([x, y])), ratio=0.3)
            shapes.append(
                shapely.transform(hull, lambda c: np.column_stack(back.transform(c[:, 0], c[:, 1])))
            )
            counts.append(len(reached))
        return gpd.GeoDataFrame(
            {"minutes": list(minutes), "n_nodes_reached": counts},
            geometry=shapes,
            crs=settings.storage_crs,
        )


def _walk(previous: np.ndarray, node: int) -> np.ndarray:
    """Nodes from `node` back to the source of its search (the target), in that order."""
    path = [node]
    while previous[path[-1]] >= 0:
        path.append(int(previous[path[-1]]))
    return np.array(path, dtype=np.int64)
