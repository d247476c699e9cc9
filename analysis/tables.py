"""The editable reference tables shipped in ``analysis/data/`` (CSV, UTF-8, one source per row).

Each function returns a fresh DataFrame (adcodes as strings); analyses take these tables as
arguments, so a user can pass an edited copy instead. The tables are package data, read like
the plan tables: no network, nothing written.

resource_zones
    NDRC wind (2009) and PV (2013) benchmark-tariff resource classes per prefecture.
screening_thresholds
    Siting exclusions and penalties per technology, each with its source.
water_coefficients
    Water-use intensity per industry (GB/T 18916 parts); empty where the user must supply it.
water_quota_reference
    Quota values found transcribed by a third party, each with where it was republished and
    read; not checked against the standard texts, so never used unless the user picks them.
county_basins
    River basin of every county-level unit, with the basis and an uncertainty flag.
caps_template, capacities_template
    Empty user tables for the water ledger (caps by basin/prefecture; capacities by park).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

import numpy as np
import pandas as pd

_STRING_COLUMNS = ["prefecture_adcode", "county_adcode", "value", "zone_class"]


def _read(name: str) -> pd.DataFrame:
    path = resources.files("longtu.analysis") / "data" / f"{name}.csv"
    with path.open("rb") as handle:
        frame = pd.read_csv(handle, dtype={c: str for c in _STRING_COLUMNS}, encoding="utf-8")
    return frame


def resource_zones() -> pd.DataFrame:
    """NDRC resource classes per prefecture and technology (``wind``, ``pv``).

    Examples
    --------
    >>> zones = resource_zones()
    >>> zones.query("prefecture_adcode == '620900'")[["technology", "zone_class"]].values.tolist()
    [['wind', 'II'], ['pv', 'I']]
    """
    return _read("resource_zones")


def screening_thresholds() -> pd.DataFrame:
    """Siting thresholds per technology and criterion, with action, penalty and source.

    Examples
    --------
    >>> t = screening_thresholds()
    >>> t.query("technology == 'wind' and criterion == 'slope_max'")["value"].item()
    '11.31'
    """
    return _read("screening_thresholds")


def water_coefficients() -> pd.DataFrame:
    """Water-use intensity by industry; empty coefficient cells mean "user to supply".

    Examples
    --------
    >>> w = water_coefficients()
    >>> w.loc[w["industry_key"] == "steel", "standard"].item()
    'GB/T 18916.2'
    """
    return _read("water_coefficients")


def water_quota_reference() -> pd.DataFrame:
    """Transcribed water-use quota values a user may pick, each with its provenance.

    No primary text of a GB/T 18916 part or of the 水利部 2019 quotas is available offline; these
    rows are values a third party transcribed from official re-publications (``republished_in``),
    as read in ``read_via``. ``checked_against_standard`` is ``"no"`` on every row: the ledger
    uses a row only when the user picks it
    (:func:`longtu.analysis.water.ledger.apply_quota_reference`), and then marks the demand as
    resting on an unchecked transcription.

    Examples
    --------
    >>> ref = water_quota_reference().set_index("reference_id")
    >>> row = ref.loc["coal_to_methanol_new"]
    >>> row["quota_tier_zh"], float(row["water_m3_per_t"])
    ('新建和改扩建企业', 11.0)
    >>> sorted(ref["checked_against_standard"].unique())
    ['no']
    """
    frame = _read("water_quota_transcribed")
    return frame.astype({"water_m3_per_t": float, "water_m3_per_mwh": float})


def county_basins() -> pd.DataFrame:
    """River basin of each county adcode (``hexi_inland`` and ``uncertain`` as booleans).

    Examples
    --------
    >>> b = county_basins()
    >>> b.loc[b["county_adcode"] == "620621", "basin_zh"].item()
    '石羊河'
    """
    frame = _read("county_basins")
    for column in ("hexi_inland", "uncertain"):
        frame[column] = frame[column].astype(str).str.lower() == "true"
    return frame


def caps_template(basins: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """An empty cap table (every basin and prefecture) for the user to fill in.

    Parameters
    ----------
    basins
        :func:`county_basins`.
    names
        Prefecture adcode -> name (e.g. from the ``prefectures`` layer) for the ``name_zh``
        column; basins are named by their key.

    Examples
    --------
    >>> t = caps_template(county_basins(), names={"620100": "兰州市"})
    >>> sorted(t.loc[t["scope"] == "basin", "key"])
    ['疏勒河', '石羊河', '长江', '黄河', '黑河']
    >>> t.loc[t["key"] == "620100", "name_zh"].item()
    '兰州市'
    >>> bool(t["cap_1e4_m3_per_yr"].isna().all())
    True
    """
    rows = [("basin", b, b) for b in sorted(basins["basin_zh"].unique())]
    rows += [
        ("prefecture", p, (names or {}).get(p, ""))
        for p in sorted(basins["prefecture_adcode"].unique())
    ]
    frame = pd.DataFrame(rows, columns=["scope", "key", "name_zh"])
    return frame.assign(cap_1e4_m3_per_yr=np.nan, year="", source="")


def capacities_template(parks: pd.DataFrame) -> pd.DataFrame:
    """An empty capacity table, one row per water-intensive park and group, to fill in.

    The county is filled in where the park lies in one county; otherwise
    ``county_adcode_choices`` lists its counties. ``industry_key_choices`` lists the keys of
    :func:`water_coefficients` in the row's group.

    Parameters
    ----------
    parks
        Output of :func:`longtu.analysis.water.fit.park_water_context` (``feature_id``, ``name_zh``,
        ``water_groups``; ``county_adcodes`` when known).

    Examples
    --------
    >>> parks = pd.DataFrame({"feature_id": ["p"], "name_zh": ["某园"],
    ...                       "water_groups": ["steel;thermal_power"],
    ...                       "county_adcodes": ["620902"]})
    >>> t = capacities_template(parks)
    >>> t[["feature_id", "industry_group", "county_adcode"]].values.tolist()
    [['p', 'steel', '620902'], ['p', 'thermal_power', '620902']]
    >>> t.loc[1, "industry_key_choices"]
    'thermal_power_recirculating;thermal_power_air_cooled'
    """
    coefficients = water_coefficients()
    keys_of = coefficients.groupby("industry_group", sort=False)["industry_key"].agg(";".join)
    counties = parks["county_adcodes"] if "county_adcodes" in parks.columns else [""] * len(parks)
    rows = [
        (fid, name, group, str(county or ""))
        for fid, name, groups, county in zip(
            parks["feature_id"], parks["name_zh"], parks["water_groups"], counties, strict=True
        )
        for group in str(groups).split(";")
        if group
    ]
    frame = pd.DataFrame(
        rows, columns=["feature_id", "name_zh", "industry_group", "county_adcode_choices"]
    )
    single = ~frame["county_adcode_choices"].str.contains(";")
    return frame.assign(
        industry_key="",
        industry_key_choices=frame["industry_group"].map(keys_of).fillna(""),
        county_adcode=frame["county_adcode_choices"].where(single, ""),
        output_t_per_yr=np.nan,
        output_mwh_per_yr=np.nan,
        source="",
    )[
        [
            "feature_id",
            "name_zh",
            "industry_group",
            "industry_key",
            "industry_key_choices",
            "county_adcode",
            "county_adcode_choices",
            "output_t_per_yr",
            "output_mwh_per_yr",
            "source",
        ]
    ]
