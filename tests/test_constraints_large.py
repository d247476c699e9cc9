"""Constraint layers cut into cells and overlaid by partitions: same answers as held whole.

The in-memory check is the one-partition case of the partitioned one; these tests hold the two
equal feature by feature on the real counties, on this machine's threads and on a Dask cluster
started here (127.0.0.1), from FlatGeobuf and GeoParquet; and check the cutting itself by area.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from longtu.analysis.constraints import ConstraintLayer, check_constraints, merging, partitions
from longtu.analysis.constraints.large import (
    PARTITION_FEATURES,
    large_constraint_layer,
    layer_partitions,
)
from longtu.analysis.constraints.overlay import measure_layer, project
from longtu.analysis.constraints.report import write_conflict_report
from longtu.analysis.constraints.tiles import cut_to_cells
from longtu.analysis.io.constraint_files import read_constraint_layer
from longtu.layout import load_layer

N_BOXES = 3_000


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return load_layer("counties")


@pytest.fixture(scope="module")
def features(counties) -> gpd.GeoDataFrame:
    """The 90 counties, and two points outside every box (their nearest box is measured)."""
    far = gpd.GeoDataFrame(
        {"adcode": ["far_west", "far_north"]},
        geometry=[shapely.Point(91.0, 39.0), shapely.Point(100.0, 44.5)],
        crs=4326,
    )
    return pd.concat([counties[["adcode", "geometry"]], far], ignore_index=True)


@pytest.fixture(scope="module")
def boxes(counties) -> gpd.GeoDataFrame:
    """Overlapping named boxes over Gansu's bounding box, some crossing the 1° tile lines."""
    west, south, east, north = counties.total_bounds
    rng = np.random.default_rng(16)
    x, y = rng.uniform(west + 1, east - 1, N_BOXES), rng.uniform(south + 1, north - 1, N_BOXES)
    side = rng.uniform(0.02, 0.3, (2, N_BOXES))
    names = [f"zone_{i % 40}" for i in range(N_BOXES)]
    geometry = shapely.box(x, y, x + side[0], y + side[1])
    return gpd.GeoDataFrame({"name": names}, geometry=geometry, crs=4326)


@pytest.fixture(scope="module")
def files(boxes, tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("large")
    paths = {"fgb": str(folder / "boxes.fgb"), "parquet": str(folder / "boxes.parquet")}
    boxes.to_file(paths["fgb"])
    order = np.argsort(boxes.hilbert_distance().to_numpy())  # row groups compact in space
    boxes.iloc[order].to_parquet(paths["parquet"], write_covering_bbox=True, row_group_size=500)
    return paths


@pytest.fixture(scope="module")
def whole(features, files) -> pd.DataFrame:
    layer = read_constraint_layer(files["fgb"])
    return _table(check_constraints(features, [layer], id_column="adcode"))


def _table(result) -> pd.DataFrame:
    return result.tables["conflicts_table"].set_index("feature_id").sort_index()


def _assert_same(partitioned: pd.DataFrame, whole: pd.DataFrame) -> None:
    assert list(partitioned.index) == list(whole.index)
    for column in ("n_intersecting", "severity", "constraint_names", "nearest_name"):
        assert partitioned[column].tolist() == whole[column].tolist(), column
    for column in ("overlap_km2", "overlap_pct", "distance_km"):
        np.testing.assert_allclose(partitioned[column], whole[column], rtol=1e-9, atol=1e-9)


def test_cells_cover_each_geometry_exactly_and_hold_few_vertices():
    ring = shapely.Point(104.3, 36.6).buffer(1.7, quad_segs=5_000)  # 20,001 vertices, 3.4° wide
    geometries = np.array([ring, shapely.box(103.9, 36.9, 104.2, 37.3)])
    cells = cut_to_cells(geometries, "EPSG:4326", max_vertices=512)
    area = np.bincount(cells.source, weights=shapely.area(cells.pieces))
    np.testing.assert_allclose(area, shapely.area(geometries), rtol=1e-12)
    load = np.bincount(cells.cell, weights=shapely.get_num_coordinates(cells.pieces))
    assert load.max() <= 512
    assert len(np.unique(cells.cell)) > 40


def test_a_dense_layer_of_small_boxes_is_cut_into_about_one_piece_per_box():
    """At ten million boxes over Gansu (about 53,000 a 1° tile) cells stay wider than the boxes.

    Split down to 4,096 vertices a cell, cells shrank to a few boxes across and cut each box into
    two pieces on average; cells no narrower than 8 box widths cut about one box in five.
    """
    rng = np.random.default_rng(3)
    n = 60_000
    x, y = rng.uniform(103.0, 104.0, n), rng.uniform(36.0, 37.0, n)
    side = rng.uniform(0.005, 0.05, (2, n))
    boxes = shapely.box(x, y, x + side[0], y + side[1])
    cells = cut_to_cells(boxes, "EPSG:4326")
    assert len(cells.pieces) / n < 1.3
    area = np.bincount(cells.source, weights=shapely.area(cells.pieces), minlength=n)
    np.testing.assert_allclose(area, shapely.area(boxes), rtol=1e-9)


def test_cells_that_pieces_fill_whole_are_not_split_for_them():
    """Two polygons over a whole tile weigh the same in every quarter: no split ends that."""
    stacked = shapely.box(np.array([102.0, 102.0]), 36.0, 103.0, 37.0)
    cells = cut_to_cells(stacked, "EPSG:4326", max_vertices=8)
    assert len(cells.pieces) == 2


def test_the_overlap_of_overlapping_boxes_is_their_union_however_finely_cut():
    square = np.array([shapely.box(103.5, 36.0, 104.5, 37.0)])
    two = shapely.box(np.array([103.0, 103.8]), 36.5, np.array([104.0, 105.0]), 37.5)
    union = shapely.intersection(shapely.union_all(two), square[0])
    expected_km2 = shapely.area(project(np.array([union]), 4326))[0] / 1e6
    for max_vertices in (4, 4_096):  # cut finely along the edges, or one cell per tile
        m = measure_layer(project(square, 4326), square, two, 4326, max_vertices=max_vertices)
        assert m["measure"][0] == pytest.approx(expected_km2, rel=1e-6)
        assert m["n_hits"].tolist() == [2]


def _parcels(n: int, frame) -> np.ndarray:
    """A coverage of `n` Voronoi parcels of `frame` (no two overlap; shared edges match)."""
    rng = np.random.default_rng(7)
    west, south, east, north = frame.bounds
    points = shapely.multipoints(rng.uniform((west, south), (east, north), (n, 2)))
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=frame))
    return shapely.intersection(cells, frame)


