"""陇图 Longtu — the Streamlit app: page selection and settings; each page in its own module.

Run from a checkout with ``streamlit run app.py`` (which calls :func:`run`), or from an installed
package with ``longtu app`` (which runs this file: Streamlit executes it as ``__main__``).
Everything it shows comes from ``longtu.layout``, ``longtu.analysis`` and ``longtu.maps``. Works
with no internet: Leaflet is served by the app itself and the default base map is drawn from the
bundled layers.
"""

from __future__ import annotations

import streamlit as st

from longtu.app_pages import (
    analysis_page,
    constraints_page,
    export_page,
    layout_page,
    scenario_page,
    view_state,
)
from longtu.app_pages.common import (
    input_hint_css,
    language,
    page_font_css,
    scenario_in_use_note,
    t,
    uploader_css,
)

PAGES = {
    "layout": ("布局图", "Layout map", layout_page.render),
    "analyses": ("空间分析", "Analyses", analysis_page.render),
    "constraints": ("约束审查", "Constraint review", constraints_page.render),
    "export": ("导出", "Export", export_page.render),
    "scenarios": ("规划情景", "Scenarios", scenario_page.render),
}


def _sidebar() -> str:
    st.sidebar.title("陇图 Longtu")
    st.sidebar.caption("甘肃省产业布局规划图 · Gansu industrial-layout planning")
    st.sidebar.radio(
        "语言 Language",
        ["zh", "en"],
        format_func=lambda v: "中文（附英文）" if v == "zh" else "English",
        key="language",
        horizontal=True,
        on_change=view_state.relabel,
    )
    page: str = st.sidebar.radio(
        t("页面", "Page"),
        list(PAGES),
        format_func=lambda k: t(PAGES[k][0], PAGES[k][1]),
        key="page",
    )
    names = {
        "none": t("离线底图（本地数据）", "Offline (bundled data)"),
        "osm": t("OpenStreetMap（需联网）", "OpenStreetMap (online)"),
        "tianditu": t("天地图（需联网与密钥）", "Tianditu (online, key)"),
    }
    # A popover, not an expander: the browser draws its widgets only when it is opened.
    with st.sidebar.popover(t("底图", "Base map"), icon=":material/map:", width="stretch"):
        st.radio(t("底图", "Base map"), list(names), key="tiles", format_func=names.__getitem__)
        if st.session_state.get("tiles") == "tianditu":
            st.text_input(t("天地图密钥", "Tianditu key"), key="tianditu_key", type="password")
        st.caption(
            t(
                "高德瓦片为 GCJ-02 偏移坐标，不提供。",
                "Amap tiles (GCJ-02-shifted) are not offered.",
            )
        )
    st.sidebar.caption(names[st.session_state.get("tiles", "none")])
    return page


def run() -> None:
    """One run of the app script: page settings, the sidebar, then the chosen page."""
    st.set_page_config(page_title="陇图 Longtu", page_icon="🗺️", layout="wide")
    view_state.keep()
    view_state.restore_from_url(list(PAGES))
    # Chinese without a CJK font on the computer; Streamlit's own words (the uploaders' button,
    # the typing hint) in the page's language.
    lang = language()
    st.html(f"<style>{page_font_css()}{uploader_css(lang)}{input_hint_css(lang)}</style>")
    page = _sidebar()
    if page != "scenarios":
        scenario_in_use_note()
    PAGES[page][2]()
    view_state.write_url()


if __name__ == "__main__":
    run()
