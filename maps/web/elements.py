"""Map furniture for the interactive maps: legend, kilometre scale, place labels, land cover.

Each adds one element to a folium map; the script templates use only Leaflet itself and our
own scripts in ``static/longtu``, which the app serves offline.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import branca.element
import folium
import folium.utilities
import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
from affine import Affine
from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin

from longtu.gis_data.rasters import IGBP_CLASSES
from longtu.layout import Raster
from longtu.maps.style import IGBP_COLOURS, PRECISION_MARKER, Language, bilingual
from longtu.maps.web.client import register_layer
from longtu.maps.web.fonts import WEB_FONT_FAMILY, font_face_css
from longtu.maps.web.images import image_url

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


_WORDS_JS = """
{% macro script(this, kwargs) %}
longtuWords({{ this._parent.get_name() }}, {{ this.language_json }});
{% endmacro %}
"""


class _MapWords(JSCSSMixin, MacroElement):
    """Leaflet's buttons and tooltips worded in the map's language (``static/longtu/words.js``)."""

    _template = Template(_WORDS_JS)
    default_js = [("longtu_words", "longtu/words.js")]  # noqa: RUF012 (folium's own attribute)

    def __init__(self, language: Language) -> None:
        super().__init__()
        self.language_json = json.dumps(language)


def add_map_words(fmap: folium.Map, language: Language) -> None:
    """Word the map's zoom buttons, layer box and drawing toolbar in `language`.

    Leaflet and Leaflet.draw word them in English only. Added before any control: the layer
    box and the drawing toolbar take their words when they are made.
    """
    fmap.add_child(_MapWords(language))


_LABELS_JS = """
{% macro script(this, kwargs) %}
longtuLabels({{ this._parent.get_name() }}).add({{ this.labels_json }}, {{ this.options_json }});
{% endmacro %}
"""


class _UnitLabels(JSCSSMixin, MacroElement):
    """Place labels placed without overlap by ``static/longtu/labels.js``.

    ``labels_json``: rows ``[lat, lon, text]``; ``options_json``: the CSS class, the zoom from
    which they show and whether they show even where they would overlap.
    """

    _template = Template(_LABELS_JS)
    default_js = [("longtu_labels", "longtu/labels.js")]  # noqa: RUF012 (folium's own attribute)

    def __init__(self, labels_json: str, options_json: str) -> None:
        super().__init__()
        self.labels_json = labels_json
        self.options_json = options_json


#: Zoom level from which county names show (the whole province fills the map near zoom 6).
COUNTY_LABEL_MIN_ZOOM = 8


def _add_labels(
    fmap: folium.Map, points: gpd.GeoDataFrame, *, language: Language, options: dict
) -> None:
    names = points["name_zh"] if language == "zh" else points["name_en"]
    labels = [
        [round(geom.y, 6), round(geom.x, 6), str(name)]
        for geom, name in zip(points.geometry, names, strict=True)
    ]
    fmap.add_child(_UnitLabels(json.dumps(labels, ensure_ascii=False), json.dumps(options)))


def add_unit_labels(fmap: folium.Map, points: gpd.GeoDataFrame, *, language: Language) -> None:
    """Prefecture names at their seats, moved beside their point where two would overlap.

    Each label is tried above, below, right and left of its point (``static/longtu/labels.js``)
    and takes the first place free of the labels before it, again at every zoom.
    """
    options = {"cls": "longtu-label-prefecture", "minZoom": 0, "always": True}
    _add_labels(fmap, points, language=language, options=options)


def add_county_labels(
    fmap: folium.Map,
    points: gpd.GeoDataFrame,
    *,
    language: Language,
    min_zoom: float = COUNTY_LABEL_MIN_ZOOM,
) -> None:
    """County names at their seats, shown from zoom `min_zoom` on where they have room.

    Add them after :func:`add_unit_labels`: prefecture names are placed first and county names
    that would overlap one are hidden until the user zooms in further.
    """
    options = {"cls": "longtu-label-county", "minZoom": min_zoom, "always": False}
    _add_labels(fmap, points, language=language, options=options)


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


_LAND_COVER_PNGS: dict[str, bytes] = {}


def _land_cover_png(land_cover: Raster, outline: shapely.Geometry) -> bytes:
    """The land cover as PNG bytes (rows in Web Mercator), computed once per raster."""
    key = str(land_cover.path)
    if key not in _LAND_COVER_PNGS:
        classes = land_cover.band("igbp_class")
        t = land_cover.transform
        south, north = t.f + classes.shape[0] * t.e, t.f
        image = folium.utilities.mercator_transform(
            land_cover_rgba(classes, t, outline), (south, north)
        )
        _LAND_COVER_PNGS[key] = folium.utilities.write_png(image)
    return _LAND_COVER_PNGS[key]


_CLASSES_PRESENT: dict[str, tuple[int, ...]] = {}


def _classes_present(land_cover: Raster) -> tuple[int, ...]:
    """IGBP classes present in the raster, computed once per raster file."""
    key = str(land_cover.path)
    if key not in _CLASSES_PRESENT:
        classes = land_cover.band("igbp_class")
        present = np.unique(classes[~np.isnan(classes)])
        _CLASSES_PRESENT[key] = tuple(sorted(int(c) for c in present))
    return _CLASSES_PRESENT[key]


def land_cover_entries(land_cover: Raster, *, language: Language) -> list[tuple[str, str, str]]:
    """Legend rows (colour, style, label) of the land cover classes present in the raster."""
    present = _classes_present(land_cover)
    return [
        (IGBP_COLOURS[c], "fill", bilingual(*IGBP_CLASSES[c], language=language))
        for c in present
        if c in IGBP_COLOURS
    ]


def add_land_cover(
    fmap: folium.Map,
    land_cover: Raster,
    outline: shapely.Geometry,
    *,
    language: Language = "zh",
    show: bool = True,
    image_folder: tuple[Path, str] | None = None,
) -> list[tuple[str, str, str]]:
    """MODIS 2019 land cover as an image layer; returns legend rows of the classes present.

    `image_folder`: as in :func:`longtu.maps.web.interactive.base_map` (the image served as a
    file; default: a data URL). The layer is registered as ``land_cover``
    (:func:`longtu.maps.web.client.register_layer`).
    """
    t = land_cover.transform
    rows, cols = land_cover.band("igbp_class").shape
    south, north = t.f + rows * t.e, t.f
    overlay = folium.raster_layers.ImageOverlay(
        "data:image/png;base64,",  # replaced below: folium reads a relative URL as a file name
        bounds=[[south, t.c], [north, t.c + cols * t.a]],
        name=bilingual("土地覆被 MODIS 2019", "Land cover MODIS 2019", language=language),
        opacity=0.85,
        show=show,
    )
    overlay.url = image_url(_land_cover_png(land_cover, outline), "land_cover", image_folder)
    overlay.add_to(fmap)
    register_layer(fmap, overlay, "land_cover")
    return land_cover_entries(land_cover, language=language)


_LEGEND = """
{% macro html(this, kwargs) %}
<div class="longtu-legend" style="position: fixed; bottom: 44px; left: 10px; z-index: 9999;
 background: rgba(255,255,255,.92); padding: 4px 8px; border: 1px solid #bbb;
 border-radius: 4px; font-size: 11px; line-height: 1.3;
 max-width: 46%; max-height: 45%; overflow-y: auto;
 font-family: 'Longtu CJK','Noto Sans CJK SC','Microsoft YaHei',sans-serif;">
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


