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
            raise ValidationError(self.frame())


def places_zh(problems: pd.DataFrame, *, shown: int = 5) -> str:
    """Where the first `shown` problems are, in Chinese (their own text stays in English).

    Examples
    --------
    >>> found = Problems()
    >>> found.add("parks.csv", "3 (park_x)", "place_ref", "unknown adcode")
    >>> places_zh(found.frame())
    '问题在 parks.csv 第 3 行（park_x）的 place_ref 列，共 1 处（各处问题见英文说明）；'
    """
    places = []
    for problem in problems.head(shown).itertuples():
        row, _, feature = str(problem.row).partition(" (")
        feature = f"（{feature.rstrip(')')}）" if feature else ""
        places.append(f"{problem.table} 第 {row} 行{feature}的 {problem.field} 列")
    more = f"等 {len(problems)} 处" if len(problems) > shown else f"，共 {len(problems)} 处"
    return f"问题在 {'；'.join(places)}{more}（各处问题见英文说明）；"
