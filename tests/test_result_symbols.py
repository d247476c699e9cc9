"""One style for result maps: the app's map and the briefing's map colour a result alike.

`longtu.maps.result_symbols` decides which table is drawn, the colour of each feature and the
legend rows; the briefing (matplotlib) and the app (Folium) both draw from it. Checked on the
plan's own parks (clustering) and, when ../shared/reference is there, on the Global Power Plant
Database register (the built view, coloured by technology).
"""

from __future__ import annotations

import html

import folium
import matplotlib as mpl
import pandas as pd
import pytest
from conftest import REPO
from matplotlib.colors import to_hex

from longtu.analysis.clustering import run_clustering
from longtu.app_pages.analysis_page import _result_map
from longtu.maps.print.analysis_pages import analysis_map
from longtu.maps.print.fonts import print_rc
from longtu.maps.result_symbols import cluster_colour, result_symbols
from longtu.maps.style import TECHNOLOGY_COLOURS

GPPD = REPO.parent / "shared" / "reference" / "power" / "gansu_gppd_v130_with_capacity.csv"
needs_gppd = pytest.mark.skipif(not GPPD.is_file(), reason="../shared/reference is absent")


@pytest.fixture(scope="module")
def layers() -> dict:
    from longtu.analysis.built import BUILT_LAYERS
    from longtu.layout import load_layer, plan_layers

    plan = plan_layers()
    names = {*BUILT_LAYERS, "province", "counties"}
    return {**plan, **{name: load_layer(name) for name in names if name not in plan}}


@pytest.fixture(scope="module")
def clustering(layers):
    return run_clustering(layers, n_simulations=19, n_permutations=19, seed=1)


def test_clusters_of_the_plan_are_coloured_by_cluster_with_counts(clustering):
    symbols = result_symbols(clustering, language="en")
    assert symbols is not None and symbols.column == "cluster_id"
    ids = symbols.frame["cluster_id"].astype(int)
    assert symbols.colours == [cluster_colour(i) for i in ids]
    counts = ids.value_counts()  # independent count of the legend's numbers
    expected = [f"Cluster {i} ({counts[i]})" for i in sorted(counts.index) if i >= 0]
    if (ids < 0).any():
        expected.append(f"Isolated parks ({counts[-1]})")
    assert [label for _, label in symbols.entries] == expected


def test_paper_and_screen_draw_the_same_colours_and_legend(clustering):
    symbols = result_symbols(clustering)
    with mpl.rc_context(print_rc()):
        (fig,) = analysis_map(clustering, (8.27, 11.69), pd.Timestamp("2026-01-01").date())
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [label for _, label in symbols.entries]
    drawn = {to_hex(c) for c in fig.axes[0].collections[-1].get_facecolors()}
    assert drawn == set(symbols.colours)
    page = _result_map(clustering).get_root().render()
    for colour, label in symbols.entries:
        assert colour in page and html.escape(label) in page


@needs_gppd
def test_the_built_view_is_coloured_by_technology_on_screen(layers):
    from longtu.analysis.built import built_view
    from longtu.analysis.built.register import read_plant_register

    result = built_view(layers, read_plant_register(GPPD), register_name=GPPD.name)
    symbols = result_symbols(result, language="en")
    assert symbols.column == "technology"
    techs = symbols.frame["technology"]
    assert symbols.colours == [TECHNOLOGY_COLOURS[t] for t in techs]
    assert {label.split(" (")[0] for _, label in symbols.entries} == {"PV", "Wind"}
    fmap = _result_map(result)
    (drawn,) = [
        c
        for c in fmap._children.values()
        if isinstance(c, folium.GeoJson) and c.layer_name == "分析结果 Result"
    ]
    colours = {f["properties"]["colour"] for f in drawn.data["features"]}
    assert colours == {TECHNOLOGY_COLOURS["pv"], TECHNOLOGY_COLOURS["wind"]}


@needs_gppd
def test_built_footprints_are_drawn_over_the_plan_base_regions(layers):
    """The plan's bases (the regions each is counted over) under the footprints, dashed."""
    from longtu.analysis.built import built_view
    from longtu.analysis.built.register import read_plant_register

    result = built_view(layers, read_plant_register(GPPD), register_name=GPPD.name)
    symbols = result_symbols(result, language="en")
    bases = result.tables["built_bases"]
    assert symbols.context is not None and len(symbols.context.frame) == len(bases)
    assert symbols.context.colours == [TECHNOLOGY_COLOURS[t] for t in bases["technology"]]
    counted = [int(label.rsplit("(", 1)[1].rstrip(")")) for _, label in symbols.context.entries]
    assert sum(counted) == len(bases)  # every base in one legend row, by technology
    with mpl.rc_context(print_rc()):
        (fig,) = analysis_map(result, (8.27, 11.69), pd.Timestamp("2026-01-01").date())
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    heading = legend.index("规划基地计数区域（虚线） Plan base regions (dashed)")
    assert legend[heading + 1 :] == [label for _, label in result_symbols(result).context.entries]
    fmap = _result_map(result)
    names = [c.layer_name for c in fmap._children.values() if isinstance(c, folium.GeoJson)]
    assert names.index("规划基地区域 Plan base regions") < names.index("分析结果 Result")
