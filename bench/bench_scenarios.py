"""Benchmark: the planning workspace, against baselines measured in the same run.

- an edit saved: the whole :meth:`Workspace.save` call (version check, one transaction with
  ``synchronous=FULL``, the scenario's layers updated), goal <= 100 ms. Baseline: a bare
  ``sqlite3`` insert of one row in one transaction, same settings, same folder.
- a scenario with 1,000 edits opened: ``Workspace(path)`` (file checks) + ``load`` (read the
  history, apply every edit), plan layers already built in the process, goal <= 1 s.
  Baseline: a bare ``SELECT *`` of the 1,000 edit rows.
- a diff of two plan versions (the bundled plan and a copy of ``gis_data/plan`` with five rows
  edited), both already built, goal <= 1 s. Baseline: a bare outer merge on ``feature_id`` of
  every layer.

Prints each figure (median of several runs), its goal and its ratio to the baseline.

    python bench/bench_scenarios.py
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import shapely

from longtu import settings
from longtu.layout import plan_layers
from longtu.layout.scenarios import (
    Workspace,
    add_feature,
    diff_layers,
    move_feature,
    plan_version_layers,
    reshape_feature,
    set_attributes,
)

N_EDITS = 1000
RUNS = 7


def median_s(run: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(label: str, seconds: float, goal_s: float, baseline_s: float, baseline: str) -> None:
    verdict = "ok" if seconds <= goal_s else "OVER GOAL"
    print(
        f"{label}: {seconds * 1000:.1f} ms (goal <= {goal_s * 1000:.0f} ms, {verdict}); "
        f"baseline {baseline} {baseline_s * 1000:.2f} ms; ratio {seconds / baseline_s:.1f}x"
    )


def bare_insert_s(folder: Path) -> float:
    path = folder / "bare.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b BLOB)")
    blob = shapely.to_wkb(shapely.Point(103.8, 36.1))

    def insert() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (a, b) VALUES (?, ?)", ("edit", blob))
        conn.execute("COMMIT")

    seconds = median_s(insert, runs=25)
    conn.close()
    return seconds


def bench_save(folder: Path) -> None:
    with Workspace(folder / "save.gpkg", create=True) as ws:
        scenario = ws.new_scenario("bench", by="bench")
        times = []
        for i in range(25):
            edit = move_feature(
                scenario.layers,
                "park_zhangye_etdz",
                100.40 + i * 0.002,
                38.93,
                author="bench",
                reason="bench",
            )
            start = time.perf_counter()
            scenario = ws.save(scenario, [edit])
            times.append(time.perf_counter() - start)
    report(
        "edit saved (Workspace.save)",
        statistics.median(times),
        0.100,
        bare_insert_s(folder),
        "bare sqlite3 insert+commit",
    )


def make_edits(layers: dict, count: int) -> list:
    """`count` edits, in turn: a move, an attribute change, a reshape, an added park."""
    parks = layers["parks"]["feature_id"].tolist()
    polygon = shapely.box(103.60, 36.08, 103.66, 36.12)
    who = {"author": "bench", "reason": "bench"}
    makers = (
        lambda i: move_feature(
            layers, "park_zhangye_etdz", 100.40 + (i % 50) * 0.002, 38.93, **who
        ),
        lambda i: set_attributes(layers, parks[i % len(parks)], {"notes": f"note {i}"}, **who),
        lambda i: reshape_feature(layers, "park_lanzhou_etdz", polygon, **who),
        lambda i: add_feature(
            layers, layer="parks", name_zh=f"新园{i}", geometry=shapely.Point(103.7, 36.0), **who
        ),
    )
    return [makers[i % len(makers)](i) for i in range(count)]


def bench_open(folder: Path) -> None:
    path = folder / "open.gpkg"
    with Workspace(path, create=True) as ws:
        scenario = ws.new_scenario("big", by="bench")
        edits = make_edits(scenario.layers, N_EDITS)
        for start in range(0, N_EDITS, 100):
            scenario = ws.save(scenario, edits[start : start + 100])

    def open_and_load() -> None:
        with Workspace(path) as ws:
            loaded = ws.load("big")
        assert len(loaded.edits) == N_EDITS and not loaded.skipped

    def bare_read() -> None:
        with sqlite3.connect(path) as conn:
            assert len(conn.execute("SELECT * FROM edits").fetchall()) == N_EDITS

    report(
        f"scenario with {N_EDITS:,} edits opened (Workspace + load + apply)",
        median_s(open_and_load),
        1.0,
        median_s(bare_read),
        f"bare read of {N_EDITS:,} rows",
    )


def make_plan_version(folder: Path) -> Path:
    shutil.copytree(settings.plan_folder, folder)
    parks = pd.read_csv(folder / "parks.csv", dtype=str, keep_default_na=False)
    by_id = parks.set_index("feature_id", drop=False)
    edited = ["park_emergency_base_jiuquan", "park_dunhuang_software_park", "park_jiuquan_etdz"]
    edited += ["park_gannan_eco_livestock_park", "park_zhangye_smb_demo_base"]
    gone = set(edited) - set(by_id.index)
    assert not gone, f"rows to change are not in the plan: {gone}"  # .loc would add them
    by_id.loc["park_emergency_base_jiuquan", "level"] = "national"
    by_id.loc["park_dunhuang_software_park", ["place_ref", "county_adcode"]] = "620981"
    by_id.loc["park_gannan_eco_livestock_park", "lead_industries_zh"] = "畜产品加工;乳制品"
    by_id.loc["park_zhangye_smb_demo_base", "level"] = "provincial"
    by_id.loc["park_jiuquan_etdz", "name_en"] = "Jiuquan ETDZ"
    by_id.to_csv(folder / "parks.csv", index=False, encoding="utf-8")
    return folder


def bench_diff(folder: Path) -> None:
    old, new = plan_layers(), plan_version_layers(make_plan_version(folder / "plan_v2"))
    changes = diff_layers(old, new)
    assert len(changes) == 5, changes[["kind", "feature_id"]]

    def bare_merge() -> None:
        for name in old:
            pd.DataFrame(old[name]).merge(
                pd.DataFrame(new[name]), on="feature_id", how="outer", indicator=True
            )

    report(
        "diff of two plan versions (5 changes)",
        median_s(lambda: diff_layers(old, new)),
        1.0,
        median_s(bare_merge),
        "bare outer merge of every layer",
    )


def main() -> None:
    start = time.perf_counter()
    plan_layers()
    print(f"(plan layers built once per process: {time.perf_counter() - start:.2f} s, not timed)")
    with tempfile.TemporaryDirectory(prefix="longtu_bench_") as tmp:
        folder = Path(tmp)
        bench_save(folder)
        bench_open(folder)
        bench_diff(folder)


if __name__ == "__main__":
    main()
