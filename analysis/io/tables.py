"""Reading the tables a user fills in (capacities, caps, water quotas, criteria), safely.

Planners fill these tables in Excel and save them as CSV; on a Chinese-locale Windows machine
that CSV is GBK, elsewhere UTF-8 with or without a byte-order mark. :func:`read_user_csv` reads
all three (GB18030 is the superset of GBK and GB2312), refuses a file that is too large or not a
table, and says in its message which file failed and what to do. :func:`numeric_column` turns a
column of typed numbers into floats and names the rows that are not numbers, or are negative,
instead of the bare pandas error. Nothing in a file is ever executed.

This module does the file I/O for the analyses, which stay pure.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from longtu import settings
from longtu.errors import LongtuError, UserTableError

if TYPE_CHECKING:
    import geopandas as gpd

DEFAULT_MAX_BYTES = 20 * 1024**2
"""Largest user table accepted (20 MiB: far above any capacity or quota table)."""
ENCODINGS = ("utf-8-sig", "gb18030")
"""Encodings tried in order: UTF-8 (BOM or not), then GB18030 (GBK / GB2312 files)."""


_THOUSANDS = r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?"
"""A number written with thousands separators (``1,000``, ``12,345.6``); ``1,5`` is not one."""


def check_file_size(
    path: Path,
    max_bytes: int,
    *,
    kind: str,
    advice: str,
    advice_zh: str = "请确认是正确的文件，或先裁剪到需要的范围",
    error: type[LongtuError] = UserTableError,
) -> int:
    r"""Refuse a missing, empty or too large file before reading a byte of it; return its size.

    Parameters
    ----------
    path
        The file.
    max_bytes
        Largest size accepted, in bytes.
    kind, advice
        What the limit is for (``"uploads"``) and what to do, for the message.
    advice_zh
        What to do, in Chinese, for the error's Chinese message.
    error
        Exception class raised (a :class:`~longtu.errors.LongtuError` subclass of the caller's
        module, also a ``ValueError``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "caps.csv"
    >>> _ = path.write_text("scope,key\n")
    >>> check_file_size(path, 1024, kind="a user table", advice="check the file")
    10
    >>> check_file_size(path, 5, kind="a user table", advice="check the file")
    Traceback (most recent call last):
    ...
    longtu.errors.UserTableError: `caps.csv` is 0.0 MiB, over the 0 MiB limit for ...
    """
    if not path.is_file():
        raise error(
            f"`{path.name}`: no such file ({path}).", zh=f"{path.name}：文件不存在；请检查文件名。"
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise error(
            f"`{path.name}` is {size / 1024**2:.1f} MiB, over the {max_bytes / 1024**2:.0f} MiB "
            f"limit for {kind}; {advice}.",
            zh=f"{path.name} 有 {size / 1024**2:.1f} MiB，超过 {max_bytes / 1024**2:.0f} MiB "
            f"的上限；{advice_zh}。",
        )
    if size == 0:
        raise error(
            f"`{path.name}` is empty (0 bytes).",
            zh=f"{path.name} 是空文件（0 字节）；请确认上传了正确的文件。",
        )
    return size


def decode_text(raw: bytes, *, name: str) -> tuple[str, str]:
    r"""Decode a user file as UTF-8 or GB18030; return ``(text, encoding)``.

    Examples
    --------
    >>> decode_text("园区".encode("gbk"), name="x.csv")
    ('园区', 'gb18030')
    >>> decode_text("\ufeff园区".encode("utf-8"), name="x.csv")
    ('园区', 'utf-8-sig')
    """
    if b"\x00" in raw[:4096]:
        raise UserTableError(
            f"{name} is not a text table (it holds binary data); save it from Excel as "
            "'CSV UTF-8' (.csv).",
            zh=f"{name} 不是文本表格（含二进制数据）；请在 Excel 中另存为“CSV UTF-8”（.csv）。",
        )
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UserTableError(
        f"{name} is neither UTF-8 nor GBK/GB18030 text; save it from Excel as 'CSV UTF-8' (.csv).",
        zh=f"{name} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本；"
        "请在 Excel 中另存为“CSV UTF-8”（.csv）。",
    )


def read_user_csv(
    path: str | Path,
    *,
    required: list[str] | tuple[str, ...] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> pd.DataFrame:
    r"""Read a user-filled CSV table (UTF-8 or GBK) with every cell as text.

    Parameters
    ----------
    path
        The CSV file.
    required
        Columns the table must have; a missing one raises with the list of what is there.
    max_bytes
        Largest file accepted, in bytes.

    Returns
    -------
    pandas.DataFrame
        Every column as ``str`` (blank cells ``NaN``); ``attrs["encoding"]`` says how it was read.

    Raises
    ------
    UserTableError
        The file is missing, too large, binary, in another encoding, not a CSV table, or lacks
        a required column.

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "caps.csv")
    >>> with open(path, "w", encoding="gbk") as f:
    ...     _ = f.write("scope,key,cap_1e4_m3_per_yr\nbasin,黑河,100\n")
    >>> table = read_user_csv(path, required=["scope", "key"])
    >>> table["key"].tolist(), table.attrs["encoding"]
    (['黑河'], 'gb18030')
    """
    file = Path(path)
    check_file_size(file, max_bytes, kind="a user table", advice="check it is the right file")
    text, encoding = decode_text(file.read_bytes(), name=file.name)
    header, frame = _parse_csv(text, name=file.name)
    _check_header([str(c).strip() for c in header], name=file.name)
    if len(header) == len(frame.columns):
        frame.columns = [str(c).strip() for c in header]
    else:
        frame.columns = [str(c).strip() for c in frame.columns]
    _check_required(frame, required, name=file.name)
    frame.attrs["encoding"] = encoding
    return frame


def _parse_csv(text: str, *, name: str) -> tuple[list[str], pd.DataFrame]:
    """The header row as written and the table, every cell as text (blank cells ``NaN``)."""
    try:
        header = next(csv.reader(io.StringIO(text)), [])
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            skipinitialspace=True,
            keep_default_na=False,  # a typed "NaN" or "NA" is text, named if not a number
            na_values=[""],
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise UserTableError(
            f"{name} is not a readable CSV table: {exc}",
            zh=f"{name} 不是可读的 CSV 表格（列数不一致或没有表头）；请在 Excel 中检查后"
            "另存为“CSV UTF-8”（.csv）。",
        ) from exc
    return header, frame


def _check_required(
    frame: pd.DataFrame, required: list[str] | tuple[str, ...], *, name: str
) -> None:
    """Refuse a table without a column of `required`, listing the columns it has."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise UserTableError(
            f"{name} lacks column(s) {', '.join(missing)}; it has "
            f"{', '.join(frame.columns)}. Start from the template the command writes.",
            zh=f"{name} 缺少列 {'、'.join(missing)}（现有列：{'、'.join(frame.columns)}）；"
            "请从模板表格开始填写。",
        )


