"""Names of the plan's vocabularies in Chinese and English (technologies, levels, kinds, sources).

The keys are the values stored in the plan layers (``technology``, ``level``, ``precision``);
what a person reads is the pair of names. Maps, analyses and the app take their labels here.
"""

from __future__ import annotations

TECHNOLOGY_LABELS: dict[str, tuple[str, str]] = {
    "wind": ("风电", "Wind"),
    "pv": ("光伏", "PV"),
    "csp": ("光热", "CSP"),
    "wind_solar": ("风光互补", "Wind-solar"),
    "nuclear": ("核能", "Nuclear"),
    "hydro": ("水电", "Hydro"),
    "pumped_storage": ("抽水蓄能", "Pumped storage"),
    "coal_power": ("煤电", "Coal power"),
    "gas": ("燃气", "Gas"),
    "biomass": ("生物质", "Biomass"),
    "energy_chemicals": ("能源化工", "Energy and chemicals"),
    "other": ("其他能源基地", "Other energy base"),
}
PARK_LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "national": ("国家级", "National"),
    "provincial": ("省级", "Provincial"),
    "other": ("其他", "Other"),
    "unknown": ("级别未载明", "Level not stated"),
}
PRECISION_LABELS: dict[str, tuple[str, str]] = {
    "site": ("精确到地块", "site"),
    "town": ("精确到乡镇", "town"),
    "county": ("精确到县（县城示意）", "county (seat symbol)"),
    "prefecture": ("精确到市州（驻地示意）", "prefecture (seat symbol)"),
    "schematic": ("示意线", "schematic"),
    "unplaced": ("规划未给出位置", "not placed by the plan"),
}

KIND_LABELS: dict[str, tuple[str, str]] = {
    "agricultural_science_park": ("农业科技园区", "Agricultural science park"),
    "demonstration_base": ("示范基地", "Demonstration base"),
    "development_zone": ("开发区", "Development zone"),
    "etdz": ("经济技术开发区", "Economic and technological development zone"),
    "high_tech_zone": ("高新技术产业开发区", "High-tech zone"),
    "industrial_concentration_area": ("工业集中区", "Industrial concentration area"),
    "industrial_park": ("工业园区", "Industrial park"),
    "industry_cluster": ("产业聚集区", "Industry cluster"),
    "logistics_park": ("物流园区", "Logistics park"),
    "production_base": ("生产基地", "Production base"),
    "bonded_zone": ("综合保税区", "Comprehensive bonded zone"),
    "new_area": ("国家级新区", "New area"),
    "science_park": ("科技园区", "Science park"),
    "corridor": ("走廊", "Corridor"),
    "demonstration_area": ("示范区", "Demonstration area"),
    "innovation_cluster": ("创新集群", "Innovation cluster"),
    "innovation_zone": ("创新试验区", "Innovation zone"),
    "logistics_hub": ("物流枢纽", "Logistics hub"),
    "other": ("其他", "Other"),
}
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "existing": ("已有", "Existing"),
    "planned": ("规划", "Planned"),
    "demonstration": ("示范项目", "Demonstration"),
}
AREA_LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "zone": ("经济区", "Economic zone"),
    "sub_area": ("片区", "Sub-area"),
}
#: Names of the plan layers' columns, for what a person reads (change lists, tables).
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "name_zh": ("名称", "name"),
    "name_en": ("英文名", "English name"),
    "aliases_zh": ("别名", "aliases"),
    "notes": ("说明", "notes"),
    "level": ("级别", "level"),
    "kind": ("类型", "kind"),
    "technology": ("技术", "technology"),
    "status": ("状态", "status"),
    "capacity_class_zh": ("规模等级", "capacity class"),
    "capacity_mw_stated": ("规划容量（MW）", "stated capacity (MW)"),
    "lead_industries_zh": ("主导产业", "lead industries"),
    "lead_enterprises_zh": ("龙头企业", "lead enterprises"),
    "functions_zh": ("功能定位", "functions"),
    "industry_zh": ("产业", "industry"),
    "park_ids": ("所含园区", "parks"),
    "zone_ids": ("所在经济区", "economic zones"),
    "prefecture_adcode": ("市州", "prefecture"),
    "county_adcode": ("县区", "county"),
    "prefecture_adcodes": ("所在市州", "prefectures"),
    "county_adcodes": ("所在县区", "counties"),
    "precision": ("定位精度", "placed to"),
    "location_basis": ("定位依据", "how it was placed"),
    "place_method": ("定位方法", "placing method"),
    "place_ref": ("定位参照", "placed by"),
    "base_name_zh": ("所属基地", "base"),
    "scale_class_zh": ("规模等级", "scale class"),
}
#: Columns of the plan's tables whose cells are lists (parts joined by ";"): read joined by 、.
LIST_COLUMNS = frozenset({"aliases_zh", "lead_industries_zh", "lead_enterprises_zh", "industry_zh"})
#: Vocabularies of the columns whose values are keys (see :func:`value_label`).
VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "level": PARK_LEVEL_LABELS | AREA_LEVEL_LABELS,
    "kind": KIND_LABELS,
    "technology": TECHNOLOGY_LABELS,
    "status": STATUS_LABELS,
    "precision": PRECISION_LABELS,
}

