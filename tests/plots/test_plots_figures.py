"""Tests of the figures drawn from results folders (synthetic data)."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from PIL import Image

from longgame.errors import InputError
from longgame.plots import (
    FIGURE_KINDS,
    Chart,
    cumulative_profit,
    draw_figures,
    long_run_payoff,
    plot_results,
    strategy_color,
    survival_curves,
)
from longgame.plots._data import mean_ci, panel_points, representative_point
from longgame.plots._load import load
from longgame.plots.learning import equilibria

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))


def _texts(chart: Chart) -> list[str]:
    fig = chart.figure
    out = [fig.get_suptitle()]
    for ax in fig.axes:
        out += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
        legend = ax.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    for legend in fig.legends:
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


def test_market_folder_gives_png_and_svg_of_each_figure(market_dir: Path) -> None:
    """plot_results writes a PNG and an SVG of every market figure into figures/."""
    out = market_dir / "figures"
    shutil.rmtree(out, ignore_errors=True)
    written = plot_results(market_dir)
    stems = {p.stem for p in written}
    assert {"long-run-profit", "cumulative-profit", "survival", "retention-rate"} <= stems
    for stem in stems:
        png, svg = out / f"{stem}.png", out / f"{stem}.svg"
        assert png.stat().st_size > 10_000
        assert svg.stat().st_size > 10_000
        with Image.open(png) as image:
            assert image.size[0] >= 1000
            assert image.size[1] >= 600
        assert svg.read_text().lstrip().startswith("<?xml")


def test_two_parameter_sweep_adds_heatmaps(market2_dir: Path) -> None:
    """A sweep over two parameters adds the payoff heatmap and the winner map."""
    names = [c.name for c in draw_figures(load(market2_dir))]
    assert "heatmap-profit" in names
    assert "winner-profit" in names


def test_each_model_gets_its_own_figures(tournament_dir: Path, learning_dir: Path) -> None:
    """Tournament results give the payoff matrix, learning results the phase plot."""
    tournament = {c.name for c in draw_figures(load(tournament_dir))}
    learning = {c.name for c in draw_figures(load(learning_dir))}
    assert {"payoff-matrix", "strategy-shares", "long-run-score"} <= tournament
    assert {"learning-shares", "learning-phase", "long-run-payoff"} <= learning
    assert "survival" not in tournament | learning


def test_labels_are_words_not_column_names(
    market2_dir: Path, tournament_dir: Path, learning_dir: Path
) -> None:
    """No title, axis label or legend entry shows a raw column name or dotted key."""
    for folder in (market2_dir, tournament_dir, learning_dir):
        for chart in draw_figures(load(folder)):
            for text in _texts(chart):
                assert "_" not in text, (chart.name, text)
                assert not re.search(r"[a-z]\.[a-z]", text), (chart.name, text)


def test_a_strategy_keeps_its_colour_across_figures(market_dir: Path) -> None:
    """The fleecer's lines are the fleecer's colour in every line figure."""
    results = load(market_dir)
    expected = strategy_color("fleecer")
    for chart in long_run_payoff(results) + cumulative_profit(results):
        colors = {to_hex(line.get_color()) for ax in chart.figure.axes for line in ax.lines}
        assert expected.lower() in colors, chart.name
    for chart in survival_curves(results):
        colors = {to_hex(line.get_color()) for ax in chart.figure.axes for line in ax.lines}
        assert expected.lower() in colors


def test_grim_trigger_line_on_repeat_probability_sweeps(market_dir: Path) -> None:
    """The long-run figure marks the market theory's grim-trigger threshold."""
    from longgame.models.market import theory

    threshold = theory({"customers": 600, "repeat": {"base": 0.95}})["grim_trigger_threshold"]
    (chart,) = long_run_payoff(load(market_dir))
    vertical = [
        line.get_xdata()[0]
        for ax in chart.figure.axes
        for line in ax.lines
        if len(set(np.atleast_1d(line.get_xdata()))) == 1
    ]
    assert vertical == pytest.approx([threshold])
    assert "grim-trigger" in chart.caption


