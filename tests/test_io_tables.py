"""User-filled tables (capacities, caps, quotas, criteria): encodings, limits, number checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from longtu.analysis.io.tables import UserTableError, numeric_column, read_user_csv

TEXT = "feature_id,name_zh,output_t_per_yr\npark_a,酒泉经济技术开发区,600000\npark_b,金昌,\n"


@pytest.mark.parametrize(
    ("encoding", "read_as"),
    [("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")],
)
def test_excel_csv_in_every_encoding_reads_the_same(tmp_path, encoding, read_as):
    path = tmp_path / "capacities.csv"
    path.write_text(TEXT, encoding=encoding)
    table = read_user_csv(path, required=["feature_id"])
    assert table.attrs["encoding"] == read_as
    assert table["name_zh"].tolist() == ["酒泉经济技术开发区", "金昌"]
    assert table["output_t_per_yr"].iloc[0] == "600000" and pd.isna(
        table["output_t_per_yr"].iloc[1]
    )


def test_bad_files_get_messages_that_name_the_fix(tmp_path):
    binary = tmp_path / "capacities.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(UserTableError, match=r"not a text table .*CSV UTF-8"):
        read_user_csv(binary)
    big = tmp_path / "big.csv"
    big.write_text(TEXT * 100, encoding="utf-8")
    with pytest.raises(UserTableError, match=r"over the .* limit"):
        read_user_csv(big, max_bytes=1000)
    with pytest.raises(
        UserTableError, match="lacks column\\(s\\) county_adcode; it has feature_id"
    ):
        (tmp_path / "ok.csv").write_text(TEXT, encoding="utf-8")
        read_user_csv(tmp_path / "ok.csv", required=["county_adcode"])
    latin = tmp_path / "latin.csv"
    latin.write_bytes("a,b\n\x81\xff,1\n".encode("latin-1"))
    with pytest.raises(UserTableError, match="neither UTF-8 nor GBK"):
        read_user_csv(latin)
    with pytest.raises(UserTableError, match="no such file"):
        read_user_csv(tmp_path / "missing.csv")
    broken = tmp_path / "broken.csv"
    broken.write_text('a,b\n"unterminated,1\n', encoding="utf-8")
    with pytest.raises(UserTableError, match="not a readable CSV"):
        read_user_csv(broken)


def test_numbers_typed_by_people_are_read_and_bad_ones_named_by_file_row():
    typed = pd.DataFrame({"x": ["1,000", "１２", " 3.5 ", None, ""]})
    assert numeric_column(typed, "x", table="t").tolist()[:3] == [1000.0, 12.0, 3.5]
    assert np.isnan(numeric_column(typed, "x", table="t").iloc[3:]).all()
    # rows 1 and 3 were dropped earlier: the message keeps the numbers of the user's file
    bad = pd.DataFrame({"x": ["5", "六十万", "7", "n/a"]}, index=[1, 3, 4, 8])
    with pytest.raises(UserTableError, match="data row 4 '六十万', data row 9 'n/a'"):
        numeric_column(bad, "x", table="capacities")
    assert numeric_column(pd.DataFrame({"x": ["12,345.5", "-1,000"]}), "x", table="t",
                          nonnegative=False).tolist() == [12345.5, -1000.0]  # fmt: skip
    with pytest.raises(UserTableError, match="data row 1 '1,5', data row 2 '10,00'"):
        numeric_column(pd.DataFrame({"x": ["1,5", "10,00"]}), "x", table="t")  # not 15, not 1000
    with pytest.raises(UserTableError, match="negative values: data row 2 '-3'"):
        numeric_column(pd.DataFrame({"x": ["1", "-3"]}), "x", table="caps")
    assert numeric_column(pd.DataFrame({"x": ["-3"]}), "x", table="t", nonnegative=False)[0] == -3
