"""Moran's I of a county-level measure: global and local, with permutation tests.

:func:`moran_by_county`: global and local Moran's I of a county-level measure, each with a
permutation test that counts ties (999 permutations by default), Benjamini-Hochberg
FDR-corrected local significance, and counties that cannot be tested labelled so
(:data:`NOT_TESTABLE`). esda computes the statistics; the tests check them against a hand
computation (tests/test_statistics_reference.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
from libpysal import weights
from scipy import stats

from longtu.analysis.clustering.inference import (
    TIE_RTOL,
    folded_p_value,
)
from longtu.analysis.clustering.point_pattern import PointPatternInputError

NOT_TESTABLE = "not testable: no variation in neighbourhood"
"""Local Moran label of a county whose value equals all its neighbours' (e.g. all zero)."""

CLUSTER_ZH: dict[str, str] = {
    "HH": "高-高",
    "LL": "低-低",
    "HL": "高-低",
    "LH": "低-高",
    "not significant": "不显著",
    NOT_TESTABLE: "无法检验：本县与相邻县取值相同",
    "no data": "无数据",
    "island": "无相邻县",
}
"""Chinese labels of the local Moran ``cluster`` column."""


@dataclass(frozen=True)
class MoranResult:
    """Global and local Moran's I of a county-level measure.

    Attributes
    ----------
    moran_i, expected_i : float
        Global I and its expectation under no autocorrelation, ``-1 / (n - 1)``.
    p_value : float
        Headline p-value: two-sided permutation test of the global I (``n_permutations``
        random relabellings of the values over the counties), twice the one-sided value
        (at most 1).
    p_value_one_sided : float
        Pseudo p-value in the direction of the observed I, ties counted: what esda reports as
        ``Moran.p_sim``.
    n_permutations : int
        Permutations behind `p_value` and the local p-values.
    test : str
        The test behind `p_value`, in words (``permutation test, 999 permutations,
        two-sided``).
    z_score, p_value_normal : float
        Secondary: the normal approximation under randomisation (two-sided), unreliable for a
        zero-inflated, skewed measure such as park density.
    n_units : int
        Counties in the analysis (with a value and at least one neighbour).
    n_not_testable : int
        Counties whose value equals every neighbour's: no local test is possible.
    local : geopandas.GeoDataFrame
        Every county: ``adcode``, ``name_zh``, ``value``, ``local_i``, ``p_value``
        (conditional permutation, ties counted), ``q_value`` (Benjamini-Hochberg over the
        testable counties), ``quadrant`` (HH/LH/LL/HL), ``cluster`` (the quadrant where
        ``q_value <= alpha``, else ``not significant``; :data:`NOT_TESTABLE`, ``no data`` or
        ``island`` for counties not tested) and ``cluster_zh`` (:data:`CLUSTER_ZH`).
    """

    moran_i: float
    expected_i: float
    p_value: float
    p_value_one_sided: float
    n_permutations: int
    test: str
    z_score: float
    p_value_normal: float
    n_units: int
    n_not_testable: int
    local: gpd.GeoDataFrame


def _contiguity(units: gpd.GeoDataFrame, contiguity: str) -> weights.W:
    builder = weights.Queen if contiguity == "queen" else weights.Rook
    w = builder.from_dataframe(units, use_index=False, silence_warnings=True)
    w.transform = "r"
    return w


def _units_with_neighbours(
    local: gpd.GeoDataFrame, contiguity: str
) -> tuple[gpd.GeoDataFrame, weights.W]:
    """The counties with a value and a neighbour, their weights; islands marked in `local`."""
    used = local[local["value"].notna()]
    w = _contiguity(used, contiguity)
    while w.islands:
        local.loc[used.index[w.islands], "cluster"] = "island"
        used = local[local["cluster"] == ""]
        w = _contiguity(used, contiguity)
    return used, w


def global_moran_permutations(
    y: np.ndarray, w: weights.W, *, n_permutations: int, seed: int
) -> tuple[float, np.ndarray]:
    """Global Moran's I of `y` on row-standardised `w`, and its values under `n_permutations`.

    ``I = (n / S0) z'Wz / z'z`` with ``z = y - mean(y)``; each permutation relabels the values
    over the units at random (total randomisation, as esda's ``Moran(permutations=…)``), drawn
    from ``numpy.random.default_rng(seed)`` so that results are reproducible.

    Examples
    --------
    >>> w = weights.lat2W(3, 3, rook=True)
    >>> w.transform = "r"
    >>> i, sims = global_moran_permutations(np.arange(9.0), w, n_permutations=99, seed=0)
    >>> round(i, 3), round(float(esda.Moran(np.arange(9.0), w).I), 3), sims.shape
    (0.556, 0.556, (99,))
    """
    matrix = w.sparse
    z = y - y.mean()
    scale = len(z) / matrix.sum()
    rng = np.random.default_rng(seed)
    permuted = np.stack([rng.permutation(z) for _ in range(n_permutations)])
    lagged = (matrix @ permuted.T).T
    simulated = scale * (permuted * lagged).sum(axis=1) / (z @ z)
    return float(scale * z @ (matrix @ z) / (z @ z)), simulated


