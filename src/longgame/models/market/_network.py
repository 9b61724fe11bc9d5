"""The customer network for word of mouth: a Watts-Strogatz graph as a CSR adjacency.

networkx builds graphs as dicts of dicts (about a kilobyte per edge), which does not fit
a million customers in memory; this module builds the same Watts-Strogatz model
(Watts & Strogatz 1998, *Nature* 393:440) directly as numpy edge arrays and returns a
symmetric ``scipy.sparse.csr_array``. :func:`to_networkx` (public as
``longgame.models.market.to_networkx``) converts it to a ``networkx.Graph`` for analysis
and drawing, and for the tests that compare it with ``networkx.watts_strogatz_graph``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["small_world", "to_networkx"]


def small_world(n: int, degree: int, rewire: float, rng: np.random.Generator) -> sparse.csr_array:
    """Symmetric 0/1 adjacency of a Watts-Strogatz graph on ``n`` nodes.

    Each node links to its ``degree // 2`` successors on a ring; each such edge keeps its
    first end and moves its second end to a uniformly random node with probability
    ``rewire`` (self-loops and duplicate edges are dropped, so a few nodes end up with
    slightly fewer links, as in networkx's variant).

    >>> a = small_world(100, 4, 0.0, np.random.default_rng(0))
    >>> a.shape, int(a.sum(axis=1).min()), int(a.sum(axis=1).max())
    ((100, 100), 4, 4)
    """
    half = max(1, min(degree // 2, (n - 1) // 2))
    if n < 3:
        return sparse.csr_array((n, n), dtype=np.float32)
    src = np.repeat(np.arange(n, dtype=np.int64), half)
    dst = src + np.tile(np.arange(1, half + 1, dtype=np.int64), n)
    dst[dst >= n] -= n  # around the ring (cheaper than ``% n``)
    moved = rng.random(src.size) < rewire
    dst[moved] = rng.integers(0, n, int(moved.sum()))
    # Duplicates come only from rewired edges: the ring's edges are distinct (half <
    # n / 2), so drop a rewired edge that is a self-loop or an unmoved ring edge, and
    # dedupe the rewired ones among themselves (a sort of a ``rewire`` share of the
    # edges, not of all of them). The set of edges is what ``np.unique`` over all
    # edges gave; the CSR built from it sorts each row, so the adjacency is identical.
    msrc, mdst = src[moved], dst[moved]
    gap = (mdst - msrc) % n  # the ring edge from msrc to mdst, if gap <= half
    back = (msrc - mdst) % n  # ... or from mdst to msrc, if back <= half
    first = np.where(gap <= half, msrc, mdst)
    step = np.minimum(gap, back)
    on_ring = (step >= 1) & (step <= half)
    ring_index = first * half + step - 1
    drop = msrc == mdst
    drop[on_ring] |= ~moved[ring_index[on_ring]]
    msrc, mdst = msrc[~drop], mdst[~drop]
    key = np.unique(np.minimum(msrc, mdst) * n + np.maximum(msrc, mdst))
    fixed = ~moved
    lo = np.concatenate([src[fixed], key // n])
    hi = np.concatenate([dst[fixed], key % n])
    # the CSR arrays directly (what scipy's COO conversion gives: rows' indices sorted)
    from longgame.models.market import _kernels

    indptr, indices = _kernels.symmetric_csr(lo, hi, n)
    data = np.ones(indices.size, dtype=np.float32)
    adjacency = sparse.csr_array((data, indices, indptr), shape=(n, n))
    adjacency.has_canonical_format = True  # sorted, no duplicates (edges are distinct)
    return adjacency


def to_networkx(
    adjacency: sparse.csr_array | sparse.csr_matrix,
    attributes: Mapping[str, ArrayLike] | None = None,
) -> nx.Graph[Any]:
    """The network as an undirected ``networkx.Graph``, for analysis and drawing.

    Nodes are the customers' indices ``0 .. n-1`` (isolated customers included); each
    array in ``attributes`` (length n) becomes a node attribute, converted to plain
    Python values. networkx keeps about a kilobyte per edge: fine for thousands of
    customers, not for a million (use the CSR adjacency for those).
    :meth:`MarketModel.to_networkx` returns a model's network with its customers'
    seller and trust attached.

    >>> g = to_networkx(small_world(10, 4, 0.0, np.random.default_rng(0)),
    ...                 {"trust": np.linspace(0, 1, 10)})
    >>> g.number_of_nodes(), g.number_of_edges(), sorted(dict(g.degree).values())[0]
    (10, 20, 4)
    >>> g.nodes[9]
    {'trust': 1.0}
    """
    import networkx as nx

    matrix = sparse.csr_array(adjacency)
    n = matrix.shape[0]
    if matrix.shape != (n, n):
        raise ValueError(f"adjacency has shape {matrix.shape}; expected a square matrix")
    graph: nx.Graph[Any] = nx.Graph()
    graph.add_nodes_from(range(n))
    upper = sparse.triu(matrix, k=1).tocoo()
    graph.add_edges_from(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
    for name, values in (attributes or {}).items():
        column = np.asarray(values)
        if column.shape != (n,):
            raise ValueError(f"node attribute {name!r} has shape {column.shape}; expected ({n},)")
        nx.set_node_attributes(graph, dict(enumerate(column.tolist())), name)
    return graph
