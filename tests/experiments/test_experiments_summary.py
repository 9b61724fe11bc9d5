"""Tests for long-run summaries: the window, the t-interval, and its coverage."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from longgame.errors import InputError
from longgame.experiments import long_run_values
from longgame.experiments.summary import summary_table


def _metrics(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"step": np.arange(1, len(values) + 1), "group": "all", "metric": "x", "value": values}
    )


def test_window_keeps_last_fraction_of_steps() -> None:
    """The long-run value averages the last ceil(window * steps) steps."""
    frame = _metrics([0.0] * 7 + [1.0, 2.0, 3.0])
    assert long_run_values(frame, 0.3)["value"].item() == 2.0
    assert long_run_values(frame, 0.01)["value"].item() == 3.0  # at least one step
    assert long_run_values(frame, 1.0)["value"].item() == 0.6


def test_window_skips_nan_values() -> None:
    """NaN values (e.g. no customers left) do not poison the long-run mean."""
    frame = _metrics([5.0, 1.0, float("nan"), 3.0])
    assert long_run_values(frame, 0.75)["value"].item() == 2.0


def test_single_replicate_has_no_interval() -> None:
    """With one replicate the mean is reported and std and interval are NaN."""
    values = pd.DataFrame({"point": [0], "group": ["g"], "metric": ["m"], "value": [4.0]})
    row = summary_table(values, [{}], []).iloc[0]
    assert row["mean"] == 4.0
    assert row["n"] == 1
    assert math.isnan(row["std"])
    assert math.isnan(row["ci_low"])


def test_infinite_values_are_not_counted_as_replicates() -> None:
    """An infinite long-run value is left out like NaN, so n counts finite values only."""
    values = pd.DataFrame(
        {"point": 0, "group": "g", "metric": "m", "value": [1.0, float("inf"), 3.0]}
    )
    row = summary_table(values, [{}], []).iloc[0]
    assert row["n"] == 2
    assert row["mean"] == 2.0
    assert math.isfinite(row["ci_low"])


@pytest.mark.parametrize("window", [0.0, -0.5, 1.5])
def test_window_outside_unit_interval_is_input_error(window: float) -> None:
    """A long-run window outside (0, 1] is bad input naming the value, not an IndexError."""
    with pytest.raises(InputError, match=f"long_run_window={window!r}"):
        long_run_values(_metrics([1.0, 2.0, 3.0]), window)


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=30))
def test_interval_brackets_the_mean(samples: list[float]) -> None:
    """ci_low <= mean <= ci_high and n counts the replicates, for any finite values."""
    values = pd.DataFrame({"point": 0, "group": "g", "metric": "m", "value": samples})
    row = summary_table(values, [{"k": 1}], ["k"]).iloc[0]
    assert row["n"] == len(samples)
    assert row["k"] == 1
    assert row["ci_low"] <= row["mean"] + 1e-6 * (1 + abs(row["mean"]))
    assert row["mean"] <= row["ci_high"] + 1e-6 * (1 + abs(row["mean"]))


def test_interval_covers_true_mean_95_percent() -> None:
    """Across many normal samples of 5, the 95% t-interval covers the true mean ~95% of the time."""
    rng = np.random.default_rng(2024)
    points, n = 2000, 5
    values = pd.DataFrame(
        {
            "point": np.repeat(np.arange(points), n),
            "group": "g",
            "metric": "m",
            "value": rng.normal(3.0, 2.0, points * n),
        }
    )
    table = summary_table(values, [{} for _ in range(points)], [])
    coverage = ((table["ci_low"] <= 3.0) & (table["ci_high"] >= 3.0)).mean()
    # binomial sd at p = 0.95 over 2000 intervals is ~0.005: allow four sd
    assert abs(coverage - 0.95) < 0.02


@given(
    st.lists(
        st.tuples(
            st.integers(1, 6),
            st.sampled_from(["a", "b"]),
            st.sampled_from(["x", "y"]),
            st.one_of(st.floats(-1e3, 1e3), st.just(float("nan"))),
        ),
        min_size=1,
        max_size=40,
    ),
    st.floats(0.05, 1.0),
)
def test_arrow_and_pandas_long_run_values_agree(
    rows: list[tuple[int, str, str, float]], window: float
) -> None:
    """The fast pyarrow reduction used by summarise equals the documented pandas one."""
    import pyarrow as pa

    from longgame.experiments.summary import _long_run_arrow

    frame = pd.DataFrame(rows, columns=["step", "group", "metric", "value"])
    expected = (
        long_run_values(frame, window).sort_values(["group", "metric"]).reset_index(drop=True)
    )
    fast = _long_run_arrow(pa.Table.from_pandas(frame, preserve_index=False), window).to_pandas()
    fast = fast.sort_values(["group", "metric"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(fast, expected, check_dtype=False)
