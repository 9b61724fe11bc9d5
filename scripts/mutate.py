"""Mutation testing of longgame's core modules with mutmut; prints a score per module.

Each module is mutated in its own scratch copy of the project (build/mutate/<key>/) and
only its own tests (and its doctests) run against each mutant, so one module takes a few
minutes on two cores. Not part of CI: run it (``make mutate``) before resolving an issue
that touches these modules, and report the score.

Score = killed / (mutants - listed equivalent mutants); a timeout counts as killed, a
mutant no selected test reaches counts as surviving. Equivalent mutants (a change that no
test can observe, e.g. a keyword argument set to its own default) are listed with the
reason in scripts/mutate-equivalent.toml, matched by module, function and the mutated
line before and after (so the list survives renumbering), and where the same edit occurs
twice in a function, by the line above it (key ``after``).

Usage::

    python scripts/mutate.py                     # the core modules
    python scripts/mutate.py play market-trust   # chosen modules
    python scripts/mutate.py --list              # the modules it knows
    python scripts/mutate.py --report-only play  # rescore the last run (after editing the list)

Survivors with their diffs go to build/mutate/<key>/survivors.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "mutate"
EQUIVALENT = ROOT / "scripts" / "mutate-equivalent.toml"
GOAL = 90.0

#: module key -> (source file, the tests that exercise it); doctests of the file run too.
MODULES: dict[str, tuple[str, list[str]]] = {
    "games-analysis": (
        "src/longgame/games/analysis.py",
        ["tests/games/test_games_analysis.py"],
    ),
    "strategies-classic": (
        "src/longgame/strategies/classic.py",
        ["tests/strategies/test_strategies_builtins.py"],
    ),
    "play": ("src/longgame/play.py", ["tests/play/test_play_engine.py"]),
    "automata": ("src/longgame/_automata.py", ["tests/play/test_play_automata.py"]),
    "analysis-retention": (
        "src/longgame/analysis/retention.py",
        ["tests/analysis/test_analysis_retention.py"],
    ),
    # the market's mechanisms and the runner's store: run them by name
    "market-trust": (
        "src/longgame/models/market/_trust.py",
        ["tests/models/market/test_market_components.py"],
    ),
    "market-exchange": (
        "src/longgame/models/market/_exchange.py",
        [
            "tests/models/market/test_market_components.py",
            # the numpy rules are the kernels' reference, held equal bit for bit
            "tests/models/market/test_market_kernels.py",
        ],
    ),
    "market-turnover": (
        "src/longgame/models/market/_turnover.py",
        ["tests/models/market/test_market_components.py"],
    ),
    "market-acquisition": (
        "src/longgame/models/market/_acquisition.py",
        [
            "tests/models/market/test_market_components.py",
            "tests/models/market/test_market_kernels.py",
            # offers valued by beliefs and over-promising go through this module's rule
            "tests/models/market/test_market_reputation.py",
            "tests/models/market/test_market_seller_value.py",
        ],
    ),
    "market-wordofmouth": (
        "src/longgame/models/market/_wordofmouth.py",
        [
            "tests/models/market/test_market_components.py",
            "tests/models/market/test_market_kernels.py",
            "tests/models/market/test_market_retelling.py",
        ],
    ),
    "experiments-store": (
        "src/longgame/experiments/store.py",
        ["tests/experiments/test_experiments_runner.py"],
    ),
}
CORE = ["games-analysis", "strategies-classic", "play", "automata", "analysis-retention"]

KILLED = {1, 3, 36, -24, 24, 152, 255, 37}  # test failure, pytest error, timeouts


def _mutmut_section(source: str, tests: list[str]) -> str:
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = [{json.dumps(source)}]\n"
        f"pytest_add_cli_args_test_selection = {json.dumps([*tests, source])}\n"
        'pytest_add_cli_args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-x"]\n'
    )


def prepare(key: str) -> Path:
    """A fresh scratch copy of src/, tests/ and pyproject.toml for mutating one module."""
    source, tests = MODULES[key]
    work = BUILD / key
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "src", work / "src", ignore=ignore)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (work / "pyproject.toml").write_text(text + _mutmut_section(source, tests), encoding="utf-8")
    return work


def run(key: str, workers: int) -> float:
    """Run mutmut on one module in its scratch copy; return the seconds it took."""
    work = prepare(key)
    mutmut = Path(sys.executable).with_name("mutmut")
    start = time.monotonic()
    with (work / "run.log").open("w") as log:
        proc = subprocess.run(
            [str(mutmut), "run", "--max-children", str(workers)],
            cwd=work,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "MPLBACKEND": "Agg",
                "PYTHONDONTWRITEBYTECODE": "1",
                "HYPOTHESIS_PROFILE": "mutate",
            },
            check=False,
        )
    if proc.returncode != 0:
        tail = (work / "run.log").read_text(errors="replace")[-2000:]
        raise SystemExit(f"mutmut failed on {key} (exit {proc.returncode}):\n{tail}")
    return time.monotonic() - start


def _changed_lines(diff: str) -> tuple[str, str]:
    old = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("-") and ln[1:2] != "-"]
    new = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and ln[1:2] != "+"]
    return " / ".join(old), " / ".join(new)


def _context(diff: str) -> str:
    """The unchanged line just above the first mutated line (to tell apart equal edits)."""
    before = ""
    for ln in diff.splitlines():
        if ln.startswith(("---", "+++", "@@")):
            continue
        if ln.startswith(("-", "+")):
            return before
        before = ln[1:].strip()
    return before


def _function(mutant: str) -> str:
    # longgame.play.x_play_matches__mutmut_12 -> play_matches; xǁClassǁmethod -> Class.method
    tail = mutant.rsplit(".", 1)[-1].rsplit("__mutmut_", 1)[0]
    if tail.startswith("xǁ"):
        return ".".join(p for p in tail[2:].split("ǁ") if p)
    return tail.removeprefix("x_")


def _equivalents(key: str) -> list[dict[str, str]]:
    if not EQUIVALENT.exists():
        return []
    data = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    return [e for e in data.get("equivalent", []) if e["module"] == key]


def report(key: str) -> dict[str, object]:
    """Score one module's last run (in a child process: mutmut reads config from cwd)."""
    out = subprocess.run(
        [sys.executable, __file__, "--_score", key],
        cwd=BUILD / key,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"scoring {key} failed:\n{out.stderr[-2000:]}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _score_here(key: str) -> None:
    """Child process, cwd = the module's scratch copy: print the score as one JSON line."""
    sys.path.insert(0, str(Path.cwd()))
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    source, _ = MODULES[key]
    data = SourceFileMutationData(path=Path(source))
    data.load()
    equivalents = _equivalents(key)
    used: set[int] = set()
    killed = survived = no_tests = equivalent = 0
    lines = []
    for name, code in sorted(data.exit_code_by_key.items()):
        if code in KILLED:
            killed += 1
            continue
        diff = get_diff_for_mutant(name, path=Path(source))
        old, new = _changed_lines(diff)
        func = _function(name)
        above = _context(diff)
        match = next(
            (
                i
                for i, e in enumerate(equivalents)
                if e["function"] == func
                and e["from"] == old
                and e["to"] == new
                and e.get("after", above) == above
            ),
            None,
        )
        if match is not None:
            equivalent += 1
            used.add(match)
            continue
        if code == 33 or code == 5:
            no_tests += 1
        else:
            survived += 1
        lines.append(f"== {name} (exit {code})\n{diff}\n")
    total = len(data.exit_code_by_key)
    considered = total - equivalent
    score = 100.0 * killed / considered if considered else 100.0
    (Path.cwd() / "survivors.txt").write_text("".join(lines), encoding="utf-8")
    stale = [e for i, e in enumerate(equivalents) if i not in used]
    print(
        json.dumps(
            {
                "module": key,
                "mutants": total,
                "killed": killed,
                "survived": survived,
                "no_tests": no_tests,
                "equivalent": equivalent,
                "score": round(score, 1),
                "stale_equivalents": len(stale),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="module keys (default: the core modules)")
    parser.add_argument("--workers", type=int, default=2, help="parallel mutants (default 2)")
    parser.add_argument("--list", action="store_true", help="list module keys and exit")
    parser.add_argument("--report-only", action="store_true", help="rescore the last run")
    parser.add_argument("--_score", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._score:
        _score_here(args._score)
        return 0
    if args.list:
        for key, (source, tests) in MODULES.items():
            print(f"{key:22} {source}  <- {', '.join(tests)}{'  (core)' if key in CORE else ''}")
        return 0
    keys = args.modules or CORE
    unknown = [k for k in keys if k not in MODULES]
    if unknown:
        print(f"mutate: unknown module(s) {', '.join(unknown)}; see --list", file=sys.stderr)
        return 2
    rows = []
    for key in keys:
        took = 0.0 if args.report_only else run(key, args.workers)
        row = report(key)
        row["seconds"] = round(took)
        rows.append(row)
        print(
            f"{key:22} {row['score']:5.1f}%  killed {row['killed']}/"
            f"{int(row['mutants']) - int(row['equivalent'])} "  # type: ignore[call-overload]
            f"(survived {row['survived']}, no tests {row['no_tests']}, "
            f"equivalent {row['equivalent']}) in {row['seconds']} s",
            flush=True,
        )
        if row["stale_equivalents"]:
            print(f"{'':22} note: {row['stale_equivalents']} listed equivalent(s) not found")
    below = [r["module"] for r in rows if float(r["score"]) < GOAL]  # type: ignore[arg-type]
    print(f"survivors: {BUILD}/<module>/survivors.txt; goal >= {GOAL:g}% per module")
    if below:
        print(f"below the goal: {', '.join(map(str, below))}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
