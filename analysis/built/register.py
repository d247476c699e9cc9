"""A register of real power plants, read from a user's table or spatial file.

A register names each plant, its technology (or fuel), its capacity, where it is and the year it
started. People write these columns in many ways (``primary_fuel`` or 类型, ``capacity_mw`` or
装机容量（万千瓦）, 经度/纬度 or ``lon``/``lat``); :func:`plants_from_table` recognises them in
Chinese and English, converts capacity to MW from the unit in the header, maps the fuel words to
the plan's technologies (wind, PV, CSP...), and says in one message everything that is missing.
:func:`read_plant_register` reads the file through :mod:`longtu.analysis.io`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from longtu import settings
from longtu.analysis.io.tables import numeric_column, read_user_csv
from longtu.analysis.io.vector import read_vector_file
from longtu.errors import UserTableError

PLANT_COLUMNS = ("plant_name", "technology", "fuel_as_written", "built_mw", "year", "named_place")
"""Columns of a register as :func:`built_view <longtu.analysis.built.built_view>` takes it."""

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "plant_name": ("name", "plant_name", "plant", "station_name", "project_name", "名称",
                   "电站名称", "项目名称", "电站", "电场名称", "场站名称", "企业名称"),
    "technology": ("technology", "tech", "primary_fuel", "fuel", "type", "plant_type",
                   "energy_source", "技术", "类型", "电源类型", "能源类型", "发电类型", "燃料",
                   "电站类型", "技术类型"),
    "lon": ("lon", "lng", "long", "longitude", "x", "经度", "东经"),
    "lat": ("lat", "latitude", "y", "纬度", "北纬"),
    "year": ("year", "commissioning_year", "commissioning", "year_commissioned", "start_year",
             "operating_year", "投产年份", "投运年份", "并网年份", "年份", "建成年份", "投产时间",
             "并网时间", "投产年"),
    "named_place": ("place", "location", "county", "named_place", "地点", "所在地", "县区",
                    "所在县", "所在县区", "位置"),
}  # fmt: skip
"""Header names recognised for each field (compared lower-case, without spaces or ``_``)."""

CAPACITY_NAMES = ("capacity", "capacity_mw", "capacity_mw_best", "installed_capacity_mw",
                  "installed_capacity", "装机容量", "装机", "容量", "装机规模", "规模")  # fmt: skip
"""Capacity headers; the unit is read from the header (MW unless it says 万千瓦 or kW)."""
CAPACITY_UNITS = {"mw": 1.0, "兆瓦": 1.0, "万千瓦": 10.0, "kw": 0.001, "千瓦": 0.001}
"""Unit written in a capacity header -> factor to MW."""

TECHNOLOGY_WORDS: dict[str, tuple[str, ...]] = {
    "csp": ("csp", "solar thermal", "concentrated solar", "concentrating solar", "光热",
            "太阳能热发电", "熔盐", "molten salt"),
    "pumped_storage": ("pumped storage", "pumped hydro", "抽水蓄能", "抽蓄"),
    "wind": ("wind", "风电", "风力", "风能", "风场"),
    "pv": ("solar", "photovoltaic", "pv", "光伏", "太阳能"),
    "hydro": ("hydro", "水电", "水力"),
    "biomass": ("biomass", "biogas", "生物质", "waste", "垃圾"),
    "coal_power": ("coal", "煤电", "火电", "燃煤"),
    "gas": ("gas", "天然气", "燃气"),
    "nuclear": ("nuclear", "核电"),
}  # fmt: skip
"""Fuel words of a register -> the plan's technology, tried in this order as parts of the cell
(``集中式光伏电站`` is PV, ``抽水蓄能电站`` pumped storage); other words are ``other``.

