"""Where industries sit together: location quotients and co-location quotients.

- :func:`location_quotients`: the classic LQ of an industry in a region, counting plan features
  (parks) that list the industry.
- :func:`colocation_quotients`: Leslie & Kronenfeld's (2011) co-location quotient between two
  categories of points, both directions, with a label-permutation test.
- Moran's I by county is in :mod:`.moran`.

Industry names in the plans are written many ways (石油化工, 石油（天然气）化工, 炼化一体化 …);
:data:`INDUSTRY_GROUPS` is a keyword grouping defined here (not by the plans) that the caller may
replace; ``industry_groups=None`` uses the names exactly as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from longtu.analysis.clustering.geodesic import distance_matrix_km
from longtu.analysis.clustering.inference import (
    TIE_RTOL,
    monte_carlo_p_values,
)
from longtu.analysis.clustering.point_pattern import PointPatternInputError, lonlat_xy
from longtu.layout.plan import split_list

#: Keyword grouping of plan industry names: group (Chinese / English) -> substrings of the names
#: it takes. Defined by this project for comparison, not by the plans; edit or replace it.
INDUSTRY_GROUPS: dict[str, tuple[str, ...]] = {
    "石油化工 petrochemicals": ("石油", "石化", "炼化", "烯烃"),
    "煤炭、煤化工与火电 coal, coal chemicals, thermal power": ("煤", "火电"),
    "有色冶金与有色新材料 nonferrous metals": ("有色", "镍", "钴", "铂", "稀土"),
    "钢铁 steel": ("钢", "黑色冶金"),
    "装备制造 equipment manufacturing": ("装备", "机床", "轴承", "电工", "电器", "风动"),
    "新能源 new energy": ("新能源", "风电", "智能电网"),
    "化工新材料 chemical new materials": ("化工新材料", "水性", "高分子", "碳纤维", "电池材料"),
    "生物医药 biomedicine": ("生物", "药", "疫苗"),
    "电子信息 electronics and ICT": (
        "电子",
        "信息",
        "软件",
        "云计算",
        "大数据",
        "物联网",
        "集成电路",
    ),
    "农产品加工 agri-food processing": ("果蔬", "畜产品", "食品", "清真", "马铃薯", "农产品"),
    "军民融合 military-civilian integration": ("军民",),
}

_REGION_COLUMNS = {"prefecture": "prefecture_adcodes", "zone": "zone_ids"}
_REGION_ZH = {"prefecture": "市州", "zone": "经济区"}


def industry_membership(
    features: pd.DataFrame,
    *,
    industry_column: str = "lead_industries_zh",
    industry_groups: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Which feature lists which industry (or industry group): a boolean feature x industry table.

    Parameters
    ----------
    features
        Rows with `industry_column` (`;`-separated names).
    industry_column
        Column of industry names.
    industry_groups
        Group -> keywords; a feature is in a group when any of its names contains a keyword.
        ``None``: the names as written.

    Returns
    -------
    pandas.DataFrame
        Index of `features`, one boolean column per industry or group (sorted).

    Examples
    --------
    >>> rows = pd.DataFrame({"lead_industries_zh": ["石油化工;煤化工", "煤炭", None]})
    >>> industry_membership(rows, industry_groups={"coal": ["煤"]})["coal"].tolist()
    [True, True, False]
    """
    if industry_column not in features.columns:
        raise PointPatternInputError(
            f"`features` has no column `{industry_column}`; pass `industry_column=` naming one.",
            zh=f"要素表中没有列 {industry_column}；请指定列出主导产业的列。",
        )
    names = features[industry_column].map(split_list)
    if industry_groups is None:
        labels = sorted({name for items in names for name in items})
        member = {label: names.map(lambda items, lab=label: lab in items) for label in labels}
    else:
        member = {
            group: names.map(lambda items, kws=tuple(kws): any(k in n for n in items for k in kws))
            for group, kws in industry_groups.items()
        }
    return pd.DataFrame(member, index=features.index, dtype=bool).sort_index(axis=1)


