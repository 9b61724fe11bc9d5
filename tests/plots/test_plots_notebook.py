"""Figures in a notebook: drawing never touches the user's backend or rcParams; charts,
results and run outputs display themselves as short HTML."""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from longgame._figures import FIGURE_NAMES

# Runs in a fresh interpreter: the test suite's conftest fixes the Agg backend for itself.
_PROBE = textwrap.dedent(
    """
    import json, sys
    import matplotlib
    matplotlib.use("svg")
    matplotlib.rcParams.update({"font.size": 7.5, "lines.linewidth": 0.4,
                                "axes.grid": False, "savefig.bbox": None, "figure.dpi": 42})
    before = {k: repr(v) for k, v in matplotlib.rcParams.items()}
    from longgame.experiments import load_results
    from longgame.plots import FIGURE_KINDS, save_chart
    from longgame.report import write_report
    kinds = {}
    for folder in sys.argv[1:]:
        results = load_results(folder)
        for kind, draw in FIGURE_KINDS.items():
            for chart in draw(results):
                kinds[kind] = kinds.get(kind, 0) + 1
                assert chart.figure.canvas.manager is None  # not a pyplot figure
        assert "data:image/png;base64," in chart._repr_html_()  # shown in a notebook
        results._repr_html_()
        save_chart(chart, folder + "/probe-figures")
    write_report(sys.argv[1])  # the report draws and embeds its figures too
    after = {k: repr(v) for k, v in matplotlib.rcParams.items()}
    print(json.dumps({
        "backend": matplotlib.get_backend(),
        "changed": sorted(k for k in before if before[k] != after[k]),
        "pyplot": "matplotlib.pyplot" in sys.modules,
        "kinds": kinds,
    }))
    """
)


def test_drawing_every_figure_keeps_backend_and_rcparams(
    market_dir: Path,
    market2_dir: Path,
    tournament_dir: Path,
    learning_dir: Path,
    reputation_dir: Path,
    tmp_path: Path,
) -> None:
    """Every figure kind, saved and shown, leaves a non-default backend and rcParams as set."""
    folders = []
    for source in (tournament_dir, market_dir, market2_dir, learning_dir, reputation_dir):
        folders.append(tmp_path / source.name)
        shutil.copytree(source, folders[-1])
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *map(str, folders)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["backend"] == "svg"
    assert out["changed"] == []
    assert out["pyplot"] is False
    assert set(out["kinds"]) == set(FIGURE_NAMES)  # every kind drawn at least once


def test_chart_displays_as_png_with_caption(market_dir: Path) -> None:
    """A chart in a notebook is its figure as a PNG of the notebook's size, captioned."""
    from longgame.experiments import load_results
    from longgame.plots import long_run_payoff
    from longgame.plots._chart import NOTEBOOK_DPI

    chart = long_run_payoff(load_results(market_dir))[0]
    png = chart._repr_png_()
    width = int.from_bytes(png[16:20], "big")
    assert png.startswith(b"\x89PNG")
    assert 500 <= width <= 1300  # fits a notebook column, text readable
    double = int.from_bytes(chart.to_png(dpi=2 * NOTEBOOK_DPI)[16:20], "big")
    assert abs(double - 2 * width) <= 0.02 * width
    page = chart._repr_html_()
    assert page.startswith('<figure style="margin:0"><img alt=')
    assert f"<figcaption>{html.escape(chart.caption)}</figcaption>" in page
    assert chart.caption.split()[0] in page


def test_results_display_a_short_summary(market2_dir: Path) -> None:
    """A results folder in a notebook shows its model, run counts, sweep and groups."""
    from longgame.experiments import load_results

    results = load_results(market2_dir)
    page = results._repr_html_()
    runs = results.manifest["runs"]
    assert "<strong>Results: " in page
    assert f'<td style="text-align:left">{len(runs)} done</td>' in page
    for key in results.swept:
        assert key in page
    for group in results.group_strategies():
        assert group in page
    assert len(page) < 3000  # a summary, not a dump


def test_run_output_and_tournament_display_summaries() -> None:
    """A market run's output lists its groups and tables; a round robin shows its ranking."""
    from longgame.models.market import MarketModel
    from longgame.models.tournament import round_robin

    out = MarketModel({"sellers": {"fleecer": 2, "fair-dealer": 2}}, customers=200, rng=1).run(5)
    page = out._repr_html_()
    assert '<th style="text-align:left">steps</th><td style="text-align:left">5</td>' in page
    assert "fleecer, fair-dealer" in page or "fair-dealer, fleecer" in page
    assert "table &#x27;spells&#x27;" in page
    result = round_robin(["tit-for-tat", "fleecer", "grudger"], rounds=20, repetitions=2, rng=0)
    page = result._repr_html_()
    assert page.startswith("<div><strong>Round robin: 3 strategies, 2 repetitions")
    table = page.split("<tbody>")[1]
    for name in result.ranking:
        assert f"<td>{name}</td>" in table
    assert table.index(result.ranking[0]) < table.index(result.ranking[-1])


@pytest.mark.parametrize("value", ["<b>x</b>"])
def test_summary_html_escapes(value: str) -> None:
    """Labels and values go into the summary escaped, so a name cannot inject markup."""
    from longgame._repr import summary_html

    page = summary_html(value, [(value, value)], value)
    assert "<b>" not in page
    assert page.count("&lt;b&gt;x&lt;/b&gt;") == 4


def test_game_displays_its_payoff_table_with_equilibria_in_bold() -> None:
    """A stage game in a notebook is its payoff table with the pure equilibria in bold."""
    from longgame.games import boxed_pigs

    page = boxed_pigs()._repr_html_()
    assert "<caption>boxed-pigs: rows big, columns small; pure Nash" in page
    assert "<tr><th>press</th><td>5, 1</td><td><b>4, 4</b></td></tr>" in page
    assert "<tr><th>wait</th><td>9, -1</td><td>0, 0</td></tr>" in page
    assert boxed_pigs(press_cost=7)._repr_html_().count("<b>") == 1
