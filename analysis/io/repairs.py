"""What the vector reader repairs or drops, and says so (``report["repairs"]``).

Each note is a ``(kind, note)`` pair, ``kind`` one of ``repaired``, ``dropped`` or ``note``, the
note naming the rows (1-based features of the file). Nothing is repaired or dropped silently:
:func:`longtu.analysis.constraints.extent.layer_notes` puts these in every check's
``layer_notes`` table, and the CLI and the app print them.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pyogrio.raw
import shapely

from longtu.errors import ConstraintFileError


def drop_nonfinite(frame: gpd.GeoDataFrame, *, shown: str, report: dict) -> gpd.GeoDataFrame:
    """`frame` without the features whose coordinates are NaN or infinite (listed in `report`)."""
    coordinates, index = shapely.get_coordinates(frame.geometry.to_numpy(), return_index=True)
    bad_rows = np.unique(index[~np.isfinite(coordinates).all(axis=1)])
    if not len(bad_rows):
        return frame
    add_repair(report, "dropped", f"{feature_rows(bad_rows)} with NaN or infinite coordinates")
    if len(bad_rows) == len(frame):
        raise ConstraintFileError(
            f"`{shown}`: every feature has NaN or infinite coordinates; export it again "
            "from a GIS with real coordinates.",
            zh=f"{shown} 中没有一个要素的坐标可用（都是 NaN 或无穷大）；请在 GIS 中用真实坐标"
            "重新导出。",
        )
    return frame.drop(index=frame.index[bad_rows]).reset_index(drop=True)


def feature_rows(positions: np.ndarray) -> str:
    """``"2 features (rows 1, 4)"``: 1-based feature numbers, the first ten."""
    shown = ", ".join(str(int(p) + 1) for p in positions[:10])
    more = f", … (+{len(positions) - 10})" if len(positions) > 10 else ""
    return f"{len(positions)} feature(s) (rows {shown}{more})"


def add_repair(report: dict, kind: str, note: str) -> None:
    """Add the note ``(kind, note)`` to ``report["repairs"]``."""
    repairs = report.setdefault("repairs", [])
    repairs.append((kind, note))


def read_leniently(
    path: Path, *, layer: str | None, encoding: str | None, report: dict
) -> gpd.GeoDataFrame:
    """The features of a file some of whose geometries GEOS refuses (unclosed rings, NaN).

    Unclosed rings are closed; geometries that still cannot be read are dropped; both listed.
    """
    attributes = pyogrio.read_dataframe(path, layer=layer, encoding=encoding, read_geometry=False)
    wkb = pyogrio.raw.read(path, layer=layer, encoding=encoding, columns=[])[2]
    with np.errstate(invalid="ignore"):
        strict = shapely.from_wkb(wkb, on_invalid="ignore")
        fixed = shapely.from_wkb(wkb, on_invalid="fix")
    closed = np.flatnonzero(shapely.is_missing(strict) & ~shapely.is_missing(fixed))
    broken = np.flatnonzero(shapely.is_missing(fixed) & ~shapely.is_missing(wkb))
    if len(closed):
        add_repair(report, "repaired", f"{feature_rows(closed)} with a ring not closed: closed")
    if len(broken) and len(broken) == len(wkb):
        raise ConstraintFileError(
            f"`{path.name}`: no feature's geometry can be read (NaN coordinates or broken "
            "rings); export it again from a GIS with real coordinates.",
            zh=f"{path.name} 中没有一个要素的坐标可用（NaN 坐标或破损的环）；请在 GIS 中重新导出。",
        )
    if len(broken):
        add_repair(
            report,
            "dropped",
            f"{feature_rows(broken)} whose geometry cannot be read (NaN coordinates or a "
            "broken ring)",
        )
    crs = pyogrio.read_info(path, layer=layer, encoding=encoding)["crs"]
    frame = gpd.GeoDataFrame(attributes, geometry=fixed, crs=crs)
    return frame.drop(index=frame.index[broken]).reset_index(drop=True)


def note_repairs(
    before: np.ndarray, after: np.ndarray, keep: np.ndarray, invalid: np.ndarray, report: dict
) -> None:
    """Add to ``report["repairs"]`` the rows dropped (no geometry), repaired, or changed kind."""
    if (~keep).any():
        dropped = f"{feature_rows(np.flatnonzero(~keep))} with no geometry (null, empty or NaN)"
        add_repair(report, "dropped", dropped)
    kinds = {0: "point", 1: "line", 2: "polygon"}
    dims_before = shapely.get_dimensions(before[invalid])
    dims_after = shapely.get_dimensions(after[invalid])
    lost = np.flatnonzero(invalid)[dims_after < dims_before]
    fixed = np.flatnonzero(invalid)[dims_after >= dims_before]
    if len(fixed):
        note = f"{feature_rows(fixed)} invalid (e.g. self-intersecting): made valid"
        add_repair(report, "repaired", note)
    for row in lost[:10]:
        was, now = (
            kinds.get(int(shapely.get_dimensions(before[row])), "?"),
            kinds.get(int(shapely.get_dimensions(after[row])), "?"),
        )
        add_repair(
            report,
            "repaired",
            f"row {row + 1}: an invalid {was} (e.g. a ring of three points) became a {now}; "
            "check it in a GIS",
        )


def repaired_frame(
    frame: gpd.GeoDataFrame, repaired: tuple, *, shown: str, report: dict
) -> gpd.GeoDataFrame:
    """`frame` with :func:`~longtu.analysis.constraints.overlay.repair` applied to its geometry.

    Drops the rows with no geometry and records the repairs in `report`.

    Examples
    --------
    >>> import shapely
    >>> frame = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), None], crs=4326)
    >>> report = {}
    >>> from longtu.analysis.constraints.overlay import repair
    >>> len(repaired_frame(frame, repair(frame.geometry.to_numpy()), shown="a", report=report))
    1
    >>> report["n_dropped_empty"], report["n_repaired"]
    (1, 0)
    """
    geometry, keep, invalid, changed = repaired
    note_repairs(frame.geometry.to_numpy(), geometry, keep, invalid, report)
    if changed:
        frame = frame.copy()
        frame[frame.geometry.name] = gpd.GeoSeries(geometry, crs=frame.crs, index=frame.index)
    if not keep.all():
        frame = frame[keep].reset_index(drop=True)
    if frame.empty:
        raise ConstraintFileError(
            f"`{shown}` has no features with a geometry; nothing to check.",
            zh=f"{shown} 中没有带几何的要素，无可检查；请确认导出了正确的图层。",
        )
    report.update(
        n_features=len(frame), n_repaired=int(invalid.sum()), n_dropped_empty=int((~keep).sum())
    )
    report.setdefault("encoding", "")
    return frame
