"""Interactive Folium maps of the plan layers, drawn on our own offline base map.

The default base map needs no tiles: Gansu's outline, a hillshade from the terrain raster,
prefecture and county boundaries and rivers come from the bundled layers. Online tiles
(OpenStreetMap; Tianditu with the user's key) are an option. Amap tiles are not offered: they
are GCJ-02-shifted and would misplace every WGS84 feature by hundreds of metres.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import folium
import folium.utilities
import geopandas as gpd
import shapely

from longtu.errors import ParameterError
from longtu.layout import Raster
from longtu.maps.style import BOUNDARY_COLOUR, RIVER_COLOUR, Language, bilingual
from longtu.maps.web.client import deferred_layer, register_layer
from longtu.maps.web.display import (
    ZOOM_TOLERANCES,
    feature_collection,
    rounded,
    simplify_for_display,
)
from longtu.maps.web.elements import add_map_words, add_metric_scale
from longtu.maps.web.hillshade import hillshade_rgba
from longtu.maps.web.images import image_url
from longtu.maps.web.plan_layers import add_areas, add_energy_sites, add_parks

TileChoice = Literal["none", "osm", "tianditu"]
GANSU_BOUNDS = [[32.5, 92.3], [42.9, 108.8]]
#: Province outline and county boundary colours of :func:`base_map`.
PROVINCE_COLOUR = "#333333"
COUNTY_COLOUR = "#999999"


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
    add_map_words(fmap, language)
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
    collection = feature_collection(frame, properties)
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
        collection = feature_collection(simple, labels)
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
            raise ParameterError(
                "Tianditu tiles need `tianditu_key` (a key from the Tianditu site).",
                zh="天地图底图需要密钥；请填写天地图密钥（在天地图网站申请），或改用其他底图。",
            )
        url = (
            "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
            f"&TILECOL={{x}}&tk={key}"
        )
        folium.TileLayer(
            url, attr="天地图 Tianditu", name="天地图 Tianditu", subdomains="01234567"
        ).add_to(fmap)
    elif tiles != "none":
        raise ParameterError(
            f"`tiles` must be 'none', 'osm' or 'tianditu', got {tiles!r}.",
            zh=f"底图 {tiles} 不可用；请用 none（离线底图）、osm（OpenStreetMap）"
            "或 tianditu（天地图）。",
        )


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


#: Names other modules have long taken from here (the plan layers and the display geometry
#: now have modules of their own: plan_layers, display).
__all__ = [
    "GANSU_BOUNDS",
    "ZOOM_TOLERANCES",
    "TileChoice",
    "add_areas",
    "add_energy_sites",
    "add_parks",
    "base_map",
    "simplify_for_display",
]
