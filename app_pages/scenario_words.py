"""Words of the scenarios page: labels for the workspace's keys, error messages, feature names.

The workspace speaks in keys (``move``, ``accepted``, ``park_zhangye_etdz``); the page shows
words in the interface language (:func:`longtu.app_pages.common.t`), never the keys.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from longtu.app_pages.common import language, t
from longtu.errors import WorkspaceError
from longtu.layout.catalog import LAYERS
from longtu.layout.scenarios import Scenario
from longtu.layout.scenarios.edits import beijing_time
from longtu.maps.print.change_words import CHANGE_WORDS, EDIT_WORDS, STATUS_WORDS

Labels = dict[str, tuple[str, str]]
#: Layers whose features the page edits and takes comments on.
EDIT_LAYERS = ("parks", "energy_sites", "industrial_bases", "other_features")


def _capitalised(table: Mapping[str, tuple[str, str]]) -> Labels:
    """The paper's and the CLI's words (:mod:`longtu.maps.print.change_words`), English capitalised.

    One vocabulary everywhere: the page's labels stand alone, so their English starts upper case.
    """
    return {key: (zh, en[:1].upper() + en[1:]) for key, (zh, en) in table.items()}


EDIT_KIND_LABELS: Labels = _capitalised(EDIT_WORDS)
EDIT_STATUS_LABELS: Labels = _capitalised(STATUS_WORDS)
CHANGE_LABELS: Labels = _capitalised(CHANGE_WORDS)
#: Words for the errors the workspace raises, found by a phrase of the English message.
ERROR_WORDS: tuple[tuple[str, str, str], ...] = (
    (
        "outside Gansu",
        "位置在甘肃省界之外，请在省内选点（WGS84 坐标，经度在前）。未保存。",
        "The location lies outside Gansu; choose a place inside the province (WGS84, "
        "longitude first). Nothing was saved.",
    ),
    (
        "already exists",
        "已有同名情景，请换一个名称。",
        "A scenario of that name exists; choose another.",
    ),
    (
        "cannot name a scenario",
        "情景名称不可用：1–64 个字符，首尾无空格，不含 / \\，不能叫 plan。",
        "That name cannot be used: 1-64 characters, no leading or trailing space, no / or \\, "
        "not 'plan'.",
    ),
    ("nothing to undo", "没有可撤销的编辑。", "There is no edit to undo."),
    (
        "all unmatched",
        "文件中没有要素与规划要素名称相符；请换一列名称，或在下表中手动指定。未保存。",
        "No feature of the file matches a plan feature by name; pick another name column or "
        "choose the plan feature by hand. Nothing was saved.",
    ),
    (
        "not a valid geometry",
        "图形无效（如自相交），请修复后再试。未保存。",
        "The shape is not valid (e.g. it crosses itself); repair it and try again.",
    ),
    ("was undone", "该编辑已撤销，无需审阅。", "That edit was undone; there is nothing to review."),
    ("comment needs its text", "请填写评论内容。", "A comment needs its text."),
)


def words(key: str, table: Labels) -> str:
    """The label of `key` in `table`, in the interface language."""
    zh, en = table.get(key, (key, key))
    return t(zh, en)


def error_text(exc: Exception, *, saving: bool = True) -> str:
    """The message for an error the workspace raised, in the interface language.

    A phrase the page words itself first; else the error's own Chinese (``message_zh``) in
    the Chinese interface, its English otherwise. A workspace error while `saving` is said to
    have saved nothing; one while only reading (``saving=False``) is its own message.
    """
    message = str(exc)
    for phrase, zh, en in ERROR_WORDS:
        if phrase in message:
            return t(zh, en)
    message_zh = getattr(exc, "message_zh", None)
    said = message_zh if message_zh and language() == "zh" else message
    if isinstance(exc, WorkspaceError) and saving:
        return t(
            "无法读写工作区文件（可能另一会话正在保存，或文件只读、磁盘已满）。未保存。",
            "The workspace file cannot be written (another session saving, read-only, or disk "
            "full). Nothing was saved.",
        ) + (f"（{said}）" if language() == "zh" else f" ({said})")
    if message_zh and language() == "zh":
        return f"未完成：{message_zh}"
    return t("未完成，原因（英文）：", "Not done: ") + message


def feature_names(scenario: Scenario) -> dict[str, tuple[str, str]]:
    """Feature id -> (Chinese, English) name, over the scenario and the layers it started from."""
    names: dict[str, tuple[str, str]] = {}
    for layers in (scenario.base, scenario.layers):
        for frame in layers.values():
            if "name_zh" in frame.columns and "feature_id" in frame.columns:
                english = frame["name_en"] if "name_en" in frame.columns else frame["name_zh"]
                for fid, zh, en in zip(
                    frame["feature_id"], frame["name_zh"], english.fillna(""), strict=True
                ):
                    names[str(fid)] = (str(zh), str(en) or str(zh))
    return names


def feature_name(names: dict[str, tuple[str, str]], feature_id: str) -> str:
    """The name of `feature_id` in the interface language."""
    zh, en = names.get(feature_id, (feature_id, feature_id))
    return zh if language() == "zh" else en


def layer_title(layer: str) -> str:
    """The title of a plan layer in the interface language."""
    spec = LAYERS.get(layer)
    return t(spec.title_zh, spec.title_en) if spec else layer


def editable_features(layers: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``feature_id``, ``name_zh``, ``name_en`` and ``layer`` of the editable layers' features."""
    frames = [
        pd.DataFrame(layers[n][["feature_id", "name_zh", "name_en"]]).assign(layer=n)
        for n in EDIT_LAYERS
        if n in layers
    ]
    return pd.concat(frames, ignore_index=True)


#: The heading of the columns of times (:func:`beijing_minute`).
TIME_HEADING = ("时间（北京时间）", "Time (Beijing, UTC+8)")


def beijing_minute(time: str) -> str:
    """A stored UTC time as ``YYYY-MM-DD HH:MM`` in Beijing time (blank if none).

    Examples
    --------
    >>> beijing_minute("2026-12-06T21:27:42.773Z")
    '2026-12-07 05:27'
    """
    local = beijing_time(time)
    return "" if local is None else f"{local:%Y-%m-%d %H:%M}"
