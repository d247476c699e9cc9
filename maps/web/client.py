"""What the browser changes on a map already drawn: layers on and off, filtered features, legend.

A page draws every layer once and registers it (:func:`register_layer`); each later change of
what the person asked for goes to the browser as a small state that
``static/longtu/view.js`` applies to the drawn map (:func:`view_script`), instead of a new map.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import folium
from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin

from longtu.maps.web.images import asset_url

_REGISTER_JS = """
{% macro script(this, kwargs) %}
longtuView({{ this.map_name }}).register({{ this.key_json }}, {{ this._parent.get_name() }});
{% endmacro %}
"""


class _Registered(JSCSSMixin, MacroElement):
    """Names its parent layer for ``static/longtu/view.js``, which shows, hides and filters it."""

    _template = Template(_REGISTER_JS)
    default_js = [("longtu_view", "longtu/view.js")]  # noqa: RUF012 (folium's own attribute)

    def __init__(self, fmap: folium.Map, key: str) -> None:
        super().__init__()
        self.map_name = fmap.get_name()
        self.key_json = json.dumps(key)


def register_layer(fmap: folium.Map, layer: folium.map.Layer, key: str) -> None:
    """Let the browser switch `layer` on and off and filter its features under `key`.

    ``static/longtu/view.js`` then changes what the drawn map shows (``longtuView(map)
    .apply(state)``) without drawing a new map; features are filtered by their ``fid``.
    """
    layer.add_child(_Registered(fmap, key))


_DEFERRED_JS = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJson(null, {
    style: function (f) { return f.properties.style; },
    pointToLayer: function (f, at) { return L.circleMarker(at, f.properties.style); }
});
{%- if this.tooltips %}
{{ this.get_name() }}.bindTooltip(function (l) {
    var box = document.createElement("div");
    box.textContent = l.feature.properties.label;
    return box;
}, {sticky: true});
{%- endif %}
{%- if this.popups %}
{{ this.get_name() }}.bindPopup(function (l) {
    var box = document.createElement("div");
    box.innerHTML = l.feature.properties.popup_html;
    return box;
}, {maxWidth: 380});
{%- endif %}
longtuView({{ this.map_name }}).register(
    {{ this.key_json }}, {{ this.get_name() }}, {{ this.url_json }}, {{ this.switched_json }});
{%- if this.show %}
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{%- endif %}
{% endmacro %}
"""


class DeferredGeoJson(JSCSSMixin, folium.map.Layer):
    """A layer of features the browser loads from `url` the first time it is shown.

    Each feature's properties carry its ``style`` (Leaflet path options; points are drawn as
    circle markers with them), optionally its ``label`` (tooltip) and ``popup_html``, and its
    ``fid`` (filters). Registered under `key` like :func:`register_layer` (`switched`: the view
    state shows and hides it; else it stays as the layer control leaves it); listed in the
    layer control under `name` if `control`. The file is loaded whenever the layer is first
    added to the map, by the view state or by the layer control.
    """

    _template = Template(_DEFERRED_JS)
    default_js = [("longtu_view", "longtu/view.js")]  # noqa: RUF012 (folium's own attribute)

    def __init__(
        self,
        fmap: folium.Map,
        *,
        key: str,
        url: str,
        name: str,
        show: bool = True,
        popups: bool = True,
        tooltips: bool = True,
        control: bool = True,
        switched: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "DeferredGeoJson"
        self.map_name = fmap.get_name()
        self.key_json = json.dumps(key)
        self.url_json = json.dumps(url)
        self.switched_json = json.dumps(switched)
        self.popups = popups
        self.tooltips = tooltips


def deferred_layer(
    fmap: folium.Map,
    collection: dict,
    *,
    key: str,
    name: str,
    folder: tuple[Path, str],
    show: bool = True,
    popups: bool = True,
    tooltips: bool = True,
    control: bool = True,
    switched: bool = True,
) -> DeferredGeoJson:
    """Write `collection` (GeoJSON) as a file in `folder`; add a layer that loads it when shown.

    `folder` is ``(folder, URL under which a server serves it)``, as for the map's images; the
    file is named by its content, so every session and map shares it. The other options are
    those of :class:`DeferredGeoJson` (a base layer: ``switched=False``, no popups).
    """
    data = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    url = asset_url(data, f"layer-{key}", ".json", folder)
    layer = DeferredGeoJson(
        fmap, key=key, url=url, name=name, show=show, popups=popups, tooltips=tooltips,
        control=control, switched=switched,
    )  # fmt: skip
    layer.add_to(fmap)
    return layer


def first_view_sources(fmap: folium.Map, *, keys: Sequence[str]) -> list[str]:
    """URLs of the layer files `fmap`'s first view shows: its base layers and the layers `keys`.

    A base layer (``switched=False``) drawn on at first is shown at once; a switched layer is
    shown if the first view state has it on (`keys`, e.g. the page's default layers). These
    are the files worth loading before the map's script asks for them
    (:func:`longtu.maps.web.offline.script_bundle`'s `preload`).
    """
    urls = []
    stack: list = [fmap]
    while stack:
        element = stack.pop(0)
        if isinstance(element, DeferredGeoJson) and element.show:
            base = element.switched_json == "false"
            if base or json.loads(element.key_json) in keys:
                urls.append(json.loads(element.url_json))
        stack[0:0] = list(getattr(element, "_children", {}).values())
    return urls


def view_script(
    *,
    layers: Sequence[str],
    keep: Mapping[str, Sequence[str] | None],
    filters: str,
    filtered: bool,
    fit: list[list[float]] | None,
    legend: str | None,
    map_seq: int | None = None,
    map_variable: str = "window.map",
) -> str:
    """JavaScript that makes a drawn map show this state (see ``static/longtu/view.js``).

    Parameters
    ----------
    layers
        Keys of the registered layers to show; the others are hidden.
    keep
        Layer key -> ids (``fid``) of the features to keep, or None for all of them.
    filters
        The filters as one string: when it changes, the map fits to `fit`.
    filtered
        Whether any filter narrows the map (a map drawn anew then opens on `fit`).
    fit
        ``[[south, west], [north, east]]`` to show when the filters change, or None to stay.
    legend
        The legend's HTML for this state (None: leave the legend as it is).
    map_seq
        The last report of the map's own layer box (``longtu_layers_at``) that `layers`
        includes; a map whose box changed since keeps its own layers (None: no report yet).
    map_variable
        The JavaScript expression of the Leaflet map (st_folium: ``window.map``).

    Examples
    --------
    >>> view_script(layers=["parks"], keep={"parks": ["p1"]}, filters="q=x", filtered=True,
    ...             fit=None, legend=None)[:58]
    'longtuView(window.map).apply({"layers": ["parks"], "keep":'
    """
    state = {
        "layers": list(layers),
        "keep": {key: None if ids is None else list(ids) for key, ids in keep.items()},
        "filters": filters,
        "filtered": filtered,
        "fit": fit,
        "legend": legend,
        "map_seq": map_seq,
    }
    return f"longtuView({map_variable}).apply({json.dumps(state, ensure_ascii=False)});"
