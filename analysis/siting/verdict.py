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
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import shapely

from longtu import settings
from longtu.analysis.constraints.check import ConstraintLayer
from longtu.analysis.io.rasters import UserRaster
from longtu.analysis.siting.findings import (
    Findings,
    constraint_conflicts,
    energy_plan,
    nearest_park,
    plan_intent,
    resource_fit,
    transport_access,
    water_fit,
)
from longtu.errors import ParameterError, UnknownIndustryError
from longtu.gis_data.gcj02 import to_wgs84

if TYPE_CHECKING:
    from longtu.analysis.access import AccessNetwork

VERDICTS = {
    "fits": ("符合", "fits"),
    "fits_with_conditions": ("有条件符合", "fits with conditions"),
    "does_not_fit": ("不符合", "does not fit"),
}
#: Base layers the verdict reads (pass them in: the function does no I/O).
SITING_LAYERS = ("province", "counties", "prefectures", "rivers", "towns", "terrain", "land_cover")


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
    keys_zh = "、".join(f"{r.name_zh}（{r.key}）" for r in industries().itertuples())
    raise UnknownIndustryError(
        f"Unknown industry `{text}`; use one of: {keys}.",
        zh=f"没有产业 {text}；请用以下之一：{keys_zh}。",
    )


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
    if not base["province"].geometry.iloc[0].covers(point):
        return _outside_gansu(wlon, wlat, spec["key"])
    findings = Findings()
    location: dict[str, str] = {}
    county, site = _locate(point, base["counties"], findings, location)
    _plan_findings(point, spec, plan, county, findings, location)
    resource_fit(site, spec, base, resource_rasters, findings)
    water_fit(site, spec, base, findings)
    constraint_conflicts(site, constraints, findings)
    transport_access(point, base, network, findings)
    return _assemble(findings, wlon, wlat, spec["key"], location)


def _outside_gansu(lon: float, lat: float, industry: str) -> SiteVerdict:
    """The verdict of a site outside Gansu: it does not fit, for that reason alone."""
    findings = Findings()
    findings.add("location", "block", "选址不在甘肃省境内", "the site is outside Gansu")
    return _assemble(findings, lon, lat, industry, {})


def _locate(
    point: shapely.Point,
    counties: gpd.GeoDataFrame,
    findings: Findings,
    location: dict[str, str],
) -> tuple[pd.Series, gpd.GeoDataFrame]:
    """The county of a site in Gansu (added to `location` and `findings`), and the site as a row."""
    county = counties[counties.geometry.covers(point)].iloc[0]
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
    return county, site


def _plan_findings(
    point: shapely.Point,
    spec: pd.Series,
    plan: Mapping[str, gpd.GeoDataFrame],
    county: pd.Series,
    findings: Findings,
    location: dict[str, str],
) -> None:
    """What the plan says of the site: its intent there, the energy plan, the nearest park."""
    plan_intent(point, spec, plan, findings, location)
    if spec["technology"]:
        energy_plan(point, spec, plan, county, findings)
    nearest_park(point, spec, plan["parks"], findings)


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
            "(lon -180..180, lat -90..90; Gansu is about lon 92..109, lat 32..43).",
            zh=f"经度 {lon}、纬度 {lat}：请以度为单位、用数字给出经纬度（经度 -180～180，"
            "纬度 -90～90；甘肃约在东经 92～109、北纬 32～43）。",
        )


def _assemble(
    findings: Findings, lon: float, lat: float, industry: str, location: dict
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
