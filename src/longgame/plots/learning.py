"""Learning populations (the boxed pigs and other stage games): what share of each
population takes each action over time, against the replicator-dynamics path and the
game's equilibrium.

In the boxed pigs game (智猪博弈, source 002) the small pig's "press" is strictly
dominated, so the small firms should learn to wait and the big firms to press: the
equilibrium point (press, wait) is marked on every plot where the results carry it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longgame.plots._chart import (
    Chart,
    headline,
    held_fixed,
    new_figure,
    order_groups,
    point_title,
    style,
    title_panel,
)
from longgame.plots._data import (
    MIN_BAND_RUNS,
    mean_ci,
    panel_points,
    representative_point,
    select,
    text,
    varying_keys,
)
from longgame.plots._load import ResultsLike, cached
from longgame.plots._style import group_label, in_sentence, strategy_colors

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Equilibrium", "equilibria", "learning_phase", "learning_shares"]


def _share_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or "metric" not in frame.columns:
        return frame.iloc[0:0]
    rows = frame[text(frame["metric"]).str.startswith("share.")].copy()
    rows["action"] = rows["metric"].astype(str).str.slice(len("share."))
    return rows


Equilibrium = dict[tuple[str, str], float]


def _actions(rows: pd.DataFrame, theory: list[Equilibrium]) -> list[str]:
    seen = list(dict.fromkeys(a for eq in theory for _, a in eq))
    for action in rows["action"].drop_duplicates():
        if action not in seen:
            seen.append(str(action))
    return seen


def equilibria(results: ResultsLike, point: dict[str, Any] | None = None) -> list[Equilibrium]:
    """The game's equilibria at the sweep ``point`` (default: a representative point),
    each as {(population, action): share}, from the ``theory`` table (columns ``group,
    action, equilibrium_share`` and, with several equilibria, ``equilibrium``); empty
    when the results carry no theory."""
    table = results.table("theory")
    if table.empty or not {"group", "action", "equilibrium_share"} <= set(table.columns):
        return []
    table = select(table, representative_point(results) if point is None else point)
    if "equilibrium" not in table.columns:
        table = table.assign(equilibrium=0)
    out: list[Equilibrium] = []
    means = table.groupby(["equilibrium", "group", "action"], observed=True, as_index=False)[
        "equilibrium_share"
    ].mean()
    for _, one in means.groupby("equilibrium", sort=True):
        out.append(
            {
                (str(r.group), str(r.action)): float(r.equilibrium_share)
                for r in one.itertuples(index=False)
            }
        )
    return out


def learning_shares(results: ResultsLike) -> list[Chart]:
    """Share of each population choosing the first action over time (e.g. the share of
    big and of small firms that press), with the replicator path dashed and the
    equilibrium share dotted. One panel per sweep point. No chart without ``share.*``
    metrics."""
    results = cached(results)
    rows = _share_rows(results.metrics())
    if rows.empty:
        return []
    replicator = _share_rows(results.table("replicator"))
    points = panel_points(results, having=rows)
    theory = equilibria(results)
    actions = _actions(rows, theory)
    action = actions[0]
    groups = order_groups(rows["group"])
    colors = strategy_colors(groups)
    varying = varying_keys(points)
    with style():
        fig, axes = new_figure(len(points), sharey=True)
        drew_replicator = drew_theory = False
        for ax, point in zip(axes, points, strict=True):
            own = select(rows[rows["action"] == action], point)
            stats = mean_ci(own, ["group", "step"])
            rep = (
                select(replicator[replicator["action"] == action], point)
                if len(replicator)
                else replicator
            )
            eqs = equilibria(results, point) or theory
            for group in groups:
                line = stats[text(stats["group"]) == group]
                steps = line["step"].to_numpy(dtype=float)
                ax.plot(steps, line["mean"], color=colors[group])
                if not line.empty and line["n"].min() >= MIN_BAND_RUNS:
                    ax.fill_between(
                        steps,
                        line["ci_low"].clip(0.0, 1.0),
                        line["ci_high"].clip(0.0, 1.0),
                        color=colors[group],
                        alpha=0.18,
                        lw=0,
                    )
                if not rep.empty:
                    own_rep = rep[text(rep["group"]) == group]
                    path = own_rep.groupby("step", observed=True)["value"].mean()
                    if not path.empty:
                        drew_replicator = True
                        ax.plot(path.index, path.to_numpy(), color=colors[group], ls="--", lw=2)
                for share in sorted({eq[(group, action)] for eq in eqs if (group, action) in eq}):
                    drew_theory = True
                    ax.axhline(share, color=colors[group], ls=":", lw=2.2)
            ax.set_ylim(-0.03, 1.03)
            ax.set_xlabel("Round")
            title_panel(ax, point, points, varying)
            from matplotlib.ticker import PercentFormatter

            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes[0].set_ylabel(f"Share choosing {action}")
        _legend(fig, groups, colors, drew_replicator, drew_theory)
        title = f"Who learns to {action}"
        fixed = held_fixed(points, varying)
        fig.suptitle(headline(title, fixed))
    caption = (
        f"Share of each population choosing '{action}' over time: learning runs (solid, "
        f"means with 95% bands where at least {MIN_BAND_RUNS} runs were averaged)"
    )
    if drew_replicator:
        caption += ", the replicator-dynamics path (dashed)"
    if drew_theory:
        caption += ", and the equilibrium shares (dotted; one line per equilibrium)"
    caption += "."
    if fixed:
        caption += f" Other parameters: {point_title(fixed)}."
    return [Chart("learning-shares", title, caption, fig)]


def _legend(
    fig: Any, groups: list[str], colors: dict[str, str], replicator: bool, theory: bool
) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=colors[g], lw=4, label=group_label(g)) for g in groups]
    handles.append(Line2D([], [], color="black", lw=2.6, label="learning (mean)"))
    if replicator:
        handles.append(Line2D([], [], color="black", ls="--", lw=2, label="replicator dynamics"))
    if theory:
        handles.append(Line2D([], [], color="black", ls=":", lw=2.2, label="equilibrium"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 5))


def _sequential(labels: list[str]) -> dict[str, str]:
    """Ordered colours (dark blue to yellow) for the ordered values of a sweep."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["viridis"]
    n = max(1, len(labels) - 1)
    return {label: to_hex(cmap(0.05 + 0.8 * i / n)) for i, label in enumerate(labels)}


