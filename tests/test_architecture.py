"""The layering holds: imports run one way, and no module reaches into another's private names.

gis_data -> layout -> analysis -> maps -> app pages / CLI; ``longtu.settings`` and
``longtu.errors`` are shared by all. Every import statement of the product is read with
:mod:`ast` (those inside functions too), so a lazy import cannot hide an upward one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

#: Folder of the repository -> the package it is installed as.
FOLDERS = {
    "longtu": "longtu",
    "gis_data": "longtu.gis_data",
    "layout": "longtu.layout",
    "analysis": "longtu.analysis",
    "maps": "longtu.maps",
    "app_pages": "longtu.app_pages",
}
SHARED = ("longtu.settings", "longtu.errors")
#: Each layer and the layers it may import (besides itself and SHARED).
MAY_IMPORT = {
    "longtu.gis_data": (),
    "longtu.layout": ("longtu.gis_data",),
    "longtu.analysis": ("longtu.gis_data", "longtu.layout"),
    "longtu.maps": ("longtu.gis_data", "longtu.layout", "longtu.analysis"),
    "longtu.app_pages": ("longtu.gis_data", "longtu.layout", "longtu.analysis", "longtu.maps"),
    "longtu.cli": (
        "longtu.gis_data",
        "longtu.layout",
        "longtu.analysis",
        "longtu.maps",
        "longtu.app_pages",
    ),
    "longtu": (),  # the root modules: settings, errors, version
}


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in (REPO / folder).rglob("*.py"):
            parts = path.relative_to(REPO / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


MODULES = _modules()


def _layer(module: str) -> str:
    for layer in sorted(MAY_IMPORT, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    raise AssertionError(module)


def _imports(path: Path, module: str) -> list[tuple[str, list[str]]]:
    """(imported module, names) for every import statement, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            found.append((base, [alias.name for alias in node.names]))
    return found


def test_every_product_folder_has_modules():
    layers = {_layer(m) for m in MODULES}
    assert layers == set(MAY_IMPORT), layers


def test_old_top_level_names_are_never_imported():
    old = ("gis_data", "layout", "analysis", "maps", "app_pages")
    offenders = [
        f"{module}: import {name}"
        for module, path in MODULES.items()
        for name, _ in _imports(path, module)
        if name.split(".")[0] in old
    ]
    assert not offenders


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    own = _layer(module)
    allowed = (own, *SHARED, *MAY_IMPORT[own])
    if own == "longtu":
        allowed = (*SHARED, "longtu")  # the root may import only its own modules
    upward = []
    for name, names in _imports(MODULES[module], module):
        if not name.startswith("longtu"):
            continue
        targets = [name] if name != "longtu" else [f"longtu.{n}" for n in names]
        for target in targets:
            if own == "longtu" and target.split(".")[1] in {"__version__", "settings", "errors"}:
                continue
            if not any(target == a or target.startswith(a + ".") for a in allowed):
                upward.append(target)
    assert not upward, f"{module} imports {upward}, above or beside its layer"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_is_imported_from_another_module(module):
    private = [
        f"{name}.{imported}"
        for name, names in _imports(MODULES[module], module)
        for imported in names
        if name.startswith("longtu")
        and imported.startswith("_")
        and not imported.endswith("__")
        and name != module
    ]
    private += [
        name for name, _ in _imports(MODULES[module], module) if "._" in name and name != module
    ]
    assert not private, f"{module} imports private names {private}"
