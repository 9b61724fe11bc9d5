"""Run every canned experiment in full and record its headline answer.

The answers go to tests/experiments/full_answers.toml, with the exact command that
produced each; tests/experiments/test_experiments_smoke.py runs each config with
``--quick`` and asserts that its answer (longgame.report.headline_answer) is the same.

Usage (from the repository root, with the test environment):

    .venv/bin/python scripts/record-full-answers.py [NAME ...] [--results DIR] [--reuse]

NAME limits the run to some experiments (the others keep their recorded answers).
Full runs take from about 15 s to several minutes each. --reuse reads folders already
in DIR (a resumed `longgame run` of the same config skips finished runs anyway).

An entry may carry ``quick_matches = false`` and ``quick_note`` (why), added by hand
after measuring that no quick setting under about 20 s keeps the answer; re-recording
keeps both, and the test then skips that experiment's comparison (only for the names
it lists in QUICK_MISMATCHES).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "tests" / "experiments" / "full_answers.toml"
HEADER = """\
# Headline answers of the full runs of the canned experiments (longgame.report.headline_answer).
# Written by scripts/record-full-answers.py; do not edit the answers by hand. Each quick
# run (`longgame run CONFIG --quick`) must give the same answer
# (tests/experiments/test_experiments_smoke.py), except where an entry says
# quick_matches = false, with the measured reason in quick_note.

"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="experiments to (re)record (default: all)")
    parser.add_argument("--results", type=Path, default=ROOT / "results" / "full-answers")
    parser.add_argument("--reuse", action="store_true", help="do not run; read DIR/NAME")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    from longgame.experiments import load_results
    from longgame.experiments._toml import dumps
    from longgame.report import headline_answer

    configs = sorted((ROOT / "experiments").glob("*.toml"))
    names = args.names or [p.stem for p in configs]
    recorded = tomllib.loads(ANSWERS.read_text(encoding="utf-8")) if ANSWERS.is_file() else {}
    for name in names:
        config = ROOT / "experiments" / f"{name}.toml"
        if not config.is_file():
            print(f"{config}: no such canned experiment", file=sys.stderr)
            return 2
        out = args.results / name
        command = [
            "longgame", "run", f"experiments/{name}.toml", "--out", str(out),
            "--workers", str(args.workers), "--no-report",
        ]  # fmt: skip
        if not args.reuse:
            print("$", " ".join(command), flush=True)
            subprocess.run([sys.executable, "-m", "longgame", *command[1:]], cwd=ROOT, check=True)
        results = load_results(out)
        kept = {k: v for k, v in recorded.get(name, {}).items() if k.startswith("quick_")}
        recorded[name] = {
            "command": " ".join(c for c in command if c not in ("--out", str(out))),
            "git_commit": results.manifest.get("git_commit") or "",
            "seed": results.manifest["root_seed"],
            "runs": len(results.manifest.get("runs", [])),
            "answer": headline_answer(results),
            **kept,
        }
        print(name, recorded[name]["answer"], flush=True)
    ordered = {k: recorded[k] for k in sorted(recorded)}
    ANSWERS.write_text(HEADER + dumps(ordered), encoding="utf-8")
    print(f"wrote {ANSWERS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
