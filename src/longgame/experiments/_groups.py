"""Which strategy each group of a results folder plays: the ``strategy`` column.

Groups are named as the config names them (a market seller group by its ``label``,
else its ``strategy`` as written; a tournament strategy as written), so that
``summary.query("group == 'fleecer'")`` finds what the config calls ``fleecer``. Next to
``group``, every table of a market or tournament folder carries ``strategy``: the
strategy's registry name (``always-defect``), the same whatever the group is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longgame.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["group_strategies_of", "with_strategy"]


def group_strategies_of(config: dict[str, Any]) -> dict[str, str]:
    """Group name -> registry name for a market or tournament config ({} otherwise)."""
    model = config.get("experiment", {}).get("model")
    parameters = config.get("parameters", {})
    try:
        if model == "market":
            from longgame.models.market import MarketParams, group_strategies

            return group_strategies(MarketParams.model_validate(parameters))
        if model == "tournament":
            from longgame.models.tournament import TournamentParams

            params = TournamentParams.model_validate(parameters)
            players = params.make_strategies()
            return {label: s.name for label, s in zip(params.labels(), players, strict=True)}
    except (InputError, ValueError):
        return {}  # e.g. a plugin strategy no longer installed: names stay as stored
    return {}


def with_strategy(frame: pd.DataFrame, strategies: dict[str, str]) -> pd.DataFrame:
    """``frame`` with a ``strategy`` column right after ``group`` (the registry name of
    each row's group; missing for rows of no strategy group). Unchanged when it has one
    already, has no ``group``, or ``strategies`` is empty (a model without strategies).

    >>> import pandas as pd
    >>> with_strategy(pd.DataFrame({"group": ["fleecer"], "value": [1.0]}),
    ...               {"fleecer": "always-defect"}).columns.tolist()
    ['group', 'strategy', 'value']
    """
    if not strategies or "group" not in frame.columns or "strategy" in frame.columns:
        return frame
    out = frame.copy()
    position = list(out.columns).index("group") + 1
    out.insert(position, "strategy", out["group"].astype(str).map(strategies))
    return out
