"""The documented recipe for a strategy in a file beside the config (PYTHONPATH=folder)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

STRATEGY = textwrap.dedent(
    '''
    import numpy as np
    from longgame.strategies import D, Strategy


    class Cooldown(Strategy):
        """Answers a fleecing with `patience` hard deals, then deals fair again."""

        name = "cooldown-beside-config"
        description = "After a defection, defects for `patience` rounds, then forgives."

        def __init__(self, *, patience: int = 2) -> None:
            self.patience = int(self._check_number("patience", patience, 1, integer=True))

        def init_state(self, n):
            return {"left": np.zeros(n, dtype=np.int64)}

        def decide(self, view, rng):
            left = view.state["left"]
            left[view.partner_last[:, 0] == D] = self.patience
            out = (left > 0).astype(np.int8)
            np.maximum(left - 1, 0, out=left)
            return out
    '''
)

CONFIG = """
[experiment]
name = "beside"
model = "tournament"
steps = 3
replicates = 2
seed = 1

[parameters]
strategies = ["my_strategies:Cooldown", "tit-for-tat", "fleecer"]
rounds = 20
repetitions = 2
"""


def test_strategy_module_beside_the_config_runs_with_worker_processes(tmp_path: Path) -> None:
    """With PYTHONPATH=<config folder>, 'module:Class' loads in validate and in spawned workers."""
    folder = tmp_path / "experiments"
    folder.mkdir()
    (folder / "my_strategies.py").write_text(STRATEGY, encoding="utf-8")
    config = folder / "beside.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(folder)}
    cli = [sys.executable, "-m", "longgame"]
    checked = subprocess.run(
        [*cli, "validate", str(config)], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert checked.returncode == 0, checked.stderr
    assert "plugins imported (their code ran): my_strategies:Cooldown" in checked.stdout
    out = tmp_path / "results"
    done = subprocess.run(
        [*cli, "run", str(config), "--out", str(out), "--workers", "2", "--no-report"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in manifest["runs"]] == ["done", "done"]
    assert manifest["workers"] == 2
    without = subprocess.run(
        [*cli, "validate", str(config)],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        cwd=tmp_path,
    )
    assert without.returncode == 2
    assert "cannot import module 'my_strategies'" in without.stderr
