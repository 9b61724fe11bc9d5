"""Fault injection, a full disk: a write that fails with ENOSPC gives one line naming the
path and the cause (exit 1, no traceback), leaves a manifest consistent with the files
on disk, and the next run resumes to the same results as an undisturbed run."""

from __future__ import annotations

import builtins
import errno
import json
from pathlib import Path
from typing import Any

import pytest
from faults import cli, run_files, write_config

import longgame._io as io_module
from longgame.experiments import load_results
from longgame.experiments.store import Store

#: Writes through the store in a clean toy run: manifest, config, 6 runs x 2 files, manifest,
#: summary, manifest.
WRITES = 17


class _FullDisk:
    """``open`` that lets the first ``allowed`` binary writes through, then fails."""

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed
        self.count = 0

    def __call__(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = builtins.open(file, mode, *args, **kwargs)  # noqa: SIM115 (returned to the caller)
        if "w" not in mode:
            return handle
        self.count += 1
        if self.count <= self.allowed:
            return handle
        original = handle.write

        def write(data: bytes) -> int:
            original(data[: len(data) // 2])  # half of it lands, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

        handle.write = write
        return handle


@pytest.fixture(autouse=True)
def _toy_models_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).parent))


def _run(config: Path, out: Path) -> tuple[int, str, str]:
    return cli(["run", str(config), "--out", str(out), "--workers", "1", "--no-report"])


@pytest.mark.parametrize("allowed", [0, 1, 2, 5, 11, WRITES - 3, WRITES - 2, WRITES - 1])
def test_full_disk_is_one_line_and_the_next_run_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allowed: int
) -> None:
    """ENOSPC at the n-th write: exit 1 with one line naming a path and the cause; the
    manifest on disk is whole and matches the files it lists; a rerun completes with
    run files identical to an undisturbed run."""
    config = write_config(tmp_path)
    clean = tmp_path / "clean"
    assert _run(config, clean)[0] == 0
    out = tmp_path / "out"
    full = _FullDisk(allowed)
    monkeypatch.setattr(io_module, "open", full, raising=False)
    code, _, err = _run(config, out)
    monkeypatch.undo()
    assert full.count > allowed, "the disk never filled up"
    assert code == 1, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "No space left on device" in lines[0]
    assert str(out) in lines[0]
    assert not list(out.rglob(".*.tmp"))  # no half-written file left behind
    if (out / "manifest.json").exists():
        manifest = json.loads((out / "manifest.json").read_text())
        assert Store(out).damaged(manifest) == []
    code, _, err = _run(config, out)
    assert code == 0, err
    assert run_files(out) == run_files(clean)
    assert load_results(out).complete