def not_testable(y: np.ndarray, w: weights.W) -> np.ndarray:
    """Units whose own value equals every neighbour's (within ``TIE_RTOL`` of the values' scale).

    For such a unit (a zero county among zero counties, in a zero-inflated measure) many
    conditional permutations give exactly its observed local I: no permutation test can tell
    it from chance, so it is labelled :data:`NOT_TESTABLE` and left out of the FDR correction.

    Examples
    --------
    >>> w = weights.lat2W(1, 4, rook=True)
    >>> not_testable(np.array([0.0, 0.0, 0.0, 1.0]), w).tolist()
    [True, True, False, False]
    """
    tol = TIE_RTOL * max(float(np.abs(y).max(initial=0.0)), 1e-300)
    position = {unit: i for i, unit in enumerate(w.id_order)}
    return np.array(
        [
            all(abs(y[position[j]] - y[i]) <= tol for j in w.neighbors[unit])
            for i, unit in enumerate(w.id_order)
        ]
    )


def moran_by_county(
    values_by_county: pd.Series,
    counties: gpd.GeoDataFrame,
    *,
    contiguity: Literal["queen", "rook"] = "queen",
    n_permutations: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
) -> MoranResult:
    """Global and local Moran's I of `values_by_county` on contiguity weights, permutation tests.

    Counties with no value (NaN or absent) are left out as ``no data``; counties with no
    neighbour among the rest are left out as ``island`` (weights are rebuilt without them).
    Weights are row-standardised. The global I is tested by `n_permutations` random
    relabellings (:func:`global_moran_permutations`); its p-value is the headline, the normal
    approximation (two-sided, under randomisation) only a secondary value. Local I comes from
    esda's ``Moran_Local`` with its `n_permutations` conditional permutations kept
    (``keep_simulations=True``); the local p-value is recomputed from them with ties counted
    (:func:`longtu.analysis.clustering.inference.folded_p_value`: esda's ``p_sim`` compares
    ``sim >= I`` exactly, so rounding noise decides ties). Counties whose value equals all
    their neighbours' are :data:`NOT_TESTABLE` and left out of the Benjamini-Hochberg FDR
    correction (:func:`scipy.stats.false_discovery_control`) of the others.

    Parameters
    ----------
    values_by_county
        Measure indexed by county adcode (str).
    counties
        The ``counties`` layer (``adcode``, ``name_zh``, polygons).
    contiguity
        ``"queen"`` (shared edge or vertex) or ``"rook"`` (shared edge).
    n_permutations, seed
        Permutations (global and local) and their seed.
    alpha
        FDR level for local significance.

    Returns
    -------
    MoranResult

    Examples
    --------
    >>> from shapely.geometry import box
    >>> cells = [box(c, r, c + 1, r + 1) for r in range(4) for c in range(4)]
    >>> units = gpd.GeoDataFrame({"adcode": [str(i) for i in range(16)], "name_zh": "x"},
    ...     geometry=cells, crs="EPSG:4326")
    >>> values = [(i + i // 4) % 2 for i in range(16)]  # a checkerboard
    >>> checker = pd.Series(values, index=units["adcode"], dtype=float)
    >>> result = moran_by_county(checker, units, contiguity="rook")
    >>> round(result.moran_i, 2), result.p_value, result.test
    (-1.0, 0.002, 'permutation test, 999 permutations, two-sided')
    """
    _check_arguments(counties, contiguity, n_permutations)
    local = _county_values(values_by_county, counties)
    used, w = _units_with_neighbours(local, contiguity)
    y = used["value"].to_numpy()
    tests = _global_tests(y, w, n_permutations=n_permutations, seed=seed)
    flat = not_testable(y, w)
    local = _local_moran(local, used, w, flat, alpha, n_permutations=n_permutations, seed=seed)
    return MoranResult(**tests, n_units=len(used), n_not_testable=int(flat.sum()), local=local)


