"""Results name groups as the user named them; registry names stay reachable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from longgame.experiments import load_results, run_experiment
from longgame.experiments.store import file_digest
from longgame.models.tournament import round_robin
from longgame.strategies import Strategy, registry


def _market() -> dict[str, Any]:
    return {
        "experiment": {"name": "names", "model": "market", "steps": 12, "replicates": 2,
                       "seed": 5},
        "parameters": {
            "customers": 150,
            "sellers": [
                {"strategy": "fleecer", "count": 2},
                {"strategy": "fair-dealer", "count": 2, "label": "honest"},
                {"strategy": "reciprocator", "count": 1},
            ],
        },
        "sweep": {"repeat.base": [0.5, 0.9]},
    }  # fmt: skip


EXPECTED = {"fleecer": "always-defect", "honest": "always-cooperate", "reciprocator": "tit-for-tat"}


def test_market_summary_queries_by_the_users_names(tmp_path: Path) -> None:
    """summary, metrics and spells name groups by strategy-as-written or label."""
    results = run_experiment(_market(), tmp_path / "out", workers=1, progress=False)
    fleecer = results.summary.query("group == 'fleecer' and metric == 'profit'")
    assert len(fleecer) == 2  # one row per sweep point
    assert set(results.summary["group"]) == set(EXPECTED)
    assert set(results.metrics()["group"]) == set(EXPECTED)
    assert set(results.table("spells")["group"]) <= set(EXPECTED)
    assert results.group_strategies() == EXPECTED
    again = load_results(tmp_path / "out")
    pd.testing.assert_frame_equal(again.summary, results.summary)


def test_old_layout_results_load_with_the_users_names(tmp_path: Path) -> None:
    """A folder whose tables hold registry names (the old layout) loads renamed."""
    root = tmp_path / "out"
    new = run_experiment(_market(), root, workers=1, progress=False)
    manifest = json.loads((root / "manifest.json").read_text())
    for rel in list(manifest["files"]):
        if not rel.endswith(".parquet"):
            continue
        frame = pq.read_table(root / rel).to_pandas()
        if "group" in frame.columns:
            frame["group"] = frame["group"].astype(str).replace(EXPECTED)
            frame.to_parquet(root / rel, index=False)
            manifest["files"][rel] = file_digest(root / rel)
    (root / "manifest.json").write_text(json.dumps(manifest))
    stored = pd.read_parquet(root / "summary.parquet")
    assert set(stored["group"]) == set(EXPECTED.values())  # the old layout really is on disk
    old = load_results(root)
    pd.testing.assert_frame_equal(old.summary, new.summary)
    pd.testing.assert_frame_equal(old.metrics(), new.metrics())
    assert set(old.table("spells")["group"]) == set(new.table("spells")["group"])


def test_round_robin_names_strategies_as_given() -> None:
    """Aliases are kept as written; the registry names stay on the strategies."""
    result = round_robin(["copycat", "detective", "fleecer"], rounds=5, rng=0)
    assert result.names == ["copycat", "detective", "fleecer"]
    assert [s.name for s in result.strategies] == ["tit-for-tat", "prober", "always-defect"]
    assert set(result.summary()["group"]) == {"copycat", "detective", "fleecer"}
    assert set(result.summary()["strategy"]) == {"tit-for-tat", "prober", "always-defect"}
    labelled = round_robin(["tft", "alld"], rounds=5, rng=0, labels=["A", "B"])
    assert labelled.names == ["A", "B"]


def test_registering_a_taken_name_names_both_classes() -> None:
    """A second class under a taken name fails naming both; replace=True replaces it."""
    with pytest.raises(TypeError) as caught:
        type("Impostor", (Strategy,), {"name": "prober", "description": "x"})
    message = str(caught.value)
    assert "Impostor" in message
    assert "Prober" in message
    assert "replace=True" in message
    original = registry()["grudger"]
    try:

        class Grudge2(Strategy, replace=True):
            name = "grudger"
            description = "A stand-in for the grudger."

        assert registry()["grudger"] is Grudge2
    finally:
        from longgame.strategies._registry import register

        register(original, replace=True)
    assert registry()["grudger"] is original


def test_old_tables_without_a_strategy_column_load_with_one(tmp_path: Path) -> None:
    """A tournament folder written before the strategy column (its ranking's "strategy"
    held the group's name, its summary had no strategy) loads with group and strategy."""
    config = {
        "experiment": {"name": "old", "model": "tournament", "steps": 5, "seed": 2},
        "parameters": {"strategies": ["copycat", "fleecer"], "rounds": 10, "repetitions": 2},
    }
    root = tmp_path / "out"
    new = run_experiment(config, root, workers=1, progress=False)
    expected = {"copycat": "tit-for-tat", "fleecer": "always-defect"}
    manifest = json.loads((root / "manifest.json").read_text())
    for rel in list(manifest["files"]):
        if not rel.endswith(".parquet"):
            continue
        frame = pq.read_table(root / rel).to_pandas()
        if "strategy" not in frame.columns:
            continue
        frame = frame.drop(columns="strategy")
        if rel.endswith(".ranking.parquet"):
            frame = frame.rename(columns={"group": "strategy"})
        frame.to_parquet(root / rel, index=False)
        manifest["files"][rel] = file_digest(root / rel)
    (root / "manifest.json").write_text(json.dumps(manifest))
    assert "strategy" not in pd.read_parquet(root / "summary.parquet").columns
    old = load_results(root)
    pd.testing.assert_frame_equal(old.summary, new.summary)
    ranking = old.table("ranking")
    assert dict(ranking[["group", "strategy"]].itertuples(index=False)) == expected
    pd.testing.assert_frame_equal(ranking, new.table("ranking"))
