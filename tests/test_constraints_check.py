"""Tests of the constraint overlay: hand-checked squares, severities, real bundled data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pyproj import Geod, Proj, Transformer

from longtu import settings
from longtu.analysis.constraints.builtin_layers import builtin_constraints
from longtu.analysis.constraints.check import (
    ConstraintInputError,
    ConstraintLayer,
    check_constraints,
)
from longtu.layout import load_layer

# A point near Lanzhou in the equal-area CRS: squares are drawn there in metres, with a vertex
# every 10 m along their edges, then converted to lon/lat. The overlay is made in lon/lat (the
# layers' CRS) and measured in the equal-area CRS; with vertices that close, the edges are the
# same lines in both CRSs (to well under a millimetre), so the areas measured are those of the
# squares drawn here.
TO_LONLAT = Transformer.from_crs(settings.equal_area_crs, "EPSG:4326", always_xy=True)
X0, Y0 = Transformer.from_crs("EPSG:4326", settings.equal_area_crs, always_xy=True).transform(
    103.8, 36.0
)


def square_km(west_km: float, south_km: float, east_km: float, north_km: float) -> shapely.Polygon:
    """A rectangle given in km east/north of (X0, Y0) in the equal-area CRS, as lon/lat."""
    box = shapely.box(
        X0 + west_km * 1e3, Y0 + south_km * 1e3, X0 + east_km * 1e3, Y0 + north_km * 1e3
    )
    dense = shapely.segmentize(box, max_segment_length=10.0)
    return shapely.transform(dense, lambda xy: np.column_stack(TO_LONLAT.transform(*xy.T)))


def lonlat_km(east_km: float, north_km: float) -> tuple[float, float]:
    return TO_LONLAT.transform(X0 + east_km * 1e3, Y0 + north_km * 1e3)


def frame(*geometries, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns or None, geometry=list(geometries), crs="EPSG:4326")


def layer(*geometries, label: str = "red", buffer_km: float = 0.0) -> ConstraintLayer:
    return ConstraintLayer(frame(*geometries), label, "ecological_red_line", buffer_km)


def row(result, feature_id: str, label: str = "red"):
    table = result.tables["conflicts_table"]
    hit = table[(table["feature_id"] == feature_id) & (table["constraint_label"] == label)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_half_covered_square_is_fifty_percent():
    # 10 x 10 km feature; the constraint covers x in [5, 20] km: a 5 x 10 km overlap.
    plan = frame(square_km(0, 0, 10, 10), feature_id=["f"])
    result = check_constraints(plan, [layer(square_km(5, -5, 20, 15))])
    hit = row(result, "f")
    assert hit["severity"] == "conflict"
    assert hit["overlap_km2"] == pytest.approx(50.0, rel=1e-6)
    assert hit["overlap_pct"] == pytest.approx(50.0, rel=1e-6)
    assert hit["distance_km"] == 0
    assert result.tables["overlaps"].to_crs(settings.equal_area_crs).area.iloc[0] == (
        pytest.approx(50e6, rel=1e-6)
    )


def test_overlapping_constraints_are_not_counted_twice():
    # Two constraints over the same east half, a third over the south-west quarter: 75 km².
    constraints = layer(square_km(5, -5, 20, 15), square_km(6, 0, 12, 10), square_km(-3, -3, 5, 5))
    hit = row(
        check_constraints(frame(square_km(0, 0, 10, 10), feature_id=["f"]), [constraints]), "f"
    )
    assert hit["n_intersecting"] == 3
    assert hit["overlap_km2"] == pytest.approx(75.0, rel=1e-6)
    assert hit["overlap_pct"] == pytest.approx(75.0, rel=1e-6)


def test_feature_inside_constraint_is_fully_covered():
    hit = row(
        check_constraints(
            frame(square_km(0, 0, 4, 5), feature_id=["f"]), [layer(square_km(-10, -10, 10, 10))]
        ),
        "f",
    )
    assert hit["overlap_km2"] == pytest.approx(20.0, rel=1e-6)
    assert hit["overlap_pct"] == pytest.approx(100.0, rel=1e-9)


def test_near_within_buffer_but_not_intersecting():
    # The constraint starts 3 km east of the feature's east edge (distance in the equal-area
    # CRS); the geodesic distance is 3 km divided by the CRS's scale along the parallel there.
    plan = frame(square_km(0, 0, 10, 10), feature_id=["f"])
    constraint = square_km(13, 0, 20, 10)
    scale = Proj(settings.equal_area_crs).get_factors(103.85, 36.05).parallel_scale
    near = row(check_constraints(plan, [layer(constraint, buffer_km=5)]), "f")
    assert near["severity"] == "near"
    assert near["n_intersecting"] == 0
    assert near["overlap_km2"] == 0
    assert near["distance_km"] == pytest.approx(3.0 / scale, rel=2e-3)
    clear = row(check_constraints(plan, [layer(constraint, buffer_km=2)]), "f")
    assert clear["severity"] == "clear"


def test_points_lines_and_unplaced_features():
    plan = gpd.GeoDataFrame(
        {"feature_id": ["point", "line", "nowhere"], "name_zh": ["点", "线", "未落位"]},
        geometry=[
            shapely.centroid(square_km(0, 0, 2, 2)),
            shapely.LineString([lonlat_km(-10, 0), lonlat_km(10, 0)]),
            None,
        ],
        crs="EPSG:4326",
    )
    result = check_constraints(plan, [layer(square_km(0, -5, 20, 5))])
    point, line = row(result, "point"), row(result, "line")
    assert point["severity"] == "conflict" and np.isnan(point["overlap_km2"])
    # The line runs 20 km west to east through the constraint's middle; 10 km of it is inside.
    assert line["overlap_length_km"] == pytest.approx(10.0, rel=1e-6)
    assert line["overlap_pct"] == pytest.approx(50.0, rel=1e-6)
    assert result.tables["unplaced"]["feature_id"].tolist() == ["nowhere"]
    assert result.numbers["n_unplaced"] == 1 and result.numbers["n_checked"] == 2
    assert "1 个未落位" in result.summary_zh


def test_union_matches_shapely_on_random_boxes():
    rng = np.random.default_rng(7)
    x, y = rng.uniform(103.0, 104.0, 300), rng.uniform(35.5, 36.5, 300)
    boxes = shapely.box(x, y, x + rng.uniform(0.01, 0.08, 300), y + rng.uniform(0.01, 0.08, 300))
    plan = frame(
        shapely.box(103.2, 35.7, 103.7, 36.2), shapely.Point(103.5, 36.0), feature_id=["a", "b"]
    )
    hit = row(check_constraints(plan, [layer(*boxes)]), "a")
    # overlaid in lon/lat (the layers' CRS), measured in the equal-area CRS with its edges kept
    # straight in lon/lat (densified before projecting, as overlay.densify does)
    overlap = shapely.intersection(plan.geometry.iloc[0], shapely.union_all(boxes))
    dense = gpd.GeoSeries([overlap], crs=4326).segmentize(0.05)
    expected = dense.to_crs(settings.equal_area_crs).area[0] / 1e6
    assert hit["overlap_km2"] == pytest.approx(expected, rel=1e-9)


def test_inputs_are_not_mutated_and_mapping_accepted():
    plan = frame(square_km(0, 0, 10, 10), feature_id=["f"])
    constraint = frame(square_km(5, -5, 20, 15))
    before = plan.copy(), constraint.copy()
    result = check_constraints(plan, {"zone": constraint})
    assert row(result, "f", "zone")["overlap_pct"] == pytest.approx(50.0)
    assert_geodataframe_equal(plan, before[0])
    assert_geodataframe_equal(constraint, before[1])


def test_errors_name_the_argument():
    plan = frame(square_km(0, 0, 1, 1), feature_id=["f"])
    with pytest.raises(ConstraintInputError, match="`features`"):
        check_constraints(plan.set_crs(None, allow_override=True), [layer(square_km(0, 0, 1, 1))])
    with pytest.raises(ConstraintInputError, match="unique labels"):
        check_constraints(plan, [layer(square_km(0, 0, 1, 1))] * 2)
    with pytest.raises(ConstraintInputError, match="`buffer_km`"):
        check_constraints(plan, [layer(square_km(0, 0, 1, 1), buffer_km=-1)])
    with pytest.raises(ConstraintInputError, match="`width_km`"):
        builtin_constraints("rivers")
    with pytest.raises(ConstraintInputError, match="`classes`"):
        builtin_constraints("land_cover", classes=["desert"])


def test_counties_against_the_tibetan_plateau():
    counties = load_layer("counties")
    result = check_constraints(counties, [builtin_constraints("tibetan_plateau", buffer_km=10)])
    table = result.tables["conflicts_table"].set_index("feature_id")
    # Gannan's 合作市 and 玛曲县 lie wholly on the plateau; 兰州's 城关区 lies off it.
    assert table.loc["623001", "overlap_pct"] == pytest.approx(100.0, abs=0.01)
    assert table.loc["623025", "severity"] == "conflict"
    assert table.loc["620102", "severity"] == "clear"
    assert table.loc["620102", "distance_km"] > 10
    assert result.numbers["n_checked"] == 90
    assert sum(result.numbers[f"n_{s}"] for s in ("conflict", "near", "clear")) == 90
    assert table["overlap_pct"].between(0, 100.0001).all()


def test_builtin_layers_from_bundled_data():
    rivers = builtin_constraints("rivers", width_km=2)
    terrain = builtin_constraints("terrain", min_elevation_m=3000)
    water = builtin_constraints("land_cover", classes=["water", "wetland"])
    assert (rivers.label, terrain.label, water.label) == (
        "河流两侧各 2 km Rivers, 2 km each side",
        "海拔 ≥ 3000 m Elevation ≥ 3000 m",
        "土地覆被：水体、湿地 Land cover: water, wetland",
    )
    for built in (rivers, terrain, water):
        assert built.frame.crs.to_epsg() == 4326 and len(built.frame) > 0
    # A 2 km strip on each side: its area is about 4 km x the river length in Gansu.
    length_km = load_layer("rivers")["length_km"].sum()
    area_km2 = rivers.frame.to_crs(settings.equal_area_crs).area.sum() / 1e6
    assert 0.8 * 4 * length_km < area_km2 < 1.1 * 4 * length_km  # + round ends, CRS scale


def test_schematic_locations_are_flagged():
    plan = frame(
        shapely.centroid(square_km(0, 0, 2, 2)),
        shapely.centroid(square_km(0, 0, 4, 4)),
        feature_id=["county_point", "town_point"],
        precision=["county", "town"],
    )
    table = check_constraints(plan, [layer(square_km(-5, -5, 5, 5))]).tables["conflicts_table"]
    notes = dict(zip(table["feature_id"], table["location_note"], strict=True))
    assert "not a site" in notes["county_point"] and notes["town_point"] == ""


def test_invalid_constraint_passed_directly_is_repaired_on_a_copy():
    # A bow-tie over the 10 x 10 km square: two triangles of 25 km² each meeting at its centre.
    bow_tie = shapely.Polygon(
        [lonlat_km(0, 0), lonlat_km(10, 10), lonlat_km(10, 0), lonlat_km(0, 10)]
    )
    constraints = layer(bow_tie)
    hit = row(
        check_constraints(frame(square_km(0, 0, 10, 10), feature_id=["f"]), [constraints]), "f"
    )
    # The bow-tie's diagonals are straight in lon/lat (two vertices each), so in the equal-area
    # CRS they bow by a few metres from the square's diagonals: 49.9998 km², not 50.
    assert hit["overlap_km2"] == pytest.approx(50.0, rel=1e-5)
    assert not constraints.frame.geometry.iloc[0].is_valid  # the input is untouched


def test_result_tables_columns_and_summary():
    plan = frame(
        square_km(0, 0, 10, 10),
        shapely.centroid(square_km(30, 30, 32, 32)),
        None,
        feature_id=["f", "p", "u"],
        name_zh=["甲", "乙", "丙"],
        precision=["site", "county", "unplaced"],
    )
    result = check_constraints(plan, [layer(square_km(5, -5, 20, 15))])
    tables = result.tables
    assert list(tables) == [
        "conflicts", "features", "overlaps", "unplaced", "conflicts_table", "layer_notes"
    ]  # fmt: skip
    assert tables["layer_notes"].empty  # the layer overlaps Gansu and needed no repair
    assert tables["conflicts_table"].columns.tolist() == [
        "feature_id", "name_zh", "precision", "constraint_label", "constraint_category",
        "category_zh", "buffer_km", "severity", "severity_zh", "n_intersecting", "overlap_km2",
        "overlap_length_km", "overlap_pct", "distance_km", "constraint_names", "nearest_name",
        "location_note",
    ]  # fmt: skip
    assert tables["conflicts"].columns.tolist() == [*tables["conflicts_table"].columns, "geometry"]
    assert tables["features"].columns.tolist() == [
        "feature_id", "name_zh", "precision", "severity", "layers_conflict", "layers_near",
        "severity_zh", "geometry",
    ]  # fmt: skip
    assert tables["overlaps"].columns.tolist() == ["feature_id", "constraint_label", "geometry"]
    assert tables["unplaced"].to_dict("list") == {
        "feature_id": ["u"],
        "name_zh": ["丙"],
        "precision": ["unplaced"],
    }
    for name in ("conflicts", "features", "overlaps"):
        assert tables[name].crs.to_epsg() == 4326
    assert tables["conflicts_table"]["n_intersecting"].dtype == np.int64
    assert tables["conflicts_table"]["feature_id"].tolist() == ["f", "p"]  # conflict first
    assert result.numbers == {
        "n_features": 3, "n_checked": 2, "n_unplaced": 1, "n_layers": 1,
        "n_conflict": 1, "n_near": 0, "n_clear": 1, "n_layer_warnings": 0,
    }  # fmt: skip
    assert result.summary_en == (
        "2 placed plan features checked against 1 constraint layer: 1 in conflict, 0 near, "
        "1 clear; 1 unplaced feature not checked."
    )
    assert result.summary_zh == (
        "2 个已落位规划要素对照 1 个约束图层：1 个冲突，0 个邻近，1 个无冲突；"
        "1 个未落位要素未检查。"
    )
    assert result.parameters["layers"] == [
        {"label": "red", "category": "ecological_red_line", "buffer_km": 0.0, "source": ""}
    ]


def test_distance_to_a_long_lon_lat_edge_is_measured_to_that_edge():
    # A point 6.0 km north of a box 5 degrees wide: the box's north edge is the parallel 38 N
    # (straight in lon/lat, as stored). Projected vertex by vertex it became a chord 2.8 km
    # south of the parallel, and the point was 3.3 km away and "near" at 5 km.
    lon, lat, _ = Geod(ellps="WGS84").fwd(102.5, 38.0, 0, 6_000)
    plan = frame(shapely.Point(lon, lat), feature_id=["p"])
    hit = row(check_constraints(plan, [layer(shapely.box(100, 36, 105, 38), buffer_km=5)]), "p")
    assert hit["distance_km"] == pytest.approx(6.0, abs=0.05)
    assert hit["severity"] == "clear"
    near = row(check_constraints(plan, [layer(shapely.box(100, 36, 105, 38), buffer_km=6.1)]), "p")
    assert near["severity"] == "near"


@pytest.mark.parametrize("column", ["名称", "name", "NAME", "MC", "BHQMC", "TBBH"])
def test_a_conflict_names_the_constraint_feature_and_a_near_one_its_nearest(column):
    """The report names the constraint a feature hits (or is near), not only the layer."""
    plan = frame(
        square_km(0, 0, 10, 10),
        square_km(40, 0, 42, 2),
        square_km(80, 0, 82, 2),
        feature_id=["in", "near", "far"],
    )
    shapes = [square_km(5, -5, 20, 15), square_km(45, 0, 50, 5), square_km(200, 0, 210, 5)]
    names = ["祁连山红线", "黄河水源地", "远处保护区"]
    red = gpd.GeoDataFrame({column: names}, geometry=shapes, crs=4326)
    result = check_constraints(plan, [ConstraintLayer(red, "红线", buffer_km=5)])
    table = result.tables["conflicts_table"].set_index("feature_id")
    assert table.loc["in", "constraint_names"] == "祁连山红线"
    assert table.loc["in", "nearest_name"] == ""
    assert table.loc["near", "severity"] == "near"
    assert table.loc["near", "nearest_name"] == "黄河水源地"
    assert table.loc["far", ["severity", "nearest_name"]].tolist() == ["clear", "黄河水源地"]


def test_a_shared_border_is_near_at_0_km_not_a_conflict():
    """A prefecture-level feature and a neighbouring county's reserve share a border only.

    Zhangye (张掖市) and Subei county (肃北县, Jiuquan) meet along the Qilian Mountains: the
    bundled boundaries share that edge, so the overlap has no area. Jiuquan (酒泉市), which
    holds Subei, overlaps it; a river line across Zhangye, taken as a line constraint, crosses
    it (no area either, but a real crossing: a conflict).
    """
    prefectures = load_layer("prefectures").set_index("name_zh")
    subei = load_layer("counties").set_index("name_zh").loc[["肃北蒙古族自治县"]]
    features = gpd.GeoDataFrame(
        {"feature_id": ["zhangye", "jiuquan"]},
        geometry=[prefectures.geometry["张掖市"], prefectures.geometry["酒泉市"]],
        crs=4326,
    )
    shared = features.geometry.iloc[0].intersection(subei.geometry.iloc[0])
    assert shared.length > 0.1 and shared.area < 1e-12  # degrees: a border, no area
    reserve = ConstraintLayer(subei.reset_index()[["geometry"]], "reserve")
    table = check_constraints(features, [reserve]).tables["conflicts"].set_index("feature_id")
    assert table.loc["zhangye", "severity"] == "near"
    assert table.loc["zhangye", "distance_km"] == 0.0
    assert table.loc["jiuquan", "severity"] == "conflict"
    across = shapely.LineString(
        [features.geometry.iloc[0].representative_point(), shapely.Point(96.0, 42.0)]
    )
    line = ConstraintLayer(gpd.GeoDataFrame(geometry=[across], crs=4326), "river")
    crossing = check_constraints(features, [line]).tables["conflicts"].set_index("feature_id")
    assert crossing.loc["zhangye", "severity"] == "conflict"
