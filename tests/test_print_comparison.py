"""A scenario compared on paper with its plan or with another scenario (maps.print.comparison)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from longtu.layout.scenarios import Workspace, move_feature
from longtu.maps.print.comparison import comparison_pdf


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """河西试点 moves 酒泉经开区, 陇东试点 moves 张掖经开区 (both from the bundled plan)."""
    with Workspace(tmp_path_factory.mktemp("ws") / "ws.gpkg", create=True) as ws:
        for name, fid, lon, lat in (
            ("河西试点", "park_jiuquan_etdz", 98.52, 39.75),
            ("陇东试点", "park_zhangye_etdz", 100.50, 38.95),
        ):
            s = ws.new_scenario(name, by="李工")
            ws.save(s, [move_feature(s.layers, fid, lon, lat, author="李工", reason="试")])
        return ws.load("河西试点"), ws.load("陇东试点")


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_against_another_scenario_lists_both_moves_and_names_it(two, tmp_path):
    hexi, longdong = two
    pdf = comparison_pdf(longdong, tmp_path / "c.pdf", other=hexi)
    reader = PdfReader(pdf)
    assert [o.title for o in reader.outline] == ["变更图 Redline map", "变更表 Change table"]
    text = _text(pdf)
    assert "规划情景对比图" in text and "规划情景对比表" in text
    assert "与情景「河西试点」相比共 3 处变更" in text  # two moves, one base member with its park
    assert "张掖经济技术开发区" in text and "酒泉经济技术开发区" in text
    assert "陇东试点 / 河西试点" in reader.metadata["/Title"]


def test_against_its_plan_only_its_own_move(two, tmp_path):
    _, longdong = two
    text = _text(comparison_pdf(longdong, tmp_path / "p.pdf"))
    assert "规划情景变更图" in text and "与起始规划相比共" in text
    assert "张掖经济技术开发区" in text and "酒泉经济技术开发区" not in text
