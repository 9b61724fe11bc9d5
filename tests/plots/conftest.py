"""Synthetic results folders (tests/fixtures/synthetic_results.py) as session fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))

from synthetic_results import (
    learning_dir,
    market2_dir,
    market_dir,
    tournament_dir,
)

__all__ = ["learning_dir", "market2_dir", "market_dir", "tournament_dir"]
