"""The report page: question, setup in plain words, headlines, figures, caveats.

One self-contained HTML file: inline CSS, figures as base64 PNG ``data:`` URIs, no
scripts, fonts or links to anything outside the file, so it opens offline and can be
mailed as one attachment.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from typing import Any

from longgame.plots._chart import Chart
from longgame.plots._data import model_name, select, swept_values
from longgame.plots._load import ResultsLike
from longgame.plots._style import DPI, group_label, in_sentence, param_label, value_label
from longgame.plots.long_run import window_words
from longgame.report._headlines import (
    compared_pair,
    group_strategies,
    headline_point,
    headlines,
)

__all__ = ["STORY", "caveats", "figure_notes", "png_base64", "render_html", "setup_lines"]

#: The name of the story figure, which opens the report.
STORY = "story"

_MODEL_WORDS = {
    "market": (
        "A simulated market: sellers, each following one strategy, keep books of customer "
        "relationships. Each period customers decide whether to buy again, trust rises "
        "slowly after fair deals and falls fast after bad ones, unhappy customers leave "
        "and warn others (word of mouth), and sellers pay to win new customers."
    ),
    "tournament": (
        "A round-robin tournament: every strategy plays a repeated game against every "
        "other, then the population shifts towards the strategies that scored well "
        "(ecological dynamics)."
    ),
    "learning": (
        "Learning populations: players from two populations are matched again and again in "
        "a stage game and gradually shift towards the actions that paid them more."
    ),
}

_MODEL_CAVEATS = {
    "market": [
        "The market is stylised: one product, fixed prices and margins per strategy, and "
        "customers who judge each deal by its surplus. Real markets add competition on "
        "price, contracts and switching costs.",
        "Fleecing pays more where customers rarely come back, cannot tell sellers apart, "
        "or never talk to each other, and where new customers are cheap to win. The "
        "one-shot-market experiment shows that case.",
    ],
    "tournament": [
        "Tournament results depend on which strategies are entered and on the noise level: "
        "a strategy that wins against this field can lose against another.",
    ],
    "learning": [
        "The learning rule and its speed change how fast populations move, not where a "
        "game with a dominant strategy ends up; games with several equilibria can end at "
        "different ones from different starts.",
    ],
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
max-width:1100px;margin:2em auto;padding:0 1.2em;line-height:1.5;color:#222;font-size:18px}
h1{font-size:2.1em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:2px solid #ddd}
.question{font-size:1.35em;color:#333;font-style:italic}
.headlines li{font-size:1.2em;margin:.5em 0}
figure{margin:2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#444;font-size:.95em;margin-top:.4em}
table{border-collapse:collapse;margin:.6em 0}td,th{padding:.25em .8em;border-bottom:1px solid #eee;
text-align:left;vertical-align:top}th{background:#f6f6f6}
.meta{color:#666;font-size:.85em}
.story{font-size:1.3em;font-weight:600;margin:.6em 0 0}.note{color:#444}
"""


#: Resolution of the figures embedded in the page: that of the PNG files in figures/,
#: so that after a run the page embeds those files rather than drawing them again
#: (about 2 MB for seven figures; sharp on a 1920-pixel projector).
EMBED_DPI = DPI


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(_flatten(value, dotted + "."))
        else:
            out.append((dotted, value))
    return out


def _sellers_words(sellers: list[Any] | dict[str, Any]) -> str:
    if isinstance(sellers, dict):  # {"fair-dealer" = 5, ...}
        return ", ".join(f"{n} x {group_label(str(name))}" for name, n in sellers.items())
    parts = []
    for seller in sellers:
        if isinstance(seller, dict) and "strategy" in seller:
            count = seller.get("count", 1)
            parts.append(f"{count} x {group_label(str(seller['strategy']))}")
        else:
            parts.append(str(seller))
    return ", ".join(parts)


def _values_words(values: Sequence[Any]) -> str:
    shown = [value_label(v) for v in values]
    if len(shown) > 8:
        shown = [*shown[:3], "...", *shown[-2:]]
    return ", ".join(shown)


