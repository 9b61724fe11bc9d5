"""Figures of the ``five-rules`` model: each rule's transition at its b/c threshold, and
the cooperators' share over time.

``five-rules`` draws one panel per rule: the fixation probability of the cooperative
type over its neutral value (1 = chance; above: favoured) against b/c, with the closed-
form threshold of the finite population as a dashed line and the large-population form
dotted where it differs (Nowak 2006). ``cooperator-share`` draws, per rule, the mean
cooperator share over the generations at each benefit. Both read the stored results only:
the thresholds are metrics the model stored with each run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from longgame.plots._chart import Chart, new_figure, style
from longgame.plots._data import mean_ci, model_name, parameter_default
from longgame.plots._load import ResultsLike, cached

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cooperator_share", "five_rules_thresholds"]

_RULES = ("direct", "indirect", "network", "group")
_TITLES = {
    "direct": "Direct reciprocity (repeated dealings)",
    "indirect": "Indirect reciprocity (reputation)",
    "network": "Network reciprocity (who meets whom)",
    "group": "Group selection (competing groups)",
}
_FORMS = {
    "direct": ("b/c = 1/w", "b/c = 1/w"),
    "indirect": ("finite-N form of b/c = 1/q", "b/c = 1/q"),
    "network": ("b/c = (N-2)/(N/k-2)", "b/c = k"),
    "group": ("b/c = 1 + n/(m-2)", "b/c = 1 + n/m"),
}


def _with_rule_and_ratio(results: ResultsLike, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    if "rule" not in frame.columns:
        frame["rule"] = parameter_default(results, "rule") or "network"
    benefit = frame["benefit"] if "benefit" in frame.columns else None
    if benefit is None:
        return frame.iloc[0:0]
    cost = frame["cost"] if "cost" in frame.columns else parameter_default(results, "cost") or 1.0
    frame["ratio"] = np.asarray(benefit, dtype=float) / np.asarray(cost, dtype=float)
    return frame


def five_rules_thresholds(results: ResultsLike) -> list[Chart]:
    """One panel per rule: advantage (fixation over neutral) against b/c, threshold drawn."""
    results = cached(results)
    if model_name(results) != "five-rules":
        return []
    summary = _with_rule_and_ratio(results, results.summary)
    if summary.empty:
        return []
    rules = [r for r in _RULES if r in set(summary["rule"])]
    runs = float(parameter_default(results, "runs") or 1000)
    with style():
        fig, axes = new_figure(len(rules), ncols=min(2, len(rules)))
        for ax, rule in zip(axes, rules, strict=True):
            rows = summary[summary["rule"] == rule]
            adv = rows[rows["metric"] == "advantage"].sort_values("ratio")
            fix = rows[rows["metric"] == "fixation"].sort_values("ratio")
            ax.axhline(1.0, color="0.4", lw=1.2)
            ax.plot(adv["ratio"], adv["mean"], "o-", color="#0072B2", lw=2, label="simulated")
            # 95% binomial band from all runs pooled over replicates
            p = np.asarray(fix["mean"], dtype=float)
            pooled = np.asarray(fix["n"], dtype=float) * runs
            neutral = p / np.where(np.asarray(adv["mean"]) > 0, np.asarray(adv["mean"]), np.nan)
            half = 1.96 * np.sqrt(p * (1 - p) / pooled)
            if len(p) == len(adv) and np.isfinite(neutral).any():
                scale = float(np.nanmean(neutral))
                ax.fill_between(
                    adv["ratio"],
                    (p - half) / scale,
                    (p + half) / scale,
                    color="#0072B2",
                    alpha=0.2,
                    lw=0,
                )
            exact = rows[rows["metric"] == "threshold"]["mean"]
            large = rows[rows["metric"] == "threshold_large_n"]["mean"]
            form, large_form = _FORMS[rule]
            if len(exact):
                ax.axvline(float(exact.iloc[0]), color="#D55E00", ls="--", lw=2, label=form)
            if len(large) and len(exact) and not np.isclose(large.iloc[0], exact.iloc[0]):
                ax.axvline(float(large.iloc[0]), color="#D55E00", ls=":", lw=2, label=large_form)
            from matplotlib.ticker import FormatStrFormatter, NullLocator

            ax.set_xscale("log")
            ax.set_xticks(sorted(set(adv["ratio"])))
            ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("Benefit-to-cost ratio b/c")
            ax.set_ylabel("Fixation probability / neutral")
            ax.set_title(_TITLES[rule])
            ax.legend(loc="lower right", fontsize="small")
        fig.suptitle("Each rule favours cooperation once b/c passes its threshold")
    caption = (
        "How often the cooperative type takes over, relative to chance (1 = neutral), "
        "against the benefit-to-cost ratio of a favour. Direct and indirect reciprocity "
        "start from a majority of reciprocators (resisting defectors); network and group "
        "from a single cooperator. Dashed: the closed-form threshold for these population "
        "sizes; dotted: its large-population form (Nowak 2006). Bands: 95% binomial "
        "intervals over all runs."
    )
    return [Chart("five-rules", "Four rules for the evolution of cooperation", caption, fig)]


def cooperator_share(results: ResultsLike) -> list[Chart]:
    """Per rule, the mean cooperator share over generations, one line per b/c."""
    results = cached(results)
    if model_name(results) != "five-rules":
        return []
    metrics = results.metrics()
    if metrics.empty:
        return []
    frame = _with_rule_and_ratio(results, metrics[metrics["metric"] == "share"])
    if frame.empty:
        return []
    rules = [r for r in _RULES if r in set(frame["rule"])]
    from matplotlib import colormaps

    with style():
        fig, axes = new_figure(len(rules), ncols=min(2, len(rules)))
        for ax, rule in zip(axes, rules, strict=True):
            rows = frame[frame["rule"] == rule]
            ratios = sorted(set(rows["ratio"]))
            cmap = colormaps["viridis"]
            for i, ratio in enumerate(ratios):
                line = mean_ci(rows[rows["ratio"] == ratio], ["step"])
                color = cmap(i / max(1, len(ratios) - 1))
                ax.plot(line["step"], line["mean"], color=color, lw=2, label=f"b/c = {ratio:g}")
            ax.set_xlabel("Generation")
            ax.set_ylabel("Cooperator share (mean over runs)")
            ax.set_title(_TITLES[rule])
            if rule in ("network", "group"):
                ax.set_yscale("log")
            ax.legend(fontsize="small", ncols=2)
        fig.suptitle("Cooperators over time")
    caption = (
        "Mean share of cooperators over independent populations. Direct (ecological "
        "dynamics) and indirect reciprocity (imitation) start from a majority of reciprocators; "
        "network and group from one cooperator, so the share settles at the fixation "
        "probability (log scale), which exceeds its start 1/N only above the threshold."
    )
    return [Chart("cooperator-share", "Cooperators over time, per rule", caption, fig)]
