"""Page 1: the layout map (布局图) with its layer tree, filters, search and feature details.

The sidebar's filters and the request they make are in :mod:`longtu.app_pages.layout_filters`.
"""

from __future__ import annotations

import dataclasses

import folium
import geopandas as gpd
import streamlit as st

from longtu.app_pages.common import (
    cached_layer,
    cached_plan_layers,
    cached_raster,
    cached_symbol_points,
    cached_terrain,
    plan_key,
    t,
    web_font_url,
)
from longtu.app_pages.layer_boxes import (
    LAYER_TREE,
    MAP_REPORT_AT,
    layers_from_map,
    map_report_drawn,
    tick_boxes_from_map,
)
from longtu.app_pages.layout_filters import (
    HIT_LAYERS,
    MapRequest,
    filtered_layers,
    hits_bounds,
    is_filtered,
    request_from_state,
    sidebar_filters,
)
from longtu.app_pages.layout_tables import feature_details, tables_on_demand
from longtu.app_pages.map_component import RenderedMap, render_map, show_map, widget_key
from longtu.maps.style import ZONE_COLOURS, bilingual
from longtu.maps.web import elements as web_elements
from longtu.maps.web import images, interactive
from longtu.maps.web.client import register_layer, view_script
from longtu.maps.web.legend_entries import default_legend_entries
from longtu.maps.web.offline import localize_assets
from longtu.maps.web.plan_layers import add_areas, add_energy_sites, add_parks
from longtu.maps.web.streamlit_assets import APP_IMAGES, ASSET_BASE_URL

#: Area layers drawn dashed over the zones: layer key, Chinese and English name, colour.
AREA_LAYERS: list[tuple[str, str, str, str]] = [
    ("sub_areas", "片区", "Sub-areas", "#7b3294"),
    ("industrial_bases", "产业基地", "Industrial bases", "#c51b7d"),
    ("industry_chains", "产业链", "Industry chains", "#01665e"),
    ("other_features", "其他要素", "Other features", "#525252"),
]


#: Layers on when the page opens.
DEFAULT_LAYERS = tuple(key for key, _, _, default in LAYER_TREE if default)
#: Layers on in the shared map as drawn: all but the land cover image, so that st_folium's
#: frontend sees every clickable layer when the map starts (it reports clicks on those only);
#: the view script then hides what the person has off, before the map is painted.
SHARED_LAYERS = tuple(key for key, _, _, _ in LAYER_TREE if key != "land_cover")
#: Boundaries are drawn this fine at every zoom: the bundled boundaries are coarse enough (all
#: counties 0.37 MB) that one map serves every zoom, with no redraw when the person zooms.
DISPLAY_TOLERANCE_DEG = interactive.ZOOM_TOLERANCES[-1][1]
#: Layers the filters narrow, by feature id, in the browser (``keep`` of the view script).
_KEPT_LAYERS = (
    "parks",
    "energy_sites",
    "sub_areas",
    "industrial_bases",
    "industry_chains",
    "other_features",
)


def _add_plan_layers(
    fmap: folium.Map, layers: dict[str, gpd.GeoDataFrame], request: MapRequest
) -> None:
    """Draw every plan layer, each registered for the browser, shown if the request has it on."""
    lang = request.language
    drawn = {
        "economic_zones": add_areas(
            fmap,
            layers["economic_zones"],
            name=bilingual("经济区", "Economic zones", language=lang),
            colour=ZONE_COLOURS,
            language=lang,
            tolerance_deg=request.tolerance_deg,
            show="economic_zones" in request.layers,
            source=("economic_zones", APP_IMAGES),
        )
    }
    for key, zh, en, colour in AREA_LAYERS:
        drawn[key] = add_areas(
            fmap,
            layers[key],
            name=bilingual(zh, en, language=lang),
            colour=colour,
            dashed=True,
            language=lang,
            tolerance_deg=request.tolerance_deg,
            show=key in request.layers,
            source=(key, APP_IMAGES),
        )
    for key, add in (
        ("parks", add_parks),
        ("energy_sites", add_energy_sites),
    ):
        drawn[key] = add(
            fmap, layers[key], language=lang, show=key in request.layers, source=(key, APP_IMAGES)
        )
    for key, layer in drawn.items():
        if layer is not None:
            register_layer(fmap, layer, key)


