"""Ten people at once: seconds until each browser session sees its first layout map.

What the person waits for, in a real browser: the app is started with the README's command
(``streamlit run app.py``, no extra flags) and Chromium (Playwright) opens it; a session's time
runs from ``page.goto`` until the Leaflet map inside the st_folium frame has drawn the plan's
symbols. Every request that would leave 127.0.0.1 is aborted.

Baseline, measured in the same run on the same warm server: one session alone. Then ten
browser contexts open the page together. Goal (issue 17): every one of the ten sees its first
map within 10 s, with no error in any session or in the server log.

    python bench/bench_sessions.py [--sessions 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path

from streamlit_server import start_streamlit

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOCAL = ("http://localhost", "http://127.0.0.1", "data:", "blob:")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
GOAL_S = 10.0
MAP_DRAWN = (
    "!!document.querySelector('.leaflet-overlay-pane canvas, .leaflet-overlay-pane svg')"
    " && document.querySelectorAll('.leaflet-marker-icon').length > 0"
)


async def _first_map_s(browser, url: str, errors: list[str]) -> float:
    """Seconds from opening the page to the layout map drawn, in a fresh browser context.

    The network is cut in Chromium itself (``--host-resolver-rules``: every host but this one
    fails to resolve) and requests are only watched, not intercepted: routing each request
    through Playwright made the browser process, not the app, the bottleneck of the bench.
    """
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    page.on(
        "request",
        lambda r: None if r.url.startswith(LOCAL) else errors.append("left 127.0.0.1: " + r.url),
    )
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    start = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=180_000)
    while time.perf_counter() - start < 180:
        frames = [f for f in page.frames if "st_folium" in f.url]
        try:
            if frames:
                await frames[0].wait_for_function(MAP_DRAWN, polling=100, timeout=180_000)
                elapsed = time.perf_counter() - start
                await context.close()
                return elapsed
        except Exception:  # the frame may be replaced while the map is redrawn
            pass
        await page.wait_for_timeout(250)
    errors.append("no map within 180 s")
    await context.close()
    return float("inf")


def _together(url: str, sessions: int, errors: list[str]) -> tuple[list[float], float]:
    """Open `sessions` pages at the same moment: one Chromium, one context per person."""
    from playwright.async_api import async_playwright

    async def run() -> tuple[list[float], float]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            before = _browser_cpu_s()
            times = await asyncio.gather(
                *(_first_map_s(browser, url, errors) for _ in range(sessions))
            )
            used = _browser_cpu_s() - before
            await browser.close()
            return list(times), used

    return asyncio.run(run())


def _browser_cpu_s() -> float:
    """CPU seconds used so far by every running Chromium process (Linux /proc)."""
    total = 0.0
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            if b"chrom" in (folder / "cmdline").read_bytes()[:200]:
                total += _cpu_s(int(folder.name))
        except OSError:
            continue
    return total


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by process `pid` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_errors(log: Path) -> list[str]:
    """Each traceback or error line the server wrote (a traceback whole, to be read)."""
    errors: list[str] = []
    lines = log.read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((j for j in range(i + 1, len(lines)) if not lines[j].startswith(" ")), i)
            errors.append("\n".join(lines[i : end + 1]))
        elif (
            "Error" in line
            and not line.startswith(" ")
            and (i == 0 or "Traceback" not in lines[i - 1])
        ) and not any(line in e for e in errors):
            errors.append(line)
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("needs Debian's chromium (apt install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        start = time.perf_counter()
        proc, url = start_streamlit("app.py", log)
        errors: list[str] = []
        try:
            cold = _together(url, 1, errors)[0][0]
            print(
                f"server start + first session (cold caches): {time.perf_counter() - start:6.1f} s"
            )
            alone = _together(url, 1, errors)[0][0]
            cpu_before = _cpu_s(proc.pid)
            times, browser_cpu_s = _together(url, args.sessions, errors)
            server_cpu_s = _cpu_s(proc.pid) - cpu_before
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        server = _server_errors(log)
    print(f"first map, cold first session:   {cold:6.1f} s")
    print(f"first map, one session alone:    {alone:6.1f} s   (baseline)")
    print(
        f"first map, {args.sessions} sessions together: "
        + ", ".join(f"{s:.1f}" for s in sorted(times))
        + " s"
    )
    print(
        f"CPU for the {args.sessions} sessions: server {server_cpu_s:.1f} s, "
        f"browser {browser_cpu_s:.1f} s"
    )
    worst = max(times)
    print(f"slowest of {args.sessions}: {worst:.1f} s = {worst / alone:.1f} x one session alone")
    print(f"errors in sessions: {len(errors)}; error lines in the server log: {len(server)}")
    for line in (errors + server)[:10]:
        print("   ", line)
    met = worst <= GOAL_S and not errors and not server
    print(f"goal: every session <= {GOAL_S:.0f} s, no error -> {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
