"""Benchmark of `longgame explore`: rendered steps per second with 3,000 customers.

1. Server side: one frame of scene 3 (customers talk: 9 sellers, 3,000 customers, word
   of mouth) is a model step, the quiet twin's step for the caption, and every chart's
   SVG; timed over 200 frames.
2. In the browser (if /usr/bin/chromium exists): the real page served by
   ``longgame explore``, scene 3 playing for 8 seconds in headless Chromium; the step
   counter SolaraViz shows ("Time: N") gives the steps rendered per second, including
   the pause between steps (``PLAY_INTERVAL_MS``), the websocket and the browser's redraw.

Target: >= 10 rendered steps per second in the browser (a room sees smooth motion).
An absolute figure (no reference ratio): it is what the audience sees.

Run: ``python benchmarks/bench_explore.py [--seconds 8]``.
"""

from __future__ import annotations

import _common  # first: one BLAS thread, src on the path

# isort: split
import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SCENE = "3. Customers talk (law of 250)"


def server_side(frames: int = 200) -> float:
    """Frames per second of step + twin step + all charts and the caption (no browser)."""
    from longgame.explore._scenes import SCENE_BY_KEY
    from longgame.explore.app import components

    scene = SCENE_BY_KEY["talk"]
    model = scene.make()
    charts = [c for c, _ in components(scene)]
    model.run_for(5)
    t0 = time.perf_counter()
    for _ in range(frames):
        model.step()
        scene.caption(model)
        for chart in charts:
            chart(model)
    return frames / (time.perf_counter() - t0)


def _steps(page: object) -> float:
    text = page.inner_text("body")  # type: ignore[attr-defined]
    found = re.search(r"Time: ([\d.]+)", text)
    return float(found.group(1)) if found else float("nan")


def in_browser(seconds: float) -> float | None:
    """Rendered steps per second of the served page in headless Chromium."""
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    from longgame.explore._server import offline_environment

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("longgame")
    proc = subprocess.Popen(
        [str(exe), "explore", "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, **offline_environment()},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        assert proc.stdout is not None
        proc.stdout.readline()
        urllib.request.urlopen(url, timeout=30).read()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1150})
            page.goto(url, wait_until="networkidle")
            page.locator("#longgame-caption").wait_for(timeout=60_000)
            page.get_by_role("button", name=SCENE).click()
            page.get_by_text("this market: 0.90").wait_for(timeout=20_000)
            page.get_by_role("button", name="▶").click()
            time.sleep(2.0)  # warm-up
            s0, t0 = _steps(page), time.perf_counter()
            time.sleep(seconds)
            s1, t1 = _steps(page), time.perf_counter()
            page.get_by_role("button", name="❚❚").click()
            browser.close()
        return (s1 - s0) / (t1 - t0)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    fps = server_side()
    print(f"server side, scene 3 with 3,000 customers: {fps:,.0f} frames/s "
          f"({1000 / fps:.1f} ms per step + caption + charts)")  # fmt: skip
    rate = in_browser(args.seconds)
    if rate is None:
        print("browser: skipped (no /usr/bin/chromium)")
        print("  SKIP  explore rendered steps/s in Chromium: not measured (no /usr/bin/chromium)")
        return 0
    print(f"in headless Chromium: {rate:.1f} rendered steps/s")
    _common.check("explore rendered steps/s in headless Chromium", rate, 10, "/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
