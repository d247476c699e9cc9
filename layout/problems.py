"""The collector of plan validation problems (collect every problem, then raise once)."""

from __future__ import annotations

import pandas as pd

from longtu.errors import ValidationError


class Problems:
    """Collector of validation problems (osmnx ``_validate`` style: collect, then raise once)."""

    def __init__(self) -> None:
        self._rows: list[dict[str, object]] = []

    def add(self, table: str, row: object, field: str, problem: str) -> None:
        """Record one problem."""
        self._rows.append({"table": table, "row": row, "field": field, "problem": problem})

    def __len__(self) -> int:
        return len(self._rows)

    def frame(self) -> pd.DataFrame:
        """The problems as a table."""
        return pd.DataFrame(self._rows, columns=["table", "row", "field", "problem"])

    def raise_if_any(self) -> None:
        """Raise :class:`ValidationError` if any problem was recorded."""
        if self._rows:
            error = ValidationError(self.frame())
            error.message_zh = (
                f"规划表未通过校验：{places_zh(error.problems)}"
                "请按 gis_data/plan/SCHEMA.md 改正后再运行。"
            )
            raise error


def _place_zh(table: str, row: object, field: str) -> str:
    """One problem's place in Chinese: a data row (with its feature id), the header, a layer."""
    number, _, feature = str(row).partition(" (")
    if number == "header":
        where = "表头"
    elif number == "layer":
        where = "整个图层"
    elif number.isdigit():
        where = f"第 {number} 行" + (f"（{feature.rstrip(')')}）" if feature else "")
    else:
        where = f"要素 {number}"
    return f"{table} {where}的 {field} 列"


def places_zh(problems: pd.DataFrame, *, shown: int = 5) -> str:
    """Where the first `shown` problems are, in Chinese (their own text stays in English).

    Examples
    --------
    >>> found = Problems()
    >>> found.add("parks.csv", "3 (park_x)", "place_ref", "unknown adcode")
    >>> found.add("parks.csv", "header", "notes", "required column is missing")
    >>> for part in places_zh(found.frame()).split("；"):
    ...     print(part)
    问题在 parks.csv 第 3 行（park_x）的 place_ref 列
    parks.csv 表头的 notes 列，共 2 处（各处问题见英文说明）
    <BLANKLINE>
    """
    places = [_place_zh(p.table, p.row, p.field) for p in problems.head(shown).itertuples()]
    more = f"等 {len(problems)} 处" if len(problems) > shown else f"，共 {len(problems)} 处"
    return f"问题在 {'；'.join(places)}{more}（各处问题见英文说明）；"
