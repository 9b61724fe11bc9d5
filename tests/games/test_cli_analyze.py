"""Tests for ``longgame analyze`` and ``longgame games``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from longgame.cli import main

DOCUMENTED = {
    "game": "boxed-pigs",
    "players": ["big", "small"],
    "actions": [["press", "wait"], ["press", "wait"]],
    "payoffs": [[[5, 1], [4, 4]], [[9, -1], [0, 0]]],
    "pure_equilibria": [{"actions": ["press", "wait"], "payoffs": [4, 4]}],
    "mixed_equilibria": [{"probabilities": [[1, 0], [0, 1]], "payoffs": [4, 4]}],
    "dominated": {"small": ["press"]},
    "zero_sum": False,
}


def run(args, capsys):
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err


def test_analyze_json_prints_the_documented_object(capsys):
    """``analyze boxed-pigs --json`` prints the DESIGN.md object (extra keys allowed)."""
    code, out, _ = run(["analyze", "boxed-pigs", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in DOCUMENTED} == DOCUMENTED


def test_analyze_json_with_settings_reports_the_parameters(capsys):
    """``--set`` changes the game and is echoed under ``parameters``."""
    code, out, _ = run(["analyze", "boxed-pigs", "--set", "press_cost=7", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["pure_equilibria"] == [{"actions": ["wait", "wait"], "payoffs": [0, 0]}]
    assert data["parameters"] == {"press_cost": 7}


def test_analyze_table_marks_the_equilibrium(capsys):
    """The human output shows the payoff table, the starred equilibrium and dominance."""
    code, out, _ = run(["analyze", "boxed-pigs"], capsys)
    assert code == 0
    assert "4, 4 *" in out
    assert "pure equilibria: (press, wait)" in out
    assert "strictly dominated: small: press" in out
    assert "prisoner's dilemma" not in out


def test_analyze_shows_pd_thresholds_for_dilemmas(capsys):
    """For a prisoner's dilemma the grim-trigger and TIT FOR TAT bounds are printed."""
    code, out, _ = run(["analyze", "prisoners-dilemma"], capsys)
    assert code == 0
    assert "grim trigger" in out
    assert "0.5" in out


@pytest.mark.parametrize("args", [["analyze", "--list"], ["games"]])
def test_listing_shows_every_game_and_its_parameters(args, capsys):
    """``analyze --list`` and ``games`` list the catalog with parameters."""
    code, out, _ = run(args, capsys)
    assert code == 0
    for name in ("boxed-pigs", "sales-exchange", "stag-hunt", "press_cost=2"):
        assert name in out


def test_games_json_lists_parameters_with_defaults(capsys):
    """``games --json`` gives names, functions and parameter defaults."""
    code, out, _ = run(["games", "--json"], capsys)
    assert code == 0
    entries = {e["name"]: e for e in json.loads(out)}
    assert entries["boxed-pigs"]["function"] == "longgame.games.boxed_pigs"
    params = {p["name"]: p["default"] for p in entries["boxed-pigs"]["parameters"]}
    assert params["food"] == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "boxed-pig"], "did you mean 'boxed-pigs'"),
        (["analyze", "boxed-pigs", "--set", "press_cost"], "expected key=value"),
        (["analyze", "boxed-pigs", "--set", "presscost=1"], "unknown parameter 'presscost'"),
        (["analyze", "boxed-pigs", "--set", "press_cost=abc"], "not a number"),
        (["analyze", "boxed-pigs", "--set", "press_cost=-1"], "out of range"),
        (["analyze"], "missing argument GAME"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(args, message, capsys):
    """Unknown games and bad --set values exit 2 with a one-line error, no traceback."""
    code, out, err = run(args, capsys)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert out == ""


def test_python_dash_m_prints_json():
    """``python -m longgame analyze boxed-pigs --json`` works as a subprocess."""
    src = Path(__file__).resolve().parents[2] / "src"
    env = dict(os.environ, PYTHONPATH=str(src) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-m", "longgame", "analyze", "boxed-pigs", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["pure_equilibria"] == DOCUMENTED["pure_equilibria"]
