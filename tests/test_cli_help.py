"""The `longtu` help in Chinese first, English beside, in the columns of a terminal."""

import argparse
import os
import re
import subprocess
import sys

import pytest

from longtu.cli.help_text import display_width, wrap_columns
from longtu.cli.main import make_parser

COLUMNS = 80
WIDTH = COLUMNS - 2  # argparse wraps help to the terminal's columns less two
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def printed_help(*command: str) -> str:
    """What ``python -m longtu COMMAND --help`` prints in an 80-column terminal."""
    done = subprocess.run(
        [sys.executable, "-m", "longtu", *command, "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "COLUMNS": str(COLUMNS)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def too_wide(text: str) -> list[str]:
    """Lines wider than argparse makes them: past the width, unless ASCII names only.

    argparse cannot break a name such as ``{build,layers,...}``; such a line is its own layout,
    and is as wide with English-only help.
    """
    return [
        line for line in text.splitlines() if display_width(line) > WIDTH and not line.isascii()
    ]


def test_the_program_help_is_chinese_first_then_english():
    text = printed_help()
    lines = text.splitlines()
    assert lines[0].startswith("用法 usage: longtu [-h]")
    assert "陇图 Longtu — 甘肃省产业布局规划 / Gansu industrial-layout planning" in lines
    assert "位置参数 positional arguments:" in lines and "选项 options:" in lines
    assert "显示此帮助并退出 / show this help message and exit" in text
    summaries = " ".join(text.split()).split("{build,layers,validate,")[2]
    for command in ("build", "analyze", "constraints", "pdf", "site", "scenario", "app"):
        summary = summaries.split(f" {command} ", 1)[1]
        zh, sep, en = summary.partition(" / ")
        assert sep and CHINESE.search(zh) and ENGLISH.match(en), command
    assert too_wide(text) == []
    assert max(map(display_width, lines)) > WIDTH  # the command names, as argparse lays them


def test_a_sub_command_help_is_chinese_first_then_english():
    text = printed_help("constraints", "check")
    assert "检查规划要素与约束图层的冲突 / check plan features against constraint layers" in text
    flat = " ".join(text.split())
    assert "--out OUT 报告 GeoPackage（或 .parquet）；CSV 写在旁边 / report .gpkg" in flat
    assert "大小限制：约束图层与压缩包不超过 200 MiB" in flat
    assert "Size limits: constraint layers and archives up to 200 MiB" in flat
    assert flat.index("大小限制") < flat.index("Size limits")
    assert too_wide(text) == []
    assert all(display_width(line) <= WIDTH for line in text.splitlines())


def parsers(parser: argparse.ArgumentParser, path: str = "longtu"):
    """`parser` and every sub-command parser under it, with its command line."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, f"{path} {name}")


ALL = dict(parsers(make_parser()))


@pytest.mark.parametrize("command", list(ALL))
def test_every_help_text_has_both_languages(command, monkeypatch):
    parser = ALL[command]
    texts = {"description": parser.description or ""}
    texts |= {
        action.dest: action.help or ""
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction)  # its commands have their own
    }
    for name, text in texts.items():
        zh, sep, en = text.partition(" / ")
        assert sep and CHINESE.search(zh) and ENGLISH.search(en), (name, text)
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    assert too_wide(parser.format_help()) == []


def test_wrap_columns_counts_chinese_as_two_columns():
    text = "报告 GeoPackage（或 .parquet）；CSV 写在旁边 / report .gpkg (or .parquet)"
    lines = wrap_columns(text, 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert lines == [
        "报告 GeoPackage（或",
        ".parquet）；CSV 写在",
        "旁边 / report .gpkg",
        "(or .parquet)",
    ]


def test_wrap_columns_keeps_punctuation_and_the_separator_in_place():
    assert wrap_columns("甲乙丙丁。戊", 8) == ["甲乙丙", "丁。戊"]  # not 。 first on a line
    assert wrap_columns("甲乙丙（丁）", 8) == ["甲乙丙", "（丁）"]  # nor （ last
    assert wrap_columns("甲乙丙丁 / yes", 8) == ["甲乙丙", "丁 / yes"]
    assert wrap_columns("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_the_chinese_size_limits_are_the_readers_limits():
    from longtu.analysis.io import rasters, tables, vector
    from longtu.cli.common import SIZE_LIMITS_ZH

    assert f"压缩包不超过 {vector.DEFAULT_MAX_BYTES // 1024**2} MiB" in SIZE_LIMITS_ZH
    assert f"压缩包最多 {vector.DEFAULT_MAX_FILES} 个文件" in SIZE_LIMITS_ZH
    assert f"掩膜不超过 {vector.DEFAULT_MAX_PIXELS:,} 像元" in SIZE_LIMITS_ZH
    assert f"表格（CSV）不超过 {tables.DEFAULT_MAX_BYTES // 1024**2} MiB" in SIZE_LIMITS_ZH
    assert f"最多 {rasters.DEFAULT_MAX_CELLS:,} 个像元" in SIZE_LIMITS_ZH
