"""The layout map in a real browser (Debian chromium via Playwright), network cut off, no app:
a saved folium map served from 127.0.0.1. A multi-place feature and a stacked symbol open their
popups, stacks fan out, labels do not overlap, the marker icon loads; screenshots in
tests/output/ (look at them)."""

from __future__ import annotations

import functools
import http.server
import threading

import folium
import pytest
from browser_helpers import CHROMIUM, OUTPUT, offline_page

from longtu.layout import load_layer, plan_layers
from longtu.layout.load import symbol_points
from longtu.maps.style import ZONE_COLOURS
from longtu.maps.web import elements, interactive, legend_entries
from longtu.maps.web.offline import WEB_FOLDER, localize_assets

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (see README)"),
]

#: Screen positions of the symbols of one feature (by its tooltip label).
FIND = """(label) => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const box = map.getContainer().getBoundingClientRect(), out = [];
  map.eachLayer(l => {
    if (l.feature && l.getLatLng && l.feature.properties.label === label) {
      const p = map.latLngToContainerPoint(l.getLatLng());
      out.push([p.x + box.left, p.y + box.top]);
    }
  });
  return out;
}"""
#: Where the symbols of one feature belong on the map (lat, lng), whatever the view.
HOMES = """(label) => {
  const map = Object.values(window).find(v => v instanceof L.Map), out = [];
  map.eachLayer(l => {
    if (l.feature && l.getLatLng && l.feature.properties.label === label) {
      const at = l._longtuHome || l.getLatLng();
      out.push([at.lat, at.lng]);
    }
  });
  return out;
}"""
FANNED = "Object.values(window).find(v => v instanceof L.Map)._longtuStacks.open.length"


