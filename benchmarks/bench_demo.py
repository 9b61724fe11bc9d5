"""Benchmark of the flagship demo: ``longgame run`` now against an earlier commit.

Times ``longgame run experiments/fleecing-vs-fair.toml --out TMP --workers 1`` (100 runs of
3,000 customers x 200 steps, then the figures and the report) on this checkout (A) and on
a base commit (B, default ``4aae5d1``, the start of issue 17's second round) checked out
in a temporary ``git worktree``. Both run with this interpreter and its installed
dependencies; only ``PYTHONPATH`` (the tree's ``src``) and the working directory (the
tree, for its own copy of the config) differ, and each side first checks that it imports
``longgame`` from its own tree. Runs alternate A B, B A, ... into fresh folders; for each
the wall time and the CPU time of the child process (``RUSAGE_CHILDREN``, its own
workers included) are taken, and the ratio B / A of each pair; the median ratio is read
against the target (>= 2x, CPU).

Each demo is split in two at the modification time of ``summary.parquet``, written when
the last run has finished and before anything is drawn: the runs (wall time until then)
and the drawing of the figures and the report (wall time from then to the end of the
process). Both parts are printed for both sides, and the drawing's share of A's total
is read against its target (< 25%).

Run: ``python benchmarks/bench_demo.py [--base 4aae5d1] [--pairs 2] [--quick]``
(``--quick`` times the experiment's ``--quick`` version, to try the benchmark itself).
"""

from __future__ import annotations

import _common

# isort: split
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIG = "experiments/fleecing-vs-fair.toml"
ROOT = _common.HERE.parent


def _env(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree / "src")
    return env


def check_tree(tree: Path) -> None:
    """Fail unless ``longgame`` imports from ``tree`` with this interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", "import longgame; print(longgame.__file__)"],
        cwd=tree, env=_env(tree), capture_output=True, text=True, check=True,
    )  # fmt: skip
    got = Path(out.stdout.strip()).resolve()
    if not got.is_relative_to(tree.resolve()):
        raise SystemExit(f"{tree}: longgame imports from {got}, not from the tree")


def run_demo(tree: Path, out: Path, quick: bool) -> tuple[float, float, float]:
    """Wall seconds, child CPU seconds, and seconds spent drawing (wall) of one demo run."""
    cmd = [sys.executable, "-m", "longgame", "run", CONFIG, "--out", str(out), "--workers", "1"]
    if quick:
        cmd.append("--quick")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.time()
    proc = subprocess.run(cmd, cwd=tree, env=_env(tree), capture_output=True, text=True)
    end = time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not (out / "report.html").is_file():
        raise SystemExit(f"demo failed in {tree} (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    drawing = end - (out / "summary.parquet").stat().st_mtime
    return end - start, cpu, drawing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="4aae5d1", help="commit to compare with")
    ap.add_argument("--pairs", type=int, default=2, help="A/B pairs (alternating order)")
    ap.add_argument("--quick", action="store_true", help="time the --quick demo instead")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    base = work / "base"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(base), args.base],
        check=True,
    )
    try:
        for tree in (ROOT, base):
            check_tree(tree)
        times: dict[str, list[tuple[float, float, float]]] = {"A": [], "B": []}
        trees = {"A": ROOT, "B": base}
        for i in range(max(1, args.pairs)):
            for side in ("A", "B") if i % 2 == 0 else ("B", "A"):
                out = work / f"out-{side}-{i}"
                wall, cpu, drawing = run_demo(trees[side], out, args.quick)
                times[side].append((wall, cpu, drawing))
                print(
                    f"  pair {i + 1} {side} ({'this tree' if side == 'A' else args.base}): "
                    f"{wall:.1f} s wall, {cpu:.1f} s CPU; runs {wall - drawing:.1f} s, drawing "
                    f"{drawing:.1f} s wall ({drawing / wall:.0%}); {_common.machine()}",
                    flush=True,
                )
                shutil.rmtree(out, ignore_errors=True)
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False
        )
        shutil.rmtree(work, ignore_errors=True)
    pairs = list(zip(times["A"], times["B"], strict=True))
    cpu_ratio = statistics.median(b[1] / a[1] for a, b in pairs)
    wall_ratio = statistics.median(b[0] / a[0] for a, b in pairs)
    share = statistics.median(a[2] / a[0] for a in times["A"])
    base_share = statistics.median(b[2] / b[0] for b in times["B"])
    label = "quick demo" if args.quick else "demo"

    def median(side: str, part: str) -> float:
        """Median seconds of one part of a side's demos: the whole (wall or CPU), the
        runs (wall until summary.parquet is written) or the drawing (wall after it)."""
        pick = {
            "wall": lambda t: t[0],
            "cpu": lambda t: t[1],
            "runs": lambda t: t[0] - t[2],
            "drawing": lambda t: t[2],
        }[part]
        return statistics.median(pick(t) for t in times[side])

    print(
        f"{label} ({CONFIG}, --workers 1), median of {len(pairs)} alternating pairs: "
        f"this tree {median('A', 'cpu'):.1f} s CPU / {median('A', 'wall'):.1f} s wall, "
        f"{args.base} {median('B', 'cpu'):.1f} s CPU / {median('B', 'wall'):.1f} s wall; "
        f"speed-up {cpu_ratio:.2f}x CPU, {wall_ratio:.2f}x wall"
    )
    for part, words in (("runs", "runs (until summary.parquet)"),
                        ("drawing", "figures and report (after it)")):  # fmt: skip
        a, b = median("A", part), median("B", part)
        print(f"  {words}: this tree {a:.1f} s, {args.base} {b:.1f} s ({b / max(a, 1e-9):.2f}x)")
    print(f"  figures and report: {share:.0%} of the total now, {base_share:.0%} at {args.base}")
    _common.check(f"{label} vs {args.base}, CPU (median ratio)", cpu_ratio, 2)
    _common.check(f"{label}: figures and report share of wall time", share * 100, 25, "%",
                  at_most=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
