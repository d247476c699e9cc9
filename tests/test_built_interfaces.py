"""The plan against what was built through its interfaces: the CLI, the app page, the briefing."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json

import pandas as pd
import pytest
from conftest import REPO
from streamlit.testing.v1 import AppTest

from longtu.app_pages.built_inputs import built_result
from longtu.cli.main import main
from longtu.errors import UserTableError
from longtu.maps.print.analysis_pages import analysis_map, analysis_pages

SMALL = REPO / "tests" / "data" / "built" / "register_zh.csv"


def longtu(*args: str) -> tuple[int, str, str]:
    """``longtu ARGS`` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_cli_writes_the_result_and_says_it(tmp_path):
    code, out, err = longtu("analyze", "built", "--plants", str(SMALL), "--out", str(tmp_path))
    assert code == 0, err
    assert "登记册共 9 座电站" in out and "The register holds 9 plants" in out
    bases = pd.read_csv(tmp_path / "built_bases.csv", encoding="utf-8-sig")
    assert bases.loc[bases["name_zh"] == "武威民勤百万千瓦级风电基地", "built_mw"].item() == 99.5
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["numbers"]["n_data_problems"] == 3
    assert (tmp_path / "built.gpkg").is_file()


def test_cli_without_a_register_says_what_to_give(tmp_path):
    code, _, err = longtu("analyze", "built", "--out", str(tmp_path / "out"))
    assert code == 2
    assert "needs `--plants FILE`" in err


def test_cli_names_the_missing_columns(tmp_path):
    bad = tmp_path / "plants.csv"
    bad.write_text("name,fuel,lon\nA,Wind,102\n", encoding="utf-8")
    code, _, err = longtu("analyze", "built", "--plants", str(bad), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "`plants.csv` lacks capacity in MW" in err and "location: lon and lat" in err


def test_app_offers_an_uploader_and_runs_only_with_a_register():
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    app.run()
    app.radio(key="page").set_value("analyses").run()
    app.radio(key="analysis").set_value("built").run()
    assert not app.exception, app.exception
    assert app.button(key="run_built").disabled
    assert any("装机容量" in c.value for c in app.caption)
    upload = ("电站登记册.csv", SMALL.read_bytes(), "text/csv")
    app.file_uploader(key="built_register").set_value(upload).run()
    app.button(key="run_built").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith("登记册共 9 座电站")
    tabs = [tab.label.split(" ")[0] for tab in app.tabs]
    assert tabs[:3] == ["规划基地与实际建成", "分技术：建成装机与规划目标", "登记册数据问题"]
    bases = next(f.value for f in app.dataframe if "计数区域 Region counted" in f.value.columns)
    assert "武威民勤百万千瓦级风电基地" in set(bases["名称 Name"])  # Chinese names, not English
    assert bases.columns[3:5].tolist() == ["电站数 Plants", "装机（MW） Capacity (MW)"]


def test_app_run_on_an_upload_and_its_errors_name_the_upload():
    result = built_result("电站登记册.csv", SMALL.read_bytes())
    assert result.name == "built" and result.parameters["register"] == "电站登记册.csv"
    with pytest.raises(UserTableError, match=r"^plants\.csv: cannot be used\. Lacks ") as caught:
        built_result("plants.csv", b"name,fuel,lon\nA,Wind,102\n")
    assert caught.value.message_zh == (
        "plants.csv：无法使用。缺少装机容量（MW）或装机容量（万千瓦）；"
        "位置：经度与纬度（WGS84 度）。现有列：name、fuel、lon。"
        "请用上述词语（中文或英文）命名这些列。"
    )
    assert "longtu_register_" not in str(caught.value)  # no temporary folder shown


def test_briefing_pages_show_the_bases_the_technologies_and_the_problems():
    result = built_result("register_zh.csv", SMALL.read_bytes())
    pages = analysis_pages(result, (8.27, 11.69), dt.date(2026, 12, 6))
    texts = [" ".join(t.get_text() for t in fig.texts) for fig in pages]
    text = " ".join(texts)
    assert "规划基地与实际建成" in text and "登记册数据问题" in text
    assert "分技术" in text
    maps = analysis_map(result, (8.27, 11.69), dt.date(2026, 12, 6))
    assert len(maps) == 1
    assert "实际建成范围" in " ".join(t.get_text() for t in maps[0].texts)
