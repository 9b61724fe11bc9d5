"""``[quick]``: per-experiment quick settings, validated like the rest of the config."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from longgame.errors import InputError
from longgame.experiments import load_config, run_experiment

BASE: dict[str, Any] = {
    "experiment": {"name": "q", "model": "market", "steps": 60, "replicates": 5, "seed": 3},
    "parameters": {"customers": 3000, "sellers": {"fleecer": 4, "fair-dealer": 4}},
    "sweep": {"repeat.base": [0.5, 0.9]},
}


def config(**quick: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    if quick:
        doc["quick"] = quick
    return doc


def test_without_a_quick_table_quick_uses_the_generic_sizes() -> None:
    """No [quick]: a tenth of the steps (at least 10), 2 replicates, the model's shrinking."""
    exp = load_config(config(), quick=True)
    assert (exp.steps, exp.replicates) == (10, 2)
    assert exp.params[0]["customers"] == 500
    assert exp.params[0]["sellers"] == {"fleecer": 2, "fair-dealer": 2}
    assert exp.quick_used == {"steps": 10, "replicates": 2, "from_config": []}


def test_the_quick_table_sets_steps_replicates_and_parameters() -> None:
    """[quick] values replace the generic ones; its parameters apply after the model's hook."""
    exp = load_config(config(steps=40, replicates=3, parameters={"customers": 2000}), quick=True)
    assert (exp.steps, exp.replicates) == (40, 3)
    assert [p["customers"] for p in exp.params] == [2000, 2000]
    assert exp.params[0]["sellers"] == {"fleecer": 2, "fair-dealer": 2}  # hook still applied
    assert [p["repeat"]["base"] for p in exp.params] == [0.5, 0.9]  # the sweep is kept
    assert exp.quick_used is not None
    assert exp.quick_used["from_config"] == ["parameters", "replicates", "steps"]


def test_quick_sizes_are_capped_at_the_full_runs() -> None:
    """A quick run is never larger than the full one."""
    exp = load_config(config(steps=500, replicates=50), quick=True)
    assert (exp.steps, exp.replicates) == (60, 5)


def test_the_quick_table_does_not_change_a_full_run() -> None:
    """Without --quick, [quick] changes neither the runs nor the results folder's fingerprint."""
    plain = load_config(config())
    with_quick = load_config(config(steps=40, parameters={"customers": 2000}))
    assert with_quick.params == plain.params
    assert (with_quick.steps, with_quick.replicates) == (60, 5)
    assert with_quick.fingerprint() == plain.fingerprint()
    assert with_quick.quick_used is None


def test_quick_mistakes_are_one_line_each_naming_the_quick_key() -> None:
    """Bad [quick] values, unknown keys, bad or swept quick parameters: all reported at once."""
    doc = config(steps=0, bogus=1, parameters={"customers": 0, "repeat.base": 0.3})
    with pytest.raises(InputError) as info:
        load_config(doc)
    problems = info.value.problems
    assert "<config>: quick.steps=0 is invalid; expected greater than or equal to 1" in problems
    assert any(
        p.startswith("<config>: quick.bogus=1 is not a known key; expected") for p in problems
    )
    assert (
        "<config>: quick.parameters.customers=0 is invalid; expected greater than or equal to 1"
        in problems
    )
    assert any(
        p.startswith("<config>: quick.parameters.repeat.base=0.3 sets a swept parameter")
        for p in problems
    )
    assert len(problems) == 4


def test_quick_can_be_set_from_the_command_line() -> None:
    """--set quick.KEY=VALUE overrides the [quick] table like any other section."""
    exp = load_config(
        config(steps=40), ["quick.steps=20", "quick.parameters.customers=900"], quick=True
    )
    assert exp.steps == 20
    assert exp.params[0]["customers"] == 900


def test_the_manifest_records_what_quick_used(tmp_path: Path) -> None:
    """manifest.json says which sizes and parameters the quick run used and who chose them."""
    doc = config(steps=5, replicates=1, parameters={"customers": 200})
    doc["sweep"] = {"repeat.base": [0.5]}
    results = run_experiment(doc, tmp_path / "q", quick=True, workers=1, progress=False)
    assert results.manifest["quick"] is True
    assert results.manifest["quick_settings"] == {
        "steps": 5,
        "replicates": 1,
        "parameters": {"customers": 200},
        "from_config": ["parameters", "replicates", "steps"],
    }
    assert results.config["parameters"]["customers"] == 200
    assert results.config["quick"] == {
        "steps": 5,
        "replicates": 1,
        "parameters": {"customers": 200},
    }