_LINE_CSS = "display:inline-block;width:20px;vertical-align:middle;"
_BOX_CSS = "display:inline-block;width:16px;height:10px;vertical-align:middle;"


def _point_swatch(colour: str, precision: str) -> str:
    """A circle drawn as the map draws a symbol of this precision (size, paleness, dashes)."""
    radius_px, opacity, dash = PRECISION_MARKER.get(precision, (7, 0.5, ""))
    size_px = 2 * radius_px
    dashes = f" stroke-dasharray='{dash}'" if dash else ""
    return (
        f"<svg width='{size_px + 4}' height='{size_px + 4}' style='vertical-align:middle'>"
        f"<circle cx='{radius_px + 2}' cy='{radius_px + 2}' r='{radius_px}' stroke='{colour}'"
        f" stroke-width='2' fill='{colour}' fill-opacity='{opacity}'{dashes}/></svg>"
    )


def _spider_swatch(colour: str) -> str:
    """Three small circles on legs from one point: stacked symbols fanned out."""
    legs = "".join(
        f"<line x1='11' y1='11' x2='{x}' y2='{y}' stroke='{colour}' stroke-width='1'/>"
        f"<circle cx='{x}' cy='{y}' r='3.5' fill='{colour}' fill-opacity='.5' stroke='{colour}'/>"
        for x, y in ((11, 4), (4, 16), (18, 16))
    )
    return f"<svg width='22' height='22' style='vertical-align:middle'>{legs}</svg>"


