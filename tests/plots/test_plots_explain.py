"""Figures that explain themselves: keys on the image, plain words, units, no figure
that says nothing, a readable shares figure, and progress while drawing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synthetic_results import write_results

from longgame.plots import draw_figures, long_run_payoff, strategy_shares, sweep_heatmap
from longgame.plots._load import load
from longgame.plots.over_time import SELLERS_FLAT_NOTE, TOP_SHARES, sellers_never_left
from longgame.report import write_report


def _texts(chart: object) -> list[str]:
    """Every piece of text drawn on a chart's figure (titles, labels, legends, notes)."""
    from matplotlib.text import Text

    figure = chart.figure  # type: ignore[attr-defined]
    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


def _with_missing_fleecers(tmp_path: Path, market_factory: Callable[..., Path]) -> Path:
    """A two-parameter market sweep where no fleecer is left (no profit value) in the
    cells with repeat probability 0.95."""
    sweep = {"repeat.base": [0.2, 0.6, 0.95], "word_of_mouth.reach": [0.0, 50.0]}
    folder = market_factory(tmp_path / "gone", sweep=sweep, replicates=2, steps=20)
    summary = pd.read_parquet(folder / "summary.parquet")
    gone = (summary["group"] == "fleecer") & np.isclose(summary["repeat.base"], 0.95)
    summary.loc[gone, ["mean", "ci_low", "ci_high"]] = np.nan
    summary.to_parquet(folder / "summary.parquet")
    return folder


def test_heatmap_keys_are_on_the_image(tmp_path: Path, market_factory: Callable[..., Path]) -> None:
    """Grey cells and the winner map's star are explained in legends on the figure."""
    heat, winner = sweep_heatmap(load(_with_missing_fleecers(tmp_path, market_factory)))
    assert "grey: no seller of this strategy left" in _texts(heat)
    assert "another strategy had\nno seller left" in _texts(winner)
    starred = [t for t in _texts(winner) if t.endswith("*") and t[:-1].replace(".", "").isdigit()]
    assert len(starred) == 2  # the two cells at repeat probability 0.95


def test_heatmap_without_gaps_has_no_key(market2_dir: Path) -> None:
    """No grey cell, no grey key: a key only explains what is on the image."""
    heat, winner = sweep_heatmap(load(market2_dir))
    assert not any(t.startswith("grey:") for t in _texts(heat))
    assert not any("another strategy" in t for t in _texts(winner))


def test_break_even_line_in_plain_words(market_dir: Path) -> None:
    """The theory line reads "break-even return probability"; the formal name is in the
    caption only."""
    (chart,) = long_run_payoff(load(market_dir))
    texts = _texts(chart)
    assert any(t.startswith("break-even return\nprobability 0.") for t in texts)
    assert not any("grim" in t.lower() for t in texts)
    assert "break-even return probability" in chart.caption
    assert "grim-trigger threshold" in chart.caption


@pytest.mark.parametrize("name", ["long-run-profit", "cumulative-profit", "story"])
def test_profit_axes_state_the_unit(market_dir: Path, name: str) -> None:
    """Axes showing profit say it is money."""
    (chart,) = [c for c in draw_figures(load(market_dir)) if c.name == name]
    labels = [ax.get_ylabel() for ax in chart.figure.axes if ax.get_ylabel()]
    assert labels
    assert all(label.endswith("(money)") for label in labels), labels


_REPEAT = re.compile(r"\b([A-Za-z][A-Za-z-]*)\s+\1\b", re.IGNORECASE)


@pytest.mark.parametrize("folder", ["market_dir", "market2_dir", "tournament_dir", "learning_dir"])
def test_no_word_is_said_twice_in_a_row(folder: str, request: pytest.FixtureRequest) -> None:
    """No title, label or caption repeats a word ("long-run long-run profit")."""
    for chart in draw_figures(load(request.getfixturevalue(folder))):
        for text in [chart.title, chart.caption, *_texts(chart)]:
            assert not _REPEAT.search(text), (chart.name, text)


