"""Shared fixtures: the independent reference data beside the checkout, when present."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    """Build the base layers once, before pytest-xdist starts its workers.

    The workers share the data folder; were it empty, two of them would build into it at the
    same time. The controller (the process without ``workerinput``) builds it first.
    """
    if not hasattr(config, "workerinput"):
        from longtu.layout.base import ensure_built

        ensure_built()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """``../shared/seeds`` (the plan texts); skips when absent."""
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    return path


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """``../shared/reference`` (independent real data); skips when absent."""
    path = SHARED / "reference"
    if not path.is_dir():
        pytest.skip("../shared/reference is not beside the checkout")
    return path