``Solar`` and 太阳能 say nothing of the kind; they are read as PV unless the plant's name says CSP
(光热, molten salt...), the only hint a register like the Global Power Plant Database gives."""
CSP_NAME_HINTS = ("csp", "光热", "熔盐", "molten salt", "solar thermal", "塔式", "槽式")


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    return re.sub(r"[\s_\-]+", "", text)


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    keys = {_key(c): c for c in reversed(columns)}
    return next((keys[_key(n)] for n in names if _key(n) in keys), None)


def capacity_column(columns: list[str]) -> tuple[str, float] | None:
    """The capacity column and its factor to MW, read from the header's unit.

    Examples
    --------
    >>> capacity_column(["名称", "装机容量（万千瓦）"])
    ('装机容量（万千瓦）', 10.0)
    >>> capacity_column(["name", "capacity_mw_best"])
    ('capacity_mw_best', 1.0)
    """
    plain = _find(columns, CAPACITY_NAMES)
    if plain is not None:
        return plain, 1.0
    for column in columns:
        match = re.fullmatch(r"(.+?)\(?(mw|兆瓦|万千瓦|kw|千瓦)\)?", _key(column))
        if match and match.group(1).strip("()") in {_key(n) for n in CAPACITY_NAMES}:
            return column, CAPACITY_UNITS[match.group(2)]
    return None


def technology_from_words(fuel: object, name: object = "") -> str:
    """The plan's technology of a plant from its fuel words (and its name, for CSP).

    Examples
    --------
    >>> technology_from_words("Solar"), technology_from_words("Solar", "Dunhuang CSP")
    ('pv', 'csp')
    >>> technology_from_words("风电"), technology_from_words("Coal"), technology_from_words("")
    ('wind', 'coal_power', 'other')
    >>> technology_from_words("集中式光伏电站"), technology_from_words("抽水蓄能电站")
    ('pv', 'pumped_storage')
    """
    text = unicodedata.normalize("NFKC", str(fuel if pd.notna(fuel) else "")).strip().lower()
    for tech, words in TECHNOLOGY_WORDS.items():
        if text and any(word in text for word in words):
            return "csp" if tech == "pv" and _says_csp(name) else tech
    return "other"


def _says_csp(name: object) -> bool:
    text = str(name if pd.notna(name) else "").lower()
    return any(hint in text for hint in CSP_NAME_HINTS)


def _missing_fields(columns: list[str], *, has_geometry: bool) -> list[tuple[str, str]]:
    """The fields no column of `columns` gives, as (English, Chinese) descriptions."""
    wanted = {
        "plant_name": ("name / 名称", "名称（name）"),
        "technology": ("technology / primary_fuel / 类型", "类型（technology）"),
    }
    missing = [w for f, w in wanted.items() if _find(columns, FIELD_ALIASES[f]) is None]
    if capacity_column(columns) is None:
        missing.append(
            (
                "capacity in MW / 装机容量（MW）or 装机容量（万千瓦）",
                "装机容量（MW）或装机容量（万千瓦）",
            )
        )
    has_xy = all(_find(columns, FIELD_ALIASES[f]) is not None for f in ("lon", "lat"))
    if not has_geometry and not has_xy:
        missing.append(
            (
                "location: lon and lat / 经度 and 纬度 (WGS84 degrees)",
                "位置：经度与纬度（WGS84 度）",
            )
        )
    return missing


def plants_from_table(
    table: pd.DataFrame, *, source: str = "register", geometry: gpd.GeoSeries | None = None
) -> gpd.GeoDataFrame:
    """A register of plants with its columns recognised, capacity in MW, technology mapped.

    Parameters
    ----------
    table
        The register as read (any column names listed in :data:`FIELD_ALIASES`).
    source
        The file name, for messages.
    geometry
        Plant locations (EPSG:4326) when the register is a spatial file; else the table's
        longitude and latitude columns are used.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`PLANT_COLUMNS` and ``row`` (1 = first data row of the file); plants without a
        location have no geometry (they are reported, not dropped). ``attrs`` say which columns
        were read and the capacity unit.

    Raises
    ------
    UserTableError
        A field is missing (all missing fields named at once), or a cell is not a number.

    Examples
    --------
    >>> t = pd.DataFrame({"名称": ["民勤红沙岗"], "类型": ["风电"], "装机容量（万千瓦）": ["4.95"],
    ...                   "经度": ["102.9"], "纬度": ["38.9"], "投产年份": ["2012年"]})
    >>> plants_from_table(t)[["technology", "built_mw", "year"]].values.tolist()
    [['wind', 49.5, 2012.0]]
    """
    columns = [str(c) for c in table.columns if c != "geometry"]
    missing = _missing_fields(columns, has_geometry=geometry is not None)
    if missing:
        raise UserTableError(
            f"`{source}` lacks {'; '.join(en for en, _ in missing)}. It has: "
            f"{', '.join(columns)}. Name the columns with one of these words (Chinese or "
            "English).",
            zh=f"{source} 缺少{'；'.join(zh for _, zh in missing)}。现有列：{'、'.join(columns)}。"
            "请用上述词语（中文或英文）命名这些列。",
        )
    return _assemble(table, columns, source=source, geometry=geometry)


def _assemble(
    table: pd.DataFrame, columns: list[str], *, source: str, geometry: gpd.GeoSeries | None
) -> gpd.GeoDataFrame:
    found = {field: _find(columns, names) for field, names in FIELD_ALIASES.items()}
    cap_column, factor = capacity_column(columns) or ("", 1.0)
    frame = table.reset_index(drop=True)
    names = frame[found["plant_name"]].astype("string").str.strip()
    fuel = frame[found["technology"]].astype("string").str.strip()
    capacity = numeric_column(frame, cap_column, table=source) * factor
    out = pd.DataFrame(
        {
            "plant_name": names.fillna("").astype(str),
            "technology": [technology_from_words(f, n) for f, n in zip(fuel, names, strict=True)],
            "fuel_as_written": fuel.fillna("").astype(str),
            "built_mw": capacity.to_numpy(),
            "year": _years(frame[found["year"]]) if found["year"] else np.nan,
            "named_place": frame[found["named_place"]].astype("string").fillna("").astype(str)
            if found["named_place"]
            else "",
            "row": np.arange(1, len(frame) + 1),
        }
    )
    points = geometry if geometry is not None else _points(frame, found, source=source)
    plants = gpd.GeoDataFrame(out, geometry=list(points), crs=settings.storage_crs)
    plants.attrs["columns_read"] = {k: v for k, v in found.items() if v} | {"capacity": cap_column}
    plants.attrs["capacity_factor_to_mw"] = factor
    return plants


def _years(cells: pd.Series) -> np.ndarray:
    """The first four-digit year (1900-2099) in each cell (``2016``, ``2016-06``, ``2016年``)."""
    text = cells.astype("string").fillna("")
    found = text.str.extract(r"((?:19|20)\d{2})", expand=False)
    return pd.to_numeric(found, errors="coerce").to_numpy(dtype=float)


def _points(frame: pd.DataFrame, found: dict[str, str | None], *, source: str) -> list:
    lon = numeric_column(frame, str(found["lon"]), table=source, nonnegative=False)
    lat = numeric_column(frame, str(found["lat"]), table=source, nonnegative=False)
    bad = lon.notna() & lat.notna() & (~lon.between(-180, 180) | ~lat.between(-90, 90))
    if bad.any():
        rows = ", ".join(str(i + 1) for i in np.flatnonzero(bad.to_numpy())[:10])
        raise UserTableError(
            f"`{source}`: data rows {rows} have coordinates that are not longitude/latitude "
            "degrees (WGS84); check that longitude and latitude are not swapped or projected.",
            zh=f"{source} 第 {rows.replace(', ', '、')} 行数据的坐标"
            "不是经纬度（WGS84 度）；请检查经度与纬度是否填反，或是否为投影坐标。",
        )
    xy = gpd.points_from_xy(lon.fillna(0), lat.fillna(0))
    return [p if ok else None for p, ok in zip(xy, (lon.notna() & lat.notna()), strict=True)]


def read_plant_register(path: str | Path) -> gpd.GeoDataFrame:
    r"""Read a register of plants from a CSV (lon/lat) or a spatial file (GeoPackage, GeoJSON...).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "plants.csv"
    >>> _ = path.write_text("name,fuel,capacity_mw,lon,lat\nA,Wind,49,102,38\n", "utf-8")
    >>> read_plant_register(path)[["plant_name", "technology", "built_mw"]].values.tolist()
    [['A', 'wind', 49.0]]
    >>> _ = path.write_text("name,fuel,lon,lat\nA,Wind,102,38\n", "utf-8")
    >>> read_plant_register(path)
    Traceback (most recent call last):
    ...
    longtu.errors.UserTableError: `plants.csv` lacks capacity in MW / 装机容量（MW）or ...
    """
    file = Path(path)
    if file.suffix.lower() in {".csv", ".txt"}:
        return plants_from_table(read_user_csv(file), source=file.name)
    frame, _ = read_vector_file(file)
    geometry = frame.geometry.where(
        frame.geom_type.isin(["Point"]), frame.geometry.representative_point()
    )
    return plants_from_table(
        pd.DataFrame(frame.drop(columns="geometry")), source=file.name, geometry=geometry
    )
