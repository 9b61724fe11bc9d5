"""`longgame plot` / `longgame report` on folders that are not (usable) results folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from longgame.cli import main

COMMANDS = ("plot", "report")


def _exit_code(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _manifest_only(folder: Path, manifest: str) -> Path:
    folder.mkdir()
    (folder / "manifest.json").write_text(manifest, encoding="utf-8")
    (folder / "config.toml").write_text('[experiment]\nname = "x"\n', encoding="utf-8")
    return folder


def _check_bad_input(argv: list[str], capsys: pytest.CaptureFixture[str], *words: str) -> str:
    code = _exit_code(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ")
    assert "Traceback" not in err
    for word in words:
        assert word in err
    return err


@pytest.mark.parametrize("command", COMMANDS)
def test_folder_with_no_finished_runs_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A results folder whose sweep has not finished a run yet gives no empty figures."""
    folder = _manifest_only(tmp_path / "res", json.dumps({"format": 1, "runs": []}))
    _check_bad_input([command, str(folder)], capsys, str(folder), "no finished runs")
    assert sorted(p.name for p in folder.iterdir()) == ["config.toml", "manifest.json"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("manifest", ["{broken", "[1, 2]"])
def test_damaged_manifest_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, manifest: str
) -> None:
    """A manifest.json that is not a JSON object is named as bad input, not a traceback."""
    folder = _manifest_only(tmp_path / "res", manifest)
    _check_bad_input([command, str(folder)], capsys, "manifest.json")


def test_damaged_stored_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A config.toml in the results folder that is not TOML is named as bad input."""
    folder = _manifest_only(tmp_path / "res", json.dumps({"format": 1, "runs": []}))
    (folder / "config.toml").write_text("not = toml [", encoding="utf-8")
    _check_bad_input(["report", str(folder)], capsys, "config.toml")


def test_missing_folder_and_file_are_told_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path that does not exist, or is a file, is reported as such."""
    _check_bad_input(["plot", str(tmp_path / "nope")], capsys, "no such folder")
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    _check_bad_input(["report", str(a_file)], capsys, "is a file")


@pytest.mark.parametrize("command", COMMANDS)
def test_plot_and_report_do_not_import_mesa(
    command: str, market_dir: Path, tournament_dir: Path, tmp_path: Path
) -> None:
    """`longgame plot` and `report` read stored results only: Mesa (the models) never loads."""
    for source in (market_dir, tournament_dir):
        folder = shutil.copytree(source, tmp_path / f"{command}-{source.name}")
        code = (
            "import sys\n"
            "from longgame.cli import main\n"
            "try:\n"
            f"    main([{command!r}, {str(folder)!r}])\n"
            "except SystemExit as exc:\n"
            "    assert not exc.code, exc.code\n"
            "print('mesa' in sys.modules, 'longgame.models.market.model' in sys.modules)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "MPLBACKEND": "Agg"},
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "False False", source.name
