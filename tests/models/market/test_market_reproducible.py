"""Fixed seeds give bit-for-bit the same market metrics as before the step's speed-ups."""

from __future__ import annotations

import hashlib
import math
import sys
from typing import Any

import numpy as np
import pytest

from longgame.models.market import MarketModel

_SELLERS = {
    "fair-dealer": 2,
    "fleecer": 2,
    "grid-9.9": 1,
    "grid-1.9": 1,
    "tit-for-tat": 1,
    "grudger": 1,
    "stop-loss-investor": 1,
}


def _bench(customers: int, beliefs: bool) -> dict[str, Any]:
    """benchmarks/bench_market.py's setting: every mechanism on, capacity for everyone."""
    per_seller = math.ceil(customers / sum(_SELLERS.values()))
    return {
        "beliefs": {"enabled": beliefs},
        "customers": customers,
        "sellers": _SELLERS,
        "acquisition": {"capacity": per_seller, "contacts": max(20, per_seller // 10)},
        "stop_loss": {"limit": 5.0, "capital": 1e6},
        "turnover": {"enabled": True, "imitation_rate": 0.02},
    }


MARKETS: dict[str, dict[str, Any]] = {
    "bench": _bench(3000, beliefs=False),
    "bench-beliefs": _bench(3000, beliefs=True),
    "issues-15-16": {
        "customers": 2000,
        "sellers": {
            "trainer": {"strategy": "fair-dealer", "count": 2, "train": 1.0},
            "boaster": {"strategy": "fleecer", "count": 2, "promise": 0.2},
            "tit-for-tat": 2,
        },
        "beliefs": {"enabled": True},
        "disclosure": {"enabled": True},
        "attention": {"enabled": True},
        "receivables": {"enabled": True},
        "word_of_mouth": {"retell": 0.5},
    },
    "defaults": {"customers": 1500, "sellers": {"fleecer": 2, "fair-dealer": 2}},
    "one-shot": {"customers": 800, "sellers": {"fleecer": 1, "fair-dealer": 1}, "mode": "one-shot"},
}

# sha256 of the sorted tidy metrics (values rounded to 9 decimals), 40 steps, seed 11;
# computed on main at 414a48e, before the speed-ups of issue 17 (identical after the
# network build's new dedupe, 6397260)
EXPECTED = {
    "bench": "504aa432b258c58c824377be31d95441172cf1989d4f8d95812d9000fe7668fc",
    "bench-beliefs": "b9e9b05761aa958fd253a5a4dc24767a83f262d92344bd786f5c7f035ed77369",
    "issues-15-16": "7fc0b69b4590a6d949ca7555f6f175e1db5c72c6ec7a834bcf969d2f8a55771c",
    "defaults": "852738dfd1c1f11dbd9071966cb91b24c156239d508e0827fb9a0da16cf5ab0e",
    "one-shot": "00a7987c7ae63d2ae52866f5961004933f6f1d650ae4fa18152263bfbfe271a7",
}


def metrics_hash(params: dict[str, Any], steps: int = 40, seed: int = 11) -> str:
    """A digest of a market's tidy metrics after ``steps`` steps."""
    model = MarketModel(params, rng=seed)
    model.run_for(steps)
    frame = model.metrics().sort_values(["metric", "group", "step"], kind="stable")
    digest = hashlib.sha256()
    for column in ("step", "group", "metric"):
        digest.update("\x1f".join(map(str, frame[column].tolist())).encode())
    digest.update(np.round(frame["value"].to_numpy(np.float64), 9).tobytes())
    return digest.hexdigest()


@pytest.mark.parametrize("name", list(MARKETS))
def test_market_metrics_unchanged(name: str) -> None:
    """The metrics' digest equals the one recorded before the step was optimised."""
    assert metrics_hash(MARKETS[name]) == EXPECTED[name]


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_a_copied_model_goes_on_exactly_as_the_original(how: str) -> None:
    """A market pickled or deep-copied mid-run (its buffers and views copied, its
    generator's state too) runs on to the same metrics as the original."""
    import copy
    import pickle

    params = {"customers": 800, "sellers": {"fleecer": 2, "fair-dealer": 2, "tit-for-tat": 1}}
    a = MarketModel(params, rng=3)
    a.run_for(10)
    b = pickle.loads(pickle.dumps(a)) if how == "pickle" else copy.deepcopy(a)
    a.run_for(15)
    b.run_for(15)
    assert a.metrics().equals(b.metrics())
    assert a.spells().equals(b.spells())
    assert a.metrics().step.max() == 25


if __name__ == "__main__":  # print the digests (to record them)
    for key, value in MARKETS.items():
        print(f'    "{key}": "{metrics_hash(value)}",', file=sys.stdout)
