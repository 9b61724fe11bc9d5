"""headline_answer for models other than market, tournament and learning."""

from __future__ import annotations

from pathlib import Path

from longgame.experiments import load_results
from longgame.report import headline_answer


def test_five_rules_answer_says_where_cooperation_is_favoured(five_rules_dir: Path) -> None:
    """Every rule is favoured at b/c 8 (above each threshold) and not at 1.5 (below it),
    as the stored mean advantage over 1 says."""
    results = load_results(five_rules_dir)
    favoured = headline_answer(results)["favoured"]
    expected = {
        f"rule={rule}, benefit={b}": {"cooperators": b == "8"}
        for rule in ("direct", "indirect", "network", "group")
        for b in ("1.5", "8")
    }
    assert favoured == expected
    summary = results.summary
    advantage = summary[summary["metric"] == "advantage"]
    for row in advantage.itertuples():
        label = f"rule={row.rule}, benefit={row.benefit:g}"
        assert favoured[label]["cooperators"] == (row.mean > 1.0)
