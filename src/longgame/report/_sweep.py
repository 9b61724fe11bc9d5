"""Sweep-wide headline sentences: the lesson across every setting tried, not one point.

The point headlines (:mod:`longgame.report._headlines`) speak at one representative
sweep setting. A trainer also needs to know how general that is: at how many of the
settings the "bad" strategy of the compared pair (e.g. fleecers) earned more in the long
run, which settings those were, in words, and whether a fleecer's early lead in
cumulative profit turned into a lasting deficit. Every count comes from the summary's
long-run means and their 95% intervals; a setting counts as a clear win only when the
two intervals do not overlap, and overlapping intervals are reported as ties.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from longgame.plots._data import select, text
from longgame.plots._load import ResultsLike
from longgame.plots._style import in_sentence, param_label, short_label
from longgame.plots._style import value_label as _value_label

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["best_group_sentence", "describe_settings", "early_lead_sentence", "wins_sentence"]

Point = tuple[Any, ...]
Interval = tuple[float, float, float]  # mean, low, high

# fleecing names: a sweep where they never win "never paid"
_FLEECE = ("fleecer", "always-defect", "grid-9.1")
# more boxes than this and the settings are "scattered": no short honest description
_MAX_BOXES = 3


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _key_words(key: str) -> str:
    return in_sentence(short_label(param_label(key)))


def _or_list(items: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _values_words(key: str, chosen: Sequence[Any], every: Sequence[Any]) -> str:
    """Words for the values ``chosen`` out of all sweep values ``every`` of ``key``."""
    label = _key_words(key)
    order = list(every)
    index = sorted(order.index(v) for v in chosen)
    names = [_value_label(order[i]) for i in index]
    numeric = all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(float(v))
        for v in order
    )
    contiguous = index == list(range(index[0], index[-1] + 1))
    if numeric and contiguous and len(index) >= 3:
        if index[0] == 0:
            return f"{label} {names[-1]} or lower"
        if index[-1] == len(order) - 1:
            return f"{label} {names[0]} or higher"
        return f"{label} from {names[0]} to {names[-1]}"
    return f"{label} {_or_list(names)}"


def _boxes(points: set[Point], order: Sequence[int]) -> list[list[set[Any]]]:
    """An exact cover of ``points`` by boxes (one value set per key, in key position),
    splitting on the keys in ``order``: values of the first key whose sub-settings are
    the same share a box."""
    if not points:
        return []
    first, rest = order[0], order[1:]
    if not rest:
        box: list[set[Any]] = [set() for _ in next(iter(points))]
        box[first] = {p[first] for p in points}
        return [box]
    by_value: dict[Any, set[Point]] = {}
    for p in points:
        by_value.setdefault(p[first], set()).add(p)
    shared: dict[frozenset[Point], set[Any]] = {}
    for value, members in by_value.items():
        pattern = frozenset((*p[:first], None, *p[first + 1 :]) for p in members)
        shared.setdefault(pattern, set()).add(value)
    out = []
    for pattern, values in shared.items():
        for sub in _boxes(set(pattern), rest):
            sub[first] = set(values)
            out.append(sub)
    return out


def describe_settings(
    chosen: Sequence[dict[str, Any]], every: Sequence[dict[str, Any]]
) -> str | None:
    """Plain words for the sweep settings ``chosen`` out of ``every`` (all the settings,
    one dict of swept values each), grouped compactly; ``None`` when no short
    description exists.

    The words are exact when the settings form one block; otherwise they name the
    smallest block holding them all (so "all with ..." stays true), or, when that block
    is the whole sweep, up to three exact blocks. Keys on which a block takes every value
    are left out.

    >>> every = [{"r": r, "p": p} for r in (0, 10, 50) for p in (0.5, 0.7, 0.9)]
    >>> describe_settings([s for s in every if s["r"] <= 10 and s["p"] <= 0.7], every)
    'r 0 or 10 and p 0.5 or 0.7'
    >>> describe_settings([s for s in every if s["p"] == 0.9], every)
    'p 0.9'
    >>> describe_settings([{"r": 0, "p": 0.5}, {"r": 10, "p": 0.7}], every)
    'r 0 or 10 and p 0.5 or 0.7'
    >>> describe_settings([{"r": 0, "p": 0.5}, {"r": 50, "p": 0.9}], every)
    'r 0 and p 0.5, or r 50 and p 0.9'
    """
    if not chosen or not every:
        return None
    keys = list(every[0])
    values = {k: sorted({s[k] for s in every}, key=_sort_key) for k in keys}
    points = {tuple(s[k] for k in keys) for s in chosen}
    best: list[list[set[Any]]] | None = None
    orders = itertools.permutations(range(len(keys))) if len(keys) <= 4 else [range(len(keys))]
    for order in orders:
        boxes = _boxes(points, list(order))
        if best is None or len(boxes) < len(best):
            best = boxes
    if best is None:
        return None
    if len(best) > 1:  # the smallest box holding them all, when it says something
        box = [_bounds(values[k], [s[k] for s in chosen]) for k in keys]
        if any(len(b) < len(values[k]) for b, k in zip(box, keys, strict=True)):
            best = [box]
    if len(best) > _MAX_BOXES:
        return None
    phrases = []
    for box in sorted(best, key=lambda b: [sorted(map(_sort_key, s)) for s in b]):
        parts = [
            _values_words(k, sorted(box[i], key=_sort_key), values[k])
            for i, k in enumerate(keys)
            if len(box[i]) < len(values[k])
        ]
        phrases.append(" and ".join(parts))
    if any(not p for p in phrases):  # a box spanning the whole sweep: all settings
        return None
    return ", or ".join(phrases)


def _bounds(every: list[Any], chosen: list[Any]) -> set[Any]:
    """The sweep values from the least to the greatest chosen one for numbers; the
    chosen values themselves for names (their order means nothing)."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in every):
        return set(chosen)
    index = [every.index(v) for v in chosen]
    return set(every[min(index) : max(index) + 1])


