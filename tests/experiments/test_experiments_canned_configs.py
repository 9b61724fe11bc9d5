"""Every canned config in experiments/ validates (its --quick version too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from longgame.experiments import load_config

CANNED = sorted((Path(__file__).parents[2] / "experiments").glob("*.toml"))


@pytest.mark.skipif(not CANNED, reason="no canned configs in experiments/ yet")
@pytest.mark.parametrize("path", CANNED, ids=[p.stem for p in CANNED])
@pytest.mark.parametrize("quick", [False, True])
def test_canned_config_validates(path: Path, quick: bool) -> None:
    """A shipped config has no errors and fixes its seed."""
    experiment = load_config(path, quick=quick)
    assert experiment.n_runs >= 1
    assert experiment.seed_given, "shipped configs fix their seed, so results reproduce"