def learning_phase(results: ResultsLike) -> list[Chart]:
    """For two populations with two actions each: the path of (share of population 1
    choosing the first action, same for population 2), learning mean solid and
    replicator dashed, with the equilibrium as a star. No chart otherwise."""
    results = cached(results)
    rows = _share_rows(results.metrics())
    if rows.empty:
        return []
    theory = equilibria(results)
    actions = _actions(rows, theory)
    groups = order_groups(rows["group"])
    if len(groups) != 2 or len(actions) != 2:
        return []
    action = actions[0]
    replicator = _share_rows(results.table("replicator"))
    points = panel_points(results, having=rows)
    varying = varying_keys(points)
    points_labels = [point_title({k: p[k] for k in varying if k in p}) or "all" for p in points]
    colors = _sequential(points_labels)
    gx, gy = groups
    with style():
        fig, (ax,) = new_figure(1, panel=(8.5, 7.6))
        for point, label in zip(points, points_labels, strict=True):
            color = colors[label] if len(points) > 1 else "#1B4F72"
            own = select(rows[rows["action"] == action], point)
            mean = own.groupby(["step", "group"], observed=True)["value"].mean().unstack("group")
            if gx not in mean or gy not in mean:
                continue
            ax.plot(mean[gx], mean[gy], color=color, label=label if len(points) > 1 else None)
            ax.plot(mean[gx].iloc[:1], mean[gy].iloc[:1], "o", color=color, ms=10)
            if not replicator.empty:
                rep = select(replicator[replicator["action"] == action], point)
                path = (
                    rep.groupby(["step", "group"], observed=True)["value"].mean().unstack("group")
                )
                if gx in path and gy in path:
                    ax.plot(path[gx], path[gy], color=color, ls="--", lw=2)
            for eq in equilibria(results, point) or theory:
                if (gx, action) not in eq or (gy, action) not in eq:
                    continue
                ax.plot(
                    eq[(gx, action)],
                    eq[(gy, action)],
                    marker="*",
                    ms=26,
                    color="gold" if len(points) == 1 else color,
                    mec="black",
                    mew=1.5,
                    ls="none",
                    zorder=5,
                    clip_on=False,
                )
        ax.set_xlim(-0.03, 1.03)
        ax.set_ylim(-0.03, 1.03)
        ax.set_aspect("equal")
        ax.set_xlabel(f"{group_label(gx)}: share choosing {action}")
        ax.set_ylabel(f"{group_label(gy)}: share choosing {action}")
        from matplotlib.lines import Line2D

        handles = [
            Line2D([], [], color="black", lw=2.6, label="learning (mean)"),
            Line2D([], [], color="black", marker="o", ls="none", ms=10, label="start"),
            Line2D([], [], color="black", ls="--", lw=2, label="replicator dynamics"),
            Line2D(
                [],
                [],
                color="gold" if len(points) == 1 else "#BBBBBB",
                mec="black",
                marker="*",
                ms=20,
                ls="none",
                label="equilibrium" if len(points) == 1 else "equilibrium (colour of its setting)",
            ),
        ]
        if len(points) > 1:
            handles += [Line2D([], [], color=colors[lb], lw=4, label=lb) for lb in points_labels]
        fig.legend(handles=handles, loc="outside lower center", ncol=min(4, len(handles)))
        title = "Where the two populations end up"
        fixed = held_fixed(points, varying)
        fig.suptitle(headline(title, fixed))
    caption = (
        f"Each line follows the share of {in_sentence(group_label(gx))} (across) and of "
        f"{in_sentence(group_label(gy))} (up) choosing '{action}', from the start (dot); stars "
        "are the game's equilibria where the results include them."
    )
    if fixed:
        caption += f" Other parameters: {point_title(fixed)}."
    return [Chart("learning-phase", title, caption, fig)]
