"""``--online``: OSMnx against an Overpass stand-in on 127.0.0.1 serving real OSM data.

The server answers OSMnx's two kinds of query from ``tests/data/osm/pyrosm_test.osm.pbf``:
the road network query (drivable highway ways) and the features query (``['key'='value']``
filters), in the Overpass JSON OSMnx reads. Nothing leaves this machine.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import numpy as np
import osmium
import osmnx
import pytest
from conftest import REPO
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import Point, box

from longtu import settings
from longtu.analysis.access import NETWORK, access, load_network
from longtu.analysis.access.online import network_from_overpass
from longtu.analysis.access.reader import ROAD_SPEEDS_KMH

EXTRACT = REPO / "tests" / "data" / "osm" / "pyrosm_test.osm.pbf"
DRIVE = set(ROAD_SPEEDS_KMH) - {"service", "track"}  # osmnx's "drive" leaves these out


def _elements() -> tuple[dict, dict]:
    nodes, ways = {}, {}
    for obj in osmium.FileProcessor(str(EXTRACT)):
        tags = dict(obj.tags)
        if obj.is_node() and obj.location.valid():
            nodes[obj.id] = {
                "type": "node",
                "id": obj.id,
                "lat": obj.location.lat,
                "lon": obj.location.lon,
                "tags": tags,
            }
        elif obj.is_way():
            ways[obj.id] = {
                "type": "way",
                "id": obj.id,
                "nodes": [n.ref for n in obj.nodes],
                "tags": tags,
            }
    return nodes, {k: w for k, w in ways.items() if all(n in nodes for n in w["nodes"])}


class _Overpass(BaseHTTPRequestHandler):
    nodes: ClassVar[dict] = {}
    ways: ClassVar[dict] = {}
    queries: ClassVar[list[str]] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = (  # the layout of overpass-api.de/api/status; OSMnx reads line 5
            b"Connected as: 1\nCurrent time: 2026-01-01T00:00:00Z\nAnnounced endpoint: none\n"
            b"Rate limit: 2\n2 slots available now.\n"
        )
        self._send(body, "text/plain")

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        query = urllib.parse.parse_qs(self.rfile.read(length).decode())["data"][0]
        type(self).queries.append(query)
        if '["highway"]' in query:
            ways = [w for w in self.ways.values() if w["tags"].get("highway") in DRIVE]
            nodes = []
        else:
            pairs = re.findall(r"\['([^']+)'='([^']+)'\]", query)
            ways = [w for w in self.ways.values() if any(w["tags"].get(k) == v for k, v in pairs)]
            nodes = [n for n in self.nodes.values() if any(n["tags"].get(k) == v for k, v in pairs)]
        used = {n for w in ways for n in w["nodes"]} | {n["id"] for n in nodes}
        elements = [self.nodes[n] for n in sorted(used)] + ways
        self._send(json.dumps({"version": 0.6, "elements": elements}).encode(), "application/json")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _lengths_km(network, sources, targets, keep=None) -> np.ndarray:
    keep = np.ones(network.n_edges, bool) if keep is None else keep
    n = len(network.node_id)
    u, v, w = network.edge_u[keep], network.edge_v[keep], network.length_m[keep]
    matrix = csr_matrix(
        (np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(n, n)
    )
    position = {node: i for i, node in enumerate(network.node_id.tolist())}
    rows = [position[s] for s in sources.tolist()]
    metres = dijkstra(matrix, directed=False, indices=rows)
    return metres[:, [position[t] for t in targets.tolist()]] / 1000


@pytest.fixture
def overpass(tmp_path, monkeypatch):
    _Overpass.nodes, _Overpass.ways = _elements()
    _Overpass.queries = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Overpass)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(
        osmnx.settings, "overpass_url", f"http://127.0.0.1:{server.server_port}/api"
    )
    monkeypatch.setattr(osmnx.settings, "log_console", False)
    monkeypatch.setattr(settings, "data_folder", tmp_path / "data")
    yield _Overpass
    server.shutdown()
    server.server_close()


def test_online_network_matches_the_extract_and_is_cached(overpass):
    area = box(26.9, 60.5, 27.0, 60.56)
    online = network_from_overpass(area)
    assert len(overpass.queries) == 2  # roads, then stations/junctions/aerodromes/railways
    offline = load_network(EXTRACT, region_bounds=None, use_cache=False)
    drive = np.isin(offline.highway.astype(str), sorted(DRIVE))
    shared = np.intersect1d(online.node_id, offline.node_id)
    assert len(shared) > 50
    # Shortest lengths between the same OSM nodes over both graphs (SciPy, by length): the
    # same roads, measured on a sphere of 6,371,009 m by OSMnx and on the WGS84 ellipsoid here.
    from_online = _lengths_km(online, shared[:20], shared)
    from_offline = _lengths_km(offline, shared[:20], shared, keep=drive)
    finite = np.isfinite(from_online) & np.isfinite(from_offline)
    assert finite.sum() > 200
    np.testing.assert_allclose(from_online[finite], from_offline[finite], rtol=5e-3)
    assert sorted(online.targets["osm_id"]) == sorted(offline.targets["osm_id"])
    assert set(online.targets["kind"]) == {"interchange"}
    assert not online.has_railway()
    assert online.source.startswith("Overpass (http://127.0.0.1:")
    again = network_from_overpass(area)
    assert len(overpass.queries) == 2  # answered from osmnx's cache in the data folder
    assert again.n_edges == online.n_edges
    assert (settings.data_folder / "osmnx_cache").is_dir()


def test_access_on_the_online_network(overpass):
    online = network_from_overpass(box(26.9, 60.5, 27.0, 60.56))
    import geopandas as gpd

    on_road = Point(online.lon[0], online.lat[0])
    parks = gpd.GeoDataFrame(
        {"feature_id": ["p"], "name_zh": ["园区"], "name_en": ["park"]},
        geometry=[on_road],
        crs=4326,
    )
    seats = gpd.GeoDataFrame(
        {"adcode": ["620100"], "name_zh": ["驻地"], "name_en": ["seat"], "basis": ["test"]},
        geometry=[Point(online.lon[-1], online.lat[-1])],
        crs=4326,
    )
    layers = {
        "parks": parks,
        "energy_sites": parks.iloc[:0],
        "prefecture_seats": seats,
        "county_seats": seats,
    }
    paths = access(layers, online).tables["access_paths"]
    row = paths[paths["target_kind"] == "interchange"].iloc[0]
    assert row["method"] == NETWORK or np.isnan(row["travel_time_min"])
