"""A folium map shown in the app, rendered once and shared by every session that asks for it.

``st_folium`` turns a folium map into HTML and JavaScript on every run of every session: for the
layout map that is about a second of the server's single interpreter, so ten people opening the
app together waited for ten renders in a row. Here the same work is split in two:
:func:`render_map` turns a map into what the browser needs (:class:`RenderedMap`, immutable),
which a page caches across sessions for identical requests; :func:`show_map` sends it to the
st_folium frontend. The two steps do exactly what ``st_folium`` does for a map (same script,
same component key: ``tests/test_app_pages_map_component.py`` compares them), so the browser
side is the st_folium component unchanged. One difference, asked for with `bundle_folder`:
the map's scripts go as one file (:func:`longtu.maps.web.offline.script_bundle`), which the
frontend loads in one request instead of one script after another, and which starts loading
the layer files of the first view.

streamlit-folium exposes these steps only as module functions without a leading-underscore-free
name; they are used here and nowhere else, and the test above fails if a release changes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import streamlit as st
import streamlit_folium as stf

from longtu.maps.web.client import first_view_sources
from longtu.maps.web.offline import script_bundle
from longtu.maps.web.streamlit_assets import ASSET_BASE_URL

#: What st_folium can return, with a default before the user acts (``center`` has none).
_RETURNED = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_count",
    "last_object_clicked_tooltip",
    "last_object_clicked_popup",
    "all_drawings",
    "last_active_drawing",
    "bounds",
    "zoom",
    "last_circle_radius",
    "last_circle_polygon",
    "selected_layers",
    "selected_tags",
    "last_geocoder_result",
)


@dataclass(frozen=True)
class RenderedMap:
    """What the st_folium frontend needs to draw one map.

    Attributes
    ----------
    script : str
        The map's Leaflet JavaScript (layers, data, controls).
    header : str
        Inline CSS and scripts of the map's header (links to files are in the two lists).
    html : str
        HTML elements outside the map (legend boxes and the like).
    map_id : str
        Id of the map's ``div``.
    css_links, js_links : tuple of str
        Style sheets and scripts to load (served by the app itself; see ``localize_assets``).
    bounds : tuple
        ``((south, west), (north, east))`` of the map, as st_folium reports them.
    zoom : float or None
        Initial zoom.
    script_hash : str
        Digest of the script with folium's random ids removed: the component key.
    """

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple[tuple[float | None, float | None], tuple[float | None, float | None]]
    zoom: float | None
    script_hash: str


def _asset_links(fmap: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    css: list[str] = []
    js: list[str] = []
    stack: list[Any] = [fmap]
    while stack:
        element = stack.pop(0)
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
        stack[0:0] = list(getattr(element, "_children", {}).values())
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def _zoom(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def render_map(
    fmap: folium.Map,
    *,
    bundle_folder: tuple[Path, str] | None = None,
    preload_layers: Sequence[str] = (),
) -> RenderedMap:
    """Render a folium map once into what the browser needs (the map is used up).

    Parameters
    ----------
    fmap : folium.Map
        A map built for this call; rendering alters it, so it must not be shown again.
    bundle_folder : tuple of (Path, str), optional
        ``(folder, URL)`` served by the app: the map's scripts (localized with
        ``ASSET_BASE_URL``) go there as one file, its only script link. None: the links
        st_folium would send.
    preload_layers : sequence of str
        Keys of the switched layers the first view shows: their files (and those of the base
        layers) start loading with the bundle.

    Returns
    -------
    RenderedMap
    """
    fmap.get_root().render()
    fmap.render()
    html = stf._get_html(fmap)
    header = stf._get_header(fmap)
    script = stf._get_map_string(fmap)
    css_links, js_links = _asset_links(fmap)
    if bundle_folder is not None:
        preload = first_view_sources(fmap, keys=preload_layers)
        bundle = script_bundle(
            js_links, base_url=ASSET_BASE_URL, folder=bundle_folder, preload=preload
        )
        js_links = (bundle,)
    try:
        (south, west), (north, east) = fmap.get_bounds()
    except (AttributeError, ValueError, TypeError):
        south = west = north = east = None
    return RenderedMap(
        script=script,
        header=header,
        html=html,
        map_id=stf.get_full_id(fmap),
        css_links=css_links,
        js_links=js_links,
        bounds=((south, west), (north, east)),
        zoom=_zoom(fmap.options.get("zoom")),
        script_hash=stf.generate_js_hash(script, None, False),
    )


def _bounds_dict(rendered: RenderedMap) -> dict[str, dict[str, float | None]]:
    (south, west), (north, east) = rendered.bounds
    return {
        "_southWest": {"lat": south, "lng": west},
        "_northEast": {"lat": north, "lng": east},
    }


def widget_key(rendered: RenderedMap, key: str) -> str:
    """The session state key under which the map drawn by :func:`show_map` keeps its value.

    An ``on_change`` callback reads what the person did on the map there.
    """
    return stf.generate_js_hash(rendered.script_hash, key, False)


def _defaults(rendered: RenderedMap, wanted: Sequence[str]) -> dict[str, Any]:
    """The values st_folium returns for `wanted` before the user acts on the map."""
    defaults: dict[str, Any] = {name: None for name in wanted if name in _RETURNED}
    if "bounds" in wanted:
        defaults["bounds"] = _bounds_dict(rendered)
    if "zoom" in wanted:
        defaults["zoom"] = rendered.zoom
    return defaults


def show_map(
    rendered: RenderedMap,
    *,
    key: str,
    height: int = 620,
    returned_objects: Iterable[str] = (),
    update: str | None = None,
    on_change: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Draw a rendered map with the st_folium frontend; return what the user did on it.

    Parameters
    ----------
    rendered : RenderedMap
        From :func:`render_map` (may be shared by many sessions).
    key : str
        Widget key of this map on its page.
    height : int
        Height in pixels; the width follows the page.
    returned_objects : iterable of str
        The st_folium return values wanted (``"last_object_clicked_tooltip"``, ``"zoom"``...).
    update : str, optional
        JavaScript run on the drawn map whenever it changes (e.g.
        :func:`longtu.maps.web.client.view_script`): the frontend runs st_folium's
        ``feature_group`` this way, on the same map, so the map is not drawn again.
    on_change : callable, optional
        Called before the page's next run when the map's value changes (the value is in
        ``st.session_state[widget_key(rendered, key)]``).

    Returns
    -------
    dict
        The st_folium return values asked for (``None`` values until the user acts).
    """
    wanted = tuple(returned_objects)
    defaults = _defaults(rendered, wanted)
    result = stf._component_func(
        script=rendered.script,
        header=rendered.header,
        html=rendered.html,
        id=rendered.map_id,
        key=widget_key(rendered, key),
        height=height,
        width=None,
        returned_objects=list(wanted),
        default=defaults,
        zoom=None,
        center=None,
        feature_group=update,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(rendered.css_links),
        js_links=list(rendered.js_links),
        on_change=on_change,
        wrap_longitude=False,
    )
    return dict(result or {})


def show_kept_map(
    key: str, made_from: object, build: Callable[[], folium.Map], language: str, *, height: int
) -> None:
    """Show the map `build` makes, built once for `made_from` (a check's result, a verdict).

    A map of a large constraint layer takes seconds to build and render; kept in the session
    with what it shows and the `language` it is worded in, every other run of the page (a
    download, another widget) shows the one already rendered. Nothing is returned from it.
    """
    kept = st.session_state.get(key)
    if kept is None or kept[0] is not made_from or kept[1] != language:
        kept = (made_from, language, render_map(build()))
        st.session_state[key] = kept
    show_map(kept[2], key=key, height=height)
