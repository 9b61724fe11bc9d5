"""Writing files so that nothing is ever half-written: the layer below every other.

Used by the runner's store and by the report (and anything else that writes results):
a temporary file in the same folder, then an atomic rename; OS errors become one
:class:`WriteError` line naming the path and the cause.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from pathlib import Path

__all__ = ["WriteError", "atomic_write_bytes", "atomic_write_text"]


class WriteError(OSError):
    """A file of the results folder could not be written (full disk, no permission...).

    ``str(error)`` is one line naming the path and the cause.
    """

    def __init__(self, path: Path, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), str(path))
        self.path = path
        self.cause = cause

    def __str__(self) -> str:
        reason = self.cause.strerror or str(self.cause)
        code = errno.errorcode.get(self.cause.errno or 0)
        return f"cannot write {self.path}: {reason}" + (f" ({code})" if code else "")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    Raises :class:`WriteError` (no half-written file left behind) if the OS refuses.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise WriteError(path, exc) from None
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Atomically write UTF-8 text (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))
