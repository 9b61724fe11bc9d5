"""The public networkx export of the market's word-of-mouth network."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from longgame.errors import InputError
from longgame.models.market import MarketModel, to_networkx


def test_graph_has_the_adjacency_edges_and_every_node() -> None:
    """Edges are exactly the adjacency's nonzeros (each once), isolated nodes included."""
    rows, cols = [0, 1, 1, 2, 3, 0], [1, 0, 2, 1, 0, 3]
    adjacency = sparse.csr_array((np.ones(6), (rows, cols)), shape=(5, 5))
    graph = to_networkx(adjacency, {"score": np.array([0.5, 1, 2, 3, 4])})
    assert sorted(graph.nodes) == [0, 1, 2, 3, 4]
    assert sorted(tuple(sorted(e)) for e in graph.edges) == [(0, 1), (0, 3), (1, 2)]
    assert graph.degree[4] == 0
    assert graph.nodes[0]["score"] == 0.5
    assert type(graph.nodes[1]["score"]) is float  # plain Python values, not numpy scalars


def test_attribute_of_wrong_length_is_refused() -> None:
    """A node attribute whose length is not the number of nodes raises a clear error."""
    adjacency = sparse.csr_array((3, 3))
    with pytest.raises(ValueError, match=r"'trust' has shape \(2,\); expected \(3,\)"):
        to_networkx(adjacency, {"trust": [0.1, 0.2]})


def test_model_network_carries_each_customers_seller_and_trust() -> None:
    """MarketModel.to_networkx: the model's own network, with seller, group and trust per node."""
    model = MarketModel(
        {"sellers": {"fleecer": 2, "fair-dealer": 2}},
        customers=300,
        rng=3,
    )
    model.run_for(10)
    graph = model.to_networkx()
    assert graph.number_of_nodes() == 300
    assert graph.number_of_edges() == model.network.nnz // 2
    seller = model.customers.seller
    buying = np.flatnonzero(seller >= 0)
    assert buying.size > 0
    for i in (int(buying[0]), int(buying[-1])):
        slot = int(seller[i])
        assert graph.nodes[i]["seller"] == slot
        assert graph.nodes[i]["group"] == model.groups[model.seller_group[slot]]
        assert graph.nodes[i]["trust"] == pytest.approx(float(model.customers.trust[i]))
    idle = np.flatnonzero(seller < 0)
    if idle.size:
        assert graph.nodes[int(idle[0])]["group"] is None


def test_market_without_word_of_mouth_has_no_network() -> None:
    """Without word of mouth there is no network to export: a one-line InputError says so."""
    model = MarketModel(
        {"sellers": {"fleecer": 1}, "word_of_mouth": {"enabled": False}}, customers=50, rng=0
    )
    with pytest.raises(InputError, match=r"word_of_mouth\.enabled is false"):
        model.to_networkx()
