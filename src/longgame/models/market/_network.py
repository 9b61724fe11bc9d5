"""The customer network for word of mouth: a Watts-Strogatz graph as a CSR adjacency.

networkx builds graphs as dicts of dicts (about a kilobyte per edge), which does not fit
a million customers in memory; this module builds the same Watts-Strogatz model
(Watts & Strogatz 1998, *Nature* 393:440) directly as numpy edge arrays and returns a
symmetric ``scipy.sparse.csr_array``. :func:`to_networkx` converts it back for
inspection and for the tests that compare it with ``networkx.watts_strogatz_graph``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
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
    dst = (src + np.tile(np.arange(1, half + 1, dtype=np.int64), n)) % n
    moved = rng.random(src.size) < rewire
    dst[moved] = rng.integers(0, n, int(moved.sum()))
    keep = src != dst
    src, dst = src[keep], dst[keep]
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    key = np.unique(lo * n + hi)
    lo, hi = key // n, key % n
    rows = np.concatenate([lo, hi])
    cols = np.concatenate([hi, lo])
    data = np.ones(rows.size, dtype=np.float32)
    return sparse.csr_array((data, (rows.astype(np.int32), cols.astype(np.int32))), shape=(n, n))


def to_networkx(adjacency: sparse.csr_array) -> nx.Graph[Any]:
    """The adjacency as a ``networkx.Graph`` (for inspection; small networks only)."""
    import networkx as nx

    graph: nx.Graph[Any] = nx.from_scipy_sparse_array(adjacency)
    return graph