def _vertical_lines(chart: Chart) -> list[float]:
    return [
        float(line.get_xdata()[0])
        for ax in chart.figure.axes
        for line in ax.lines
        if len(set(np.atleast_1d(line.get_xdata()))) == 1
    ]


def test_theory_line_comes_from_the_stored_results(
    tmp_path: Path, market_factory: Callable[..., Path]
) -> None:
    """The threshold drawn is the one stored in the manifest, not one recomputed from a model."""
    folder = market_factory(tmp_path / "m", replicates=2, steps=20)
    manifest = json.loads((folder / "manifest.json").read_text())
    for point in manifest["points"]:
        point["theory"]["grim_trigger_threshold"] = 0.4321
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (chart,) = long_run_payoff(load(folder))
    assert _vertical_lines(chart) == pytest.approx([0.4321])


def test_results_without_theory_draw_no_theory_line(
    tmp_path: Path, market_factory: Callable[..., Path]
) -> None:
    """Results written before theory values were stored draw no grim-trigger line."""
    folder = market_factory(tmp_path / "old", replicates=2, steps=20, theory=False)
    (chart,) = long_run_payoff(load(folder))
    assert _vertical_lines(chart) == []
    assert "grim-trigger" not in chart.caption


def test_missing_data_skips_figures(tmp_path: Path, market_factory: Callable[..., Path]) -> None:
    """A market without the spells table draws no survival figure and does not fail."""

    folder = market_factory(tmp_path / "m", sweep={}, replicates=2, steps=20, spells=False)
    names = [c.name for c in draw_figures(load(folder))]
    assert "survival" not in names
    assert "long-run-profit" in names  # a bar chart when nothing was swept


def test_config_figure_list_restricts_and_validates(market_dir: Path) -> None:
    """Only the kinds asked for are drawn; an unknown kind is an InputError with a hint."""
    charts = draw_figures(load(market_dir), ["survival", "long_run"])
    assert [c.name for c in charts] == ["survival", "long-run-profit"]
    with pytest.raises(InputError, match="did you mean 'survival'"):
        draw_figures(load(market_dir), ["survivl"])
    assert set(FIGURE_KINDS) >= {"long-run", "heatmap", "learning"}


def test_same_results_give_identical_png(tournament_dir: Path, tmp_path: Path) -> None:
    """Drawing twice gives byte-identical PNG files (no timestamps)."""
    first = {p.name: p.read_bytes() for p in plot_results(tournament_dir) if p.suffix == ".png"}
    second = {p.name: p.read_bytes() for p in plot_results(tournament_dir) if p.suffix == ".png"}
    assert first == second


