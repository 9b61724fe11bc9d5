"""The results API is reachable from the top level (the namespace itself is locked in
tests/test_public_api.py)."""

from __future__ import annotations

import longgame
import longgame.experiments as experiments


def test_top_level_load_results_is_the_same_function() -> None:
    """longgame.load_results is longgame.experiments.load_results."""
    assert longgame.load_results is experiments.load_results