def legend_for(request: MapRequest, layers: dict[str, gpd.GeoDataFrame]) -> str:
    """The legend's HTML for what the request shows (its layers, the features kept)."""
    lang = request.language
    drawn_areas = [
        (colour, zh, en)
        for key, zh, en, colour in AREA_LAYERS
        if key in request.layers and len(layers[key])
    ]
    bases = ["province", "prefectures", "rivers"] + (
        ["counties"] if "counties" in request.layers else []
    )
    entries = default_legend_entries(
        lang,
        technologies=sorted(set(layers["energy_sites"]["technology"])),
        levels=sorted(set(layers["parks"]["level"])),
        base_layers=bases,
        area_layers=drawn_areas,
    )
    if "land_cover" in request.layers:
        entries += web_elements.land_cover_entries(cached_raster("land_cover"), language=lang)
    title = bilingual("图例", "Legend", language=lang)
    return web_elements.legend_html(entries, title=title, expanded=False)  # folded: the map first


def build_layout_map(
    request: MapRequest, *, layers: dict[str, gpd.GeoDataFrame] | None = None
) -> folium.Map:
    """The layout map for one request (`layers`: the filtered plan layers, else filtered here).

    Every layer of :data:`LAYER_TREE` is drawn, shown if the request has it on, and registered
    so that the browser can switch it and filter its features (:func:`view_update`). With a
    filter or search on and no view of the user's own, the map opens on what they kept.
    Rendering alters a folium map, so a built map is shown once; what is shared between
    sessions is its rendering (:func:`rendered_layout_map`).
    """
    layers = filtered_layers(cached_plan_layers(), request) if layers is None else layers
    lang = request.language
    fmap = interactive.base_map(
        province=cached_layer("province"),
        prefectures=cached_layer("prefectures"),
        counties=cached_layer("counties"),
        rivers=cached_layer("rivers"),
        terrain=cached_terrain(),
        language=lang,
        tiles=request.tiles,
        tianditu_key=request.tianditu_key or None,
        tolerance_deg=request.tolerance_deg,
        view=request.view,
        image_folder=APP_IMAGES,
        shown=request.layers,
    )
    outline = cached_layer("province").geometry.iloc[0]
    web_elements.add_land_cover(
        fmap,
        cached_raster("land_cover"),
        outline,
        language=lang,
        show="land_cover" in request.layers,
        image_folder=APP_IMAGES,
    )
    web_elements.add_web_font(fmap, web_font_url(in_map=True))
    web_elements.add_unit_labels(fmap, cached_symbol_points("prefecture"), language=lang)
    web_elements.add_county_labels(fmap, cached_symbol_points("county"), language=lang)
    _add_plan_layers(fmap, layers, request)
    web_elements.add_legend(fmap, legend_for(request, layers))
    folium.LayerControl(collapsed=True).add_to(fmap)  # its icon; the list on hover or click
    bounds = hits_bounds(layers) if is_filtered(request) and request.view is None else None
    if bounds:
        fmap.fit_bounds(bounds)
    return localize_assets(fmap, base_url=ASSET_BASE_URL)


def shared_request(request: MapRequest) -> MapRequest:
    """The request whose map every session with the same language and base map shares.

    Layers, filters and search change in the browser (:func:`view_update`), not in the map.

    Examples
    --------
    >>> mine = MapRequest(("parks",), (), (), "酒泉", "", (), (), "", "en", "none", "")
    >>> shared_request(mine) == shared_request(dataclasses.replace(mine, query="兰州"))
    True
    """
    return MapRequest(
        SHARED_LAYERS,
        (),
        (),
        "",
        "",
        (),
        (),
        "",
        request.language,
        request.tiles,
        request.tianditu_key,
        tolerance_deg=DISPLAY_TOLERANCE_DEG,
    )


