"""``longgame plot DIR`` and ``longgame report DIR``: figures and the HTML report of a
results folder written by ``longgame run``.

Only click and the standard library are imported at module level; matplotlib and pandas
load when a command executes. A folder that is not a results folder is bad input: one
line on stderr and exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

__all__ = ["plot", "report"]


def _require_finished_runs(directory: Path) -> None:
    """:class:`InputError` unless DIR is a results folder with at least one finished run,
    so that no empty figures or report are written for a sweep that has not run yet."""
    from longgame.errors import InputError
    from longgame.experiments import load_results
    from longgame.experiments.store import Store

    load_results(directory)  # not a results folder, or a damaged one: InputError
    Store(directory).check_target(Store(directory).read_manifest())  # a user's report.html
    if not Store(directory).finished():
        raise InputError(
            f"{directory}: no finished runs; expected a results folder with at least one "
            "finished run (run or resume it with `longgame run CONFIG --out DIR`)"
        )


@click.command(short_help="Draw the figures of a results folder.")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--figure",
    "kinds",
    multiple=True,
    metavar="KIND",
    help="Draw only this figure kind (repeatable), e.g. --figure long-run --figure survival "
    "[default: the config's outputs.figures, else every kind the data supports].",
)
def plot(directory: Path, kinds: tuple[str, ...]) -> None:
    """Draw the figures of the results folder DIR into DIR/figures/ (PNG and SVG)."""
    from longgame.experiments.store import Store
    from longgame.plots import plot_results

    _require_finished_runs(directory)
    store = Store(directory)
    with store.lock(), store.drawing():
        written = plot_results(directory, kinds or None, progress=_progress())
    pngs = [p for p in written if p.suffix == ".png"]
    if not pngs:
        click.echo(f"no figures: {directory} holds none of the metrics the figures draw")
        return
    click.echo(f"wrote {len(pngs)} figures (PNG and SVG) to {pngs[0].parent}:")
    for path in pngs:
        click.echo(f"  {path.stem}")


@click.command(short_help="Write the one-file HTML report (or slides) of a results folder.")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--present",
    is_flag=True,
    help="Write DIR/slides.html instead: the same content as slides for a projector, one "
    "idea per screen (arrow keys, space and Page Up/Down move).",
)
def report(directory: Path, present: bool) -> None:
    """Write DIR/report.html: the question, the story, setup, headline numbers, figures
    and caveats of the results folder DIR, in one file that opens offline; with
    --present, DIR/slides.html, the same as a slide deck."""
    from longgame.experiments.store import Store
    from longgame.report import write_report, write_slides

    _require_finished_runs(directory)
    store = Store(directory)
    write = write_slides if present else write_report
    with store.lock(), store.drawing():
        path = write(directory, progress=_progress())
    click.echo(f"wrote {path}")


def _progress() -> Callable[[str], None] | None:
    """A line on stderr per drawing step, when stderr is a terminal (as the runner's
    progress bar); None otherwise, so that logs and pipes stay quiet."""
    if not sys.stderr.isatty():
        return None
    return lambda line: click.echo(line, err=True)
