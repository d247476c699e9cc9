"""The real page in a real browser (Debian chromium driven by Playwright), network cut off.

Starts ``streamlit run app.py`` on 127.0.0.1, aborts and records every request that would leave
127.0.0.1, and saves screenshots in tests/output/ (look at them).
"""

from __future__ import annotations

import contextlib
import csv
import re
import time
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, OUTPUT, app_server, offline_page, poll

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian chromium not installed (see README: Tests)"
    ),
]


@pytest.fixture(scope="module")
def server():
    with app_server() as url:
        yield url


@pytest.fixture
def page(server):
    with offline_page(server) as pg:
        yield pg


def _map_frame(pg):
    pg.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
    for _ in range(120):
        frames = [f for f in pg.frames if "st_folium" in f.url]
        if frames and frames[0].evaluate("document.querySelectorAll('.leaflet-container').length"):
            frames[0].wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg")
            return frames[0]
        time.sleep(0.5)
    pytest.fail("the Leaflet map never appeared")


def _map_png(pg) -> bytes:
    return pg.locator("iframe[title*='st_folium']").screenshot()


def test_map_renders_offline_and_layers_toggle(page):
    frame = _map_frame(page)
    page.wait_for_timeout(2000)
    assert frame.evaluate("typeof L") == "object"  # Leaflet loaded from the app itself
    assert (
        frame.evaluate("document.querySelectorAll('.leaflet-image-layer').length") == 1
    )  # hillshade, served by the app as a file
    hillshade = frame.evaluate(
        "[...document.querySelectorAll('.leaflet-image-layer')].map(i => [i.src, i.naturalWidth])"
    )
    assert hillshade[0][1] > 500 and "/component/" in hillshade[0][0], hillshade
    labels = frame.locator(".leaflet-control-layers label").all_inner_texts()
    assert any("园区" in text for text in labels)
    # Leaflet's own buttons in Chinese with English beside (Leaflet words them in English).
    titles = frame.evaluate(
        "[...document.querySelectorAll('.leaflet-control a')].map(a => a.title).filter(t => t)"
    )
    assert titles[:3] == ["放大 Zoom in", "缩小 Zoom out", "图层 Layers"], titles
    page.screenshot(path=str(OUTPUT / "app_layout.png"))
    # The layer control and the legend open folded, leaving the map to the map.
    parks_box = frame.locator(".leaflet-control-layers label", has_text="园区").locator("input")
    assert frame.locator(".leaflet-control-layers-expanded").count() == 0
    assert not parks_box.is_visible()
    assert frame.evaluate("document.querySelector('.longtu-legend details').open") is False
    legend = frame.locator(".longtu-legend").bounding_box()
    assert legend is not None and legend["width"] * legend["height"] < 200 * 40, legend
    before = _map_png(page)
    # As a person does: the pointer on the icon first (which unfolds the list), then the box.
    # (The control, not its icon, is hovered: the icon itself is hidden once the list shows.)
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-expanded").wait_for(timeout=5_000)
    assert parks_box.is_visible()
    assert parks_box.is_checked()
    parks_box.uncheck()
    assert not parks_box.is_checked()
    page.wait_for_timeout(800)
    after = _map_png(page)
    assert before != after  # the parks disappeared from the canvas
    page.screenshot(path=str(OUTPUT / "app_layout_no_parks.png"))
    # A layer whose features are a file loads it when ticked in the control too.
    counties = "window.map._longtuView.layers.counties.getLayers().length"
    assert frame.evaluate(counties) == 0
    frame.locator(".leaflet-control-layers label", has_text="县区界").locator("input").check()
    frame.wait_for_function(f"{counties} > 80", timeout=20_000)
    frame.locator(".longtu-legend summary").click()
    assert frame.evaluate("document.querySelector('.longtu-legend details').open") is True
    page.screenshot(path=str(OUTPUT / "app_layout_legend_open.png"))
    assert page.leaving == [], f"requests left 127.0.0.1: {page.leaving[:5]}"