@pytest.mark.parametrize("extra", [False, True], ids=["coverage", "coverage+overlap"])
def test_a_parcel_coverage_measures_its_union_and_an_added_overlap_is_not_counted_twice(
    counties, extra
):
    """Parcels that tile the land are not merged (a valid coverage), and still measure right.

    The reference is independent of the cell logic: shapely's union of the whole layer,
    intersected with each county and projected. With one parcel-sized polygon laid over
    others, the overlap must be found (the layer is no longer a coverage).
    """
    frame = shapely.box(103.2, 35.7, 104.4, 36.6)  # around Lanzhou, across tile lines
    parcels = _parcels(3_000, frame)
    if extra:
        parcels = np.append(parcels, shapely.box(103.61, 36.02, 103.7, 36.11))
    features = counties.geometry.to_numpy()
    near = shapely.intersects(features, frame)
    features = features[near]
    union = shapely.union_all(parcels)
    expected_km2 = shapely.area(project(shapely.intersection(features, union), 4326)) / 1e6
    m = measure_layer(project(features, 4326), features, parcels, 4326, max_vertices=2_000)
    # Edges are straight in lon/lat; the reference densifies the frame's 1.2° sides every 0.05°,
    # the parcels' sides along it are shorter: the two agree within that rule's 0.5 m (a few
    # hundredths of a km² per county), far below the 80 km² a double-counted overlap would add.
    np.testing.assert_allclose(m["measure"], expected_km2, rtol=1e-5, atol=0.01)
    assert (m["measure"] > 1).sum() >= 5  # several counties really overlap the parcels


