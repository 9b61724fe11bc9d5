"""Every canned experiment in experiments/ runs end to end with --quick: runs, summary,
figures and report, as `longgame run CONFIG --quick` would produce them."""

from __future__ import annotations

from pathlib import Path

import pytest

from longgame.cli._outputs import draw_outputs
from longgame.experiments import run_experiment

EXPERIMENTS = sorted((Path(__file__).parents[2] / "experiments").glob("*.toml"))
FLAGSHIP = "fleecing-vs-fair"


def test_the_flagship_and_the_seven_others_exist() -> None:
    """The README's main command runs the flagship, which ships with seven companions."""
    names = {p.stem for p in EXPERIMENTS}
    assert FLAGSHIP in names
    assert len(names) >= 8


@pytest.mark.parametrize("path", EXPERIMENTS, ids=[p.stem for p in EXPERIMENTS])
def test_canned_experiment_runs_quick(path: Path, tmp_path: Path) -> None:
    """A quick run of the config finishes every run and writes summary, figures and report."""
    out = tmp_path / path.stem
    results = run_experiment(path, out, quick=True, workers=1, progress=False, outputs=draw_outputs)
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
