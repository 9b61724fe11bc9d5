"""Shared pytest configuration: headless matplotlib, quiet Hypothesis profile for CI."""

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
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
