"""Interactive Folium maps of the plan layers, drawn on our own offline base map.

The default base map needs no tiles: Gansu's outline, a hillshade from the terrain raster,
prefecture and county boundaries and rivers come from the bundled layers. Online tiles
(OpenStreetMap; Tianditu with the user's key) are an option. Amap tiles are not offered: they
are GCJ-02-shifted and would misplace every WGS84 feature by hundreds of metres.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import folium
import folium.utilities
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry
from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from longtu import settings
from longtu.layout import Raster, load_layer
from longtu.layout.plan import split_list
from longtu.layout.vocabulary import VALUE_LABELS, source_label, value_label
from longtu.maps.style import (
    BOUNDARY_COLOUR,
    PARK_LEVEL_COLOURS,
    PARK_LEVEL_LABELS,
    PRECISION_LABELS,
    PRECISION_MARKER,
    RIVER_COLOUR,
    TECHNOLOGY_COLOURS,
    TECHNOLOGY_LABELS,
    ZONE_COLOURS,
    Language,
    bilingual,
)
from longtu.maps.web.client import deferred_layer, register_layer
from longtu.maps.web.elements import add_metric_scale
from longtu.maps.web.hillshade import hillshade_rgba
from longtu.maps.web.images import image_url

TileChoice = Literal["none", "osm", "tianditu"]
GANSU_BOUNDS = [[32.5, 92.3], [42.9, 108.8]]
#: Province outline and county boundary colours of :func:`base_map`.
PROVINCE_COLOUR = "#333333"
COUNTY_COLOUR = "#999999"


#: Display simplification by zoom level: (lowest zoom, tolerance in degrees), coarse to fine.
ZOOM_TOLERANCES: tuple[tuple[float, float], ...] = ((0, 0.02), (7, 0.005), (9, 0.001))


def tolerance_for_zoom(zoom: float) -> float:
    """Display tolerance (degrees) for a Leaflet zoom level: finer as the user zooms in.

    Examples
    --------
    >>> tolerance_for_zoom(5), tolerance_for_zoom(8), tolerance_for_zoom(11)
    (0.02, 0.005, 0.001)
    """
    return [tol for low, tol in ZOOM_TOLERANCES if zoom >= low][-1]


def simplify_for_display(frame: gpd.GeoDataFrame, *, tolerance_deg: float) -> gpd.GeoDataFrame:
    """Polygons simplified as one coverage (shared borders stay shared), for drawing only.

    The tolerance is in degrees because it only thins vertices for the screen; nothing is
    measured on the result.
    """
    storage = CRS.from_user_input(settings.storage_crs)
    if frame.crs is None or CRS.from_user_input(frame.crs) != storage:
        raise ValueError(
            f"`frame` must be {settings.storage_crs}; use `to_crs('{settings.storage_crs}')` first."
        )
    out = frame.copy()
    out["geometry"] = rounded(shapely.coverage_simplify(out.geometry.values, tolerance_deg))
    return out


#: Decimals of the coordinates sent to the browser: 1e-5 degrees is about 1 m, finer than any
#: boundary or plan feature is drawn (and half the size of full float precision).
DISPLAY_DECIMALS = 5


def rounded(geometries: np.ndarray) -> np.ndarray:
    """Geometries with coordinates rounded to :data:`DISPLAY_DECIMALS`, for drawing only.

    Examples
    --------
    >>> rounded(np.array([shapely.Point(103.123456789, 36.1)]))[0].wkt
    'POINT (103.12346 36.1)'
    """
    return shapely.transform(geometries, lambda xy: np.round(xy, DISPLAY_DECIMALS))


def base_map(
    *,
    province: gpd.GeoDataFrame,
    prefectures: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame | None,
    rivers: gpd.GeoDataFrame,
    terrain: Raster | None,
    language: Language = "zh",
    tiles: TileChoice = "none",
    tianditu_key: str | None = None,
    tolerance_deg: float = 0.01,
    view: tuple[float, float, float] | None = None,
    image_folder: tuple[Path, str] | None = None,
    shown: Iterable[str] | None = None,
) -> folium.Map:
    """A folium map of Gansu drawn from our own layers; tiles only if asked for.

    The county boundaries and the hillshade are registered as ``counties`` and ``hillshade``
    (:func:`longtu.maps.web.client.register_layer`); `shown` names those shown at first
    (default: the hillshade, not the counties).

    `view` (lat, lon, zoom) opens the map there; default: the whole province. `image_folder`
    (folder, URL under which a server serves it): images such as the hillshade are written
    there once and referred to by URL, so a browser loads them as files (and every session
    shares them); default: embedded in the map as data URLs (a standalone file).
    """
    on = {"hillshade"} if shown is None else set(shown)
    fmap = folium.Map(tiles=None, prefer_canvas=True, zoom_snap=0.25)
    if view is None:
        fmap.fit_bounds(GANSU_BOUNDS)
    else:
        fmap.location, fmap.options["zoom"] = [view[0], view[1]], view[2]
    add_metric_scale(fmap)
    _add_tiles(fmap, tiles, tianditu_key, language)
    _add_province(fmap, province, language, image_folder)
    if terrain is not None:
        _add_hillshade(
            fmap,
            terrain,
            province.geometry.iloc[0],
            language,
            image_folder,
            show="hillshade" in on,
        )
    if counties is not None:
        _add_counties(fmap, counties, language, tolerance_deg, image_folder, show="counties" in on)
    _add_prefectures(fmap, prefectures, language, tolerance_deg, image_folder)
    _add_rivers(fmap, rivers, language, image_folder)
    return fmap


_PROVINCE_STYLE = {
    "color": PROVINCE_COLOUR,
    "weight": 2.5,
    "fillColor": "#f6f3ea",
    "fillOpacity": 0.6,
}
_PREFECTURE_STYLE = {"color": BOUNDARY_COLOUR, "weight": 1.2, "fill": False, "dashArray": "6 3"}


def _river_style(network_rank: int) -> dict:
    return {"color": RIVER_COLOUR, "weight": 2.2 if network_rank <= 3 else 1.1}


def _add_province(
    fmap: folium.Map,
    province: gpd.GeoDataFrame,
    language: Language,
    folder: tuple[Path, str] | None,
) -> None:
    """The province, filled: a file the browser loads if `folder` (see :func:`_base_file`)."""
    frame = province[["name_zh", "geometry"]].set_geometry(rounded(province.geometry.values))
    name = bilingual("省界", "Province", language=language)
    if folder is not None:
        _base_file(fmap, frame, [{"style": _PROVINCE_STYLE}], "province", name, folder)
        return
    style = _PROVINCE_STYLE
    folium.GeoJson(frame, name=name, style_function=lambda _: style, control=False).add_to(fmap)


def _add_prefectures(
    fmap: folium.Map,
    prefectures: gpd.GeoDataFrame,
    language: Language,
    tolerance_deg: float,
    folder: tuple[Path, str] | None,
) -> None:
    """Prefecture boundaries with their names as tooltips (a file if `folder`)."""
    frame = simplify_for_display(
        prefectures[["name_zh", "name_en", "geometry"]], tolerance_deg=tolerance_deg
    )
    name = bilingual("市州界", "Prefectures", language=language)
    if folder is not None:
        labels = [
            {"label": f"{zh} {en}", "style": _PREFECTURE_STYLE}
            for zh, en in zip(frame["name_zh"], frame["name_en"], strict=True)
        ]
        _base_file(fmap, frame, labels, "prefectures", name, folder, tooltips=True, control=True)
        return
    folium.GeoJson(
        frame,
        name=name,
        style_function=lambda _: _PREFECTURE_STYLE,
        tooltip=folium.GeoJsonTooltip(["name_zh", "name_en"], labels=False),
    ).add_to(fmap)


def _add_rivers(
    fmap: folium.Map,
    rivers: gpd.GeoDataFrame,
    language: Language,
    folder: tuple[Path, str] | None,
) -> None:
    """Rivers, the main ones (network rank 1-3) drawn heavier (a file if `folder`)."""
    frame = rivers[["network_rank", "length_km", "geometry"]].set_geometry(
        rounded(rivers.geometry.values)
    )
    name = bilingual("河流", "Rivers", language=language)
    if folder is not None:
        styles = [{"style": _river_style(rank)} for rank in frame["network_rank"]]
        _base_file(fmap, frame, styles, "rivers", name, folder, control=True)
        return
    folium.GeoJson(
        frame, name=name, style_function=lambda f: _river_style(f["properties"]["network_rank"])
    ).add_to(fmap)


def _base_file(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    properties: list[dict],
    key: str,
    name: str,
    folder: tuple[Path, str],
    *,
    tooltips: bool = False,
    control: bool = False,
) -> None:
    """A base layer as a file the browser loads (not in the map's script), drawn at once.

    Every session's map then carries a few hundred bytes for it instead of its coordinates
    (the map's script is sent to each session and run there); the file is the same for all.
    It is not switched by the view state (``switched=False``): the layer control alone does.
    """
    collection = _feature_collection(frame, properties)
    deferred_layer(
        fmap, collection, key=key, name=name, folder=folder, popups=False, tooltips=tooltips,
        control=control, switched=False,
    )  # fmt: skip


def _add_counties(
    fmap: folium.Map,
    counties: gpd.GeoDataFrame,
    language: Language,
    tolerance_deg: float,
    folder: tuple[Path, str] | None,
    *,
    show: bool,
) -> None:
    """County boundaries, registered as ``counties``; loaded when first shown if `folder`."""
    simple = simplify_for_display(
        counties[["name_zh", "name_en", "geometry"]], tolerance_deg=tolerance_deg
    )
    name = bilingual("县区界", "Counties", language=language)
    style = {"color": COUNTY_COLOUR, "weight": 0.6, "fill": False}
    if folder is not None:
        labels = [{"label": f"{zh} {en}", "style": style} for zh, en in zip(
            simple["name_zh"], simple["name_en"], strict=True
        )]  # fmt: skip
        collection = _feature_collection(simple, labels)
        deferred_layer(
            fmap, collection, key="counties", name=name, folder=folder, show=show, popups=False
        )
        return
    layer = folium.GeoJson(
        simple,
        name=name,
        style_function=lambda _: style,
        tooltip=folium.GeoJsonTooltip(["name_zh", "name_en"], labels=False),
        show=show,
    )
    layer.add_to(fmap)
    register_layer(fmap, layer, "counties")


def _add_tiles(fmap: folium.Map, tiles: TileChoice, key: str | None, language: Language) -> None:
    if tiles == "osm":
        folium.TileLayer(
            "OpenStreetMap", name=bilingual("在线底图 OSM", "OSM (online)", language=language)
        ).add_to(fmap)
    elif tiles == "tianditu":
        if not key:
            raise ValueError("Tianditu tiles need `tianditu_key` (a key from the Tianditu site).")
        url = (
            "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
            f"&TILECOL={{x}}&tk={key}"
        )
        folium.TileLayer(
            url, attr="天地图 Tianditu", name="天地图 Tianditu", subdomains="01234567"
        ).add_to(fmap)
    elif tiles != "none":
        raise ValueError(f"`tiles` must be 'none', 'osm' or 'tianditu', got {tiles!r}.")


_HILLSHADE_PNGS: dict[tuple[str, tuple[float, ...]], tuple] = {}


def _hillshade_png(
    terrain: Raster, outline: shapely.Geometry
) -> tuple[bytes, tuple[tuple[float, float], tuple[float, float]]]:
    """The hillshade as PNG bytes (rows already in Web Mercator), computed once per raster."""
    key = (str(terrain.path), tuple(terrain.transform))
    if key not in _HILLSHADE_PNGS:
        elevation = terrain.band("elevation_m")
        t = terrain.transform
        rows, cols = elevation.shape
        south, north = t.f + rows * t.e, t.f
        rgba = hillshade_rgba(elevation, t, outline=outline)
        rgba = folium.utilities.mercator_transform(rgba, (south, north))
        png = folium.utilities.write_png(rgba)
        _HILLSHADE_PNGS[key] = (png, ((south, t.c), (north, t.c + cols * t.a)))
    return _HILLSHADE_PNGS[key]


def _add_hillshade(
    fmap: folium.Map,
    terrain: Raster,
    outline: shapely.Geometry,
    language: Language,
    image_folder: tuple[Path, str] | None,
    *,
    show: bool = True,
) -> None:
    png, bounds = _hillshade_png(terrain, outline)
    overlay = folium.raster_layers.ImageOverlay(
        "data:image/png;base64,",  # replaced below: folium reads a relative URL as a file name
        bounds=[list(bounds[0]), list(bounds[1])],
        name=bilingual("地形晕渲", "Hillshade", language=language),
        opacity=0.9,
        show=show,
    )
    overlay.url = image_url(png, "hillshade", image_folder)
    overlay.add_to(fmap)
    register_layer(fmap, overlay, "hillshade")


_LABEL_CSS = "color:#666;padding-right:6px;font-size:12px;vertical-align:top"
_NOTE_CSS = "font-size:11px;color:#444;margin-top:4px"
_LIST_CSS = "padding-left:16px;margin:2px"


def _value_text(column: str, value: str, language: Language) -> str:
    if column == "aliases_zh":
        return "、".join(split_list(value))
    labels = VALUE_LABELS.get(column)
    return value_label(labels, value, language=language) if labels else value


def _popup_html(row: pd.Series, fields: list[tuple[str, str, str]], language: Language) -> str:
    title = html.escape(str(row.get("name_zh", "")))
    subtitle = html.escape(str(row.get("name_en", "")))
    parts = [f"<b style='font-size:14px'>{title}</b><br><i>{subtitle}</i>", "<table>"]
    for col, zh, en in fields:
        value = row.get(col, "")
        if value in ("", None) or (isinstance(value, float) and pd.isna(value)):
            continue
        label = bilingual(zh, en, language=language)
        cell = html.escape(_value_text(col, str(value), language))
        parts.append(f"<tr><td style='{_LABEL_CSS}'>{label}</td><td>{cell}</td></tr>")
    parts.append("</table>")
    precision = PRECISION_LABELS.get(str(row.get("precision", "")), ("", ""))
    basis = html.escape(str(row.get("location_basis", "")))
    placed = bilingual("定位", "Placed", language=language)
    level = precision[0] if language == "zh" else precision[1]
    parts.append(f"<div style='{_NOTE_CSS}'>{placed}: {level}<br>{basis}</div>")
    refs = str(row.get("source_refs", "")).split(";")
    quotes = str(row.get("source_quotes", "")).split(" | ")
    cites = "".join(
        f"<li>“{html.escape(q)}” <span style='color:#888'>"
        f"({html.escape(source_label(r, language=language))})</span></li>"
        for r, q in zip(refs, quotes, strict=False)
        if r
    )
    heading = bilingual("规划原文", "Plan text", language=language)
    parts.append(f"<div style='{_NOTE_CSS}'>{heading}:<ul style='{_LIST_CSS}'>{cites}</ul></div>")
    return "<div style='max-width:340px;font-size:12px'>" + "".join(parts) + "</div>"


PARK_FIELDS = [
    ("level", "级别", "Level"),
    ("kind", "类型", "Kind"),
    ("lead_industries_zh", "主导产业", "Lead industries"),
    ("lead_enterprises_zh", "龙头企业", "Lead enterprises"),
    ("aliases_zh", "别名", "Aliases"),
    ("notes", "说明", "Notes"),
]
ENERGY_FIELDS = [
    ("technology", "技术", "Technology"),
    ("capacity_class_zh", "规模等级", "Capacity class"),
    ("capacity_mw_stated", "规划容量 MW", "Stated capacity, MW"),
    ("status", "状态", "Status"),
    ("notes", "说明", "Notes"),
]
AREA_FIELDS = [
    ("level", "层级", "Level"),
    ("functions_zh", "功能定位", "Functions"),
    ("lead_industries_zh", "主导产业", "Lead industries"),
    ("base_name_zh", "所属基地", "Base"),
    ("industry_zh", "产业", "Industry"),
    ("lead_enterprises_zh", "龙头企业", "Lead enterprises"),
    ("kind", "类型", "Kind"),
    ("notes", "说明", "Notes"),
]


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    """A multi-place geometry as its places, one each (a Leaflet layer cannot hold several)."""
    if isinstance(geom, shapely.MultiPoint | shapely.GeometryCollection):
        return list(geom.geoms)
    return [geom]


def _feature_collection(frame: gpd.GeoDataFrame, properties: list[dict]) -> dict:
    """GeoJSON of `frame`; a feature drawn at several places is one Feature per place.

    Leaflet draws a MultiPoint as a group of markers that carry no feature of their own, so
    their tooltip and popup found no properties; each place now carries the feature's.
    """
    features = [
        {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(part)}
        for geom, props in zip(rounded(frame.geometry.values), properties, strict=True)
        for part in _parts(geom)
    ]
    return {"type": "FeatureCollection", "features": features}


_STACKS_JS = """
{% macro script(this, kwargs) %}
longtuStacks({{ this.map_name }}).add({{ this._parent.get_name() }});
{% endmacro %}
"""


class _StackedPoints(JSCSSMixin, MacroElement):
    """Fans out the symbols of its parent layer that lie on one another when clicked.

    See ``static/longtu/stacks.js``; every point layer of a map shares one such behaviour, so
    a park and an energy base at the same seat separate together.
    """

    _template = Template(_STACKS_JS)
    default_js = [("longtu_stacks", "longtu/stacks.js")]  # noqa: RUF012 (folium's own attribute)

    def __init__(self, fmap: folium.Map) -> None:
        super().__init__()
        self.map_name = fmap.get_name()


def _add_stacked(fmap: folium.Map, layer: folium.GeoJson) -> None:
    """Add a layer of symbols whose stacks fan out on click (with every other such layer)."""
    layer.add_to(fmap)
    layer.add_child(_StackedPoints(fmap))


#: Drawing order of precisions: vaguer (bigger, paler) symbols first, precise ones on top.
_PRECISION_ORDER = {"prefecture": 0, "county": 1, "town": 2, "site": 3}


def _point_layer(
    frame: gpd.GeoDataFrame,
    *,
    name: str,
    colour_of: dict[str, str],
    colour_column: str,
    fields: list[tuple[str, str, str]],
    language: Language,
    show: bool = True,
) -> dict:
    """GeoJSON of the points; each styled by its colour class and its precision."""
    drawn = frame[frame.geometry.notna()]
    drawn = drawn.iloc[drawn["precision"].map(_PRECISION_ORDER).fillna(0).argsort(kind="stable")]
    properties = []
    for _, row in drawn.iterrows():
        radius, opacity, dash = PRECISION_MARKER.get(row["precision"], (7, 0.5, ""))
        colour = colour_of.get(str(row[colour_column]), "#666666")
        properties.append(
            {
                "fid": str(row.get("feature_id", "")),
                "label": row["name_zh"] if language == "zh" else row["name_en"],
                "popup_html": _popup_html(row, fields, language),
                "style": {
                    "radius": radius,
                    "color": colour,
                    "weight": 2,
                    "dashArray": dash or None,
                    "fillColor": colour,
                    "fillOpacity": opacity,
                },
            }
        )
    return _feature_collection(drawn, properties)


def _symbols_layer(
    fmap: folium.Map,
    collection: dict,
    *,
    name: str,
    show: bool,
    source: tuple[str, tuple[Path, str]] | None,
) -> folium.map.Layer:
    """A layer of plan symbols with tooltips, popups and stacks that fan out, added to `fmap`.

    `source` ``(key, (folder, URL))``: the features are written as a file there and loaded by
    the browser when the layer is first shown (:func:`longtu.maps.web.client.deferred_layer`);
    default: in the map itself.
    """
    if source is not None:
        key, folder = source
        deferred = deferred_layer(fmap, collection, key=key, name=name, folder=folder, show=show)
        deferred.add_child(_StackedPoints(fmap))
        return deferred
    layer = folium.GeoJson(
        collection,
        name=name,
        show=show,
        marker=folium.CircleMarker(radius=7, fill=True),
        style_function=lambda feature: feature["properties"]["style"],
        tooltip=folium.GeoJsonTooltip(["label"], labels=False),
        popup=folium.GeoJsonPopup(["popup_html"], labels=False, max_width=380),
    )
    _add_stacked(fmap, layer)
    return layer


def add_parks(
    fmap: folium.Map,
    parks: gpd.GeoDataFrame,
    *,
    language: Language = "zh",
    show: bool = True,
    source: tuple[str, tuple[Path, str]] | None = None,
) -> folium.map.Layer | None:
    """Parks as circles coloured by level; vaguer placements drawn larger, paler and dashed.

    `source`: as in :func:`add_areas`. Returns the layer (None when no park is placed).
    """
    if parks.geometry.notna().sum() == 0:
        return None
    collection = _point_layer(
        parks,
        name=bilingual("园区", "Parks", language=language),
        colour_of=PARK_LEVEL_COLOURS,
        colour_column="level",
        fields=PARK_FIELDS,
        language=language,
        show=show,
    )
    name = bilingual("园区", "Parks", language=language)
    return _symbols_layer(fmap, collection, name=name, show=show, source=source)


def add_energy_sites(
    fmap: folium.Map,
    sites: gpd.GeoDataFrame,
    *,
    language: Language = "zh",
    show: bool = True,
    source: tuple[str, tuple[Path, str]] | None = None,
) -> folium.map.Layer | None:
    """Energy bases coloured by technology, with the same precision styling as parks.

    `source`: as in :func:`add_areas`. Returns the layer (None when no site is placed).
    """
    if sites.geometry.notna().sum() == 0:
        return None
    collection = _point_layer(
        sites,
        name=bilingual("能源基地", "Energy sites", language=language),
        colour_of=TECHNOLOGY_COLOURS,
        colour_column="technology",
        fields=ENERGY_FIELDS,
        language=language,
        show=show,
    )
    name = bilingual("能源基地", "Energy sites", language=language)
    return _symbols_layer(fmap, collection, name=name, show=show, source=source)


def add_areas(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    *,
    name: str,
    colour: str | dict[str, str],
    colour_column: str = "feature_id",
    show: bool = True,
    dashed: bool = False,
    language: Language = "zh",
    tolerance_deg: float = 0.01,
    source: tuple[str, tuple[Path, str]] | None = None,
) -> folium.map.Layer | None:
    """Area, line and point features of a plan layer (zones, bases, chains, other features).

    `source` ``(key, (folder, URL))``: the features are written as a file there and loaded by
    the browser the first time the layer is shown, registered under `key`
    (:func:`longtu.maps.web.client.deferred_layer`); default: in the map itself. Returns the
    layer (None when nothing in `frame` is placed).
    """
    drawn = frame[frame.geometry.notna()].copy()
    if drawn.empty:
        return None
    polygons = drawn.geom_type.isin(["Polygon", "MultiPolygon"])
    drawn.loc[polygons, "geometry"] = shapely.simplify(
        drawn.loc[polygons].geometry.values, tolerance_deg, preserve_topology=True
    )
    properties = []
    for _, row in drawn.iterrows():
        fill = (
            colour.get(str(row.get(colour_column)), "#888888")
            if isinstance(colour, dict)
            else colour
        )
        style = {"color": fill, "weight": 2, "fillColor": fill, "fillOpacity": 0.25, "radius": 6}
        if dashed:
            style.update({"dashArray": "8 4", "fillOpacity": 0.06})
        properties.append(
            {
                "fid": str(row.get("feature_id", "")),
                "label": row["name_zh"] if language == "zh" else row["name_en"],
                "popup_html": _popup_html(row, AREA_FIELDS, language),
                "style": style,
            }
        )
    collection = _feature_collection(drawn, properties)
    if source is not None:
        key, folder = source
        deferred = deferred_layer(fmap, collection, key=key, name=name, folder=folder, show=show)
        deferred.add_child(_StackedPoints(fmap))
        return deferred
    layer = folium.GeoJson(
        collection,
        name=name,
        show=show,
        marker=folium.CircleMarker(radius=6, fill=True),
        style_function=lambda feature: feature["properties"]["style"],
        tooltip=folium.GeoJsonTooltip(["label"], labels=False),
        popup=folium.GeoJsonPopup(["popup_html"], labels=False, max_width=380),
    )
    _add_stacked(fmap, layer)
    return layer


#: Base layers the legend explains by default (all :func:`base_map` draws).
BASE_LEGEND_LAYERS = ("province", "prefectures", "counties", "rivers")
#: Legend rows of the symbols of each placement precision (see ``PRECISION_MARKER``).
_PRECISION_ROWS: dict[str, tuple[str, str]] = {
    "town": ("小实心圆：乡镇或地块", "small solid: town or site"),
    "county": ("虚线淡圆：县，画在县城", "dashed pale: county, at its seat"),
    "prefecture": ("点线大圆：市州，画在驻地", "dotted large: prefecture, at its seat"),
}


def _zone_names() -> dict[str, tuple[str, str]]:
    zones = load_layer("economic_zones")
    return {row.feature_id: (row.name_zh, row.name_en) for row in zones.itertuples()}


def _base_entries(language: Language, base_layers: Iterable[str]) -> list[tuple[str, str, str]]:
    rows = {
        "province": [(PROVINCE_COLOUR, "line", ("省界", "Province boundary"))],
        "prefectures": [(BOUNDARY_COLOUR, "dashed", ("市州界", "Prefecture boundary"))],
        "counties": [(COUNTY_COLOUR, "thin", ("县区界", "County boundary"))],
        "rivers": [
            (RIVER_COLOUR, "line", ("主要河流", "Major river")),
            (RIVER_COLOUR, "thin", ("其他河流", "Other river")),
        ],
    }
    wanted = set(base_layers)
    return [
        (colour, style, bilingual(*label, language=language))
        for key in BASE_LEGEND_LAYERS
        if key in wanted
        for colour, style, label in rows[key]
    ]


def default_legend_entries(
    language: Language,
    *,
    technologies: list[str],
    levels: list[str],
    zone_names: dict[str, tuple[str, str]] | None = None,
    base_layers: Iterable[str] = BASE_LEGEND_LAYERS,
    area_layers: Iterable[tuple[str, str, str]] = (),
) -> list[tuple[str, str, str]]:
    """Legend rows for what the layout map shows (see :func:`~.elements.legend_html`).

    Colour chips name what a symbol's colour means (park level, energy technology); the
    circles say how precisely the plan places it (colour aside); then the economic zones,
    any other area layers drawn and the base map's lines.

    Parameters
    ----------
    language
        ``"zh"`` (Chinese with English) or ``"en"``.
    technologies, levels
        Energy technologies and park levels present on the map.
    zone_names
        Economic zone id -> (Chinese, English) name; default: from the plan's zone layer.
    base_layers
        Which base lines are drawn: any of ``"province"``, ``"prefectures"``, ``"counties"``,
        ``"rivers"``.
    area_layers
        (colour, Chinese name, English name) of each dashed area layer drawn (sub-areas,
        industrial bases, ...).

    Examples
    --------
    >>> rows = default_legend_entries("en", technologies=["wind"], levels=["national"],
    ...                               zone_names={}, base_layers=["rivers"])
    >>> [label for _, _, label in rows if label.startswith(("Wind", "Major", "dashed"))]
    ['Wind', 'dashed pale: county, at its seat', 'Major river']
    """

    def row(colour: str, style: str, zh: str, en: str) -> tuple[str, str, str]:
        return (colour, style, bilingual(zh, en, language=language))

    names = _zone_names() if zone_names is None else zone_names
    return [
        row("", "heading", "符号颜色", "Symbol colour"),
        *[
            row(colour, "chip", *PARK_LEVEL_LABELS[level])
            for level, colour in PARK_LEVEL_COLOURS.items()
            if level in levels
        ],
        *[row(TECHNOLOGY_COLOURS[t], "chip", *TECHNOLOGY_LABELS[t]) for t in technologies],
        row(
            "",
            "heading",
            "符号形状：规划给出的位置精度",
            "Symbol shape: how precisely the plan places it",
        ),
        *[row("#444444", f"point:{p}", *label) for p, label in _PRECISION_ROWS.items()],
        row("#444444", "spider", "重叠符号：点击展开", "stacked: click to fan out"),
        row("", "heading", "区域与底图", "Areas and base map"),
        *[row(colour, "area", *names[z]) for z, colour in ZONE_COLOURS.items() if z in names],
        *[row(colour, "dashed-area", zh, en) for colour, zh, en in area_layers],
        *_base_entries(language, base_layers),
    ]


__all__ = [
    "BASE_LEGEND_LAYERS",
    "ZONE_COLOURS",
    "add_areas",
    "add_energy_sites",
    "add_parks",
    "base_map",
    "default_legend_entries",
    "register_layer",
    "simplify_for_display",
    "tolerance_for_zoom",
]
