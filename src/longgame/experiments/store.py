"""The results folder: atomic run files, the manifest, and resume bookkeeping.

Layout of ``results/<name>/``::

    config.toml                 the resolved config (after --set and --quick)
    manifest.json               versions, git commit, root seed, points, per-run status
    runs/<run_id>.parquet       one run's tidy per-step metrics (marks the run finished)
    runs/<run_id>.<table>.parquet   the run's extra tables (written before the metrics)
    summary.parquet             long-run means with confidence intervals
    figures/, report.html       drawn by longgame.plots and longgame.report

Every file is written to a hidden temporary name in the same folder and renamed with
``os.replace``, which is atomic on POSIX and Windows: a reader (or a resume after
``kill -9``) sees either the whole file or no file. A run counts as finished exactly when
its metrics file exists; its extra tables are written first, so a finished run always
has them. Leftover temporaries (``.*.tmp``) are never read and are removed on resume.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from longgame.errors import InputError

__all__ = [
    "CONFIG_FILE",
    "MANIFEST_FILE",
    "RUNS_DIR",
    "RUN_ID",
    "SUMMARY_FILE",
    "Store",
    "atomic_write_bytes",
    "atomic_write_text",
    "environment_info",
]

CONFIG_FILE = "config.toml"
MANIFEST_FILE = "manifest.json"
SUMMARY_FILE = "summary.parquet"
RUNS_DIR = "runs"
#: A run id: 16 lowercase hex digits (64 bits of a SHA-256).
RUN_ID = re.compile(r"^[0-9a-f]{16}\Z")
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_-]+\Z")
_OWNED = (CONFIG_FILE, MANIFEST_FILE, SUMMARY_FILE, RUNS_DIR, "figures", "report.html")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Atomically write UTF-8 text (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _git_commit() -> str | None:
    """The commit of the longgame checkout this code runs from (None when installed)."""
    root = Path(__file__).resolve().parents[3]
    if not (root / ".git").exists():  # an installed copy: never report an unrelated repo
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def environment_info() -> dict[str, Any]:
    """Versions of Python and the packages that shape results, and the git commit."""
    from importlib import metadata

    versions = {"python": sys.version.split()[0]}
    for package in ("longgame", "numpy", "scipy", "pandas", "pyarrow", "pydantic", "mesa"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None  # type: ignore[assignment]
    return {"versions": versions, "git_commit": _git_commit(), "platform": sys.platform}


def _lock_is_live(path: Path) -> bool:
    try:
        pid_text, host = path.read_text(encoding="utf-8").split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return False  # unreadable or half-written: left by a killed process
    if host != socket.gethostname():
        return True  # cannot check another machine's processes: assume it is running
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def now() -> str:
    """The current UTC time in ISO 8601, to the second."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


