"""Run every benchmark in this folder (``make bench``) and sum up their targets.

Each ``bench_*.py`` prints its own numbers and a ``PASS``/``MISS`` line per target
(``_common.check``); this script shows their output as it comes, then a final table of
every target with its verdict, and the machine's load at the start and at the end
(the benchmarks measure CPU time and alternate the sides they compare, but a loaded
machine still slows what depends on wall time: process start-up, parallel speed-up).

Run: ``python benchmarks/run.py [NAME ...]`` (names such as ``tournament`` pick
benchmarks; default all).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import _common

VERDICT = re.compile(r"^\s*(PASS|MISS|SKIP)\s+(.*)$")


def main() -> int:
    """Run the benchmarks; exit 1 if one of them crashed (a MISS is not a crash)."""
    here = Path(__file__).parent
    picked = sys.argv[1:]
    benches = [
        b for b in sorted(here.glob("bench_*.py")) if not picked or any(p in b.stem for p in picked)
    ]
    start = _common.machine()
    print(f"machine at start: {start}", flush=True)
    rows: list[tuple[str, str, str]] = []
    failed = []
    for bench in benches:
        print(f"\n### {bench.name}", flush=True)
        proc = subprocess.Popen(
            [sys.executable, str(bench)], stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            match = VERDICT.match(line)
            if match:
                rows.append((bench.stem.removeprefix("bench_"), match[1], match[2].strip()))
        if proc.wait() != 0:
            failed.append(bench.name)
            rows.append((bench.stem.removeprefix("bench_"), "FAIL", "crashed (see above)"))
    print("\n### targets")
    width = max((len(r[0]) for r in rows), default=5)
    for name, verdict, text in rows:
        print(f"{verdict:4}  {name:{width}}  {text}")
    passed = sum(v == "PASS" for _, v, _ in rows)
    print(f"{passed} of {len(rows)} targets met")
    print(f"machine at start: {start}")
    print(f"machine at end:   {_common.machine()}")
    if failed:
        print(f"crashed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
