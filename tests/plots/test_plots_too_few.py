"""Points computed from too few observations are left out of figures, with a mark and a key."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from longgame.plots import retention_sweep
from longgame.plots.long_run import FEW, GONE


class _Market:
    """A market ResultsLike with a summary only: retention and active sellers per point."""

    def __init__(self, swept: list[str], summary: pd.DataFrame) -> None:
        self.path = Path(".")
        self.config = {"experiment": {"model": "market", "steps": 50}, "parameters": {}}
        self.manifest: dict[str, object] = {}
        self.swept = swept
        self.summary = summary

    def metrics(self) -> pd.DataFrame:
        return pd.DataFrame()

    def table(self, name: str) -> pd.DataFrame:
        return pd.DataFrame()


def _summary(reach: list[float], rows: dict[str, tuple[list[float], list[float]]]) -> pd.DataFrame:
    """rows: group -> (retention means, sellers_active means), one per reach value."""
    records = []
    for group, (kept, active) in rows.items():
        for x, k, a in zip(reach, kept, active, strict=True):
            for metric, value in (("retention", k), ("sellers_active", a)):
                records.append(
                    {"reach": x, "group": group, "metric": metric, "mean": value, "std": 0.01,
                     "ci_low": value - 0.02, "ci_high": value + 0.02,
                     "n": 0 if math.isnan(value) else 3}
                )  # fmt: skip
    return pd.DataFrame(records)


def _figure_text(chart: object) -> list[str]:
    fig = chart.figure  # type: ignore[attr-defined]
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def test_retention_from_too_few_customers_is_a_question_mark_not_a_point() -> None:
    """A NaN retention with sellers still active is drawn as "?" off the value scale,
    a NaN with no seller left as the X on the zero line; both have a key entry."""
    reach = [0.0, 10.0, 50.0]
    summary = _summary(
        reach,
        {
            "fair-dealer": ([0.95, 0.96, 0.97], [3, 3, 3]),
            "fleecer": ([0.5, math.nan, math.nan], [3, 2, 0]),  # few customers, then closed
        },
    )
    [chart] = retention_sweep(_Market(["reach"], summary))
    assert FEW in _figure_text(chart)
    assert GONE in _figure_text(chart)
    assert "too few customers to tell" in chart.caption
    ax = chart.figure.axes[0]
    points = [c for c in ax.collections if type(c).__name__ == "PathCollection"]
    question = [c for c in points if c.get_offset_transform() != ax.transData]
    assert len(question) == 1
    assert np.allclose(question[0].get_offsets(), [[10.0, 0.12]])  # at reach 10, low in panel
    crosses = [c for c in points if c not in question]
    assert [c.get_offsets()[:, 0].tolist() for c in crosses] == [[50.0]]
    fleecer_line = next(line for line in ax.get_lines() if line.get_label() == "Fleecer")
    ys = np.asarray(fleecer_line.get_ydata(), dtype=float)
    assert ys[0] == 0.5
    assert np.isnan(ys[1:]).all()


def test_a_retention_bar_from_too_few_customers_says_so() -> None:
    """Without a sweep, the bar of a group with too few customers is labelled, not drawn."""
    summary = _summary([0.0], {"fair-dealer": ([0.95], [3]), "fleecer": ([math.nan], [2])})
    summary = summary.drop(columns="reach")
    [chart] = retention_sweep(_Market([], summary))
    ax = chart.figure.axes[0]
    assert FEW in [t.get_text() for t in ax.texts]
    assert "too few customers to tell" in chart.caption
    assert "no seller left" not in chart.caption
