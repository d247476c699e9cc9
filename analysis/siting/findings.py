"""The reasons of a siting verdict, one aspect each (:mod:`.verdict` assembles them).

Each function looks at one aspect of a site (the plan's intent where it lies, the energy bases
of its county, the nearest planned park of the industry, the resource, water, the reviewer's
constraint layers, transport access) and adds its findings, in Chinese and English with the
plan's citation where there is one, to a :class:`Findings`.
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod

from longtu.analysis.access import site_access
from longtu.analysis.constraints.check import CATEGORIES, check_constraints
from longtu.analysis.resource.fit import site_attributes, site_layers
from longtu.analysis.resource.screening import screen_sites
from longtu.analysis.tables import county_basins, water_coefficients
from longtu.analysis.water.fit import park_water_context
from longtu.layout.places import split_list
from longtu.layout.vocabulary import PRECISION_LABELS

_GEOD = Geod(ellps="WGS84")
Effect = Literal["ok", "condition", "block", "info"]
#: What a constraint conflict of each severity does to the verdict (anything else: ``"ok"``).
_SEVERITY_EFFECTS: dict[str, Effect] = {"conflict": "block", "near": "condition"}
#: Beyond this distance from any planned park of the same industry the site is outside the
#: plan's clusters (a screening parameter, not a rule of the plans).
FAR_FROM_CLUSTER_KM = 50.0


class Findings:
    """The findings of a verdict so far, one row each (aspect, effect, Chinese, English, source)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(self, aspect: str, effect: Effect, zh: str, en: str, source: str = "") -> None:
        """Add one finding: its aspect, its effect on the verdict, its words and source."""
        self.rows.append(
            {
                "aspect": aspect,
                "effect": effect,
                "finding_zh": zh,
                "finding_en": en,
                "source": source,
            }
        )


def _matches(text: str, keywords: list[str]) -> bool:
    return any(k and k in text for k in keywords)


def _containing(frame: gpd.GeoDataFrame, point: shapely.Point) -> gpd.GeoDataFrame:
    placed = frame[frame.geometry.notna()]
    return placed[
        placed.geometry.covers(point) & placed.geom_type.isin(["Polygon", "MultiPolygon"])
    ]


def _listed(cell: object) -> str:
    """A list cell of the plan (parts joined by ``;``) as read: 冶金、化工."""
    return "、".join(split_list(cell))


def plan_intent(point, industry, plan, findings, location) -> None:
    """What the plan intends where `point` lies: zone, sub-area, base and their industries."""
    keywords = [k for k in industry["park_keywords_zh"].split(";") if k]
    zones = _containing(plan["economic_zones"], point)
    for level in ("zone", "sub_area"):
        for _, row in zones[zones["level"] == level].iterrows():
            location[level] = location.get(level, "") + row["name_zh"] + " "
            text = f"{row['lead_industries_zh']} {row['functions_zh']}"
            source = row["source_refs"].split(";")[0]
            if _matches(text, keywords):
                findings.add(
                    "plan",
                    "ok",
                    f"{row['name_zh']}规划发展{industry['name_zh']}相关产业："
                    f"{_listed(row['lead_industries_zh'])}",
                    f"{row['name_en']} plans {industry['name_en']}-related industry",
                    source,
                )
            else:
                findings.add(
                    "plan",
                    "info",
                    f"{row['name_zh']}的主导产业（{_listed(row['lead_industries_zh']) or '未载明'}"
                    f"）未列{industry['name_zh']}",
                    f"{row['name_en']}: lead industries do not name {industry['name_en']}",
                    source,
                )
    bases = _containing(plan["industrial_bases"], point)
    hits = (
        bases[
            bases.apply(
                lambda r: _matches(f"{r['lead_industries_zh']} {r['base_name_zh']}", keywords),
                axis=1,
            )
        ]
        if len(bases)
        else bases
    )
    for _, row in hits.iterrows():
        findings.add(
            "plan",
            "ok",
            f"位于{row['base_name_zh']}（{row['name_zh']}）",
            f"inside the {row['base_name_en']} ({row['name_en']})",
            row["source_refs"].split(";")[0],
        )
    location["bases"] = "、".join(sorted(set(bases["base_name_zh"])))