def _layout_map(language: str) -> folium.Map:
    plan = plan_layers()
    fmap = interactive.base_map(
        province=load_layer("province"),
        prefectures=load_layer("prefectures"),
        counties=load_layer("counties"),
        rivers=load_layer("rivers"),
        terrain=None,
        language=language,
    )
    elements.add_unit_labels(fmap, symbol_points("prefecture"), language=language)
    elements.add_county_labels(fmap, symbol_points("county"), language=language)
    zones = plan["economic_zones"]
    interactive.add_areas(fmap, zones[zones["level"] == "zone"], name="经济区", colour=ZONE_COLOURS)
    interactive.add_parks(fmap, plan["parks"], language=language)
    interactive.add_energy_sites(fmap, plan["energy_sites"], language=language)
    entries = legend_entries.default_legend_entries(
        language,
        technologies=sorted(set(plan["energy_sites"]["technology"])),
        levels=sorted(set(plan["parks"]["level"])),
    )
    elements.add_legend(fmap, elements.legend_html(entries, title="图例 Legend"))
    folium.Marker([36.06, 103.83], tooltip="Leaflet default marker").add_to(fmap)
    return localize_assets(fmap, base_url="static/")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder with the saved maps and the package's assets, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("web")
    (root / "static").symlink_to(WEB_FOLDER, target_is_directory=True)
    for language in ("zh", "en"):
        _layout_map(language).save(str(root / f"map_{language}.html"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _click_first(pg, label: str) -> None:
    points = pg.evaluate(FIND, label)
    assert points, f"{label} is not drawn"
    pg.mouse.click(*points[0])
    pg.wait_for_timeout(300)


def _open_popup(pg, label: str) -> str:
    """Click a feature's symbol (fanning out its stack first if it lies in one); the popup."""
    _click_first(pg, label)
    if pg.evaluate(FANNED):
        _click_first(pg, label)
    popup = pg.locator(".leaflet-popup-content")
    assert popup.count() == 1, f"no popup for {label}"
    return popup.inner_text()


@pytest.mark.parametrize("label", ["河西新能源基地", "兰州新区", "陇东能源化工基地"])
def test_a_multi_place_feature_opens_its_popup(site, label):
    with offline_page(f"{site}/map_zh.html") as pg:
        assert label in _open_popup(pg, label)
        assert pg.js_errors == [] and pg.leaving == []


def test_a_stack_fans_out_keeps_its_symbols_and_collapses(site):
    with offline_page(f"{site}/map_zh.html") as pg:
        before = pg.evaluate(FIND, "兰州新区")
        homes = pg.evaluate(HOMES, "兰州新区")
        _click_first(pg, "兰州新区")
        assert pg.evaluate(FANNED) >= 10  # everything on the Lanzhou New Area point
        assert pg.locator(".leaflet-popup-content").count() == 0
        assert pg.evaluate(FIND, "兰州新区")[0] != before[0]
        dashes = pg.evaluate(
            """() => {
              const map = Object.values(window).find(v => v instanceof L.Map);
              return map._longtuStacks.open.map(
                m => [m.options.dashArray, m.feature.properties.style.dashArray]);
            }"""
        )
        assert all(drawn == own for drawn, own in dashes)  # each keeps its own (dashed) symbol
        pg.screenshot(path=str(OUTPUT / "web_map_stack_fanned.png"))
        _click_first(pg, "兰州新区")
        assert "兰州新区" in pg.locator(".leaflet-popup-content").inner_text()
        pg.screenshot(path=str(OUTPUT / "web_map_stack_popup.png"))
        pg.mouse.click(300, 150)  # empty map: the stack closes
        pg.wait_for_timeout(300)
        assert pg.evaluate(FANNED) == 0
        moved = pg.evaluate(
            """() => { const m = Object.values(window).find(v => v instanceof L.Map), out = [];
              m.eachLayer(l => { if (l.feature && l.getLatLng && l.feature.properties.label
                === '兰州新区') { const p = l.getLatLng(); out.push([p.lat, p.lng]); } });
              return out; }"""
        )
        assert moved == homes  # every symbol back where it belongs
        assert pg.js_errors == [] and pg.leaving == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_labels_do_not_overlap_and_county_names_show_when_zoomed_in(site, language):
    boxes = """(cls) => Array.from(document.querySelectorAll('.' + cls))
        .filter(e => e.style.visibility !== 'hidden')
        .map(e => e.getBoundingClientRect())
        .map(r => [r.left, r.top, r.right, r.bottom])"""
    with offline_page(f"{site}/map_{language}.html") as pg:
        pg.wait_for_timeout(300)
        prefectures = pg.evaluate(boxes, "longtu-label-prefecture")
        assert len(prefectures) == 14
        assert pg.evaluate(boxes, "longtu-label-county") == []
        for i, a in enumerate(prefectures):
            for b in prefectures[i + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
        pg.screenshot(path=str(OUTPUT / f"web_map_labels_{language}.png"))
        pg.evaluate("() => { Object.values(window).find(v => v instanceof L.Map).setZoom(9); }")
        pg.wait_for_timeout(600)
        assert len(pg.evaluate(boxes, "longtu-label-county")) >= 5
        pg.screenshot(path=str(OUTPUT / f"web_map_county_labels_{language}.png"))
        assert pg.js_errors == [] and pg.leaving == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh", ["放大 Zoom in", "缩小 Zoom out"]), ("en", ["Zoom in", "Zoom out"])],
)
def test_leaflets_own_buttons_are_worded_in_the_maps_language(site, language, expected):
    with offline_page(f"{site}/map_{language}.html") as pg:
        pg.wait_for_timeout(300)
        titles = pg.evaluate(
            "[...document.querySelectorAll('.leaflet-control-zoom a')]"
            ".map(a => [a.title, a.getAttribute('aria-label')])"
        )
        assert titles == [[word, word] for word in expected]
        assert pg.js_errors == [] and pg.leaving == []


def test_the_default_marker_icon_loads_from_the_app(site):
    with offline_page(f"{site}/map_en.html") as pg:
        icons = pg.evaluate(
            """() => Array.from(document.querySelectorAll('img.leaflet-marker-icon'))
                .map(i => [i.src, i.naturalWidth])"""
        )
        assert icons and all(src.startswith(site) and width == 25 for src, width in icons)
        assert pg.js_errors == [] and pg.leaving == []
