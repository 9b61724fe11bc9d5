"""Fault injection, the lock: two real processes racing for one results folder never both
hold it, a lock's file content is not trusted, and a dead holder's lock is free."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from faults import env

from longgame.errors import InputError
from longgame.experiments.store import Store

#: Trials of the two-process race (the old lock lost about 1 in 300).
TRIALS = 300

_RACE = r"""
import json, os, sys, time
from longgame.errors import InputError
from longgame.experiments.store import Store

folder, trials = sys.argv[1], int(sys.argv[2])
inside = os.path.join(folder, "inside")
counts = {"one": 0, "both": 0, "none": 0}
for trial in range(trials):
    gate_r, gate_w = os.pipe()
    children = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:
            os.close(gate_w)
            os.read(gate_r, 1)  # both start together
            try:
                with Store(folder).lock():
                    try:
                        fd = os.open(inside, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                    except FileExistsError:
                        os._exit(3)  # the other process holds the lock too
                    time.sleep(0.002)
                    os.close(fd)
                    os.unlink(inside)
                os._exit(0)
            except InputError:
                os._exit(1)
        children.append(pid)
    os.close(gate_r)
    os.write(gate_w, b"go")
    os.close(gate_w)
    codes = sorted(os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in children)
    if 3 in codes:
        counts["both"] += 1
    elif 0 in codes:
        counts["one"] += 1
    else:
        counts["none"] += 1
print(json.dumps(counts))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="os.fork")
def test_two_processes_racing_never_both_hold_the_lock(tmp_path: Path) -> None:
    """In TRIALS races of two real processes for one folder, at most one holds the lock
    each time, and someone always gets it."""
    done = subprocess.run(
        [sys.executable, "-c", _RACE, str(tmp_path), str(TRIALS)],
        capture_output=True, text=True, env=env(), timeout=120, check=True,
    )  # fmt: skip
    counts = json.loads(done.stdout)
    assert counts == {"one": TRIALS, "both": 0, "none": 0}
    assert not (tmp_path / ".lock").exists()


def _holder(folder: Path) -> subprocess.Popen[str]:
    code = (
        "import sys, time\nfrom longgame.experiments.store import Store\n"
        "with Store(sys.argv[1]).lock():\n    print('held', flush=True)\n    time.sleep(60)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True, env=env()
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "held\n"
    return proc


def test_lock_with_empty_file_held_by_a_live_process_is_refused(tmp_path: Path) -> None:
    """A live holder whose lock file is still empty (the moment between creating it and
    writing the pid) keeps the folder: a competitor is refused."""
    holder = _holder(tmp_path)
    try:
        (tmp_path / ".lock").write_bytes(b"")  # as if the pid were not written yet
        with pytest.raises(InputError, match="another longgame process"), Store(tmp_path).lock():
            pass
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_holder_is_free_at_once(tmp_path: Path) -> None:
    """The OS releases the lock of a SIGKILLed holder: the next process takes it at once,
    even when the pid in the lock file now belongs to a live process (pid reuse)."""
    import os
    import socket

    holder = _holder(tmp_path)
    holder.kill()
    holder.wait()
    assert (tmp_path / ".lock").exists()  # left behind by the killed holder
    (tmp_path / ".lock").write_text(f"{os.getpid()} {socket.gethostname()}\n")  # reused pid
    with Store(tmp_path).lock():
        pid = (tmp_path / ".lock").read_text().split()[0]
    assert int(pid) != holder.pid
