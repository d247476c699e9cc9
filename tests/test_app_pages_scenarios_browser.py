"""The scenarios page in a real browser (Debian chromium, Playwright), network cut off.

Starts ``streamlit run app.py`` on 127.0.0.1 with a workspace in a temporary folder, fails on any
JavaScript error and on any request that would leave 127.0.0.1, and saves screenshots in
tests/output/ (look at them).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from browser_helpers import CHROMIUM, OUTPUT, app_server, offline_page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from longtu.layout.scenarios import Scenario, Workspace

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian chromium not installed (see README: Tests)"
    ),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return tmp_path_factory.mktemp("workspace") / "ws.gpkg"


@pytest.fixture(scope="module")
def server(workspace):
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
    # A point north of 兰州新区, clear of the symbols drawn around Lanzhou at this zoom.
    where = frame.evaluate(
        "(() => { const p = window.map.latLngToContainerPoint([36.95, 103.35]);"
        " return [p.x, p.y]; })()"
    )
    box = frame.locator(".leaflet-container").first.bounding_box()
    page.mouse.click(box["x"] + where[0], box["y"] + where[1])
    page.wait_for_timeout(4000)
    lon = float(page.get_by_label("经度（WGS84） Longitude (WGS84)").input_value())
    lat = float(page.get_by_label("纬度（WGS84） Latitude (WGS84)").input_value())
    assert abs(lon - 103.35) < 0.05 and abs(lat - 36.95) < 0.05
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
    assert "移动 Relocate" in text or page.get_by_text("编辑记录").count() >= 1
    page.screenshot(path=str(OUTPUT / "app_scenarios_edit.png"), full_page=True)

    assert page.js_errors == [], page.js_errors
    page.get_by_text("绿色：新增", exact=False).first.scroll_into_view_if_needed()
    page.wait_for_timeout(4000)
    page.screenshot(path=str(OUTPUT / "app_scenarios_redline.png"), full_page=True)
    assert page.js_errors == [], page.js_errors
    assert page.leaving == [], f"requests left 127.0.0.1: {page.leaving[:5]}"


# --- the done-when journey: import three parks, move one, remove one, add one, accept two ------

#: A planning office's boundary file: three plan parks under the names the office uses.
BOUNDARIES = {
    "张掖经开区": (100.43, 38.92, 100.47, 38.95),  # 张掖经济技术开发区
    "平凉工业园": (106.66, 35.52, 106.70, 35.55),  # 平凉工业园区
    "白银高新区": (104.15, 36.53, 104.19, 36.56),  # 白银高新技术产业开发区
}
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")


def _key(pg, key: str):
    """The element of the widget with Streamlit key `key`."""
    return pg.locator(f".st-key-{key}")


def _wait_text(pg, text: str) -> None:
    """Wait for `text` on the page; on a timeout save the page as it is and fail."""
    try:
        pg.wait_for_selector(f"text={text}", timeout=60_000)
    except PlaywrightError:
        pg.screenshot(path=str(OUTPUT / "app_scenarios_failed.png"))
        pytest.fail(f"{text!r} never appeared (tests/output/app_scenarios_failed.png)")


def _settle(pg) -> None:
    """Wait until the app has finished running the script."""
    pg.wait_for_timeout(300)
    pg.wait_for_selector("[data-test-script-state='notRunning']", timeout=60_000)


def _fill(pg, key: str, text: str) -> None:
    box = _key(pg, key).locator("input, textarea").first
    box.fill(text)
    box.press("Tab")  # commits the value (Enter would submit a form)
    pg.wait_for_timeout(800)
    _settle(pg)


def _choose(pg, key: str, typed: str) -> None:
    """Pick an option of select box `key` by typing part of its label (a name, never an id)."""
    box = _key(pg, key).locator("input[role='combobox']")
    option = pg.get_by_role("option").filter(has_text=typed).first
    for attempt in range(3):  # on a busy machine the options may come with a later rerun
        _settle(pg)
        box.click()
        box.fill(typed)
        try:
            option.wait_for(state="attached", timeout=20_000)
            break
        except PlaywrightTimeout:
            box.press("Escape")
            if attempt == 2:
                raise
    box.press("Enter")  # the first option left is focused (a click may miss a list off screen)
    pg.wait_for_timeout(1500)
    assert typed in box.input_value(), f"{key}: {box.input_value()!r} chosen, not {typed!r}"


def _until(check: Callable[[], bool], what: str, pg, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        pg.wait_for_timeout(500)
    pg.screenshot(path=str(OUTPUT / "app_scenarios_failed.png"), full_page=True)
    pytest.fail(f"{what} never happened (tests/output/app_scenarios_failed.png)")


def _saved(workspace, name: str) -> Scenario:
    with Workspace(workspace) as ws:
        return ws.load(name)


def _boundary_file(folder) -> str:
    path = folder / "园区四至.geojson"
    gpd.GeoDataFrame(
        {"园区名称": list(BOUNDARIES)},
        geometry=[shapely.box(*bounds) for bounds in BOUNDARIES.values()],
        crs=4326,
    ).to_file(path, driver="GeoJSON")
    return str(path)


def _create(pg, name: str) -> None:
    pg.wait_for_selector("text=规划情景 Scenarios", timeout=60_000)
    pg.get_by_text("规划情景 Scenarios").first.click()
    pg.wait_for_selector("text=工作区文件", timeout=60_000)
    _fill(pg, "scn_author", "李工")
    if not _key(pg, "scn_new_name").is_visible():  # folded once the workspace has a scenario
        pg.get_by_text("新建情景 New scenario").click()
    _fill(pg, "scn_new_name", name)
    # "Create from the plan" while the workspace is empty; then "Create" (the start is chosen)
    create = re.compile(r"^(从规划新建 Create from the plan|新建 Create)$")
    pg.get_by_role("button", name=create).click()
    _wait_text(pg, f"已新建情景「{name}」")
    _settle(pg)


def _import(pg, workspace, name: str, file: str) -> None:
    pg.get_by_role("tab", name="导入边界 Import boundaries").click()
    _key(pg, "scn_import_file").locator("input[type=file]").set_input_files(file)
    _settle(pg)
    _wait_text(pg, "应用所选匹配")
    for row in (1, 2, 3):  # each file row's best match is ticked, waiting to be confirmed
        assert _key(pg, f"scn_use_{row}").locator("input").is_checked()
    pg.get_by_text("采用 Use 1").scroll_into_view_if_needed()
    pg.screenshot(path=str(OUTPUT / "app_scenarios_import.png"))
    _no_identifiers(pg)
    _fill(pg, "scn_import_reason", "市自然资源局提供的园区四至")
    pg.get_by_role("button", name="应用所选匹配 Apply the chosen matches").click()
    _until(lambda: len(_saved(workspace, name).edits) == 3, "the import save", pg)


def _edit(pg, workspace, name: str, action: str, count: int) -> None:
    """Save the edit set up on the page; wait until the workspace holds `count` edits."""
    _key(pg, f"scn_{action}_save").locator("button").click()
    _until(lambda: len(_saved(workspace, name).edits) == count, f"the {action} save", pg)
    _settle(pg)


def _move_remove_add(pg, workspace, name: str) -> None:
    pg.get_by_role("tab", name="编辑 Edit").click()
    _choose(pg, "scn_feature", "酒泉经济技术")
    _fill(pg, "scn_lon", "98.55")
    _fill(pg, "scn_lat", "39.77")
    _fill(pg, "scn_move_reason", "按酒泉市总体规划调整选址")
    _edit(pg, workspace, name, "move", 4)

    _key(pg, "scn_action").get_by_text("删除要素 Remove a feature").click()
    pg.wait_for_timeout(1500)
    _choose(pg, "scn_feature", "华亭工业园区")
    _fill(pg, "scn_remove_reason", "并入平凉工业园区")
    _edit(pg, workspace, name, "remove", 5)

    _key(pg, "scn_action").get_by_text("新增要素 Add a feature").click()
    _fill(pg, "scn_add_name", "武威黄羊工业园区")
    frame = _draw_frame(pg)
    frame.locator(".leaflet-draw-draw-circlemarker").click()
    where = frame.evaluate(
        "(() => { const p = window.map.latLngToContainerPoint([37.64, 102.72]);"
        " return [p.x, p.y]; })()"
    )
    box = frame.locator(".leaflet-container").first.bounding_box()
    pg.mouse.click(box["x"] + where[0], box["y"] + where[1])
    pg.wait_for_selector("text=使用图上所画的点", timeout=30_000)
    _fill(pg, "scn_add_reason", "武威市申报的新园区")
    _edit(pg, workspace, name, "add", 6)
    # a saved name and reason are not carried over to the next edit
    expect(_key(pg, "scn_add_name").locator("input")).to_have_value("", timeout=20_000)
    expect(_key(pg, "scn_add_reason").locator("input")).to_have_value("")
    pg.get_by_text("编辑记录 Edits").scroll_into_view_if_needed()
    pg.screenshot(path=str(OUTPUT / "app_scenarios_edits.png"))
    _no_identifiers(pg)


def _review(pg, workspace, name: str) -> None:
    pg.get_by_role("tab", name="审阅 Review").click()
    _settle(pg)
    for n, (typed, comment) in enumerate(
        (("酒泉经济技术", "同意调整"), ("武威黄羊", "同意新增，待省政府批复")), start=1
    ):
        _choose(pg, "scn_review_edit", typed)
        _fill(pg, "scn_review_text", comment)
        pg.get_by_role("button", name="提交审阅 Submit the review").click()
        _until(lambda n=n: len(_saved(workspace, name).reviews) == n, "a review", pg)
        pg.wait_for_timeout(2500)
    _choose(pg, "scn_comment_feature", "张掖经济技术")
    _fill(pg, "scn_comment_text", "四至与国土空间规划一致")
    pg.get_by_role("button", name="提交评论 Submit the comment").click()
    _until(lambda: len(_saved(workspace, name).reviews) == 3, "a feature comment", pg)
    pg.wait_for_timeout(2500)
    pg.get_by_text("审阅记录 Review history").scroll_into_view_if_needed()
    pg.screenshot(path=str(OUTPUT / "app_scenarios_review.png"))


def _assert_on_disk(workspace, name: str, file: str) -> None:
    scenario = _saved(workspace, name)
    names = scenario.layers["parks"].set_index("feature_id")["name_zh"]
    base = scenario.base["parks"].set_index("feature_id")["name_zh"]
    got = [
        (e.kind, base.get(e.feature_id, names.get(e.feature_id)), e.status) for e in scenario.edits
    ]
    assert sorted(got) == sorted(
        [
            ("reshape", "张掖经济技术开发区", "proposed"),
            ("reshape", "平凉工业园区", "proposed"),
            ("reshape", "白银高新技术产业开发区", "proposed"),
            ("move", "酒泉经济技术开发区", "accepted"),
            ("remove", "华亭工业园区", "proposed"),
            ("add", "武威黄羊工业园区", "accepted"),
        ]
    )
    imported = [e for e in scenario.edits if e.kind == "reshape"]
    assert {(e.source_file, e.how) for e in imported} == {(file, "imported")}
    assert sorted(e.source_feature for e in imported) == [1, 2, 3]
    parks = scenario.layers["parks"].set_index("name_zh")
    assert set(parks.loc[[names[e.feature_id] for e in imported], "precision"]) == {"site"}
    assert "华亭工业园区" not in parks.index
    comment = next(r for r in scenario.reviews if not r.edit_id)
    assert (names[comment.feature_id], comment.verdict, comment.reviewer) == (
        "张掖经济技术开发区",
        "comment",
        "李工",
    )


def _comparison(pg) -> pd.DataFrame:
    """The comparison's summary line checked, and its CSV as downloaded from the page."""
    summary = "新增 Added 1 · 删除 Removed 1 · 位置移动 Relocated 1 · 形状改变 New outline 3"
    pg.locator("iframe[title*='st_folium']").last.scroll_into_view_if_needed()
    pg.wait_for_timeout(4000)
    pg.screenshot(path=str(OUTPUT / "app_scenarios_redline.png"))
    pg.get_by_text("随所在园区一同变化的要素").click()
    pg.get_by_text(summary).first.scroll_into_view_if_needed()
    pg.wait_for_timeout(1500)
    pg.screenshot(path=str(OUTPUT / "app_scenarios_changes.png"))
    with pg.expect_download() as download:
        _key(pg, "scn_dl_csv").locator("button").click()
    return pd.read_csv(io.BytesIO(download.value.path().read_bytes()), encoding="utf-8-sig")


