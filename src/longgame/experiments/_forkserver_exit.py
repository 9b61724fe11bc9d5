"""Imported by longgame's fork servers only, last of their preload: the server skips the
interpreter's teardown when it ends.

A fork server ends when the process it serves has ended, and then tears down an
interpreter holding numpy, pandas, pyarrow, Mesa and numba: about 0.4 s during which it
still holds the standard output and error it inherited, so that a caller reading them
(``subprocess.run(..., capture_output=True)``, ``$(longgame run ...)``, a CI log) waits
for it after ``longgame run`` itself has exited. The server has nothing to flush or
clean up (it writes nothing; its workers have ended before it), so it leaves with
:func:`os._exit` at the start of its exit. Workers forked from the server do not run it:
the standard library clears their exit handlers (3.13) or ends them with
:func:`os._exit` (3.12).
"""

from __future__ import annotations

import atexit
import os

__all__: list[str] = []

atexit.register(os._exit, 0)  # the last registered runs first
