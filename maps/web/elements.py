"""Map furniture for the interactive maps: legend, kilometre scale, place labels, land cover.

Each adds one element to a folium map; the script templates use only Leaflet itself, which
the app serves offline.
"""

from __future__ import annotations

import html
import json

import folium
import folium.utilities
import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
from affine import Affine
from branca.element import MacroElement, Template

from longtu.gis_data.rasters import IGBP_CLASSES
from longtu.layout import Raster
from longtu.maps.style import IGBP_COLOURS, Language, bilingual

_SCALE = """
{% macro script(this, kwargs) %}
L.control.scale({metric: true, imperial: false, position: "bottomleft"})
    .addTo({{ this._parent.get_name() }});
{% endmacro %}
"""


def add_metric_scale(fmap: folium.Map) -> None:
    """A kilometre scale bar (Leaflet's default also shows miles)."""
    scale = MacroElement()
    scale._template = Template(_SCALE)
    fmap.add_child(scale)


_LABELS_JS = """
{% macro script(this, kwargs) %}
(function () {
    var labels = {{ this.labels_json }};
    labels.forEach(function (item) {
        L.marker([item[0], item[1]], {
            interactive: false, keyboard: false,
            icon: L.divIcon({className: "longtu-label", html: item[2], iconSize: [0, 0]})
        }).addTo({{ this._parent.get_name() }});
    });
})();
{% endmacro %}
"""


class _UnitLabels(MacroElement):
    """The place labels of :func:`add_unit_labels`, as JSON rows ``[lat, lon, html]``."""

    _template = Template(_LABELS_JS)

    def __init__(self, labels_json: str) -> None:
        super().__init__()
        self.labels_json = labels_json


_PLACE_LABEL_CSS = (
    "font-size:11px;color:#333;white-space:nowrap;width:max-content;text-shadow:0 0 3px #fff;"
    "transform:translate(-50%,-140%)"
)


def add_unit_labels(fmap: folium.Map, points: gpd.GeoDataFrame, *, language: Language) -> None:
    """Permanent text labels (e.g. prefecture names at their seats), orientation without tiles.

    One map element carrying all labels (a marker with a text icon each, made in the browser).
    """
    names = points["name_zh"] if language == "zh" else points["name_en"]
    labels = [
        [geom.y, geom.x, f"<div style='{_PLACE_LABEL_CSS}'>{html.escape(name)}</div>"]
        for geom, name in zip(points.geometry, names, strict=True)
    ]
    fmap.add_child(_UnitLabels(json.dumps(labels, ensure_ascii=False)))


def land_cover_rgba(
    classes: np.ndarray, transform: Affine, outline: shapely.Geometry
) -> np.ndarray:
    """RGBA image of IGBP classes (NaN: no data) in the MODIS colours, clipped to `outline`."""
    rgba = np.zeros((*classes.shape, 4), dtype=np.uint8)
    for code, colour in IGBP_COLOURS.items():
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        rgba[classes == code] = [*rgb, 190]
    inside = ~rasterio.features.geometry_mask(
        [outline], out_shape=classes.shape, transform=transform
    )
    rgba[~inside, 3] = 0
    return rgba


_LAND_COVER_URLS: dict[str, str] = {}


def add_land_cover(
    fmap: folium.Map, land_cover: Raster, outline: shapely.Geometry, *, language: Language = "zh"
) -> list[tuple[str, str, str]]:
    """MODIS 2019 land cover as an image layer; returns legend rows of the classes present."""
    classes = land_cover.band("igbp_class")
    t = land_cover.transform
    rows, cols = classes.shape
    south, north = t.f + rows * t.e, t.f
    key = str(land_cover.path)
    if key not in _LAND_COVER_URLS:
        image = folium.utilities.mercator_transform(
            land_cover_rgba(classes, t, outline), (south, north)
        )
        _LAND_COVER_URLS[key] = folium.utilities.image_to_url(image)
    folium.raster_layers.ImageOverlay(
        _LAND_COVER_URLS[key],
        bounds=[[south, t.c], [north, t.c + cols * t.a]],
        name=bilingual("土地覆被 MODIS 2019", "Land cover MODIS 2019", language=language),
        opacity=0.85,
    ).add_to(fmap)
    present = sorted({int(c) for c in np.unique(classes[~np.isnan(classes)])})
    return [
        (IGBP_COLOURS[c], "fill", bilingual(*IGBP_CLASSES[c], language=language))
        for c in present
        if c in IGBP_COLOURS
    ]


_LEGEND = """
{% macro html(this, kwargs) %}
<div style="position: fixed; bottom: 44px; left: 10px; z-index: 9999;
 background: rgba(255,255,255,.9); padding: 5px 8px; border: 1px solid #bbb;
 border-radius: 4px; font-size: 11px; line-height: 1.35; column-count: 2; column-gap: 14px;
 max-width: 46%; max-height: 45%; overflow-y: auto;
 font-family: 'Noto Sans CJK SC','Microsoft YaHei',sans-serif;">
{{ this.body }}
</div>
{% endmacro %}
"""


class _Legend(MacroElement):
    """The fixed legend box of :func:`add_legend`."""

    _template = Template(_LEGEND)

    def __init__(self, body_html: str) -> None:
        super().__init__()
        self.body = body_html


def legend_html(entries: list[tuple[str, str, str]], *, title: str) -> str:
    """HTML of a legend: rows of (swatch colour, style 'fill'|'hollow'|'line', label)."""
    rows = [f"<div style='column-span:all;font-weight:bold'>{html.escape(title)}</div>"]
    for colour, style, label in entries:
        if style == "line":
            css = f"display:inline-block;width:18px;height:3px;background:{colour}"
            swatch = f"<span style='{css}'></span>"
        else:
            fill = colour if style == "fill" else "transparent"
            border = "dashed" if style == "hollow" else "solid"
            css = "display:inline-block;width:11px;height:11px;border-radius:50%;"
            swatch = f"<span style='{css}border:2px {border} {colour};background:{fill}'></span>"
        rows.append(f"<div>{swatch} {html.escape(label)}</div>")
    return "".join(rows)


def add_legend(fmap: folium.Map, body_html: str) -> None:
    """Attach a fixed legend box to the map."""
    fmap.get_root().add_child(_Legend(body_html))
