"""Tests for experiment configs: parsing, overrides, sweeps, and the malformed corpus."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from longgame.errors import InputError
from longgame.experiments import load_config, parse_override
from longgame.experiments._toml import dumps
from longgame.experiments.sweep import expand_points, normalise_sweep, swept_keys

BAD = sorted((Path(__file__).parent / "configs_bad").glob("*.toml"))

BASE = {
    "experiment": {"name": "demo", "model": "toy_runner_models:SPEC", "steps": 30, "seed": 3},
    "parameters": {"noise": 0.5, "market": {"size": 10}},
    "sweep": {"drift": [0.0, 1.0], "market.repeat_probability": [0.2, 0.8]},
}


def _write(tmp_path: Path, doc: dict[str, object]) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(dumps(doc), encoding="utf-8")
    return path


def test_load_config_resolves_points_and_parameters(tmp_path: Path) -> None:
    """A valid config gives the grid points in config order with merged parameters."""
    exp = load_config(_write(tmp_path, BASE))
    assert exp.swept == ("drift", "market.repeat_probability")
    assert exp.points[1] == {"drift": 0.0, "market.repeat_probability": 0.8}
    assert exp.params[1]["market"] == {"size": 10, "repeat_probability": 0.8}
    assert exp.n_runs == 4
    assert exp.seed == 3
    assert exp.seed_given
    assert exp.outputs["long_run_window"] == 0.2


def test_nested_and_quoted_sweep_keys_agree() -> None:
    """A nested sweep table and a quoted dotted key describe the same sweep."""
    nested = {**BASE, "sweep": {"drift": [0.0, 1.0], "market": {"repeat_probability": [0.2, 0.8]}}}
    assert load_config(nested).points == load_config(BASE).points


def test_overrides_apply_with_toml_values() -> None:
    """--set values are parsed as TOML and override any section."""
    exp = load_config(
        BASE,
        [
            "experiment.steps=50",
            "sweep.drift=[2.0]",
            "parameters.market.size=3",
            "outputs.metrics=['profit']",
        ],
    )
    assert exp.steps == 50
    assert [p["drift"] for p in exp.points] == [2.0, 2.0]
    assert exp.params[0]["market"]["size"] == 3
    assert exp.outputs["metrics"] == ["profit"]


def test_override_of_swept_parameter_pins_it() -> None:
    """Setting a swept parameter under [parameters] removes it from the sweep."""
    exp = load_config(BASE, ["parameters.market.repeat_probability=0.5"])
    assert exp.swept == ("drift",)
    assert all(p["market"]["repeat_probability"] == 0.5 for p in exp.params)


def test_bad_override_names_the_override() -> None:
    """An invalid --set value is blamed on the override, with key path and value."""
    with pytest.raises(InputError) as info:
        load_config(BASE, ["experiment.steps=-3", "nonsense"])
    text = str(info.value)
    assert "(--set experiment.steps): experiment.steps=-3" in text
    assert "--set 'nonsense'" in text


@pytest.mark.parametrize("section", ["experiment", "parameters", "sweep", "outputs"])
def test_override_of_a_whole_section_asks_for_a_key(section: str) -> None:
    """--set SECTION=... names the section and asks for a key inside it, not a section."""
    with pytest.raises(InputError) as info:
        load_config(BASE, [f"{section}={{}}"])
    (problem,) = info.value.problems
    assert f"--set '{section}={{}}'" in problem
    assert f"expected a key inside it, e.g. {section}.KEY=VALUE" in problem
    assert "not a config section" not in problem


def test_quick_shrinks_steps_replicates_and_population() -> None:
    """--quick shrinks steps and replicates, and population sizes through spec.quick."""
    doc = {**BASE, "experiment": {**BASE["experiment"], "steps": 1000, "replicates": 10}}
    exp = load_config(doc, quick=True)
    assert exp.steps == 100
    assert exp.replicates == 2
    assert exp.quick
    assert exp.params[0]["market"]["size"] == 5
    assert exp.to_dict()["parameters"]["market"]["size"] == 5, "config.toml shows what ran"


def test_missing_seed_is_drawn_and_recorded() -> None:
    """A config without a seed gets one drawn from entropy, recorded in the resolved config."""
    doc = {**BASE, "experiment": {k: v for k, v in BASE["experiment"].items() if k != "seed"}}
    exp = load_config(doc)
    assert not exp.seed_given
    assert exp.to_dict()["experiment"]["seed"] == exp.seed


def test_resolved_config_round_trips_through_toml(tmp_path: Path) -> None:
    """The resolved config written as TOML loads back into the same experiment."""
    doc = {
        **BASE,
        "sweep": {
            "drift": [0.0, 1.0],
            "zip": {"noise": [0.1, 0.2], "market.size": [3, 4]},
            "sample": {"count": 3, "bounds": {"market.repeat_probability": [0.1, 0.9]}},
        },
    }
    exp = load_config(doc)
    again = load_config(tomllib.loads(dumps(exp.to_dict())))
    assert again.points == exp.points
    assert again.params == exp.params
    assert again.fingerprint() == exp.fingerprint()


def test_zip_and_sample_blocks_multiply() -> None:
    """Grid, zip and sample blocks combine as a product, zip lists taken together."""
    sweep = normalise_sweep(
        {
            "a": [1, 2],
            "zip": {"b": [1, 2, 3], "c": [4, 5, 6]},
            "sample": {"count": 4, "bounds": {"d": [0, 1]}},
        }
    )
    points = expand_points(sweep, root_seed=1)
    assert len(points) == 2 * 3 * 4
    assert swept_keys(sweep) == ["a", "b", "c", "d"]
    assert all(p["c"] - p["b"] == 3 for p in points)
    assert all(0.0 <= p["d"] <= 1.0 for p in points)


def test_sample_is_deterministic_per_seed() -> None:
    """The quasi-random sample depends only on the root seed."""
    sweep = normalise_sweep(
        {"sample": {"count": 5, "method": "halton", "bounds": {"d": [0, 10]}, "integer": ["d"]}}
    )
    assert expand_points(sweep, 4) == expand_points(sweep, 4)
    assert expand_points(sweep, 4) != expand_points(sweep, 5)
    assert all(isinstance(p["d"], int) for p in expand_points(sweep, 4))


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_malformed_configs_name_the_key_path(path: Path) -> None:
    """Each malformed config raises InputError naming every expected key path."""
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect:")
    with pytest.raises(InputError) as info:
        load_config(path)
    for fragment in expected.split("|"):
        assert fragment.strip() in str(info.value), str(info.value)
    assert all(p.startswith(str(path)) for p in info.value.problems)


def test_corpus_is_not_empty() -> None:
    """The malformed-config corpus covers the required kinds of mistake."""
    names = {p.stem for p in BAD}
    for kind in (
        "broken_toml",
        "wrong_type_steps",
        "out_of_range_parameter",
        "unknown_parameter",
        "unknown_strategy",
        "empty_sweep",
    ):
        assert kind in names


@pytest.mark.parametrize("key", ["0\n", "a\nb", "x y", ""])
def test_toml_writer_quotes_keys_that_are_not_bare(key: str) -> None:
    """Keys with a newline (even a final one), spaces or nothing are quoted, so they read back."""
    document = {"table": {key: 1}, key: {"inner": [1, 2]}}
    assert tomllib.loads(dumps(document)) == document


def test_parse_override_falls_back_to_string() -> None:
    """Values that are not TOML are taken as strings."""
    assert parse_override("experiment.name=my-run") == ("experiment.name", "my-run")
    assert parse_override("a.b=true") == ("a.b", True)


_toml_scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
_toml_values = st.recursive(_toml_scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=8)
_keys = st.text(min_size=1, max_size=12)


@given(st.dictionaries(_keys, st.dictionaries(_keys, _toml_values, max_size=4), max_size=4))
def test_toml_writer_round_trips(document: dict[str, dict[str, object]]) -> None:
    """Whatever tables of scalars and lists we write, tomllib reads back the same."""
    assert tomllib.loads(dumps(document)) == document


@given(
    st.lists(st.integers(1, 3), min_size=0, max_size=3),
    st.integers(0, 3),
    st.integers(0, 4),
    st.integers(0, 2**32),
)
def test_point_count_and_keys(grid_sizes: list[int], zip_len: int, count: int, seed: int) -> None:
    """Points = product of grid sizes x zip length x sample count, each with every swept key."""
    raw: dict[str, object] = {f"g{i}": list(range(n)) for i, n in enumerate(grid_sizes)}
    if zip_len:
        raw["zip"] = {"z1": list(range(zip_len)), "z2": [str(i) for i in range(zip_len)]}
    if count:
        raw["sample"] = {"count": count, "bounds": {"s": [0.0, 1.0]}}
    sweep = normalise_sweep(raw)
    points = expand_points(sweep, seed)
    expected = math.prod(grid_sizes) * (zip_len or 1) * (count or 1)
    assert len(points) == expected
    assert all(list(p) == swept_keys(sweep) for p in points)


@given(st.integers(0, 2**63 - 1), st.integers(1, 4))
def test_run_ids_are_unique_and_stable(seed: int, replicates: int) -> None:
    """Every (point, replicate) gets its own id, and the same config gives the same ids."""
    from longgame.experiments.runner import _plan

    doc = {**BASE, "experiment": {**BASE["experiment"], "seed": seed, "replicates": replicates}}
    ids = [t.run_id for t in _plan(load_config(doc))]
    assert len(set(ids)) == len(ids) == 4 * replicates
    assert ids == [t.run_id for t in _plan(load_config(doc))]


def test_whole_table_errors_name_their_points() -> None:
    """A cross-parameter check failing at some points says which, once per distinct problem."""
    doc = {**BASE, "parameters": {"noise": 6.0}, "sweep": {"drift": [0.0, 1.0, 0.0]}}
    with pytest.raises(InputError) as info:
        load_config(doc)
    (problem,) = info.value.problems
    assert "noise=6.0 > 5 needs drift = 0, not 1.0" in problem
    assert "(at point 1 of 3; point 1: drift=1.0)" in problem
