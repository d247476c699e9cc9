"""The Streamlit app through streamlit.testing (the real page: tests/test_app_pages_browser.py)."""

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import REPO
from streamlit.testing.v1 import AppTest

from longtu.maps.web import coverage

APP = str(REPO / "app.py")


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def tables(app):
    """The layout page with its tables listed (they are drawn on demand)."""
    assert len(app.dataframe) == 0  # the page opens without them
    app.toggle(key="show_tables").set_value(True).run()
    assert not app.exception, app.exception
    return app


def test_layout_page_renders_with_counts(tables):
    captions = " ".join(c.value for c in tables.caption)
    assert "园区" in captions and "能源基地" in captions
    assert len(tables.dataframe) == 2  # parks and energy sites tables
    # Lists read as lists: 石油化工、装备制造, not the plan table's "石油化工;装备制造".
    cells = [c for frame in tables.dataframe for c in frame.value.astype(str).to_numpy().ravel()]
    assert [c for c in cells if re.search(r"[\u4e00-\u9fff];[\u4e00-\u9fff]", c)] == []
    lead = tables.dataframe[0].value["主导产业 Lead industries"]
    assert lead.str.contains("、").any()


def test_zone_filter_narrows_parks(tables):
    parks_before = len(tables.dataframe[0].value)
    tables.multiselect(key="zones").set_value(["zone_hexi"]).run()
    parks_after = tables.dataframe[0].value
    assert 0 < len(parks_after) < parks_before
    hexi = ("嘉峪关市", "金昌市", "武威市", "张掖市", "酒泉市")  # prefectures named, not coded
    assert all(any(p in cell for p in hexi) for cell in parks_after["市州 Prefecture"])
    assert not any(c.isdigit() for c in "".join(parks_after["市州 Prefecture"]))
    # said under the filters' button, and cleared in one click (the search is kept)
    tables.text_input(key="query").set_value("酒泉").run()
    sidebar = [c.value for c in tables.sidebar.caption]
    assert "已按经济区筛选 Filtered by economic zone" in sidebar
    tables.button(key="clear_filters").click().run()
    assert tables.multiselect(key="zones").value == []
    assert "未筛选 No filter" in [c.value for c in tables.sidebar.caption]
    assert not [b for b in tables.button if b.key == "clear_filters"]
    assert tables.text_input(key="query").value == "酒泉"


def test_search_by_pinyin_and_chinese(tables):
    tables.text_input(key="query").set_value("jiayuguan").run()
    names = set(tables.dataframe[0].value["名称 Name"])
    assert names and all("嘉峪关" in n or "嘉" in n or "酒钢" in n for n in names)
    tables.text_input(key="query").set_value("兰州新区").run()
    found = tables.dataframe[0].value
    assert "兰州新区" in set(found["名称 Name"])
    assert len(found) < 15  # the new area and the parks inside it or named after it


def test_english_switch(app):
    app.radio(key="language").set_value("en").run()
    assert not app.exception
    assert any("parks" in c.value for c in app.caption)
    assert all("园区" not in c.value for c in app.caption)


def test_technology_filter(tables):
    tables.multiselect(key="techs").set_value(["pv"]).run()
    sites = tables.dataframe[1].value
    assert len(sites) == 8 and set(sites["技术 Technology"]) == {"光伏 PV"}


def test_analysis_page_offers_exactly_its_six_analyses(app):
    app.radio(key="page").set_value("analyses").run()
    assert app.radio(key="analysis").options == [
        "产业集聚 Clustering",
        "资源与地形适宜性 Resource fit",
        "以水定产 Water fit",
        "适宜性评价（多准则） Suitability (MCDA)",
        "交通可达性 Transport access",
        "规划与建成对照 Plan against what was built",
    ]


@pytest.mark.parametrize("name", ["clustering", "resource", "water", "suitability"])
def test_analyses_run_from_the_page(app, name):
    app.radio(key="page").set_value("analyses").run()
    app.radio(key="analysis").set_value(name).run()
    app.button(key=f"run_{name}").click().run()
    assert not app.exception, app.exception
    assert len(app.success) == 1
    assert len(app.dataframe) >= 2
    labels = [b.label for b in app.get("download_button")]
    assert any("下载全部结果" in label for label in labels)