def test_zone_filter_in_the_browser(page):
    _map_frame(page)
    caption = page.get_by_text("园区", exact=False).filter(has_text="能源基地").first.inner_text()
    assert page.get_by_text("未筛选 No filter").count() == 1
    page.get_by_text("筛选 Filters", exact=True).click()  # the filters are in a popover
    box = page.locator("[data-testid='stMultiSelect']").first
    box.click()
    page.wait_for_timeout(300)
    assert page.get_by_text("Select all").count() == 0  # Streamlit's option, English only
    page.keyboard.type("河西")
    page.keyboard.press("Enter")
    for _ in range(60):  # the rerun may take a while on a busy machine
        page.wait_for_timeout(500)
        new_caption = (
            page.get_by_text("园区", exact=False).filter(has_text="能源基地").first.inner_text()
        )
        if new_caption != caption:
            break
    _map_frame(page)
    assert new_caption != caption
    # The popover stays open through the rerun; what it narrows is said under its button.
    assert page.locator("[data-testid='stMultiSelect']").count() == 4
    assert page.get_by_text("已按经济区筛选 Filtered by economic zone").count() == 1
    page.screenshot(path=str(OUTPUT / "app_filtered_hexi.png"))
    assert page.leaving == []


def test_the_typing_hint_reads_chinese_first(page):
    """Streamlit's "Press Enter to apply" under a box being typed in, Chinese before it."""
    _map_frame(page)
    page.get_by_label("搜索（中文或拼音） Search (Chinese or pinyin)").press_sequentially("酒")
    hint = page.locator("[data-testid='stTextInput'] [data-testid='InputInstructions'] span")
    hint.first.wait_for(timeout=5_000)
    before = hint.first.evaluate("s => getComputedStyle(s, '::before').content")
    assert (before, hint.first.inner_text()) == ('"按回车键确认 "', "Press Enter to apply")


def test_choices_made_before_a_change_of_language_are_shown_in_the_new_one(page):
    """Streamlit kept a keyed selectbox's choice worded as chosen ("全省 Whole province")."""
    _map_frame(page)
    page.get_by_text("导出 Export", exact=True).click()
    page.get_by_text("生成当前视图 PDF Make the PDF of this view").wait_for(timeout=30_000)
    extent = page.locator("[data-testid='stSelectbox'] input").first
    assert extent.input_value() == "全省 Whole province"
    chips = page.locator("[data-testid='stMultiSelectTagsContainer'] span[title]")
    assert "园区 Parks" in chips.all_inner_texts()
    page.get_by_text("English", exact=True).click()
    page.get_by_text("Make the PDF of this view").wait_for(timeout=30_000)
    poll(page, extent.input_value, lambda text: text == "Whole province",
         "the extent box kept its Chinese")  # fmt: skip
    poll(page, chips.all_inner_texts,
         lambda texts: "Parks" in texts and not re.search(r"[\u4e00-\u9fff]", " ".join(texts)),
         "the layer choices kept their Chinese")  # fmt: skip
    assert not page.locator("[data-testid='stAlert']").count()  # no "default value" warning
    assert page.leaving == [] and page.js_errors == []


def test_drawing_a_site_is_worded_in_chinese(page):
    """Leaflet.draw's toolbar and tooltips, English only in Leaflet.draw, read Chinese first."""
    _map_frame(page)
    page.get_by_text("约束审查 Constraint review").first.click()
    page.get_by_text("选址分析 Siting verdict").wait_for(timeout=30_000)
    frame = _map_frame(page)
    frame.wait_for_selector(".leaflet-draw-draw-polygon", timeout=30_000)
    buttons = frame.evaluate(
        "[...document.querySelectorAll('.leaflet-draw a')].map(a => a.title).filter(t => t)"
    )
    assert buttons == [
        "画多边形 Draw a polygon",
        "放置标记 Place a marker",
        "没有可删除的图形 No shapes to delete",
    ], buttons
    frame.locator(".leaflet-draw-draw-polygon").click()
    frame.locator(".leaflet-container").hover(position={"x": 400, "y": 200})
    shown = frame.locator(".leaflet-draw-tooltip").first.inner_text(timeout=5_000)
    assert shown == "点击开始绘制。 Click to start drawing the shape.", shown
    actions = frame.locator(".leaflet-draw-actions a").all_inner_texts()
    assert actions[:3] == ["完成 Finish", "删除最后一点 Delete last point", "取消 Cancel"], actions
    assert page.leaving == []


