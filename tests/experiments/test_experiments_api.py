"""The public namespace of longgame.experiments is locked: changes are deliberate."""

from __future__ import annotations

import longgame
import longgame.experiments as experiments


def test_public_names_are_locked() -> None:
    """__all__ lists exactly the documented API, and every name resolves."""
    assert sorted(experiments.__all__) == [
        "Experiment",
        "Results",
        "draw_report",
        "load_config",
        "load_results",
        "long_run_values",
        "parse_override",
        "run_experiment",
        "run_id",
        "summarise",
    ]
    for name in experiments.__all__:
        assert getattr(experiments, name) is not None


def test_top_level_load_results_is_the_same_function() -> None:
    """longgame.load_results is longgame.experiments.load_results."""
    assert longgame.load_results is experiments.load_results
