"""The preamble every benchmark shares; import it before numpy.

- One BLAS/OpenMP thread per process, so "1 worker" really uses one core and numbers
  from different machines compare (set only if the caller has not chosen a value).
- ``longgame`` importable from a checkout that is not installed (``src/`` on the path).

Use: ``import _common`` as the first import of a ``bench_*.py`` (the benchmarks folder
is on ``sys.path`` when a benchmark runs as a script), then ``_common.HERE`` for the
folder, :func:`check` for every number that has a target (one ``PASS``/``MISS`` line,
which ``run.py`` collects into its final table) and :func:`machine` for the load.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["HERE", "check", "cores", "machine"]

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

#: The benchmarks folder.
HERE = Path(__file__).resolve().parent

try:
    import longgame  # noqa: F401
except ImportError:  # running from a checkout without an install
    sys.path.insert(0, str(HERE.parent / "src"))


def cores() -> int:
    """Cores this process may run on (its CPU affinity; ``os.cpu_count`` elsewhere)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def machine() -> str:
    """One line: cores available and the load averages now (1, 5, 15 minutes)."""
    one, five, fifteen = os.getloadavg()
    return f"{cores()} cores available, load {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min)"


def check(
    label: str, value: float, target: float, unit: str = "x", *, at_most: bool = False
) -> bool:
    """Print one target line, ``PASS`` or ``MISS``, and return whether it passed.

    ``value`` must be >= ``target`` (or <= with ``at_most``). ``run.py`` collects these
    lines (``  PASS  <label>: <value> (target ...)``) into its final table.
    """
    ok = value <= target if at_most else value >= target
    sign = "<=" if at_most else ">="
    verdict = "PASS" if ok else "MISS"
    print(
        f"  {verdict}  {label}: {value:,.3g}{unit} (target {sign} {target:,.3g}{unit})", flush=True
    )
    return ok