def test_constraint_page_builtin_layers_and_siting(app):
    app.radio(key="page").set_value("constraints").run()
    assert any("请上传约束图层" in i.value for i in app.info)
    app.checkbox(key="bi_plateau").check().run()
    app.button(key="run_constraints").click().run()
    assert not app.exception, app.exception
    assert "冲突" in app.success[0].value
    # English beside the Chinese, as every analysis's summary is (it was Chinese only here)
    assert any("conflict" in c.value and "constraint layer" in c.value for c in app.caption)
    table = app.dataframe[0].value
    severity = table["冲突程度 Severity"]
    assert set(severity) <= {"冲突 conflict", "邻近 near", "无冲突 clear"}
    assert (severity == "冲突 conflict").any()  # Gannan lies on the plateau
    ranks = severity.map({"冲突 conflict": 0, "邻近 near": 1, "无冲突 clear": 2})
    assert ranks.is_monotonic_increasing  # conflicts first, then near, then clear
    layers = set(table["约束图层 Constraint layer"])
    assert layers == {"青藏高原（甘肃境内） Tibetan Plateau (in Gansu)"}  # words, not a key
    app.number_input(key="site_lon").set_value(102.9).run()
    app.number_input(key="site_lat").set_value(34.98).run()  # 合作市, on the plateau
    app.selectbox(key="site_industry").set_value("nonferrous").run()
    app.button(key="run_site").click().run()
    assert not app.exception, app.exception
    assert any("不符合" in e.value for e in app.error)


def test_a_search_with_no_hits_empties_the_tables_without_error(tables):
    tables.text_input(key="query").set_value("没有这个园区xyz").run()
    assert not tables.exception, tables.exception
    assert len(tables.dataframe[0].value) == 0 and len(tables.dataframe[1].value) == 0
    assert any("没有要素符合" in w.value and "没有这个园区xyz" in w.value for w in tables.warning)


def test_tables_read_as_words_not_identifiers(tables):
    parks = tables.dataframe[0].value
    assert "name_zh" not in parks.columns and "source_refs" not in parks.columns
    sources = "".join(parks["规划出处 Plan source"])
    assert "《甘肃省“十三五”工业转型升级规划》第" in sources and ".txt" not in sources
    assert "级别未载明 Level not stated" in set(parks["级别 Level"])
    assert "unknown" not in set(parks["级别 Level"]) and "other" not in set(parks["类型 Kind"])


def test_search_by_a_place_finds_the_features_in_it(tables):
    tables.text_input(key="query").set_value("酒泉").run()
    sites = set(tables.dataframe[1].value["名称 Name"])
    assert "酒泉千万千瓦级风电基地" in sites, sites
    # a name that names no county: drawn at 兰州新区, which lies in 永登县
    tables.text_input(key="query").set_value("永登").run()
    sites = set(tables.dataframe[1].value["名称 Name"])
    assert sites == {"兰州石化环保搬迁改造项目"}, sites


def test_export_page_hands_over_the_current_view_and_makes_a_pdf(app):
    app.multiselect(key="zones").set_value(["zone_hexi"]).run()
    app.radio(key="page").set_value("export").run()
    assert not app.exception, app.exception
    assert app.selectbox(key="export_extent").value == "zone:zone_hexi"
    assert any(
        c.value.startswith("尚未运行分析：在「空间分析」或「约束审查」页运行后")
        for c in app.caption
    )
    app.button(key="run_page").click().run()
    assert not app.exception, app.exception
    assert len(app.get("imgs")) >= 1 or len(app.get("image")) >= 1


