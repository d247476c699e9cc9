"""Issue 17 in a real browser: a bad file uploaded on the access page is refused in Chinese.

``streamlit run app.py`` as the README says, Debian's Chromium driven by Playwright, the network
cut off (tests/browser_helpers.py). The person opens the analyses page in the default
interface (Chinese with English beside), chooses transport access and uploads a text file
named ``.osm.pbf``: the page says, in Chinese, that the file is not an OpenStreetMap extract.
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

REFUSAL = (
    "gansu.osm.pbf：无法使用。不是 OpenStreetMap 路网数据（文件开头既无 PBF 头也无 OSM XML）；"
    "请改用 .osm.pbf 或 .osm 文件。"
)


def test_a_text_file_named_pbf_is_refused_in_chinese_on_screen(tmp_path):
    bad = tmp_path / "gansu.osm.pbf"
    bad.write_text("<html>404 not found</html>\n" * 20, encoding="utf-8")
    with app_server() as url, offline_page(f"{url}/?page=analyses") as page:
        try:
            page.get_by_text("交通可达性 Transport access").first.click(timeout=120_000)
            uploader = page.locator(".st-key-access_osm input[type=file]")
            uploader.set_input_files(str(bad), timeout=60_000)
            alert = page.locator("[data-testid='stAlertContentError']").filter(
                has_text="gansu.osm.pbf"
            )
            alert.first.wait_for(timeout=60_000)
            shown = alert.first.inner_text()
        except Exception:
            page.screenshot(path=str(OUTPUT / "bad_input_access_failed.png"), full_page=True)
            raise
        page.screenshot(path=str(OUTPUT / "bad_input_access.png"), full_page=True)
        assert shown.strip() == REFUSAL
        assert "not an OpenStreetMap extract" not in page.content()  # no English left over
        assert page.leaving == [] and page.js_errors == []