def _check_header(columns: list[str], *, name: str) -> None:
    """Refuse a header with a column named twice (pandas would rename one ``x.1``)."""
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    if twice:
        raise UserTableError(
            f"{name} has the column(s) {', '.join(twice)} more than once; keep one of each "
            "(delete or rename the copy).",
            zh=f"{name} 中列 {'、'.join(twice)} 出现了不止一次；"
            "每列只保留一个（删除或改名重复的列）。",
        )


def numeric_column(
    frame: pd.DataFrame,
    column: str,
    *,
    table: str,
    table_zh: str | None = None,
    nonnegative: bool = True,
    error: type[LongtuError] = UserTableError,
) -> pd.Series:
    """A column of typed numbers as floats (blank = NaN), naming the rows that are not numbers.

    Thousands separators (``1,000``) and full-width digits (``１０００``) are accepted, as Excel
    and Chinese input methods write them; a decimal comma (``1,5``) is not a number here.

    The table is named `table` in the English message and `table_zh` (default `table`) in
    the Chinese one.

    Raises
    ------
    UserTableError
        (or the subclass given as ``error``) Some cells are not numbers, or are negative when
        ``nonnegative``; the message gives the row numbers (1 = first data row; taken from
        an integer index, so rows dropped earlier keep the numbers of the user's file).

    Examples
    --------
    >>> t = pd.DataFrame({"output_t_per_yr": ["1,000", "１２", None]})
    >>> numeric_column(t, "output_t_per_yr", table="capacities").tolist()
    [1000.0, 12.0, nan]
    >>> numeric_column(pd.DataFrame({"x": ["ten"]}), "x", table="caps")
    Traceback (most recent call last):
    ...
    longtu.errors.UserTableError: `caps` column x has values that are not numbers: ...
    """
    raw = frame[column]
    if pd.api.types.is_numeric_dtype(raw):
        values = raw.astype(float)
        bad = pd.Series(False, index=raw.index)
    else:
        text = raw.astype("string").str.normalize("NFKC").str.strip()
        grouped = text.str.fullmatch(_THOUSANDS).fillna(False)
        text = text.where(~grouped, text.str.replace(",", "")).mask(text == "")
        values = pd.to_numeric(text, errors="coerce").astype(float)
        bad = text.notna() & ~np.isfinite(values)
    bad |= np.isinf(values)
    named_zh = table_zh or f"{table} "  # a file name, then a space before the Chinese
    not_numbers = (
        f"`{table}` column {column} has values that are not numbers",
        f"{named_zh}的列 {column} 中有不是数字的值",
    )
    _raise_rows(raw, bad, not_numbers, error)
    if nonnegative:
        negative = (
            f"`{table}` column {column} has negative values",
            f"{named_zh}的列 {column} 中有负值",
        )
        _raise_rows(raw, values < 0, negative, error)
    return pd.Series(np.asarray(values, dtype=float), index=frame.index, name=column)


