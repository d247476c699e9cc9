"""Ten people at once: seconds until each browser session sees its first layout map.

What the person waits for, in a real browser: the app is started with the README's command
(``streamlit run app.py``, no extra flags) and Chromium (Playwright) opens it; a session's time
runs from ``page.goto`` until the Leaflet map inside the st_folium frame has drawn the plan's
symbols. Every request that would leave 127.0.0.1 is aborted.

Baseline, measured in the same run on the same warm server: one session alone. Then ten
browser contexts open the page together. Goal (issue 17): every one of the ten sees its first
map within 10 s, with no error in any session or in the server log.

The floor this machine sets, in the same run: the same ten sessions opening a one-line
Streamlit page on its own server (the least any Streamlit page costs a browser and a server).
``--profile`` also prints where one session's CPU goes, in the browser (Chromium's own counters
over the DevTools protocol: script, layout, style; CPU seconds by Chromium process) and in the
server, for the layout page and for the one-line page.

    python bench/bench_sessions.py [--sessions 10] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from streamlit_server import CHROMIUM, FLAGS, start_streamlit

LOCAL = ("http://localhost", "http://127.0.0.1", "data:", "blob:")
GOAL_S = 10.0
MAP_DRAWN = (
    "!!document.querySelector('.leaflet-overlay-pane canvas, .leaflet-overlay-pane svg')"
    " && document.querySelectorAll('.leaflet-marker-icon').length > 0"
)
#: The text of the one-line page (the floor): its first paint is when this shows.
TRIVIAL_TEXT = "hello 你好"
TRIVIAL_SCRIPT = f"import streamlit as st\nst.write({TRIVIAL_TEXT!r})\n"
#: Chromium's own counters read over the DevTools protocol (seconds, except the counts).
METRICS = (
    "TaskDuration",
    "ScriptDuration",
    "LayoutDuration",
    "RecalcStyleDuration",
    "LayoutCount",
    "Nodes",
)


async def _wait_drawn(page, trivial: bool, start: float) -> bool:
    """Wait until the page shows its first map (the one-line page: its text); False on timeout.

    The map is read inside the st_folium frame, which may be replaced while the map is drawn.
    """
    if trivial:
        await page.get_by_text(TRIVIAL_TEXT).wait_for(timeout=180_000)
        return True
    while time.perf_counter() - start < 180:
        frames = [f for f in page.frames if "st_folium" in f.url]
        try:
            if frames:
                await frames[0].wait_for_function(MAP_DRAWN, polling=100, timeout=180_000)
                return True
        except Exception:  # the frame may be replaced while the map is redrawn
            pass
        await page.wait_for_timeout(250)
    return False


async def _first_map_s(
    browser, url: str, errors: list[str], *, trivial: bool = False, profile: dict | None = None
) -> float:
    """Seconds from opening the page to the layout map drawn, in a fresh browser context.

    The network is cut in Chromium itself (``--host-resolver-rules``: every host but this one
    fails to resolve) and requests are only watched, not intercepted: routing each request
    through Playwright made the browser process, not the app, the bottleneck of the bench.
    `profile`: filled with Chromium's counters and CPU by process, 3 s after the map is drawn.
    """
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    page.on(
        "request",
        lambda r: None if r.url.startswith(LOCAL) else errors.append("left 127.0.0.1: " + r.url),
    )
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    cdp = await context.new_cdp_session(page) if profile is not None else None
    if cdp is not None:
        await cdp.send("Performance.enable")
    cpu_before = _chromium_cpu_by_process()
    start = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=180_000)
    elapsed = time.perf_counter() - start if await _wait_drawn(page, trivial, start) else None
    if cdp is not None and profile is not None:
        await page.wait_for_timeout(3000)  # what the page still does once it is drawn
        metrics = (await cdp.send("Performance.getMetrics"))["metrics"]
        profile.update({m["name"]: m["value"] for m in metrics if m["name"] in METRICS})
        after = _chromium_cpu_by_process()
        profile["cpu"] = {k: v - cpu_before.get(k, 0.0) for k, v in after.items()}
    await context.close()
    if elapsed is None:
        errors.append("no map within 180 s")
        return float("inf")
    return elapsed


def _together(
    url: str, sessions: int, errors: list[str], *, trivial: bool = False
) -> tuple[list[float], float]:
    """Open `sessions` pages at the same moment: one Chromium, one context per person."""
    from playwright.async_api import async_playwright

    async def run() -> tuple[list[float], float]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            before = sum(_chromium_cpu_by_process().values())
            times = await asyncio.gather(
                *(_first_map_s(browser, url, errors, trivial=trivial) for _ in range(sessions))
            )
            used = sum(_chromium_cpu_by_process().values()) - before
            await browser.close()
            return list(times), used

    return asyncio.run(run())


def _profile(url: str, *, trivial: bool) -> dict:
    """Chromium's counters and CPU by process for one session (after one to warm up)."""
    from playwright.async_api import async_playwright

    async def run() -> dict:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            await _first_map_s(browser, url, [], trivial=trivial)
            profile: dict = {}
            profile["first_map_s"] = await _first_map_s(
                browser, url, [], trivial=trivial, profile=profile
            )
            await browser.close()
            return profile

    return asyncio.run(run())


