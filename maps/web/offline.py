"""Serving Leaflet and its plugins from this package: no CDN request, ever, by default.

Folium points every element's JavaScript and CSS at public CDNs, which are unreachable on
government intranets and from much of China. :func:`localize_assets` rewrites them to the copies
vendored in ``maps/web/static/vendor`` (Leaflet 1.9.4, BSD-2; Leaflet.draw 1.0.4, MIT) and to our
own scripts in ``maps/web/static/longtu`` (stacked symbols, place labels, the marker icon path),
served either by the Streamlit app (relative URLs) or inlined into a standalone HTML file.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import branca.element
import folium

from longtu.errors import OfflineAssetError
from longtu.maps.web.images import asset_url

WEB_FOLDER = Path(__file__).resolve().parent / "static"

#: folium asset name -> vendored file (relative to ``maps/web/static``).
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "longtu_leaflet_icons": "longtu/leaflet_icons.js",
    "longtu_stacks": "longtu/stacks.js",
    "longtu_labels": "longtu/labels.js",
    "longtu_view": "longtu/view.js",
    "longtu_words": "longtu/words.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "leaflet_draw_js": "vendor/leaflet-draw/leaflet.draw.js",
    "leaflet_draw_css": "vendor/leaflet-draw/leaflet.draw.css",
}
#: Assets folium adds by default that our maps do not use (Bootstrap, jQuery, icon fonts).
UNUSED_ASSETS = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def localize_assets(fmap: folium.Map, *, base_url: str) -> folium.Map:
    """Point every element's JS/CSS at the vendored copies under `base_url` (in place).

    Parameters
    ----------
    fmap
        The folium map.
    base_url
        URL prefix under which ``maps/web`` is served, e.g.
        ``"../maps.streamlit_assets.longtu_assets/"`` inside the app.

    Raises
    ------
    OfflineAssetError
        If an element needs an asset that is not vendored; the message names it.

    Examples
    --------
    >>> m = localize_assets(folium.Map(tiles=None), base_url="./")
    >>> m.default_js[:2]  # doctest: +NORMALIZE_WHITESPACE
    [('leaflet', './vendor/leaflet/leaflet.js'),
     ('longtu_leaflet_icons', './longtu/leaflet_icons.js')]
    """
    for element in _walk(fmap):
        for attr in ("default_js", "default_css"):
            assets = getattr(element, attr, None)
            if assets:
                setattr(element, attr, _local_assets(element, assets, base_url))
    return fmap


def _local_assets(
    element: branca.element.Element, assets: list[tuple[str, str]], base_url: str
) -> list[tuple[str, str]]:
    """`assets` of `element` pointed at the vendored copies; Leaflet followed by its icon path."""
    names = [name for name, _ in assets if name not in UNUSED_ASSETS]
    if "leaflet" in names and "longtu_leaflet_icons" not in names:
        names.insert(names.index("leaflet") + 1, "longtu_leaflet_icons")
    urls = dict(assets)
    for name in names:
        if name not in LOCAL_ASSETS:
            raise OfflineAssetError(
                f"`{type(element).__name__}` needs `{name}` ({urls.get(name)}), which is not "
                "vendored in maps/web/static; add it there and to LOCAL_ASSETS, or do not use it."
            )
    return [(name, base_url + LOCAL_ASSETS[name]) for name in names]


def _data_url(path: Path, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css(path: Path) -> str:
    """CSS text with its url(images/…) references turned into data URLs."""
    css = path.read_text(encoding="utf-8")

    def _replace(match: re.Match[str]) -> str:
        target = path.parent / match.group(1)
        if not target.exists():
            return match.group(0)
        mime = "image/svg+xml" if target.suffix == ".svg" else "image/png"
        return f"url({_data_url(target, mime)})"

    return re.sub(r"url\(['\"]?(images/[^'\")]+)['\"]?\)", _replace, css)


def _icon_script() -> str:
    """Leaflet's default marker icon as data URLs (what ``leaflet_icons.js`` does when served)."""
    images = WEB_FOLDER / "vendor" / "leaflet" / "images"
    urls = {
        option: _data_url(images / file, "image/png")
        for option, file in (
            ("iconUrl", "marker-icon.png"),
            ("iconRetinaUrl", "marker-icon-2x.png"),
            ("shadowUrl", "marker-shadow.png"),
        )
    }
    options = ",".join(f'{option}:"{url}"' for option, url in urls.items())
    return f'L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions({{{options}}});'


