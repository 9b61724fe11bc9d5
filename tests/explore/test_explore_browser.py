"""`longgame explore` in a real browser: serve, load, pick a scene, move a slider, play.

The server runs with solara's CDN pointed at a closed local port, so any asset not
installed locally (``solara-assets``) fails to load instead of being fetched; the test
also fails on any request that leaves this machine.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("solara")

from browser import ARGS, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless Chromium not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`longgame explore --no-browser` on a free port; yields its URL."""
    from longgame.explore._server import offline_environment

    port = _free_port()
    exe = Path(sys.executable).with_name("longgame")
    env = {**os.environ, **offline_environment()}
    proc = subprocess.Popen(
        [str(exe), "explore", "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the first line is the URL, printed once listening
        assert f"open {url}" in line, line
        urllib.request.urlopen(url, timeout=30).read()
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _svg_text(page: object, index: int) -> str:
    return str(page.eval_on_selector_all("svg", f"s => s[{index}] ? s[{index}].outerHTML : ''"))  # type: ignore[attr-defined]


def test_explore_plays_a_scene_offline(server: str, tmp_path: Path) -> None:
    """Pick scene 2, lower the come-back slider, Reset, play: charts and caption follow."""
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1150})
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server, wait_until="networkidle")
            caption = page.locator("#longgame-caption")
            caption.wait_for(timeout=60_000)
            assert caption.inner_text().startswith("Press")

            page.get_by_role("button", name="2. Customers come back").click()
            page.get_by_text("this market: 0.90").wait_for(timeout=20_000)
            assert "press ▶" in page.locator("svg").first.inner_html()
            page.screenshot(path=str(tmp_path / "explore-0.png"))

            # drag the come-back probability near its low end, then rebuild the model
            slider = page.locator(".v-input", has_text="Come-back probability").locator(".v-slider")
            box = slider.bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + 0.2 * box["width"], box["y"] + box["height"] / 2)
            page.get_by_role("button", name="Reset").click()
            page.get_by_text(re.compile(r"this market: 0\.[0-3]\d")).wait_for(timeout=20_000)

            page.get_by_role("button", name="▶").click()
            page.wait_for_function(
                "() => /after \\d{2,} periods/.test("
                "document.querySelector('#longgame-caption').innerText)",
                timeout=30_000,
            )
            page.get_by_role("button", name="❚❚").click()
            page.screenshot(path=str(tmp_path / "explore-1.png"))
            text = caption.inner_text()
            profit = page.locator("svg").first.inner_html()
        finally:
            browser.close()
    assert "below the break-even 0.69" in text
    assert "fleecers are ahead" in text  # nobody comes back often enough: fleecing pays
    assert profit.count("<polyline") >= 3
    assert "press ▶" not in profit
    assert "fleecers ahead for all" in profit
    assert errors == []
    outside = [u for u in requests if not u.startswith((server, "blob:", "data:"))]
    assert outside == [], "the page fetched something from outside this machine"
