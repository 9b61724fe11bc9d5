"""Every canned experiment in experiments/ runs end to end with --quick: runs, summary,
figures and report, as `longgame run CONFIG --quick` would produce them; and its quick
run gives the same headline answer as its full run (recorded in full_answers.toml by
scripts/record-full-answers.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from longgame.cli._outputs import draw_outputs
from longgame.experiments import Results, run_experiment
from longgame.report import headline_answer

EXPERIMENTS = sorted((Path(__file__).parents[2] / "experiments").glob("*.toml"))
FLAGSHIP = "fleecing-vs-fair"
FULL_ANSWERS = Path(__file__).with_name("full_answers.toml")
#: Experiments whose quick run is known NOT to give the full run's answer (no quick
#: setting under ~20 s kept it); full_answers.toml marks each with quick_matches = false
#: and a reason. Adding a name here needs a measured reason, not a failing test.
QUICK_MISMATCHES: frozenset[str] = frozenset()

_RUNS: dict[Path, Results] = {}


@pytest.fixture
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Run a canned config with --quick once per test process (with its report)."""

    def run(path: Path) -> Results:
        if path not in _RUNS:
            out = tmp_path_factory.mktemp("quick") / path.stem
            _RUNS[path] = run_experiment(
                path, out, quick=True, workers=1, progress=False, outputs=draw_outputs
            )
        return _RUNS[path]

    return run


def test_the_flagship_and_the_seven_others_exist() -> None:
    """The README's main command runs the flagship, which ships with seven companions."""
    names = {p.stem for p in EXPERIMENTS}
    assert FLAGSHIP in names
    assert len(names) >= 8


@pytest.mark.parametrize("path", EXPERIMENTS, ids=[p.stem for p in EXPERIMENTS])
def test_canned_experiment_runs_quick(path: Path, quick_run: Any) -> None:
    """A quick run of the config finishes every run and writes summary, figures and report."""
    results = quick_run(path)
    out = Path(results.path)
    assert results.complete
    assert not results.failed
    summary = results.summary
    assert len(summary) > 0
    assert summary["n"].max() >= 1  # n may be 0 where every replicate's sellers went broke
    figures = sorted((out / "figures").glob("*.png"))
    assert figures, "no figures drawn"
    assert all(f.with_suffix(".svg").exists() for f in figures)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<img" in html or "<svg" in html
    assert 'src="http' not in html, "report must work offline"
    assert 'href="http' not in html, "report must work offline"


def test_every_canned_experiment_has_a_recorded_full_answer() -> None:
    """full_answers.toml holds an answer, with its command, for every canned config."""
    recorded = tomllib.loads(FULL_ANSWERS.read_text(encoding="utf-8"))
    assert sorted(recorded) == sorted(p.stem for p in EXPERIMENTS)
    for name, entry in recorded.items():
        assert entry["command"].startswith(f"longgame run experiments/{name}.toml")
        assert entry["answer"], f"{name}: an empty answer compares equal to anything"
        if not entry.get("quick_matches", True):
            assert entry.get("quick_note"), f"{name}: a quick mismatch needs its reason"


def test_quick_mismatches_are_only_the_listed_ones() -> None:
    """Only the experiments listed in QUICK_MISMATCHES may be exempt from the quick answer."""
    recorded = tomllib.loads(FULL_ANSWERS.read_text(encoding="utf-8"))
    exempt = {name for name, entry in recorded.items() if not entry.get("quick_matches", True)}
    assert exempt == QUICK_MISMATCHES


@pytest.mark.parametrize("path", EXPERIMENTS, ids=[p.stem for p in EXPERIMENTS])
def test_quick_run_gives_the_full_runs_answer(path: Path, quick_run: Any) -> None:
    """The quick run's headline answer (winner, ordering, optimum) equals the full run's."""
    recorded = tomllib.loads(FULL_ANSWERS.read_text(encoding="utf-8"))[path.stem]
    if not recorded.get("quick_matches", True):
        pytest.skip(f"known quick mismatch: {recorded['quick_note']}")
    results = quick_run(path)
    assert results.manifest["quick_settings"]["steps"] == results.manifest["steps"]
    assert headline_answer(results) == recorded["answer"]
