"""Headlines recognise a fair or fleecing group by its strategy, not by its label."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from longgame.experiments import Results, run_experiment
from longgame.report import headline_answer, headlines

PLAIN: dict[str, Any] = {
    "experiment": {"name": "labels", "model": "market", "steps": 30, "replicates": 2, "seed": 5},
    "parameters": {
        "customers": 600,
        "mode": "one-shot",  # fleecing pays here: the fleecers are the better earners
        "sellers": [
            {"strategy": "fair-dealer", "count": 2},
            {"strategy": "fleecer", "count": 2},
            {"strategy": "middle-of-the-road", "count": 2},
        ],
    },
    "sweep": {"exchange.overcharge": [0.1, 0.4]},
}
LABELS = {"fair-dealer": "honest Joe", "fleecer": "Slick", "middle-of-the-road": "Midway"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Results, Results]:
    """The same market twice: groups named by their strategies, and by custom labels."""
    labelled = copy.deepcopy(PLAIN)
    for group in labelled["parameters"]["sellers"]:
        group["label"] = LABELS[group["strategy"]]
    root = tmp_path_factory.mktemp("labels")
    kw: dict[str, Any] = {"workers": 1, "progress": False}
    return run_experiment(PLAIN, root / "plain", **kw), run_experiment(
        labelled, root / "labelled", **kw
    )


def _relabel(value: Any) -> Any:
    if isinstance(value, dict):
        return {_relabel(k): _relabel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_relabel(v) for v in value]
    return LABELS.get(value, value) if isinstance(value, str) else value


def test_every_table_has_the_strategy_next_to_the_label(runs: tuple[Results, Results]) -> None:
    """summary, metrics and spells name groups by label and carry the registry name."""
    _, labelled = runs
    expected = {"honest Joe": "always-cooperate", "Slick": "always-defect", "Midway": "grid-5.5"}
    for frame in (labelled.summary, labelled.metrics(), labelled.table("spells")):
        columns = list(frame.columns)
        assert columns[columns.index("group") + 1] == "strategy"
        pairs = frame[["group", "strategy"]].dropna().drop_duplicates()
        assert dict(pairs.itertuples(index=False)) == expected


def test_the_answer_is_the_same_under_custom_labels(runs: tuple[Results, Results]) -> None:
    """The labelled run's headline answer is the plain run's with the names replaced."""
    plain, labelled = runs
    answer = headline_answer(plain)
    assert set(answer["along"]["ahead"]) == {"fleecer"}  # the one-shot market pays fleecers
    assert headline_answer(labelled) == _relabel(answer)


def test_headlines_compare_the_fair_and_the_fleecing_label(runs: tuple[Results, Results]) -> None:
    """The first headline compares honest Joe with Slick (not Midway, whatever it earned),
    and the sweep-wide sentences treat Slick as the fleecing group."""
    _, labelled = runs
    lines = headlines(labelled)
    first = lines[0]
    assert "honest Joe" in first
    assert "Slick" in first
    assert "Midway" not in first
    wins = [line for line in lines if "clearly out-earned" in line and "Slick" in line]
    assert wins
    assert wins[0].startswith("Slicks clearly out-earned honest Joes")
