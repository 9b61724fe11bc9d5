"""The runner drives the real models: same results on one and two workers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from longgame.experiments import run_experiment


def _tournament() -> dict[str, Any]:
    return {
        "experiment": {
            "name": "tourn",
            "model": "tournament",
            "steps": 8,
            "replicates": 2,
            "seed": 3,
        },
        "parameters": {
            "strategies": ["tit-for-tat", "always-defect", "grudger"],
            "rounds": 10,
            "repetitions": 1,
        },
        "sweep": {"noise": [0.0, 0.1]},
    }


def test_tournament_runs_identically_on_one_and_two_workers(tmp_path: Path) -> None:
    """The tournament model's runs, summary and extra tables match across worker counts."""
    pytest.importorskip("longgame.models.tournament")
    one = run_experiment(_tournament(), tmp_path / "one", workers=1, progress=False)
    two = run_experiment(_tournament(), tmp_path / "two", workers=2, progress=False)
    files = {p.name: p.read_bytes() for p in (tmp_path / "one" / "runs").iterdir()}
    assert files == {p.name: p.read_bytes() for p in (tmp_path / "two" / "runs").iterdir()}
    pd.testing.assert_frame_equal(one.summary, two.summary)
    assert not one.failed
    assert {"tit-for-tat", "always-defect", "grudger"} <= set(one.summary["group"])
    assert one.tables()
