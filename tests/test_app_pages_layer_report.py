"""A report of the map's own layer box ticks the sidebar's boxes, even if a run is cut short.

Streamlit starts each run from the widget values the browser sends; a run stopped by the
person's next change before it drew the boxes leaves the browser with the old ones, which the
next run would take back. The page applies the map's last report in every run until one run
ends (layer_boxes: layers_from_map, tick_boxes_from_map, map_report_drawn).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    """The layer boxes as the layout page draws them, the map's value under the key "map"."""
    import streamlit as st

    from longtu.app_pages import layer_boxes

    if st.session_state.get("report"):  # the map's value changed: its on_change
        st.session_state["map"] = st.session_state.pop("report")
        layer_boxes.layers_from_map("map")
    layer_boxes.tick_boxes_from_map()
    for key, _, _, default in layer_boxes.LAYER_TREE:
        st.session_state.setdefault(f"layer_{key}", default)
        st.checkbox(key, key=f"layer_{key}")
    if st.session_state.get("cut_short"):
        st.stop()  # the run ends before the page's end, as when the next change stops it
    layer_boxes.map_report_drawn()


def _boxes(at: AppTest) -> set[str]:
    return {box.label for box in at.checkbox if box.value}


def _report(at: AppTest, changes: dict[str, bool], when: int) -> None:
    at.session_state["report"] = {"longtu_changes": changes, "longtu_layers_at": when}


def test_a_report_ticks_the_boxes_once():
    at = AppTest.from_function(_page, default_timeout=60).run()
    assert _boxes(at) == {"economic_zones", "parks", "energy_sites", "hillshade"}
    _report(at, {"parks": False, "counties": True}, when=1)
    at.run()
    assert _boxes(at) == {"economic_zones", "energy_sites", "counties", "hillshade"}
    at.checkbox(key="layer_parks").check().run()  # then the sidebar's own box
    _report(at, {"parks": False, "counties": True}, when=1)
    at.run()  # the same report again (a click on the map sends it with the click)
    assert "parks" in _boxes(at)  # taken once: the box ticked since stays ticked


def test_a_report_whose_run_was_cut_short_is_applied_by_the_next_run():
    at = AppTest.from_function(_page, default_timeout=60).run()
    at.session_state["cut_short"] = True
    _report(at, {"parks": False, "counties": True}, when=7)
    at.run()
    # The next run starts from the boxes as the browser still shows them: the old ones.
    at.session_state["cut_short"] = False
    at.checkbox(key="layer_parks").check()
    at.checkbox(key="layer_counties").uncheck()
    at.run()
    assert not at.exception, at.exception
    assert _boxes(at) == {"economic_zones", "energy_sites", "counties", "hillshade"}
    at.checkbox(key="layer_parks").check().run()  # that run ended: the person's box counts
    assert "parks" in _boxes(at)


def test_a_report_changes_only_the_boxes_ticked_in_the_map():
    at = AppTest.from_function(_page, default_timeout=60).run()
    at.checkbox(key="layer_parks").uncheck()  # in the sidebar; the map has not heard yet
    _report(at, {"counties": True}, when=3)  # meanwhile, in the map's own box
    at.run()
    assert _boxes(at) == {"economic_zones", "energy_sites", "counties", "hillshade"}
    _report(at, {"counties": True, "no_such_layer": True}, when=4)
    at.run()
    assert not at.exception, at.exception
