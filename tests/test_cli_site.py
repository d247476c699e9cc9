"""``longtu site check`` prints its findings in words (issue 12) with access (issue 15)."""

from __future__ import annotations

import re

from test_cli import longtu

OSM = "tests/data/osm/helsinki.osm.pbf"


def test_site_check_reads_as_words_with_sources_by_title():
    result = longtu("site", "check", "--lon", "103.7", "--lat", "36.5", "--industry", "光伏")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "交通可达性 Transport access：交通可达性（直线距离估算）" in out
    assert "《甘肃省“十三五”工业转型升级规划》第" in out
    assert "资源与地形筛选阈值表" in out and "县区与市州驻地表" in out
    # No effect keys, precision keys, hashed plan files or table paths on screen.
    for raw in ("[info]", "[ok]", "[block]", "[condition]", "精度：town", ".txt:", "analysis/data"):
        assert raw not in out, raw
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", out), re.findall(r"\b[a-z]+_[a-z_]+\b", out)


def test_site_check_refuses_an_extract_of_another_region_in_one_line_each_language():
    args = ["site", "check", "--lon", "103.7", "--lat", "36.5", "--industry", "光伏"]
    result = longtu(*args, "--osm", OSM)
    assert result.returncode != 0
    assert "outside Gansu" in result.stderr and "Traceback" not in result.stderr
    english, chinese = result.stderr.strip().splitlines()
    assert english.startswith("longtu: error: ") and chinese.startswith("longtu: 错误：")
    assert "甘肃省" in chinese
