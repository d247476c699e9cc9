"""Run mypy on the ``longtu`` package as it is installed, from the checkout's folders.

The card's folders (gis_data/, layout/, analysis/, maps/, app_pages/) are installed as
subpackages of ``longtu`` by setuptools' package-dir mapping, which mypy cannot follow. This
script lays the package out as installed, with symbolic links into the checkout (in a
temporary folder under ``build/``, ignored by git), and runs mypy on it with the settings of
pyproject.toml. Errors name the checkout's files.

    python .ci/typecheck.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import tomllib

REPO = Path(__file__).resolve().parents[1]


def lay_out(tree: Path) -> Path:
    """``tree/longtu`` with the package's folders linked in; returns it."""
    package_dirs = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-dir"
    ]
    shutil.rmtree(tree, ignore_errors=True)
    root = tree / "longtu"
    root.mkdir(parents=True)
    for path in (REPO / package_dirs["longtu"]).iterdir():
        if path.name != "__pycache__":
            (root / path.name).symlink_to(path)
    for name, folder in package_dirs.items():
        if name != "longtu":
            (tree / name.replace(".", os.sep)).symlink_to(REPO / folder)
    return root


def main() -> int:
    """Lay out the package and type-check it; mypy's exit status."""
    (REPO / "build").mkdir(exist_ok=True)
    tree = Path(tempfile.mkdtemp(prefix="typecheck-", dir=REPO / "build"))
    lay_out(tree)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "-p",
            "longtu",
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    links = {
        f"longtu/{p.name}/": f"{p.resolve().relative_to(REPO)}/"
        for p in (tree / "longtu").iterdir()
        if p.is_symlink() and p.is_dir()
    }
    output = done.stdout
    for link, real in sorted(links.items(), key=lambda kv: -len(kv[0])):
        output = re.sub(rf"^{re.escape(link)}", real, output, flags=re.M)
    shutil.rmtree(tree, ignore_errors=True)
    print(output, end="")
    print(done.stderr, end="", file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
