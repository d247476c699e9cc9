"""Siting verdict (选址分析): can this industry go at this place, and why.

Like the 三线一单 zoning-control platforms: a point (typed in WGS84, GCJ-02 or BD-09) and an
industry in, a verdict out — fits / fits with conditions / does not fit — with every reason:
the zone, sub-area and base the point falls in and what the plan intends there (with the plan's
own words and citation), conflicts with the reviewer's constraint layers, resource and terrain
screening for energy, water fit for water-intensive industry, and the nearest planned park of
the same industry, and transport access (the nearest station, interchange, airport and
prefecture seat: over a road network when one is given, else straight-line estimates).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod

from longtu import settings
from longtu.analysis.access import site_access
from longtu.analysis.constraints.check import ConstraintLayer, check_constraints
from longtu.analysis.io.rasters import UserRaster
from longtu.analysis.resource.fit import site_attributes
from longtu.analysis.resource.screening import screen_sites
from longtu.analysis.tables import county_basins, water_coefficients
from longtu.analysis.water.fit import park_water_context
from longtu.errors import ParameterError, UnknownIndustryError
from longtu.gis_data.gcj02 import to_wgs84
from longtu.layout.vocabulary import PRECISION_LABELS

if TYPE_CHECKING:
    from longtu.analysis.access import AccessNetwork

_GEOD = Geod(ellps="WGS84")
Effect = Literal["ok", "condition", "block", "info"]
#: What a constraint conflict of each severity does to the verdict (anything else: ``"ok"``).
_SEVERITY_EFFECTS: dict[str, Effect] = {"conflict": "block", "near": "condition"}
VERDICTS = {
    "fits": ("符合", "fits"),
    "fits_with_conditions": ("有条件符合", "fits with conditions"),
    "does_not_fit": ("不符合", "does not fit"),
}
#: Base layers the verdict reads (pass them in: the function does no I/O).
SITING_LAYERS = ("province", "counties", "prefectures", "rivers", "towns", "terrain", "land_cover")
#: Beyond this distance from any planned park of the same industry the site is outside the
#: plan's clusters (a screening parameter, not a rule of the plans).
FAR_FROM_CLUSTER_KM = 50.0


@cache
def industries() -> pd.DataFrame:
    """The industry vocabulary: key, Chinese and English names, aliases, plan keywords."""
    path = resources.files("longtu.analysis") / "data" / "industries.csv"
    return pd.read_csv(str(path), dtype=str, keep_default_na=False)


def resolve_industry(text: str) -> pd.Series:
    """The industry row for a key, Chinese or English name or alias (any case).

    Examples
    --------
    >>> [resolve_industry(name)["key"] for name in ("光伏", "PV", "煤制烯烃")]
    ['pv', 'pv', 'coal_chemical']
    """
    wanted = text.strip().lower()
    for _, row in industries().iterrows():
        names = [row["key"], row["name_zh"], row["name_en"], *row["aliases"].split(";")]
        if wanted in {n.strip().lower() for n in names if n}:
            return row
    keys = ", ".join(f"{r.key} ({r.name_zh})" for r in industries().itertuples())
    raise UnknownIndustryError(f"Unknown industry `{text}`; use one of: {keys}.")


@dataclass
class SiteVerdict:
    """The answer for one site.

    Attributes
    ----------
    verdict : str
        ``fits``, ``fits_with_conditions`` or ``does_not_fit``.
    verdict_zh, verdict_en : str
        The verdict in words.
    lon, lat : float
        The site in WGS84 (after any GCJ-02/BD-09 conversion).
    industry : str
        Industry key.
    reasons : pandas.DataFrame
        One row per finding: ``aspect``, ``effect`` (ok / condition / block / info),
        ``finding_zh``, ``finding_en``, ``source``.
    location : dict
        County, prefecture, zone, sub-areas and bases the site lies in.
    """

    verdict: str
    verdict_zh: str
    verdict_en: str
    lon: float
    lat: float
    industry: str
    reasons: pd.DataFrame
    location: dict[str, str] = field(default_factory=dict)


class _Findings:
    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(self, aspect: str, effect: Effect, zh: str, en: str, source: str = "") -> None:
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


def _plan_intent(point, industry, plan, findings, location) -> None:
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
                    f"{row['name_zh']}规划发展{industry['name_zh']}相关产业：{row['lead_industries_zh']}",
                    f"{row['name_en']} plans {industry['name_en']}-related industry",
                    source,
                )
            else:
                findings.add(
                    "plan",
                    "info",
                    f"{row['name_zh']}的主导产业（{row['lead_industries_zh'] or '未载明'}）"
                    f"未列{industry['name_zh']}",
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


def _energy_plan(point, industry, plan, county, findings) -> None:
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


def _nearest_park(point, industry, parks, findings) -> None:
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


def _resource(site, industry, base, rasters, findings) -> None:
    attrs = site_attributes(
        site,
        rivers=base["rivers"],
        towns=base["towns"],
        terrain=base["terrain"],
        land_cover=base["land_cover"],
        prefectures=base["prefectures"],
        resource_rasters=rasters,
    )
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


def _water(site, industry, base, findings) -> None:
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


def _constraints(site, constraints, findings) -> None:
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
        label = f"{row['constraint_label']}（{row['category_zh']}）"
        distance = f"{row['distance_km']:.1f} km"
        findings.add(
            "constraints",
            effect,
            f"{label}：{row['severity_zh']}，距离 {distance}",
            f"{row['constraint_label']} ({row['constraint_category']}): "
            f"{row['severity']}, {distance}",
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


def _access(point, base, network, findings) -> None:
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


def site_check(
    lon: float,
    lat: float,
    industry: str,
    *,
    plan: Mapping[str, gpd.GeoDataFrame],
    base: Mapping[str, gpd.GeoDataFrame],
    datum: str = "wgs84",
    constraints: Sequence[ConstraintLayer] | None = None,
    resource_rasters: Sequence[UserRaster] | None = None,
    network: AccessNetwork | None = None,
) -> SiteVerdict:
    """The siting verdict for one point and one industry, with every reason.

    Parameters
    ----------
    lon, lat
        The site in degrees, in `datum`.
    industry
        Key, Chinese or English name of an industry (e.g. ``"光伏"``, ``"pv"``, ``"煤化工"``).
    plan
        Plan layers (``longtu.layout.plan_layers()``).
    base
        Base layers named in :data:`SITING_LAYERS` (``load_layer`` of each).
    datum
        ``"wgs84"`` (default), ``"gcj02"`` (Amap, Tencent) or ``"bd09"`` (Baidu).
    constraints
        The reviewer's constraint layers; without them conflicts are reported as not checked.
    resource_rasters
        User resource rasters (GHI, DNI, wind speed…) for energy industries.
    network
        A road network (:func:`longtu.analysis.access.load_network`) for the access line;
        without it the line gives straight-line estimates (to the airports, and to the
        prefecture seats when `base` holds ``prefecture_seats``).

    Examples
    --------
    >>> from longtu.layout import load_layer, plan_layers
    >>> base = {name: load_layer(name) for name in SITING_LAYERS}
    >>> v = site_check(94.80, 40.10, "光伏", plan=plan_layers(), base=base)
    >>> v.verdict in VERDICTS, "plan" in set(v.reasons["aspect"])
    (True, True)
    """
    _check_coordinates(lon, lat)
    spec = resolve_industry(industry)
    wlon, wlat = (float(v) for v in to_wgs84(lon, lat, datum=datum))
    point = shapely.Point(wlon, wlat)
    findings = _Findings()
    location: dict[str, str] = {}
    if not base["province"].geometry.iloc[0].covers(point):
        findings.add("location", "block", "选址不在甘肃省境内", "the site is outside Gansu")
        return _assemble(findings, wlon, wlat, spec["key"], location)
    county = base["counties"][base["counties"].geometry.covers(point)].iloc[0]
    location.update(
        county=county["name_zh"],
        county_adcode=county["adcode"],
        prefecture=county["prefecture_name_zh"],
    )
    findings.add(
        "location",
        "info",
        f"位于{county['prefecture_name_zh']}{county['name_zh']}",
        f"in {county['name_en']}",
    )
    site = gpd.GeoDataFrame(
        {"prefecture_adcodes": [county["prefecture_adcode"]]},
        geometry=[point],
        crs=settings.storage_crs,
    )
    _plan_intent(point, spec, plan, findings, location)
    if spec["technology"]:
        _energy_plan(point, spec, plan, county, findings)
    _nearest_park(point, spec, plan["parks"], findings)
    _resource(site, spec, base, resource_rasters, findings)
    _water(site, spec, base, findings)
    _constraints(site, constraints, findings)
    _access(point, base, network, findings)
    return _assemble(findings, wlon, wlat, spec["key"], location)


def _check_coordinates(lon: float, lat: float) -> None:
    """Refuse coordinates that are not numbers or not longitude/latitude in degrees.

    Examples
    --------
    >>> _check_coordinates(float("nan"), 36.0)
    Traceback (most recent call last):
    ...
    longtu.errors.ParameterError: `lon` nan, `lat` 36.0: give longitude and latitude in ...
    """
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        lon = lat = float("nan")
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ParameterError(
            f"`lon` {lon}, `lat` {lat}: give longitude and latitude in degrees as numbers "
            "(lon -180..180, lat -90..90; Gansu is about lon 92..109, lat 32..43)."
        )


def _assemble(
    findings: _Findings, lon: float, lat: float, industry: str, location: dict
) -> SiteVerdict:
    reasons = pd.DataFrame(
        findings.rows, columns=["aspect", "effect", "finding_zh", "finding_en", "source"]
    )
    effects = set(reasons["effect"])
    verdict = (
        "does_not_fit"
        if "block" in effects
        else ("fits_with_conditions" if "condition" in effects else "fits")
    )
    zh, en = VERDICTS[verdict]
    return SiteVerdict(verdict, zh, en, lon, lat, industry, reasons, location)
