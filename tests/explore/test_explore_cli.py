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
