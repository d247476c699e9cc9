"""Speed as the person feels it: the layout map in a real browser, from opening to each update.

The app is started with the README's command (``streamlit run app.py``, no extra flags) and
Debian's Chromium (Playwright) opens it with the network cut (every host but this one fails to
resolve). Each figure runs from the user's action to the map showing its result:

- first map, cold: the first page opened after the server started (layers load, caches fill);
- first map, warm: a fresh browser context opening the page again;
- layer toggle: the sidebar's "园区 Parks" box unticked -> the parks gone from the map;
- filter: the economic zone 河西 chosen -> the map shows only what the filter keeps;
- search: "酒泉" typed -> the map shows only the hits.

"Shown" is read inside the map's own frame: the number of point symbols Leaflet has on the map
changes to the new value and the map is drawn. Baseline, in the same run: a one-line Streamlit
page's first paint on its own server. Goals (issue 12): first map <= 3 s warm, <= 10 s cold;
each update <= 1 s.

With ``--timeline``, each warm first map also prints what its frame loaded (each script and
layer file, start and end in ms after opening) and its long tasks, which shows what the map
waits for.

    python bench/bench_browser.py [--repeat 3] [--timeline]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from streamlit_server import CHROMIUM, FLAGS, start_streamlit

#: Point symbols on the newest map (plan features), or -1 while no map is drawn.
SYMBOLS = """() => {
  const map = window.map;
  if (!map || !document.querySelector('.leaflet-overlay-pane canvas, .leaflet-overlay-pane svg')
      || !document.querySelector('.leaflet-marker-icon')) { return -1; }
  let n = 0;
  map.eachLayer(l => { if (l.feature && l.getLatLng) { n += 1; } });
  return n;
}"""
TIMEOUT_S = 120.0
#: What the map's frame loaded and when (ms from the frame's start), and its long tasks.
TIMELINE = """() => {
  const rows = performance.getEntriesByType('resource').map(e => [
    e.name.split('/').pop().split('?')[0], e.initiatorType, Math.round(e.startTime),
    Math.round(e.responseEnd), Math.round(e.transferSize / 1024)]);
  return {rows, tasks: window.__longTasks || [], origin: performance.timeOrigin};
}"""
#: Records the long tasks (> 50 ms of script, layout or paint) of every frame from its start.
LONG_TASKS = """window.__longTasks = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.__longTasks.push(
  [Math.round(e.startTime), Math.round(e.duration)]))).observe({type: 'longtask'});"""


def _symbols(page) -> int:
    """Point symbols on the newest st_folium map of `page` (-1 if none is drawn yet)."""
    frames = [f for f in page.frames if "st_folium" in f.url]
    if not frames:
        return -1
    try:
        return int(frames[-1].evaluate(SYMBOLS))
    except Exception:  # a frame replaced while being read: not drawn yet
        return -1


def _wait(page, start: float, done: Callable[[int], bool]) -> float:
    """Seconds from `start` until `done(symbols)` holds, polled every 20 ms."""
    while time.perf_counter() - start < TIMEOUT_S:
        if done(_symbols(page)):
            return time.perf_counter() - start
        page.wait_for_timeout(20)
    raise SystemExit("the map did not show the result within the timeout")


def _first_map_s(browser, url: str) -> tuple[float, object, object]:
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    page.opened_epoch_ms = time.time() * 1000
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    elapsed = _wait(page, start, lambda n: n > 0)
    return elapsed, context, page


def _timeline(page, start_epoch_ms: float) -> list[str]:
    """The map frame's resources as lines: name, kind, start and end (ms after the click)."""
    frame = [f for f in page.frames if "st_folium" in f.url][-1]
    data = frame.evaluate(TIMELINE)
    offset = data["origin"] - start_epoch_ms  # the frame's clock starts this late
    lines = [f"  map frame opened at {offset:6.0f} ms"]
    for name, kind, begin, end, size_kb in data["rows"]:
        lines.append(
            f"  {name[:44]:<44} {kind:<8} {begin + offset:6.0f} -> {end + offset:6.0f} ms"
            f" {size_kb:5d} KB"
        )
    for begin, duration in data["tasks"]:
        lines.append(
            f"  {'long task':<53} {begin + offset:6.0f} -> {begin + duration + offset:6.0f} ms"
        )
    return lines


