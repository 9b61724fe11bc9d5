"""The network's sort-free dedupe builds exactly the adjacency of the former np.unique build."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from longgame.models.market._network import small_world


def _small_world_unique(n: int, degree: int, rewire: float, seed: int) -> sparse.csr_array:
    """The former build (np.unique over every edge), kept as the reference."""
    rng = np.random.default_rng(seed)
    half = max(1, min(degree // 2, (n - 1) // 2))
    src = np.repeat(np.arange(n, dtype=np.int64), half)
    dst = (src + np.tile(np.arange(1, half + 1, dtype=np.int64), n)) % n
    moved = rng.random(src.size) < rewire
    dst[moved] = rng.integers(0, n, int(moved.sum()))
    keep = src != dst
    src, dst = src[keep], dst[keep]
    key = np.unique(np.minimum(src, dst) * n + np.maximum(src, dst))
    lo, hi = key // n, key % n
    rows = np.concatenate([lo, hi]).astype(np.int32)
    cols = np.concatenate([hi, lo]).astype(np.int32)
    data = np.ones(rows.size, dtype=np.float32)
    return sparse.csr_array((data, (rows, cols)), shape=(n, n))


@pytest.mark.parametrize(
    ("n", "degree", "rewire"),
    [
        (3, 2, 0.5),
        (5, 4, 1.0),
        (7, 10, 0.3),
        (50, 4, 0.0),
        (50, 6, 1.0),
        (200, 10, 0.1),
        (1000, 8, 0.5),
        (20_000, 10, 0.05),
    ],
)
@pytest.mark.parametrize("seed", [0, 1, 7, 12345])
def test_small_world_same_adjacency_as_unique_build(
    n: int, degree: int, rewire: float, seed: int
) -> None:
    """Same seed, same CSR arrays (indptr, indices, data all 1) as the np.unique build."""
    got = small_world(n, degree, rewire, np.random.default_rng(seed))
    want = _small_world_unique(n, degree, rewire, seed)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_array_equal(got.data, want.data)
    assert got.has_canonical_format
    assert np.all(got.data == 1)


def test_small_world_dense_rewiring_drops_duplicates() -> None:
    """A tiny, fully rewired graph has duplicates and self-loops, and none survive."""
    got = small_world(5, 4, 1.0, np.random.default_rng(3))
    dense = got.toarray()
    assert np.all(np.diag(dense) == 0)
    assert set(np.unique(dense)) <= {0.0, 1.0}
    assert np.array_equal(dense, dense.T)
    assert dense.sum() < 2 * 5 * 2  # some of the 10 rewired edges coincided or looped