def test_a_parcel_coverage_overlap_is_merged_across_cells_into_valid_polygons(
    counties, monkeypatch
):
    """Each cell of a coverage is dissolved, and a feature's pieces merged across cell lines.

    A zone over a million parcels kept each parcel as a part of its overlap (5.1 GB for the
    plan's features); then a part per cell, whose parts met along the cell lines (a GIS
    validity check flags that). The overlap is now shapely's union of the whole layer
    intersected with the county: the same area, the same number of polygons, and valid. The
    parcels it hits are those that intersect the county, found by shapely pair by pair (the
    pairs are found in chunks of pieces, here small). No full union is allowed (nor a
    pairwise one of small groups): the pieces merge only by the coverage union of their
    matched edges, as a province-wide zone's do.
    """
    monkeypatch.setattr(merging, "MAX_MERGED_VERTICES", 0)
    monkeypatch.setattr(merging, "SMALL_GROUP", 1)
    monkeypatch.setattr(partitions, "HIT_CHUNK", 97)  # the hit pairs found a few at a time
    frame = shapely.box(103.2, 35.7, 104.4, 36.6)
    parcels = _parcels(3_000, frame)
    features = counties.geometry.to_numpy()
    features = features[shapely.intersects(features, frame)]
    m = measure_layer(project(features, 4326), features, parcels, 4326, max_vertices=2_000)
    expected = shapely.intersection(features, shapely.union_all(parcels))
    np.testing.assert_allclose(shapely.area(m["pieces"]), shapely.area(expected), rtol=1e-7)
    assert shapely.is_valid(m["pieces"]).all()
    polygons = shapely.get_num_geometries
    assert polygons(m["pieces"]).tolist() == polygons(expected).tolist()
    hit = shapely.intersects(features[:, None], parcels[None, :])
    assert np.bincount(m["rows"], minlength=len(features)).tolist() == hit.sum(axis=1).tolist()
    assert hit.sum(axis=1).max() > 300  # a county holding hundreds of parcels


@pytest.mark.parametrize("change", ["none", "grown", "moved", "turned", "doubled", "shrunk"])
def test_a_coverage_union_is_kept_exactly_when_geos_finds_a_valid_coverage(change):
    """:func:`merging.coverage_union` against GEOS's own coverage validator, cell by cell.

    Parcels cut into cells as the check cuts them, each cell whole or with one parcel grown by
    a hair, moved by 1e-7 degree, turned by a degree, doubled, or shrunk (a gap: still valid).
    """
    from longtu.analysis.constraints.merging import SNAP, coverage_union

    parcels = _parcels(2_000, shapely.box(103.2, 35.7, 104.4, 36.6))
    cells = cut_to_cells(parcels, 4326, max_vertices=1_000)
    starts, rng = cells.starts(), np.random.default_rng(5)
    found = []
    for c in range(len(starts) - 1):
        pieces = cells.pieces[starts[c] : starts[c + 1]].copy()
        i = int(rng.integers(len(pieces)))
        if change == "grown":
            pieces[i] = shapely.buffer(pieces[i], 1e-6, join_style="mitre")
        elif change == "moved":
            pieces[i] = shapely.transform(pieces[i], lambda xy: xy + 1e-7)
        elif change == "turned":
            pieces[i] = shapely.affinity.rotate(pieces[i], 1)
        elif change == "doubled":
            pieces = np.append(pieces, pieces[i])
        elif change == "shrunk":
            pieces[i] = shapely.buffer(pieces[i], -1e-6, join_style="mitre")
        snapped = shapely.set_precision(pieces, SNAP, "pointwise")
        union = coverage_union(snapped)
        found.append((union is not None, bool(shapely.coverage_is_valid(snapped))))
    kept, valid = np.array(found).T
    assert (kept == valid).all()
    assert valid.all() if change in ("none", "shrunk") else valid.sum() < len(valid) / 4


def test_partitions_are_hilbert_runs_that_cover_the_extent_once():
    runs = layer_partitions((92.0, 32.0, 109.0, 43.0), "EPSG:4326", 10_000_000)
    tiles = np.concatenate(runs)
    assert len(runs) == 10_000_000 // PARTITION_FEATURES
    assert len({tuple(t) for t in tiles.tolist()}) == len(tiles) == 17 * 11


def test_partitioned_check_equals_the_whole_one_feature_by_feature(features, files, whole):
    told = []
    layer = large_constraint_layer(
        files["fgb"], per_partition=400, progress=lambda done, n: told.append((done, n))
    )
    partitioned = _table(check_constraints(features, [layer], id_column="adcode"))
    _assert_same(partitioned, whole)
    assert told[-1][0] == told[-1][1] > 3  # several partitions, progress told to the end
    assert (whole["n_intersecting"] > 0).sum() > 60
    assert whole.loc["far_west", "distance_km"] > 50  # measured, not zero or missing


def test_partitioned_overlaps_are_the_whole_ones_and_valid(features, files, monkeypatch):
    """Pieces of different partitions meet along tile lines, and merge as those of one do.

    Merged by the coverage union of their matched edges alone (no full union, nor a pairwise
    one of small groups), the overlaps of the layer read in partitions are the polygons of the
    layer held whole: the same number of polygons, a symmetric difference of no area, valid.
    """
    monkeypatch.setattr(merging, "MAX_MERGED_VERTICES", 0)
    monkeypatch.setattr(merging, "SMALL_GROUP", 1)
    layers = [
        read_constraint_layer(files["fgb"]),
        large_constraint_layer(files["fgb"], per_partition=400),
    ]
    whole, parted = (
        check_constraints(features, [layer], id_column="adcode").tables["overlaps"]
        for layer in layers
    )
    assert parted["feature_id"].tolist() == whole["feature_id"].tolist()
    a, b = whole.geometry.to_numpy(), parted.geometry.to_numpy()
    assert len(a) > 60 and shapely.is_valid(a).all() and shapely.is_valid(b).all()
    assert shapely.get_num_geometries(a).tolist() == shapely.get_num_geometries(b).tolist()
    difference = shapely.area(shapely.symmetric_difference(a, b))
    assert (difference <= 1e-12 * shapely.area(a)).all(), difference.max()


