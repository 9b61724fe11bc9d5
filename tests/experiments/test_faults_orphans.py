"""Fault injection, killed runs: after SIGKILL or SIGTERM of `longgame run` no worker
process outlives it by more than a few seconds, and SIGTERM is handled like Ctrl-C
(manifest updated, one line, exit 143)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faults import env, longgame, run_files, toy_doc, write_config

from longgame.experiments import run_experiment

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

#: Seconds within which workers must follow their killed parent.
GRACE = 5.0


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _start(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, set[int]]:
    """`longgame run` with two workers on slow runs; returns once runs are saved."""
    doc = toy_doc(replicates=6)
    doc["parameters"]["sleep"] = 0.1
    config = write_config(tmp_path, doc)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        longgame("run", str(config), "--out", str(out), "--workers", "2", "--no-report"),
        env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("runs/*.spells.parquet"))) < 2:
        time.sleep(0.02)
    helpers = _children(proc.pid)  # the fork server (and multiprocessing's resource tracker)
    forked = set().union(*(_children(pid) for pid in helpers))
    assert len(forked) >= 2, (helpers, forked)  # the workers, forked from the fork server
    return proc, out, helpers | forked


def _wait_gone(workers: set[int]) -> float:
    start = time.monotonic()
    while _alive(workers) and time.monotonic() - start < GRACE:
        time.sleep(0.05)
    return time.monotonic() - start


def test_workers_exit_soon_after_their_parent_is_sigkilled(tmp_path: Path) -> None:
    """SIGKILL of the main process only: every worker exits within GRACE seconds."""
    proc, _, workers = _start(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    took = _wait_gone(workers)
    left = _alive(workers)
    for pid in left:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} workers alive {took:.1f} s after the parent died"


def test_sigterm_is_handled_like_ctrl_c(tmp_path: Path) -> None:
    """SIGTERM: one line on stderr, exit 143, manifest 'interrupted', no worker left, and
    the resumed folder matches an uninterrupted run byte for byte."""
    proc, out, workers = _start(tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("terminated (SIGTERM): ")
    assert "run the same command again to resume" in lines[0]
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    _wait_gone(workers)
    assert not _alive(workers)
    config = tmp_path / "toy.toml"
    again = subprocess.run(
        longgame("run", str(config), "--out", str(out), "--workers", "2", "--no-report"),
        env=env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        whole = run_experiment(str(config), tmp_path / "whole", workers=2, progress=False)
    finally:
        sys.path.remove(str(Path(__file__).parent))
    assert whole.complete
    assert run_files(out) == run_files(tmp_path / "whole")
