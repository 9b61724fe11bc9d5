"""The CLI entry point: exit codes, error mapping, and keeping start-up light."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from longgame.cli import COMMANDS, cli, main
from longgame.errors import InputError

HEAVY = ("numpy", "pandas", "matplotlib", "scipy", "mesa", "dask", "pyarrow", "pydantic")


def _imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {name for name in HEAVY if name in out}


def test_import_longgame_is_light() -> None:
    """`import longgame` pulls in none of the heavy scientific stack."""
    assert _imported_after("import longgame") == set()


def test_help_is_light() -> None:
    """`longgame --help` lists every command without importing the heavy stack."""
    code = (
        "import contextlib, io\n"
        "from longgame.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    main(['--help'])\n"
    )
    assert _imported_after(code) == set()


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    """Every registered command shows up in `longgame --help`."""
    main(["--help"])
    listed = capsys.readouterr().out
    for name in COMMANDS:
        assert name in listed


def test_help_summaries_are_whole_sentences(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns `longgame --help` shows each command's summary whole, not cut with '...'."""
    monkeypatch.setenv("COLUMNS", "80")
    main(["--help"])
    listed = capsys.readouterr().out.split("Commands:")[1]
    assert "..." not in listed
    assert len([line for line in listed.splitlines() if line.strip()]) == len(COMMANDS)


def test_bare_command_shows_help_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """`longgame` with no command prints the help (not as an 'error:' line) and exits 2."""
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Usage: longgame")
    assert "error:" not in err


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command is a usage error: exit 2, one line, no traceback."""
    with pytest.raises(SystemExit) as exc:
        main(["anlyze"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "error: unknown command 'anlyze'; expected one of analyze, explore, games"
    )
    assert "did you mean 'analyze'?" in err
    assert len(err.strip().splitlines()) == 1


def test_input_error_maps_to_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An InputError raised by a command prints one line per problem and exits 2."""

    @cli.command("explode-for-test")
    def explode() -> None:
        raise InputError("first: bad", "second: worse")

    try:
        with pytest.raises(SystemExit) as exc:
            main(["explode-for-test"])
    finally:
        cli.commands.pop("explode-for-test", None)
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines() == ["error: first: bad", "error: second: worse"]


def test_version_prints_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """`--version` prints the package version and succeeds."""
    main(["--version"])
    assert "0.1.0" in capsys.readouterr().out


def test_commands_are_click_commands() -> None:
    """Every lazily registered command resolves to a click command."""
    ctx = click.Context(cli)
    for name in COMMANDS:
        assert isinstance(cli.get_command(ctx, name), click.Command)