def test_upload_constraints_and_read_the_conflict_table(page, tmp_path):
    import geopandas as gpd
    import shapely

    reserve = tmp_path / "保护区.geojson"
    gpd.GeoDataFrame(
        {"name_zh": ["测试保护区"]}, geometry=[shapely.box(103.4, 35.8, 104.2, 36.4)], crs=4326
    ).to_file(reserve, driver="GeoJSON")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    _map_frame(page)
    page.get_by_text("约束审查 Constraint review").first.click()
    page.wait_for_timeout(2000)
    # The uploader's button in Chinese with English beside, drawn at the size of Streamlit's word.
    word = page.locator("[data-testid='stFileUploaderDropzone'] button p").first
    drawn = word.evaluate(
        "p => [getComputedStyle(p, '::after').content, getComputedStyle(p, '::after').fontSize,"
        " getComputedStyle(p).fontSize, p.getBoundingClientRect().width]"
    )
    assert drawn[:3] == ['"上传 Upload"', "14px", "0px"] and drawn[3] > 50, drawn
    # The size limit beside it in Chinese first, the app's own limit (Streamlit's line after).
    limit = page.locator("[data-testid='stFileUploaderDropzoneInstructions'] span").first
    before = limit.evaluate("s => getComputedStyle(s, '::before').content")
    assert before == '"每个文件不超过 200 MB · "' and "200MB per file" in limit.inner_text()
    page.locator("input[type='file']").first.set_input_files([str(reserve), str(broken)])
    page.wait_for_timeout(4000)
    assert page.get_by_text("broken.geojson：无法使用").count() >= 1  # a clear error names the file
    assert page.get_by_text("保护区.geojson: 1").count() >= 1  # the good file still loaded
    page.get_by_role("button", name="检查冲突 Check conflicts").click()
    page.wait_for_selector("text=冲突", timeout=60_000)
    page.wait_for_timeout(4000)
    grid = page.locator("[data-testid='stDataFrame']").first
    assert grid.is_visible()
    assert "conflict" in grid.inner_text() or page.get_by_text("个冲突").count() >= 1
    # The table's CSV is the table as read on the page: worded headings and cells, no field names.
    csv_button = "下载冲突表（CSV） Download the conflict table (CSV)"
    with page.expect_download() as download:
        page.get_by_role("button", name=csv_button).click()
    with Path(download.value.path()).open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:3] == ["冲突程度 Severity", "名称 Name", "约束图层 Constraint layer"], rows[0]
    assert "feature_id" not in rows[0] and "severity" not in rows[0]
    assert any(r[0] == "冲突 conflict" and r[2] == "保护区" for r in rows[1:]), rows[:3]
    page.screenshot(path=str(OUTPUT / "app_constraints.png"), full_page=True)
    assert page.leaving == []


#: Labels of the plan symbols on the map now, and the map's zoom and centre.
SHOWN = """() => {
  const labels = [];
  window.map.eachLayer(l => {
    if (l.feature && l.getLatLng) { labels.push(l.feature.properties.label); }
  });
  const c = window.map.getCenter();
  return {labels: labels, zoom: window.map.getZoom(), lat: c.lat, lng: c.lng};
}"""


def _shown_after(pg, frame, condition, timeout_s: float = 30.0) -> dict:
    """What the map shows once `condition(shown)` holds (the same map, updated in place)."""
    return poll(
        pg, lambda: frame.evaluate(SHOWN), condition, "the map did not update", timeout_s=timeout_s
    )


def test_zooming_in_keeps_the_map_and_the_view(page):
    frame = _map_frame(page)
    page.wait_for_timeout(2000)
    frame.evaluate("window.__same_map = true")
    start = frame.evaluate("window.map.getZoom()")
    for _ in range(3):
        frame.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(1500)
    assert frame.evaluate("window.map.getZoom()") == start + 3
    assert frame.evaluate("window.__same_map") is True  # not drawn again
    page.screenshot(path=str(OUTPUT / "app_zoomed.png"))
    assert page.leaving == []


