"""The preamble every benchmark shares; import it before numpy.

- One BLAS/OpenMP thread per process, so "1 worker" really uses one core and numbers
  from different machines compare (set only if the caller has not chosen a value).
- ``longgame`` importable from a checkout that is not installed (``src/`` on the path).

Use: ``import _common`` as the first import of a ``bench_*.py`` (the benchmarks folder
is on ``sys.path`` when a benchmark runs as a script), then ``_common.HERE`` for the
folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["HERE"]

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

#: The benchmarks folder.
HERE = Path(__file__).resolve().parent

try:
    import longgame  # noqa: F401
except ImportError:  # running from a checkout without an install
    sys.path.insert(0, str(HERE.parent / "src"))