def setup_lines(results: ResultsLike) -> tuple[list[str], list[tuple[str, str]]]:
    """The setup in plain words: sentences, and (parameter, value) rows of the fixed
    parameters."""
    config = results.config
    experiment = config.get("experiment", {})
    model = model_name(results)
    lines = []
    if model in _MODEL_WORDS:
        lines.append(_MODEL_WORDS[model])
    steps = experiment.get("steps")
    replicates = experiment.get("replicates")
    unit = "rounds" if model == "learning" else "periods"
    if steps and replicates:
        lines.append(
            f"Each run lasts {steps} {unit}; every setting was run {replicates} times with "
            f"independent random seeds (root seed {experiment.get('seed', 'unrecorded')})."
        )
    if results.swept:
        parts = [
            f"{in_sentence(param_label(k))} ({_values_words(swept_values(results, k))})"
            for k in results.swept
        ]
        n_points = len(results.manifest.get("points", [])) or None
        text = "We varied the " + " and the ".join(parts)
        if n_points:
            text += f": {n_points} settings"
            if replicates:
                text += f", {n_points * int(replicates)} runs"
        lines.append(text + ".")
    lines.append(
        f"Long-run values are averages over {window_words(results)} of each run; "
        "confidence intervals (95%) are across the repeated runs."
    )
    rows = []
    sellers = config.get("parameters", {}).get("sellers")
    if isinstance(sellers, dict) and all(isinstance(v, int) for v in sellers.values()):
        rows.append(("Sellers", _sellers_words(sellers)))
    for key, value in _flatten(config.get("parameters", {})):
        if key == "sellers" and isinstance(value, list):
            rows.append(("Sellers", _sellers_words(value)))
        elif key.startswith("sellers."):  # the {name = count} table form, flattened
            continue
        elif key == "strategies" and isinstance(value, list):
            names = [v.get("name", v) if isinstance(v, dict) else v for v in value]
            rows.append(("Strategies", ", ".join(group_label(str(n)) for n in names)))
        elif isinstance(value, list):
            rows.append((param_label(key), ", ".join(value_label(v) for v in value)))
        else:
            rows.append((param_label(key), value_label(value)))
    return lines, rows


def caveats(results: ResultsLike) -> list[str]:
    """What the numbers rest on and what would change them, partly computed from the
    results (replicates, failed runs, overlapping confidence intervals)."""
    out = [
        "These are simulations of a simplified world: they show what follows from the "
        "assumptions in the setup, not a forecast for any real business."
    ]
    out += _MODEL_CAVEATS.get(model_name(results), [])
    manifest = results.manifest
    if manifest.get("quick"):
        out.append(
            "This was a quick run (--quick): a smaller market, fewer periods and replicates. "
            "Rerun without --quick before quoting the numbers."
        )
    failed = [r for r in manifest.get("runs", []) if r.get("status") == "failed"]
    if failed:
        out.append(f"{len(failed)} run(s) failed and are missing from every average.")
    summary = results.summary
    if not summary.empty and "n" in summary.columns and (summary["n"] > 0).any():
        n_min = int(summary.loc[summary["n"] > 0, "n"].min())
        if n_min < 5:
            out.append(
                f"Some settings rest on only {n_min} run(s); their confidence intervals are rough."
            )
    out.extend(_overlap_caveat(results))
    return out


def _overlap_caveat(results: ResultsLike) -> list[str]:
    summary = results.summary
    metric = {"market": "profit", "tournament": "score", "learning": "payoff"}.get(
        model_name(results), "profit"
    )
    if summary.empty or "metric" not in summary.columns:
        return []
    point = headline_point(results)
    rows = select(summary[summary["metric"] == metric], point)
    if rows.empty:
        return []
    by_group = rows.groupby("group", observed=True)[["mean", "ci_low", "ci_high"]].mean()
    values = {str(g): float(v) for g, v in by_group["mean"].items()}
    pair = compared_pair(list(values), values, group_strategies(results))
    if pair is None:
        return []
    a, b = pair
    low = {str(g): float(v) for g, v in by_group["ci_low"].items()}
    high = {str(g): float(v) for g, v in by_group["ci_high"].items()}
    low_a, high_a, low_b, high_b = low[a], high[a], low[b], high[b]
    if any(not math.isfinite(v) for v in (low_a, high_a, low_b, high_b)):
        return []
    if max(low_a, low_b) <= min(high_a, high_b):
        return [
            f"At the headline setting the long-run {metric} of {in_sentence(group_label(a))} and "
            f"{in_sentence(group_label(b))} are within each other's 95% intervals: more runs "
            "are needed to tell them apart."
        ]
    return []