def test_the_names_hit_are_those_shapely_finds_in_the_order_of_the_layer(features, files, whole):
    """Each county lists the distinct names of the boxes it meets, in the file's order, the
    first ten, then how many more: found here box by box with shapely, independently of the
    coded names the check joins (whole and by partitions: ``whole`` equals the partitioned)."""
    read = read_constraint_layer(files["fgb"]).frame  # FlatGeobuf keeps its rows in space order
    geometry, names = read.geometry.to_numpy(), read["name"].to_numpy()
    for adcode, county in zip(features["adcode"], features.geometry, strict=True):
        met = dict.fromkeys(names[shapely.intersects(county, geometry)].tolist())
        listed = ";".join(list(met)[:10]) + (f";…(+{len(met) - 10})" if len(met) > 10 else "")
        assert whole.loc[adcode, "constraint_names"] == listed, adcode


def test_a_missing_name_is_left_out_not_written_as_none(features, boxes):
    unnamed = boxes.assign(name=boxes["name"].where(boxes.index % 2 == 0, None))
    layer = ConstraintLayer(unnamed, "boxes")
    table = _table(check_constraints(features, [layer], id_column="adcode"))
    listed = ";".join(table["constraint_names"]) + ";".join(table["nearest_name"])
    assert "None" not in listed and "nan" not in listed
    assert table["constraint_names"].str.contains("zone_").sum() > 60


def test_geoparquet_partitions_read_by_row_group_equal_the_whole(features, files):
    # Rows are in Hilbert order here, so names are listed in another order than in the FlatGeobuf.
    held = read_constraint_layer(files["parquet"])
    whole = _table(check_constraints(features, [held], id_column="adcode"))
    layer = large_constraint_layer(files["parquet"], per_partition=400)
    _assert_same(_table(check_constraints(features, [layer], id_column="adcode")), whole)


def test_a_dask_cluster_started_here_gives_the_same_answers(features, files, whole):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        layer = large_constraint_layer(
            files["fgb"], scheduler=cluster.scheduler_address, per_partition=1_000
        )
        partitioned = _table(check_constraints(features, [layer], id_column="adcode"))
    _assert_same(partitioned, whole)


def test_an_interrupted_report_leaves_no_file(features, files, tmp_path, monkeypatch):
    import longtu.analysis.constraints.report as report

    result = check_constraints(
        features.iloc[:3], [read_constraint_layer(files["fgb"])], id_column="adcode"
    )

    def interrupted(table, path):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "_write_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_conflict_report(result, tmp_path / "r.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_a_geoparquet_report_reads_back(features, files, tmp_path):
    result = check_constraints(
        features.iloc[:5], [read_constraint_layer(files["parquet"])], id_column="adcode"
    )
    written = write_conflict_report(result, tmp_path / "r.parquet")
    assert [p.name for p in written][:3] == [
        "r.parquet",
        "r_features.parquet",
        "r_overlaps.parquet",
    ]
    conflicts = gpd.read_parquet(tmp_path / "r.parquet")
    assert conflicts["feature_id"].tolist() == result.tables["conflicts"]["feature_id"].tolist()
    assert conflicts.crs.to_epsg() == 4326


def test_cli_reads_and_writes_geoparquet(files, tmp_path):
    from longtu.cli.main import main

    counties = tmp_path / "counties.parquet"
    assert main(["layers", "export", "counties", "--out", str(counties)]) == 0
    out = tmp_path / "report.parquet"
    code = main(
        ["constraints", "check", files["parquet"], "--features", str(counties), "--out", str(out)]
    )
    assert code == 0
    conflicts = gpd.read_parquet(out)
    assert len(conflicts) == 90 and (conflicts["severity"] == "conflict").sum() > 60
    assert sorted(p.name for p in tmp_path.glob(".*partial*")) == []


