"""Serve ``maps/web`` (vendored Leaflet) through the running Streamlit app.

Streamlit serves the files of a declared component at ``/component/<name>/<file>``. We declare a
component that is never rendered, only to have its folder served from the app's own origin;
the st_folium iframe (``/component/streamlit_folium.st_folium/index.html``) then loads Leaflet
from ``../maps.streamlit_assets.longtu_assets/vendor/...`` with no request leaving the app.
"""

from __future__ import annotations

import streamlit.components.v1 as components

from longtu import settings
from longtu.maps.web.images import prune_assets
from longtu.maps.web.offline import WEB_FOLDER

COMPONENT_NAME = "longtu_assets"
_component = components.declare_component(COMPONENT_NAME, path=str(WEB_FOLDER))
#: Where the st_folium iframe finds ``maps/web``.
ASSET_BASE_URL = f"../{_component.name}/"

#: Images the maps draw (the hillshade...), written once into the data folder and served from
#: there, so a browser loads them as files instead of parsing them out of every map's script.
IMAGE_FOLDER = settings.data_folder / "web"
IMAGE_FOLDER.mkdir(parents=True, exist_ok=True)
# Files of maps no longer drawn (plan tables since changed, an older font) go when the app
# starts: those unused for a day, but the newest of each kind (see prune_assets).
prune_assets(IMAGE_FOLDER)
_images = components.declare_component("longtu_images", path=str(IMAGE_FOLDER))
#: ``(folder, URL)`` for :func:`longtu.maps.web.interactive.base_map`'s `image_folder`.
APP_IMAGES = (IMAGE_FOLDER, f"../{_images.name}/")
