"""A PDF of the current view, as a person waits for it: from the click to the file saved.

Runs the README's command (``streamlit run app.py``), opens a shared view in Chromium with the
network cut (the Hexi Corridor zone picked on the layout page, carried to the export page by the
URL), clicks "make the PDF of this view", waits for the preview, clicks "download" and waits for
the file. Prints each figure (goal: 5 s from the click to the file) and, as the baseline measured
in the same run, the same page made by the command line as a whole process
(``longtu pdf page --extent zone:zone_hexi``), with their ratio.

Run: ``python bench/bench_export_browser.py [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from streamlit_server import CHROMIUM, FLAGS, start_streamlit

VIEW = "?page=export&zones=zone_hexi"
"""The shared view: the export page with the layout's zone filter set to the Hexi Corridor."""
GOAL_S = 5.0


def _offline(page) -> list[str]:
    """Abort and record every request that would leave 127.0.0.1."""
    leaving: list[str] = []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            leaving.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return leaving


def _one_export(browser, url: str, folder: Path) -> tuple[float, float, int]:
    """Seconds from the click to the preview, and to the saved file; the file's size."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    leaving = _offline(page)
    page.goto(url + VIEW, wait_until="networkidle")
    button = page.get_by_role("button", name="生成当前视图 PDF")
    button.wait_for(timeout=120_000)
    extent = page.get_by_role("combobox", name="范围 Extent").input_value()
    if not extent.startswith("河西走廊经济区"):
        raise SystemExit("the export page did not take the shared view's zone (河西走廊经济区)")
    start = time.perf_counter()
    button.click()
    page.get_by_role("button", name="下载 PDF").wait_for(timeout=120_000)
    preview_s = time.perf_counter() - start
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下载 PDF").click()
    target = folder / f"view_{time.monotonic_ns()}.pdf"
    download.value.save_as(target)
    saved_s = time.perf_counter() - start
    context.close()
    if leaving:
        raise SystemExit(f"requests left 127.0.0.1: {leaving[:3]}")
    if not target.read_bytes().startswith(b"%PDF"):
        raise SystemExit("the download is not a PDF")
    return preview_s, saved_s, target.stat().st_size


def _cli_s(folder: Path) -> float:
    """The same page by the command line, a whole process (the baseline)."""
    out = folder / f"cli_{time.monotonic_ns()}.pdf"
    start = time.perf_counter()
    subprocess.run(
        ["longtu", "pdf", "page", "--extent", "zone:zone_hexi", "--out", str(out)],
        check=True, capture_output=True, env=os.environ,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    """Measure and print."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="longtu_bench_export_") as name:
        folder = Path(name)
        server, url = start_streamlit("app.py", folder / "server.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                runs = [_one_export(browser, url, folder) for _ in range(args.repeat)]
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
        cli = [_cli_s(folder) for _ in range(args.repeat)]
    load = Path("/proc/loadavg").read_text().split()[0]
    previews = [r[0] for r in runs]
    saved = [r[1] for r in runs]
    print(f"machine load (1 min) {load}; {args.repeat} runs each")
    print("PDF of the current view (Hexi Corridor), click -> preview shown: "
          + ", ".join(f"{s:.2f} s" for s in previews))  # fmt: skip
    print("click -> file saved: " + ", ".join(f"{s:.2f} s" for s in saved)
          + f" (median {statistics.median(saved):.2f} s, worst {max(saved):.2f} s; goal "
          f"{GOAL_S:.0f} s: {'met' if max(saved) <= GOAL_S else 'NOT met'}); "
          f"{runs[0][2] / 1e6:.1f} MB")  # fmt: skip
    print("baseline, the same page by `longtu pdf page` (whole process): "
          + ", ".join(f"{s:.2f} s" for s in cli)
          + f"; ratio app/CLI {statistics.median(saved) / statistics.median(cli):.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
