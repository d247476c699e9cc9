"""environment.yml installs what pyproject.toml declares; the README's setup is what CI runs.

``conda env create -f environment.yml`` writes the pip section to a requirements file and runs
``pip install -r`` on it, so every pip line must be a requirement pip accepts (or ``-e .``).
Conda lines use conda-forge names: where a name differs from PyPI's it is in ``CONDA_TO_PYPI``.
"""

from __future__ import annotations

import re

import tomllib
import yaml
from conftest import REPO

# pip's own parser: what `pip install -r` accepts is what these accept.
from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.specifiers import SpecifierSet
from pip._vendor.packaging.utils import canonicalize_name
from pip._vendor.packaging.version import Version

#: conda-forge package -> the PyPI distribution it installs, where the names differ.
CONDA_TO_PYPI = {
    "matplotlib-base": "matplotlib",  # Matplotlib without the Qt GUI backends
    "playwright-python": "playwright",
    "pyosmium": "osmium",  # the OSM reader (pyosmium) is published on PyPI as osmium
}
#: conda lines that are the environment itself, not a dependency of Longtu.
CONDA_TOOLING = {"python", "pip"}
#: A conda-forge match spec as used here: a name, then PEP 440-style specifiers (or none).
CONDA_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<spec>[<>=!~].*)?$")

SETUP_COMMAND = 'pip install -e ".[test]"'


def _environment() -> tuple[list[str], list[str]]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert len(pip_sections) == 1, "one pip section"
    return conda, pip_sections[0]


def _pyproject_requirements() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["test"]
    requirements = {canonicalize_name(Requirement(r).name): Requirement(r) for r in lines}
    assert len(requirements) == len(lines), "a package listed twice in pyproject.toml"
    return requirements


def _conda_requirements(conda: list[str]) -> dict[str, SpecifierSet]:
    out = {}
    for line in conda:
        match = CONDA_SPEC.match(line)
        assert match, f"environment.yml: not a conda match spec of the form NAME>=X: {line!r}"
        name = canonicalize_name(match["name"])
        if name in CONDA_TOOLING:
            continue
        spec = match["spec"] or ""
        assert not re.match(r"=[^=]", spec), f"{line!r}: use == (conda's single = is fuzzy)"
        out[canonicalize_name(CONDA_TO_PYPI.get(name, name))] = SpecifierSet(spec)
    return out


def _pip_requirements(pip_lines: list[str]) -> dict[str, SpecifierSet]:
    out = {}
    for line in pip_lines:
        if line == "-e .":
            continue
        requirement = Requirement(line)
        out[canonicalize_name(requirement.name)] = requirement.specifier
    return out


def test_pip_section_is_a_valid_requirements_file():
    _, pip_lines = _environment()
    assert pip_lines[-1] == "-e .", "Longtu itself is installed last, from this folder"
    for line in pip_lines[:-1]:
        assert not line.startswith("-"), f"pip section: no options in a requirements line: {line}"
        Requirement(line)  # raises InvalidRequirement for a line pip would reject


def test_environment_yml_matches_pyproject():
    conda, pip_lines = _environment()
    wanted = _pyproject_requirements()
    from_conda = _conda_requirements(conda)
    from_pip = _pip_requirements(pip_lines)
    assert not set(from_conda) & set(from_pip), "a package both from conda-forge and from PyPI"
    listed = from_conda | from_pip
    assert set(listed) == set(wanted), (
        f"only in environment.yml: {sorted(set(listed) - set(wanted))}; "
        f"only in pyproject.toml: {sorted(set(wanted) - set(listed))}"
    )
    for name, specifier in listed.items():
        assert specifier == wanted[name].specifier, (
            f"{name}: {specifier} in environment.yml, {wanted[name].specifier} in pyproject.toml"
        )


def test_environment_python_satisfies_requires_python():
    conda, _ = _environment()
    (python,) = [c for c in conda if c.startswith("python=")]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert Version(python.removeprefix("python=")) in SpecifierSet(project["requires-python"])


def test_no_dependency_left_that_nothing_imports():
    """cartopy and pointpats were declared and never imported (frykit brings cartopy itself)."""
    wanted = _pyproject_requirements()
    assert "cartopy" not in wanted and "pointpats" not in wanted
    sources = [
        p
        for folder in ("gis_data", "layout", "analysis", "maps", "app_pages", "longtu", "tests")
        for p in (REPO / folder).rglob("*.py")
    ]
    imports = re.compile(r"^\s*(?:import|from)\s+(cartopy|pointpats)\b", re.MULTILINE)
    assert not [p for p in sources if imports.search(p.read_text(encoding="utf-8"))]


def _quickstart_setup_line(readme: str) -> str:
    quickstart = readme.split("## Quickstart", 1)[1]
    block = quickstart.split("```bash", 1)[1].split("```", 1)[0]
    return block.strip().splitlines()[0].strip()


def test_readme_setup_is_one_pip_command_and_ci_runs_it():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci_lines = [
        line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    ]
    setup = _quickstart_setup_line(readme)
    assert setup == SETUP_COMMAND
    assert "--no-deps" not in setup and "MCD12C1" not in setup
    assert setup in ci_lines, ".ci/run must run exactly the README's setup command"
    test_line = (
        "ruff check . && ruff format --check . && python .ci/typecheck.py && python -m pytest"
    )
    assert test_line in readme and test_line in ci_lines, ".ci/run must run the README's tests"
    packages = "chromium fonts-noto-cjk poppler-utils"
    assert packages in readme and packages in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_browser_tests_start_the_app_with_the_readmes_command():
    from browser_helpers import APP_COMMAND

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("```bash", 1)[1].split("```", 1)[0]
    run_line = next(line for line in quickstart.splitlines() if "streamlit" in line)
    assert run_line.split("#")[0].split() == APP_COMMAND