def standalone_html(fmap: folium.Map) -> str:
    """The map as one self-contained HTML file (all JS/CSS inlined): opens with no network."""
    localize_assets(fmap, base_url="")
    html = fmap.get_root().render()
    for name, rel in LOCAL_ASSETS.items():
        path = WEB_FOLDER / rel
        if name == "longtu_leaflet_icons":
            html = html.replace(
                f'<script src="{rel}"></script>', f"<script>{_icon_script()}</script>"
            )
        elif rel.endswith(".js"):
            inline = f"<script>{path.read_text(encoding='utf-8')}</script>"
            html = html.replace(f'<script src="{rel}"></script>', inline)
        else:
            inline = f"<style>{_inline_css(path)}</style>"
            html = html.replace(f'<link rel="stylesheet" href="{rel}"/>', inline)
    return html


#: Starts loading the layer files of the first view while the scripts run (``view.js`` takes
#: the answers from ``window.longtuPreloaded`` instead of asking again).
_PRELOAD_JS = """window.longtuPreloaded = window.longtuPreloaded || {};
%s.forEach(function (url) {
    var answer = window.fetch(url).then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.json();
    });
    answer.catch(function () { /* view.js reports it if the layer is used */ });
    window.longtuPreloaded[url] = answer;
});"""
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def script_bundle(
    links: Sequence[str],
    *,
    base_url: str,
    folder: tuple[Path, str],
    preload: Sequence[str] = (),
) -> str:
    """One script file holding the vendored scripts `links`, in their order; its URL.

    A map's frame loads its scripts one after another (each waits for the one before); one
    file, named by its content and written once into the served `folder` (``(folder, URL)``,
    as for the map's images), is one request that the browser caches. Leaflet's marker icons
    are in it as data URLs (``leaflet_icons.js`` finds them beside itself, which a bundle is
    not). `preload`: URLs of layer files the first view shows, asked for as the bundle starts.

    Parameters
    ----------
    links
        Script URLs as :func:`localize_assets` set them (``base_url`` + a file of
        :data:`LOCAL_ASSETS`).
    base_url
        The prefix `links` were localized with.
    folder
        ``(folder, URL under which a server serves it)``.
    preload
        Layer file URLs to start loading at once.

    Raises
    ------
    OfflineAssetError
        If a link is not one of the vendored scripts.

    Examples
    --------
    >>> import tempfile
    >>> url = script_bundle(["./longtu/view.js"], base_url="./",
    ...                     folder=(Path(tempfile.mkdtemp()), "../served/"))
    >>> url.startswith("../served/longtu-map-") and url.endswith(".js")
    True
    """
    vendored = {base_url + rel: (name, rel) for name, rel in LOCAL_ASSETS.items()}
    parts = [_PRELOAD_JS % json.dumps(list(preload))] if preload else []
    for link in links:
        if link not in vendored or not link.endswith(".js"):
            raise OfflineAssetError(
                f"The map's script `{link}` is not a vendored script under `{base_url}`; "
                "add it to maps/web/static and LOCAL_ASSETS."
            )
        name, rel = vendored[link]
        if name == "longtu_leaflet_icons":
            parts.append(_icon_script())
        else:
            parts.append(_SOURCE_MAP.sub("", (WEB_FOLDER / rel).read_text(encoding="utf-8")))
    data = "\n;\n".join(parts).encode("utf-8")
    return asset_url(data, "longtu-map", ".js", folder)
