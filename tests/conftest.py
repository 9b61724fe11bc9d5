"""Shared pytest configuration: headless matplotlib, a reproducible Hypothesis profile for CI.

Under ``CI`` (set by ``.ci/run``) Hypothesis is derandomized: every CI run tries the same
examples, so whether a commit lands never depends on the luck of the draw. Local runs
keep exploring new examples with the ``dev`` profile; ``HYPOTHESIS_PROFILE=stress``
searches harder before a release.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

# session fixtures building synthetic results folders, shared by the plot and report tests
sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
pytest_plugins = ["synthetic_results"]

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
# HYPOTHESIS_PROFILE=stress searches far harder for counterexamples (minutes, not seconds)
settings.register_profile(
    "stress", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)
)
# HYPOTHESIS_PROFILE=mutate (set by scripts/mutate.py): few examples, always the same ones,
# so each mutant's verdict is reproducible and a mutation run takes minutes
settings.register_profile(
    "mutate",
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
