"""The view survives a change of page and travels in the URL (query parameters)."""

from __future__ import annotations

from conftest import REPO
from streamlit.testing.v1 import AppTest

APP = str(REPO / "app.py")


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_filters_layers_and_search_survive_another_page():
    at = _app()
    at.toggle(key="show_tables").set_value(True).run()
    at.multiselect(key="zones").set_value(["zone_hexi"]).run()
    at.text_input(key="query").set_value("酒泉").run()
    at.checkbox(key="layer_counties").check().run()
    parks = len(at.dataframe[0].value)
    at.radio(key="page").set_value("analyses").run()
    at.radio(key="page").set_value("layout").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="zones").value == ["zone_hexi"]
    assert at.text_input(key="query").value == "酒泉"
    assert at.checkbox(key="layer_counties").value is True
    assert len(at.dataframe[0].value) == parks  # the tables, asked for, are still there
    assert not at.warning or all("Session State" not in w.value for w in at.warning)


def test_the_view_is_written_to_the_url_and_read_back():
    at = _app()
    at.multiselect(key="zones").set_value(["zone_hexi"]).run()
    at.multiselect(key="techs").set_value(["pv"]).run()
    at.checkbox(key="layer_hillshade").uncheck().run()
    at.radio(key="language").set_value("en").run()
    params = dict(at.query_params)
    assert params["zones"] == ["zone_hexi"] or params["zones"] == "zone_hexi"
    shared = {k: v if isinstance(v, str) else ",".join(v) for k, v in params.items()}
    assert shared["lang"] == "en" and "hillshade" not in shared["layers"].split(",")
    opened = _app(**shared)  # another person opens the link
    assert opened.multiselect(key="zones").value == ["zone_hexi"]
    assert opened.multiselect(key="techs").value == ["pv"]
    assert opened.checkbox(key="layer_hillshade").value is False
    assert opened.radio(key="language").value == "en"
    counts = [c.value for c in at.caption if "energy sites" in c.value]
    assert counts and counts == [c.value for c in opened.caption if "energy sites" in c.value]
    assert "8 energy sites" in counts[0]  # the PV bases of the Hexi zone


def test_a_url_naming_what_does_not_exist_is_ignored():
    opened = _app(zones="zone_nowhere,zone_hexi", page="no_such_page", techs="coal,pv")
    assert opened.multiselect(key="zones").value == ["zone_hexi"]
    assert opened.multiselect(key="techs").value == ["pv"]
    assert opened.radio(key="page").value == "layout"


def test_export_page_gets_the_view_from_a_shared_link():
    opened = _app(zones="zone_hexi", page="export")
    assert opened.selectbox(key="export_extent").value == "zone:zone_hexi"
