"""Run every benchmark in this folder (``make bench``); each prints its own numbers and ratios."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    failed = []
    for bench in sorted(here.glob("bench_*.py")):
        print(f"\n### {bench.name}", flush=True)
        if subprocess.call([sys.executable, str(bench), *sys.argv[1:]]) != 0:
            failed.append(bench.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