def test_layers_filters_and_search_change_the_drawn_map_in_place(page):
    frame = _map_frame(page)
    page.wait_for_timeout(2000)
    frame.evaluate("window.__same_map = true")
    before = frame.evaluate(SHOWN)
    assert "酒泉千万千瓦级风电基地" in before["labels"] and "兰州新区" in before["labels"]
    page.locator("[data-testid='stCheckbox']", has_text="园区 Parks").first.click()
    shown = _shown_after(page, frame, lambda s: len(s["labels"]) < len(before["labels"]))
    assert "兰州新区" not in shown["labels"] and "酒泉千万千瓦级风电基地" in shown["labels"]
    assert (shown["zoom"], shown["lat"], shown["lng"]) == (
        before["zoom"], before["lat"], before["lng"]
    )  # a layer switched: the view stays  # fmt: skip
    page.locator("[data-testid='stCheckbox']", has_text="园区 Parks").first.click()
    _shown_after(page, frame, lambda s: len(s["labels"]) == len(before["labels"]))
    search = page.get_by_label("搜索", exact=False).first
    search.fill("酒泉")
    search.press("Enter")
    # The symbols are filtered at once; the zoom to what the search found is animated, so the
    # map is read until both are done (a zoom that never comes fails as "did not update").
    hits = _shown_after(
        page,
        frame,
        lambda s: 0 < len(s["labels"]) < len(before["labels"]) and s["zoom"] > before["zoom"],
    )
    assert "酒泉千万千瓦级风电基地" in hits["labels"] and "兰州新区" not in hits["labels"]
    page.screenshot(path=str(OUTPUT / "app_search_jiuquan.png"))
    search.fill("没有这个地方")
    search.press("Enter")
    page.get_by_text("没有要素符合", exact=False).wait_for(timeout=30_000)
    empty = _shown_after(page, frame, lambda s: len(s["labels"]) == 0)
    assert empty["zoom"] == hits["zoom"]  # nothing kept: the map stays where it was
    assert frame.evaluate("window.__same_map") is True  # every change on the same map
    assert page.js_errors == [] and page.leaving == []


def _sidebar_box(pg, label: str):
    return pg.locator("[data-testid='stSidebar'] [data-testid='stCheckbox']", has_text=label)


def _wait_checked(pg, label: str, checked: bool) -> None:
    """The sidebar's box `label` gets `checked` (the page reruns after the map reports)."""
    box = _sidebar_box(pg, label).locator("input")
    poll(pg, box.is_checked, lambda now: now == checked, f"the sidebar box {label} did not follow")


def _page_idle(pg) -> None:
    """Wait until the page's run is over (Streamlit's running indicator gone)."""
    pg.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def _url_layers(pg) -> list[str]:
    """The layers the page's URL names (written after each run; none: the defaults)."""
    query = pg.url.split("layers=")[1].split("&")[0] if "layers=" in pg.url else ""
    return query.replace("%2C", ",").split(",")


def _layers_in_url(pg, condition) -> list[str]:
    """The layers the page's URL names, once `condition(layers)` holds."""
    return poll(pg, lambda: _url_layers(pg), condition, "the URL did not follow the layers")