def _sort_key(value: Any) -> tuple[int, float, str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value))


def _settings(results: ResultsLike) -> list[dict[str, Any]]:
    """Every distinct sweep setting in the summary, in sweep order."""
    summary = results.summary
    keys = [k for k in results.swept if k in summary.columns]
    if not keys or summary.empty:
        return []
    rows = summary[keys].drop_duplicates()
    out = [dict(zip(keys, (_plain(v) for v in row), strict=True)) for row in rows.itertuples(False)]
    return sorted(out, key=lambda s: [_sort_key(s[k]) for k in keys])


def _plain(value: Any) -> Any:
    """A numpy scalar as a Python one (so values compare and print plainly)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _closed(results: ResultsLike, setting: dict[str, Any], group: str) -> bool:
    """Whether every seller of ``group`` had gone out of business by the last period."""
    metrics = results.metrics()
    rows = select(metrics[metrics["metric"] == "sellers_active"], setting)
    rows = rows[text(rows["group"]) == group]
    if rows.empty:
        return False
    last = rows[rows["step"] == rows["step"].max()]
    return bool(float(last["value"].max()) < 0.5)


def long_run_intervals(
    results: ResultsLike, groups: Sequence[str], metric: str = "profit"
) -> list[tuple[dict[str, Any], dict[str, Interval]]]:
    """Per sweep setting: (setting, {group: (mean, ci_low, ci_high)}) of the long-run
    ``metric``. A group whose sellers had all closed earns nothing per period: (0, 0, 0).
    Groups with no value that did not close are left out of that setting."""
    summary = results.summary
    if summary.empty or "metric" not in summary.columns:
        return []
    rows = summary[summary["metric"] == metric]
    out = []
    for setting in _settings(results):
        here = select(rows, setting)
        values: dict[str, Interval] = {}
        for group in groups:
            own = here[text(here["group"]) == group]
            mean = float(own["mean"].mean()) if not own.empty else math.nan
            if math.isfinite(mean):
                low, high = float(own["ci_low"].min()), float(own["ci_high"].max())
                if not (math.isfinite(low) and math.isfinite(high)):
                    low = high = mean
                values[group] = (mean, low, high)
            elif _closed(results, setting, group):
                values[group] = (0.0, 0.0, 0.0)
        out.append((setting, values))
    return out


def _where(chosen: list[dict[str, Any]], every: list[dict[str, Any]], lead: str) -> str:
    words = describe_settings(chosen, every)
    return f", {lead} {words}" if words else ""


def wins_sentence(
    results: ResultsLike, good: str, bad: str, plural: Callable[[str], str]
) -> str | None:
    """How many sweep settings ``bad`` clearly out-earned ``good`` at in long-run profit
    (intervals apart), which ones, and how many were too close to call.

    ``plural`` turns a group name into the report's words for it ("fleecers").
    """
    table = [(s, v) for s, v in long_run_intervals(results, [good, bad]) if len(v) == 2]
    if len(table) < 2:
        return None
    every = [s for s, _ in table]
    n = len(every)
    won = [s for s, v in table if v[bad][1] > v[good][2]]
    lost = [s for s, v in table if v[bad][2] < v[good][1]]
    tied = [s for s, v in table if s not in won and s not in lost]
    b, g = _capital(plural(bad)), plural(good)
    if len(won) == n:
        return f"{b} clearly out-earned {g} in long-run profit at all {n} settings tried."
    if len(lost) == n:
        from longgame.report._headlines import _strategy, group_strategies

        fleecing = _strategy(bad, group_strategies(results)) in _FLEECE
        lead = "Fleecing never paid: " if fleecing else ""
        return (
            f"{lead}{_capital(g) if not lead else g} clearly out-earned {plural(bad)} in "
            f"long-run profit at all {n} settings tried."
        )
    if won:
        only = "only " if 2 * len(won) < n else ""
        sentence = (
            f"{b} clearly out-earned {g} in long-run profit at {only}{len(won)} of {n} "
            f"settings{_where(won, every, 'all with' if len(won) > 1 else 'with')}"
        )
    else:
        sentence = f"{b} never clearly out-earned {g} in long-run profit at any of the {n} settings"
    if tied:
        k = len(tied)
        what = "setting" if k == 1 else "settings"
        where = _where(tied, every, "all with" if k > 1 else "with")
        sentence += (
            f"; at {k} {'more ' if won else ''}{what}{where}, "
            "the two were too close to call (their intervals overlap)"
        )
    return sentence + "."


def best_group_sentence(
    results: ResultsLike, groups: Sequence[str], plural: Callable[[str], str]
) -> str | None:
    """Which group earned the most long-run profit at the most sweep settings, and at
    how many of those its interval cleared every other group's."""
    table = [(s, v) for s, v in long_run_intervals(results, groups) if len(v) >= 2]
    if len(table) < 2 or len(groups) < 3:
        return None
    tops: dict[str, int] = {}
    clear: dict[str, int] = {}
    for _, values in table:
        top = max(values, key=lambda g: values[g][0])
        tops[top] = tops.get(top, 0) + 1
        if all(values[top][1] > v[2] for g, v in values.items() if g != top):
            clear[top] = clear.get(top, 0) + 1
    best = max(tops, key=lambda g: (tops[g], clear.get(g, 0)))
    n, k, c = len(table), tops[best], clear.get(best, 0)
    at = f"all {n} settings" if k == n else f"{k} of {n} settings"
    if c == k:
        how = ", each time clearly" if k > 1 else ", clearly"
    elif c == 0:
        how = ", though never clearly (intervals overlap)"
    else:
        how = f", clearly at {c} of them"
    return f"{_capital(plural(best))} earned the most long-run profit at {at}{how}."


