"""One-line problems about a config as a whole: its size, its figures, a run too big
for this machine, and which ``--set`` a problem comes from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from longgame._figures import FIGURE_NAMES
from longgame.errors import closest_names
from longgame.experiments.config._schema import (
    MAX_POINTS,
    MAX_RUNS,
    MAX_WORK,
    QUICK_REPLICATES,
    _Document,
)

__all__ = ["format_bytes"]


def _size_problems(
    source: str,
    sweep: Mapping[str, Any],
    count: int,
    doc: _Document | None,
    quick: bool,
    allow_large: bool,
) -> list[str]:
    """The sweep's size against the soft limits (before anything is expanded)."""
    if allow_large:
        return []
    problems = []
    keys = [f"sweep.{k}" for k in (sweep.get("grid") or {})]
    if sweep.get("sample"):
        keys.append("sweep.sample.count")
    where = ", ".join(keys[:4]) or "sweep"
    if count > MAX_POINTS:
        problems.append(
            f"{source}: {where}: the sweep has {count:,} points; expected at most "
            f"{MAX_POINTS:,} (pass --allow-large to go past this limit)"
        )
    elif doc is not None:
        replicates = doc.experiment.replicates
        if quick:
            replicates = min(replicates, QUICK_REPLICATES)
        runs = count * replicates
        if runs > MAX_RUNS:
            problems.append(
                f"{source}: experiment.replicates={replicates}: {count:,} points x "
                f"{replicates:,} replicates = {runs:,} runs; expected at most {MAX_RUNS:,} "
                "(pass --allow-large to go past this limit)"
            )
    return problems


def format_bytes(count: float) -> str:
    """``1536`` -> ``'1.5 KiB'``.

    >>> format_bytes(7 * 2**40)
    '7.0 TiB'
    """
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if count < 1024 or unit == "PiB":
            return f"{count:.1f} {unit}" if unit != "B" else f"{int(count)} B"
        count /= 1024
    return f"{count:.1f} PiB"  # pragma: no cover


def _check_figures(figures: Sequence[str], source: str) -> list[str]:
    """Figure kinds must be among :data:`longgame._figures.FIGURE_NAMES`."""
    kinds = list(FIGURE_NAMES)
    problems = []
    for index, figure in enumerate(figures):
        if figure.replace("_", "-") not in kinds:
            hint = closest_names(figure, kinds)
            problems.append(
                f"{source}: outputs.figures[{index}]={figure!r} is not a figure kind; "
                f"expected one of {', '.join(kinds)}" + (f" ({hint})" if hint else "")
            )
    return problems


def _blame_overrides(problems: list[str], source: str, overrides: Sequence[str]) -> list[str]:
    """Point problems about keys given with ``--set`` at the override, not the file."""
    keys = []
    for text in overrides:
        key = text.partition("=")[0].strip().replace('"', "").replace("'", "")
        keys.append(key)
    out = []
    for line in problems:
        for key in keys:
            head = f"{source}: {key}"
            if line.startswith((head + "=", head + " ", head + "[", head + ".")):
                line = f"{source} (--set {key}): " + line[len(source) + 2 :]
                break
        out.append(line)
    return out


def _cost_problem(
    source: str, cost: Any, memory: int, rename: Mapping[str, str], index: int, count: int
) -> str:
    """One line: which key makes a run too big, the estimate and the limit."""
    driver = str(cost.driver)
    key = "experiment.steps" if driver == "steps" else rename.get(driver, f"parameters.{driver}")
    at = f" (point {index} of {count})" if count > 1 else ""
    if cost.memory > memory:
        return (
            f"{source}: {key}: a run{at} needs about {format_bytes(cost.memory)} of memory; "
            f"expected at most {format_bytes(memory)}, this machine's memory "
            "(pass --allow-large to try anyway)"
        )
    return (
        f"{source}: {key}: a run{at} needs about {cost.work:.1e} updates (hours of "
        f"computing); expected at most {MAX_WORK:.0e} (pass --allow-large to run it anyway)"
    )