def energy_plan(point, industry, plan, county, findings) -> None:
    """The plan's energy bases of the industry's technology in the site's county."""
    sites = plan["energy_sites"]
    same = sites[sites["technology"].isin([industry["technology"], "wind_solar"])]
    in_county = same[same["county_adcodes"].str.contains(county["adcode"])]
    in_prefecture = same[same["prefecture_adcodes"].str.contains(county["prefecture_adcode"])]
    if len(in_county):
        names = "、".join(in_county["name_zh"])
        findings.add(
            "plan",
            "ok",
            f"规划在本县布局：{names}",
            f"the plans site {len(in_county)} base(s) of this technology in this county",
            in_county["source_refs"].iloc[0].split(";")[0],
        )
    elif len(in_prefecture):
        names = "、".join(in_prefecture["name_zh"])
        findings.add(
            "plan",
            "ok",
            f"规划在本市州布局：{names}（不在本县）",
            f"the plans site {len(in_prefecture)} base(s) in this prefecture, not in this county",
            in_prefecture["source_refs"].iloc[0].split(";")[0],
        )
    else:
        findings.add(
            "plan",
            "condition",
            f"规划未在本县、本市州布局{industry['name_zh']}基地",
            f"no planned {industry['name_en']} base in this county or prefecture",
        )


def nearest_park(point, industry, parks, findings) -> None:
    """The nearest planned park of the industry, and whether the site is far from any."""
    keywords = [k for k in industry["park_keywords_zh"].split(";") if k]
    text = parks["lead_industries_zh"] + " " + parks["name_zh"]
    placed = ~(parks.geometry.isna() | parks.geometry.is_empty)
    same = parks[placed & text.map(lambda t: _matches(t, keywords))]
    if same.empty:
        findings.add(
            "cluster",
            "info",
            f"规划未列出{industry['name_zh']}园区",
            f"no planned {industry['name_en']} park",
        )
        return
    best_km, best = min(
        (
            (_GEOD.inv(point.x, point.y, part.x, part.y)[2] / 1000, row)
            for _, row in same.iterrows()
            for part in shapely.get_parts(row.geometry)
        ),
        key=lambda candidate: candidate[0],
    )
    effect: Effect = "ok" if best_km <= FAR_FROM_CLUSTER_KM else "condition"
    if industry["technology"]:
        effect = "info"  # energy bases follow the resource, not the industrial clusters
    findings.add(
        "cluster",
        effect,
        f"最近的同类规划园区：{best['name_zh']}，约 {best_km:.0f} km"
        f"（园区定位{PRECISION_LABELS[best['precision']][0]}）",
        f"nearest planned park of this industry: {best['name_en']}, about {best_km:.0f} km "
        f"(placed to {PRECISION_LABELS[best['precision']][1]})",
        best["source_refs"].split(";")[0],
    )


def resource_fit(site, industry, base, rasters, findings) -> None:
    """Resource and terrain screening of an energy site (the user's rasters when given)."""
    attrs = site_attributes(site, **site_layers(base), resource_rasters=rasters)
    row = attrs.iloc[0]
    findings.add(
        "terrain",
        "info",
        f"高程约 {row['elevation_m']:.0f} m，坡度 {row['slope_deg']:.1f}°（约9 km格网），"
        f"土地覆被：{row['igbp_name_zh']}；"
        f"距河流 {row['distance_to_river_km']:.0f} km，距城镇 {row['distance_to_town_km']:.0f} km",
        f"elevation ~{row['elevation_m']:.0f} m, slope {row['slope_deg']:.1f}° (~9 km cells), "
        f"land cover {row['igbp_name_en']}; {row['distance_to_river_km']:.0f} km to a river, "
        f"{row['distance_to_town_km']:.0f} km to a town",
        "pvlib Altitude.h5; MODIS MCD12C1 2019; GSHHG; GeoNames",
    )
    if not industry["technology"] or industry["technology"] == "coal_power":
        return
    screened = screen_sites(attrs, technology=industry["technology"]).iloc[0]
    effect: Effect = (
        "block"
        if screened["excluded"]
        else ("ok" if screened["resource_assessed"] else "condition")
    )
    findings.add(
        "resource",
        effect,
        f"资源与地形筛查：{screened['reasons_zh']} {screened['flags_zh']}".strip(),
        f"resource and terrain screening: {screened['reasons_en']} {screened['flags_en']}".strip(),
        "analysis/data/screening_thresholds.csv",
    )