#: The text a user sees: visible text nodes, not inside icons (drawn from ligatures such as
#: "keyboard_arrow_right"), scripts or styles.
VISIBLE_TEXT = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const el = walk.currentNode.parentElement;
    if (!el || el.closest("[data-testid='stIconMaterial'], script, style, noscript")) continue;
    if (el.checkVisibility()) out.push(walk.currentNode.textContent);
  }
  return out.join("\\n");
}"""


def _visible_text(pg) -> str:
    """The page's visible text and that of its maps' frames."""
    frames = [pg.main_frame, *(f for f in pg.frames[1:] if f.url.startswith("http"))]
    return "\n".join(f.evaluate(VISIBLE_TEXT) for f in frames)


def _no_identifiers(pg) -> None:
    text = _visible_text(pg)
    assert "对比 Comparison" in text  # the text is read at all
    raw = SNAKE_CASE.findall(text)
    assert raw == [], f"identifiers on screen: {raw[:10]}"


def test_the_done_when_journey(page, workspace, tmp_path):
    name = "陇东试点"
    _create(page, name)
    _import(page, workspace, name, _boundary_file(tmp_path))
    _move_remove_add(page, workspace, name)
    _review(page, workspace, name)
    _assert_on_disk(workspace, name, "园区四至.geojson")

    table = _comparison(page)
    own = table[table["随所在园区 Following its park"].isna()]
    assert sorted(zip(own["变化 Change"], own["名称 Name"], strict=True)) == [
        ("位置移动 Relocated", "酒泉经济技术开发区"),
        ("删除 Removed", "华亭工业园区"),
        ("形状改变 New outline", "平凉工业园区"),
        ("形状改变 New outline", "张掖经济技术开发区"),
        ("形状改变 New outline", "白银高新技术产业开发区"),
        ("新增 Added", "武威黄羊工业园区"),
    ]
    assert set(own["图层 Layer"]) == {"园区 Parks and development zones"}

    _no_identifiers(page)  # the review tab open; the import and edit tabs were checked before
    assert page.js_errors == [], page.js_errors
    assert page.leaving == [], f"requests left 127.0.0.1: {page.leaving[:5]}"
