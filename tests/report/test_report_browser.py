"""The report in a real browser: headless Chromium loads it from disk, every figure
renders and the console stays clean."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from longgame.report import write_report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))

from browser import ARGS, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless Chromium not installed at /usr/bin/chromium "
        "(apt-get install chromium chromium-driver)",
    ),
]


@pytest.mark.parametrize("folder", ["market2_dir", "learning_dir", "tournament_dir"])
def test_report_renders_in_chromium(folder: str, request: pytest.FixtureRequest) -> None:
    """Every <img> has a non-zero natural size and no console error or failed request."""
    sync_api = pytest.importorskip("playwright.sync_api")
    path = write_report(request.getfixturevalue(folder))
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.resolve().as_uri(), wait_until="load")
            widths = page.eval_on_selector_all(
                "img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)"
            )
            title = page.title()
        finally:
            browser.close()
    assert widths, "the report shows no figures"
    assert all(w > 0 for w in widths), widths
    assert errors == []
    external = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert external == [], "the report loads something from outside the file"
    assert "longgame report" in title
