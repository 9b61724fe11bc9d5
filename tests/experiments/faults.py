"""Helpers shared by the fault-injection tests (``test_faults_*.py``)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Any

from longgame.experiments._toml import dumps

HERE = Path(__file__).parent
SRC = HERE.parents[1] / "src"


def toy_doc(**experiment: Any) -> dict[str, Any]:
    """A small, fast toy experiment: 3 points x 2 replicates."""
    return {
        "experiment": {
            "name": "toy",
            "model": "toy_runner_models:SPEC",
            "steps": 20,
            "replicates": 2,
            "seed": 5,
            **experiment,
        },
        "parameters": {"noise": 0.5},
        "sweep": {"drift": [0.0, 1.0, 2.0]},
    }


def write_config(folder: Path, doc: dict[str, Any] | None = None, name: str = "toy.toml") -> Path:
    """Write ``doc`` (default :func:`toy_doc`) as TOML into ``folder``."""
    path = folder / name
    path.write_text(dumps(doc or toy_doc()), encoding="utf-8")
    return path


def cli(argv: list[str]) -> tuple[int, str, str]:
    """Run ``longgame ARGV`` in this process: (exit code, stdout, stderr)."""
    from longgame.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue(), err.getvalue()


def env() -> dict[str, str]:
    """Environment for a subprocess that imports longgame and the toy models."""
    variables = dict(os.environ)
    variables["PYTHONPATH"] = os.pathsep.join(
        [str(SRC), str(HERE), variables.get("PYTHONPATH", "")]
    )
    return variables


def longgame(*args: str) -> list[str]:
    """The command line of ``longgame ARGS`` in a fresh interpreter."""
    return [sys.executable, "-m", "longgame", *args]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), ignoring the manifest's
    timestamps: the manifest is left out."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def run_files(folder: Path) -> dict[str, bytes]:
    """The run files of a results folder (name -> bytes)."""
    return {p.name: p.read_bytes() for p in sorted((folder / "runs").glob("*.parquet"))}
