"""OSM extracts a user may give: bad ones refused in one line, good ones read once then cached."""

from __future__ import annotations

import os
import shutil

import numpy as np
import osmium
import pytest
from conftest import REPO

from longtu import settings
from longtu.analysis.access import ESTIMATE, access, load_network
from longtu.analysis.access import cache as access_cache
from longtu.errors import InputFileError
from longtu.layout import load_layer
from longtu.layout.load import symbol_points

OSM = REPO / "tests" / "data" / "osm"


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "data_folder", tmp_path / "data")
    return tmp_path / "data"


def test_text_file_named_pbf_is_refused(tmp_path):
    path = tmp_path / "gansu.osm.pbf"
    path.write_text("<html>404 Not Found</html>\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"gansu\.osm\.pbf: not an OpenStreetMap extract"):
        load_network(path, use_cache=False)


def test_truncated_pbf_is_refused(tmp_path):
    path = tmp_path / "cut.osm.pbf"
    path.write_bytes((OSM / "helsinki.osm.pbf").read_bytes()[:60_000])
    with pytest.raises(InputFileError, match=r"cut\.osm\.pbf: .*damaged PBF.*download the"):
        load_network(path, use_cache=False)


def test_extract_of_another_region_is_refused():
    with pytest.raises(
        InputFileError, match=r"helsinki\.osm\.pbf: .*60\.16-60\.18 N, outside Gansu"
    ):
        load_network(OSM / "helsinki.osm.pbf", use_cache=False)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        load_network(tmp_path / "nothing.osm.pbf")


def test_ways_with_missing_nodes_are_dropped_and_counted():
    network = load_network(OSM / "helsinki.osm.pbf", region_bounds=None, use_cache=False)
    # Counted independently: road and rail ways with a node the file lacks.
    counter = _MissingNodeWays()
    counter.apply_file(str(OSM / "helsinki.osm.pbf"), locations=True)
    assert network.n_ways_dropped == counter.dropped == 80


class _MissingNodeWays(osmium.SimpleHandler):
    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def way(self, w):
        from longtu.analysis.access.reader import RAIL_CLASSES, ROAD_SPEEDS_KMH

        wanted = w.tags.get("highway") in ROAD_SPEEDS_KMH or w.tags.get("railway") in RAIL_CLASSES
        if wanted and not all(n.location.valid() for n in w.nodes):
            self.dropped += 1


def test_graph_without_railway_is_said_and_estimates_still_work():
    network = load_network(OSM / "pyrosm_test.osm.pbf", region_bounds=None, use_cache=False)
    assert not network.has_railway()
    layers = {n: load_layer(n) for n in ("parks", "energy_sites")}
    layers |= {
        "prefecture_seats": symbol_points("prefecture"),
        "county_seats": symbol_points("county"),
    }
    result = access(layers, network)
    assert "pyrosm_test.osm.pbf holds no railway and no station" in result.summary_en
    assert "没有铁路和火车站" in result.summary_zh
    paths = result.tables["access_paths"]
    assert "station" not in set(paths["target_kind"])
    # Gansu's parks are far from a Finnish motorway: every row is an estimate, and says so.
    assert set(paths["method"]) == {ESTIMATE}
    assert {"airport", "prefecture_seat", "capital", "interchange"} <= set(paths["target_kind"])


def test_osm_xml_reads_as_the_pbf(tmp_path):
    xml = tmp_path / "pyrosm_test.osm"
    with osmium.SimpleWriter(str(xml)) as writer:
        for obj in osmium.FileProcessor(str(OSM / "pyrosm_test.osm.pbf")):
            writer.add(obj)
    from_pbf = load_network(OSM / "pyrosm_test.osm.pbf", region_bounds=None, use_cache=False)
    from_xml = load_network(xml, region_bounds=None, use_cache=False)
    assert from_xml.n_edges == from_pbf.n_edges == 298
    np.testing.assert_allclose(np.sort(from_xml.length_m), np.sort(from_pbf.length_m))


def test_second_load_reads_the_cache_and_a_changed_file_is_read_again(
    data_folder, tmp_path, monkeypatch
):
    path = tmp_path / "extract.osm.pbf"
    shutil.copy(OSM / "helsinki.osm.pbf", path)
    first = load_network(path, region_bounds=None)
    cached = list((data_folder / "access_cache").glob("*.gpkg"))
    assert len(cached) == 1

    def no_reading(_path):
        raise AssertionError("read the extract although it is cached")

    monkeypatch.setattr(access_cache, "read_osm", no_reading)
    second = load_network(path, region_bounds=None)
    np.testing.assert_array_equal(second.node_id, first.node_id)
    np.testing.assert_array_equal(second.edge_u, first.edge_u)
    np.testing.assert_allclose(second.travel_time_s, first.travel_time_s)
    assert second.n_ways_dropped == first.n_ways_dropped == 80
    assert list(second.targets["name"]) == ["Helsinki"]
    assert len(second.railways) == len(first.railways) == 129
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with pytest.raises(AssertionError, match="although it is cached"):
        load_network(path, region_bounds=None)