class Store:
    """One results folder. Creating a :class:`Store` touches nothing on disk."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    @property
    def runs_dir(self) -> Path:
        """Folder of the per-run Parquet files."""
        return self.root / RUNS_DIR

    @property
    def manifest_path(self) -> Path:
        """Path of ``manifest.json``."""
        return self.root / MANIFEST_FILE

    @property
    def config_path(self) -> Path:
        """Path of the resolved ``config.toml``."""
        return self.root / CONFIG_FILE

    @property
    def summary_path(self) -> Path:
        """Path of ``summary.parquet``."""
        return self.root / SUMMARY_FILE

    def run_path(self, run_id: str, table: str | None = None) -> Path:
        """Path of a run's metrics file, or of one of its extra tables."""
        name = f"{run_id}.parquet" if table is None else f"{run_id}.{table}.parquet"
        return self.runs_dir / name

    def exists(self) -> bool:
        """Whether this folder already holds longgame results."""
        return self.manifest_path.is_file()

    def finished(self) -> set[str]:
        """Ids of finished runs: those whose metrics file exists."""
        if not self.runs_dir.is_dir():
            return set()
        return {
            entry.name[: -len(".parquet")]
            for entry in os.scandir(self.runs_dir)
            if entry.name.endswith(".parquet") and RUN_ID.match(entry.name[: -len(".parquet")])
        }

    def tables(self) -> list[str]:
        """Names of the extra tables present for at least one run."""
        if not self.runs_dir.is_dir():
            return []
        names = set()
        for entry in os.scandir(self.runs_dir):
            parts = entry.name.split(".")
            if len(parts) == 3 and parts[2] == "parquet" and RUN_ID.match(parts[0]):
                names.add(parts[1])
        return sorted(names)

    def clean_temporaries(self) -> int:
        """Delete half-written files left by a killed process; return how many."""
        count = 0
        for folder in (self.root, self.runs_dir):
            if folder.is_dir():
                for entry in os.scandir(folder):
                    if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                        Path(entry.path).unlink(missing_ok=True)
                        count += 1
        return count

    def write_run(self, run_id: str, files: Mapping[str, bytes]) -> None:
        """Write a run's files: extra tables first, the metrics file (key ``""``) last."""
        if not RUN_ID.match(run_id):
            raise ValueError(f"bad run id {run_id!r}")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        for table, data in files.items():
            if table:
                if not _TABLE_NAME.match(table):
                    raise ValueError(f"bad table name {table!r}")
                atomic_write_bytes(self.run_path(run_id, table), data)
        atomic_write_bytes(self.run_path(run_id), files[""])

    def read_manifest(self) -> dict[str, Any]:
        """The manifest (``{}`` if there is none); :class:`InputError` if it is damaged."""
        if not self.manifest_path.is_file():
            return {}
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(
                f"{self.manifest_path}: unreadable ({exc}); expected the JSON manifest "
                "written by `longgame run` (`longgame run --fresh` starts it over)"
            ) from None
        if not isinstance(data, dict):
            raise InputError(
                f"{self.manifest_path}: holds a JSON {type(data).__name__}; expected the "
                "JSON object written by `longgame run` (`longgame run --fresh` starts it over)"
            )
        return data

    def read_config(self) -> dict[str, Any]:
        """The stored resolved config (``{}`` if there is none); :class:`InputError` if
        it is damaged."""
        import tomllib

        if not self.config_path.is_file():
            return {}
        try:
            return tomllib.loads(self.config_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(
                f"{self.config_path}: unreadable ({exc}); expected the TOML config "
                "written by `longgame run`"
            ) from None

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        """Atomically replace ``manifest.json``."""
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.manifest_path, json.dumps(manifest, indent=1, default=str) + "\n")

    def check_fresh_target(self) -> None:
        """Refuse to clear a folder that does not look like longgame results."""
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"--out {self.root}: is a file; expected a folder for results")
        if self.root.is_dir() and not self.exists() and any(self._foreign()):
            raise InputError(
                f"--out {self.root}: folder is not empty and holds no longgame results "
                f"({MANIFEST_FILE} missing); expected a new or empty folder"
            )

    def _foreign(self) -> list[Path]:
        """Entries not written by this package (a run killed before its manifest leaves
        only its own files, which do not make the folder foreign)."""
        return [
            p
            for p in self.root.iterdir()
            if p.name not in (*_OWNED, ".lock")
            and not (p.name.startswith(".") and p.name.endswith(".tmp"))
        ]

    def clear(self) -> None:
        """Remove everything this package writes in the folder (for ``--fresh``)."""
        for name in _OWNED:
            path = self.root / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        self.clean_temporaries()

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold ``.lock`` while writing, so two runs never write into one folder at once.

        A lock left by a killed process (its pid no longer exists on this host) is taken
        over; a live one raises :class:`InputError`.
        """
        path = self.root / ".lock"
        me = f"{os.getpid()} {socket.gethostname()}"
        for _ in range(3):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if _lock_is_live(path):
                    holder = path.read_text(encoding="utf-8", errors="replace").strip()
                    raise InputError(
                        f"--out {self.root}: another `longgame run` (pid and host: {holder}) "
                        f"is writing there; expected it to finish first (delete {path} if "
                        "that process is gone)"
                    ) from None
                path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(me + "\n")
            break
        else:
            raise InputError(
                f"--out {self.root}: could not take {path}; expected a writable folder"
            )
        try:
            yield
        finally:
            path.unlink(missing_ok=True)
