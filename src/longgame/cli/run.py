"""``longgame run`` and ``longgame validate``: run or check an experiment config.

Only click and the standard library are imported at module level; the runner (numpy,
pandas, pydantic...) loads when a command executes.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

__all__ = ["run", "validate"]

_SET_HELP = (
    "Override a config key, e.g. --set experiment.steps=50 "
    "--set parameters.word_of_mouth.reach=10 "
    "--set sweep.repeat.base='[0.5, 0.9]'. The value is read as TOML (else as a string). "
    "Repeatable."
)


@click.command(short_help="Run (or resume) an experiment config.")
@click.argument("config", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Results folder [default: results/<experiment.name>].",
)
@click.option(
    "--workers", type=click.IntRange(min=1), help="Worker processes [default: all cores]."
)
@click.option(
    "--backend",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Local processes, or Dask distributed.",
)
@click.option(
    "--scheduler",
    metavar="ADDR",
    help="Address of a running Dask scheduler (with --backend dask) [default: a LocalCluster].",
)
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help=_SET_HELP)
@click.option("--quick", is_flag=True, help="Fewer steps, replicates and agents, for a fast look.")
@click.option("--fresh", is_flag=True, help="Clear the results folder instead of resuming.")
@click.option("--no-report", is_flag=True, help="Do not draw figures or report.html.")
@click.option(
    "--allow-large",
    is_flag=True,
    help="Go past the soft limits on sweep size, runs and a run's estimated memory and work.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar [default: when stderr is a terminal].",
)
def run(
    config: Path,
    out: Path | None,
    workers: int | None,
    backend: str,
    scheduler: str | None,
    overrides: tuple[str, ...],
    quick: bool,
    fresh: bool,
    no_report: bool,
    allow_large: bool,
    progress: bool | None,
) -> None:
    """Run (or resume) the experiment in CONFIG, a TOML file.

    Each finished run is saved at once under the results folder; rerunning the same
    command skips them, so an interrupted or partly failed sweep picks up where it
    stopped. Exit status: 0 all runs finished, 1 some runs failed, 2 bad input.
    """
    from longgame.cli._outputs import draw_outputs
    from longgame.experiments import load_config, run_experiment

    experiment = load_config(config, overrides, quick=quick, allow_large=allow_large)
    # drawing progress follows the run's progress bar: on when asked, else on a terminal
    told = sys.stderr.isatty() if progress is None else progress
    results = run_experiment(
        experiment,
        out,
        workers=workers,
        backend=backend,
        scheduler=scheduler,
        fresh=fresh,
        progress=progress,
        outputs=None if no_report else functools.partial(draw_outputs, progress=told),
    )
    records = results.manifest.get("runs", [])
    failed = results.failed
    done = sum(r.get("status") == "done" for r in records)
    click.echo(
        f"{experiment.name}: {done} of {len(records)} runs finished"
        + (f", {len(failed)} failed" if failed else "")
        + f"; results in {results.path}"
        + (
            f", report {results.path / 'report.html'}"
            if (results.path / "report.html").is_file() and not no_report
            else ""
        )
    )
    if failed:
        for record in failed[:20]:
            click.echo(
                f"failed: run {record['run_id']} (point {record['point']}, replicate "
                f"{record['replicate']}): {record.get('error')}",
                err=True,
            )
        if len(failed) > 20:
            click.echo(f"... and {len(failed) - 20} more (see manifest.json)", err=True)
        import shlex

        again = shlex.join(
            ["longgame", "run", str(config), "--out", str(results.path)]
            + [part for o in overrides for part in ("--set", o)]
            + (["--quick"] if quick else [])
        )
        click.echo(
            f"tracebacks are in {results.path / 'manifest.json'}; to retry the failed runs "
            f"(finished runs are kept), run: {again}",
            err=True,
        )
        sys.exit(1)


@click.command(short_help="Check an experiment config without running it.")
@click.argument("config", type=click.Path(path_type=Path))
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help=_SET_HELP)
@click.option("--quick", is_flag=True, help="Validate the --quick version.")
@click.option(
    "--allow-large",
    is_flag=True,
    help="Go past the soft limits on sweep size, runs and a run's estimated memory and work.",
)
def validate(config: Path, overrides: tuple[str, ...], quick: bool, allow_large: bool) -> None:
    """Check CONFIG without running it: every problem is listed, one per line.

    Exit status 0 if the config is valid, 2 if not. Nothing is written. A config is
    code: a model or strategy named "package.module:Name" is imported (its code runs)
    to check it, once the rest of the config is valid; the output lists those plugins.
    """
    from longgame.experiments import load_config
    from longgame.experiments.config import format_bytes

    experiment = load_config(config, overrides, quick=quick, allow_large=allow_large)
    swept = ", ".join(experiment.swept) or "nothing"
    memory = (
        f"; about {format_bytes(experiment.peak_memory)} of memory per run"
        if experiment.peak_memory is not None
        else ""
    )
    click.echo(
        f"{config}: ok: model {experiment.model}, {len(experiment.points)} point(s) x "
        f"{experiment.replicates} replicate(s) = {experiment.n_runs} runs of "
        f"{experiment.steps} steps; swept: {swept}{memory}"
    )
    if experiment.plugins:
        click.echo(f"plugins imported (their code ran): {', '.join(experiment.plugins)}")
