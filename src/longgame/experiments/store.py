"""The results folder: atomic run files, the manifest, and resume bookkeeping.

Layout of ``results/<name>/``::

    config.toml                 the resolved config (after --set and --quick)
    manifest.json               versions, git commit, root seed, points, per-run status
    runs/<run_id>.parquet       one run's tidy per-step metrics (marks the run finished)
    runs/<run_id>.<table>.parquet   the run's extra tables (written before the metrics)
    summary.parquet             long-run means with confidence intervals
    figures/, report.html       drawn by longgame.plots and longgame.report
    slides.html                 the report as slides (``longgame report --present``)

Every file is written to a hidden temporary name in the same folder and renamed with
``os.replace``, which is atomic on POSIX and Windows: a reader (or a resume after
``kill -9``) sees either the whole file or no file. A run counts as finished exactly when
its metrics file exists; its extra tables are written first, so a finished run always
has them. Leftover temporaries (``.*.tmp``) are never read and are removed on resume.

The manifest lists every file the runner wrote (``files``: path -> SHA-256 and size), so
that a resume can verify finished runs (and rerun a damaged one), readers can refuse a
damaged folder, and ``--fresh`` deletes only what longgame wrote: a folder holding files
it did not write is refused, never cleared. A write that fails (a full disk, no
permission) raises :class:`WriteError`, one line naming the path and the cause; the
manifest on disk is always a whole, earlier snapshot, so the next run resumes.

The lock is an OS lock (``fcntl.flock``) on ``.lock``, held open for the run: the OS
releases it when the holder exits or dies, so no guess about stale locks is needed.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import re
import shlex
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from longgame._io import WriteError, atomic_write_bytes, atomic_write_text
from longgame.errors import InputError

__all__ = [
    "CONFIG_FILE",
    "MANIFEST_FILE",
    "REPORT_FILE",
    "RUNS_DIR",
    "RUN_ID",
    "SLIDES_FILE",
    "SUMMARY_FILE",
    "Store",
    "WriteError",
    "atomic_write_bytes",
    "atomic_write_text",
    "digest",
    "environment_info",
    "is_output",
]

CONFIG_FILE = "config.toml"
MANIFEST_FILE = "manifest.json"
SUMMARY_FILE = "summary.parquet"
RUNS_DIR = "runs"
#: A run id: 16 lowercase hex digits (64 bits of a SHA-256).
RUN_ID = re.compile(r"^[0-9a-f]{16}\Z")
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_-]+\Z")
_OWNED = (
    CONFIG_FILE,
    MANIFEST_FILE,
    SUMMARY_FILE,
    RUNS_DIR,
    "figures",
    "report.html",
    "slides.html",
)
LOCK_FILE = ".lock"
FIGURES_DIR = "figures"
REPORT_FILE = "report.html"
SLIDES_FILE = "slides.html"


def is_output(rel: str) -> bool:
    """Whether the relative path ``rel`` is a drawn output (figures, report, slides):
    drawn again at will, never read as data."""
    return rel in (REPORT_FILE, SLIDES_FILE) or rel.startswith(f"{FIGURES_DIR}/")


#: Folders scanned for files longgame did not write (the runner writes nowhere else).
_SCAN_LIMIT = 100_000


def digest(data: bytes) -> dict[str, Any]:
    """The manifest's record of a file's content: SHA-256 and size in bytes."""
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def file_digest(path: Path) -> dict[str, Any]:
    """:func:`digest` of a file on disk, read in chunks (``OSError`` if unreadable)."""
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    return {"sha256": sha.hexdigest(), "bytes": size}


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

    def relative(self, path: Path) -> str:
        """``path`` relative to the folder, with ``/`` separators (the manifest's key)."""
        return path.relative_to(self.root).as_posix()

    def write_run(self, run_id: str, files: Mapping[str, bytes]) -> dict[str, dict[str, Any]]:
        """Write a run's files: extra tables first, the metrics file (key ``""``) last.

        Returns the manifest records (relative path -> :func:`digest`) of the files.
        """
        if not RUN_ID.match(run_id):
            raise ValueError(f"bad run id {run_id!r}")
        try:
            self.runs_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(self.runs_dir, exc) from None
        written: dict[str, dict[str, Any]] = {}
        for table, data in files.items():
            if table:
                if not _TABLE_NAME.match(table):
                    raise ValueError(f"bad table name {table!r}")
                path = self.run_path(run_id, table)
                atomic_write_bytes(path, data)
                written[self.relative(path)] = digest(data)
        atomic_write_bytes(self.run_path(run_id), files[""])
        written[self.relative(self.run_path(run_id))] = digest(files[""])
        return written

    def run_files(self, run_id: str) -> list[Path]:
        """The files on disk of one run (metrics and extra tables)."""
        if not self.runs_dir.is_dir():
            return []
        return sorted(
            Path(entry.path)
            for entry in os.scandir(self.runs_dir)
            if entry.name.split(".")[0] == run_id and entry.name.endswith(".parquet")
        )

    def read_manifest(self) -> dict[str, Any]:
        """The manifest (``{}`` if there is none); :class:`InputError` if it is damaged."""
        if not self.manifest_path.is_file():
            return {}
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except RecursionError:
            raise InputError(
                f"{self.manifest_path}: nested too deeply; expected the JSON manifest "
                "written by `longgame run`"
            ) from None
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
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
            raise InputError(
                f"{self.config_path}: unreadable ({exc}); expected the TOML config "
                "written by `longgame run`"
            ) from None

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        """Atomically replace ``manifest.json`` (:class:`WriteError` if the OS refuses)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(self.root, exc) from None
        atomic_write_text(self.manifest_path, json.dumps(manifest, indent=1, default=str) + "\n")

    def check_target(self, manifest: Mapping[str, Any]) -> None:
        """Refuse a folder that holds files longgame did not write (nothing is changed).

        ``manifest`` is the folder's manifest (``{}`` if it has none): the files it
        lists, the files of its runs, ``manifest.json``, ``.lock`` and the runner's
        temporaries are longgame's; anything else is the user's, and the runner neither
        deletes nor overwrites it, so it refuses the folder instead.
        """
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"--out {self.root}: is a file; expected a folder for results")
        foreign = self.foreign_files(manifest)
        if foreign:
            shown = ", ".join(foreign[:5]) + (
                f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
            )
            what = (
                "folder is not empty and holds no longgame results"
                if not manifest
                else "holds files that `longgame run` did not write (or that changed since)"
            )
            raise InputError(
                f"--out {self.root}: {what}: {shown}; expected a new or empty folder, or "
                "one written by `longgame run` (move those files away, or choose another --out)"
            )

    def check_fresh_target(self) -> None:
        """Refuse to clear a folder that holds files longgame did not write."""
        self.check_target(self.read_manifest() if self.exists() else {})

    def owned(self, manifest: Mapping[str, Any]) -> tuple[set[str], set[str]]:
        """Relative paths longgame wrote here: (listed in the manifest, its runs' files)."""
        listed = set(manifest.get("files") or {})
        run_ids = {str(r.get("run_id")) for r in manifest.get("runs") or [] if isinstance(r, dict)}
        return listed, run_ids

    def _is_owned(self, rel: str, manifest: Mapping[str, Any], run_ids: set[str]) -> bool:
        name = rel.rsplit("/", 1)[-1]
        if rel in (MANIFEST_FILE, LOCK_FILE) or (name.startswith(".") and name.endswith(".tmp")):
            return True
        files = manifest.get("files")
        legacy = bool(manifest) and files is None  # written before files were listed
        if rel.startswith(f"{RUNS_DIR}/") and rel.count("/") == 1:
            return name.split(".")[0] in run_ids or (
                legacy and bool(RUN_ID.match(name.split(".")[0]))
            )
        if manifest and rel in (CONFIG_FILE, SUMMARY_FILE):
            return True  # the runner's own data: damage there it repairs itself
        if legacy and is_output(rel):
            return True
        if manifest.get("outputs_pending") and is_output(rel):
            return True  # a drawing interrupted before it was recorded
        record = (files or {}).get(rel)
        if not isinstance(record, dict):
            return False
        try:
            return bool(
                file_digest(self.root / rel) == {k: record.get(k) for k in ("sha256", "bytes")}
            )
        except OSError:
            return False

    def foreign_files(self, manifest: Mapping[str, Any]) -> list[str]:
        """Files (relative paths, sorted) that longgame did not write in this folder."""
        if not self.root.is_dir():
            return []
        _, run_ids = self.owned(manifest)
        foreign: list[str] = []
        count = 0
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames.sort()
            base = Path(dirpath)
            for name in [*filenames, *(d for d in dirnames if (base / d).is_symlink())]:
                count += 1
                rel = self.relative(base / name)
                if not self._is_owned(rel, manifest, run_ids):
                    foreign.append(rel)
                if count > _SCAN_LIMIT or len(foreign) > 50:
                    return sorted(foreign)
        return sorted(foreign)

    def clear(self, manifest: Mapping[str, Any]) -> None:
        """Remove what this package wrote in the folder (for ``--fresh``): the files its
        manifest lists and its runs' files, then empty ``runs/`` and ``figures/``, then
        the manifest. Call :meth:`check_target` first: anything else is left alone."""
        _, run_ids = self.owned(manifest)
        doomed = [
            rel
            for rel in [*self.foreign_candidates()]
            if rel not in (MANIFEST_FILE, LOCK_FILE) and self._is_owned(rel, manifest, run_ids)
        ]
        try:
            for rel in doomed:
                (self.root / rel).unlink(missing_ok=True)
            for folder in (self.runs_dir, self.root / FIGURES_DIR):
                if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
                    folder.rmdir()
            self.manifest_path.unlink(missing_ok=True)
        except OSError as exc:
            raise WriteError(Path(exc.filename or self.root), exc) from None

    def foreign_candidates(self) -> Iterator[str]:
        """Every file (relative path) in the folder, depth first."""
        for dirpath, _, filenames in os.walk(self.root):
            for name in filenames:
                yield self.relative(Path(dirpath) / name)

    def damaged(self, manifest: Mapping[str, Any]) -> list[str]:
        """Listed data files (config, summary, runs) that are missing or changed."""
        files = manifest.get("files")
        if not isinstance(files, dict):
            return []  # an older manifest: nothing to check against
        problems = []
        for rel, record in sorted(files.items()):
            if is_output(rel):
                continue  # outputs: drawn again at will, never read as data
            path = self.root / rel
            try:
                found = file_digest(path)
            except FileNotFoundError:
                problems.append(f"{rel} is missing")
                continue
            except OSError as exc:
                problems.append(f"{rel} cannot be read ({exc.strerror or exc})")
                continue
            if not isinstance(record, dict) or found["sha256"] != record.get("sha256"):
                size = (
                    ""
                    if not isinstance(record, dict)
                    else (
                        f", {found['bytes']} bytes instead of {record.get('bytes')}"
                        if found["bytes"] != record.get("bytes")
                        else ""
                    )
                )
                problems.append(
                    f"{rel} is damaged (its checksum differs from the manifest's{size})"
                )
        return problems

    def repair_command(self, manifest: Mapping[str, Any]) -> str:
        """The command that repairs (resumes) this folder, as the manifest recorded it."""
        command = manifest.get("command")
        if isinstance(command, list) and all(isinstance(c, str) for c in command):
            return shlex.join(command)
        return shlex.join(["longgame", "run", "CONFIG", "--out", str(self.root)])

    def record_outputs(self, manifest: dict[str, Any]) -> None:
        """List the figures and report now in the folder as longgame's, and clear the
        ``outputs_pending`` flag (call under :meth:`lock`)."""
        files: dict[str, Any] = manifest.setdefault("files", {})
        for rel in list(files):
            if is_output(rel):
                del files[rel]
        candidates = [self.root / REPORT_FILE, self.root / SLIDES_FILE]
        figures = self.root / FIGURES_DIR
        if figures.is_dir():
            candidates += sorted(
                p for p in figures.iterdir() if p.is_file() and not p.name.startswith(".")
            )
        for path in candidates:
            if path.is_file():
                with contextlib.suppress(OSError):
                    files[self.relative(path)] = file_digest(path)
        manifest["outputs_pending"] = False
        self.write_manifest(manifest)

    @contextlib.contextmanager
    def drawing(self) -> Iterator[None]:
        """Draw figures or the report into the folder (under the lock): refuse if a
        figure or report there is not longgame's, mark the drawing as pending in the
        manifest, and list what was drawn afterwards (also if drawing failed)."""
        manifest = self.read_manifest()
        self.check_target(manifest)
        manifest["outputs_pending"] = True
        self.write_manifest(manifest)
        try:
            yield
        finally:
            self.record_outputs(manifest)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold an OS lock on ``.lock`` while writing, so two runs never write into one
        folder at once; a second one raises :class:`InputError` naming the holder.

        The lock is ``fcntl.flock`` on the open file (``msvcrt.locking`` on Windows): the
        OS releases it when the holding process exits or is killed, so there is no
        stale lock to guess about. The file holds the holder's pid and host, for the
        message only.
        """
        path = self.root / LOCK_FILE
        me = f"{os.getpid()} {socket.gethostname()}\n".encode()
        for _ in range(20):
            try:
                fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
            except OSError as exc:
                raise InputError(
                    f"--out {self.root}: cannot create {path} ({exc.strerror or exc}); "
                    "expected a writable folder"
                ) from None
            try:
                if not _try_lock(fd):
                    holder = _read_holder(fd)
                    raise InputError(
                        f"--out {self.root}: another longgame process (pid and host: "
                        f"{holder or 'unknown'}) is writing there; expected it to finish first"
                    )
                # the holder before us may have removed the file after we opened it:
                # then our lock is on a deleted file, so take the new one instead
                try:
                    same = os.path.samestat(os.fstat(fd), os.stat(path))
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
                os.ftruncate(fd, 0)
                os.write(fd, me)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.close(fd)
                raise
            break
        else:
            raise InputError(
                f"--out {self.root}: could not take {path}; expected a writable folder"
            )
        try:
            yield
        finally:
            # remove the file while still holding the lock, so that a competitor that
            # opened it meanwhile notices (above) that its lock is on a deleted file
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(fd)


def _try_lock(fd: int) -> bool:
    """Take an exclusive, non-blocking OS lock on ``fd``; False if another holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _read_holder(fd: int) -> str:
    with contextlib.suppress(OSError):
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    return ""


def unverified_ok(path: Path, run_id: str) -> bool:
    """Whether a run file not yet listed in the manifest (a kill came between writing it
    and the next manifest write) is whole and really belongs to ``run_id``."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception:  # any damage: pyarrow raises many kinds of errors
        return False
    metadata = table.schema.metadata or {}
    return metadata.get(b"longgame.run_id") == run_id.encode()
