"""Start ``streamlit run SCRIPT`` from the checkout for a bench, as the README says.

The README's command takes Streamlit's default port; a free one is given through the environment
(``STREAMLIT_SERVER_PORT``) so a bench never collides with a running app. Shared by
``bench_browser.py``, ``bench_sessions.py`` and ``bench_export_browser.py`` (run as
``python bench/NAME.py``), with Chromium's path and flags.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Chromium's flags in the benches: headless as root, and no name resolved but this machine's
#: (the network cut, besides the requests each bench aborts).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_streamlit(script: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The server of `script` (output in `log`) and its URL, once it answers its health check."""
    port = free_port()
    env = os.environ | {"STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_HEADLESS": "true"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script],
        cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(480):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise SystemExit(f"{script} did not start: " + log.read_text(errors="replace")[-2000:])