def test_flat_sellers_in_business_are_left_out(market2_dir: Path, market_dir: Path) -> None:
    """Sellers-active is drawn only when a seller left; the report says why it is not."""
    assert sellers_never_left(load(market2_dir))  # 30 periods: fleecers leave after 40
    assert all(c.name != "sellers-active" for c in draw_figures(load(market2_dir)))
    assert SELLERS_FLAT_NOTE in write_report(market2_dir).read_text(encoding="utf-8")
    assert not sellers_never_left(load(market_dir))
    assert any(c.name == "sellers-active" for c in draw_figures(load(market_dir)))
    assert SELLERS_FLAT_NOTE not in write_report(market_dir).read_text(encoding="utf-8")


def _many_strategies(tmp_path: Path, n: int = 9, steps: int = 10) -> Path:
    """A tournament where strategy k's share grows like (k + 1)^t, normalised."""
    names = [f"plugin-{k}" for k in range(n)]
    step = np.arange(1, steps + 1)
    weights = np.array([(k + 1.0) ** (step / steps) for k in range(n)])
    shares = weights / weights.sum(axis=0)
    frames = [
        pd.DataFrame({"step": step, "group": g, "metric": "share", "value": shares[k]})
        for k, g in enumerate(names)
    ]
    config = {
        "experiment": {"name": "many", "model": "tournament", "steps": steps, "replicates": 1},
        "parameters": {"rounds": 5},
    }
    config["experiment"]["seed"] = 1
    return write_results(tmp_path / "many", config, [({}, 0, pd.concat(frames), {})])


def test_many_strategies_show_the_top_few_and_others(tmp_path: Path) -> None:
    """Nine strategies: the five with the largest final shares, and the rest summed."""
    (chart,) = strategy_shares(load(_many_strategies(tmp_path)))
    (ax,) = chart.figure.axes
    assert len(ax.lines) == TOP_SHARES + 1
    legend = [t.get_text() for t in chart.figure.legends[0].texts]
    assert legend[-1] == "All others"
    assert sorted(legend[:-1]) == [f"Plugin {k}" for k in range(4, 9)]
    others = ax.lines[-1].get_ydata()
    step = np.arange(1, 11)
    weights = np.array([(k + 1.0) ** (step / 10) for k in range(9)])
    expected = weights[:4].sum(axis=0) / weights.sum(axis=0)
    np.testing.assert_allclose(others, expected)
    colors = {line.get_color() for line in ax.lines}
    assert len(colors) == TOP_SHARES + 1  # every line its own colour
    assert "summed as 'others': Plugin 0, Plugin 1, Plugin 2, Plugin 3." in chart.caption


def test_drawing_reports_progress(market_dir: Path) -> None:
    """A line per figure kind, numbered, before it is drawn."""
    lines: list[str] = []
    draw_figures(load(market_dir), ["story", "long-run"], progress=lines.append)
    assert lines == ["figures: 1 of 2 (story)", "figures: 2 of 2 (long-run)"]


def test_sellers_band_never_rises_above_the_groups_sellers(market_dir: Path) -> None:
    """The sellers-in-business band is clipped at the most sellers a group ever had: with
    replicates of 5, 5 and 3 fleecers left, a t interval would reach 7.2."""
    from longgame.plots.over_time import time_series

    results = load(market_dir)
    metrics = results.metrics()
    frame = metrics[metrics["metric"] == "sellers_active"].copy()
    fewer = (frame["group"] == "fleecer") & (frame["replicate"] == 0) & (frame["step"] >= 10)
    frame.loc[fewer, "value"] = 3.0
    (chart,) = time_series(results, frame, "sellers_active", "sellers-active", "t", "c")
    tops = [
        float(band.get_paths()[0].vertices[:, 1].max())
        for ax in chart.figure.axes
        for band in ax.collections
        if band.get_paths()
    ]
    assert tops, "no confidence band drawn"
    assert max(tops) == 5.0  # the most fleecers there ever were, not 7.2
