"""The words the pages of a planning scenario use for what the workspace stores.

Kinds of change, edits, statuses and review verdicts in Chinese and English, layer titles,
times in Beijing time, where an edit's geometry came from and features' names: the redline map
(:mod:`longtu.maps.print.changes`) and the change tables (:mod:`longtu.maps.print.change_tables`)
say everything in words, never the identifiers stored in the workspace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import PurePath, PureWindowsPath

import pandas as pd

from longtu.layout.catalog import LAYERS
from longtu.layout.scenarios import Edit
from longtu.layout.scenarios.edits import beijing_time

CHANGE_WORDS = {
    "added": ("新增", "added"),
    "removed": ("删除", "removed"),
    "moved": ("位置移动", "relocated"),
    "reshaped": ("形状改变", "new outline"),
    "upgraded": ("级别提升", "level raised"),
    "downgraded": ("级别降低", "level lowered"),
    "attributes": ("属性修改", "details changed"),
}
EDIT_WORDS = {
    "add": ("新增", "add"),
    "remove": ("删除", "remove"),
    "move": ("移动", "relocate"),
    "reshape": ("改形", "new outline"),
    "set": ("改属性", "change details"),
    "undo": ("撤销", "undo"),
}
# The review's words as the app's buttons and the CLI's options say them (接受 / 驳回).
STATUS_WORDS = {
    "proposed": ("待审", "awaiting review"),
    "accepted": ("已接受", "accepted"),
    "rejected": ("已驳回", "rejected"),
    "undone": ("已撤销", "undone"),
}
VERDICT_WORDS = {
    "accept": ("接受", "accept"),
    "reject": ("驳回", "reject"),
    "comment": ("意见", "comment"),
}
MATCH_WORDS = {
    "best": ("最佳匹配", "best match"),
    "ambiguous": ("难以区分", "ambiguous"),
    "duplicate": ("与另一行重复", "same as another row"),
    "alternative": ("备选", "alternative"),
    "unmatched": ("未匹配", "no match"),
}
HOW_WORDS = {"drawn": "图上绘制 drawn", "typed": "输入坐标 typed", "imported": "文件导入 imported"}
UNNAMED = "（未命名要素 unnamed feature）"


def words(table: Mapping[str, tuple[str, str]], key: str) -> str:
    """The Chinese and English words for `key` in `table` ("其他 other" when unknown).

    Examples
    --------
    >>> words(CHANGE_WORDS, "moved"), words(STATUS_WORDS, "??")
    ('位置移动 relocated', '其他 other')
    """
    zh, en = table.get(key, ("其他", "other"))
    return f"{zh} {en}"


def layer_words(layer: str) -> str:
    """The layer's title in Chinese and English.

    Examples
    --------
    >>> layer_words("parks")
    '园区 Parks and development zones'
    """
    spec = LAYERS.get(layer)
    return f"{spec.title_zh} {spec.title_en}" if spec else "其他图层 other layer"


def change_titles(name: str, against: str | None, *, map_page: bool) -> tuple[str, str]:
    """(Chinese, English) title of a scenario's redline map or change table.

    Against the plan it started from, or against the scenario named `against`.

    Examples
    --------
    >>> change_titles("陇东", None, map_page=True)
    ('规划情景变更图', 'Changes of the scenario "陇东" against its plan')
    >>> change_titles("陇东", "河西", map_page=False)
    ('规划情景对比表', 'The scenario "陇东" against the scenario "河西"')
    """
    page = "图" if map_page else "表"
    if against is not None:
        return f"规划情景对比{page}", f'The scenario "{name}" against the scenario "{against}"'
    plan = " against its plan" if map_page else ""
    return f"规划情景变更{page}", f'Changes of the scenario "{name}"{plan}'


def readable_time(iso: str) -> str:
    r"""A stored UTC time as Beijing time, the UTC time stated beside it.

    Examples
    --------
    >>> readable_time("2026-12-06T13:27:42.773Z")
    '2026-12-06\n21:27 北京时间\n(13:27 UTC)'
    >>> readable_time("")
    '—'
    """
    local = beijing_time(iso)
    if local is None:
        return "—"
    utc = local.astimezone(dt.timezone.utc)
    return f"{local:%Y-%m-%d}\n{local:%H:%M} 北京时间\n({utc:%H:%M} UTC)"


def source_words(edit: Edit) -> str:
    """Where an edit's geometry came from: the file's base name and the feature's row.

    Examples
    --------
    >>> source_words(Edit("reshape", "p", "parks", "li", "r", how="imported",
    ...                   source_file="/srv/surveys/sites.gpkg", source_feature=3))
    'sites.gpkg 第 3 个要素 feature 3'
    >>> source_words(Edit("move", "p", "parks", "li", "r", how="typed"))
    '输入坐标 typed'
    """
    if edit.source_file:
        name = PureWindowsPath(PurePath(edit.source_file).name).name
        row = edit.source_feature
        return name + (f" 第 {row} 个要素 feature {row}" if row else "")
    return HOW_WORDS.get(edit.how, "—")


def feature_names(*layer_sets: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """feature_id -> "name_zh name_en" over every layer of every set (first set wins)."""
    names: dict[str, str] = {}
    for layers in reversed(layer_sets):
        for frame in layers.values():
            if "feature_id" not in frame.columns:
                continue
            zh = frame.get("name_zh", frame.get("indicator_zh", pd.Series("", frame.index)))
            en = frame.get("name_en", frame.get("indicator_en", pd.Series("", frame.index)))
            for fid, a, b in zip(frame["feature_id"], zh.fillna(""), en.fillna(""), strict=True):
                names[str(fid)] = f"{a} {b}".strip() or UNNAMED
    return names