def water_fit(site, industry, base, findings) -> None:
    """The water context of a water-intensive industry at the site (basin, quota)."""
    if not industry["water_group"]:
        return
    probe = site.assign(
        feature_id="site",
        name_zh="拟选址",
        name_en="proposed site",
        lead_industries_zh=industry["name_zh"],
        precision="site",
    )
    context = park_water_context(
        probe,
        rivers=base["rivers"],
        counties=base["counties"],
        coefficients=water_coefficients(),
        basins=county_basins(),
    )
    if context.empty:
        return
    row = context.iloc[0]
    effect: Effect = "condition" if row["flags_zh"] else "ok"
    findings.add(
        "water",
        effect,
        f"高耗水产业；所在流域：{row['basin_zh']}。{row['flags_zh']}".strip(),
        f"water-intensive; basin {row['basin_zh']}. {row['flags_en']}".strip(),
        "analysis/data/county_basins.csv",
    )


def constraint_conflicts(site, constraints, findings) -> None:
    """Conflicts with the reviewer's constraint layers (or: not checked, none given)."""
    if not constraints:
        findings.add(
            "constraints",
            "info",
            "未加载约束图层：生态红线等冲突未核查",
            "no constraint layers loaded: conflicts not checked",
        )
        return
    table = check_constraints(site.assign(feature_id="site"), constraints).tables["conflicts_table"]
    for _, row in table.iterrows():
        effect = _SEVERITY_EFFECTS.get(row["severity"], "ok")
        category = row["constraint_category"]
        category_en = CATEGORIES.get(category, (category, category))[1]
        distance = f"{row['distance_km']:.1f} km"
        findings.add(
            "constraints",
            effect,
            f"{row['constraint_label']}（{row['category_zh']}）："
            f"{row['severity_zh']}，距离 {distance}",
            f"{row['constraint_label']} ({category_en}): {row['severity']}, {distance}",
        )


_ACCESS_KIND_WORDS = {
    "station": ("火车站", "railway station"),
    "interchange": ("高速互通", "expressway interchange"),
    "airport": ("机场", "airport"),
    "prefecture_seat": ("市州驻地", "prefecture seat"),
}


_ACCESS_METHOD_WORDS = {
    frozenset({"network"}): ("路网最短时间路径", "fastest paths on the road network"),
    frozenset({"straight-line estimate"}): ("直线距离估算", "straight-line estimates"),
    frozenset({"network", "straight-line estimate"}): (
        "有行车时间者为路网路径，其余为直线距离估算",
        "with a time: road network; without: straight-line estimate",
    ),
}


def transport_access(point, base, network, findings) -> None:
    """One reason line: the nearest targets, with distance, time and how they were measured."""
    table = site_access(
        point.x, point.y, graph=network, prefecture_seats=base.get("prefecture_seats")
    )
    zh, en = [], []
    for row in table.itertuples(index=False):
        kind_zh, kind_en = _ACCESS_KIND_WORDS[row.target_kind]
        timed = pd.notna(row.travel_time_min)
        zh.append(
            f"{kind_zh} {row.target_name_zh} 约 {row.distance_km:.0f} km"
            + (f"、{row.travel_time_min:.0f} 分钟" if timed else "")
        )
        en.append(
            f"{kind_en} {row.target_name_en} about {row.distance_km:.0f} km"
            + (f", {row.travel_time_min:.0f} min" if timed else "")
        )
    how_zh, how_en = _ACCESS_METHOD_WORDS[frozenset(table["method"])]
    findings.add(
        "access",
        "info",
        f"交通可达性（{how_zh}）：" + "；".join(zh),
        f"transport access ({how_en}): " + "; ".join(en),
        ";".join(
            [network.source if network is not None else "airportsdata"]
            + (["gis_data/plan/county_seats.csv"] if "prefecture_seats" in base else [])
        ),
    )
