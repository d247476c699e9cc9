"""Benchmark: transport access on a synthetic road grid of Gansu's size (about 1 million edges).

A 708 x 708 grid of nodes spans Gansu's bounding box (``settings.gansu_bounds``; nodes about
2 km apart, 1,001,112 edges): every row and column is a way, residential, every 10th primary,
every 100th motorway. 200 stations and the motorway crossings (interchanges) are targets;
airports and seats are the shipped ones. Steps, each timed in this process:

1. graph build: the ways (flat node arrays, as the reader hands them over) -> the network
   (:func:`network_from_ways`), then its NetworkX graph;
2. the same grid written as an ``.osm.pbf`` (pyosmium), read by the reader and built;
   the cache: write the GeoPackage, read it back;
3. access for all parks and energy sites (``access``; six target kinds, one multi-source
   Dijkstra each, paths read back), twice (the second with the sparse matrices built);
4. baseline, same graph, same run: one NetworkX single-source Dijkstra
   (``nx.single_source_dijkstra_path_length`` by travel time) from Lanzhou's node.
5. the briefing's access pages of that result (:func:`longtu.maps.print.access_pages`:
   meaning, a row per park and site, the map with the paths to stations and interchanges),
   written to a PDF (kept with ``--pages FILE``).

Prints the times and the peak resident memory (``ru_maxrss``). Goals: build <= 60 s, access
for all parks <= 5 s, peak <= 4 GB.

    python bench/bench_access.py [--pages access_pages.pdf]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SIDE = 708
SEED = 20261206


def grid_ways() -> tuple[np.ndarray, ...]:
    """Rows then columns of the grid as flat arrays: ids, lon, lat, sizes, speeds, classes."""
    from longtu import settings
    from longtu.analysis.access.reader import ROAD_SPEEDS_KMH

    west, south, east, north = settings.gansu_bounds
    lon_axis, lat_axis = np.linspace(west, east, SIDE), np.linspace(south, north, SIDE)
    ids = np.arange(SIDE * SIDE, dtype=np.int64).reshape(SIDE, SIDE)  # [row (lat), col (lon)]
    lon, lat = np.meshgrid(lon_axis, lat_axis)
    flat_ids = np.concatenate([ids.ravel(), ids.T.ravel()])
    flat_lon = np.concatenate([lon.ravel(), lon.T.ravel()])
    flat_lat = np.concatenate([lat.ravel(), lat.T.ravel()])
    line = np.arange(2 * SIDE) % SIDE
    classes = np.where(
        line % 100 == 0, "motorway", np.where(line % 10 == 0, "primary", "residential")
    ).astype(object)
    speeds = np.array([ROAD_SPEEDS_KMH[c] for c in classes])
    sizes = np.full(2 * SIDE, SIDE)
    return flat_ids, flat_lon, flat_lat, sizes, speeds, classes


def synthetic_targets(network) -> list[tuple[str, int, str, float, float]]:
    """200 stations at random nodes; interchanges where motorways cross."""
    rng = np.random.default_rng(SEED)
    stations = rng.choice(len(network.node_id), 200, replace=False)
    rows = [
        ("station", int(network.node_id[i]), f"S{i}", network.lon[i], network.lat[i])
        for i in stations
    ]
    motorway = np.arange(0, SIDE, 100)
    for r in motorway:
        for c in motorway:
            i = int(np.searchsorted(network.node_id, r * SIDE + c))
            rows.append(
                ("interchange", int(network.node_id[i]), "", network.lon[i], network.lat[i])
            )
    return rows


def write_grid_pbf(path: Path, ids, lon, lat, sizes, classes) -> None:
    """The grid as an OSM file (nodes, then one way per row and column), for the reader."""
    import osmium

    with osmium.SimpleWriter(str(path)) as writer:
        for i in range(SIDE * SIDE):
            writer.add_node(osmium.osm.mutable.Node(id=int(i), location=(lon[i], lat[i])))
        ends = np.cumsum(sizes)
        for way, (end, size) in enumerate(zip(ends, sizes, strict=True)):
            nodes = ids[end - size : end].tolist()
            tags = {"highway": str(classes[way])}
            writer.add_way(osmium.osm.mutable.Way(id=way + 1, nodes=nodes, tags=tags))


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    import networkx as nx

    from longtu.analysis.access import Router, access
    from longtu.analysis.access.cache import read_cached, write_cached
    from longtu.analysis.access.network import (
        network_from_content,
        network_from_ways,
        targets_frame,
    )
    from longtu.analysis.access.reader import read_osm
    from longtu.layout import load_layer
    from longtu.layout.load import symbol_points

    ids, lon, lat, sizes, speeds, classes = grid_ways()
    start = time.perf_counter()
    network = network_from_ways(ids, lon, lat, sizes, speeds_kmh=speeds, classes=classes)
    t_arrays = time.perf_counter() - start
    network.targets = targets_frame(synthetic_targets(network))
    start = time.perf_counter()
    graph = network.graph
    t_graph = time.perf_counter() - start
    print(f"grid {SIDE} x {SIDE}: {len(network.node_id):,} nodes, {network.n_edges:,} edges")
    print(
        f"build: network arrays {t_arrays:.1f} s + NetworkX graph {t_graph:.1f} s "
        f"= {t_arrays + t_graph:.1f} s (goal <= 60 s); peak so far {peak_gb():.2f} GB"
    )
    with tempfile.TemporaryDirectory() as folder:
        pbf = Path(folder) / "grid.osm.pbf"
        write_grid_pbf(pbf, ids, lon, lat, sizes, classes)
        start = time.perf_counter()
        network_from_content(read_osm(pbf), source=pbf.name)
        t_file = time.perf_counter() - start
        print(
            f"from an .osm.pbf of the grid ({pbf.stat().st_size / 1e3:.0f} kB): read and build "
            f"{t_file:.1f} s (+ NetworkX graph {t_graph:.1f} s)"
        )
        path = Path(folder) / "grid.gpkg"
        start = time.perf_counter()
        write_cached(network, path)
        t_write = time.perf_counter() - start
        start = time.perf_counter()
        read_cached(path)
        t_read = time.perf_counter() - start
    print(f"cache: write {t_write:.1f} s, read {t_read:.1f} s")

    layers = {n: load_layer(n) for n in ("parks", "energy_sites")}
    layers |= {
        "prefecture_seats": symbol_points("prefecture"),
        "county_seats": symbol_points("county"),
    }
    start = time.perf_counter()
    result = access(layers, network)
    t_first = time.perf_counter() - start
    start = time.perf_counter()
    result = access(layers, network)
    t_second = time.perf_counter() - start
    n_network = result.numbers["n_paths_network"]
    print(
        f"access, {result.numbers['n_points']} points x 6 kinds ({n_network} network paths): "
        f"{t_first:.1f} s, again {t_second:.1f} s (goal <= 5 s)"
    )

    lanzhou_node = int(
        network.node_id[Router(network).snap(np.array([103.84]), np.array([36.06]))[0][0]]
    )
    start = time.perf_counter()
    nx.single_source_dijkstra_path_length(graph, lanzhou_node, weight="travel_time_s")
    t_baseline = time.perf_counter() - start
    print(
        f"baseline: one NetworkX single-source Dijkstra over the same graph {t_baseline:.1f} s "
        f"(access runs 6 multi-source searches plus paths in {t_second:.1f} s)"
    )
    time_pages(result, Path(sys.argv[2]) if sys.argv[1:2] == ["--pages"] else None)
    print(f"peak resident memory {peak_gb():.2f} GB (goal <= 4 GB)")


def time_pages(result, out: Path | None) -> None:
    """Draw the briefing's access pages of `result` into a PDF (`out`, else a temporary one)."""
    import datetime as dt

    import matplotlib as mpl
    from matplotlib.backends.backend_pdf import PdfPages

    from longtu.maps.print.access_pages import access_pages
    from longtu.maps.print.fonts import print_rc, use_agg

    use_agg()
    with tempfile.TemporaryDirectory() as folder:
        path = out or Path(folder) / "access_pages.pdf"
        start = time.perf_counter()
        with mpl.rc_context(print_rc()), PdfPages(path) as pdf:
            figs = access_pages(result, (8.27, 11.69), dt.date.today())
            for fig in figs:
                pdf.savefig(fig)
        t_pages = time.perf_counter() - start
    print(f"briefing access pages: {len(figs)} A4 pages in {t_pages:.1f} s")


if __name__ == "__main__":
    main()
