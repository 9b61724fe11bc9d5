"""Tests of the shared figure style: colours per strategy, human labels."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import is_color_like

from longgame.plots._style import (
    FALLBACK_PALETTE,
    canonical_name,
    group_label,
    metric_label,
    param_label,
    strategy_color,
    strategy_colors,
)

_NAMES = st.text(
    alphabet=st.characters(codec="ascii", categories=["L", "N", "Pd", "Pc", "Zs"]),
    min_size=1,
    max_size=30,
)


def test_aliases_share_a_colour() -> None:
    """A sales name and its classic alias are drawn in the same colour."""
    assert strategy_color("fleecer") == strategy_color("always-defect")
    assert strategy_color("fair-dealer") == strategy_color("always-cooperate")
    assert strategy_color("reciprocator") == strategy_color("tit-for-tat")


def test_key_strategies_have_distinct_colours() -> None:
    """The strategies a trainer compares never share a colour."""
    names = ["fleecer", "fair-dealer", "reciprocator", "stop-loss", "walk-away"]
    names += [f"grid-{g}" for g in ("1.1", "1.9", "5.5", "9.1", "9.9")]
    colors = [strategy_color(n) for n in names]
    assert len(set(colors)) == len(colors)


def test_spelling_variants_share_colour_and_label() -> None:
    """Case, underscores and spaces do not change a strategy's colour or label."""
    assert strategy_color("Fair_Dealer") == strategy_color("fair-dealer")
    assert group_label("fair_dealer") == group_label("fair-dealer") == "Fair dealer"
    assert canonical_name("  Tit For_Tat ") == "tit-for-tat"


@given(_NAMES)
def test_any_name_gets_a_stable_valid_colour(name: str) -> None:
    """Unknown names get a valid colour, the same one every time."""
    color = strategy_color(name)
    assert is_color_like(color)
    assert strategy_color(name) == color


@given(st.lists(_NAMES, min_size=2, max_size=len(FALLBACK_PALETTE), unique_by=canonical_name))
def test_unknown_names_in_one_figure_get_distinct_colours(names: list[str]) -> None:
    """Within one figure, unknown names never collide while fallback colours remain."""
    unknown = [n for n in names if strategy_color(n) in FALLBACK_PALETTE]
    colors = strategy_colors(unknown)
    assert len(set(colors.values())) == len(unknown)


@given(_NAMES)
def test_labels_are_not_raw_column_names(name: str) -> None:
    """Labels never show snake_case identifiers."""
    for label in (group_label(name), metric_label(name), param_label(name)):
        assert "_" not in label


def test_metric_and_parameter_labels_read_aloud() -> None:
    """Known metrics and market parameters have the trainer's wording."""
    assert metric_label("profit") == "Long-run profit per seller per period (money)"
    assert metric_label("share.press") == "Share choosing press"
    assert param_label("repeat.base") == "Repeat-purchase probability"
    assert param_label("word_of_mouth.reach").startswith("Word-of-mouth reach")
    assert re.match(r"^[A-Z]", param_label("some_table.some_knob"))
