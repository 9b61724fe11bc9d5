"""``longgame strategies``: the strategy registry, with names, aliases and metadata.

Only click is imported at module level; the strategies package and rich load when the
command runs.

``--json`` prints a stable list of objects, one per strategy, sorted by name::

    {"name": "generous-tit-for-tat", "aliases": ["gtft", "generous"],
     "class": "longgame.strategies.classic:GenerousTitForTat",
     "description": "...", "memory_depth": 1, "stochastic": true, "exits": false,
     "citation": "...", "parameters": {"generosity": 0.1},
     "customer_concern": null, "sale_concern": null}

``memory_depth`` is ``null`` for unbounded memory; ``customer_concern`` and
``sale_concern`` (1..9) are set for the sales-grid profiles.
"""

from __future__ import annotations

import json

import click

__all__ = ["strategies"]


@click.command("strategies")
@click.option("--json", "as_json", is_flag=True, help="Print the registry as JSON.")
def strategies(as_json: bool) -> None:
    """List the strategies: names, aliases, memory depth, parameters.

    Use a name or alias in configs (strategies = ["tit-for-tat", "fleecer"]) or in
    Python (longgame.strategies.get_strategy("fleecer")); third-party strategies load
    from "package.module:ClassName" or the longgame.strategies entry point group.
    """
    from longgame.strategies import describe, registry

    entries = [describe(cls) for cls in registry().values()]
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=None))
        return
    from rich.console import Console
    from rich.table import Table

    # two columns wrap well at any width: who it is, and what it does
    table = Table(title="strategies (names and aliases work everywhere)", show_lines=True)
    table.add_column("name [dim](aliases)[/dim]", no_wrap=True)
    table.add_column("what it does")
    for e in entries:
        who = f"[bold]{e['name']}[/bold]"
        if e["aliases"]:
            who += "\n[dim]" + "\n".join(e["aliases"]) + "[/dim]"
        facts = ["memory " + ("unbounded" if e["memory_depth"] is None else str(e["memory_depth"]))]
        facts += [f for f, on in (("stochastic", e["stochastic"]), ("exits", e["exits"])) if on]
        if e["customer_concern"] is not None:
            facts.append(f"sale {e['sale_concern']} / customer {e['customer_concern']}")
        facts += [f"{k}={v!r}" for k, v in e["parameters"].items()]
        table.add_row(who, f"{e['description']}\n[dim]{'; '.join(facts)}[/dim]")
    Console(highlight=False).print(table)
