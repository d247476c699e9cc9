"""Shared pieces of the app pages: cached loaders, language, labels."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from longtu.layout import load_base_raster, load_layer, plan_layers
from longtu.layout.base import Raster
from longtu.layout.load import symbol_points
from longtu.maps.style import Language, bilingual
from longtu.maps.web import interactive


@st.cache_resource(show_spinner="载入图层 Loading layers…")
def cached_plan_layers() -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """All plan layers (validated once per process)."""
    return plan_layers()


@st.cache_resource(show_spinner=False)
def cached_layer(name: str) -> gpd.GeoDataFrame:
    """A base layer (cached per process)."""
    return load_layer(name)


@st.cache_resource(show_spinner=False)
def cached_raster(name: str) -> Raster:
    """A raster base layer (``terrain`` or ``land_cover``)."""
    return load_base_raster(name)


def cached_terrain() -> Raster:
    """The terrain raster."""
    return cached_raster("terrain")


@st.cache_resource(show_spinner=False)
def cached_symbol_points(level: str) -> gpd.GeoDataFrame:
    """Seats of prefectures or counties, for map labels."""
    return symbol_points(level)


def language() -> Language:
    """The language chosen in the sidebar: ``"zh"`` (Chinese with English) or ``"en"``."""
    return st.session_state.get("language", "zh")


def t(zh: str, en: str) -> str:
    """A UI label in the chosen language (Chinese first with English beside by default)."""
    return bilingual(zh, en, language=language())


def plain_base_map() -> folium.Map:
    """The offline base map (boundaries, rivers) in the chosen language, for result maps."""
    return interactive.base_map(
        province=cached_layer("province"),
        prefectures=cached_layer("prefectures"),
        counties=None,
        rivers=cached_layer("rivers"),
        terrain=None,
        language=language(),
    )
