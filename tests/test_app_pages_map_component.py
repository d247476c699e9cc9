"""The shared map rendering sends the st_folium frontend exactly what ``st_folium`` sends.

:mod:`longtu.app_pages.map_component` splits st_folium in two (render once, show per session);
if a streamlit-folium release changes what its frontend is given, these tests fail.
"""

from __future__ import annotations

import dataclasses

import streamlit_folium as stf

from longtu.app_pages.layout_page import LAYER_TREE, MapRequest, build_layout_map
from longtu.app_pages.map_component import render_map, show_map

RETURNED = ["last_object_clicked_tooltip", "zoom", "center", "bounds"]


def _request() -> MapRequest:
    layers = tuple(key for key, _, _, default in LAYER_TREE if default)
    return MapRequest(layers, (), (), "", "", (), (), "", "zh", "none", "")


def _captured(monkeypatch, show) -> dict:
    calls: list[dict] = []
    monkeypatch.setattr(stf, "_component_func", lambda **kwargs: calls.append(kwargs) or {})
    show()
    assert len(calls) == 1
    return calls[0]


def test_the_frontend_gets_what_st_folium_would_send(monkeypatch):
    expected = _captured(
        monkeypatch,
        lambda: stf.st_folium(
            build_layout_map(_request()),
            key="layout_map",
            height=620,
            use_container_width=True,
            returned_objects=RETURNED,
        ),
    )
    rendered = render_map(build_layout_map(_request()))
    got = _captured(
        monkeypatch,
        lambda: show_map(rendered, key="layout_map", height=620, returned_objects=RETURNED),
    )
    assert set(got) == set(expected)
    for name in set(expected) - {"key", "on_change", "id"}:
        assert got[name] == expected[name], name
    # The real map: every layer there, the boundaries, rivers, zones and symbols as files the
    # browser loads (the same for every session), so the script itself is small.
    for layer in ("province", "prefectures", "rivers", "economic_zones", "parks", "energy_sites"):
        assert f"/layer-{layer}-" in expected["script"], layer
    assert "L.control.layers" in expected["script"] and "hillshade-" in expected["script"]
    assert len(expected["script"]) < 40_000  # was 0.35 MB with the boundaries in it
    assert "map_div" in got["script"] and got["id"].startswith("map_")


def test_one_rendering_serves_many_sessions_and_keys_follow_the_map(monkeypatch):
    rendered = render_map(build_layout_map(_request()))
    keys = [
        _captured(monkeypatch, lambda: show_map(rendered, key="layout_map"))["key"]
        for _ in range(2)
    ]
    assert keys[0] == keys[1]  # the same map keeps its component (no remount)
    other = render_map(build_layout_map(dataclasses.replace(_request(), language="en")))
    other_key = _captured(monkeypatch, lambda: show_map(other, key="layout_map"))["key"]
    assert other_key != keys[0]  # another map is a new component
    assert _captured(monkeypatch, lambda: show_map(rendered, key="elsewhere"))["key"] != keys[0]


def test_the_maps_scripts_go_as_one_file_that_preloads_the_first_views_layers(tmp_path):
    from longtu.maps.web.streamlit_assets import ASSET_BASE_URL

    request = _request()
    plain = render_map(build_layout_map(request))
    bundled = render_map(
        build_layout_map(request), bundle_folder=(tmp_path, "../served/"), preload_layers=("parks",)
    )
    assert len(plain.js_links) >= 4 and all(s.startswith(ASSET_BASE_URL) for s in plain.js_links)
    assert len(bundled.js_links) == 1 and bundled.js_links[0].startswith("../served/longtu-map-")
    assert bundled.script_hash == plain.script_hash and bundled.css_links == plain.css_links
    text = (tmp_path / bundled.js_links[0].removeprefix("../served/")).read_text("utf-8")
    preload = text[: text.index("Leaflet 1.9.4")]
    for layer in ("province", "prefectures", "rivers", "parks"):  # base layers and the asked
        assert f"/layer-{layer}-" in preload, layer
    for layer in ("energy_sites", "counties", "sub_areas"):  # not asked for, or not shown
        assert f"/layer-{layer}-" not in preload, layer
    assert "longtuView" in text and "longtuPreloaded" in text