def _process_kind(command: bytes) -> str:
    """Chromium's process type from its command line (the browser process has none).

    Chromium rewrites its command line with spaces, not NULs, between the arguments.
    """
    for arg in command.replace(b"\0", b" ").split(b" "):
        if arg.startswith(b"--utility-sub-type="):
            return "utility " + arg.decode().rsplit(".", 1)[-1]
        if arg.startswith(b"--type=") and arg != b"--type=utility":
            return arg.decode().removeprefix("--type=")
    return "browser"


def _chromium_cpu_by_process() -> dict[str, float]:
    """CPU seconds used so far by the running Chromium processes, by kind (Linux /proc).

    A process's count includes its children that have ended (renderers of closed contexts are
    counted under the zygote that started them), so a session's CPU is not lost when it closes.
    """
    used: dict[str, float] = {}
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            command = (folder / "cmdline").read_bytes()
            if b"chromium" in command[:200]:
                kind = _process_kind(command)
                used[kind] = used.get(kind, 0.0) + _cpu_s(int(folder.name), children=True)
        except OSError:
            continue
    return used


def _cpu_s(pid: int, *, children: bool = False) -> float:
    """User + system CPU seconds used so far by process `pid` (and its ended children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11 : 15 if children else 13])
    return ticks / os.sysconf("SC_CLK_TCK")


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


def _floor(folder: Path, sessions: int) -> tuple[float, list[float], float, float]:
    """The one-line page: one session alone, `sessions` together, their CPU (browser, server)."""
    script = folder / "trivial.py"
    script.write_text(TRIVIAL_SCRIPT, encoding="utf-8")
    proc, url = start_streamlit(str(script), folder / "trivial.log")
    errors: list[str] = []
    try:
        _together(url, 1, errors, trivial=True)  # warm
        alone = _together(url, 1, errors, trivial=True)[0][0]
        server_before = _cpu_s(proc.pid)
        times, browser_cpu_s = _together(url, sessions, errors, trivial=True)
        server_cpu_s = _cpu_s(proc.pid) - server_before
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return alone, times, browser_cpu_s, server_cpu_s


def _print_profiles(url: str, folder: Path) -> None:
    """Where one session's CPU goes: the layout page beside the one-line page."""
    layout = _profile(url, trivial=False)
    script = folder / "trivial.py"
    script.write_text(TRIVIAL_SCRIPT, encoding="utf-8")
    proc, trivial_url = start_streamlit(str(script), folder / "profile.log")
    try:
        trivial = _profile(trivial_url, trivial=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print("one session, until 3 s after its first map:  layout page | one-line page")
    for name in ("first_map_s", *METRICS):
        print(f"    {name:<26} {layout.get(name, 0):6.2f} | {trivial.get(name, 0):10.2f}")
    kinds = sorted(set(layout["cpu"]) | set(trivial["cpu"]))
    for kind in kinds:
        a, b = layout["cpu"].get(kind, 0.0), trivial["cpu"].get(kind, 0.0)
        if max(a, b) >= 0.005:
            print(f"    {'CPU s, ' + kind:<26} {a:6.2f} | {b:10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="where one session's CPU goes")
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("needs Debian's chromium (apt install chromium)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        log = folder / "server.log"
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
            if args.profile:
                _print_profiles(url, folder)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        server = _server_errors(log)
        floor = _floor(folder, args.sessions)
    n = args.sessions
    print(f"first map, cold first session:   {cold:6.1f} s")
    print(f"first map, one session alone:    {alone:6.1f} s   (one-line page: {floor[0]:.1f} s)")
    print(
        f"first map, {n} sessions together: " + ", ".join(f"{s:.1f}" for s in sorted(times)) + " s"
    )
    print(
        f"one-line page, {n} together:     "
        + ", ".join(f"{s:.1f}" for s in sorted(floor[1]))
        + " s   (floor)"
    )
    print(
        f"CPU for the {n} sessions: server {server_cpu_s:.1f} s, browser {browser_cpu_s:.1f} s "
        f"(one-line page: server {floor[3]:.1f} s, browser {floor[2]:.1f} s)"
    )
    worst, floor_worst = max(times), max(floor[1])
    print(
        f"slowest of {n}: {worst:.1f} s = {worst / alone:.1f} x one session alone, "
        f"{worst / floor_worst:.1f} x the one-line page's slowest ({floor_worst:.1f} s)"
    )
    print(f"errors in sessions: {len(errors)}; error lines in the server log: {len(server)}")
    for line in (errors + server)[:10]:
        print("   ", line)
    met = worst <= GOAL_S and not errors and not server
    print(f"goal: every session <= {GOAL_S:.0f} s, no error -> {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