def _mean_paths(results: ResultsLike, a: str, b: str) -> pd.DataFrame:
    """Mean cumulative profit per setting, step and group (``a`` and ``b`` only)."""
    metrics = results.metrics()
    rows = metrics[(metrics["metric"] == "cumulative_profit") & text(metrics["group"]).isin([a, b])]
    keys = [k for k in results.swept if k in rows.columns]
    frame = rows.assign(group=rows["group"].astype(str))
    return frame.groupby([*keys, "step", "group"], observed=True)["value"].mean().reset_index()


def early_lead_sentence(
    results: ResultsLike, good: str, bad: str, plural: Callable[[str], str]
) -> str | None:
    """Where ``bad`` led ``good`` in mean cumulative profit from the start (periods in
    which neither had earned anything yet do not count), then fell behind and never
    got ahead again (a moment level is not a lead): the sentence at the sweep setting where both
    phases are longest (the larger of min(lead, behind)), else ``None``."""
    from longgame.report._headlines import where_words

    paths = _mean_paths(results, good, bad)
    if paths.empty:
        return None
    keys = [k for k in results.swept if k in paths.columns]
    found: list[tuple[int, float, dict[str, Any], int, int]] = []
    grouped = paths.groupby(keys, observed=True) if keys else [((), paths)]
    for values, frame in grouped:
        table = frame.pivot_table(index="step", columns="group", values="value")
        if good not in table.columns or bad not in table.columns:
            continue
        diff = (table[bad] - table[good]).dropna()
        if len(diff) < 2:
            continue
        ds = diff.to_numpy(dtype=float)
        steps = diff.index.to_numpy()
        start = 0  # level at the start (nothing earned yet by either): not a lead
        while start < len(ds) and ds[start] == 0:
            start += 1
        lead = start
        while lead < len(ds) and ds[lead] > 0:
            lead += 1
        if lead == start or ds[-1] >= 0 or (ds[lead:] > 0).any():  # ahead again
            continue
        behind = len(ds) - lead
        tup = values if isinstance(values, tuple) else (values,)
        setting = {k: _plain(v) for k, v in zip(keys, tup, strict=True)}
        found.append((min(lead, behind), -float(ds[-1]), setting, int(steps[lead - 1]), lead))
    if not found:
        return None
    _, _, setting, last_ahead, _ = max(found, key=lambda f: (f[0], f[1]))
    first = f"the first {last_ahead} periods" if last_ahead > 1 else "the first period"
    return (
        f"{where_words(setting)}{_capital(plural(bad))} led {plural(good)} in cumulative "
        f"profit for {first}, then fell behind for good."
    )