def _zip_bytes(entries):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_bad_uploads_give_clear_errors_and_the_good_layer_still_loads(app):
    import json

    good = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name_zh": "测试红线"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [
                                [103.4, 35.8],
                                [104.2, 35.8],
                                [104.2, 36.4],
                                [103.4, 36.4],
                                [103.4, 35.8],
                            ]
                        ],
                    },
                }
            ],
        },
        ensure_ascii=False,
    ).encode("utf-8")
    escape = _zip_bytes({"../evil.shp": b"x", "ok.dbf": b"y"})
    app.radio(key="page").set_value("constraints").run()
    app.file_uploader(key="constraint_files").set_value(
        [
            ("红线.geojson", good, "application/geo+json"),
            (
                "broken.geojson",
                b'{"type": "FeatureCollection", "features": [',
                "application/geo+json",
            ),
            ("trap.zip", escape, "application/zip"),
        ]
    ).run()
    assert not app.exception, app.exception
    errors = " ".join(e.value for e in app.error)
    assert "broken.geojson" in errors and "trap.zip" in errors
    assert any("红线.geojson" in c.value for c in app.caption)
    app.button(key="run_constraints").click().run()
    assert not app.exception, app.exception
    assert "1 个约束图层" in app.success[0].value


def test_land_cover_layer_and_its_legend(app):
    app.checkbox(key="layer_land_cover").check().run()
    assert not app.exception, app.exception
    from longtu.app_pages.layout_page import LAYER_TREE, MapRequest, build_layout_map

    request = MapRequest(("land_cover",), (), (), "", "", (), (), "", "zh", "none", "")
    html = build_layout_map(request).get_root().render()
    assert "裸地 Barren" in html and "草地 Grassland" in html  # legend rows of the classes shown
    assert "Land cover MODIS 2019" in html  # the layer in the layer control
    assert any(key == "land_cover" for key, *_ in LAYER_TREE)


def test_water_page_offers_editable_quotas_capacities_and_caps(app):
    app.radio(key="page").set_value("analyses").run()
    app.radio(key="analysis").set_value("water").run()
    assert not app.exception, app.exception
    reference, quotas, capacities, caps = (frame.value for frame in app.dataframe[:4])
    # empty cells drawn blank in the editors (to be typed in), "—" in the reference table
    assert [f.proto.placeholder for f in app.dataframe[:4]] == ["—", "", "", ""]
    assert all(f.proto.HasField("placeholder") for f in app.dataframe[:4])  # else "None"
    assert set(reference["checked_against_standard"]) == {"否 no"}  # shown, not used
    assert "reference_id" not in reference and "read_via" not in reference  # no keys, no hashes
    assert "note" not in reference and reference["note_zh"].str.contains("[\u4e00-\u9fff]").all()
    assert quotas["water_m3_per_t"].isna().all()  # no quota invented: the user types them
    assert {"output_t_per_yr", "output_mwh_per_yr"} <= set(capacities.columns)
    assert capacities["county_adcode"].str.fullmatch(r"(\d{6})?").all()  # prefilled where known
    assert caps["cap_1e4_m3_per_yr"].isna().all()
    app.button(key="run_water").click().run()
    assert not app.exception, app.exception
    assert "未知" in app.success[0].value


def test_water_page_uses_a_transcribed_quota_only_when_picked(app):
    app.radio(key="page").set_value("analyses").run()
    app.radio(key="analysis").set_value("water").run()
    app.multiselect(key="quota_picks").set_value(["coal_to_methanol_new"]).run()
    assert not app.exception, app.exception
    quotas = app.dataframe[1].value.set_index("industry_key")
    assert quotas.loc["coal_to_methanol", "water_m3_per_t"] == 11.0
    assert quotas.loc["coal_to_methanol", "value_source"].startswith("转录值，未经标准原文核对")
    assert quotas.drop(index="coal_to_methanol")["water_m3_per_t"].isna().all()


def _upload(app, files):
    app.radio(key="page").set_value("constraints").run()
    app.file_uploader(key="constraint_files").set_value(files).run()
    assert not app.exception, app.exception