def test_the_maps_layer_box_and_the_sidebar_hold_one_state(page):
    frame = _map_frame(page)
    page.wait_for_timeout(2000)
    frame.evaluate("window.__same_map = true")
    before = frame.evaluate(SHOWN)
    control = frame.locator(".leaflet-control-layers")
    parks = control.locator("label", has_text="园区").locator("input")
    counties = control.locator("label", has_text="县区界").locator("input")
    assert _sidebar_box(page, "园区 Parks").locator("input").is_checked()
    control.hover()
    parks.uncheck()  # in the map's own layer box
    _wait_checked(page, "园区 Parks", False)
    _layers_in_url(page, lambda on: "energy_sites" in on and "parks" not in on)
    # The next change once that run is over (one made while the page runs: the next test).
    _page_idle(page)
    control.hover()
    counties.check()
    _wait_checked(page, "县区界 Counties", True)
    _layers_in_url(page, lambda on: "counties" in on and "parks" not in on)
    frame.wait_for_function(
        "window.map._longtuView.layers.counties.getLayers().length > 80", timeout=20_000
    )  # loaded, and still on after the page's run
    shown = _shown_after(page, frame, lambda s: len(s["labels"]) < len(before["labels"]))
    assert "兰州新区" not in shown["labels"]
    page.screenshot(path=str(OUTPUT / "app_layer_box_to_sidebar.png"))
    # The other way round: the sidebar's box ticks the map's.
    _sidebar_box(page, "园区 Parks").click()
    _shown_after(page, frame, lambda s: len(s["labels"]) == len(before["labels"]))
    # The map applies the page's state when its run is done; the county outlines are a file
    # it loads: wait for the box as a person would look at it, not at one instant.
    from playwright.sync_api import expect

    expect(parks).to_be_checked(timeout=15_000)
    expect(counties).to_be_checked(timeout=15_000)
    _layers_in_url(page, lambda on: "counties" in on and "parks" in on)
    assert frame.evaluate("window.__same_map") is True  # one map throughout
    assert page.js_errors == [] and page.leaving == []


#: The plan layers on in the map (by what the map itself has drawn).
MAP_LAYERS = """() => Object.entries(window.map._longtuView.layers)
    .filter(([key, layer]) => window.map.hasLayer(layer)).map(([key]) => key)"""


def _parks_off_and_counties_on_everywhere(pg, frame) -> None:
    """The sidebar, the map and the URL all have the parks off and the counties on, and keep
    them so whatever run of the page comes last."""
    _wait_checked(pg, "县区界 Counties", True)
    _wait_checked(pg, "园区 Parks", False)
    _layers_in_url(pg, lambda on: "counties" in on and "parks" not in on)
    on = poll(
        pg,
        lambda: frame.evaluate(MAP_LAYERS),
        lambda on: "counties" in on and "parks" not in on,
        "the map lost a change of the layers",
    )
    pg.wait_for_timeout(3000)
    assert frame.evaluate(MAP_LAYERS) == on
    assert _url_layers(pg) == ["economic_zones", "energy_sites", "counties", "hillshade"]
    assert _sidebar_box(pg, "园区 Parks").locator("input").is_checked() is False
    assert _sidebar_box(pg, "县区界 Counties").locator("input").is_checked() is True
    assert pg.js_errors == [] and pg.leaving == []


def test_a_change_in_the_maps_layer_box_while_the_page_runs_is_kept(page):
    """Two changes in the map's layer box, the second while the first one's run is going on.

    The server's messages are held back from the first change on, so that for the page the run
    is still going (the boxes and the map not yet told) when the second change is made: the
    busy server where this was seen, made certain. Both changes must hold, in the sidebar, the
    map and the URL, once the runs have reached the page.
    """
    frame = _map_frame(page)
    page.wait_for_timeout(2000)
    _page_idle(page)
    control = frame.locator(".leaflet-control-layers")
    control.hover()
    page.server_messages.hold()
    control.locator("label", has_text="园区").locator("input").uncheck()
    page.wait_for_timeout(1500)  # the server runs the page meanwhile; the page hears nothing
    control.locator("label", has_text="县区界").locator("input").check()
    page.wait_for_timeout(1500)
    page.server_messages.release()
    _parks_off_and_counties_on_everywhere(page, frame)


def test_a_sidebar_box_then_the_maps_layer_box_while_the_page_runs(page):
    """The parks unticked in the sidebar, then, before the map has heard of it, the counties
    ticked in the map's own box (which still shows the parks): neither change is undone."""
    frame = _map_frame(page)
    page.wait_for_timeout(2000)
    _page_idle(page)
    page.server_messages.hold()
    _sidebar_box(page, "园区 Parks").click()
    page.wait_for_timeout(1500)
    control = frame.locator(".leaflet-control-layers")
    control.hover()
    assert control.locator("label", has_text="园区").locator("input").is_checked()
    control.locator("label", has_text="县区界").locator("input").check()
    page.wait_for_timeout(1500)
    page.server_messages.release()
    _parks_off_and_counties_on_everywhere(page, frame)


