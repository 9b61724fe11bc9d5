"""The report as slides (``longgame report --present``), and the drawing after a run:
the story first, progress lines, and slides.html kept as longgame's own file."""

from __future__ import annotations

import re
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import pytest

from longgame.cli import main
from longgame.cli._outputs import draw_outputs
from longgame.experiments import run_experiment
from longgame.plots import draw_figures
from longgame.plots._load import load
from longgame.report import headlines, write_slides
from longgame.report._present import slide_headline


class _Slides(HTMLParser):
    """Collects the slides' ids, their text, and every src/href in the page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.text: dict[str, str] = {}
        self.refs: list[str] = []
        self.metas: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section":
            self.ids.append(str(values.get("id")))
            self.text[self.ids[-1]] = ""
        if tag == "meta":
            self.metas.append(values)
        self.refs += [v for k, v in attrs if k in {"src", "href"} and v is not None]

    def handle_data(self, data: str) -> None:
        if self.ids:
            self.text[self.ids[-1]] += data


def _slides(folder: Path) -> _Slides:
    parser = _Slides()
    parser.feed(write_slides(folder).read_text(encoding="utf-8"))
    return parser


def test_slides_are_one_self_contained_file(market_dir: Path) -> None:
    """slides.html inlines every figure and forbids loading anything from outside."""
    slides = _slides(market_dir)
    assert slides.refs
    assert all(ref.startswith("data:image/png;base64,") for ref in slides.refs)
    (policy,) = [m for m in slides.metas if m.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in str(policy["content"])
    text = (market_dir / "slides.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", text)


def test_one_idea_per_slide_in_story_order(market_dir: Path) -> None:
    """Title and claim, the story, one slide per other figure, what we found, caveats."""
    charts = draw_figures(load(market_dir))
    slides = _slides(market_dir)
    expected = [
        "slide-title",
        "slide-story",
        *[f"slide-{c.name}" for c in charts if c.name != "story"],
        "slide-found",
        "slide-caveats",
    ]
    assert slides.ids == expected
    story = charts[0]
    assert story.headline in slides.text["slide-title"]  # the claim opens the deck
    assert "Does fleecing customers pay over the long run?" in slides.text["slide-title"]
    for chart in charts:
        assert slide_headline(chart) in slides.text[f"slide-{chart.name}"]
    for line in headlines(load(market_dir)):
        assert line in slides.text["slide-found"]


def test_figure_headline_is_one_sentence(market_dir: Path) -> None:
    """A figure without a computed headline shows the first sentence of its caption."""
    (chart,) = [c for c in draw_figures(load(market_dir)) if c.name == "long-run-profit"]
    assert chart.caption.startswith(slide_headline(chart))
    assert slide_headline(chart).count(". ") == 0
    assert len(slide_headline(chart)) < len(chart.caption)


def test_run_then_present(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A real run draws with progress lines and opens its report with the story;
    `longgame report --present` writes slides.html, which a resumed run accepts as its own."""
    config = {
        "experiment": {
            "name": "tiny",
            "description": "A tiny market.",
            "model": "market",
            "steps": 12,
            "replicates": 2,
            "seed": 1,
        },
        "parameters": {"customers": 150},
    }
    out = tmp_path / "tiny"
    run_experiment(
        config, out, workers=1, progress=True, outputs=partial(draw_outputs, progress=True)
    )
    err = capsys.readouterr().err
    from longgame._figures import FIGURE_NAMES

    assert f"figures: 1 of {len(FIGURE_NAMES)} (story)" in err
    assert "report.html: embedding" in err
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.index('id="story"') < page.index("What we found") < page.index('id="long-run')
    main(["report", str(out), "--present"])
    assert str(out / "slides.html") in capsys.readouterr().out
    run_experiment(config, out, workers=1, progress=False)  # resumes: not a foreign file
    assert (out / "slides.html").is_file()
