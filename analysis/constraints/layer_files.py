"""Constraint layer files read a partition at a time: what a file says of itself, and its rows.

:func:`layer_info` reads a file's feature count, extent, CRS and name column without reading a
feature. :func:`read_partition` reads the features of one partition (a run of lattice tiles,
:func:`~longtu.analysis.constraints.large.layer_partitions`) and cuts them into cells: only the
rows whose bounding box meets one of the run's tiles, not every row in the run's bounding box (a
run of four tiles in Hilbert order is often L-shaped: its box held 343,415 of the ten-million-box
layer's rows for 224,796 that meet its tiles). A GeoParquet's rows are chosen from its bounding-
box column before any geometry is decoded, in the row groups whose boxes meet the tiles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from longtu.analysis.constraints.check import NAME_COLUMNS
from longtu.analysis.constraints.conflict_rows import name_strings
from longtu.analysis.constraints.overlay import repair
from longtu.analysis.constraints.tiles import cut_to_cells, tile_size
from longtu.errors import ConstraintFileError

__all__ = ["LayerInfo", "layer_info", "read_partition", "tiles_met"]


@dataclass
class LayerInfo:
    """What a layer file says about itself, before any feature is read."""

    features: int
    bounds: tuple[float, float, float, float]
    crs: CRS
    name_column: str | None
    dimension: int | None = None
    """Lowest dimension of the geometry types the file declares (2: polygons only); None if it
    declares none or a collection."""


def layer_info(path: str | Path, *, layer: str | None = None) -> LayerInfo:
    """Feature count, extent, CRS and name column of a vector file or GeoParquet, unread.

    Examples
    --------
    >>> import tempfile
    >>> path = f"{tempfile.mkdtemp()}/red.fgb"
    >>> gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.box(103, 36, 104, 37)],
    ...     crs=4326).to_file(path)
    >>> info = layer_info(path)
    >>> info.features, info.bounds, info.name_column
    (1, (103.0, 36.0, 104.0, 37.0), 'name')
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        metadata = pq.ParquetFile(path).metadata
        geo = _geo_metadata(path)
        column = geo["primary_column"]
        # Row-group statistics first: a file written in chunks may declare one chunk's bbox.
        groups = _row_group_boxes(path)
        usable = groups is not None and np.isfinite(groups).all()
        bbox = _parquet_bounds(path) if usable else geo["columns"][column].get("bbox")
        if bbox is None:
            bbox = _parquet_bounds(path)  # says what is missing
        names = metadata.schema.names
        crs = CRS.from_user_input(geo["columns"][column].get("crs") or "OGC:CRS84")
        types = list(geo["columns"][column].get("geometry_types") or [])
        count = metadata.num_rows
    else:
        raw = pyogrio.read_info(
            path, layer=layer, force_feature_count=True, force_total_bounds=True
        )
        bbox, names, count = raw["total_bounds"], list(raw["fields"]), raw["features"]
        types = [raw["geometry_type"]] if raw.get("geometry_type") else []
        if raw["crs"] is None:
            raise ConstraintFileError(
                f"`{path.name}` has no CRS; add its .prj / CRS in a GIS.",
                zh=f"{path.name} 未注明坐标系；请在 GIS 中补上坐标系（.prj）。",
            )
        crs = CRS.from_user_input(raw["crs"])
    name = next((c for c in NAME_COLUMNS if c in names), None)
    west, south, east, north = (float(b) for b in bbox)
    return LayerInfo(int(count), (west, south, east, north), crs, name, _lowest_dimension(types))


def _lowest_dimension(types: list[str]) -> int | None:
    """Lowest dimension of declared geometry types (``"MultiPolygon Z"``, ``"Point"``...).

    Examples
    --------
    >>> _lowest_dimension(["Polygon", "MultiPolygon Z"]), _lowest_dimension(["Unknown"])
    (2, None)
    """
    dimensions = {"point": 0, "linestring": 1, "polygon": 2}
    found = []
    for name in types:
        kind = name.split()[0].lower().removeprefix("multi").removesuffix("25d")
        if kind not in dimensions:
            return None
        found.append(dimensions[kind])
    return min(found) if found else None


