"""The plan's layers on the web map: parks, energy sites and areas, each clickable.

Every feature opens its popup (:mod:`longtu.maps.web.popups`); a feature drawn at several
places is one feature per place; symbols that lie on one another fan out when clicked
(``static/longtu/stacks.js``). A layer is either in the map itself or written as a file that
the browser loads when the layer is first shown (:func:`longtu.maps.web.client.deferred_layer`).
"""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin

from longtu.maps.style import (
    PARK_LEVEL_COLOURS,
    PRECISION_MARKER,
    TECHNOLOGY_COLOURS,
    Language,
    bilingual,
)
from longtu.maps.web.client import deferred_layer
from longtu.maps.web.display import feature_collection
from longtu.maps.web.popups import AREA_FIELDS, ENERGY_FIELDS, PARK_FIELDS, popup_html

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
                "popup_html": popup_html(row, fields, language),
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
    return feature_collection(drawn, properties)


def _symbols_layer(
    fmap: folium.Map,
    collection: dict,
    *,
    name: str,
    show: bool,
    source: tuple[str, tuple[Path, str]] | None,
    radius: int = 7,
) -> folium.map.Layer:
    """A layer of plan symbols with tooltips, popups and stacks that fan out, added to `fmap`.

    `radius`: of the circles drawn for points, in pixels.

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
        marker=folium.CircleMarker(radius=radius, fill=True),
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
    name = bilingual("园区", "Parks", language=language)
    return _add_points(
        fmap, parks, name, (PARK_LEVEL_COLOURS, "level", PARK_FIELDS), language, show, source
    )


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
    name = bilingual("能源基地", "Energy sites", language=language)
    style = (TECHNOLOGY_COLOURS, "technology", ENERGY_FIELDS)
    return _add_points(fmap, sites, name, style, language, show, source)


def _add_points(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    name: str,
    style: tuple,
    language: Language,
    show: bool,
    source: tuple[str, tuple[Path, str]] | None,
) -> folium.map.Layer | None:
    """A point layer named `name`, coloured by ``style = (colours, column, popup fields)``."""
    if frame.geometry.notna().sum() == 0:
        return None
    colour_of, colour_column, fields = style
    collection = _point_layer(
        frame,
        name=name,
        colour_of=colour_of,
        colour_column=colour_column,
        fields=fields,
        language=language,
        show=show,
    )
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
                "popup_html": popup_html(row, AREA_FIELDS, language),
                "style": style,
            }
        )
    collection = feature_collection(drawn, properties)
    return _symbols_layer(fmap, collection, name=name, show=show, source=source, radius=6)
