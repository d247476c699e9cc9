"""Error types of the layout package."""

from __future__ import annotations

import pandas as pd


class LayerNotFoundError(KeyError):
    """Raised for a layer name that is not in the catalog."""


class ValidationError(ValueError):
    """A plan or base layer failed validation.

    Every problem found is collected before raising, so that a user can fix them all at once.

    Attributes
    ----------
    problems : pandas.DataFrame
        One row per problem with columns ``table``, ``row`` (1-based data row of the CSV, or
        the feature id), ``field`` and ``problem``.
    """

    def __init__(self, problems: pd.DataFrame) -> None:
        self.problems = problems.reset_index(drop=True)
        lines = [
            f"- {r.table} row {r.row}, `{r.field}`: {r.problem}"
            for r in self.problems.itertuples(index=False)
        ]
        shown = "\n".join(lines[:40])
        more = f"\n... and {len(lines) - 40} more" if len(lines) > 40 else ""
        super().__init__(f"{len(lines)} validation problem(s):\n{shown}{more}")


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
