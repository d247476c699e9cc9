"""The examples in the docstrings of every module of the package run and print what they say.

The modules are found by walking the installed ``longtu`` package, so each is imported under
its real name (``longtu.layout.plan``), never a second time under its folder's name.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import longtu

SKIPPED = {"longtu.__main__"}


def _modules() -> list[str]:
    names = ["longtu"]
    for info in pkgutil.walk_packages(longtu.__path__, "longtu."):
        names.append(info.name)
    # subpackages mapped from other folders of the repository
    for package in ("longtu.gis_data", "longtu.layout", "longtu.analysis", "longtu.maps"):
        module = importlib.import_module(package)
        names.append(package)
        names.extend(info.name for info in pkgutil.walk_packages(module.__path__, package + "."))
    return sorted(set(names) - SKIPPED)


def _with_examples(name: str) -> bool:
    module = importlib.import_module(name)
    return any(test.examples for test in doctest.DocTestFinder().find(module, name))


MODULES = [name for name in _modules() if _with_examples(name)]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures = []
    for test in finder.find(module, name):
        if not test.examples:
            continue
        output: list[str] = []
        result = runner.run(test, out=output.append)
        if result.failed:
            failures.append("".join(output))
    assert not failures, "\n".join(failures)


def test_examples_are_found() -> None:
    assert "longtu.layout.plan" in MODULES or len(MODULES) > 10
