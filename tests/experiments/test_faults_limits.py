"""Fault injection, resource bombs: configs whose runs would not fit in memory, would run
for hours, or whose sweep is absurdly large are refused by `validate` and `run` (exit 2,
the key, the estimate and the limit named) before anything is built or written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from faults import cli
from timeouts import fail_after

from longgame.experiments import load_config

#: The soft limits (longgame.experiments.config.MAX_POINTS and MAX_RUNS).
MAX_POINTS = 10_000
MAX_RUNS = 100_000

HEAD = '[experiment]\nname = "bomb"\nmodel = "{model}"\nsteps = {steps}\n{experiment}\n'

#: name -> (config text, key named in the error, what the message says)
BOMBS = {
    "customers": ("market", 10, "", "[parameters]\ncustomers = 1000000000000",
                  "parameters.customers", "of memory"),
    "seller-count": ("market", 10, "", "[parameters]\nsellers = {fleecer = 100000000}",
                     "parameters.sellers", "of memory"),
    "history-depth": ("market", 10, "", "[parameters]\nhistory_depth = 1000000000000",
                      "parameters.history_depth", "of memory"),
    "steps": ("market", 10_000_000, "", "", "experiment.steps", "of memory"),
    "swept-customers": ("market", 10, "", "[sweep]\ncustomers = [100, 1000000000000]",
                        "sweep.customers", "of memory"),
    "tournament-rounds": ("tournament", 10, "",
                          '[parameters]\nstrategies = ["tit-for-tat", "fleecer"]\n'
                          "rounds = 1000000000000", "parameters.rounds", "updates"),
    "tournament-repetitions": ("tournament", 10, "",
                               '[parameters]\nstrategies = ["tit-for-tat", "fleecer"]\n'
                               "repetitions = 100000000000", "parameters.repetitions",
                               "a run needs about"),
    "learning-population": ("learning", 10000, "",
                            "[parameters]\nn_row = 10000000\nn_col = 10000000\n",
                            "parameters.n_row", "updates"),
    "replicates": ("market", 10, "replicates = 1000000", "", "experiment.replicates",
                   f"at most {MAX_RUNS:,}"),
    "grid-2000x2000": ("market", 10, "",
                       "[sweep]\ncustomers = [" + ", ".join(map(str, range(1, 2001))) + "]\n"
                       '"exchange.price" = [' + ", ".join(["0.5"] * 2000) + "]",
                       "sweep.customers", "4,000,000 points"),
    "sample-million": ("market", 10, "",
                       '[sweep.sample]\ncount = 1000000\nbounds = {"exchange.price" = [0.1, 2.0]}',
                       "sweep.sample.count", f"at most {MAX_POINTS:,}"),
}  # fmt: skip


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """Turn a hang (expanding millions of points) into a failure after 30 s."""
    with fail_after(30, "the command hung"):
        yield


def _write(tmp_path: Path, name: str) -> tuple[Path, str, str]:
    model, steps, experiment, rest, key, says = BOMBS[name]
    path = tmp_path / "bomb.toml"
    path.write_text(HEAD.format(model=model, steps=steps, experiment=experiment) + rest + "\n")
    return path, key, says


@pytest.mark.parametrize("name", list(BOMBS))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_resource_bombs_are_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, command: str
) -> None:
    """Each bomb gets exit 2, one line naming the key and the estimate; no folder made."""
    config, key, says = _write(tmp_path, name)
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(
        [command, str(config), "--no-report"] if command == "run" else [command, str(config)]
    )
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert key in lines[0]
    assert says in lines[0]
    assert "--allow-large" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.toml"]


def test_memory_estimate_names_the_machines_limit(tmp_path: Path) -> None:
    """The refusal quotes the estimate in TiB and this machine's memory."""
    config, _, _ = _write(tmp_path, "customers")
    code, _, err = cli(["validate", str(config)])
    assert code == 2
    from longgame.experiments.config import memory_limit

    gib = memory_limit() / 2**30
    assert f"expected at most {gib:.1f} GiB" in err
    assert "TiB of memory" in err


def test_allow_large_lifts_the_soft_limits(tmp_path: Path) -> None:
    """--allow-large (allow_large=True) lets a big sweep through validation."""
    path = tmp_path / "big.toml"
    path.write_text(HEAD.format(model="market", steps=10, experiment="replicates = 200000"))
    with pytest.raises(ValueError, match="200,000 runs"):
        load_config(path)
    assert load_config(path, allow_large=True).n_runs == 200_000
    code, out, _ = cli(["validate", str(path), "--allow-large"])
    assert code == 0
    assert "200000 runs" in out


def test_validate_reports_the_memory_estimate(tmp_path: Path) -> None:
    """A valid config's validate line carries the per-run memory estimate."""
    path = tmp_path / "ok.toml"
    path.write_text(
        HEAD.format(model="market", steps=50, experiment="") + "[parameters]\ncustomers = 500\n"
    )
    code, out, _ = cli(["validate", str(path)])
    assert code == 0
    assert "MiB of memory per run" in out


def test_machine_memory_is_read() -> None:
    """memory_limit() is physical memory (or less, under a cgroup limit)."""
    from longgame.experiments.config import memory_limit

    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert 0 < memory_limit() <= physical