def _swatch(colour: str, style: str) -> str:
    """The symbol of one legend row (see :func:`legend_html` for the styles)."""
    if style.startswith("point:"):
        return _point_swatch(colour, style.removeprefix("point:"))
    simple = {
        "line": f"{_LINE_CSS}height:3px;background:{colour}",
        "thin": f"{_LINE_CSS}height:0;border-top:1px solid {colour}",
        "dashed": f"{_LINE_CSS}height:0;border-top:2px dashed {colour}",
        "chip": f"{_BOX_CSS}width:12px;border-radius:2px;background:{colour}",
        "area": f"{_BOX_CSS}background:{colour}66;border:1.5px solid {colour}",
        "dashed-area": f"{_BOX_CSS}background:{colour}10;border:1.5px dashed {colour}",
    }
    if style in simple:
        return f"<span style='{simple[style]}'></span>"
    if style == "spider":
        return _spider_swatch(colour)
    fill = colour if style == "fill" else "transparent"
    border = "dashed" if style == "hollow" else "solid"
    css = "display:inline-block;width:11px;height:11px;border-radius:50%;"
    return f"<span style='{css}border:2px {border} {colour};background:{fill}'></span>"


def legend_html(entries: list[tuple[str, str, str]], *, title: str, expanded: bool = True) -> str:
    """HTML of a legend that folds away on a click on its title: rows of (colour, style, label).

    `expanded`: whether it opens unfolded (folded: only its title shows, until clicked).

    Styles: ``fill`` / ``hollow`` (solid or dashed circle), ``chip`` (a colour square),
    ``point:<precision>`` (a plan symbol as the map draws it at that precision: ``town``,
    ``county``, ``prefecture``), ``spider`` (stacked symbols fanned out), ``line`` / ``thin`` /
    ``dashed`` (lines), ``area`` / ``dashed-area`` (filled areas), ``heading`` (a group title;
    colour unused).

    Examples
    --------
    >>> "border-top:2px dashed #555" in legend_html([("#555", "dashed", "界")], title="图例")
    True
    """
    rows = []
    for colour, style, label in entries:
        if style == "heading":
            css = "column-span:all;color:#555;margin-top:3px;border-bottom:1px solid #ddd"
            rows.append(f"<div style='{css}'>{html.escape(label)}</div>")
            continue
        rows.append(
            f"<div style='break-inside:avoid'>{_swatch(colour, style)} {html.escape(label)}</div>"
        )
    summary = f"<summary style='font-weight:bold;cursor:pointer'>{html.escape(title)}</summary>"
    columns = "<div style='column-count:2;column-gap:14px'>" + "".join(rows) + "</div>"
    return f"<details{' open' if expanded else ''}>{summary}{columns}</details>"


def add_web_font(fmap: folium.Map, url: str) -> None:
    """Draw the map's CJK text (labels, popups, tooltips, legend) in the app's web font.

    `url`: the web font as the map's page reaches it (:func:`longtu.maps.web.fonts.web_font_url`).
    The font is used for CJK characters only; Latin text keeps Leaflet's fonts.
    """
    css = (
        font_face_css(url)
        + f'.leaflet-container{{font-family:"Helvetica Neue",Arial,Helvetica,"{WEB_FONT_FAMILY}",'
        "sans-serif}"
        # The scale's text at Leaflet's own size, never cut by the scale line's end.
         + ".leaflet-control-scale-line{font-size:11px;line-height:1.3;overflow:visible}"
    )
    root = fmap.get_root()
    if not isinstance(root, branca.element.Figure):
        raise TypeError("`fmap` must be a folium map in a figure (as folium.Map makes it).")
    root.header.add_child(branca.element.Element(f"<style>{css}</style>"))


def add_legend(fmap: folium.Map, body_html: str) -> None:
    """Attach a fixed legend box to the map."""
    fmap.get_root().add_child(_Legend(body_html))
