"""Interactive web maps (Folium/Leaflet), served with no request leaving the app.

Public API
----------
base_map
    The offline base map (:mod:`longtu.maps.web.interactive`).
add_parks, add_energy_sites, add_areas
    The plan's layers on it (:mod:`longtu.maps.web.plan_layers`; their popups:
    :mod:`~longtu.maps.web.popups`; the legend's rows: :mod:`~longtu.maps.web.legend_entries`).
add_legend, add_land_cover, add_metric_scale
    Map elements (:mod:`longtu.maps.web.elements`).
localize_assets, standalone_html
    Leaflet served from the vendored copy in ``static/vendor`` (:mod:`longtu.maps.web.offline`).
hillshade, hillshade_rgba
    The terrain hillshade of the offline base map.
"""

from longtu.maps.web.elements import add_land_cover, add_legend, add_metric_scale
from longtu.maps.web.hillshade import hillshade, hillshade_rgba
from longtu.maps.web.interactive import base_map
from longtu.maps.web.offline import localize_assets, standalone_html
from longtu.maps.web.plan_layers import add_areas, add_energy_sites, add_parks

__all__ = [
    "add_areas",
    "add_energy_sites",
    "add_land_cover",
    "add_legend",
    "add_metric_scale",
    "add_parks",
    "base_map",
    "hillshade",
    "hillshade_rgba",
    "localize_assets",
    "standalone_html",
]
