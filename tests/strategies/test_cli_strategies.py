"""``longgame strategies`` lists the registry as a table or stable JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner

from longgame.cli import cli


def test_json_lists_every_builtin_with_metadata() -> None:
    """--json gives one object per strategy with the documented keys."""
    result = CliRunner().invoke(cli, ["strategies", "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    by_name = {e["name"]: e for e in entries}
    assert {"tit-for-tat", "always-defect", "grid-9.9", "stop-loss-investor"} <= set(by_name)
    assert set(by_name["tit-for-tat"]) == {
        "name", "aliases", "class", "description", "memory_depth", "stochastic", "exits",
        "citation", "parameters", "customer_concern", "sale_concern",
    }  # fmt: skip
    assert "fleecer" in by_name["always-defect"]["aliases"]
    assert by_name["grudger"]["memory_depth"] is None
    assert by_name["walk-away"]["exits"] is True
    assert by_name["generous-tit-for-tat"]["parameters"] == {"generosity": 0.1}
    assert by_name["grid-1.9"]["customer_concern"] == 9
    assert [e["name"] for e in entries] == sorted(by_name)


def test_table_shows_names_and_aliases() -> None:
    """The default output is a table naming strategies and their sales aliases."""
    result = CliRunner().invoke(cli, ["strategies"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "tit-for-tat" in result.output
    assert "fleecer" in result.output
