"""Messages that used to mislead: a plugin strategy as a sellers key, and a numpy overflow
warning printed before the clear error of `analyze --set press_cost=1e308`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from longgame.cli import main


def test_plugin_path_as_sellers_key_is_kept_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sellers = {"pkg.mod:Class" = 2}` is read as 2 sellers of strategy pkg.mod:Class,
    and the error says that module cannot be imported (not that a key is missing)."""
    config = tmp_path / "s.toml"
    config.write_text(
        '[experiment]\nname = "s"\nmodel = "market"\nsteps = 10\n'
        '[parameters]\nsellers = {"nosuchpkg.mod:Closer" = 2}\n'
    )
    with pytest.raises(SystemExit) as info:
        main(["validate", str(config)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "parameters.sellers[0]" in lines[0]
    assert "'nosuchpkg.mod:Closer'" in lines[0]
    assert "cannot import module 'nosuchpkg.mod'" in lines[0]
    assert "missing" not in lines[0]


def test_huge_game_setting_prints_only_the_error() -> None:
    """`analyze boxed-pigs --set press_cost=1e308`: one error line, no numpy warning."""
    done = subprocess.run(
        [sys.executable, "-m", "longgame", "analyze", "boxed-pigs", "--set", "press_cost=1e308"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: boxed-pigs: ")
    assert "Warning" not in done.stderr
