"""``longtu app``: the Streamlit app of the installed package.

Runs ``python -m streamlit run`` on ``longtu/app_pages/streamlit_app.py`` with the interpreter
that runs ``longtu``, with the app's Streamlit settings on the command line (they are the same
as the checkout's ``.streamlit/config.toml``): headless, no usage statistics sent, and the
toolbar in ``viewer`` mode, which hides the developer options, the Deploy button among them
(Streamlit 1.67 ``client.toolbarMode``).
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from importlib import resources
from pathlib import Path

from longtu.cli.help_text import add_command, zh_en
from longtu.cli.interrupt import handled

#: Streamlit options of the app: ``(option, value)`` pairs passed as ``--option value``.
STREAMLIT_OPTIONS: tuple[tuple[str, str], ...] = (
    ("browser.gatherUsageStats", "false"),
    ("client.toolbarMode", "viewer"),
    ("global.disableWidgetStateDuplicationWarning", "true"),
    ("server.fileWatcherType", "none"),
    ("server.headless", "true"),
    ("server.maxUploadSize", "200"),
    ("server.showEmailPrompt", "false"),
)


def app_script() -> Path:
    """Path of the installed app script, ``longtu/app_pages/streamlit_app.py``."""
    return Path(str(resources.files("longtu.app_pages") / "streamlit_app.py"))


def streamlit_command(port: int, address: str) -> list[str]:
    """The command line that serves the app on `address`:`port`.

    Examples
    --------
    >>> cmd = streamlit_command(8502, "127.0.0.1")
    >>> cmd[1:4], cmd[5:9]
    (['-m', 'streamlit', 'run'], ['--server.port', '8502', '--server.address', '127.0.0.1'])
    """
    command = [sys.executable, "-m", "streamlit", "run", str(app_script())]
    command += ["--server.port", str(port), "--server.address", address]
    for option, value in STREAMLIT_OPTIONS:
        command += [f"--{option}", value]
    return command


def run_app(args: argparse.Namespace) -> int:
    """Serve the app until Streamlit stops or Ctrl-C; return Streamlit's exit status."""
    command = streamlit_command(args.port, args.address)
    print(f"陇图 Longtu: http://{args.address}:{args.port} (Ctrl-C stops it)", flush=True)
    with subprocess.Popen(command) as proc:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            handled()  # the way to stop the app, not an interruption of its work
            return _stop(proc)


def _stop(proc: subprocess.Popen) -> int:
    """End Streamlit after Ctrl-C: it got the terminal's SIGINT too, else it is sent one."""
    steps = ((None, 2), (lambda: proc.send_signal(signal.SIGINT), 5), (proc.terminate, 5))
    for stop, seconds in steps:
        if stop is not None:
            stop()
        try:
            proc.wait(timeout=seconds)
            return 0
        except subprocess.TimeoutExpired:
            continue
    proc.kill()
    return 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``app`` command to the ``longtu`` sub-command parsers."""
    parser = add_command(
        subparsers,
        "app",
        "运行 Streamlit 应用（离线、本地）",
        "run the Streamlit app (offline, local)",
    )
    parser.add_argument(
        "--port", type=int, default=8501, help=zh_en("端口（默认 8501）", "port (default 8501)")
    )
    parser.add_argument(
        "--address",
        default="127.0.0.1",
        help=zh_en("地址（默认 127.0.0.1）", "address to serve on (default 127.0.0.1)"),
    )
    parser.set_defaults(func=run_app)