def _feature_collection(ring) -> bytes:
    import json

    geometry = {"type": "Polygon", "coordinates": [ring]}
    feature = {"type": "Feature", "properties": {}, "geometry": geometry}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def test_unusable_uploads_say_so_in_the_interface_language_without_paths(app):
    """Issue 17, tracebacks: the CLI's messages, Chinese first, no temporary folder shown."""
    nan = _feature_collection([["NaN", 39], [99, 39], [99, 41], [94, 41], ["NaN", 39]])
    _upload(
        app,
        [
            ("nan.geojson", nan.replace(b'"NaN"', b"NaN"), "application/geo+json"),
            ("text.tif", b"not a GeoTIFF\n" * 40, "image/tiff"),
        ],
    )
    errors = [e.value for e in app.error]
    expected = "没有一个要素的坐标可用（NaN 坐标或破损的环）；请在 GIS 中重新导出。"
    assert errors[0] == f"nan.geojson：无法使用。{expected}"
    assert errors[1].startswith("text.tif：无法使用。不是可读的 GeoTIFF 栅格")
    assert not any("longtu_upload_" in e or "/tmp" in e or "Traceback" in e for e in errors)
    assert not any("`" in e or "crs=" in e or "GDAL" in e for e in errors)


def test_a_layer_outside_gansu_is_warned_about_in_the_app(app):
    """Issue 17, results that lie: the swapped layer is flagged on upload and in the summary."""
    swapped = _feature_collection([[39, 94], [39, 99], [41, 99], [41, 94], [39, 94]])
    _upload(app, [("swapped.geojson", swapped, "application/geo+json")])
    warning = app.warning[0].value  # Chinese first, the English beside it
    assert warning.startswith(
        "swapped.geojson：警告 warning: swapped.geojson 与甘肃省不重叠：经度 39～41，纬度 94～99；"
        "经度与纬度似乎填反了"
    ), warning
    assert "the longitude and latitude look swapped" in warning
    app.button(key="run_constraints").click().run()
    assert not app.exception, app.exception
    assert "警告：图层 swapped 与甘肃省不重叠" in app.warning[-1].value
    assert not app.success


def test_repairs_of_an_upload_are_listed_in_the_app(app):
    """Issue 17, silent repairs: what was repaired or dropped is said per file."""
    bowtie = _feature_collection([[94, 39], [99, 41], [99, 39], [94, 41], [94, 39]])
    _upload(app, [("bowtie.geojson", bowtie, "application/geo+json")])
    captions = [c.value for c in app.caption]
    assert (
        "bowtie.geojson：已修复 repaired: 1 个要素（第 1 行）的几何无效（如自相交），已修复 "
        "1 feature(s) (rows 1) invalid (e.g. self-intersecting): made valid"
    ) in captions


SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
"""An identifier such as ``clark_evans_p_all`` or ``ecological_red_line``."""


def _visible_text(app) -> list[str]:
    """What a person reads on the page: text, labels, tab names and table headings."""
    texts = []
    for kind in ("markdown", "caption", "success", "info", "warning", "error", "subheader"):
        texts += [element.value for element in app.get(kind)]
    texts += [tab.label for tab in app.tabs]
    for kind in ("button", "download_button", "checkbox", "radio", "selectbox", "multiselect"):
        texts += [element.label or "" for element in app.get(kind)]
    texts += [str(option) for radio in app.radio for option in radio.options]
    for frame in app.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        for column in list(frame.proto.column_order) or list(frame.value.columns):
            texts.append((config.get(str(column)) or {}).get("label") or str(column))
            texts += _shown_cells(frame.value[column], config.get(str(column)) or {})
    return texts


def _shown_cells(values: pd.Series, config: dict) -> list[str]:
    """The text cells of a shown column as drawn: a choice by its label, not its stored key."""
    options = (config.get("type_config") or {}).get("options") or []
    labels = {o["value"]: o["label"] for o in options if isinstance(o, dict)}
    return [labels.get(v, v) for v in values.dropna() if isinstance(v, str)]


def _identifiers(app) -> list[str]:
    return [hit for text in _visible_text(app) for hit in SNAKE_CASE.findall(text)]