def test_a_chart_is_laid_out_once_for_all_its_formats(
    market_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saving a chart as PNG and SVG computes its constrained layout once (the SVG keeps
    the PNG's), gives the PNG of a chart saved alone, and leaves the layout engine set."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from longgame.plots import save_chart

    chart = draw_figures(load(market_dir), ["long-run"])[0]
    engine = chart.figure.get_layout_engine()
    assert isinstance(engine, ConstrainedLayoutEngine)
    copy = pickle.loads(pickle.dumps(chart.figure))
    calls = []
    execute = ConstrainedLayoutEngine.execute

    def counting(self: ConstrainedLayoutEngine, fig: Any) -> Any:
        calls.append(fig)
        return execute(self, fig)

    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", counting)
    both = save_chart(chart, tmp_path / "both")
    assert [p.suffix for p in both] == [".png", ".svg"]
    assert len(calls) == 1
    assert chart.figure.get_layout_engine() is engine
    alone = save_chart(Chart(chart.name, "", "", copy), tmp_path / "alone", ("png",))
    assert alone[0].read_bytes() == both[0].read_bytes()
    assert len(calls) == 2


def test_not_a_results_folder_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder without results raises InputError and the CLI exits with code 2."""
    from longgame.cli import main

    with pytest.raises(InputError):
        plot_results(tmp_path)
    for command in ("plot", "report"):
        with pytest.raises(SystemExit) as exit_info:
            main([command, str(tmp_path / "missing")])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ")
        assert "Traceback" not in err


def test_plot_command_lists_the_figures(
    learning_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`longgame plot DIR --figure KIND` draws that figure and names it."""
    from longgame.cli import main

    main(["plot", str(learning_dir), "--figure", "learning"])
    assert "learning-shares" in capsys.readouterr().out
    assert (learning_dir / "figures" / "learning-shares.png").is_file()


def test_survival_figure_draws_the_kaplan_meier_estimate(market_dir: Path) -> None:
    """Each survival line is longgame.analysis.kaplan_meier of that strategy's spells."""
    from longgame.analysis import kaplan_meier

    results = load(market_dir)
    (chart,) = survival_curves(results)
    point = panel_points(results)[-1]
    spells = results.table("spells")
    spells = spells[spells["repeat.base"] == point["repeat.base"]]
    expected = kaplan_meier(spells[spells["group"] == "fair-dealer"], by=None)
    ax = chart.figure.axes[len(panel_points(results)) - 1]
    green = [
        ln for ln in ax.lines if to_hex(ln.get_color()) == strategy_color("fair-dealer").lower()
    ]
    assert len(green) == 1
    assert np.allclose(green[0].get_ydata(), expected["survival"])


def test_mean_ci_uses_t_interval() -> None:
    """The 95% interval is mean +- t(0.975, n-1) * sd / sqrt(n)."""
    import pandas as pd
    from scipy import stats

    frame = pd.DataFrame({"g": ["a"] * 4, "value": [1.0, 2.0, 3.0, 4.0]})
    row = mean_ci(frame, ["g"]).iloc[0]
    half = stats.t.ppf(0.975, 3) * np.std([1, 2, 3, 4], ddof=1) / 2
    assert row["mean"] == pytest.approx(2.5)
    assert row["ci_high"] - row["mean"] == pytest.approx(half)


def test_panels_hold_other_parameters_at_their_base_value(market2_dir: Path) -> None:
    """Time-series panels span the first swept parameter, the others at the config value."""
    results = load(market2_dir)
    points = panel_points(results)
    assert [p["repeat.base"] for p in points] == [0.2, 0.6, 0.95]
    assert representative_point(results) == {"repeat.base": 0.95, "word_of_mouth.reach": 50.0}


class _FakeResults:
    """The smallest ResultsLike: a theory table with two equilibria, nothing else."""

    def __init__(self, theory: pd.DataFrame) -> None:
        self.path = Path(".")
        self.config = {"experiment": {"model": "learning"}}
        self.manifest: dict[str, object] = {}
        self.swept: list[str] = []
        self.summary = pd.DataFrame()
        self._theory = theory

    def metrics(self) -> pd.DataFrame:
        return pd.DataFrame()

    def table(self, name: str) -> pd.DataFrame:
        return self._theory if name == "theory" else pd.DataFrame()


def test_several_equilibria_are_kept_apart() -> None:
    """Two equilibria give two markers' worth of shares, never their average."""
    theory = pd.DataFrame(
        {
            "equilibrium": [0, 0, 1, 1],
            "group": ["big", "small", "big", "small"],
            "action": "press",
            "equilibrium_share": [1.0, 0.0, 0.0, 1.0],
        }
    )
    found = equilibria(_FakeResults(theory))
    assert found == [
        {("big", "press"): 1.0, ("small", "press"): 0.0},
        {("big", "press"): 0.0, ("small", "press"): 1.0},
    ]


def test_results_without_metrics_draw_nothing() -> None:
    """Empty results give no chart at all instead of an error or an empty panel."""
    assert draw_figures(_FakeResults(pd.DataFrame())) == []