#: The circles of radius 9 (the site of a verdict) on a map: their [lat, lon].
SITE_DRAWN = """() => {
  const found = [];
  if (window.map) { window.map.eachLayer(l => {
    if (l.getLatLng && l.options && l.options.radius === 9) {
      const p = l.getLatLng(); found.push([p.lat, p.lng]);
    }
  }); }
  return found;
}"""


def test_draw_a_site_and_get_the_verdict(page):
    _map_frame(page)
    page.get_by_text("约束审查 Constraint review").first.click()
    page.wait_for_timeout(4000)
    frames = [f for f in page.frames if "st_folium" in f.url]
    draw = frames[-1]
    draw.wait_for_selector(".leaflet-draw-draw-marker", timeout=30_000)
    assert draw.evaluate("typeof L.Draw") == "object"  # Leaflet.draw served by the app itself
    draw.locator(".leaflet-draw-draw-marker").click()
    box = page.locator("iframe[title*='st_folium']").last.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.55)
    page.wait_for_timeout(4000)
    lon = float(page.get_by_label("经度 Longitude").input_value())
    assert lon != 103.70  # the drawn point replaced the default coordinates
    page.get_by_role("button", name="判定 Check the site").click()
    page.wait_for_selector("text=WGS84", timeout=60_000)
    # The verdict's map draws the site: a circle (it was an image marker whose script is not
    # shipped: a page error, and no site on the map).
    lat = float(page.get_by_label("纬度 Latitude").input_value())

    def sites() -> list:
        found = []
        for frame in (f for f in page.frames if "st_folium" in f.url):
            with contextlib.suppress(Exception):  # a frame replaced while it is read
                found += frame.evaluate(SITE_DRAWN)
        return found

    drawn = poll(page, sites, lambda found: found, "the site was not drawn", timeout_s=30)
    assert drawn[0] == pytest.approx([lat, lon], abs=1e-4)
    page.screenshot(path=str(OUTPUT / "app_siting.png"), full_page=True)
    assert page.leaving == [] and page.js_errors == []


#: fontconfig seeing only the Latin fonts (DejaVu, Liberation): a computer without CJK fonts.
LATIN_ONLY_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype</dir><cachedir>{cache}</cachedir></fontconfig>
"""
#: Width in px of four CJK characters at 20 px in a font, and of the same in the page's font.
WIDTHS = """async (family) => {
  await document.fonts.ready;
  const text = '陇图甘肃', canvas = document.createElement('canvas').getContext('2d');
  const width = (font) => { canvas.font = font; return canvas.measureText(text).width; };
  await document.fonts.load('20px ' + family, text);
  return [width('20px ' + family), width('20px "No Such Font", sans-serif'),
          width('bold 20px ' + family)];
}"""


def test_chinese_is_drawn_in_the_web_font_without_cjk_fonts_on_the_computer(server, tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(LATIN_ONLY_FONTS.format(cache=tmp_path / "cache"), encoding="utf-8")
    with offline_page(server, env={"FONTCONFIG_FILE": str(conf)}) as pg:
        frame = _map_frame(pg)
        pg.wait_for_timeout(1500)
        page_font, fallback, bold = pg.evaluate(WIDTHS, '"Source Sans"')
        assert page_font == 80  # the page's own family now holds CJK glyphs, 1 em each
        assert 80 <= bold <= 84  # headings too (bold drawn from the regular face)
        assert fallback != 80  # the computer really has no CJK font (tofu boxes)
        map_font, _, _ = frame.evaluate(WIDTHS, '"Longtu CJK"')
        assert map_font == 80
        loaded = frame.evaluate(
            """() => [...document.fonts].filter(f => f.family.includes('Longtu CJK'))
                .map(f => f.status)"""
        )
        assert loaded == ["loaded"]  # the labels asked for it and got it from the app
        label = frame.locator(".longtu-label-prefecture", has_text="兰州市").first
        assert "Longtu CJK" in label.evaluate("e => getComputedStyle(e).fontFamily")
        pg.locator("[data-testid='stSidebar']").screenshot(
            path=str(OUTPUT / "app_font_sidebar.png")
        )
        pg.screenshot(path=str(OUTPUT / "app_font_no_cjk_fonts.png"))
        assert pg.leaving == [] and pg.js_errors == []