def _settled(page) -> int:
    """The symbol count once the page is idle (a map drawn, the same count for 1.5 s)."""
    _wait(page, time.perf_counter(), lambda n: n > 0)
    last, since = _symbols(page), time.perf_counter()
    while time.perf_counter() - since < 1.5:
        page.wait_for_timeout(100)
        now = _symbols(page)
        if now != last:
            last, since = now, time.perf_counter()
    return last


def _toggle_s(page) -> float:
    before = _settled(page)
    box = page.locator("[data-testid='stCheckbox']", has_text="园区 Parks").first
    start = time.perf_counter()
    box.click()
    return _wait(page, start, lambda n: 0 <= n < before)


def _filter_s(page) -> float:
    before = _settled(page)
    combo = page.locator("[data-testid='stMultiSelect']", has_text="经济区").first
    combo.click()
    page.keyboard.type("河西")
    start = time.perf_counter()
    page.keyboard.press("Enter")
    return _wait(page, start, lambda n: 0 <= n < before)


def _search_s(page) -> float:
    before = _settled(page)
    box = page.get_by_label("搜索", exact=False).first
    box.fill("酒泉")
    start = time.perf_counter()
    box.press("Enter")
    return _wait(page, start, lambda n: 0 <= n < before)


def _baseline_s(browser, folder: Path) -> float:
    """First paint of a one-line Streamlit page (its own server, warm)."""
    trivial = folder / "trivial.py"
    trivial.write_text("import streamlit as st\nst.write('hello 你好')\n", encoding="utf-8")
    proc, url = start_streamlit(str(trivial), folder / "trivial.log")
    try:
        times = []
        for _ in range(3):
            context = browser.new_context()
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.get_by_text("hello 你好").wait_for(timeout=60_000)
            times.append(time.perf_counter() - start)
            context.close()
        return min(times[1:])
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _measure(browser, url: str, repeat: int, timelines: list[str]) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"cold": [], "warm": [], "toggle": [], "filter": []}
    figures["search"] = []
    cold, context, page = _first_map_s(browser, url)
    figures["cold"].append(cold)
    context.close()
    for _ in range(repeat):
        for name, action in (("toggle", _toggle_s), ("filter", _filter_s), ("search", _search_s)):
            warm, context, page = _first_map_s(browser, url)  # each action on a fresh page
            figures["warm"].append(warm)
            timelines.append(f"warm first map drawn at {warm * 1000:.0f} ms after opening:")
            timelines.extend(_timeline(page, page.opened_epoch_ms))
            figures[name].append(action(page))
            context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--timeline", action="store_true", help="print what each warm first map's frame loaded"
    )
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("needs Debian's chromium (apt install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as name, sync_playwright() as p:
        folder = Path(name)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        baseline = _baseline_s(browser, folder)
        start = time.perf_counter()
        proc, url = start_streamlit("app.py", folder / "app.log")
        started = time.perf_counter() - start
        try:
            timelines: list[str] = []
            figures = _measure(browser, url, args.repeat, timelines)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            browser.close()
    if args.timeline:
        print("\n".join(timelines))
    print(f"baseline: one-line Streamlit page, first paint  {baseline:5.2f} s")
    print(f"server start (streamlit run app.py, health)     {started:5.2f} s")
    goals = {"cold": 10.0, "warm": 3.0, "toggle": 1.0, "filter": 1.0, "search": 1.0}
    words = {
        "cold": "first map, cold first session",
        "warm": "first map, warm (fresh context)",
        "toggle": "layer toggle -> map updated",
        "filter": "zone filter -> map updated",
        "search": "search 酒泉 -> map updated",
    }
    for key, goal in goals.items():
        values = figures[key]
        worst, median = max(values), statistics.median(values)
        verdict = "met" if worst <= goal else "NOT met"
        print(
            f"{words[key]:<36} median {median:5.2f} s, worst {worst:5.2f} s "
            f"({median / baseline:4.1f}x baseline; goal {goal:g} s: {verdict})"
        )


if __name__ == "__main__":
    main()