def _raise_rows(
    raw: pd.Series, bad: pd.Series, what: tuple[str, str], error: type[LongtuError]
) -> None:
    """Raise `error` naming the rows where `bad` (`what`: the problem in English, Chinese)."""
    if not bad.any():
        return
    positions = np.flatnonzero(bad.to_numpy())
    labels = raw.index
    numbered = pd.api.types.is_integer_dtype(labels) and labels.is_unique
    rows = [int(labels[i]) + 1 if numbered else i + 1 for i in positions]
    shown = ", ".join(
        f"data row {r} {raw.iloc[i]!r}" for r, i in zip(rows[:5], positions, strict=False)
    )
    more = f" and {len(positions) - 5} more" if len(positions) > 5 else ""
    shown_zh = "，".join(
        f"第 {r} 行数据 {raw.iloc[i]!r}" for r, i in zip(rows[:5], positions, strict=False)
    )
    more_zh = f"，另有 {len(positions) - 5} 行" if len(positions) > 5 else ""
    raise error(f"{what[0]}: {shown}{more}.", zh=f"{what[1]}：{shown_zh}{more_zh}；请填入数字。")


def read_station_table(
    path: str | Path, value_column: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> gpd.GeoDataFrame:
    r"""Station measurements typed in a CSV (``lon``, ``lat`` in WGS84 and `value_column`).

    Rows with a blank value are left out; coordinates and values must be numbers, and the
    coordinates longitude and latitude in degrees.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "stations.csv"
    >>> _ = path.write_text("lon,lat,ghi\n103.8,36.1,1550\n94.7,40.1,1,700\n", "utf-8")
    >>> read_station_table(path, "ghi")
    Traceback (most recent call last):
    ...
    longtu.errors.UserTableError: ...
    >>> text = 'lon,lat,ghi\n103.8,36.1,1550\n94.7,40.1,"1,700"\n95,40,\n'
    >>> _ = path.write_text(text, "utf-8")
    >>> read_station_table(path, "ghi")["ghi"].tolist()
    [1550.0, 1700.0]
    """
    import geopandas as gpd

    table = read_user_csv(path, required=["lon", "lat", value_column], max_bytes=max_bytes)
    shown = Path(path).name
    lon = numeric_column(table, "lon", table=shown, nonnegative=False)
    lat = numeric_column(table, "lat", table=shown, nonnegative=False)
    values = numeric_column(table, value_column, table=shown, nonnegative=False)
    keep = values.notna()
    bad = keep & (lon.isna() | lat.isna() | ~lon.between(-180, 180) | ~lat.between(-90, 90))
    if bad.any():
        rows = ", ".join(str(i + 1) for i in table.index[bad][:10])
        raise UserTableError(
            f"`{shown}`: data rows {rows} have no longitude/latitude in degrees (WGS84); "
            "fill the lon and lat columns.",
            zh=f"{shown}：第 {rows.replace(', ', '、')} 行数据没有经纬度"
            "（WGS84 度）；请填写 lon 与 lat 两列。",
        )
    return gpd.GeoDataFrame(
        {value_column: values[keep].to_numpy()},
        geometry=gpd.points_from_xy(lon[keep], lat[keep]),
        crs=settings.storage_crs,
    )