#: The five plan documents (seed file -> short title), as the seeds' README names them.
SOURCE_TITLES: dict[str, tuple[str, str]] = {
    "000_691dab9d9ef2ee9c.txt": (
        "《甘肃省“十三五”战略性新兴产业发展规划》",
        "Strategic emerging industries plan 2016-2020",
    ),
    "001_6b2e073c2b0c20ec.txt": (
        "《甘肃省“十三五”科技创新规划》",
        "Science and technology innovation plan 2016-2020",
    ),
    "002_74ddd5ffb4a5efe0.txt": (
        "《2016年战略性新兴产业发展总体攻坚战工作要点》",
        "Strategic emerging industries work points 2016",
    ),
    "003_559e7734bfa8ac9e.txt": (
        "《甘肃省“十三五”工业转型升级规划》",
        "Industrial transformation plan 2016-2020",
    ),
    "004_5be4a3ea6465b74f.txt": (
        "《“371”优势产业链培育发展意见》",
        "Opinions on the 371 priority industry chains",
    ),
}


def field_change(column: str, old: str, new: str, *, language: str) -> str:
    """One changed field in words: ``级别：省级 → 国家级`` / ``level: Provincial → National``.

    Examples
    --------
    >>> field_change("level", "provincial", "national", language="en")
    'level: Provincial → National'
    >>> field_change("lead_industries_zh", "", "煤化工", language="zh")
    '主导产业：∅ → 煤化工'
    """
    zh, en = FIELD_LABELS.get(column, (column, column))
    labels = VALUE_LABELS.get(column, {})

    def word(value: str) -> str:
        if not value:
            return "∅"
        if value not in labels:
            return value
        return labels[value][1] if language == "en" else labels[value][0]

    if language == "en":
        return f"{en}: {word(old)} → {word(new)}"
    return f"{zh}：{word(old)} → {word(new)}"


def value_label(labels: dict[str, tuple[str, str]], value: str, *, language: str = "zh") -> str:
    """The name of a stored vocabulary value, Chinese with English beside (or English only).

    A value not in `labels` is returned as it is (free text such as a capacity class).

    Examples
    --------
    >>> value_label(PARK_LEVEL_LABELS, "unknown")
    '级别未载明 Level not stated'
    >>> value_label(KIND_LABELS, "new_area", language="en")
    'New area'
    """
    if value not in labels:
        return value
    zh, en = labels[value]
    return en if language == "en" else f"{zh} {en}"


def source_label(ref: str, *, language: str = "zh") -> str:
    """A citation ``file:line`` named by its plan's title and line, in the chosen language.

    Examples
    --------
    >>> source_label("003_559e7734bfa8ac9e.txt:105")
    '《甘肃省“十三五”工业转型升级规划》第105行'
    >>> source_label("003_559e7734bfa8ac9e.txt:105", language="en")
    'Industrial transformation plan 2016-2020, line 105'
    >>> source_label("notes.txt:3")
    'notes.txt:3'
    """
    file, _, line = ref.strip().rpartition(":")
    if file not in SOURCE_TITLES or not line.isdigit():
        return ref
    zh, en = SOURCE_TITLES[file]
    return f"{en}, line {line}" if language == "en" else f"{zh}第{line}行"


def legend_label(zh: str, en: str) -> str:
    """A print-legend label: Chinese, then English starting lower-case unless an acronym.

    Examples
    --------
    >>> legend_label("风电", "Wind"), legend_label("光伏", "PV")
    ('风电 wind', '光伏 PV')
    """
    english = en if en[:2].isupper() else en[:1].lower() + en[1:]
    return f"{zh} {english}"