@st.cache_resource(max_entries=16, show_spinner=False)
def _rendered(request: MapRequest, layers_key: str) -> RenderedMap:
    plan = cached_plan_layers()
    fmap = build_layout_map(request, layers=filtered_layers(plan, request))
    return render_map(fmap, bundle_folder=APP_IMAGES, preload_layers=DEFAULT_LAYERS)


def rendered_layout_map(request: MapRequest) -> RenderedMap:
    """The layout map of `request`'s language and base map: rendered once, shared by sessions.

    The cache key is :func:`shared_request` and what is drawn (the plan, or a scenario at a
    given version: :func:`longtu.app_pages.common.plan_key`). The files the map loads (layers,
    hillshade, font) are marked in use at each call, and the map is drawn again if one is gone.
    """
    rendered = _rendered(shared_request(request), plan_key())
    text = " ".join((rendered.script, rendered.header, *rendered.js_links))
    files = images.assets_in(text, APP_IMAGES[1])
    if not images.touch_assets(APP_IMAGES[0], files):  # pruned since (another app's start)
        _rendered.clear()
        rendered = _rendered(shared_request(request), plan_key())
    return rendered


def view_update(request: MapRequest, layers: dict[str, gpd.GeoDataFrame]) -> str:
    """The script that makes the shared map show `request` (layers, kept features, legend).

    A changed filter or search fits the map to what it keeps (the whole province when the
    filters are cleared); nothing kept: the map stays where it is.
    """
    filtered = is_filtered(request)
    signature = dataclasses.replace(
        request, layers=(), language="zh", tiles="none", tianditu_key="", view=None
    )
    return view_script(
        layers=request.layers,
        keep={key: list(layers[key]["feature_id"]) if filtered else None for key in _KEPT_LAYERS},
        filters=repr(signature),
        filtered=filtered,
        fit=hits_bounds(layers) if filtered else interactive.GANSU_BOUNDS,
        legend=legend_for(request, layers),
        map_seq=st.session_state.get(MAP_REPORT_AT),
    )


def render() -> None:
    """Draw the layout page.

    The map goes to the browser before the sidebar's widgets: the browser loads the code of
    each kind of widget the first time it shows one, and the map's frame, sent first, loads
    its scripts and layer files meanwhile. The widgets' values are read from the session
    (:func:`request_from_state`), the same whichever is drawn first.
    """
    plan = cached_plan_layers()
    tick_boxes_from_map()
    request = request_from_state()
    st.subheader(t("产业布局图", "Industrial layout map"))
    layers = filtered_layers(plan, request)
    rendered = rendered_layout_map(request)
    _map_notes(request, layers)
    result = show_map(
        rendered,
        key="layout_map",
        height=620,
        returned_objects=["last_object_clicked_tooltip"],
        update=view_update(request, layers),
        on_change=lambda: layers_from_map(widget_key(rendered, "layout_map")),
    )
    sidebar_filters(plan)
    clicked = result.get("last_object_clicked_tooltip")
    if clicked:
        feature_details(plan, clicked)
    tables_on_demand(layers)
    map_report_drawn()


def _map_notes(request: MapRequest, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Above the map: nothing matches (if so), and how many features it draws."""
    counts = {k: int(v.geometry.notna().sum()) for k, v in layers.items()}
    unplaced = sum(
        int((layers[k]["precision"] == "unplaced").sum()) for k in ("parks", "energy_sites")
    )
    n_parks, n_sites = counts["parks"], counts["energy_sites"]
    if is_filtered(request) and not any(len(layers[k]) for k in HIT_LAYERS):
        st.warning(
            t(
                f"没有要素符合当前筛选或搜索“{request.query}”：请换一个名称、地名或清除筛选。",
                f"Nothing matches the filters or the search “{request.query}”: try another "
                "name or place, or clear the filters.",
            )
        )
    st.caption(
        t(
            f"园区 {n_parks} 个、能源基地 {n_sites} 个；未定位的 {unplaced} 个未绘制，"
            "列于地图下方的表格。",
            f"{n_parks} parks, {n_sites} energy sites; {unplaced} unplaced: not drawn, listed "
            "in the tables below the map.",
        )
    )
