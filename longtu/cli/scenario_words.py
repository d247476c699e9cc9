"""What the ``longtu scenario`` commands print: their tables and messages in words.

Headings in Chinese with English beside, edits and statuses worded as on paper
(:mod:`longtu.maps.print.change_words`), times in Beijing time (stored in UTC); edit numbers and
feature ids stay where users type them back into commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from longtu.cli.common import table_text

if TYPE_CHECKING:
    import pandas as pd

    from longtu.layout.scenarios import Scenario


def edit_words(scenario: Scenario) -> tuple[str, str]:
    """The scenario's last edit as ``第 3 条修改（移动 酒泉经济技术开发区）`` and in English."""
    from longtu.maps.print.change_words import EDIT_WORDS

    edit = scenario.edits[-1]
    name = feature_names(scenario).get(edit.feature_id) or edit.feature_id
    zh, en = EDIT_WORDS.get(edit.kind, (edit.kind, edit.kind))
    return (
        f"第 {edit.seq} 条修改（{zh} {name}）",
        f"edit no. {edit.seq} ({en} {edit.feature_id})",
    )


def verdict_words(verdict: str) -> tuple[str, str]:
    """A review's verdict in words (Chinese, English).

    Examples
    --------
    >>> verdict_words("reject")
    ('驳回', 'reject')
    """
    from longtu.maps.print.change_words import VERDICT_WORDS

    return VERDICT_WORDS.get(verdict, (verdict, verdict))


def scenario_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``Workspace.scenarios()`` in words: name, start, version, edits, who, when."""
    import pandas as pd

    rows = [
        {
            "情景 scenario": row.name,
            "起点 from": start_words(row.parent, row.parent_version, row.plan_dir),
            "版本 version": row.version,
            "修改 edits": row.edits,
            "创建人 by": row.created_by,
            BEIJING_HEADING: beijing(row.created_at),
        }
        for row in frame.itertuples(index=False)
    ]
    return pd.DataFrame(rows)


BEIJING_HEADING = "时间（北京时间） time (Beijing)"
"""The heading of a column of times, shown in Beijing time (stored in UTC)."""


def beijing(iso: str) -> str:
    """A stored UTC time as ``2026-12-07 17:54`` in Beijing time ("" for none)."""
    from longtu.layout.scenarios.edits import beijing_time

    when = beijing_time(iso)
    return when.strftime("%Y-%m-%d %H:%M") if when else ""


def start_words(parent: str, parent_version: object, plan_dir: str) -> str:
    """Where a scenario started: another scenario at a version, a plan folder, or the plan.

    Examples
    --------
    >>> start_words("north", 3, ""), start_words("", 0, ""), start_words("", 0, "plans/2024")
    ('情景 north 第 3 版 / north v3', '规划 the plan', 'plans/2024')
    """
    if parent:
        return f"情景 {parent} 第 {parent_version} 版 / {parent} v{parent_version}"
    return plan_dir or "规划 the plan"


def history_table(scenario: Scenario) -> pd.DataFrame:
    """The edits in words: what, on which feature, its status, who, when (Beijing), why."""
    import pandas as pd

    from longtu.maps.print.change_words import EDIT_WORDS, STATUS_WORDS, words

    names = feature_names(scenario)
    seq = {e.id: e.seq for e in scenario.edits}
    rows = [
        {
            "序号 no.": e.seq,
            "修改 edit": words(EDIT_WORDS, e.kind)
            + (f" 第 {seq.get(e.undoes, '?')} 条 no. {seq.get(e.undoes, '?')}" if e.undoes else ""),
            "要素编号 feature id": e.feature_id,
            "名称 name": names.get(e.feature_id, ""),
            "状态 status": words(STATUS_WORDS, e.status),
            "修改人 by": e.author,
            BEIJING_HEADING: beijing(e.time),
            "理由 reason": e.reason,
        }
        for e in scenario.edits
    ]
    return pd.DataFrame(rows)


def feature_names(scenario: Scenario) -> dict[str, str]:
    """Feature id -> Chinese name, over the plan the scenario starts from and the scenario."""
    return {
        fid: name
        for layers in (scenario.base, scenario.layers)
        for frame in layers.values()
        if "name_zh" in frame.columns
        for fid, name in zip(frame["feature_id"], frame["name_zh"], strict=True)
    }


def review_table(scenario: Scenario) -> pd.DataFrame:
    """The reviews in words: of which edit or feature, by whom, the verdict, when, the text."""
    import pandas as pd

    from longtu.maps.print.change_words import VERDICT_WORDS, words

    seq = {e.id: e.seq for e in scenario.edits}
    rows = [
        {
            "修改序号 edit no.": seq.get(r.edit_id, "") if r.edit_id else "",
            "要素编号 feature id": r.feature_id,
            "审阅人 reviewer": r.reviewer,
            "意见 verdict": words(VERDICT_WORDS, r.verdict),
            BEIJING_HEADING: beijing(r.time),
            "内容 text": r.text,
        }
        for r in scenario.reviews
    ]
    return pd.DataFrame(rows).astype({"修改序号 edit no.": str})


def proposal_table(proposals: pd.DataFrame) -> pd.DataFrame:
    """The proposed matches in words: row, name in the file, plan feature and id, score, why."""
    import pandas as pd

    from longtu.maps.print.change_words import MATCH_WORDS, words

    return pd.DataFrame(
        {
            "行 row": proposals["row"],
            "文件中名称 name in the file": proposals["name"],
            "判断 status": [words(MATCH_WORDS, s) for s in proposals["status"]],
            "规划要素 plan feature": proposals["plan_name_zh"],
            "要素编号 feature id": proposals["feature_id"],
            "得分 score": proposals["score"].round(2),
            "理由 reason": proposals["reason_zh"],
        }
    )


def print_changes(changes: pd.DataFrame) -> None:
    """How many changes of each kind (Chinese line, English line), then the changes in words."""
    import pandas as pd

    from longtu.maps.print.change_words import CHANGE_WORDS

    counts = changes["kind"].value_counts()
    following = int((changes["followed_park"] != "").sum())
    kinds = [(CHANGE_WORDS.get(k, (k, k)), n) for k, n in counts.items()]
    of_them = (f"，其中 {following} 处随所在园区", f", {following} of them following their park")
    if not len(changes):
        print("0 处变化。")
        print("0 change(s).")
        return
    print(
        f"{len(changes)} 处变化{of_them[0] if following else ''}："
        + "、".join(f"{zh} {n}" for (zh, _), n in kinds)
    )
    print(
        f"{len(changes)} change(s){of_them[1] if following else ''}: "
        + ", ".join(f"{en} {n}" for (_, en), n in kinds)
    )
    table = pd.DataFrame(
        {
            "变化 change": [CHANGE_WORDS.get(k, (k, k))[0] for k in changes["kind"]],
            "图层 layer": [layer_zh(layer) for layer in changes["layer"]],
            "要素编号 feature id": changes["feature_id"],
            "名称 name": changes["name_zh"],
            "详情 details": changes["details_zh"],
        }
    )
    print(table_text(table))


def layer_zh(layer: str) -> str:
    """A plan layer's Chinese title (``园区``)."""
    from longtu.layout.catalog import LAYERS

    spec = LAYERS.get(layer)
    return spec.title_zh if spec else layer
