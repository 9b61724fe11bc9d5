"""The runner stores the model spec's theory values with the results (manifest points)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from longgame.experiments import run_experiment
from longgame.models.market import theory


def _market() -> dict[str, Any]:
    return {
        "experiment": {"name": "theory", "model": "market", "steps": 2, "seed": 3},
        "parameters": {"customers": 60, "sellers": {"fleecer": 1, "fair-dealer": 1}},
        "sweep": {"repeat.base": [0.3, 0.9], "exchange.demand": [0.5, 0.9]},
    }


def test_manifest_holds_the_market_theory_at_every_point(tmp_path: Path) -> None:
    """Each manifest point carries exactly theory(params) of that point's parameters."""
    run_experiment(_market(), tmp_path / "out", workers=1, progress=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    thresholds = {}
    for entry in manifest["points"]:
        values = entry["values"]
        params = {
            "customers": 60,
            "sellers": {"fleecer": 1, "fair-dealer": 1},
            "repeat": {"base": values["repeat.base"]},
            "exchange": {"demand": values["exchange.demand"]},
        }
        expected = {k: (v if math.isfinite(v) else None) for k, v in theory(params).items()}
        assert entry["theory"] == expected
        thresholds[values["exchange.demand"]] = entry["theory"]["grim_trigger_threshold"]
    # r* = (T - R) / (T - R + d R): less demand needs a higher repeat probability
    assert thresholds[0.5] - thresholds[0.9] > 0.05


def test_model_without_theory_stores_none(tmp_path: Path) -> None:
    """A model whose spec has no theory hook leaves the manifest points without theory."""
    doc = {
        "experiment": {"name": "t", "model": "tournament", "steps": 2, "seed": 1},
        "parameters": {"strategies": ["tft", "alld"], "rounds": 5, "repetitions": 1},
        "sweep": {"noise": [0.0, 0.1]},
    }
    run_experiment(doc, tmp_path / "out", workers=1, progress=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert [sorted(p) for p in manifest["points"]] == [["point", "values"]] * 2


@pytest.mark.parametrize("value", [math.inf, math.nan])
def test_undefined_theory_values_are_stored_as_null(tmp_path: Path, value: float) -> None:
    """Non-finite theory values (undefined thresholds) become JSON null, not NaN/Infinity."""
    from longgame.experiments.runner import _points

    class Spec:
        params = type("P", (), {"model_validate": staticmethod(lambda raw: raw)})
        theory = staticmethod(lambda params: {"x": value, "y": 0.5})

    class Exp:
        spec = Spec()
        points = ({"a": 1},)
        params = ({"a": 1},)

    assert _points(Exp())[0]["theory"] == {"x": None, "y": 0.5}  # type: ignore[arg-type]
