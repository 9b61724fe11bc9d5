"""Tests of the sweep-wide headline sentences (small constructed results folders)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from synthetic_results import write_results

from longgame.plots._load import load
from longgame.plots._style import plural as _plural
from longgame.report import headlines
from longgame.report._sweep import (
    best_group_sentence,
    describe_settings,
    early_lead_sentence,
    long_run_intervals,
    wins_sentence,
)

GROUPS = ("fleecer", "fair-dealer", "reciprocator")
SWEEP = {"repeat.base": [0.5, 0.7, 0.9], "word_of_mouth.reach": [0, 10, 50, 250]}
Profit = Callable[[dict[str, Any], str, npt.NDArray[np.float64], int], npt.NDArray[np.float64]]


def _market(
    folder: Path,
    profit: Profit,
    sweep: dict[str, list[Any]] | None = None,
    steps: int = 40,
    replicates: int = 3,
    closed: Callable[[dict[str, Any], str], bool] | None = None,
    groups: tuple[str, ...] = GROUPS,
) -> Path:
    """A market results folder whose per-period profit is ``profit(setting, group,
    steps, replicate)``; ``closed(setting, group)`` shuts a group's sellers at the end."""
    sweep = sweep if sweep is not None else SWEEP
    config = {
        "experiment": {
            "name": "constructed",
            "description": "Does fleecing pay?",
            "model": "market",
            "steps": steps,
            "replicates": replicates,
            "seed": 1,
        },
        "parameters": {"repeat": {"base": 0.7}, "word_of_mouth": {"reach": 50}},
        "sweep": sweep,
        "outputs": {"long_run_window": 0.25},
    }
    step = np.arange(1, steps + 1, dtype=float)
    runs = []
    for combo in itertools.product(*sweep.values()):
        setting = dict(zip(sweep, combo, strict=True))
        for rep in range(replicates):
            frames = []
            for stored, group in zip(groups, GROUPS, strict=True):
                p = np.asarray(profit(setting, group, step, rep), dtype=float)
                shut = closed is not None and closed(setting, group)
                active = np.where(shut & (step > steps // 2), 0.0, 3.0)
                if shut:
                    p = np.where(step > steps // 2, np.nan, p)
                cumulative = np.cumsum(np.nan_to_num(p))
                for metric, values in [
                    ("profit", p),
                    ("cumulative_profit", cumulative),
                    ("sellers_active", active),
                ]:
                    frames.append(
                        pd.DataFrame(
                            {"step": step.astype(int), "group": stored, "metric": metric}
                        ).assign(value=values)
                    )
            runs.append((setting, rep, pd.concat(frames, ignore_index=True), {}))
    return write_results(folder, config, runs)


def _levels(table: dict[str, Callable[[dict[str, Any]], float]], spread: float = 0.1) -> Profit:
    """Constant profit per period: ``table[group](setting)`` plus a replicate offset."""

    def profit(
        setting: dict[str, Any], group: str, step: npt.NDArray[np.float64], rep: int
    ) -> npt.NDArray[np.float64]:
        return np.full(step.shape, table[group](setting) + spread * (rep - 1))

    return profit


def _fleecer_wins_where(pred: Callable[[dict[str, Any]], bool]) -> Profit:
    return _levels(
        {
            "fleecer": lambda s: 10.0 if pred(s) else 2.0,
            "fair-dealer": lambda s: 5.0,
            "reciprocator": lambda s: 6.0,
        }
    )


def test_wins_counted_and_described_in_words(tmp_path: Path) -> None:
    """Fleecers winning only with little word of mouth and low repeat probability are
    counted (3 of 12) and the settings are named in words, not keys."""
    won = {(0.5, 0), (0.5, 10), (0.7, 0)}
    folder = _market(
        tmp_path / "m",
        _fleecer_wins_where(lambda s: (s["repeat.base"], s["word_of_mouth.reach"]) in won),
    )
    sentence = wins_sentence(load(folder), "fair-dealer", "fleecer", _plural)
    assert sentence == (
        "Fleecers clearly out-earned fair dealers in long-run profit at only 3 of 12 settings,"
        " all with repeat-purchase probability 0.5 or 0.7 and word-of-mouth reach 0 or 10."
    )


def test_one_block_of_wins_is_described_exactly(tmp_path: Path) -> None:
    """Wins filling one block of the grid are described by that block alone."""
    folder = _market(tmp_path / "m", _fleecer_wins_where(lambda s: s["word_of_mouth.reach"] <= 50))
    sentence = wins_sentence(load(folder), "fair-dealer", "fleecer", _plural)
    assert sentence is not None
    assert "at 9 of 12 settings, all with word-of-mouth reach 50 or lower." in sentence
    assert "only" not in sentence


def test_fleecing_never_paid(tmp_path: Path) -> None:
    """When fleecers are clearly behind everywhere the sentence says fleecing never paid."""
    folder = _market(tmp_path / "m", _fleecer_wins_where(lambda s: False))
    sentence = wins_sentence(load(folder), "fair-dealer", "fleecer", _plural)
    assert sentence == (
        "Fleecing never paid: fair dealers clearly out-earned fleecers in long-run profit "
        "at all 12 settings tried."
    )


def test_fleecing_always_paid(tmp_path: Path) -> None:
    """When fleecers are clearly ahead everywhere the sentence says so for all settings."""
    folder = _market(tmp_path / "m", _fleecer_wins_where(lambda s: True))
    sentence = wins_sentence(load(folder), "fair-dealer", "fleecer", _plural)
    assert sentence == (
        "Fleecers clearly out-earned fair dealers in long-run profit at all 12 settings tried."
    )


def test_overlapping_intervals_are_ties_not_wins(tmp_path: Path) -> None:
    """Where the means differ but the intervals overlap, the setting is a tie, never a
    clear win, and the sentence says so."""

    def fleecer(s: dict[str, Any]) -> float:
        if s["word_of_mouth.reach"] == 250:
            return 5.05  # above the fair dealers' 5.0, inside their interval
        return 2.0

    folder = _market(
        tmp_path / "m",
        _levels({"fleecer": fleecer, "fair-dealer": lambda s: 5.0, "reciprocator": lambda s: 6.0}),
    )
    sentence = wins_sentence(load(folder), "fair-dealer", "fleecer", _plural)
    assert sentence == (
        "Fleecers never clearly out-earned fair dealers in long-run profit at any of the 12 "
        "settings; at 3 settings, all with word-of-mouth reach 250, the two were too close "
        "to call (their intervals overlap)."
    )


def test_closed_sellers_earn_nothing(tmp_path: Path) -> None:
    """A group whose sellers all closed counts as earning nothing per period, so a
    fleecer still earning a little out-earns closed fair dealers."""
    folder = _market(
        tmp_path / "m",
        _fleecer_wins_where(lambda s: False),
        closed=lambda s, g: g == "fair-dealer" and s["word_of_mouth.reach"] == 0,
    )
    results = load(folder)
    table = long_run_intervals(results, ["fair-dealer", "fleecer"])
    assert all(len(v) == 2 for _, v in table)
    sentence = wins_sentence(results, "fair-dealer", "fleecer", _plural)
    assert sentence is not None
    assert "at only 3 of 12 settings, all with word-of-mouth reach 0." in sentence


def test_best_group_across_the_sweep(tmp_path: Path) -> None:
    """The group on top at most settings is named with its count and how often clearly."""
    folder = _market(tmp_path / "m", _fleecer_wins_where(lambda s: s["repeat.base"] == 0.5))
    sentence = best_group_sentence(load(folder), GROUPS, _plural)
    assert sentence == (
        "Reciprocators earned the most long-run profit at 8 of 12 settings, each time clearly."
    )


def _crossing(lead_until: dict[float, int]) -> Profit:
    """Fleecers earn 3 per period up to ``lead_until[repeat]`` (0: never), then 0; fair
    dealers earn 1 per period, so the two are level at 3 times that and the fleecers
    behind from then on."""

    def profit(
        setting: dict[str, Any], group: str, step: npt.NDArray[np.float64], rep: int
    ) -> npt.NDArray[np.float64]:
        if group == "fleecer":
            until = lead_until[setting["repeat.base"]]
            return np.where(step <= until, 3.0, 0.0) if until else np.full(step.shape, 0.5)
        return np.full(step.shape, 1.0)

    return profit


def test_early_lead_then_behind_for_good(tmp_path: Path) -> None:
    """The early lead is reported where both phases are longest, with the last period
    the fleecers were ahead."""
    sweep = {"repeat.base": [0.5, 0.7, 0.9]}
    # fleecers stopping at u lead through period 3u - 1 of 40: 11, 23 and 35 periods,
    # behind for 28, 17 and 5: both phases are longest at u = 8 (repeat 0.7)
    folder = _market(tmp_path / "m", _crossing({0.5: 4, 0.7: 8, 0.9: 12}), sweep=sweep)
    sentence = early_lead_sentence(load(folder), "fair-dealer", "fleecer", _plural)
    assert sentence == (
        "With repeat-purchase probability at 0.7: Fleecers led fair dealers in cumulative "
        "profit for the first 23 periods, then fell behind for good."
    )


def test_no_early_lead_sentence_without_lead_or_fall(tmp_path: Path) -> None:
    """No sentence when fleecers never lead, or lead and never fall behind."""
    sweep = {"repeat.base": [0.5, 0.7]}
    never_lead = _market(tmp_path / "a", _crossing({0.5: 0, 0.7: 0}), sweep=sweep)
    assert early_lead_sentence(load(never_lead), "fair-dealer", "fleecer", _plural) is None
    always = _market(tmp_path / "b", _fleecer_wins_where(lambda s: True), sweep=sweep)
    assert early_lead_sentence(load(always), "fair-dealer", "fleecer", _plural) is None


def test_sweep_sentences_in_headlines(market2_dir: Path) -> None:
    """The report's headlines carry the sweep-wide count, computed from the summary."""
    results = load(market2_dir)
    summary = results.summary
    profit = summary[summary["metric"] == "profit"]
    keys = ["repeat.base", "word_of_mouth.reach"]
    fleece = profit[profit["group"] == "fleecer"].set_index(keys)
    fair = profit[profit["group"] == "fair-dealer"].set_index(keys)
    clear = int((fleece["ci_low"] > fair["ci_high"]).sum())
    lines = headlines(results)
    counted = [line for line in lines if "in long-run profit at" in line]
    assert len(counted) == 1
    assert re.search(rf"\b{clear} of {len(fair)} settings", counted[0])


def _allowed(part: str, values: list[int]) -> tuple[str, set[int]]:
    """The key and the values one part of a description ("b 2 or lower") allows."""
    key, rest = part.split(" ", 1)
    if m := re.fullmatch(r"(\d) or lower", rest):
        return key, {v for v in values if v <= int(m[1])}
    if m := re.fullmatch(r"(\d) or higher", rest):
        return key, {v for v in values if v >= int(m[1])}
    if m := re.fullmatch(r"from (\d) to (\d)", rest):
        return key, {v for v in values if int(m[1]) <= v <= int(m[2])}
    return key, {int(v) for v in re.split(r", | or ", rest)}


@given(st.sets(st.tuples(st.integers(0, 2), st.integers(0, 3)), min_size=1, max_size=12))
def test_descriptions_hold_every_chosen_setting(chosen: set[tuple[int, int]]) -> None:
    """Every chosen setting lies in a block the words describe, so "all with ..." is
    true; a single block that is not the whole sweep is described by its smallest block."""
    every = [{"a": a, "b": b} for a in range(3) for b in range(4)]
    words = describe_settings([{"a": a, "b": b} for a, b in chosen], every)
    full = {"a": [0, 1, 2], "b": [0, 1, 2, 3]}
    if words is None:
        a_span = {a for a, _ in chosen}
        b_span = {b for _, b in chosen}
        assert (min(a_span), max(a_span), min(b_span), max(b_span)) == (0, 2, 0, 3)
        return
    blocks = []
    for line in words.split(", or "):
        block = {k: set(v) for k, v in full.items()}
        for part in line.split(" and "):
            key, allowed = _allowed(part, full[part.split(" ", 1)[0]])
            block[key] = allowed
        blocks.append(block)
    for a, b in chosen:
        assert any(a in blk["a"] and b in blk["b"] for blk in blocks), (words, a, b)
    if len(blocks) == 1:
        a_vals = sorted({a for a, _ in chosen})
        b_vals = sorted({b for _, b in chosen})
        assert blocks[0]["a"] <= set(range(a_vals[0], a_vals[-1] + 1))
        assert blocks[0]["b"] <= set(range(b_vals[0], b_vals[-1] + 1))


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ([0], "x 0"),
        ([0, 1], "x 0 or 1"),
        ([0, 1, 2], "x 2 or lower"),
        ([2, 3, 4], "x 2 or higher"),
        ([1, 2, 3], "x from 1 to 3"),
        ([0, 2], "x 0 or 2"),
    ],
)
def test_value_words(chosen: list[int], expected: str) -> None:
    """One swept number is described as a value, a pair, or a range with its ends."""
    every = [{"x": v} for v in range(5)]
    assert describe_settings([{"x": v} for v in chosen], every) == expected


def test_named_values_are_listed_not_ranged() -> None:
    """Values that are names (network types) are listed; the block holding them all
    spans only the chosen names, never a range in alphabetical order."""
    every = [{"net": n, "p": p} for n in ("lattice", "random", "small-world") for p in (1, 2, 3)]
    chosen = [{"net": "lattice", "p": 1}, {"net": "small-world", "p": 2}]
    assert describe_settings(chosen, every) == "net lattice or small-world and p 1 or 2"


def test_engine_names_become_trainer_names(tmp_path: Path) -> None:
    """Headlines from the raw loader speak of fleecers and fair dealers, not of the
    engine's 'always defect' and 'always cooperate'."""
    from longgame.experiments import load_results

    engine = ("always-defect", "always-cooperate", "tit-for-tat")
    folder = _market(
        tmp_path / "m", _fleecer_wins_where(lambda s: s["repeat.base"] == 0.5), groups=engine
    )
    stored = pd.read_parquet(folder / "summary.parquet")
    assert set(stored["group"].astype(str)) == set(engine)  # an old-layout folder
    raw = load_results(folder)  # renamed on loading to the config's names
    assert {"fleecer", "fair-dealer"} <= set(raw.summary["group"].astype(str))
    lines = headlines(raw)
    assert any("Fleecers clearly out-earned fair dealers" in line for line in lines)
    assert not any("always" in line for line in lines)