def _check_arguments(counties: gpd.GeoDataFrame, contiguity: str, n_permutations: int) -> None:
    """Refuse an unknown `contiguity`, a `counties` without CRS or adcode, no permutations."""
    if contiguity not in ("queen", "rook"):
        raise PointPatternInputError(
            f"`contiguity` must be 'queen' or 'rook', got {contiguity!r}.",
            zh=f"邻接方式须为 queen（共点或共边）或 rook（共边），而不是 {contiguity!r}。",
        )
    if counties.crs is None or "adcode" not in counties.columns:
        raise PointPatternInputError(
            "`counties` needs a CRS and an `adcode` column (the layer).",
            zh="县区图层须注明坐标系并有 adcode 列；请使用内置的县区图层。",
        )
    if n_permutations < 1:
        raise PointPatternInputError(
            f"`n_permutations` must be >= 1, got {n_permutations}.",
            zh=f"置换次数须至少为 1，而不是 {n_permutations}。",
        )


def _county_values(values_by_county: pd.Series, counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every county with its ``value``; ``cluster`` is ``no data`` where it has none, else empty."""
    local = counties[["adcode", "name_zh", counties.geometry.name]].copy()
    local["value"] = local["adcode"].map(values_by_county.astype(float))
    local["cluster"] = np.where(local["value"].isna(), "no data", "")
    return local


def _global_tests(y: np.ndarray, w: weights.W, *, n_permutations: int, seed: int) -> dict[str, Any]:
    """The global fields of :class:`MoranResult`: I, permutation test, normal approximation."""
    moran = esda.Moran(y, w, transformation="r", permutations=0)
    observed, simulated = global_moran_permutations(y, w, n_permutations=n_permutations, seed=seed)
    one_sided = float(folded_p_value(np.array(observed), simulated))
    return {
        "moran_i": observed,
        "expected_i": float(moran.EI),
        "p_value": min(1.0, 2 * one_sided),
        "p_value_one_sided": one_sided,
        "n_permutations": n_permutations,
        "test": f"permutation test, {n_permutations} permutations, two-sided",
        "z_score": float(moran.z_rand),
        "p_value_normal": float(moran.p_rand),
    }


def _local_moran(
    local: gpd.GeoDataFrame,
    used: gpd.GeoDataFrame,
    w: weights.W,
    flat: np.ndarray,
    alpha: float,
    *,
    n_permutations: int,
    seed: int,
) -> gpd.GeoDataFrame:
    """Local I, tie-counting p-values, quadrants and FDR clusters of the `used` counties."""
    # esda also standardises each county's simulations (z_sim, unused here); for a county whose
    # simulations are all equal that divides 0 by 0: silenced for this call only.
    with np.errstate(divide="ignore", invalid="ignore"):
        lisa = esda.Moran_Local(
            used["value"].to_numpy(), w, transformation="r", permutations=n_permutations,
            seed=seed, keep_simulations=True,
        )  # fmt: skip
    p_value = folded_p_value(lisa.Is, lisa.sim)
    p_value[flat] = np.nan
    local.loc[used.index, "local_i"] = lisa.Is
    local.loc[used.index, "p_value"] = p_value
    quadrant = pd.Series(lisa.q).map({1: "HH", 2: "LH", 3: "LL", 4: "HL"}).to_numpy()
    local.loc[used.index, "quadrant"] = quadrant
    return _finish_local(local, used, flat, alpha)


def _finish_local(
    local: gpd.GeoDataFrame, used: gpd.GeoDataFrame, flat: np.ndarray, alpha: float
) -> gpd.GeoDataFrame:
    """FDR over the testable counties, the ``cluster`` labels and the final column order."""
    tested = used.index[~flat]
    p_value = local.loc[tested, "p_value"].to_numpy(dtype=float)
    q = stats.false_discovery_control(p_value, method="bh") if len(p_value) else p_value
    local["q_value"] = np.nan
    local.loc[tested, "q_value"] = q
    local.loc[tested, "cluster"] = np.where(
        q <= alpha, local.loc[tested, "quadrant"], "not significant"
    )
    local.loc[used.index[flat], "cluster"] = NOT_TESTABLE
    local["cluster_zh"] = local["cluster"].map(CLUSTER_ZH)
    columns = [
        "adcode", "name_zh", "value", "local_i", "p_value", "q_value", "quadrant", "cluster",
        "cluster_zh",
    ]  # fmt: skip
    return local[[*columns, local.geometry.name]]
