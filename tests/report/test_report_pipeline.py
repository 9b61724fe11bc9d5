"""End to end on real (tiny) runs: the runner's output folder gives figures and a
report with computed headlines, for each model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from longgame.experiments import run_experiment
from longgame.plots import plot_results
from longgame.plots._load import load
from longgame.report import headlines, write_report

_CONFIGS: dict[str, dict[str, Any]] = {
    "market": {
        "parameters": {"customers": 150},
        "sweep": {"repeat.base": [0.3, 0.95]},
    },
    "learning": {
        "parameters": {"game": "boxed-pigs", "n_row": 30, "n_col": 30},
        "sweep": {"game_params.press_cost": [1.0, 2.0]},
    },
    "tournament": {
        "parameters": {
            "strategies": ["tit-for-tat", "always-defect", "always-cooperate"],
            "rounds": 10,
            "repetitions": 1,
            "dynamics": "ecological",
        },
        "sweep": {"noise": [0.0, 0.1]},
    },
}


@pytest.mark.parametrize("model", sorted(_CONFIGS))
def test_real_runs_give_figures_and_report(model: str, tmp_path: Path) -> None:
    """plot_results and write_report work on what the runner writes for every model."""
    config = {
        "experiment": {
            "name": f"tiny-{model}",
            "description": f"A tiny {model} run.",
            "model": model,
            "steps": 12,
            "replicates": 2,
            "seed": 1,
        },
        **_CONFIGS[model],
    }
    out = tmp_path / model
    run_experiment(config, out, workers=1, progress=False)
    figures = [p for p in plot_results(out) if p.suffix == ".png"]
    assert figures, "no figure drawn from real results"
    assert any(p.stem.startswith("long-run") for p in figures)
    assert headlines(load(out)), "no headline computed from real results"
    text = write_report(out).read_text(encoding="utf-8")
    assert text.count("data:image/png;base64,") == len(figures)


def test_market_report_gives_each_groups_lifetime_value(tmp_path: Path) -> None:
    """The market headlines state each group's customer lifetime value, closed form and realised."""
    config = {
        "experiment": {
            "name": "tiny-clv",
            "description": "Lifetime value in the report.",
            "model": "market",
            "steps": 30,
            "replicates": 2,
            "seed": 2,
        },
        "parameters": {"customers": 600, "sellers": {"fleecer": 2, "fair-dealer": 2}},
    }
    out = tmp_path / "clv"
    run_experiment(config, out, workers=1, progress=False)
    lines = [h for h in headlines(load(out)) if "lifetime value" in h]
    assert len(lines) == 1, headlines(load(out))
    assert "(closed form)" in lines[0]
    assert "realised by relationships that ended" in lines[0]
    assert "fair dealers" in lines[0].lower()
