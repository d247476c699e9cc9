"""Words of transport access (:mod:`longtu.analysis.access`)."""

from __future__ import annotations

Words = tuple[str, str]

TABLE_WORDS: dict[str, Words] = {
    "access_paths": ("交通可达性（到最近目标）", "Transport access (to the nearest target)"),
    "access_summary": ("交通可达性汇总", "Transport access summary"),
    "access_targets": ("可达性目标（车站、互通、机场、驻地）", "Access targets"),
    "isochrones": ("等时圈", "Isochrones"),
}
COLUMN_WORDS: dict[str, Words] = {
    "feature_kind": ("对象", "Feature"),
    "target_kind": ("目标类型", "Target"),
    "target_name_zh": ("目标名称", "Target name"),
    "target_name_en": ("目标名称", "Target name"),
    "travel_time_min": ("行车时间（分钟）", "Travel time (min)"),
    "to_network_km": ("距路网（km）", "To the road network (km)"),
    "method": ("方法", "Method"),
    "n_points": ("点位数", "Points"),
    "median_distance_km": ("距离中位数（km）", "Median distance (km)"),
    "max_distance_km": ("最大距离（km）", "Largest distance (km)"),
    "median_travel_time_min": ("行车时间中位数（分钟）", "Median travel time (min)"),
    "kind": ("类型", "Kind"),
    "source": ("来源", "Source"),
    "minutes": ("时间（分钟）", "Minutes"),
    "n_nodes_reached": ("可达路网节点数", "Network nodes reached"),
    "distance_to_rail_or_expressway_km": ("距铁路或高速（km）", "To a railway or expressway (km)"),
}
NUMBER_WORDS: dict[str, Words] = {
    "n_points": ("园区与能源基地点位", "Park and energy-site points"),
    "n_features_unplaced": ("未落位的园区与基地", "Parks and sites not placed"),
    "n_paths_network": ("路网路径数", "Paths on the road network"),
    "n_paths_estimate": ("直线估算数", "Straight-line estimates"),
    "median_station_km": ("到最近火车站中位距离（km）", "Median km to a railway station"),
    "median_station_min": ("到最近火车站中位时间（分钟）", "Median min to a railway station"),
    "median_interchange_km": ("到最近高速互通中位距离（km）", "Median km to an interchange"),
    "median_interchange_min": ("到最近高速互通中位时间（分钟）", "Median min to an interchange"),
    "median_airport_km": ("到最近机场中位距离（km）", "Median km to an airport"),
    "median_airport_min": ("到最近机场中位时间（分钟）", "Median min to an airport"),
    "median_prefecture_seat_km": ("到最近市州驻地中位距离（km）", "Median km to a prefecture seat"),
    "median_prefecture_seat_min": (
        "到最近市州驻地中位时间（分钟）",
        "Median min to a prefecture seat",
    ),
    "median_capital_km": ("到兰州中位距离（km）", "Median km to Lanzhou"),
    "median_capital_min": ("到兰州中位时间（分钟）", "Median min to Lanzhou"),
    "median_county_seat_km": ("到最近县城中位距离（km）", "Median km to a county seat"),
    "median_county_seat_min": ("到最近县城中位时间（分钟）", "Median min to a county seat"),
    "n_road_edges": ("路网路段数", "Road edges"),
    "n_ways_dropped": ("缺节点而舍弃的道路", "Ways dropped (nodes missing)"),
}
PARAMETER_WORDS: dict[str, Words] = {
    "network": ("路网", "Road network"),
    "snap_limit_km": ("接入路网的最大距离（km）", "Largest gap to the network (km)"),
}
VALUE_WORDS: dict[str, dict[str, Words]] = {
    "target_kind": {
        "station": ("火车站", "railway station"),
        "interchange": ("高速互通", "expressway interchange"),
        "airport": ("机场", "airport"),
        "prefecture_seat": ("市州驻地", "prefecture seat"),
        "capital": ("省会兰州", "Lanzhou, the capital"),
        "county_seat": ("县城", "county seat"),
    },
    "method": {
        "network": ("路网最短时间路径", "fastest path on the road network"),
        "straight-line estimate": ("直线距离估算", "straight-line estimate"),
    },
    "feature_kind": {
        "park": ("园区", "park"),
        "energy_site": ("能源基地", "energy site"),
    },
}
VALUE_WORDS["kind"] = VALUE_WORDS["target_kind"]
VALUE_WORDS["criterion"] = {
    "distance_to_rail_or_expressway_km": (
        "距铁路或高速公路距离",
        "distance to a railway or an expressway",
    )
}

SHOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "access_paths": (
        "name_zh",
        "feature_kind",
        "precision",
        "target_kind",
        "target_name_zh",
        "distance_km",
        "travel_time_min",
        "to_network_km",
        "method",
    ),
    "access_summary": (
        "target_kind",
        "method",
        "n_points",
        "median_distance_km",
        "max_distance_km",
        "median_travel_time_min",
    ),
    "access_targets": ("kind", "name_zh", "source"),
    "isochrones": ("minutes", "n_nodes_reached"),
}
"""Columns a person reads (for :data:`longtu.maps.labels.SHOWN_COLUMNS`; ids stay in the CSV)."""
