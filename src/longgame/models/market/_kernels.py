"""Compiled loops of the market step (numba), fused over the gathered rows.

A market step used to be some two hundred numpy passes and a few hundred Python calls;
at a hundred thousand relationships the passes dominate, at a few thousand the calls
do. Each kernel here does in one loop over the relationships what a run of numpy passes
did: select this period's buyers and gather their rows, make the deals, write the deals
into the histories, update trust, closeness and the ladder, decide who stays, spread
word of mouth, acquire new customers, close the sellers' books and the period's
metrics. Their scalar arguments that are fixed for a run are converted once per model,
so a kernel call costs a microsecond or two of dispatch.

Random numbers come from the model's numpy ``Generator``, in the same order and sizes
as the numpy code drew them: either drawn by the step and passed in, or drawn here
through the generator's C interface (:func:`bit_generator`) by the same algorithms as
numpy's ``random``, ``integers`` and ``gumbel``, which saves a Python call per draw site
and lets one kernel do what needed several calls between draws (the whole acquisition,
for one). So a seed gives the same run as before. The arithmetic is the numpy code's, operation
for operation and in the same float types (float32 where the state is float32; a numpy
comparison of a float32 array with a Python float is made in float32, so such
thresholds arrive here as ``np.float32``); sums over relationships run in index order,
as ``np.bincount`` sums. Results are therefore bit-for-bit those of the numpy step
(``tests/models/market/test_market_reproducible.py``). The mechanism modules keep each
rule as a documented numpy function (``deal_payoffs``, ``update_trust``,
``update_levels``, ``continuation``, ...): the readable statement of the rule, which
``tests/models/market/test_market_kernels.py`` holds equal to the kernels bit for bit.

The module imports numba, so only the step's modules import it (:mod:`.model`, which
imports Mesa anyway, and the customers, word of mouth and acquisition it uses; the
network build imports it when called): ``import longgame`` and ``import
longgame.models.market`` stay light. Kernels are compiled on first use and cached on
disk (``cache=True``).
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]
from numba import njit, types
from numba.extending import intrinsic
from numpy.typing import NDArray

#: Empty arrays standing for inputs a call does not have (kernels take arrays, never
#: None): a missing opinion table, neighbour table, and per-slot money.
NO_TABLE: NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)
NO_NEIGHBOURS: NDArray[np.int32] = np.zeros((0, 0), dtype=np.int32)
NO_MONEY: NDArray[np.float64] = np.zeros(0)

__all__ = [
    "NO_MONEY",
    "NO_NEIGHBOURS",
    "NO_TABLE",
    "BitGen",
    "Scratch",
    "acquire",
    "add_at",
    "begin",
    "best_offers",
    "bit_generator",
    "choose",
    "close_books",
    "deal",
    "end",
    "fill_gumbel",
    "fill_integers",
    "fill_uniform32",
    "free_customers",
    "group_metrics",
    "gumbel",
    "leavers",
    "noise_finish",
    "noise_uniforms",
    "offers",
    "opinions_of",
    "pick_offers",
    "plan_contacts",
    "put_rows",
    "segment_sums",
    "select_drawing",
    "settle",
    "spread_messages",
    "stay",
    "stay_drawing",
    "symmetric_csr",
    "talkers",
    "tell_neighbours",
    "uniform32",
]

_TRUST, _SATISFACTION, _CLOSENESS = 0, 1, 2


# -- random draws from the model's generator, in the kernels -----------------------------
#
# A kernel that draws calls the model's numpy bit generator through its C interface
# (``BitGenerator.ctypes``: the address of its state and of its ``next_uint32`` and
# ``next_double`` functions), and turns the raw numbers into uniforms, bounded integers
# and Gumbel draws exactly as numpy's ``Generator.random``, ``integers`` and ``gumbel``
# do (``numpy/random/src/distributions``). So a draw made here equals, bit for bit and
# in the same place of the stream, the draw the model made with the Generator before
# (``tests/models/market/test_market_kernels.py`` holds them equal), without the cost
# of a Python call per draw site.

#: A bit generator as the kernels take it: addresses of ``next_uint32``,
#: ``next_double`` and the state (see :func:`bit_generator`).
BitGen = tuple[int, int, int]


#: The C functions of numpy's own bit generator classes (static, one per class).
_FUNCTIONS: dict[type, tuple[int, int]] = {}


def bit_generator(rng: np.random.Generator) -> BitGen:
    """The C interface of ``rng``'s bit generator, for the kernels that draw.

    The addresses are valid in this process while ``rng`` lives (so they are taken
    again each step rather than stored with a model, which may be pickled): the caller
    must hold ``rng`` while kernels use them (a temporary generator is freed at once,
    and a kernel would then read freed memory). Draws made through them advance ``rng``
    as its own methods would.
    """
    bits = rng.bit_generator
    c = bits.ctypes
    functions = _FUNCTIONS.get(type(bits))
    if functions is None:
        u32 = ctypes.cast(c.next_uint32, ctypes.c_void_p).value
        dbl = ctypes.cast(c.next_double, ctypes.c_void_p).value
        assert u32 is not None
        assert dbl is not None
        functions = (u32, dbl)
        if type(bits).__module__.startswith("numpy.random"):
            _FUNCTIONS[type(bits)] = functions
    return (functions[0], functions[1], int(c.state_address))


def _u32_intrinsic(typingctx: Any, fn: Any, state: Any) -> Any:
    """``((uint32 (*)(void *)) fn)(state)``."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        fnty = ir.FunctionType(ir.IntType(32), [ir.IntType(8).as_pointer()])
        f = builder.inttoptr(args[0], fnty.as_pointer())
        st = builder.inttoptr(args[1], ir.IntType(8).as_pointer())
        return builder.call(f, [st])

    return types.uint32(types.intp, types.intp), codegen


_call_u32: Any = intrinsic(_u32_intrinsic)


