"""The scenarios page in a real browser (Debian chromium, Playwright), network cut off.

Starts ``streamlit run app.py`` on 127.0.0.1 with a workspace in a temporary folder, fails on any
JavaScript error and on any request that would leave 127.0.0.1, and saves screenshots in
tests/output/ (look at them).
"""

from __future__ import annotations

import pytest
from browser_helpers import CHROMIUM, OUTPUT, app_server, offline_page

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian chromium not installed (see README: Tests)"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("workspace") / "ws.gpkg"
    with app_server({"LONGTU_WORKSPACE": str(workspace)}) as url:
        yield url


@pytest.fixture
def page(server):
    with offline_page(server) as pg:
        yield pg


def _draw_frame(pg):
    """The Leaflet.draw map's frame, once its draw toolbar is there."""
    pg.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
    for _ in range(120):
        frames = [f for f in pg.frames if "st_folium" in f.url]
        for frame in frames:
            if frame.evaluate(
                "document.querySelectorAll('.leaflet-draw-draw-circlemarker').length"
            ):
                return frame
        pg.wait_for_timeout(500)  # lets Playwright take in the frames (time.sleep would not)
    pg.screenshot(path=str(OUTPUT / "app_scenarios_failed.png"), full_page=True)
    pytest.fail(
        "the drawing map never appeared (tests/output/app_scenarios_failed.png); frames: "
        f"{[f.url[:80] for f in pg.frames]}; errors: {pg.js_errors[:5]}"
    )


def _type(pg, label: str, text: str, *, enter: bool = True) -> None:
    box = pg.get_by_label(label)
    box.fill(text)
    if enter:  # in a form, Enter would submit it: the form's button does
        box.press("Enter")
        pg.wait_for_timeout(1500)


def test_create_draw_save_and_see_it_in_the_edit_list(page):
    page.wait_for_selector("text=规划情景 Scenarios", timeout=60_000)
    page.get_by_text("规划情景 Scenarios").first.click()
    page.wait_for_selector("text=工作区文件", timeout=60_000)
    _type(page, "您的姓名 Your name", "李工")
    _type(page, "情景名称 Scenario name", "河西试点", enter=False)
    page.get_by_role("button", name="从规划新建 Create from the plan").click()
    page.wait_for_selector("text=已新建情景", timeout=60_000)

    frame = _draw_frame(page)
    page.wait_for_timeout(1500)
    assert frame.evaluate("typeof L.Draw") == "object"  # Leaflet.draw served by the app itself
    assert page.js_errors == [], page.js_errors
    frame.locator(".leaflet-draw-draw-circlemarker").click()
    where = frame.evaluate(
        "(() => { const p = window.map.latLngToContainerPoint([36.52, 103.62]);"
        " return [p.x, p.y]; })()"
    )
    box = frame.locator(".leaflet-container").first.bounding_box()
    page.mouse.click(box["x"] + where[0], box["y"] + where[1])
    page.wait_for_timeout(4000)
    lon = float(page.get_by_label("经度（WGS84） Longitude (WGS84)").input_value())
    lat = float(page.get_by_label("纬度（WGS84） Latitude (WGS84)").input_value())
    assert abs(lon - 103.62) < 0.1 and abs(lat - 36.52) < 0.1
    assert page.get_by_text("使用图上所画的点").count() >= 1
    page.locator("iframe[title*='st_folium']").first.scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT / "app_scenarios_draw.png"))

    assert page.js_errors == [], page.js_errors
    _type(page, "理由 Reason", "选址已与兰州新区管委会商定")
    page.get_by_role("button", name="保存位置 Save the position").click()
    page.wait_for_selector("text=已保存", timeout=60_000)
    page.wait_for_timeout(3000)
    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    text = table.inner_text()
    assert "移动 Moved" in text or page.get_by_text("编辑记录").count() >= 1
    page.screenshot(path=str(OUTPUT / "app_scenarios_edit.png"), full_page=True)

    assert page.js_errors == [], page.js_errors
    page.get_by_text("绿色：新增", exact=False).first.scroll_into_view_if_needed()
    page.wait_for_timeout(4000)
    page.screenshot(path=str(OUTPUT / "app_scenarios_redline.png"), full_page=True)
    assert page.js_errors == [], page.js_errors
    assert page.leaving == [], f"requests left 127.0.0.1: {page.leaving[:5]}"