@pytest.mark.parametrize("name", ["clustering", "resource", "water", "suitability"])
def test_analysis_page_shows_words_not_identifiers(app, name):
    """Issue 12: no `clark_evans_p_all`, `ripley_l` or `l_envelope_high_km` on screen."""
    app.radio(key="page").set_value("analyses").run()
    app.radio(key="analysis").set_value(name).run()
    app.button(key=f"run_{name}").click().run()
    assert not app.exception, app.exception
    assert _identifiers(app) == []
    figures = app.dataframe[-len(app.tabs) - 2].value  # key figures, then parameters, then tabs
    assert list(figures.columns) == ["指标 Statistic", "数值 Value"]
    if name == "suitability":  # the criteria editor's notes in Chinese, not English
        editor = next(f for f in app.dataframe if "criterion" in f.value.columns)
        shown = list(editor.proto.column_order)
        assert "note_zh" in shown and "note" not in shown
        assert editor.value["note_zh"].str.contains("可编辑").any()
    if name == "clustering":
        assert "Ripley L 函数 Ripley's L function" in [tab.label for tab in app.tabs]
        shown = dict(zip(figures["指标 Statistic"], figures["数值 Value"], strict=True))
        # Methods read in the interface language too, not as English-only text or code names.
        assert shown["Moran I 检验方法 Moran's I test"].startswith("置换检验，999 次置换，双侧")
        texts = " ".join(_visible_text(app))
        assert "pyproj.Geod" not in texts and "settings.equal_area_crs" not in texts
        assert shown["Clark-Evans p 值（全部园区） Clark-Evans p-value (all parks)"] == "< 0.001"
        # 25 distinct locations, R = 0.921, z = -0.758: two-sided normal p = 0.448, as the hand
        # formula with geodesic distances gives (test_statistics_reference checks z and p)
        assert shown["Clark-Evans p 值（不同点位） Clark-Evans p-value (distinct locations)"] == (
            "0.448"
        )


def test_constraint_page_shows_words_and_names_the_constraint_feature(app):
    """Issue 12: conflicts first, each naming the constraint feature (its 名称), in words."""
    red_line = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"名称": "兰州测试红线"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[103.5, 35.9], [104.1, 35.9], [104.1, 36.3], [103.5, 36.3],
                                     [103.5, 35.9]]],
                },
            }
        ],
    }  # fmt: skip
    _upload(app, [("红线.geojson", json.dumps(red_line).encode(), "application/geo+json")])
    app.button(key="run_constraints").click().run()
    assert not app.exception, app.exception
    table = next(f.value for f in app.dataframe if "冲突程度 Severity" in f.value.columns)
    severity = table["冲突程度 Severity"]
    assert severity.iloc[0] == "冲突 conflict"
    assert severity.map(
        {"冲突 conflict": 0, "邻近 near": 1, "无冲突 clear": 2}
    ).is_monotonic_increasing
    conflicts = table[severity == "冲突 conflict"]
    assert set(conflicts["相交的约束要素 Constraint features hit"]) == {"兰州测试红线"}
    # how many constraint features each hits: the count a layer without names still gives
    assert set(conflicts["相交的约束要素数 Constraint features hit (count)"]) == {"1"}
    assert set(
        table[severity != "冲突 conflict"]["相交的约束要素数 Constraint features hit (count)"]
    ) == {"0"}
    # Nothing assumed for an upload, as on the command line: no category until the reviewer
    # names one (it was "ecological red line"), no near zone (it was 1 km) until one is typed.
    assert set(table["约束类别 Category"]) == {"未指定 Unspecified"}
    assert "邻近 near" not in set(severity)
    assert set(table["缓冲距离（km） Buffer (km)"]) == {"0.0"}
    assert _identifiers(app) == []


def test_a_file_without_crs_gets_a_crs_picker(app, tmp_path):
    """Issue 12: a layer that names no CRS is not a dead end: pick one and it is read."""
    import geopandas as gpd
    import shapely

    path = tmp_path / "nocrs.fgb"
    frame = gpd.GeoDataFrame({"name": ["框"]}, geometry=[shapely.box(103.5, 35.9, 104.1, 36.3)])
    with pytest.warns(UserWarning, match="crs"):  # written without a CRS, as some tools do
        frame.to_file(path, driver="FlatGeobuf")
    _upload(app, [("nocrs.fgb", path.read_bytes(), "application/octet-stream")])
    assert app.error[0].value.startswith("nocrs.fgb：无法使用。文件未注明坐标系")
    assert not any("crs=" in e.value or "`" in e.value for e in app.error)
    app.selectbox(key="crs_pick_nocrs.fgb").set_value("EPSG:4490").run()
    assert not app.exception, app.exception
    assert not app.error
    assert any(c.value == "✓ nocrs.fgb: 1 个要素 features" for c in app.caption)


