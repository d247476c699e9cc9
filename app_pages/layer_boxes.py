"""The layout map's layers: the layer tree, and the sidebar's boxes kept with the map's own.

:data:`LAYER_TREE` lists the layers the layout map offers, in the sidebar's order. The map's own
layer box reports what the person ticked there (:func:`layers_from_map`, the map's
``on_change``); :func:`tick_boxes_from_map` sets the sidebar's boxes from that report at the
start of every run until one run has drawn it (:func:`map_report_drawn`), so that the boxes, the
map and the URL hold one state even when a run is cut short by the next change.
"""

from __future__ import annotations

import streamlit as st

#: Layers of the layout map: key, Chinese, English, shown by default.
LAYER_TREE: list[tuple[str, str, str, bool]] = [
    ("economic_zones", "经济区", "Economic zones", True),
    ("sub_areas", "片区", "Sub-areas", False),
    ("industrial_bases", "产业基地", "Industrial bases", False),
    ("parks", "园区", "Parks", True),
    ("energy_sites", "能源基地", "Energy sites", True),
    ("industry_chains", "产业链", "Industry chains", False),
    ("other_features", "其他要素", "Other features", False),
    ("counties", "县区界", "Counties", False),
    ("hillshade", "地形晕渲", "Hillshade", True),
    ("land_cover", "土地覆被", "Land cover", False),
]


#: Session keys: the last report of the map's layer box received (its ``longtu_layers_at``),
#: and the boxes it changed (layer key -> on) while no run of the page has drawn them to its end.
MAP_REPORT_AT = "_map_layers_at"
MAP_REPORT_PENDING = "_map_layers_pending"


def layers_from_map(map_key: str) -> None:
    """Take a new report of the map's own layer box (the map's ``on_change``).

    ``static/longtu/view.js`` reports the boxes ticked or unticked in the map since the page
    last took a report (``longtu_changes``: layer key -> on) and when (``longtu_layers_at``),
    in the value of the map kept under `map_key`; every value it sends carries the last
    report, so only a new one is taken. Only what changed in the map is set: a box ticked in
    the sidebar meanwhile stays as the person left it. The sidebar's boxes are set from it by
    :func:`tick_boxes_from_map` in each run until one run draws them to its end.
    """
    value = st.session_state.get(map_key) or {}
    changes, at = value.get("longtu_changes"), value.get("longtu_layers_at")
    if not isinstance(changes, dict) or at == st.session_state.get(MAP_REPORT_AT):
        return  # another change on the map (a click), or a report already taken
    st.session_state[MAP_REPORT_AT] = at
    known = {key for key, _, _, _ in LAYER_TREE}
    st.session_state[MAP_REPORT_PENDING] = {
        key: bool(on) for key, on in changes.items() if key in known
    }


def tick_boxes_from_map() -> None:
    """Tick the sidebar's layer boxes as the person ticked the map's layer box (run start).

    Setting the boxes in ``on_change`` alone lost the change when the run was stopped by the
    next change before it had drawn the boxes: Streamlit starts the next run from the boxes
    the browser still shows, the old ones. The report is applied again in each run until one
    run ends (:func:`map_report_drawn`), so the boxes, the map and the URL hold one state.
    """
    for key, on in (st.session_state.get(MAP_REPORT_PENDING) or {}).items():
        st.session_state[f"layer_{key}"] = on


def map_report_drawn() -> None:
    """The run has drawn the boxes and the map with the last report: stop applying it."""
    st.session_state.pop(MAP_REPORT_PENDING, None)
