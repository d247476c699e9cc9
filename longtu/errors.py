"""Every error Longtu raises on purpose, in one hierarchy (the osmnx ``_errors`` pattern).

A user can catch :class:`LongtuError` to get any of them. Each message says what was wrong
(the file, row, option or argument) and what to do about it. The kinds:

- :class:`InputFileError`: a user's file cannot be used (unreadable, wrong CRS, unsafe archive).
- :class:`UserTableError`: a table typed by people (capacities, quotas, criteria) has a bad cell.
- :class:`ParameterError`: an argument or option value is not acceptable.
- :class:`PlanValidationError`: the plan tables break the schema (every problem listed).
- :class:`LayerNotFoundError`: a layer name that is not in the catalog.
- :class:`InstallationError`: something the installation should provide is missing.

The specific classes below keep the names the modules have always raised, so that
``except RasterInputError`` still works; each is a subclass of its kind. Kinds that replace a
built-in exception also derive from it (``ValueError``, ``KeyError``), so code written against
the built-in keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CRSError",
    "ConstraintFileError",
    "ConstraintInputError",
    "InputFileError",
    "InstallationError",
    "LayerNotFoundError",
    "LongtuError",
    "MissingGlyphError",
    "OfflineAssetError",
    "PageError",
    "ParameterError",
    "PlaceError",
    "PlanValidationError",
    "PointPatternInputError",
    "ProjectionError",
    "RasterInputError",
    "ScenarioError",
    "ScreeningError",
    "SuitabilityError",
    "UnknownIndustryError",
    "UserTableError",
    "ValidationError",
    "WaterInputError",
    "WorkspaceConflictError",
    "WorkspaceError",
]


class LongtuError(Exception):
    """Base of every error Longtu raises on purpose; the message says what to do.

    Parameters
    ----------
    *args
        The English message (``str(error)``), as for any exception.
    zh
        The same facts in Chinese, for a person reading the app in Chinese: the file, row or
        option and what to do, without backticks, Python hints or temporary paths.

    Attributes
    ----------
    message_zh : str or None
        The Chinese message, or ``None`` when the error has none (the app then words it).

    Examples
    --------
    >>> error = InputFileError("a.tif: not a GeoTIFF.", zh="a.tif：不是 GeoTIFF。")
    >>> str(error), error.message_zh, isinstance(error, ValueError)
    ('a.tif: not a GeoTIFF.', 'a.tif：不是 GeoTIFF。', True)
    >>> LayerNotFoundError("no layer x", zh="没有图层 x").message_zh
    '没有图层 x'
    >>> print(LongtuError("plain").message_zh)
    None
    """

    def __init__(self, *args: object, zh: str | None = None) -> None:
        super().__init__(*args)
        self.message_zh = zh


# --- the kinds -----------------------------------------------------------------------------


class InputFileError(LongtuError, ValueError):
    """A user's file (vector or raster layer, archive) cannot be used as it is."""


class UserTableError(LongtuError, ValueError):
    """A table typed by people has a missing column, a bad cell or an unreadable encoding."""


class ParameterError(LongtuError, ValueError):
    """An argument or option has a value that cannot be used."""


class PlanValidationError(LongtuError, ValueError):
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


class LayerNotFoundError(LongtuError, KeyError):
    """A layer name that is not in the catalog; the message lists the valid names."""


class InstallationError(LongtuError, RuntimeError):
    """Something the installation should provide (a font, a vendored asset) is missing."""


# --- specific errors, by where they are raised -----------------------------------------------

ValidationError = PlanValidationError
"""The name :mod:`longtu.layout` has always exported for :class:`PlanValidationError`."""


class PlaceError(ParameterError):
    """A place reference of a plan row cannot be resolved (collected as a validation problem)."""


class CRSError(InputFileError):
    """Geometries with no CRS, or not in the CRS an analysis expects."""


class ConstraintFileError(InputFileError):
    """A constraint file cannot be read safely or used; the message says why."""


class RasterInputError(InputFileError):
    """A user raster cannot be used (unreadable, no CRS, wrong unit, outside Gansu)."""


class WaterInputError(UserTableError):
    """A water-ledger table (capacities, quotas, caps) cannot be used."""


class ScenarioError(ParameterError):
    """An edit, import or comparison of a scenario that cannot be made (workspace unchanged)."""


class WorkspaceError(InputFileError):
    """A workspace file that is not a Longtu workspace, is damaged or is from a newer version."""


class WorkspaceConflictError(ScenarioError):
    """The scenario changed under this session since it was opened; reload, then save again."""


class ConstraintInputError(ParameterError):
    """Inputs the constraint overlay cannot use; the message names the argument and the fix."""


class PointPatternInputError(ParameterError):
    """Points or parameters a point-pattern statistic cannot use."""


class ScreeningError(ParameterError):
    """Sites or thresholds the resource screening cannot use."""


class SuitabilityError(ParameterError):
    """Criteria or weights the suitability score cannot use."""


class UnknownIndustryError(ParameterError):
    """An industry name that is not in ``analysis/data/industries.csv``; the message lists keys."""


class PageError(ParameterError):
    """A print page that cannot be made as asked (extent, layers, paper)."""


class ProjectionError(ParameterError):
    """Geometries that cannot be put in the print maps' projection."""


class MissingGlyphError(ParameterError):
    """Text (a title, a label) with characters the embedded CJK font does not have."""


class OfflineAssetError(InstallationError):
    """A web-map asset that is not vendored, so it would have to come from the network."""
