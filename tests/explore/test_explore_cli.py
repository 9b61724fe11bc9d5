"""`longgame explore` on the command line: listed, lazy, and bad input exits 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from longgame.cli import main


def test_importing_explore_does_not_import_solara() -> None:
    """The explore package and the CLI load solara only when the page is served."""
    out = subprocess.run(
        [sys.executable, "-c", "import longgame.explore, longgame.cli.explore, sys;"
         "print('solara' in sys.modules, 'mesa.visualization' in sys.modules)"],
        check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    assert out == ["False", "False"]


@pytest.mark.parametrize("port", ["0", "70000"])
def test_bad_port_is_one_line_and_exit_2(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An out-of-range --port names the value and the range, exit code 2, no traceback."""
    with pytest.raises(SystemExit) as exc:
        main(["explore", "--no-browser", "--port", port])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.strip() == f"error: explore: --port={port} is invalid; expected 1..65535"


def test_prepare_plays_each_market_scene_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before serving, every market scene is played for a few periods on a small market
    (so that the market's compiled kernels are ready), and nothing else is."""
    from longgame.explore import SCENES
    from longgame.explore._models import ExploreMarket
    from longgame.explore._server import prepare

    played: list[tuple[int, int]] = []
    original = ExploreMarket.run_for

    def run_for(self: ExploreMarket, steps: int) -> None:
        played.append((self.customers.n, steps))
        original(self, steps)

    monkeypatch.setattr(ExploreMarket, "run_for", run_for)
    prepare()
    markets = [s for s in SCENES if s.kind == "market"]
    assert len(markets) == 4
    assert played == [(200, 3)] * len(markets)


def test_prepare_says_what_it_does_only_when_slow() -> None:
    """The notice is given when preparing outlasts its delay, and not otherwise."""
    from longgame.explore._server import PREPARING, prepare

    told: list[str] = []
    prepare(told.append, after=0.0)
    assert told == [PREPARING]
    told.clear()
    prepare(told.append, after=600.0)
    assert told == []