def test_the_feature_count_of_an_upload_is_written_with_separators(app, tmp_path):
    """A reviewer's layer of 1,200 boxes reads "1,200 个要素", not "1200"."""
    import geopandas as gpd
    import numpy as np
    import shapely

    west = 103.0 + 0.001 * np.arange(1_200)
    boxes = shapely.box(west, 36.0, west + 0.0005, 36.0005)
    path = tmp_path / "boxes.fgb"
    gpd.GeoDataFrame(geometry=boxes, crs=4326).to_file(path, driver="FlatGeobuf")
    _upload(app, [("boxes.fgb", path.read_bytes(), "application/octet-stream")])
    assert any(c.value == "✓ boxes.fgb: 1,200 个要素 features" for c in app.caption)


def test_a_layer_over_the_app_feature_limit_is_refused_pointing_to_the_cli(tmp_path):
    """The reader's refusal (counted before reading) reaches the page as one line in words."""
    import geopandas as gpd
    import shapely

    from longtu.analysis.io.constraint_files import read_constraint_layer
    from longtu.app_pages.constraints_words import upload_problem

    path = tmp_path / "三调图斑.geojson"
    boxes = [shapely.box(103 + i * 0.01, 36, 103.005 + i * 0.01, 36.005) for i in range(3)]
    gpd.GeoDataFrame(geometry=boxes, crs=4326).to_file(path)
    with pytest.raises(ValueError) as refused:
        read_constraint_layer(path, max_features=2)
    kind, line = upload_problem(path.name, refused.value, str(tmp_path), language="zh")
    assert kind == "too_large"
    assert line.startswith("三调图斑.geojson：无法使用。") and "longtu constraints check" in line
    assert str(tmp_path) not in line


def test_a_large_layer_is_drawn_as_an_image_and_its_map_built_once(app, monkeypatch):
    """A layer of 6,000 parcels: the conflict map draws the ground they cover as one image
    (it sent every parcel: 31 MB and 12 s for 100,000), says so under the map, and is built
    once per check: the page's next runs show the same map, a language switch rewords it
    without drawing the image again (4 s for 100,000 parcels)."""
    drawn = []
    real = coverage.coverage_image
    monkeypatch.setattr(
        coverage, "coverage_image", lambda *a, **k: drawn.append(1) or real(*a, **k)
    )
    rng = np.random.default_rng(3)
    west, south = rng.uniform(96, 106, 6000), rng.uniform(35, 40, 6000)
    boxes = shapely.box(west, south, west + 0.02, south + 0.02)
    frame = gpd.GeoDataFrame({"名称": [f"图斑{i}" for i in range(6000)]}, geometry=boxes, crs=4326)
    _upload(app, [("三调图斑.geojson", frame.to_json().encode(), "application/geo+json")])
    app.button(key="run_constraints").click().run()
    assert not app.exception, app.exception
    kept = app.session_state["conflict_map"]
    script = kept[2].script
    assert "imageOverlay" in script and "data:image/png;base64," in script
    assert "图斑17" not in script and len(script) < 400_000  # no parcel sent one by one
    assert any("三调图斑（6,000 个要素）以覆盖范围的示意图像显示" in c.value for c in app.caption)
    read = app.session_state["constraint_reads"]["三调图斑.geojson"][1]
    app.run()  # a run of the page without a new check
    assert app.session_state["conflict_map"][2] is kept[2]  # not built again
    assert app.session_state["constraint_reads"]["三调图斑.geojson"][1] is read  # nor read
    app.radio(key="language").set_value("en").run()
    assert not app.exception, app.exception
    assert app.session_state["conflict_map"][2] is not kept[2]
    assert any("(6,000 features) is drawn as an image" in c.value for c in app.caption)
    assert len(drawn) == 1  # the image of the first check, drawn once
    # the plan features' names in English on the English map (they were in Chinese)
    english = app.session_state["conflict_map"][2].script
    assert r'"label": "Lanzhou New Area \u2014 ' in english  # JSON writes the dash as \u2014
    assert json.dumps("兰州新区")[1:-1] not in english
