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

KIND_SHORT: dict[str, Words] = {
    "station": ("火车站", "station"),
    "interchange": ("高速互通", "interchange"),
    "airport": ("机场", "airport"),
    "prefecture_seat": ("市州驻地", "prefecture seat"),
    "capital": ("兰州", "Lanzhou"),
    "county_seat": ("县城", "county seat"),
}
"""Short names of the target kinds, for table headers."""
METHOD_SHORT: dict[str, Words] = {
    "network": ("路网", "road network"),
    "straight-line estimate": ("直线估算", "straight-line estimate"),
    "mixed": ("路网，≈ 为直线估算", "network; ≈ straight-line estimate"),
}
"""How a row or a kind was measured, in a table cell."""
MEASURE_WORDS: dict[str, Words] = {
    "station_interchange": (
        "到最近火车站或高速互通的行车时间（路网）",
        "Travel time to the nearest station or interchange (road network)",
    ),
    "airport": (
        "到最近机场的直线距离（估算，无行车时间）",
        "Straight-line distance to the nearest airport (estimate, no travel time)",
    ),
}
"""What a point's colour on the access map measures (see ``analysis.access.tables.map_measure``)."""


def band_words(band: int, unit: str, previous: int | None, *, language: str = "zh") -> str:
    """A class of the access map; `previous` the class below (None: the first class).

    Examples
    --------
    >>> band_words(30, "min", None), band_words(120, "km", 60, language="en")
    ('≤ 30 分钟 min', '60–120 km')
    """
    unit_words = "km" if unit == "km" else ("min" if language == "en" else "分钟 min")
    return f"≤ {band} {unit_words}" if previous is None else f"{previous}–{band} {unit_words}"


def beyond_words(unit: str, *, language: str = "zh") -> str:
    """The last, open class of the access map (beyond 120).

    Examples
    --------
    >>> beyond_words("min")
    '> 120 分钟 min'
    """
    unit_words = "km" if unit == "km" else ("min" if language == "en" else "分钟 min")
    return f"> 120 {unit_words}"


def within_words(kind: str, counts: list[int], unit: str, n_parks: int, n_missed: int) -> Words:
    """One sentence: how many parks lie within 30, 60 and 120 min (or km) of a target kind.

    Examples
    --------
    >>> within_words("airport", [48, 76, 88], "km", 89, 0)[1]
    'Airport: 48, 76 and 88 of 89 parks within 30, 60 and 120 km in a straight line (estimate).'
    """
    zh_kind, en_kind = KIND_SHORT[kind]
    a, b, c = counts
    if unit == "min":
        missed_zh = f"；{n_missed} 个路网未达（表中为直线估算）" if n_missed else ""
        missed_en = f"; {n_missed} not reached on the network (estimates)" if n_missed else ""
        return (
            f"到{zh_kind}：{n_parks} 个园区中，行车 30、60、120 分钟内分别有 {a}、{b}、{c} 个"
            f"{missed_zh}。",
            f"{en_kind.capitalize()}: {a}, {b} and {c} of {n_parks} parks within 30, 60 and "
            f"120 min by road{missed_en}.",
        )
    return (
        f"到{zh_kind}：{n_parks} 个园区中，直线距离 30、60、120 km 内分别有 {a}、{b}、{c} 个"
        "（估算，无行车时间）。",
        f"{en_kind.capitalize()}: {a}, {b} and {c} of {n_parks} parks within 30, 60 and 120 km "
        "in a straight line (estimate).",
    )


def not_measured_words(kind: str) -> Words:
    """One sentence: a kind the result does not measure (no extract, or none in it)."""
    zh_kind, en_kind = KIND_SHORT[kind]
    return (
        f"到{zh_kind}：未计算（需 OSM 路网数据中的{zh_kind}）。",
        f"{en_kind.capitalize()}: not measured (needs an OSM extract with {en_kind}s).",
    )


def method_words(
    n_network: int, n_estimate: int, network: str | None, *, snap_limit_km: float = 5.0
) -> Words:
    """One sentence: how the figures were measured (network paths, straight-line estimates).

    `network` names the road network given (the extract's file), None when there was none;
    `snap_limit_km` is the largest gap to it a point may have.

    Examples
    --------
    >>> method_words(0, 556, None)[1][:46]
    'Every figure is a straight-line estimate: no r'
    >>> method_words(0, 556, "helsinki.osm.pbf")[1][42:80]
    'the road network (helsinki.osm.pbf) re'
    """
    if n_network == 0 and network is None:
        return (
            "全部为直线距离估算：未提供路网（OSM 数据），故无行车时间，火车站与高速互通无法计算。",
            "Every figure is a straight-line estimate: no road network (OSM extract) was given, "
            "so there are no travel times and no stations or interchanges.",
        )
    if n_network == 0:
        return (
            f"全部为直线距离估算：路网（{network}）未达任何园区或能源基地"
            f"（均距其道路 {snap_limit_km:g} km 以上）或任何目标。",
            f"Every figure is a straight-line estimate: the road network ({network}) reaches no "
            f"park or energy site (each more than {snap_limit_km:g} km from its roads) or no "
            "target.",
        )
    if n_estimate == 0:
        return (
            f"全部 {n_network} 项为路网最短时间路径（按道路等级车速）。",
            f"All {n_network} figures are fastest paths on the road network (class speeds).",
        )
    return (
        f"{n_network} 项为路网最短时间路径，{n_estimate} 项为直线距离估算（表中以 ≈ 标出，"
        "无行车时间：点位离路网过远或路网中无此类目标）。",
        f"{n_network} figures are fastest paths on the road network, {n_estimate} straight-line "
        "estimates (marked ≈ in the tables, no travel time: the point is far from the network "
        "or the extract has no target of the kind).",
    )


def isochrone_words(at: str, minutes: list[float], area_km2: list[float]) -> Words:
    """One sentence: the areas reached by road from the chosen site within each time.

    Examples
    --------
    >>> isochrone_words("103.8000, 36.1000", [30, 60, 120], [812.4, 3120.0, 9800.5])[1][42:96]
    'the roads reach 812, 3,120 and 9,800 km² within 30, 60'
    """
    times = "、".join(f"{m:g}" for m in minutes)
    areas_zh = "、".join(_area(a) for a in area_km2)
    times_en = ", ".join(f"{m:g}" for m in minutes[:-1]) + f" and {minutes[-1]:g}"
    areas_en = ", ".join(_area(a) for a in area_km2[:-1]) + f" and {_area(area_km2[-1])}"
    return (
        f"等时圈：自所选地点（{at}）沿路网行车 {times} 分钟可达范围分别约 {areas_zh} km²（见图）。",
        f"From the chosen site ({at}), the roads reach {areas_en} km² within {times_en} min "
        "(isochrones, drawn on the map).",
    )


def _area(area_km2: float) -> str:
    """``"3,120"`` from 100 km² up, ``"1.5"`` below."""
    return f"{area_km2:,.0f}" if area_km2 >= 100 else f"{area_km2:.1f}"
