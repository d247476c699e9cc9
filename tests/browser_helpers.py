"""What the browser tests share: the app started as the README says, and an offline Chromium page.

``app_server`` runs ``streamlit run app.py`` from the checkout, the README's command with no
extra flags (so ``.streamlit/config.toml`` applies), on a free port given through the
environment; ``offline_page`` opens it in Debian's Chromium with every
request that would leave 127.0.0.1 aborted and recorded (``page.leaving``), and JavaScript errors
recorded (``page.js_errors``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest
from conftest import REPO

T = TypeVar("T")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OUTPUT = REPO / "tests" / "output"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: The README's command that runs the app (tests/test_environment.py holds them equal).
APP_COMMAND = ["streamlit", "run", "app.py"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """The app served by ``streamlit run app.py`` on 127.0.0.1; yields its URL."""
    port = free_port()
    # The README's command, word for word, from the checkout (so .streamlit/config.toml
    # applies). Only the port differs, through Streamlit's environment variable, so that tests
    # never collide with an app already running on 8501; headless, so no browser is opened.
    cmd = [sys.executable, "-m", *APP_COMMAND]
    settings = {"STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_HEADLESS": "true"}
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=os.environ | settings | (env or {}), stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stderr.read().decode()[-2000:])
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        proc.stderr.close()


def poll(
    pg: Any,
    read: Callable[[], T],
    ok: Callable[[T], bool],
    message: str,
    *,
    timeout_s: float = 15.0,
) -> T:
    """What `read()` gives once `ok` holds of it, read every 100 ms; fail with `message` if never.

    The page waits between reads (``wait_for_timeout``), so its events keep being handled.
    """
    deadline = time.monotonic() + timeout_s
    value = read()
    while not ok(value):
        if time.monotonic() > deadline:
            pytest.fail(f"{message}: {value!r}")
        pg.wait_for_timeout(100)
        value = read()
    return value


class HeldMessages:
    """What the app's server sends the page, held back on demand: a run that seems slow.

    While :meth:`hold` is on, the messages of the server's runs (new widget values, the map's
    state) are kept from the page, which still sends what the person does: the page is then
    "still running" as on a busy server or a slow network. :meth:`release` delivers them in
    order. Installed on Streamlit's WebSocket before the page opens.
    """

    def __init__(self) -> None:
        self.holding = False
        self.held: list[str | bytes] = []
        self.page_side = None

    def route(self, ws) -> None:
        """Playwright's WebSocket route handler: forward both ways, hold the server's if asked."""
        server = ws.connect_to_server()
        self.page_side = ws
        ws.on_message(server.send)
        server.on_message(self._from_server)

    def _from_server(self, message: str | bytes) -> None:
        if self.holding:
            self.held.append(message)
        elif self.page_side is not None:
            self.page_side.send(message)

    def hold(self) -> None:
        """Keep what the server sends from now on."""
        self.holding = True

    def release(self) -> None:
        """Deliver what was held, in order, and stop holding."""
        self.holding = False
        held, self.held = self.held, []
        for message in held:
            self.page_side.send(message)


@contextmanager
def offline_page(url: str, *, env: dict[str, str] | None = None):
    """A Chromium page on `url`; requests leaving 127.0.0.1 are aborted and recorded.

    `env`: added to Chromium's environment (e.g. ``FONTCONFIG_FILE`` to hide system fonts).
    ``page.server_messages`` (:class:`HeldMessages`) can hold back what the server sends.
    """
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    leaving: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=FLAGS, env=os.environ | (env or {})
        )
        pg = browser.new_page(viewport={"width": 1500, "height": 1000})

        def route(r):
            if r.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
                r.continue_()
            else:
                leaving.append(r.request.url)
                r.abort()

        pg.route("**/*", route)
        pg.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        pg.on(
            "console",
            lambda m: (
                errors.append(f"console: {m.text} {m.location.get('url', '')}")
                if m.type == "error"
                else None
            ),
        )
        pg.leaving = leaving
        pg.js_errors = errors
        pg.server_messages = HeldMessages()
        pg.route_web_socket("**/_stcore/stream", pg.server_messages.route)
        pg.goto(url, wait_until="networkidle")
        try:
            yield pg
        finally:
            browser.close()