def _geo_metadata(path: Path) -> dict:
    import pyarrow.parquet as pq

    raw = pq.ParquetFile(path).schema_arrow.metadata or {}
    if b"geo" not in raw:
        raise ConstraintFileError(
            f"`{path.name}` is Parquet without GeoParquet metadata.",
            zh=f"{path.name} 是不含 GeoParquet 元数据的普通 Parquet；"
            "请在 GIS 中导出为 GeoParquet。",
        )
    return json.loads(raw[b"geo"])


def _parquet_bounds(path: Path) -> tuple[float, ...]:
    """Extent of a GeoParquet without a ``bbox`` entry, from its row groups' covering boxes."""
    groups = _row_group_boxes(path)
    if groups is None:
        raise ConstraintFileError(
            f"`{path.name}` has neither its extent nor a bounding-box column; write it with "
            "`to_parquet(..., write_covering_bbox=True)`.",
            zh=f"{path.name} 既未记录范围，也没有边界框（bbox）列；请重新导出为带边界框列的 "
            "GeoParquet。",
        )
    return (groups[:, 0].min(), groups[:, 1].min(), groups[:, 2].max(), groups[:, 3].max())


def _row_group_boxes(path: Path) -> np.ndarray | None:
    """Per row group, the (xmin, ymin, xmax, ymax) of its covering ``bbox`` column statistics."""
    import pyarrow.parquet as pq

    geo = _geo_metadata(path)
    covering = geo["columns"][geo["primary_column"]].get("covering", {}).get("bbox")
    if not covering:
        return None
    metadata = pq.ParquetFile(path).metadata
    paths = {".".join(covering[k]): k for k in ("xmin", "ymin", "xmax", "ymax")}
    boxes = np.full((metadata.num_row_groups, 4), np.nan)
    for g in range(metadata.num_row_groups):
        group = metadata.row_group(g)
        for c in range(group.num_columns):
            column = group.column(c)
            key = paths.get(column.path_in_schema)
            if key is not None and column.statistics is not None:
                stat = column.statistics.min if key in ("xmin", "ymin") else column.statistics.max
                boxes[g, ("xmin", "ymin", "xmax", "ymax").index(key)] = stat
    return boxes


def tiles_met(bounds: np.ndarray, tiles: np.ndarray, size: float) -> np.ndarray:
    """Whether each bounding box (rows of west, south, east, north) meets one of `tiles`.

    `tiles` are ``(column, row)`` indices of lattice tiles of side `size`. A box touching a tile
    from outside counts as meeting it (the cut decides which pieces are the tile's). One lookup
    per box in a summed table of the tiles, however many tiles it spans.

    Examples
    --------
    >>> run = np.array([[0, 0], [1, 1]])  # two tiles corner to corner
    >>> boxes = np.array([[0.2, 0.2, 0.4, 0.4], [1.2, 0.2, 1.4, 0.4], [0.5, 0.5, 1.5, 1.5]])
    >>> tiles_met(boxes, run, 1.0).tolist()
    [True, False, True]
    """
    low = tiles.min(axis=0)
    shape = tiles.max(axis=0) - low + 1
    grid = np.zeros(shape + 1, dtype=np.int64)
    grid[tiles[:, 0] - low[0] + 1, tiles[:, 1] - low[1] + 1] = 1
    summed = grid.cumsum(axis=0).cumsum(axis=1)
    with np.errstate(invalid="ignore"):
        first = np.floor(bounds[:, :2] / size) - low
        last = np.floor(bounds[:, 2:] / size) - low
    ok = np.isfinite(first).all(axis=1) & np.isfinite(last).all(axis=1)
    first = np.clip(np.where(ok[:, None], first, 0), 0, shape).astype(np.int64)
    last = np.clip(np.where(ok[:, None], last, -1) + 1, 0, shape).astype(np.int64)
    count = (
        summed[last[:, 0], last[:, 1]]
        - summed[first[:, 0], last[:, 1]]
        - summed[last[:, 0], first[:, 1]]
        + summed[first[:, 0], first[:, 1]]
    )
    return ok & (count > 0)


