"""Placing a site: the Leaflet.draw map of the scenario, or coordinates typed in."""

from __future__ import annotations

import folium
import folium.plugins
import shapely
import shapely.geometry
import streamlit as st
from shapely.geometry.base import BaseGeometry
from streamlit_folium import st_folium

from longtu.app_pages.common import language, plain_base_map, t
from longtu.layout.scenarios import Scenario
from longtu.layout.scenarios.edits import How
from longtu.maps.web import interactive
from longtu.maps.web.offline import localize_assets
from longtu.maps.web.streamlit_assets import ASSET_BASE_URL


def _drawing_map(scenario: Scenario) -> folium.Map:
    fmap = plain_base_map()
    interactive.add_parks(fmap, scenario.layers["parks"], language=language())
    interactive.add_energy_sites(fmap, scenario.layers["energy_sites"], language=language())
    folium.plugins.Draw(
        draw_options={
            "polyline": False,
            "rectangle": False,
            "circle": False,
            "circlemarker": {"color": "#d7191c", "radius": 8},  # a vector point: no image
            "marker": False,
            "polygon": True,
        },
        edit_options={"edit": False},
    ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return localize_assets(fmap, base_url=ASSET_BASE_URL)


def draw_map(scenario: Scenario) -> None:
    """The scenario's parks and energy sites with Leaflet.draw; a drawing sets the coordinates."""
    out = st_folium(
        _drawing_map(scenario),
        height=420,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        key=f"scn_draw_map_{st.session_state.get('scn_map_round', 0)}",  # new after a save
    )
    drawing = (out or {}).get("last_active_drawing")
    if drawing and drawing != st.session_state.get("scn_drawing_used"):
        geometry = shapely.geometry.shape(drawing["geometry"])
        point = geometry.representative_point()
        st.session_state.update(
            scn_lon=round(point.x, 5),
            scn_lat=round(point.y, 5),
            scn_drawing_used=drawing,
            scn_drawn=geometry,
            scn_drawn_at=(round(point.x, 5), round(point.y, 5)),
        )


def geometry_input() -> tuple[BaseGeometry, How]:
    """The drawn shape if the coordinates are still the drawing's, else the typed point."""
    cols = st.columns(2)
    lon = cols[0].number_input(
        t("经度（WGS84）", "Longitude (WGS84)"), 92.0, 109.0, 103.8, format="%.5f", key="scn_lon"
    )
    lat = cols[1].number_input(
        t("纬度（WGS84）", "Latitude (WGS84)"), 32.0, 43.0, 36.06, format="%.5f", key="scn_lat"
    )
    drawn = st.session_state.get("scn_drawn")
    if drawn is not None and st.session_state.get("scn_drawn_at") == (round(lon, 5), round(lat, 5)):
        point = drawn.geom_type == "Point"
        zh, en = ("点", "point") if point else ("多边形", "polygon")
        st.caption(t(f"使用图上所画的{zh}", f"Using the {en} drawn on the map"))
        return drawn, "drawn"
    return shapely.Point(lon, lat), "typed"
