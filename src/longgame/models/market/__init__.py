"""The market model: sellers with books of customer relationships, every mechanism on a switch.

Sellers are Mesa agents, each running a strategy from :mod:`longgame.strategies` on its
book; customers are a vectorised population (numpy arrays) on a word-of-mouth network.
The ten mechanisms of DESIGN.md section 2 (exchange, trust, repeat purchase,
acquisition, word of mouth, stop-loss, ladder, friendship, takers, turnover) each have
a parameter block in :class:`MarketParams` with an ``enabled`` switch.

Run it from Python in a few lines:

>>> from longgame.models.market import MarketModel
>>> model = MarketModel({"sellers": {"fleecer": 3, "fair-dealer": 3}}, customers=600, rng=42)
>>> out = model.run(60)
>>> last = out.metrics.query("step == 60 and metric == 'cumulative_profit'")
>>> ranking = last.sort_values("value", ascending=False).group.tolist()
>>> ranking  # groups as the sellers table names them
['fair-dealer', 'fleecer']
>>> out.tables["spells"].columns.tolist()
['group', 'start', 'end', 'duration', 'event', 'profit']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longgame.models.market._exchange import SellerProfile, profile, stage_payoffs
from longgame.models.market._network import to_networkx
from longgame.models.market._params import (
    AcquisitionParams,
    BeliefParams,
    DisclosureParams,
    ExchangeParams,
    FriendshipParams,
    LadderParams,
    MarketParams,
    NetworkParams,
    RepeatParams,
    SellerGroup,
    ServiceParams,
    StopLossParams,
    TakerParams,
    TrustParams,
    TurnoverParams,
    WordOfMouthParams,
    group_strategies,
)
from longgame.models.market._spec import SPEC, quick, simulate
from longgame.models.market._theory import theory

if TYPE_CHECKING:
    from longgame.models.market.model import MarketModel, Seller, validate_params

#: Names from ``model``, which imports Mesa: loaded on first use, so that reading a
#: results folder (group names from ``MarketParams``) does not import Mesa.
_MODEL_NAMES = frozenset({"MarketModel", "Seller", "validate_params"})


def __getattr__(name: str) -> Any:
    if name in _MODEL_NAMES:
        from longgame.models.market import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SPEC",
    "AcquisitionParams",
    "BeliefParams",
    "DisclosureParams",
    "ExchangeParams",
    "FriendshipParams",
    "LadderParams",
    "MarketModel",
    "MarketParams",
    "NetworkParams",
    "RepeatParams",
    "Seller",
    "SellerGroup",
    "SellerProfile",
    "ServiceParams",
    "StopLossParams",
    "TakerParams",
    "TrustParams",
    "TurnoverParams",
    "WordOfMouthParams",
    "group_strategies",
    "profile",
    "quick",
    "simulate",
    "stage_payoffs",
    "theory",
    "to_networkx",
    "validate_params",
]