def png_base64(chart: Chart) -> str:
    """The chart as a base64 PNG at :data:`EMBED_DPI`, for a ``data:`` URI."""
    return base64.b64encode(chart.to_png(EMBED_DPI)).decode("ascii")


def _figure(chart: Chart) -> str:
    return (
        f'<figure id="{_esc(chart.name)}"><img alt="{_esc(chart.title)}" '
        f'src="data:image/png;base64,{png_base64(chart)}">'
        f"<figcaption><strong>{_esc(chart.title)}.</strong> {_esc(chart.caption)}"
        "</figcaption></figure>"
    )


def figure_notes(results: ResultsLike) -> list[str]:
    """Why a figure the reader might expect is left out (e.g. sellers in business,
    when no seller ever left)."""
    from longgame.plots.over_time import SELLERS_FLAT_NOTE, sellers_never_left

    wanted = results.config.get("outputs", {}).get("figures")
    if wanted and "shares" not in [str(k).replace("_", "-") for k in wanted]:
        return []
    if model_name(results) == "market" and sellers_never_left(results):
        return [SELLERS_FLAT_NOTE]
    return []


def render_html(results: ResultsLike, charts: Sequence[Chart]) -> str:
    """The whole report page as one HTML string (figures embedded)."""
    config = results.config
    experiment = config.get("experiment", {})
    name = str(experiment.get("name", results.path.name))
    title = name.replace("-", " ").replace("_", " ").capitalize()
    question = str(experiment.get("description", "")).strip()
    lines, rows = setup_lines(results)
    heads = headlines(results)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}: longgame report</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
    ]
    if question:
        parts.append(f'<p class="question">{_esc(question)}</p>')
    stories = [c for c in charts if c.name == STORY]
    charts = [c for c in charts if c.name != STORY]
    for chart in stories:  # the story opens the page: its first screen shows the crossover
        parts.append(f'<p class="story">{_esc(chart.headline or chart.title)}</p>')
        parts.append(_figure(chart))
    parts.append("<h2>What we found</h2>")
    if heads:
        parts.append('<ul class="headlines">')
        parts += [f"<li>{_esc(h)}</li>" for h in heads]
        parts.append("</ul>")
    else:
        parts.append("<p>The results hold no metric these headlines are computed from.</p>")
    parts.append("<h2>The setup</h2>")
    parts += [f"<p>{_esc(line)}</p>" for line in lines]
    if rows:
        parts.append("<table><tr><th>Fixed parameter</th><th>Value</th></tr>")
        parts += [f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in rows]
        parts.append("</table>")
    notes = figure_notes(results)
    if charts or notes:
        parts.append("<h2>Figures</h2>")
    parts += [f'<p class="note">{_esc(note)}</p>' for note in notes]
    parts += [_figure(chart) for chart in charts]
    parts.append("<h2>Caveats</h2><ul>")
    parts += [f"<li>{_esc(c)}</li>" for c in caveats(results)]
    parts.append("</ul>")
    manifest = results.manifest
    versions = manifest.get("versions", {})
    meta = [f"model: {model_name(results) or 'unknown'}"]
    if versions.get("longgame"):
        meta.append(f"longgame {versions['longgame']}")
    if manifest.get("git_commit"):
        meta.append(f"commit {str(manifest['git_commit'])[:10]}")
    if manifest.get("updated"):
        meta.append(f"results of {manifest['updated']}")
    parts.append(f'<p class="meta">{_esc("; ".join(meta))}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
