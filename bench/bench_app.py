"""Benchmark of the app: map payload of the default view and the server-side rerun time.

Baseline, measured in the same run: the rerun of a trivial Streamlit script (one st.write),
i.e. what any rerun costs before our code does anything. Measured: a rerun of app.py after a
map click (the script runs top to bottom again; the shared layout map is serialised again).
What the person waits for in the browser is measured by bench/bench_browser.py.
Goals: default-view map payload <= 2 MB; a rerun after a click <= 300 ms on the server.

    python bench/bench_app.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _median_rerun_s(at: AppTest, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def payload_mb() -> float:
    """Size of what st_folium sends for the layout map (script + html + header).

    Every session of a language shares this one map; layers, filters and search change it in
    the browser, and hidden area layers are files loaded when first shown (not counted).
    """
    from streamlit_folium import _get_header, _get_html, _get_map_string

    from longtu.app_pages.layout_page import (
        DEFAULT_LAYERS,
        MapRequest,
        build_layout_map,
        shared_request,
    )

    request = MapRequest(DEFAULT_LAYERS, (), (), "", "", (), (), "", "zh", "none", "")
    fmap = build_layout_map(shared_request(request))
    fmap.get_root().render()
    fmap.render()
    html, header = _get_html(fmap), _get_header(fmap)
    script = _get_map_string(fmap)
    return (len(script) + len(html) + len(header)) / 1e6


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        trivial = Path(folder) / "trivial.py"
        trivial.write_text("import streamlit as st\nst.write('hello')\n", encoding="utf-8")
        baseline = AppTest.from_file(str(trivial))
        baseline.run()
        base_s = _median_rerun_s(baseline)
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    app.run()  # first run: layers load and caches fill
    app_s = _median_rerun_s(app)
    size = payload_mb()
    print(f"baseline rerun (trivial script):        {base_s * 1000:7.1f} ms")
    print(
        f"app rerun after a click (layout page):  {app_s * 1000:7.1f} ms  "
        f"ratio {app_s / base_s:.1f}x"
    )
    print(f"default-view map payload:               {size:7.2f} MB")
    print(
        f"goals: rerun <= 300 ms -> {'met' if app_s <= 0.3 else 'NOT met'}; "
        f"payload <= 2 MB -> {'met' if size <= 2 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
