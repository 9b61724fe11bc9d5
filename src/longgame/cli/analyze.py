"""``longgame analyze GAME`` and ``longgame games``: stage-game analysis from the command line.

Only click is imported at module level; the games package, rich and numpy load when a
command runs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["analyze", "games"]


def _fmt(x: float) -> str:
    r = round(x)
    if abs(x - r) < 1e-9:
        return str(int(r))
    return f"{x:.4g}"


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _print_catalog(as_json: bool) -> None:
    from longgame.games import catalog

    entries = catalog()
    if as_json:
        payload = [
            {
                "name": e.name,
                "function": f"longgame.games.{e.function.__name__}",
                "summary": e.summary.replace("``", ""),
                "parameters": [
                    {"name": k, "default": v, "doc": e.parameter_docs.get(k, "")}
                    for k, v in e.defaults.items()
                ],
            }
            for e in entries
        ]
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title="stage games (longgame analyze GAME --set key=value)", show_lines=True)
    table.add_column("game", style="bold", no_wrap=True)
    table.add_column("parameters (default)", no_wrap=True)
    table.add_column("description")
    for e in entries:
        params = "\n".join(f"{k}={_fmt(v)}" for k, v in e.defaults.items())
        table.add_row(e.name, params, e.summary.replace("``", ""))
    _console().print(table)


def _print_analysis(report: dict[str, Any]) -> None:
    from rich.table import Table

    console = _console()
    players = report["players"]
    rows, cols = report["actions"]
    pure = {tuple(e["actions"]) for e in report["pure_equilibria"]}
    params = report.get("parameters") or {}
    title = report["game"] + (
        " (" + ", ".join(f"{k}={_fmt(v)}" for k, v in params.items()) + ")" if params else ""
    )
    table = Table(title=title)
    table.add_column(f"{players[0]} \\ {players[1]}", style="bold")
    for c in cols:
        table.add_column(c, justify="center")
    for i, r in enumerate(rows):
        cells = []
        for j, c in enumerate(cols):
            u = report["payoffs"][i][j]
            text = f"{_fmt(u[0])}, {_fmt(u[1])}"
            cells.append(f"[bold green]{text} *[/]" if (r, c) in pure else text)
        table.add_row(r, *cells)
    console.print(table)

    def profile(p: list[str]) -> str:
        return f"({p[0]}, {p[1]})"

    lines = [f"cells: ({players[0]}, {players[1]}) payoffs; * = pure Nash equilibrium"]
    eq = report["pure_equilibria"]
    lines.append(
        "pure equilibria: "
        + (", ".join(profile(e["actions"]) for e in eq) if eq else "none (play must mix)")
    )
    lines.append("mixed equilibria (extreme points):")
    for e in report["mixed_equilibria"]:
        mixes = []
        for who, acts, probs in zip(players, report["actions"], e["probabilities"], strict=True):
            parts = [f"{a} {_fmt(p)}" for a, p in zip(acts, probs, strict=True) if p > 0]
            mixes.append(f"{who}: " + ", ".join(parts))
        lines.append(
            "  " + "; ".join(mixes) + f"  -> payoffs ({_fmt(e['payoffs'][0])}, "
            f"{_fmt(e['payoffs'][1])})"
        )

    def dominated(d: dict[str, list[str]]) -> str:
        return "; ".join(f"{p}: {', '.join(a)}" for p, a in d.items()) or "none"

    lines.append(f"strictly dominated: {dominated(report['dominated'])}")
    if report["dominated_by_mixed"] != report["dominated"]:
        lines.append(
            f"strictly dominated by a mixed strategy: {dominated(report['dominated_by_mixed'])}"
        )
    lines.append(f"weakly dominated: {dominated(report['weakly_dominated'])}")
    survivors = report["iterated_elimination"]
    lines.append(
        "after iterated elimination: "
        + "; ".join(f"{p}: {', '.join(a)}" for p, a in survivors.items())
    )
    lines.append("pareto optimal: " + ", ".join(profile(p) for p in report["pareto_optimal"]))
    lines.append(
        f"zero-sum: {'yes' if report['zero_sum'] else 'no'}; "
        f"constant-sum: {'yes' if report['constant_sum'] else 'no'}"
    )
    pd = report["prisoners_dilemma"]
    if pd is not None:
        lines.append(
            f"prisoner's dilemma: T={_fmt(pd['T'])}, R={_fmt(pd['R'])}, P={_fmt(pd['P'])}, "
            f"S={_fmt(pd['S'])}; grim trigger sustains cooperation for discount factor "
            f">= {_fmt(pd['grim_trigger_threshold'])}; TIT FOR TAT is stable for "
            f"continuation probability >= {_fmt(pd['tft_stability_bound'])}"
        )
    for line in lines:
        console.print(line)


@click.command(short_help="Payoffs, equilibria and thresholds of a stage game.")
@click.argument("game", required=False)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="KEY=VALUE",
    help="Set a game parameter, e.g. --set press_cost=3 (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as one JSON object.")
@click.option("--list", "list_games", is_flag=True, help="List the catalog's games and exit.")
def analyze(game: str | None, settings: tuple[str, ...], as_json: bool, list_games: bool) -> None:
    """Analyse the stage game GAME: payoffs, equilibria, dominance, Pareto, thresholds.

    \b
    Examples:
      longgame analyze boxed-pigs
      longgame analyze boxed-pigs --set press_cost=7 --json
      longgame analyze --list
    """
    if list_games:
        _print_catalog(as_json)
        return
    if game is None:
        raise click.UsageError("missing argument GAME (see `longgame analyze --list`)")
    import warnings

    import numpy as np

    from longgame.games import describe, get_game, parse_settings, validate_game_params

    raw = parse_settings(settings)
    params = validate_game_params(game, raw)
    # huge settings (1e308) overflow inside the game: its own check says so in one line
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        g = get_game(game, **params)
        report = describe(g, parameters=params or None)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    else:
        _print_analysis(report)


@click.command(short_help="List the stage games with their parameters.")
@click.option("--json", "as_json", is_flag=True, help="Print the catalog as JSON.")
def games(as_json: bool) -> None:
    """List the stage games of the catalog with their parameters and defaults."""
    _print_catalog(as_json)