def _double_intrinsic(typingctx: Any, fn: Any, state: Any) -> Any:
    """``((double (*)(void *)) fn)(state)``."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        fnty = ir.FunctionType(ir.DoubleType(), [ir.IntType(8).as_pointer()])
        f = builder.inttoptr(args[0], fnty.as_pointer())
        st = builder.inttoptr(args[1], ir.IntType(8).as_pointer())
        return builder.call(f, [st])

    return types.float64(types.intp, types.intp), codegen


_call_double: Any = intrinsic(_double_intrinsic)


@njit(cache=True, nogil=True)
def uniform32(bg: Any) -> Any:
    """One float32 uniform in [0, 1), as ``Generator.random(dtype=np.float32)``."""
    return np.float32(_call_u32(bg[0], bg[2]) >> np.uint32(8)) * np.float32(1.0 / 16777216.0)


@njit(cache=True, nogil=True)
def fill_uniform32(bg: Any, out: Any) -> None:
    """``out[:] = Generator.random(out.size, dtype=np.float32)``."""
    for i in range(out.shape[0]):
        out[i] = uniform32(bg)


@njit(cache=True, nogil=True)
def fill_integers(bg: Any, high: int, out: Any) -> None:
    """``out[:] = Generator.integers(0, high, out.size)`` for ``1 <= high <= 2**32``
    (numpy's buffered Lemire rejection on 32-bit draws; none drawn for ``high == 1``)."""
    rng = np.uint64(high - 1)
    if rng == 0:
        out[:] = 0
        return
    full = np.uint64(0xFFFFFFFF)
    if rng == full:
        for i in range(out.shape[0]):
            out[i] = np.int64(_call_u32(bg[0], bg[2]))
        return
    excl = rng + np.uint64(1)
    threshold = (full - rng) % excl
    for i in range(out.shape[0]):
        m = np.uint64(_call_u32(bg[0], bg[2])) * excl
        leftover = m & full
        if leftover < excl:
            while leftover < threshold:
                m = np.uint64(_call_u32(bg[0], bg[2])) * excl
                leftover = m & full
        out[i] = np.int64(m >> np.uint64(32))


@njit(cache=True, nogil=True)
def gumbel(bg: Any) -> Any:
    """One standard Gumbel draw, as ``Generator.gumbel()`` (rejecting ``U == 1``)."""
    while True:
        u = 1.0 - _call_double(bg[1], bg[2])
        if u < 1.0:
            return 0.0 - 1.0 * np.log(-np.log(u))


@njit(cache=True, nogil=True)
def fill_gumbel(bg: Any, out: Any) -> None:
    """``out[:] = Generator.gumbel(size=out.size)``."""
    for i in range(out.shape[0]):
        out[i] = gumbel(bg)


class Scratch:
    """Buffers for one step's per-relationship arrays, made once per model.

    Kernels write into slices of these instead of allocating: numpy backs large arrays
    with huge pages, a kernel's own allocations take a page fault per 4 KiB, which cost
    as much as the loops. One buffer per customer row bounds every step's needs.
    """

    def __init__(self, n: int, depth: int) -> None:
        e = np.empty
        i64, i8, b1, f32 = np.intp, np.int8, np.bool_, np.float32
        # select_drawing: relationships (customer, slot, buys), then per buyer
        self.cur: NDArray[np.intp] = e(n, i64)
        self.slot_cur: NDArray[np.intp] = e(n, i64)
        self.buy: NDArray[np.bool_] = e(n, b1)
        self.pos_b: NDArray[np.intp] = e(n, i64)
        self.order: NDArray[np.intp] = e(n, i64)
        self.b: NDArray[np.intp] = e(n, i64)
        self.slot_b: NDArray[np.intp] = e(n, i64)
        self.rounds: NDArray[np.intp] = e(n, i64)
        self.actions: NDArray[np.int8] = e((n, 2, depth), i8)
        self.counts: NDArray[np.intp] = e((n, 2, 2), i64)
        self.totals: NDArray[np.float64] = e((n, 2))
        self.latest: NDArray[np.float64] = e((n, 2))
        self.mood: NDArray[np.float32] = e((n, 4), f32)
        self.level: NDArray[np.int8] = e(n, i8)
        self.taker: NDArray[np.bool_] = e(n, b1)
        # uniforms drawn in the step: demand and chat, later who stays and who talks;
        # the customers' actions; the deal noise
        self.uniform: NDArray[np.float32] = e(2 * n, f32)
        self.u_cust: NDArray[np.float32] = e(n, f32)
        self.u_noise: NDArray[np.float32] = e(2 * n, f32)
        # deal, settle, continuation, stay, talkers
        self.seller_act: NDArray[np.int8] = e(n, i8)
        self.cust_act: NDArray[np.int8] = e(n, i8)
        self.size: NDArray[np.float64] = e(n)
        self.profit: NDArray[np.float64] = e(n)
        self.surplus: NDArray[np.float64] = e(n)
        self.leaves: NDArray[np.bool_] = e(n, b1)
        self.p_stay: NDArray[np.float32] = e(n, f32)
        self.keep: NDArray[np.bool_] = e(n, b1)
        self.left: NDArray[np.intp] = e(n, i64)
        self.talk: NDArray[np.intp] = e(n, i64)
        self.weights: NDArray[np.float64] = e(n)

    @property
    def select(self) -> tuple[NDArray[Any], ...]:
        """The buffers of :func:`select_drawing`, in its order."""
        return (
            self.cur, self.slot_cur, self.buy, self.pos_b, self.order, self.b, self.slot_b,
            self.rounds, self.actions, self.counts, self.totals, self.latest, self.mood,
            self.level, self.taker,
        )  # fmt: skip

    @property
    def deal(self) -> tuple[NDArray[Any], ...]:
        """The buffers of :func:`deal`, in its order."""
        return self.cust_act, self.size, self.profit, self.surplus


@njit(cache=True, nogil=True)
def _current(seller: Any, cur: Any) -> int:
    """The customers in a relationship, in order, into ``cur``; returns how many."""
    cur_n = 0
    for i in range(seller.shape[0]):
        cur[cur_n] = i
        cur_n += seller[i] >= 0
    return cur_n


@njit(cache=True, nogil=True)
def _choose_buyers(
    cur_n: int,
    seller: Any,
    start: Any,
    mood: Any,
    level: Any,
    taker: Any,
    actions: Any,
    counts: Any,
    totals: Any,
    latest: Any,
    slot_group: Any,
    n_groups: int,
    t: int,
    demand: np.float32,
    all_buy: bool,
    u_demand: Any,
    forget_sale: np.float32,
    u_chat: Any,
    ws: Any,
) -> Any:
    """This period's buyers among the ``cur_n`` relationships in ``ws[0]`` (by
    :func:`_current`), sorted by strategy (stably), and compact copies of their rows,
    written into the buffers ``ws`` (:meth:`Scratch.select`); returns the number of
    relationships and of buyers, each slot's book and the groups' slice bounds.

    ``u_demand`` (empty unless 0 < demand < 1) and ``u_chat`` (empty unless a friend's
    purchase can be chatted away) are uniforms, one per relationship in customer order.
    """
    # Conditions are combined with ``&`` and ``|`` (no short circuit) and counters
    # advanced by 0/1: random outcomes make branches mispredict, which cost more than
    # the work itself.
    (
        cur, slot_cur, buy, pos_b, order, b_idx, slot_b, rounds_b, actions_b, counts_b,
        totals_b, latest_b, mood_b, level_b, taker_b,
    ) = ws  # fmt: skip
    n_slots = slot_group.shape[0]
    book_start = np.zeros(n_slots, np.intp)
    group_count = np.zeros(n_groups, np.intp)
    draw = u_demand.shape[0] > 0
    chat = u_chat.shape[0] > 0
    for j in range(cur_n):
        i = cur[j]
        s = np.intp(seller[i])
        slot_cur[j] = s
        book_start[s] += 1
        # a relationship's first deal is in the period after it began
        b = (start[i] == t - 1) | all_buy
        if draw:
            b = b | (u_demand[j] < demand)
        if chat:
            b = b & (u_chat[j] >= mood[i, _CLOSENESS] * forget_sale)
        buy[j] = b
        group_count[slot_group[s]] += b
    bounds = np.zeros(n_groups + 1, np.intp)
    for g in range(n_groups):
        bounds[g + 1] = bounds[g] + group_count[g]
    nb = bounds[n_groups]
    depth = actions.shape[2]
    # one pass in customer order, each buyer's row copied to the next free place of its
    # group's slice (reads walk the population forwards; writes fill a few streams)
    fill = bounds[:-1].copy()
    # rows copied as flat runs (one loop each, not one per action)
    width = 2 * depth
    actions2 = actions.reshape(actions.shape[0], width)
    actions_b2 = actions_b.reshape(actions_b.shape[0], width)
    counts2 = counts.reshape(counts.shape[0], 4)
    counts_b2 = counts_b.reshape(counts_b.shape[0], 4)
    m = 0
    for j in range(cur_n):
        if not buy[j]:
            continue
        s = slot_cur[j]
        g = slot_group[s]
        k = fill[g]
        fill[g] += 1
        order[m] = k
        m += 1
        i = cur[j]
        pos_b[k] = j
        b_idx[k] = i
        slot_b[k] = s
        for c in range(width):
            actions_b2[k, c] = actions2[i, c]
        for c in range(4):
            counts_b2[k, c] = counts2[i, c]
        totals_b[k, 0] = totals[i, 0]
        totals_b[k, 1] = totals[i, 1]
        latest_b[k, 0] = latest[i, 0]
        latest_b[k, 1] = latest[i, 1]
        rounds_b[k] = counts_b[k, 0, 0] + counts_b[k, 0, 1]
        for c in range(4):
            mood_b[k, c] = mood[i, c]
        level_b[k] = level[i]
        taker_b[k] = taker[i]
    return cur_n, nb, book_start, bounds


@njit(cache=True, nogil=True)
def select_drawing(
    bg: Any,
    draw_demand: bool,
    draw_chat: bool,
    uniform: Any,
    u_cust: Any,
    seller: Any,
    start: Any,
    mood: Any,
    level: Any,
    taker: Any,
    actions: Any,
    counts: Any,
    totals: Any,
    latest: Any,
    slot_group: Any,
    n_groups: int,
    t: int,
    demand: np.float32,
    all_buy: bool,
    forget_sale: np.float32,
    ws: Any,
) -> Any:
    """This period's relationships and buyers (:func:`_current`, :func:`_choose_buyers`)
    with their draws: the demand uniforms (if ``draw_demand``) and the chat uniforms (if
    ``draw_chat``), one per relationship, into ``uniform``, then the buyers' own uniforms
    (their actions) into ``u_cust``, in this order as the step drew them with the
    Generator."""
    n_cur = _current(seller, ws[0])
    u_demand = uniform[: n_cur if draw_demand else 0]
    fill_uniform32(bg, u_demand)
    u_chat = uniform[n_cur : 2 * n_cur if draw_chat else n_cur]
    fill_uniform32(bg, u_chat)
    out = _choose_buyers(
        n_cur, seller, start, mood, level, taker, actions, counts, totals, latest,
        slot_group, n_groups, t, demand, all_buy, u_demand, forget_sale, u_chat, ws,
    )  # fmt: skip
    fill_uniform32(bg, u_cust[: out[1]])
    return out


@njit(cache=True, nogil=True)
def noise_uniforms(bg: Any, u: Any) -> None:
    """Draw the (2, n) float32 uniforms of :func:`._exchange.box_muller` into ``u`` and
    make its first steps, which numpy's ufuncs make exactly so: ``u[0]`` negated and
    ``u[1]`` times 2 pi (float32)."""
    fill_uniform32(bg, u.reshape(-1))
    two_pi = np.float32(2.0 * np.pi)
    for i in range(u.shape[1]):
        u[0, i] = -u[0, i]
        u[1, i] = two_pi * u[1, i]


@njit(cache=True, nogil=True)
def noise_finish(log_u: Any, factor: np.float32, z: Any) -> None:
    """The last steps of :func:`._exchange.box_muller`: the radius ``sqrt(factor *
    log_u)`` times ``z`` (the cosines and sines), in float32 as numpy makes them."""
    for i in range(z.shape[1]):
        r = np.sqrt(factor * log_u[i])
        z[0, i] *= r
        z[1, i] *= r


@njit(cache=True, nogil=True)
def deal(
    seller_act: Any,
    u_cust: Any,
    taker_b: Any,
    mood_b: Any,
    level_b: Any,
    rounds_b: Any,
    bounds: Any,
    margin_g: Any,
    service_g: Any,
    yield_g: Any,
    z: Any,
    late_payment: np.float32,
    take_prob: np.float32,
    friendship: bool,
    takers: bool,
    extract_takers_only: bool,
    size_gain: float,
    ladder: bool,
    surplus_: float,
    fleece_gain: float,
    service: bool,
    value_ratio: float,
    concession: float,
    concede: bool,
    extraction: float,
    noise: bool,
    onboarding: float,
    ws: Any,
) -> Any:
    """Customers' actions, deal sizes, and the seller's profit and customer's surplus of
    each buyer's deal (see :func:`._exchange.deal_payoffs` for the rules).

    Writes ``(customer actions, sizes, profit, surplus)`` into the buffers ``ws``.
    """
    extract_all = not extract_takers_only
    cust_act, size, profit, surplus = ws
    zero32 = np.float32(0.0)
    for g in range(bounds.shape[0] - 1):
        margin = margin_g[g]
        give = service_g[g]
        yield_ = yield_g[g]
        for k in range(bounds[g], bounds[g + 1]):
            # customer: takers take with take_prob, others with late_payment * closeness
            p = late_payment * mood_b[k, _CLOSENESS] if friendship else zero32
            tk = takers & taker_b[k]
            p = take_prob if tk else p
            took = u_cust[k] < p
            cust_act[k] = took
            sz = 1.0 + size_gain * np.float64(level_b[k]) if ladder else 1.0
            size[k] = sz
            # choices by 0/1 factors, as the numpy rules make them (``a * 1 + b * 0 == a``)
            fair = seller_act[k] != 1
            fair_f = np.float64(fair)
            pr = margin * surplus_ if fair else fleece_gain
            su = surplus_ - pr
            if service:
                given = give * fair_f
                pr -= given
                su += value_ratio * given
            transfer = 0.0
            if concede:
                transfer = np.float64(mood_b[k, _CLOSENESS]) * yield_ * concession * fair_f
            if extraction > 0.0:
                transfer += np.float64(took & (taker_b[k] | extract_all)) * extraction
            pr -= transfer
            su += transfer
            if noise:
                pr -= np.float64(z[0, k])
                su += np.float64(z[1, k])
            pr *= sz
            su *= sz
            if onboarding > 0.0:
                gift = np.float64(rounds_b[k] == 0) * onboarding
                pr -= gift
                su += gift
            profit[k] = pr
            surplus[k] = su


@njit(cache=True, nogil=True)
def settle(
    b_idx: Any,
    slot_b: Any,
    order: Any,
    seller_act: Any,
    cust_act: Any,
    profit: Any,
    surplus: Any,
    felt: Any,
    rounds_b: Any,
    actions_b: Any,
    counts_b: Any,
    totals_b: Any,
    latest_b: Any,
    mood_b: Any,
    level_b: Any,
    actions: Any,
    counts: Any,
    totals: Any,
    latest: Any,
    level: Any,
    rate: Any,
    n_slots: int,
    friendship: bool,
    ladder: bool,
    trust_threshold: np.float32,
    tenure: int,
    trust_on: bool,
    memory: np.float32,
    up_rate: np.float32,
    down_keep: np.float32,
    leaves: Any,
    mood: Any,
) -> Any:
    """Write each buyer's deal into its history (gathered rows and the population's),
    grow closeness, climb or fall on the ladder, update trust and satisfaction.

    The gathered rows are updated in place (they show the relationships after the
    deal); ``mood_b`` too, and written back into ``mood`` unless that is empty (then
    the caller writes it back after other updates). Returns each slot's profit from
    the deals; ``leaves`` (one per buyer) is set where the customer leaves on low trust
    or satisfaction.
    """
    depth = actions_b.shape[2]
    width = 2 * depth
    actions2 = actions.reshape(actions.shape[0], width)
    actions_b2 = actions_b.reshape(actions_b.shape[0], width)
    counts2 = counts.reshape(counts.shape[0], 4)
    counts_b2 = counts_b.reshape(counts_b.shape[0], 4)
    slot_profit = np.zeros(n_slots, np.float64)
    one32 = np.float32(1.0)
    write_mood = mood.shape[0] > 0
    # buyers in customer order (``order``), so that writes walk the population forwards;
    # a slot's buyers are in customer order either way, so its profit sums alike
    for m in range(order.shape[0]):
        if True:
            k = order[m]
            i = b_idx[k]
            sa = seller_act[k]
            ca = cust_act[k]
            for d in range(depth - 1, 0, -1):
                actions_b[k, 0, d] = actions_b[k, 0, d - 1]
                actions_b[k, 1, d] = actions_b[k, 1, d - 1]
            actions_b[k, 0, 0] = sa
            actions_b[k, 1, 0] = ca
            counts_b[k, 0, sa] += 1
            counts_b[k, 1, ca] += 1
            rounds_b[k] += 1
            latest_b[k, 0] = profit[k]
            latest_b[k, 1] = surplus[k]
            totals_b[k, 0] += profit[k]
            totals_b[k, 1] += surplus[k]
            for c in range(width):
                actions2[i, c] = actions_b2[k, c]
            for c in range(4):
                counts2[i, c] = counts_b2[k, c]
            totals[i, 0] = totals_b[k, 0]
            totals[i, 1] = totals_b[k, 1]
            latest[i, 0] = latest_b[k, 0]
            latest[i, 1] = latest_b[k, 1]
            if friendship:
                close = mood_b[k, _CLOSENESS]
                mood_b[k, _CLOSENESS] = close + rate[slot_b[k]] * (one32 - close)
            trust = mood_b[k, _TRUST]
            if ladder:
                lv = level_b[k]
                fair = sa == 0
                up = fair & (lv < 4) & (trust >= trust_threshold)
                up = up & (counts_b[k, 0, 0] >= tenure * (lv + 1))
                level[i] = (lv + up) * fair  # a fleece drops the relationship to level 0
            slot_profit[slot_b[k]] += profit[k]
            # trust and satisfaction (see update_trust)
            f = felt[k]
            sat = mood_b[k, _SATISFACTION]
            sat = sat + (np.float32(f) - sat) * memory
            mood_b[k, _SATISFACTION] = sat
            if trust_on:
                good = f >= 0
                rise = (one32 - trust) * up_rate + trust
                fall = trust * down_keep
                trust = rise if good else fall
                mood_b[k, _TRUST] = trust
                tol = mood_b[k, 3]
                leaves[k] = ((trust < tol) & (not good)) | (sat < -tol)
            else:
                leaves[k] = False
            if write_mood:
                for c in range(4):
                    mood[i, c] = mood_b[k, c]
    return slot_profit


@njit(cache=True, nogil=True)
def stay(
    cur: Any,
    slot_cur: Any,
    mood: Any,
    level: Any,
    care: Any,
    repeat: bool,
    base: np.float32,
    satisfaction_gain: np.float32,
    service_gain: np.float32,
    loyalty_gain: np.float32,
    loyalty: np.float32,
    cap: np.float32,
    factor: Any,
    u: Any,
    pos_b: Any,
    leave_b: Any,
    n_slots: int,
    p_stay: Any,
    keep: Any,
    left: Any,
) -> Any:
    """Who stays: each relationship ``cur`` continues with the repeat-purchase
    probability (see ``_trust.continuation``; a gain of 0 stands for a mechanism that
    is off; times ``factor`` where given, one per relationship), i.e. if ``u < p_stay``,
    unless the customer leaves after this period's deal (``leave_b``).

    Writes ``p_stay``, ``keep`` and into ``left`` the positions in ``cur`` of those who
    left; returns ``(how many left, and per slot: customers lost, satisfied customers
    who stay, the stayers' trust summed)``.
    """
    n = cur.shape[0]
    zero32 = np.float32(0.0)
    scaled = factor.shape[0] > 0
    for j in range(n):
        i = cur[j]
        p = zero32
        if repeat:
            p = satisfaction_gain * mood[i, _SATISFACTION]
            p += base
            p += service_gain * care[slot_cur[j]]
            p += loyalty_gain * np.float32(level[i])
            p += loyalty * mood[i, _CLOSENESS]
            p = min(max(p, zero32), cap)
        if scaled:
            p *= factor[j]
        p_stay[j] = p
        keep[j] = u[j] < p
    for k in range(pos_b.shape[0]):
        if leave_b[k]:
            keep[pos_b[k]] = False
    lost = np.zeros(n_slots, np.intp)
    satisfied = np.zeros(n_slots, np.float64)
    trust = np.zeros(n_slots, np.float64)
    m = 0
    for j in range(n):
        s = slot_cur[j]
        i = cur[j]
        kept = keep[j]
        satisfied[s] += np.float64((mood[i, _SATISFACTION] > 0) & kept)
        trust[s] += np.float64(mood[i, _TRUST] * np.float32(kept))
        left[m] = j
        m += not kept
        lost[s] += not kept
    return m, lost, satisfied, trust


@njit(cache=True, nogil=True)
def stay_drawing(
    bg: Any,
    n_draws: int,
    uniform: Any,
    cur: Any,
    slot_cur: Any,
    mood: Any,
    level: Any,
    care: Any,
    repeat: bool,
    base: np.float32,
    satisfaction_gain: np.float32,
    service_gain: np.float32,
    loyalty_gain: np.float32,
    loyalty: np.float32,
    cap: np.float32,
    factor: Any,
    pos_b: Any,
    leave_b: Any,
    n_slots: int,
    p_stay: Any,
    keep: Any,
    left: Any,
) -> Any:
    """:func:`stay` with its draws: ``n_draws`` uniforms into ``uniform`` (one per
    relationship, then any more the step uses next, e.g. who talks)."""
    fill_uniform32(bg, uniform[:n_draws])
    return stay(
        cur, slot_cur, mood, level, care, repeat, base, satisfaction_gain, service_gain,
        loyalty_gain, loyalty, cap, factor, uniform[: cur.shape[0]], pos_b, leave_b, n_slots,
        p_stay, keep, left,
    )  # fmt: skip


@njit(cache=True, nogil=True)
def talkers(
    seller_act: Any,
    felt: Any,
    u: Any,
    warn_prob: np.float32,
    refer_prob: np.float32,
    delight: float,
    warn_weight: float,
    refer_weight: float,
    talk: Any,
    weights: Any,
) -> int:
    """Buyers who warn (fleeced at a loss) or refer (delighted): their positions and
    weights are written into ``talk`` and ``weights``; returns how many."""
    n = seller_act.shape[0]
    m = 0
    for k in range(n):
        warn = (seller_act[k] == 1) & (felt[k] < 0) & (u[k] < warn_prob)
        refer = (felt[k] >= delight) & (u[k] < refer_prob)
        talk[m] = k
        weights[m] = -warn_weight if warn else refer_weight
        m += warn | refer
    return m


@njit(cache=True, nogil=True)
def spread_messages(
    senders: Any,
    slots: Any,
    weights: Any,
    degree: Any,
    neighbours: Any,
    reach: float,
    n: int,
    scale: float,
    weak: float,
    outbox: Any,
    values: Any,
    told: Any,
    bg: Any,
) -> None:
    """``Opinions.spread`` on a network (``reach`` > 0): a sender with at most ``reach``
    contacts tells them all (its message into its ``outbox`` row); one with more tells
    each contact with probability ``reach / degree`` (one float64 uniform per entry of
    its ``neighbours`` row, padding included, drawn from ``bg`` as numpy's
    ``Generator.random`` draws them, straight into the hearers' ``values``); the reach
    beyond the contacts, weighted by ``weak``, is summed per seller into ``told``.
    Messages are ``weights / scale`` in float32, added in the order numpy's
    ``np.add.at`` adds them."""
    m = senders.shape[0]
    for k in range(m):
        if degree[senders[k]] <= reach:
            outbox[slots[k], senders[k]] += np.float32(weights[k] / scale)
    width = neighbours.shape[1]
    for k in range(m):
        sender = senders[k]
        if degree[sender] > reach:
            p_hear = reach / degree[sender]
            message = np.float32(weights[k] / scale)
            for d in range(width):
                u = _call_double(bg[1], bg[2])
                j = neighbours[sender, d]
                if (j < n) & (u < p_hear):
                    values[j, slots[k]] += message
    for k in range(m):
        extra = max(reach - degree[senders[k]], 0.0)
        told[slots[k]] += weak * weights[k] * extra


@njit(cache=True, nogil=True)
def tell_neighbours(
    seller_act: Any,
    felt: Any,
    u: Any,
    b_idx: Any,
    slot_b: Any,
    warn_prob: np.float32,
    refer_prob: np.float32,
    delight: float,
    warn_weight: float,
    refer_weight: float,
    degree: Any,
    neighbours: Any,
    reach: float,
    n: int,
    scale: float,
    outbox: Any,
    values: Any,
    buzz: Any,
    bg: Any,
) -> int:
    """Word of mouth on a network, ``reach`` > 0: :func:`talkers` followed by
    ``Opinions.spread`` of their messages (:func:`spread_messages`, then the reach
    beyond the contacts added to ``buzz`` per seller over ``n`` customers at
    ``scale``). Returns how many buyers talked."""
    nb = seller_act.shape[0]
    talk = np.empty(nb, np.intp)
    weights = np.empty(nb, np.float64)
    m = talkers(
        seller_act,
        felt,
        u,
        warn_prob,
        refer_prob,
        delight,
        warn_weight,
        refer_weight,
        talk,
        weights,
    )
    if m == 0:
        return 0
    senders = np.empty(m, np.intp)
    slots = np.empty(m, np.intp)
    for k in range(m):
        senders[k] = b_idx[talk[k]]
        slots[k] = slot_b[talk[k]]
    told = np.zeros(buzz.shape[0], np.float64)
    spread_messages(
        senders, slots, weights[:m], degree, neighbours, reach, n, scale, 1.0, outbox, values,
        told, bg,
    )  # fmt: skip
    for s in range(buzz.shape[0]):
        buzz[s] += told[s] / n / scale
    return m


@njit(cache=True, nogil=True)
def begin(
    idx: Any,
    slots: Any,
    step: int,
    trust: np.float32,
    seller: Any,
    start: Any,
    mood: Any,
    level: Any,
    tracked: Any,
    actions: Any,
    counts: Any,
    totals: Any,
    latest: Any,
) -> None:
    """Start relationships of customers ``idx`` with ``slots`` (fresh rows)."""
    depth = actions.shape[2]
    zero32 = np.float32(0.0)
    for k in range(idx.shape[0]):
        i = idx[k]
        seller[i] = slots[k]
        start[i] = step
        mood[i, _TRUST] = trust
        mood[i, _SATISFACTION] = zero32
        mood[i, _CLOSENESS] = zero32
        level[i] = 0
        tracked[i] = True
        for a in range(2):
            for d in range(depth):
                actions[i, a, d] = -1
            for c in range(2):
                counts[i, a, c] = 0
            totals[i, a] = 0.0
            latest[i, a] = 0.0


@njit(cache=True, nogil=True)
def _opinion(
    i: Any, s: Any, values: Any, neighbours: Any, outbox: Any, buzz: Any, scale: float
) -> Any:
    """What customer ``i`` thinks of seller ``s`` (see :func:`opinions_of`)."""
    heard = np.float64(values[i, s])
    if neighbours.shape[0] > 0 and neighbours.shape[1] > 0:
        told = 0.0
        pad = outbox.shape[1] - 1
        for d in range(neighbours.shape[1]):
            j = neighbours[i, d]
            if j == pad:  # the rest of the row is padding (zeros)
                break
            told += np.float64(outbox[s, j])
        heard += told
    return (heard + buzz[s]) * scale


@njit(cache=True, nogil=True)
def opinions_of(
    idx: Any, slots: Any, values: Any, neighbours: Any, outbox: Any, buzz: Any, scale: float
) -> Any:
    """What customers ``idx`` think of sellers ``slots`` (see ``Opinions.of``); an empty
    ``neighbours`` table means no network."""
    n = idx.shape[0]
    out = np.empty(n, np.float64)
    for k in range(n):
        out[k] = _opinion(idx[k], slots[k], values, neighbours, outbox, buzz, scale)
    return out


@njit(cache=True, nogil=True)
def add_at(table: Any, rows: Any, cols: Any, amount: Any, scale: float) -> None:
    """``table[rows, cols] += float32(amount / scale)``, repeated pairs adding up in order
    (``np.add.at`` of the float32 amounts)."""
    for k in range(rows.shape[0]):
        table[rows[k], cols[k]] += np.float32(amount[k] / scale)


@njit(cache=True, nogil=True)
def symmetric_csr(lo: Any, hi: Any, n: int) -> Any:
    """``(indptr, indices)`` of the symmetric adjacency of the distinct undirected edges
    ``(lo, hi)`` (no self-loops) on ``n`` nodes, each row's indices sorted."""
    m = lo.shape[0]
    indptr = np.zeros(n + 1, np.int32)
    for e in range(m):
        indptr[lo[e] + 1] += 1
        indptr[hi[e] + 1] += 1
    for r in range(n):
        indptr[r + 1] += indptr[r]
    fill = indptr[:-1].copy()
    indices = np.empty(2 * m, np.int32)
    for e in range(m):
        a, b = lo[e], hi[e]
        indices[fill[a]] = b
        fill[a] += 1
        indices[fill[b]] = a
        fill[b] += 1
    for r in range(n):  # rows are short (about the degree): insertion sort
        for q in range(indptr[r] + 1, indptr[r + 1]):
            v = indices[q]
            p = q - 1
            while p >= indptr[r] and indices[p] > v:
                indices[p + 1] = indices[p]
                p -= 1
            indices[p + 1] = v
    return indptr, indices


@njit(cache=True, nogil=True)
def pick_offers(pick: Any, n_prospects: int, contacts: Any) -> Any:
    """Offers sorted by prospect, stably, their owners, and the number of distinct
    prospects contacted.

    Offer ``k`` before sorting is owned by the position ``o`` with
    ``sum(contacts[:o]) <= k < sum(contacts[:o + 1])``. A counting sort of ``pick``
    when the offers are many for the prospects, else a sort of the offers alone (keys
    ``pick * total + k``, distinct, so the order is the stable one either way).
    """
    total = pick.shape[0]
    owners = np.empty(total, np.intp)
    k = 0
    for o in range(contacts.shape[0]):
        for _ in range(contacts[o]):
            owners[k] = o
            k += 1
    pick_s = np.empty(total, np.intp)
    owner_s = np.empty(total, np.intp)
    if 16 * total < n_prospects:
        keys = np.empty(total, np.int64)
        for k in range(total):
            keys[k] = np.int64(pick[k]) * total + k
        keys.sort()
        distinct = 0
        for m in range(total):
            c = keys[m] // total
            pick_s[m] = c
            owner_s[m] = owners[keys[m] - c * total]
            distinct += (m == 0) or (c != pick_s[m - 1])
        return pick_s, owner_s, distinct
    start = np.zeros(n_prospects + 1, np.intp)
    for k in range(total):
        start[pick[k] + 1] += 1
    distinct = 0
    for c in range(n_prospects):
        distinct += start[c + 1] > 0
        start[c + 1] += start[c]
    for k in range(total):
        c = pick[k]
        pick_s[start[c]] = c
        owner_s[start[c]] = owners[k]
        start[c] += 1
    return pick_s, owner_s, distinct


@njit(cache=True, nogil=True)
def best_offers(pick: Any, score: Any, outside: Any) -> Any:
    """Each prospect's best offer (the first of ties) if it beats its ``outside`` draw.

    ``pick`` is sorted; ``outside`` has one draw per distinct prospect, in order.
    Returns the positions of the winning offers.
    """
    total = pick.shape[0]
    won = np.empty(total, np.intp)
    m = 0
    k = 0
    p = 0
    while k < total:
        e = k + 1
        while e < total and pick[e] == pick[k]:
            e += 1
        best = k
        for q in range(k + 1, e):
            if score[q] > score[best]:
                best = q
        if score[best] > outside[p]:
            won[m] = best
            m += 1
        p += 1
        k = e
    return won[:m]


@njit(cache=True, nogil=True)
def offers(
    pick: Any,
    prospects: Any,
    slots: Any,
    contacts: Any,
    proof: Any,
    base: float,
    proof_weight: float,
    full: bool,
    reputation_weight: float,
    values: Any,
    neighbours: Any,
    outbox: Any,
    buzz: Any,
    scale: float,
    price_weight: float,
    offer: Any,
    lure: Any,
) -> Any:
    """The period's offers (see ``_acquisition.prospect``): sorted by prospect
    (:func:`pick_offers`), each offer's customer, seller slot and utility.

    ``pick`` are the contacts as positions in ``prospects``, ``contacts`` how many each
    of ``slots`` made. The utility is ``base + proof_weight * proof``, and where ``full``
    plus ``reputation_weight`` times the customer's opinion of the seller (an empty
    ``values`` table: none), ``price_weight * offer`` (if ``price_weight > 0``) and
    ``lure`` (unless empty), added in this order as the numpy code adds them.
    Returns ``(pick, owner, customers, slots, utility, distinct prospects)``, ``owner``
    the offers' positions in ``slots``.
    """
    pick_s, owner, distinct = pick_offers(pick, prospects.shape[0], contacts)
    total = pick_s.shape[0]
    cand = np.empty(total, np.intp)
    who = np.empty(total, np.intp)
    utility = np.empty(total, np.float64)
    heard = full and values.shape[0] > 0
    priced = full and price_weight > 0
    lured = full and lure.shape[0] > 0
    for k in range(total):
        o = owner[k]
        c = prospects[pick_s[k]]
        s = slots[o]
        cand[k] = c
        who[k] = s
        u = base + proof_weight * proof[o]
        if heard:
            u = u + reputation_weight * _opinion(c, s, values, neighbours, outbox, buzz, scale)
        if priced:
            u = u + price_weight * offer[o]
        if lured:
            u = u + lure[o]
        utility[k] = u
    return pick_s, owner, cand, who, utility, distinct


@njit(cache=True, nogil=True)
def choose(pick: Any, cand: Any, who: Any, utility: Any, gumbel: Any, outside: Any) -> Any:
    """The new relationships ``(customers, slots)``: each prospect's best offer by
    ``utility + gumbel`` if it beats its ``outside`` draw (see :func:`best_offers`)."""
    total = pick.shape[0]
    score = np.empty(total, np.float64)
    for k in range(total):
        score[k] = utility[k] + gumbel[k]
    won = best_offers(pick, score, outside)
    new_c = np.empty(won.shape[0], np.intp)
    new_s = np.empty(won.shape[0], np.intp)
    for m in range(won.shape[0]):
        new_c[m] = cand[won[m]]
        new_s[m] = who[won[m]]
    return new_c, new_s


@njit(cache=True, nogil=True)
def acquire(
    bg: Any,
    active: Any,
    book_start: Any,
    lost: Any,
    capacity: int,
    contacts: int,
    extra: Any,
    satisfied: Any,
    full_quality: float,
    free: Any,
    base: float,
    proof_weight: float,
    reputation_weight: float,
    values: Any,
    neighbours: Any,
    outbox: Any,
    buzz: Any,
    scale: float,
    price_weight: float,
    offer: Any,
    lure: Any,
    step: int,
    trust: np.float32,
    seller: Any,
    start: Any,
    mood: Any,
    level: Any,
    tracked: Any,
    actions: Any,
    counts: Any,
    totals: Any,
    latest: Any,
    new: Any,
) -> Any:
    """A period's acquisition in one call: who prospects (:func:`plan_contacts`), the
    contacts drawn (``Generator.integers``), the offers (:func:`offers`; ``offer`` and
    ``lure`` here one per slot, empty when off), the Gumbel draws, each prospect's
    choice (:func:`choose`), and the new relationships begun (:func:`begin`) and counted
    per slot into ``new``. The draws are ``_acquisition.prospect``'s, in its order and
    from the generator ``bg``. Returns ``(slots, contacts, customers, sellers)``.
    """
    slots, k, proof, n_free, total = plan_contacts(
        active, book_start, lost, capacity, contacts, extra, satisfied, full_quality,
        seller, free,
    )  # fmt: skip
    if total == 0:
        none = np.zeros(0, np.intp)
        return slots, k, none, none
    pick = np.empty(total, np.int64)
    fill_integers(bg, n_free, pick)
    offer_o = offer[slots] if offer.shape[0] > 0 else offer
    lure_o = lure[slots] if lure.shape[0] > 0 else lure
    pick_s, _, cand, who, utility, distinct = offers(
        pick, free[:n_free], slots, k, proof, base, proof_weight, True, reputation_weight,
        values, neighbours, outbox, buzz, scale, price_weight, offer_o, lure_o,
    )  # fmt: skip
    draws = np.empty(total + distinct, np.float64)
    fill_gumbel(bg, draws)
    new_c, new_s = choose(pick_s, cand, who, utility, draws[:total], draws[total:])
    begin(
        new_c, new_s, step, trust, seller, start, mood, level, tracked, actions, counts,
        totals, latest,
    )  # fmt: skip
    for m in range(new_s.shape[0]):
        new[new_s[m]] += 1
    return slots, k, new_c, new_s


@njit(cache=True, nogil=True)
def free_customers(seller: Any, out: Any) -> int:
    """The customers without a seller (prospects), in order, into ``out``; returns how many."""
    m = 0
    for i in range(seller.shape[0]):
        out[m] = i
        m += seller[i] < 0
    return m


@njit(cache=True, nogil=True)
def plan_contacts(
    active: Any,
    book_start: Any,
    lost: Any,
    capacity: int,
    contacts: int,
    extra: Any,
    satisfied: Any,
    full_quality: float,
    seller: Any,
    free: Any,
) -> Any:
    """Who prospects this period: the ``active`` slots, the contacts each makes (its
    ``contacts`` plus ``extra``, unless empty, one per slot, within its free capacity
    ``capacity - (book_start - lost)`` and the number of prospects), their social
    proof ``satisfied / full_quality``; the prospects (customers without a seller) are
    written into ``free``. Returns ``(slots, contacts, proof, prospects, total
    contacts)``, as ``_acquisition.prospect`` computes them with numpy."""
    n_free = free_customers(seller, free)
    n = active.shape[0]
    m = 0
    for s in range(n):
        m += active[s]
    slots = np.empty(m, np.intp)
    k = np.empty(m, np.intp)
    proof = np.empty(m, np.float64)
    more = extra.shape[0] > 0
    total = 0
    j = 0
    for s in range(n):
        if active[s]:
            slots[j] = s
            slack = max(capacity - (book_start[s] - lost[s]), 0)
            wanted = contacts + extra[s] if more else contacts
            k[j] = min(min(slack, wanted), n_free)
            proof[j] = satisfied[s] / full_quality
            total += k[j]
            j += 1
    return slots, k, proof, n_free, total


@njit(cache=True, nogil=True)
def leavers(cur: Any, slot_cur: Any, left: Any, totals: Any) -> Any:
    """The customers at positions ``left`` of the relationships ``cur``, their slots and
    their surplus so far (``totals[:, 1]``)."""
    n = left.shape[0]
    idx = np.empty(n, np.intp)
    slots = np.empty(n, np.intp)
    surplus = np.empty(n, np.float64)
    for k in range(n):
        j = left[k]
        idx[k] = cur[j]
        slots[k] = slot_cur[j]
        surplus[k] = totals[cur[j], 1]
    return idx, slots, surplus


@njit(cache=True, nogil=True)
def end(
    idx: Any,
    slots: Any,
    slot_group: Any,
    tracked: Any,
    start: Any,
    totals: Any,
    seller: Any,
    ended_value: Any,
    ended_count: Any,
    values: Any,
    amount: Any,
    scale: float,
) -> Any:
    """End the relationships of customers ``idx`` with ``slots``: the spells still
    tracked as ``(group, start, profit)`` arrays, their profit and number added to
    ``ended_value`` and ``ended_count`` per group (summed in order, as ``np.bincount``),
    and ``seller`` set to -1 (no seller). Unless ``amount`` is empty, the customers
    remember it of their sellers (``Opinions.remember``: :func:`add_at` into
    ``values`` at ``scale``)."""
    n = idx.shape[0]
    if amount.shape[0] > 0:
        add_at(values, idx, slots, amount, scale)
    m = 0
    for k in range(n):
        m += tracked[idx[k]]
    group = np.empty(m, np.intp)
    began = np.empty(m, start.dtype)
    profit = np.empty(m, np.float64)
    n_groups = ended_value.shape[0]
    value = np.zeros(n_groups, np.float64)
    count = np.zeros(n_groups, np.intp)
    j = 0
    for k in range(n):
        i = idx[k]
        if tracked[i]:
            g = slot_group[slots[k]]
            group[j] = g
            began[j] = start[i]
            profit[j] = totals[i, 0]
            value[g] += totals[i, 0]
            count[g] += 1
            j += 1
    for g in range(n_groups):
        ended_value[g] += value[g]
        ended_count[g] += count[g]
    for k in range(n):
        seller[idx[k]] = -1
    return group, began, profit


@njit(cache=True, nogil=True)
def close_books(
    slot_profit: Any,
    slots: Any,
    contacts: Any,
    contact_cost: float,
    active_start: Any,
    overhead: float,
    spend: Any,
    capital: Any,
    recent_profit: Any,
    memory: float,
    floor: float,
    stop_loss: bool,
) -> Any:
    """A period's seller accounts: prospecting costs (``contacts`` of ``slots``), the
    overhead of sellers active at the start and ``spend`` (training, unless empty) come
    off ``slot_profit``, which goes into ``capital`` and the profit memory
    ``recent_profit`` (weight ``memory``) of those sellers. Returns the slots that went
    broke (capital below ``floor``; none unless ``stop_loss``)."""
    for k in range(slots.shape[0]):
        slot_profit[slots[k]] -= contact_cost * contacts[k]
    n = slot_profit.shape[0]
    for s in range(n):
        if active_start[s]:
            slot_profit[s] -= overhead
    if spend.shape[0] > 0:
        for s in range(n):
            slot_profit[s] -= spend[s]
    m = 0
    for s in range(n):
        if active_start[s]:
            capital[s] += slot_profit[s]
            recent_profit[s] += memory * (slot_profit[s] - recent_profit[s])
            m += stop_loss & (capital[s] < floor)
    broke = np.empty(m, np.intp)
    m = 0
    for s in range(n):
        if active_start[s] & stop_loss & (capital[s] < floor):
            broke[m] = s
            m += 1
    return broke


@njit(cache=True, nogil=True)
def _pairwise_sum(x: Any, a: int, n: int) -> Any:
    """numpy's pairwise sum of ``x[a:a + n]`` (its float64 ``add.reduce`` inner loop)."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += x[a + i]
        return res
    if n <= 128:
        r0, r1, r2, r3 = x[a], x[a + 1], x[a + 2], x[a + 3]
        r4, r5, r6, r7 = x[a + 4], x[a + 5], x[a + 6], x[a + 7]
        i = 8
        while i < n - (n % 8):
            r0 += x[a + i]
            r1 += x[a + i + 1]
            r2 += x[a + i + 2]
            r3 += x[a + i + 3]
            r4 += x[a + i + 4]
            r5 += x[a + i + 5]
            r6 += x[a + i + 6]
            r7 += x[a + i + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += x[a + i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _pairwise_sum(x, a, n2) + _pairwise_sum(x, a + n2, n - n2)


@njit(cache=True, nogil=True)
def segment_sums(x: Any, bounds: Any) -> Any:
    """Sums of ``x[bounds[g]:bounds[g + 1]]`` (0 for an empty segment), bit for bit
    ``np.add.reduceat``'s: the first element plus numpy's pairwise sum of the rest."""
    n = bounds.shape[0] - 1
    out = np.zeros(n, np.float64)
    for g in range(n):
        a, b = bounds[g], bounds[g + 1]
        if b > a:
            out[g] = x[a] + _pairwise_sum(x, a + 1, b - a - 1)
    return out


@njit(cache=True, nogil=True)
def put_rows(idx: Any, rows: Any, table: Any) -> None:
    """``table[idx] = rows`` for a 2-D table (whole rows)."""
    width = table.shape[1]
    for k in range(idx.shape[0]):
        i = idx[k]
        for c in range(width):
            table[i, c] = rows[k, c]


@njit(cache=True, nogil=True, error_model="numpy")
def group_metrics(
    slot_group: Any,
    active_start: Any,
    active: Any,
    book_start: Any,
    lost: Any,
    gone: Any,
    gone_old: Any,
    new: Any,
    slot_trust: Any,
    trust_initial: float,
    deal_profit: Any,
    slot_profit: Any,
    capital: Any,
    surplus: Any,
    bounds: Any,
    ended_value: Any,
    ended_count: Any,
    capacity: float,
    discount: float,
    min_base: float,
    has_deal: bool,
    cum: Any,
    row: Any,
) -> None:
    """One step's metrics per group into ``row`` (groups, metrics), in the order of
    :data:`._metrics.METRICS`; ``cum`` (cumulative profit) is updated in place, and
    ``ended_value`` and ``ended_count`` (the relationships that ended this step) are
    read and reset to 0. ``surplus`` holds the buyers' surplus sorted by group (slices
    ``bounds``).

    Per slot: ``book_start`` customers at the start, ``lost`` by the end of the period
    and ``new`` won; ``gone`` (unless empty) customers lost as their seller went broke,
    ``gone_old`` those of them from before this period. The books at the end are
    ``book_start - lost - gone + new``, the customers kept from the start
    ``book_start - lost - gone_old``, their trust summed ``slot_trust`` (the stayers')
    plus ``trust_initial`` per new customer, 0 for a seller no longer active.

    Per-group sums run over slots in order (as ``np.bincount``), the buyers' surplus as
    ``np.add.reduceat`` sums (:func:`segment_sums`); divisions by zero give inf or NaN
    as numpy's do.
    """
    n_groups = row.shape[0]
    surplus_g = segment_sums(surplus, bounds)
    for g in range(n_groups):
        surplus_g[g] /= bounds[g + 1] - bounds[g]
    sums = np.zeros((12, n_groups))
    for s in range(slot_group.shape[0]):
        g = slot_group[s]
        if active_start[s]:
            sums[0, g] += 1.0
            sums[8, g] += slot_profit[s]
        if active[s]:
            sums[1, g] += 1.0
        lost_s = lost[s]
        kept_s = book_start[s] - lost_s
        if gone.shape[0] > 0:
            lost_s += gone[s]
            kept_s -= gone_old[s]
        book_s = book_start[s] - lost_s + new[s]
        trust_s = slot_trust[s] + trust_initial * new[s] if active[s] else 0.0
        sums[2, g] += book_start[s]
        sums[3, g] += lost_s
        sums[4, g] += trust_s
        sums[5, g] += book_s
        sums[6, g] += kept_s
        sums[7, g] += deal_profit[s]
        sums[9, g] += new[s]
        sums[10, g] += capital[s]
        sums[11, g] += 1.0
    total_active = 0.0
    for g in range(n_groups):
        total_active += sums[1, g]
    total_active = max(1.0, total_active)
    nan = np.nan
    big = np.finfo(np.float64).max
    for g in range(n_groups):
        n_start, n_end, start_c = sums[0, g], sums[1, g], sums[2, g]
        profit = sums[8, g] / n_start
        if np.isnan(profit):
            cum[g] += 0.0
        elif np.isinf(profit):
            cum[g] += big if profit > 0 else -big
        else:
            cum[g] += profit
        retention = sums[6, g] / start_c if start_c >= min_base else nan
        margin = sums[7, g] / start_c if has_deal else nan
        row[g, 0] = profit
        row[g, 1] = cum[g]
        row[g, 2] = sums[5, g] / n_end if n_end > 0 else nan
        row[g, 3] = sums[9, g] / n_start
        row[g, 4] = sums[3, g] / n_start
        row[g, 5] = retention
        row[g, 6] = sums[4, g] / sums[5, g]
        row[g, 7] = surplus_g[g]
        row[g, 8] = n_end
        row[g, 9] = n_end / total_active
        row[g, 10] = sums[5, g] / n_end / capacity if n_end > 0 else nan
        row[g, 11] = margin * retention / (1.0 + discount - retention)
        row[g, 12] = ended_value[g] / ended_count[g]
        row[g, 13] = sums[10, g] / sums[11, g]
    ended_value[:] = 0.0
    ended_count[:] = 0.0
