"""The view a person set up (page, language, layers, filters, map view): kept and shareable.

Streamlit forgets the state of a widget that a run does not draw, so going to another page
reset the layout's filters, layers and search. :func:`keep` re-assigns those keys at the start
of every run, which keeps them (Streamlit's documented way). :func:`write_url` puts the view in
the page's URL (query parameters) and :func:`restore_from_url` reads it back once, when a
session opens a shared link; a value the URL names that is not an option is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from longtu.app_pages.common import cached_layer, cached_plan_layers
from longtu.app_pages.layer_boxes import LAYER_TREE
from longtu.maps.style import PARK_LEVEL_LABELS, TECHNOLOGY_LABELS

#: Keys of the layout page's widgets (and the map view) kept across pages.
LAYER_KEYS = tuple(f"layer_{key}" for key, _, _, _ in LAYER_TREE)
KEPT = (
    "language",
    "page",
    "tiles",
    "query",
    "zones",
    "prefs",
    "industry",
    "chain",
    "levels",
    "techs",
    "show_tables",
    *LAYER_KEYS,
)
#: URL parameter -> session key of the values that are lists.
LIST_PARAMS = {"zones": "zones", "prefs": "prefs", "levels": "levels", "techs": "techs"}
#: URL parameter -> session key of the values that are one word.
TEXT_PARAMS = {"page": "page", "lang": "language", "q": "query", "industry": "industry"}


def keep() -> None:
    """Keep the view's widget state through runs that do not draw those widgets."""
    for key in KEPT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def relabel() -> None:
    """After a change of language, send every choice again so that its box shows it reworded.

    Streamlit 1.67 keeps showing a keyed selectbox's or multiselect's choice as it was worded
    when chosen ("全省 Whole province" in English; streamlit/streamlit#13788); a value assigned
    through the session state is sent again, worded by this run's ``format_func``. The language
    radio calls this as its ``on_change``: assigned in a callback, a widget created with a
    default does not warn (nor, with ``global.disableWidgetStateDuplicationWarning`` in
    .streamlit/config.toml, in the server's log). Only values a choice can hold are assigned
    (a word, or a list of words or numbers): a lone number is a number box's, never reworded;
    buttons and uploaders, whose values cannot be assigned, hold none.
    """
    for key, value in list(st.session_state.items()):
        if _a_choice(value):
            st.session_state[key] = value


def _a_choice(value: object) -> bool:
    """Whether `value` is what a choice widget holds: a word, or a list of words or numbers.

    Examples
    --------
    >>> _a_choice("zone:hexi"), _a_choice(["a", 3]), _a_choice([]), _a_choice(False)
    (True, True, False, False)
    >>> _a_choice(103.7)  # a number box's value: nothing to reword
    False
    """
    if isinstance(value, list):
        plain = (isinstance(v, str | int | float) and not isinstance(v, bool) for v in value)
        return bool(value) and all(plain)
    return isinstance(value, str)


def view_params() -> dict[str, str]:
    """The current view as URL query parameters (only what differs from the defaults)."""
    state = st.session_state
    params: dict[str, str] = {}
    defaults = {"page": "layout", "lang": "zh"}
    for param, key in TEXT_PARAMS.items():
        value = state.get(key)
        if value and value != defaults.get(param):
            params[param] = str(value)
    for param, key in LIST_PARAMS.items():
        if state.get(key):
            params[param] = ",".join(state[key])
    if state.get("chain"):
        params["chain"] = state["chain"]
    on = [key for key, _, _, default in LAYER_TREE if state.get(f"layer_{key}", default)]
    if on != [key for key, _, _, default in LAYER_TREE if default]:
        params["layers"] = ",".join(on)
    return params


def write_url() -> None:
    """Put the current view in the page's URL, so it can be bookmarked or sent."""
    params = view_params()
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def url_options(pages: Sequence[str]) -> dict[str, list[str]]:
    """Session key -> the values its widget offers (what a URL may set)."""
    plan = cached_plan_layers()
    zones, chains = plan["economic_zones"], plan["industry_chains"]
    return {
        "page": list(pages),
        "language": ["zh", "en"],
        "zones": list(zones.loc[zones["level"] == "zone", "feature_id"]),
        "prefs": list(cached_layer("prefectures")["adcode"]),
        "levels": list(PARK_LEVEL_LABELS),
        "techs": list(TECHNOLOGY_LABELS),
        "chain": list(chains.loc[chains["park_ids"] != "", "feature_id"]),
    }


def restore_from_url(pages: Sequence[str]) -> None:
    """Set the view from the URL's query parameters, once per session, before widgets exist.

    A value that its widget does not offer (a zone that does not exist...) is ignored.
    """
    if st.session_state.get("_view_from_url"):
        return
    st.session_state["_view_from_url"] = True
    query = st.query_params
    if not query:
        return
    options: Mapping[str, Sequence[str]] = url_options(pages)
    for param, key in TEXT_PARAMS.items():
        value = query.get(param)
        if value and (key not in options or value in options[key]):
            st.session_state[key] = value
    for param, key in LIST_PARAMS.items():
        if param in query:
            values = [v for v in query[param].split(",") if v in options.get(key, ())]
            st.session_state[key] = values
    if query.get("chain") in options.get("chain", ()):
        st.session_state["chain"] = query["chain"]
    if "layers" in query:
        on = set(query["layers"].split(","))
        for key, _, _, _ in LAYER_TREE:
            st.session_state[f"layer_{key}"] = key in on
