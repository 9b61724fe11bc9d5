"""The slides in a real browser: headless Chromium opens slides.html from disk, one slide
shows at a time, the keys move between them, and nothing is fetched from anywhere."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from longgame.report import write_slides

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

_VISIBLE = "() => [...document.querySelectorAll('.slide')].filter(s => s.offsetParent !== null)"


def test_keys_move_through_the_slides(market_dir: Path, tmp_path: Path) -> None:
    """ArrowRight, Space, PageDown, PageUp, End and Home each show the expected slide,
    exactly one at a time, its figure loaded; no request leaves the file, no error."""
    sync_api = pytest.importorskip("playwright.sync_api")
    path = write_slides(market_dir)
    errors: list[str] = []
    requests: list[str] = []
    seen: list[tuple[list[str], int, str]] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.resolve().as_uri(), wait_until="load")
            total = page.eval_on_selector_all(".slide", "s => s.length")

            def look() -> None:
                ids = page.evaluate(f"({_VISIBLE})().map(s => s.id)")
                width = page.evaluate(
                    f"({_VISIBLE})().map(s => s.querySelector('img'))"
                    ".map(i => i ? i.naturalWidth : -1)[0]"
                )
                seen.append((ids, width, page.inner_text("#count")))

            look()
            for key in ["ArrowRight", "Space", "PageDown", "PageUp", "End", "Home"]:
                page.keyboard.press(key)
                look()
            page.screenshot(path=str(tmp_path / "title.png"))
        finally:
            browser.close()
    order = [ids[0] for ids, _, _ in seen]
    assert all(len(ids) == 1 for ids, _, _ in seen), seen  # one slide at a time
    assert order[0] == "slide-title"
    assert order[1] == "slide-story"  # the story comes right after the title
    assert order[2] != order[1]
    assert order[3] != order[2]
    assert order[4] == order[2]  # PageUp goes back one
    assert order[5] == "slide-caveats"  # End: the last slide
    assert order[6] == "slide-title"  # Home: the first
    assert seen[1][1] > 0, "the story figure did not load"
    assert seen[0][2] == f"1 / {total}"
    assert seen[5][2] == f"{total} / {total}"
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