def location_quotients(
    features: pd.DataFrame,
    *,
    by: Literal["prefecture", "zone"] = "prefecture",
    industry_column: str = "lead_industries_zh",
    industry_groups: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Location quotients of plan industries by prefecture or by economic zone.

    ``x_ri`` counts the features in region ``r`` that list industry ``i`` (a feature in k regions
    counts 1/k in each); ``LQ_ri = (x_ri / x_r) / (x_i / x)`` with row, column and grand totals
    of ``x``. LQ > 1: the region's features list the industry more often than the province's.

    Parameters
    ----------
    features
        Plan features with ``prefecture_adcodes`` or ``zone_ids`` and `industry_column`.
        Rows with no region (unplaced) are left out.
    by
        ``"prefecture"`` (``prefecture_adcodes``) or ``"zone"`` (``zone_ids``).
    industry_column, industry_groups
        As in :func:`industry_membership`.

    Returns
    -------
    pandas.DataFrame
        One row per region x industry: ``region``, ``industry``, ``n_features``,
        ``region_total``, ``industry_total``, ``grand_total``, ``lq``.

    Examples
    --------
    >>> rows = pd.DataFrame({"zone_ids": ["z1", "z1", "z2"],
    ...                      "lead_industries_zh": ["A", "A;B", "B"]})
    >>> table = location_quotients(rows, by="zone")
    >>> table.set_index(["region", "industry"])["lq"].round(3).to_dict()
    {('z1', 'A'): 1.333, ('z1', 'B'): 0.667, ('z2', 'A'): 0.0, ('z2', 'B'): 2.0}
    """
    region_column = _region_column(features, by)
    membership = industry_membership(
        features, industry_column=industry_column, industry_groups=industry_groups
    )
    x = _weighted_counts(membership, features[region_column].map(split_list))
    return _quotient_table(x)


def _region_column(features: pd.DataFrame, by: str) -> str:
    """The column of `features` naming the regions of `by`; refuses another `by` or no column."""
    if by not in _REGION_COLUMNS:
        raise PointPatternInputError(
            f"`by` must be 'prefecture' or 'zone', got {by!r}.",
            zh=f"分区方式须为 prefecture（市州）或 zone（经济区），而不是 {by!r}。",
        )
    region_column = _REGION_COLUMNS[by]
    if region_column not in features.columns:
        raise PointPatternInputError(
            f"`features` has no column `{region_column}` for by={by!r}.",
            zh=f"要素表中没有按{_REGION_ZH[by]}分区所需的列 {region_column}。",
        )
    return region_column


def _weighted_counts(membership: pd.DataFrame, regions: pd.Series) -> pd.DataFrame:
    """``x``: region x industry counts of features, a feature in k regions counting 1/k in each."""
    weight_rows = [
        {"row": idx, "region": region, "weight": 1 / len(items)}
        for idx, items in regions.items()
        for region in items
    ]
    weighting = pd.DataFrame(weight_rows, columns=["row", "region", "weight"])
    counts = membership.loc[weighting["row"]].mul(weighting["weight"].to_numpy(), axis=0)
    return counts.groupby(weighting["region"].to_numpy()).sum()


def _quotient_table(x: pd.DataFrame) -> pd.DataFrame:
    """The long table of :func:`location_quotients` from the counts ``x`` and their totals."""
    table = (
        x.rename_axis(index="region", columns="industry")
        .reset_index()
        .melt(id_vars="region", var_name="industry", value_name="n_features")
        .sort_values(["region", "industry"], ignore_index=True)
    )
    table["region_total"] = table["region"].map(x.sum(axis=1))
    table["industry_total"] = table["industry"].map(x.sum(axis=0))
    table["grand_total"] = float(x.to_numpy().sum())
    shares = table["n_features"] / table["region_total"]
    table["lq"] = shares / (table["industry_total"] / table["grand_total"])
    return table


@dataclass(frozen=True)
class _Neighbours:
    weights: np.ndarray  # (n, n) row weights of each point's nearest neighbours (ties shared)


def _nearest_neighbour_weights(lonlat: np.ndarray, k: int) -> _Neighbours:
    distance = distance_matrix_km(lonlat)
    np.fill_diagonal(distance, np.inf)
    kth = np.sort(distance, axis=1)[:, k - 1 : k]
    # Equal distances computed along different geodesics differ by rounding: tie within 1e-9.
    within = distance <= kth * (1 + TIE_RTOL) + 1e-12
    return _Neighbours(within / within.sum(axis=1, keepdims=True))


def _clq(neigh: np.ndarray, in_a: np.ndarray, in_b: np.ndarray) -> float:
    n = len(in_a)
    observed = (neigh[in_a] @ in_b.astype(float)).sum()
    expected = ((in_b.sum() - in_b[in_a]) / (n - 1)).sum()
    return float(observed / expected) if expected > 0 else float("nan")


def colocation_quotients(
    points: gpd.GeoDataFrame,
    a: str,
    b: str,
    *,
    column: str,
    k: int = 1,
    n_permutations: int = 99,
    seed: int = 0,
) -> pd.DataFrame:
    """Co-location quotients A->B and B->A (Leslie & Kronenfeld 2011), with permutation p-values.

    ``CLQ_A->B = (C_A->B / N_A) / (N_B / (N - 1))``: the share of B among the `k` nearest
    neighbours of A points (ties at the k-th distance share its weight, as in Leslie & Kronenfeld)
    over the share expected if labels were random. A point may carry both labels (a park
    listing both industries): its expected share is then ``(N_B - 1) / (N - 1)``; with disjoint
    labels this is exactly Leslie & Kronenfeld's formula. Coincident points are each other's
    nearest neighbours (distance 0): with county-level placement the CLQ measures sharing a
    placed point, i.e. a county.

    Parameters
    ----------
    points
        Points with a CRS and `column` (`;`-separated labels).
    a, b
        Labels to compare.
    column
        Column of labels.
    k
        Nearest neighbours per point.
    n_permutations, seed
        Label permutations (rows of labels shuffled over locations) and the generator seed.

    Returns
    -------
    pandas.DataFrame
        Rows ``A->B`` and ``B->A``: ``direction``, ``from_label``, ``to_label``, ``n_from``,
        ``n_to``, ``clq``, ``p_value_greater`` (attraction), ``p_value_less`` (isolation): pseudo
        p-values ``(1 + #extreme) / (n_permutations + 1)`` with ties counted as extreme.

    Examples
    --------
    >>> from longtu import settings
    >>> pts = gpd.GeoDataFrame({"label": ["A", "B", "A", "C"]},
    ...     geometry=gpd.points_from_xy([0, 1, 1.5, 20], [0] * 4), crs=settings.equal_area_crs)
    >>> colocation_quotients(pts, "A", "B", column="label", n_permutations=9)["clq"].tolist()
    [3.0, 1.5]
    """
    lonlat = lonlat_xy(points)
    _check_k(k, len(lonlat))
    labels = points[column].map(split_list)
    members = np.array([[a in items, b in items] for items in labels], dtype=bool)
    neigh = _nearest_neighbour_weights(lonlat, k).weights
    permuted = _permutations(members, n_permutations, seed)
    directions = (("A->B", (0, 1), (a, b)), ("B->A", (1, 0), (b, a)))
    return pd.DataFrame([_direction_row(neigh, members, permuted, *d) for d in directions])


def _check_k(k: int, n_points: int) -> None:
    """Refuse a number of neighbours `k` outside 1 .. `n_points` - 1."""
    if not 1 <= k < n_points:
        raise PointPatternInputError(
            f"`k` must be between 1 and {n_points - 1}, got {k}.",
            zh=f"近邻数须在 1 到 {n_points - 1} 之间（少于点数），而不是 {k}。",
        )


def _permutations(members: np.ndarray, n_permutations: int, seed: int) -> list[np.ndarray]:
    """`n_permutations` copies of the label rows `members`, each shuffled over the locations."""
    rng = np.random.default_rng(seed)
    return [members[rng.permutation(len(members))] for _ in range(n_permutations)]


def _direction_row(
    neigh: np.ndarray,
    members: np.ndarray,
    permuted: list[np.ndarray],
    name: str,
    columns: tuple[int, int],
    labels: tuple[str, str],
) -> dict[str, object]:
    """One direction's row: the CLQ from label column i to j and its permutation p-values."""
    (i, j), (la, lb) = columns, labels
    observed = _clq(neigh, members[:, i], members[:, j])
    simulated = np.array([_clq(neigh, m[:, i], m[:, j]) for m in permuted])
    greater, less = monte_carlo_p_values(np.array(observed), simulated)
    return {
        "direction": name,
        "from_label": la,
        "to_label": lb,
        "n_from": int(members[:, i].sum()),
        "n_to": int(members[:, j].sum()),
        "clq": observed,
        "p_value_greater": float(greater),
        "p_value_less": float(less),
    }
