"""The report as slides for a projector: one idea per screen, large type, keys to move.

:func:`render_slides` turns the same content as the report page (question, story,
figures, headlines, caveats) into one self-contained HTML file: a title slide with the
experiment's question and its claim (the story sentence), the story figure, each other
figure with its one-sentence headline, what we found, and what the numbers rest on.
Figures are inlined as base64 PNG; a Content-Security-Policy forbids loading anything
from outside the file, so the deck works offline and from a USB stick.

Keys: Right, Down, Space, Page Down and Enter go forward; Left, Up, Shift+Space, Page Up
and Backspace go back; Home and End jump to the first and last slide; a click on the
right two thirds of the screen goes forward, on the left third back. The slide number is
kept in the address (``slides.html#3``), so a reload stays on the slide. Without
scripts every slide is shown, one screen each, one under the other.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from longgame.plots._chart import Chart
from longgame.plots._load import ResultsLike
from longgame.report._headlines import headlines
from longgame.report._html import STORY, caveats, figure_notes, png_base64

__all__ = ["render_slides", "slide_headline"]

_CSS = """
html,body{margin:0;background:#fff;color:#1d1d1d;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
.slide{box-sizing:border-box;min-height:100vh;padding:3vh 4vw;display:flex;
flex-direction:column;justify-content:center;align-items:center;text-align:center;
border-bottom:1px solid #eee}
.deck .slide{display:none;height:100vh;border:0}.deck .slide.current{display:flex}
h1{font-size:clamp(34px,5.6vw,96px);margin:0 0 3vh;line-height:1.1}
h2{font-size:clamp(24px,3.2vw,56px);margin:0 0 2vh;line-height:1.15}
.question{font-size:clamp(22px,2.8vw,48px);font-style:italic;color:#333;max-width:82vw}
.claim{font-size:clamp(22px,2.6vw,44px);font-weight:600;max-width:82vw;margin-top:4vh}
.headline{font-size:clamp(18px,2.1vw,36px);max-width:86vw;margin:2vh 0 0}
img{max-width:94vw;max-height:76vh;object-fit:contain}
ul{text-align:left;max-width:84vw;font-size:clamp(18px,2.2vw,38px);line-height:1.35}
li{margin:.5em 0}ul.small{font-size:clamp(16px,1.7vw,28px)}
.meta{color:#777;font-size:clamp(14px,1.2vw,20px);margin-top:5vh}
#count{position:fixed;right:2vw;bottom:1.5vh;color:#999;font-size:18px;display:none}
.deck #count{display:block}
@media print{.deck .slide{display:flex;break-after:page}.deck #count{display:none}}
"""

_SCRIPT = """
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var count = document.getElementById("count");
  var current = 0;
  document.body.classList.add("deck");
  function show(n) {
    current = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach(function (slide, k) {
      slide.classList.toggle("current", k === current);
      slide.setAttribute("aria-hidden", k === current ? "false" : "true");
    });
    count.textContent = (current + 1) + " / " + slides.length;
    history.replaceState(null, "", "#" + (current + 1));
  }
  var forward = ["ArrowRight", "ArrowDown", "PageDown", "Enter"];
  var back = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];
  document.addEventListener("keydown", function (e) {
    var key = e.key;
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (forward.indexOf(key) >= 0 || (key === " " && !e.shiftKey)) { show(current + 1); }
    else if (back.indexOf(key) >= 0 || (key === " " && e.shiftKey)) { show(current - 1); }
    else if (key === "Home") { show(0); }
    else if (key === "End") { show(slides.length - 1); }
    else { return; }
    e.preventDefault();
  });
  document.addEventListener("click", function (e) {
    show(e.clientX > window.innerWidth / 3 ? current + 1 : current - 1);
  });
  var start = parseInt(location.hash.slice(1), 10);
  show(isNaN(start) ? 0 : start - 1);
})();
"""

# nothing may be loaded from outside the file: no fonts, images, scripts or requests
_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def slide_headline(chart: Chart) -> str:
    """The one sentence shown with a figure: its computed headline, else the first
    sentence of its caption.

    >>> from longgame.plots._chart import Chart
    >>> slide_headline(Chart("x", "T", "Profit per seller. Bands are 95% intervals.", None))
    'Profit per seller.'
    """
    if chart.headline:
        return chart.headline
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", chart.caption.strip(), maxsplit=1)[0]


def _slide(body: str, name: str) -> str:
    return f'<section class="slide" id="slide-{_esc(name)}">{body}</section>'


def _figure_slide(chart: Chart) -> str:
    # the figure carries its title: no heading repeats it, the figure gets the room
    return _slide(
        f'<img alt="{_esc(chart.title)}" src="data:image/png;base64,{png_base64(chart)}">'
        f'<p class="headline">{_esc(slide_headline(chart))}</p>',
        chart.name,
    )


def render_slides(results: ResultsLike, charts: Sequence[Chart]) -> str:
    """The whole slide deck as one HTML string (figures embedded)."""
    experiment = results.config.get("experiment", {})
    name = str(experiment.get("name", results.path.name))
    title = name.replace("-", " ").replace("_", " ").capitalize()
    question = str(experiment.get("description", "")).strip()
    stories = [c for c in charts if c.name == STORY]
    others = [c for c in charts if c.name != STORY]
    heads = headlines(results)
    claim = stories[0].headline if stories and stories[0].headline else (heads or [""])[0]
    runs = [r for r in results.manifest.get("runs", []) if r.get("status") == "done"]
    meta = f"{len(runs)} simulated runs; made with longgame" if runs else "made with longgame"
    opening = f"<h1>{_esc(title)}</h1>"
    if question:
        opening += f'<p class="question">{_esc(question)}</p>'
    if claim:
        opening += f'<p class="claim">{_esc(claim)}</p>'
    opening += f'<p class="meta">{_esc(meta)}</p>'
    slides = [_slide(opening, "title")]
    slides += [_figure_slide(c) for c in [*stories, *others]]
    found = heads + figure_notes(results)
    if found:
        items = "".join(f"<li>{_esc(h)}</li>" for h in found)
        slides.append(_slide(f"<h2>What we found</h2><ul>{items}</ul>", "found"))
    items = "".join(f"<li>{_esc(c)}</li>" for c in caveats(results))
    slides.append(
        _slide(f'<h2>What the numbers rest on</h2><ul class="small">{items}</ul>', "caveats")
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_esc(title)}: longgame slides</title>",
            f"<style>{_CSS}</style></head><body>",
            *slides,
            '<div id="count" aria-live="polite"></div>',
            f"<script>{_SCRIPT}</script>",
            "</body></html>",
        ]
    )