def test_the_extent_of_a_geoparquet_written_in_chunks_comes_from_its_row_groups(tmp_path):
    import io

    import pyarrow.parquet as pq

    from longtu.analysis.constraints.layer_files import layer_info

    path, writer = tmp_path / "chunks.parquet", None
    for west in (95.0, 105.0):  # the file's metadata keeps the first chunk's bbox only
        frame = gpd.GeoDataFrame(geometry=[shapely.box(west, 36, west + 1, 37)], crs=4326)
        buffer = io.BytesIO()
        frame.to_parquet(buffer, write_covering_bbox=True, index=False)
        table = pq.read_table(buffer)
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    writer.close()
    assert layer_info(path).bounds == (95.0, 36.0, 106.0, 37.0)


@pytest.mark.parametrize("kind", ["fgb", "parquet"])
def test_a_partition_reads_the_rows_that_meet_its_tiles_not_its_whole_box(boxes, files, kind):
    from pathlib import Path

    from longtu.analysis.constraints.layer_files import _read_tiles

    run = np.array([[100, 36], [101, 36], [101, 37]])  # an L: its box holds a fourth tile
    read = _read_tiles(Path(files[kind]), run, 1.0, None, "name")
    bounds = boxes.bounds.to_numpy()
    meets = np.zeros(len(boxes), dtype=bool)
    for column, row in run.tolist():  # boxes touching a tile from outside count: the cut decides
        west, south, east, north = bounds.T
        meets |= (west <= column + 1) & (east >= column) & (south <= row + 1) & (north >= row)
    assert len(read) == meets.sum() > 50
    # Both files keep the boxes in another order (spatial index, Hilbert): compare the boxes.
    got = np.sort(read.bounds.to_numpy(), axis=0)
    np.testing.assert_array_equal(got, np.sort(bounds[meets], axis=0))
    box_of_run = (bounds[:, 0] <= 102) & (bounds[:, 2] >= 100) & (bounds[:, 1] <= 38)
    assert len(read) < (box_of_run & (bounds[:, 3] >= 36)).sum()


@pytest.mark.parametrize("declared", ["Polygon", "Unknown"])
def test_a_partitioned_layer_met_only_along_a_border_is_near_as_held_whole(tmp_path, declared):
    """The contact rule needs the layer's geometry dimension: the file's, else its pieces'."""
    import pyogrio

    features = gpd.GeoDataFrame(
        {"fid": ["touching", "inside"]},
        geometry=[shapely.box(103, 36, 104, 37), shapely.box(104.2, 36.2, 104.4, 36.4)],
        crs=4326,
    )
    boxes = gpd.GeoDataFrame(geometry=[shapely.box(104, 36, 105, 37)], crs=4326)
    path = tmp_path / "red.gpkg"
    pyogrio.write_dataframe(boxes, path, geometry_type=declared)
    layer = large_constraint_layer(path)
    assert layer.geometry_dimension == (2 if declared == "Polygon" else None)
    partitioned = check_constraints(features, [layer], id_column="fid")
    held = check_constraints(features, [read_constraint_layer(path)], id_column="fid")
    severity = _table(partitioned)["severity"].tolist()
    assert severity == _table(held)["severity"].tolist() == ["conflict", "near"]
    assert layer.geometry_dimension == 2


def test_a_geoparquet_without_row_group_statistics_reads_every_group(features, boxes, tmp_path):
    path = tmp_path / "no_statistics.parquet"
    boxes.to_parquet(path, write_covering_bbox=True, row_group_size=500, write_statistics=False)
    whole = _table(check_constraints(features, [read_constraint_layer(path)], id_column="adcode"))
    layer = large_constraint_layer(path, per_partition=400)
    _assert_same(_table(check_constraints(features, [layer], id_column="adcode")), whole)


def test_partitions_in_threads_share_the_features_safely(features, boxes):
    """Sixteen overlays of the same feature array at once, in eight threads, as partitions run.

    GEOS prepares a geometry in place; when every partition prepared the shared features, a
    check under load once reported another overlap for a county, and once crashed.
    """
    from concurrent.futures import ThreadPoolExecutor

    from longtu.analysis.constraints.partitions import measure_partition

    shared = features.geometry.to_numpy()
    projected = project(shared, 4326)

    def partition(_: int):  # each partition its own pieces, the features shared
        cells = cut_to_cells(shapely.from_wkb(shapely.to_wkb(boxes.geometry.to_numpy())), 4326)
        return measure_partition(shared, projected, cells, 4326)

    alone = partition(0)
    with ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(partition, range(16)))
    for partial in runs:
        np.testing.assert_allclose(partial.measure, alone.measure, rtol=1e-12)
    assert not shapely.is_prepared(shared).any()  # the caller's geometries are left as they were
