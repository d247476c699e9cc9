"""Benchmark: printed map pages, against a baseline measured in the same run.

Baseline: a bare Matplotlib figure of the province outline (the 14 prefectures, projected)
saved to a one-page PDF with the same embedded CJK font: the least a map page can cost.
Measured, with layers already loaded (warm): one A4 page of the whole province with the default
layers (goal <= 5 s) and the 14-page prefecture atlas with its index page (goal <= 30 s).
Prints seconds and ratios to the baseline.

    python bench/bench_print.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt

from longtu.layout import load_layer
from longtu.maps.print.atlas import make_atlas
from longtu.maps.print.fonts import print_rc
from longtu.maps.print.page import DEFAULT_LAYERS, save_page
from longtu.maps.print.paths import add_lines, fit_limits
from longtu.maps.print.projection import project_gdf

GOALS_S = {"a4_page": 5.0, "prefecture_atlas_14": 30.0}


def _baseline(out: Path) -> float:
    t = time.perf_counter()
    prefectures = project_gdf(load_layer("prefectures"))
    with mpl.rc_context(print_rc()):
        fig = plt.figure(figsize=(8.27, 11.69))
        ax = fig.add_axes((0.05, 0.05, 0.9, 0.9))
        add_lines(ax, prefectures.geometry, color="black", linewidth=0.5)
        fit_limits(ax, tuple(prefectures.total_bounds))
        fig.text(0.5, 0.97, "甘肃省 Gansu", ha="center")
        fig.savefig(out)
        plt.close(fig)
    return time.perf_counter() - t


def _timed(func, *args, **kwargs) -> float:
    t = time.perf_counter()
    func(*args, **kwargs)
    return time.perf_counter() - t


def main() -> None:
    for name in ("province", "prefectures", "counties", "rivers", *DEFAULT_LAYERS):
        load_layer(name)  # warm the caches: this benchmark is about rendering
    tmp = Path(tempfile.mkdtemp())
    save_page(tmp / "warm.pdf", extent="prefecture:620200")  # font registration, inset data
    runs = 3
    baseline = min(_baseline(tmp / "baseline.pdf") for _ in range(runs))
    page = min(
        _timed(save_page, tmp / "page.pdf", layers=list(DEFAULT_LAYERS)) for _ in range(runs)
    )
    atlas = _timed(make_atlas, tmp / "atlas.pdf", by="prefecture")
    print(f"baseline (bare province outline to PDF): {baseline:6.2f} s")
    for label, seconds in (("a4_page", page), ("prefecture_atlas_14", atlas)):
        goal = GOALS_S[label]
        verdict = "ok" if seconds <= goal else "OVER GOAL"
        print(
            f"{label:22s} {seconds:6.2f} s  x{seconds / baseline:5.1f} baseline  "
            f"goal <= {goal:.0f} s: {verdict}"
        )


if __name__ == "__main__":
    main()
