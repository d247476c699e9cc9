"""Every key the plan's layers store in a vocabulary column has its words (no key on screen)."""

from __future__ import annotations

import pytest

from longtu.layout import plan_layers
from longtu.layout.vocabulary import VALUE_LABELS, value_label

#: Layers whose ``kind`` is another vocabulary (a target's "target" or "baseline" row).
OTHER_KINDS = {"targets"}


@pytest.fixture(scope="module")
def layers() -> dict:
    return {name: frame for name, frame in plan_layers().items() if hasattr(frame, "columns")}


def test_every_stored_key_of_the_plan_has_its_words(layers):
    missing = {
        (name, column, key)
        for name, frame in layers.items()
        for column, labels in VALUE_LABELS.items()
        if column in frame.columns and not (column == "kind" and name in OTHER_KINDS)
        for key in frame[column].dropna().astype(str)
        if key and key not in labels
    }
    assert missing == set()
    kinds = set(layers["parks"]["kind"])
    assert "development_zone" in kinds  # 陇南市开发区 (003:184), a kind of its own
    assert value_label(VALUE_LABELS["kind"], "development_zone") == "开发区 Development zone"
