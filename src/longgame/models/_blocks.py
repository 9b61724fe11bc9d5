"""How a round robin cuts its repetitions into blocks, and whether worker processes pay.

A block is the unit of seeding (one seed spawned per block, up front) and one lock-step
batch of the engine. Small blocks waste the engine's per-round cost, which is the same
for ten relationships as for ten thousand; the engine runs fastest with about 10-30
thousand relationships in a batch (measured in ``benchmarks/bench_tournament.py``). The
automatic plan depends only on the tournament (repetitions and pairs), never on the
worker count or the machine, so results for a seed are reproducible everywhere.

Worker processes start in 1-4 s each (a fresh interpreter importing numpy and
longgame), more than a whole ordinary tournament takes, so a round robin uses them only
when its work is large: at least :data:`PARALLEL_TURNS` turns and two blocks.
"""

from __future__ import annotations

import math

__all__ = ["MIN_BLOCK", "PARALLEL_TURNS", "TARGET_RELATIONSHIPS", "block_sizes", "processes"]

#: Relationships per lock-step batch the automatic plan aims at.
TARGET_RELATIONSHIPS = 16_384
#: Smallest automatic block (the former fixed default, so tournaments of up to ten
#: repetitions keep their former random streams).
MIN_BLOCK = 10
#: Turns (relationship-rounds) below which worker processes cost more than they save.
PARALLEL_TURNS = 50_000_000


def block_sizes(repetitions: int, pairs: int, block_size: int | None) -> list[int]:
    """Repetitions in each block, in order.

    With ``block_size`` given, blocks of that size (the last one shorter). With
    ``None``, as few blocks as keep each near :data:`TARGET_RELATIONSHIPS` relationships
    (at least :data:`MIN_BLOCK` repetitions each), of balanced sizes.

    >>> block_sizes(25, 55, 10)
    [10, 10, 5]
    >>> block_sizes(10, 55, None), block_sizes(1000, 55, None)
    ([10], [250, 250, 250, 250])
    """
    if block_size is not None:
        full, rest = divmod(repetitions, block_size)
        return [block_size] * full + ([rest] if rest else [])
    per_block = max(MIN_BLOCK, math.ceil(TARGET_RELATIONSHIPS / max(pairs, 1)))
    n_blocks = max(1, math.ceil(repetitions / per_block))
    size = math.ceil(repetitions / n_blocks)
    sizes = [size] * (repetitions // size)
    return sizes + ([repetitions - sum(sizes)] if sum(sizes) < repetitions else [])


def processes(workers: int, blocks: int, turns: float) -> int:
    """Worker processes to use: 1 (serial, in this process) unless the work is large
    enough to pay for starting them; never more than there are blocks.

    >>> processes(4, 3, 1e9), processes(4, 3, 1e6), processes(4, 1, 1e9)
    (3, 1, 1)
    """
    if workers <= 1 or blocks <= 1 or turns < PARALLEL_TURNS:
        return 1
    return min(workers, blocks)
