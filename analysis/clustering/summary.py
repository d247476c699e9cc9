"""The numbers and the Chinese and English summary of a clustering run.

:func:`clustering_numbers` reads the tables of
:func:`longtu.analysis.clustering.run.run_clustering` (and its Moran result) into the headline
numbers; :func:`clustering_summaries` writes them as one paragraph in each language, naming the
tests behind every p-value and the placement precision that limits the analysis.
"""

from __future__ import annotations

import pandas as pd

from longtu.analysis.clustering.moran import MoranResult


def _p(p: float) -> str:
    """A p-value as read in a summary: ``p<0.001`` or three decimals.

    Examples
    --------
    >>> _p(4.08e-27), _p(0.2781)
    ('p<0.001', 'p=0.278')
    """
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def _distances(listed: str, sep: str) -> str:
    """``10;25;50`` as ``10、25、50`` (or ``10, 25, 50``); ``none`` as a word."""
    parts = [d for d in str(listed).split(";") if d and d != "none"]
    if not parts:
        return "无距离" if sep == "、" else "no distance"
    return sep.join(parts)


def clustering_summaries(n: dict) -> tuple[str, str]:
    """The summary of a clustering run from its numbers, in Chinese and English."""
    zh = (
        f"{n['n_parks_used']} 个已定位园区只落在 {n['n_distinct_locations']} 个点位"
        "（县或市州代表点，非厂址）；距离均按 WGS84 椭球面测地线计算。"
        f"Clark-Evans R={n['clark_evans_r_all']:.2f}（正态检验 {_p(n['clark_evans_p_all'])}），"
        f"按不同点位 R={n['clark_evans_r_distinct']:.2f}（{_p(n['clark_evans_p_distinct'])}）；"
        f"Ripley L 函数（{n['n_simulations']} 次随机模拟，逐距离检验）在 "
        f"{_distances(n['ripley_l_clustered_distances_km_all'], '、')} km 呈集聚；"
        f"DBSCAN（{n['eps_km']:g} km，{n['min_samples']} 个）测得 {n['n_clusters']} 个集聚，"
        f"其中 {n['n_clusters_needing_coincident_points']} 个仅因共用点位而成；"
        f"规划分组 {n['n_designated']} 个中 {n['n_designated_not_clusters']} 个不是测得集聚，"
        f"{n['n_measured_unnamed']} 个测得集聚规划未命名；"
        f"按县定位的园区密度 Moran's I={n['moran_i']:.2f}"
        f"（置换检验 {n['n_permutations']} 次，双侧 {_p(n['moran_p'])}）；"
        f"局部 Moran：{n['n_counties_not_testable']} 个县与相邻县取值相同、无法检验，"
        f"其余经 FDR 校正后 {n['n_counties_significant']} 个显著。"
        "定位精度限制了本分析。"
    )
    en = (
        f"{n['n_parks_used']} placed parks sit on only {n['n_distinct_locations']} points (county "
        "or prefecture points, not sites); all distances are geodesic on the WGS84 ellipsoid. "
        f"Clark-Evans R={n['clark_evans_r_all']:.2f} (normal test {_p(n['clark_evans_p_all'])}),"
        f" R={n['clark_evans_r_distinct']:.2f} over distinct locations "
        f"({_p(n['clark_evans_p_distinct'])}); Ripley's L ({n['n_simulations']} CSR "
        "simulations, pointwise test) is clustered at "
        f"{_distances(n['ripley_l_clustered_distances_km_all'], ', ')} km; "
        f"DBSCAN ({n['eps_km']:g} km, "
        f"{n['min_samples']} points) finds {n['n_clusters']} clusters, "
        f"{n['n_clusters_needing_coincident_points']} only because parks share points; "
        f"{n['n_designated_not_clusters']} of {n['n_designated']} designated groupings are not "
        f"measured clusters and {n['n_measured_unnamed']} measured clusters are not named by the "
        "plan; density of county-placed parks "
        f"Moran's I={n['moran_i']:.2f} ({n['moran_test']}: {_p(n['moran_p'])}); local "
        f"Moran: {n['n_counties_not_testable']} counties equal all their neighbours and cannot "
        f"be tested, {n['n_counties_significant']} of the rest significant after FDR. "
        "Placement precision limits this analysis."
    )
    return zh, en


def _clustered_at(ripley: pd.DataFrame, points: str) -> str:
    rows = ripley[(ripley["points"] == points) & (ripley["pattern"] == "clustered")]
    return ";".join(f"{d:g}" for d in rows["distance_km"]) or "none"


def clustering_numbers(
    tables: dict, moran: MoranResult, parameters: dict, *, n_parks_total: int, n_county_parks: int
) -> dict:
    """The headline numbers of :func:`~longtu.analysis.clustering.run.run_clustering`."""
    parks, clusters = tables["parks"], tables["clusters"]
    ce = tables["clark_evans"].set_index("points")
    compared = tables["designated_vs_measured"]
    designated = compared[compared["row_type"] == "designated"]
    local = moran.local
    return {
        "n_parks_total": n_parks_total,
        "n_parks_used": len(parks),
        "n_parks_left_out": len(tables["parks_left_out"]),
        "n_distinct_locations": int(parks.geometry.to_wkb().nunique()),
        "n_parks_at_shared_locations": int((parks["n_parks_at_location"] > 1).sum()),
        "max_parks_at_one_location": int(parks["n_parks_at_location"].max()),
        "clark_evans_r_all": float(ce.loc["all parks", "r_index"]),
        "clark_evans_p_all": float(ce.loc["all parks", "p_value"]),
        "clark_evans_r_distinct": float(ce.loc["distinct locations", "r_index"]),
        "clark_evans_p_distinct": float(ce.loc["distinct locations", "p_value"]),
        "eps_km": parameters["eps_km"],
        "min_samples": parameters["min_samples"],
        "n_clusters": len(clusters),
        "n_clusters_needing_coincident_points": int(clusters["needs_coincident_points"].sum()),
        "n_noise_parks": int((parks["cluster_id"] < 0).sum()),
        "n_designated": len(designated),
        "n_designated_not_clusters": int(designated["verdict_en"].str.startswith("not").sum()),
        "n_designated_cannot_tell": int(designated["verdict_en"].str.contains("cannot").sum()),
        "n_measured_unnamed": int(compared["verdict_en"].str.contains("does not name").sum()),
        "ripley_l_clustered_distances_km_all": _clustered_at(tables["ripley_l"], "all parks"),
        "ripley_l_clustered_distances_km_distinct": _clustered_at(
            tables["ripley_l"], "distinct locations"
        ),
        "moran_i": moran.moran_i,
        "moran_p": moran.p_value,
        "moran_test": moran.test,
        "moran_p_one_sided": moran.p_value_one_sided,
        "moran_p_normal_approximation": moran.p_value_normal,
        "moran_n_counties": moran.n_units,
        "moran_measure": "county-precision parks per 10,000 km2 (a park in k counties: 1/k each)",
        "moran_n_parks_county_precision": n_county_parks,
        "n_counties_hh": int((local["cluster"] == "HH").sum()),
        "n_counties_significant": int(local["cluster"].isin(["HH", "LL", "HL", "LH"]).sum()),
        "n_counties_not_testable": moran.n_not_testable,
        "n_simulations": parameters["n_simulations"],
        "n_permutations": parameters["n_permutations"],
        "distance_method": "geodesic, WGS84 ellipsoid (pyproj.Geod); areas in the Albers "
        "equal-area CRS (settings.equal_area_crs)",
    }
