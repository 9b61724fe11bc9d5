"""The ``longgame`` command line.

Each command lives in its own module of this package and is imported only when it is
run (or when ``--help`` lists it), so ``longgame --help`` stays fast: command modules
import nothing heavy at module level.

Exit codes: 0 success, 2 bad input (one line per problem, no traceback), 1 anything else.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from longgame import __version__
from longgame.errors import InputError, closest_names

__all__ = ["cli", "main"]

# command name -> "module:attribute" (the module is imported lazily)
COMMANDS: dict[str, str] = {
    "analyze": "longgame.cli.analyze:analyze",
    "games": "longgame.cli.analyze:games",
    "strategies": "longgame.cli.strategies:strategies",
    "run": "longgame.cli.run:run",
    "validate": "longgame.cli.run:validate",
    "plot": "longgame.cli.plot:plot",
    "report": "longgame.cli.plot:report",
    "explore": "longgame.cli.explore:explore",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            known = self.list_commands(ctx)
            hint = closest_names(name, known)
            raise click.UsageError(
                f"unknown command {name!r}; expected one of {', '.join(known)}"
                + (f" ({hint})" if hint else ""),
                ctx,
            )
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # a command whose module is not written yet
            if exc.name == module_name:
                return None
            raise
        command: click.Command = getattr(module, attr)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="longgame")
def cli() -> None:
    """longgame: repeated salesperson-customer games, and why one-shot fleecing loses.

    \b
    Quick start:
      longgame analyze boxed-pigs          payoff table and equilibria of a stage game
      longgame strategies                  the strategy registry
      longgame run experiments/fleecing-vs-fair.toml --quick
      longgame explore                     the live what-if page, scene by scene
    """


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, mapping :class:`InputError` to exit code 2."""
    try:
        return cli.main(args=argv, prog_name="longgame", standalone_mode=False)
    except InputError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    except OSError as exc:  # a full disk, no permission...: one line, not a traceback
        if exc.filename is None:
            raise
        from longgame._io import WriteError

        text = str(exc) if isinstance(exc, WriteError) else f"{exc.filename}: {exc.strerror}"
        click.echo(
            f"error: {text}; finished runs are kept: once fixed, run the same command "
            "again to resume",
            err=True,
        )
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.exceptions.NoArgsIsHelpError as exc:  # bare `longgame`: the help, as is
        click.echo(exc.format_message(), err=True)
        sys.exit(2)
    except click.ClickException as exc:  # usage errors: bad option, missing argument
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(2 if isinstance(exc, click.UsageError | click.BadParameter) else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
