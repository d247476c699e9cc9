"""Benchmark: loading every layer, against a baseline measured in the same run.

Baseline: reading the same built files straight from disk with geopandas / rasterio (the least a
loader can cost). Measured: `longtu.layout.load_layer` for every layer, cold (a fresh process: plan
tables parsed, placed and validated) and warm (cached). Prints seconds and ratios; the goal is
under 2 s for every layer once built.

    python bench/bench_load_layers.py
"""

from __future__ import annotations

import json
import subprocess
import sys

COLD = """
import time, json
t = time.perf_counter()
from longtu.layout import layer_names, load_layer
for name in layer_names():
    load_layer(name)
cold = time.perf_counter() - t
t = time.perf_counter()
for name in layer_names():
    load_layer(name)
print(json.dumps({"cold_s": cold, "warm_s": time.perf_counter() - t}))
"""

BASELINE = """
import time, json
t = time.perf_counter()
import geopandas as gpd, rasterio
from longtu import settings
from longtu.gis_data.build import BASE_LAYERS
import pandas as pd
for kind, name in BASE_LAYERS.values():
    path = settings.data_folder / name
    if kind == "vector":
        gpd.read_parquet(path)
    else:
        with rasterio.open(path) as src:
            src.read()
for csv in settings.plan_folder.glob("*.csv"):
    pd.read_csv(csv, dtype=str)
print(json.dumps({"baseline_s": time.perf_counter() - t}))
"""


def _run(code: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from longtu.layout.base import ensure_built

    ensure_built()
    runs = 3
    baseline = min(_run(BASELINE)["baseline_s"] for _ in range(runs))
    measured = [_run(COLD) for _ in range(runs)]
    cold = min(m["cold_s"] for m in measured)
    warm = min(m["warm_s"] for m in measured)
    print(f"baseline (raw file reads, incl. imports): {baseline:.3f} s")
    print(f"load_layer, every layer, cold:            {cold:.3f} s  ratio {cold / baseline:.2f}x")
    print(f"load_layer, every layer, warm (cached):   {warm:.3f} s  ratio {warm / baseline:.2f}x")
    print(f"goal: cold < 2 s -> {'met' if cold < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
