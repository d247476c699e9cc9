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