def read_partition(
    path: str | Path, tiles: np.ndarray, crs, *, layer: str | None, name_column: str | None
) -> gpd.GeoDataFrame:
    """The features of `path` that meet `tiles`, cut along the lattice, pieces in `tiles` only.

    Columns ``source`` (the feature's row), ``cell`` (a cell key), ``name`` (when the layer has
    a name column) and the pieces' geometry, in the file's CRS.
    """
    frame = _read_tiles(Path(path), tiles, tile_size(crs), layer, name_column)
    geometry, keep, _, _ = repair(frame.geometry.to_numpy())
    finite = keep & np.isfinite(shapely.bounds(geometry)).all(axis=1)
    source = frame.index.to_numpy()[finite]
    cells = cut_to_cells(geometry[finite], crs, source=source)
    tile = _tiles_of(cells, crs)
    mine = pd.MultiIndex.from_arrays(tile.T).isin(pd.MultiIndex.from_arrays(tiles.T))
    columns = {"source": cells.source[mine], "cell": cells.cell[mine]}
    if name_column is not None:
        names = pd.Series(name_strings(frame[name_column]), index=frame.index)
        columns["name"] = names.loc[cells.source[mine]].to_numpy()
    return gpd.GeoDataFrame(columns, geometry=cells.pieces[mine], crs=crs)


def _tiles_of(cells, crs) -> np.ndarray:
    """The lattice tile (column, row) each piece lies in (from its representative point)."""
    size = tile_size(crs)
    bounds = shapely.bounds(cells.pieces)
    middle = np.column_stack([bounds[:, 0] + bounds[:, 2], bounds[:, 1] + bounds[:, 3]]) / 2
    return np.floor(middle / size).astype(np.int64)


def _read_tiles(path: Path, tiles: np.ndarray, size: float, layer, name_column):
    """The rows of `path` whose bounding box meets one of `tiles`, indexed by row."""
    columns = [] if name_column is None else [name_column]
    if path.suffix.lower() == ".parquet":
        return _read_parquet_tiles(path, tiles, size, columns)
    west, south = tiles.min(axis=0) * size
    east, north = (tiles.max(axis=0) + 1) * size
    frame = pyogrio.read_dataframe(
        path,
        layer=layer,
        bbox=(west, south, east, north),
        columns=columns,
        fid_as_index=True,
        use_arrow=True,
    )
    return frame[tiles_met(shapely.bounds(frame.geometry.to_numpy()), tiles, size)]


def _read_parquet_tiles(path: Path, tiles: np.ndarray, size: float, columns: list[str]):
    """:func:`_read_tiles` of a GeoParquet: rows chosen by their bounding-box column, decoded."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    n_groups = file.metadata.num_row_groups
    rows = [file.metadata.row_group(g).num_rows for g in range(n_groups)]
    offsets = np.r_[0, np.cumsum(rows)]
    boxes = _row_group_boxes(path)
    groups = np.arange(n_groups)
    if boxes is not None:  # a row group without statistics is read
        groups = np.flatnonzero(tiles_met(boxes, tiles, size) | ~np.isfinite(boxes).all(axis=1))
    geo = _geo_metadata(path)
    covering = geo["columns"][geo["primary_column"]].get("covering", {}).get("bbox")
    wanted = [geo["primary_column"], *columns]
    if covering:
        wanted.append(covering["xmin"][0])
    frames = []
    for g in groups.tolist():
        table = file.read_row_group(g, columns=wanted)
        bounds = _covering_bounds(table, covering)
        index = np.arange(offsets[g], offsets[g + 1])
        if bounds is not None:
            met = tiles_met(bounds, tiles, size)
            table, index = table.filter(met), index[met]
        part = _from_table(table.drop([covering["xmin"][0]]) if covering else table, geo)
        part.index = index
        if bounds is None:
            part = part[tiles_met(shapely.bounds(part.geometry.to_numpy()), tiles, size)]
        frames.append(part)
    if not frames:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=None)
    return pd.concat(frames)


def _covering_bounds(table, covering: dict | None) -> np.ndarray | None:
    """Each row's (west, south, east, north) from the GeoParquet's bounding-box column."""
    if not covering:
        return None
    import pyarrow.compute as pc

    values = []
    for key in ("xmin", "ymin", "xmax", "ymax"):
        column, field = covering[key]
        values.append(pc.struct_field(table.column(column), field).to_numpy(zero_copy_only=False))
    return np.column_stack(values).astype(np.float64)


def _from_table(table, geo: dict) -> gpd.GeoDataFrame:
    column = geo["primary_column"]
    geometry = shapely.from_wkb(table.column(column).to_numpy(zero_copy_only=False))
    rest = table.drop([column]).to_pandas()
    return gpd.GeoDataFrame(rest, geometry=geometry)
