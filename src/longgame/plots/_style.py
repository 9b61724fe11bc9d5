"""The shared look of every figure: colours per strategy, human labels, projector fonts.

A sales trainer shows these figures to a room, so three things hold across ALL figures:

* one strategy has one colour everywhere (a fleecer is always vermillion, a fair dealer
  always bluish green), whether it is called by its sales name or its classic alias
  (``fleecer`` = ``always-defect``); unknown names get a colour from a fallback palette
  chosen by a stable hash of the name, so they too keep their colour from figure to figure;
* axes, legends and titles use words a trainer can read aloud, never raw column names;
* fonts are large enough to read from the back of a room (base size 15 pt at 100 dpi on a
  10 x 6 inch canvas).

The base palette is Okabe & Ito's colour-blind-safe set (Okabe, M. & Ito, K., 2008,
"Color Universal Design"), extended with a few darker tones.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "DPI",
    "FALLBACK_PALETTE",
    "OTHERS",
    "RC_PARAMS",
    "canonical_name",
    "group_label",
    "in_sentence",
    "metric_label",
    "param_label",
    "plural",
    "short_label",
    "strategy_color",
    "strategy_colors",
    "value_label",
]

#: Resolution of the PNG files (dots per inch); 10 x 6 in figures give 1500 x 900 px.
DPI = 150

#: Matplotlib settings for projector-size figures.
RC_PARAMS: dict[str, Any] = {
    "font.size": 15,
    "axes.titlesize": 17,
    "axes.titleweight": "bold",
    "axes.labelsize": 15,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "legend.title_fontsize": 13,
    "figure.titlesize": 19,
    "figure.titleweight": "bold",
    "lines.linewidth": 2.6,
    "lines.markersize": 7,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "svg.fonttype": "none",
    # element ids hashed with a fixed salt rather than a random one per process, so
    # that the same figure gives the same SVG file
    "svg.hashsalt": "longgame",
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.15,
}

#: The group that sums the strategies a figure does not draw one by one.
OTHERS = "others"

_ORANGE, _SKY, _GREEN = "#E69F00", "#56B4E9", "#009E73"
_BLUE, _VERMILLION, _PURPLE, _GREY = "#0072B2", "#D55E00", "#CC79A7", "#555555"

# Sales names and their classic aliases share a colour: same behaviour, same colour.
_FIXED: dict[str, str] = {
    "fleecer": _VERMILLION,
    "always-defect": _VERMILLION,
    "fair-dealer": _GREEN,
    "always-cooperate": _GREEN,
    "reciprocator": _BLUE,
    "tit-for-tat": _BLUE,
    "walk-away": _ORANGE,
    "stop-loss-investor": _PURPLE,
    "grudger": "#7B3294",
    "win-stay-lose-shift": _SKY,
    "tit-for-two-tats": "#1B4F72",
    "generous-tit-for-tat": "#4DAC26",
    "prober": "#8C510A",
    "random": _GREY,
    "alternator": "#B8860B",
    # the sales grid (concern for the sale . concern for the customer)
    "grid-1.1": "#888888",
    "grid-1.9": "#E7298A",
    "grid-5.5": "#C7A500",  # a darker yellow: Okabe-Ito yellow vanishes on white
    "grid-9.1": "#A50F15",
    "grid-9.9": "#01665E",
    # learning populations and their actions
    "big": "#1B4F72",
    "small": _ORANGE,
    "press": "#1B4F72",
    "wait": _ORANGE,
    OTHERS: "#AAAAAA",
}

# the registry's aliases (``longgame strategies``) -> its names, so that every spelling
# of a strategy gets the same colour and label
_ALIASES: dict[str, str] = {
    "allc": "always-cooperate",
    "cooperator": "always-cooperate",
    "alld": "always-defect",
    "defector": "always-defect",
    "taker": "always-defect",
    "gtft": "generous-tit-for-tat",
    "generous": "generous-tit-for-tat",
    "impoverished": "grid-1.1",
    "country-club": "grid-1.9",
    "friends-first": "grid-1.9",
    "middle-of-the-road": "grid-5.5",
    "compromiser": "grid-5.5",
    "hard-sell": "grid-9.1",
    "authority-compliance": "grid-9.1",
    "push": "grid-9.1",
    "consultative": "grid-9.9",
    "team": "grid-9.9",
    "grim-trigger": "grudger",
    "grim": "grudger",
    "detective": "prober",
    "coin-flip": "random",
    "stop-loss": "stop-loss-investor",
    "investor": "stop-loss-investor",
    "tft": "tit-for-tat",
    "copycat": "tit-for-tat",
    "tf2t": "tit-for-two-tats",
    "walker": "walk-away",
    "one-strike": "walk-away",
    "pavlov": "win-stay-lose-shift",
    "wsls": "win-stay-lose-shift",
}

#: Colours for names with no fixed colour, picked by a stable hash of the name.
FALLBACK_PALETTE: tuple[str, ...] = (  # chosen to stay apart from the fixed colours
    "#8C564B",
    "#BCBD22",
    "#17BECF",
    "#393B79",
    "#637939",
    "#843C39",
    "#7B4173",
    "#D6616B",
    "#9C9EDE",
    "#E7BA52",
)

_GROUP_LABELS: dict[str, str] = {
    "fleecer": "Fleecer",
    "always-defect": "Always defect",
    "fair-dealer": "Fair dealer",
    "always-cooperate": "Always cooperate",
    "reciprocator": "Reciprocator",
    "tit-for-tat": "Tit for tat",
    "stop-loss-investor": "Stop-loss investor",
    "walk-away": "Walk-away",
    "win-stay-lose-shift": "Win-stay lose-shift",
    "tit-for-two-tats": "Tit for two tats",
    "generous-tit-for-tat": "Generous tit for tat",
    "grid-1.1": "1.1 take-it-or-leave-it",
    "grid-1.9": "1.9 friends-first",
    "grid-5.5": "5.5 sales technique",
    "grid-9.1": "9.1 hard-sell",
    "grid-9.9": "9.9 consultative",
    "grid": "Sales-grid profile",
    "big": "Big firms",
    "small": "Small firms",
    "all": "All sellers",
    OTHERS: "All others",
}

_METRIC_LABELS: dict[str, str] = {
    "profit": "Long-run profit per seller per period (money)",
    "cumulative_profit": "Cumulative profit per seller (money)",
    "customers": "Customers per seller",
    "new_customers": "New customers per seller per period",
    "lost_customers": "Customers lost per seller per period",
    "retention": "Share of customers kept each period",
    "trust": "Average customer trust",
    "customer_surplus": "Customer gain per period (money)",
    "sellers_active": "Sellers still in business",
    "share": "Share of the population",
    "capacity_use": "Customers per seller over capacity",
    "clv": "Customer lifetime value, closed form",
    "clv_realised": "Customer lifetime value, realised",
    "capital": "Capital per seller (money)",
    "score": "Average score per round",
    "cooperation": "Cooperation rate",
    "payoff": "Average payoff per round",
    "ne_distance": "Distance from the equilibrium",
}

_PARAM_LABELS: dict[str, str] = {
    "repeat_probability": "Repeat-purchase probability",
    "continuation_probability": "Repeat-purchase probability",
    "continuation": "Repeat-purchase probability",
    "reach": "Word-of-mouth reach (people told)",
    "word_of_mouth_reach": "Word-of-mouth reach (people told)",
    "wom_reach": "Word-of-mouth reach (people told)",
    "press_cost": "Cost of pressing the lever",
    "food": "Food in the trough (market size)",
    "market_size": "Market size",
    "stop_loss": "Stop-loss line (loss per relationship)",
    "noise": "Noise (chance a deal goes wrong)",
    "acquisition_cost": "Cost of winning a new customer",
    "closeness": "Closeness to customers",
    "concession": "Concessions given to friends",
    "concessions": "Concessions given to friends",
    "customer_concern": "Concern for the customer (1-9)",
    "sale_concern": "Concern for the sale (1-9)",
    "concern_customer": "Concern for the customer (1-9)",
    "concern_for_customer": "Concern for the customer (1-9)",
    "concern_sale": "Concern for the sale (1-9)",
    "concern_for_sale": "Concern for the sale (1-9)",
    "network": "Network of ties",
    "network_type": "Network of ties",
    "capacity": "Relationships one seller can keep",
    "service": "After-sales service spend per period",
    "service_spend": "After-sales service spend per period",
    "discount": "Discount factor",
    "turns": "Rounds per match",
    "rounds": "Rounds per match",
    "repetitions": "Repetitions of the round robin",
    "dynamics": "Population dynamics",
    "strategies": "Strategies",
    "game": "Stage game",
    "rule": "Learning rule",
    "n_row": "Row population size",
    "n_col": "Column population size",
    "customers": "Customers in the market",
    "mode": "Exchange mode",
    "anonymous": "Anonymous sellers",
}


# parameter names that say nothing without their table's name ("network.kind")
_GENERIC = frozenset({"kind", "type", "name", "mode", "value", "size", "rate", "level"})


# full dotted keys of the market model's parameters (matched on the key's tail)
_KEY_LABELS: dict[str, str] = {
    "repeat.base": "Repeat-purchase probability",
    "word_of_mouth.reach": "Word-of-mouth reach (people told)",
    "network.kind": "Network of ties",
    "network.rewire": "Share of ties rewired (weak ties)",
    "network.degree": "Ties per customer",
    "stop_loss.limit": "Stop-loss line L (money per relationship)",
    "stop_loss.at_risk": "Share of capital put at risk",
    "stop_loss.capital": "Starting capital per seller",
    "exchange.noise": "Noise in deal value (money)",
    "exchange.overcharge": "Fleecing premium (share of value)",
    "exchange.onboarding": "Give-first investment per new deal",
    "friendship.concession": "Concessions given to friends",
    "friendship.growth": "Closeness growth per period",
    "friendship.loyalty": "Loyalty from closeness",
    "taker.share": "Share of takers among customers",
    "acquisition.contact_cost": "Cost per prospect contacted",
    "acquisition.capacity": "Relationships one seller can keep",
    "service.max_cost": "After-sales service spend per deal",
    "trust.down": "Trust lost after a bad deal",
    "trust.up": "Trust gained after a good deal",
    "stop_loss.invest_rate": "Prospects bought per money at risk",
    "takers.share": "Share of takers among customers",
    "attention.time": "Seller time (customers served in full)",
    "attention.loss": "Value lost at no seller time",
    "receivables.delay": "Late payment delay (periods)",
    "receivables.default": "Chance a late payment never comes",
    "friendship.late_payment": "Late payment by close friends",
    "friendship.forget_sale": "Sales chatted away by friends",
    "margin": "Margin share of the surplus",
    "befriend": "How much the seller befriends",
}


def canonical_name(name: str) -> str:
    """Lower-case, hyphenated form of a strategy or group name (``"Fair_Dealer"`` ->
    ``"fair-dealer"``), with registry aliases mapped to the registry name (``"TFT"`` ->
    ``"tit-for-tat"``), so that spellings of one strategy share colour and label.

    >>> canonical_name("Tit For Tat")
    'tit-for-tat'
    """
    key = re.sub(r"[\s_]+", "-", str(name).strip().lower())
    return _ALIASES.get(key, key)


def strategy_color(name: str) -> str:
    """The colour of a strategy (or population, or action) in every figure.

    >>> strategy_color("fleecer") == strategy_color("always_defect")
    True
    >>> strategy_color("my-plugin:Strategy") == strategy_color("my-plugin:Strategy")
    True
    """
    key = canonical_name(name)
    if key in _FIXED:
        return _FIXED[key]
    # a plugin "package.module:Class" keeps the colour of its class name if known
    tail = canonical_name(re.split(r"[:.]", key)[-1])
    if tail in _FIXED:
        return _FIXED[tail]
    return FALLBACK_PALETTE[zlib.crc32(key.encode()) % len(FALLBACK_PALETTE)]


def strategy_colors(names: Iterable[str]) -> dict[str, str]:
    """Colours for several names; fallback colours are made distinct where possible."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        color = strategy_color(name)
        key = canonical_name(name)
        if key not in _FIXED and color in used:
            free = [c for c in FALLBACK_PALETTE if c not in used]
            if free:
                color = free[zlib.crc32(key.encode()) % len(free)]
        out[name] = color
        used.add(color)
    return out


def _humanise(word: str) -> str:
    text = re.sub(r"[_\-]+", " ", word).strip()
    return text[:1].upper() + text[1:] if text else "(unnamed)"


def group_label(name: str) -> str:
    """A strategy or population name as a trainer says it (``"fair-dealer"`` ->
    ``"Fair dealer"``).

    >>> group_label("grid-9.9")
    '9.9 consultative'
    >>> group_label("always_defect")
    'Always defect'
    >>> group_label("copycat")  # the name the user chose, not its registry name
    'Copycat'
    """
    key = re.sub(r"[\s_]+", "-", str(name).strip().lower())
    if key in _GROUP_LABELS:
        return _GROUP_LABELS[key]
    return _humanise(str(name))


def metric_label(metric: str) -> str:
    """Axis label of a metric (``"retention"`` -> ``"Share of customers kept each
    period"``); ``share.press`` reads ``"Share choosing press"``.

    >>> metric_label("profit")
    'Long-run profit per seller per period (money)'
    >>> metric_label("share.press")
    'Share choosing press'
    """
    if metric in _METRIC_LABELS:
        return _METRIC_LABELS[metric]
    if metric.startswith("share."):
        return f"Share choosing {metric.split('.', 1)[1].replace('_', ' ')}"
    return _humanise(metric)


def param_label(key: str) -> str:
    """Axis label of a swept parameter given by its dotted key.

    >>> param_label("repeat.base")
    'Repeat-purchase probability'
    >>> param_label("customers.repeat_probability")
    'Repeat-purchase probability'
    >>> param_label("seller.opening_offer")
    'Opening offer'
    >>> param_label("channel.kind")
    'Channel kind'
    """
    parts = key.split(".")
    last = parts[-1]
    for tail, label in _KEY_LABELS.items():
        if key == tail or key.endswith("." + tail):
            return label
    if last in _PARAM_LABELS:
        return _PARAM_LABELS[last]
    if last in _GENERIC and len(parts) > 1:
        return _humanise(f"{parts[-2]} {last}")
    return _humanise(last)


def short_label(label: str) -> str:
    """A label without its parenthesised unit or gloss, for titles and sentences.

    >>> short_label("Word-of-mouth reach (people told)")
    'Word-of-mouth reach'
    """
    return re.sub(r"\s*\([^)]*\)", "", label)


def in_sentence(label: str) -> str:
    """A label inside a sentence: first letter lower-cased unless the first word is an
    acronym or symbol (``"Repeat-purchase probability"`` -> ``"repeat-purchase
    probability"``; ``"Stop-loss line L"`` keeps its ``L``; ``"9.9 consultative"`` is
    unchanged).

    >>> in_sentence("Stop-loss line L (money per relationship)")
    'stop-loss line L (money per relationship)'
    >>> in_sentence("NPV of a customer")
    'NPV of a customer'
    """
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def value_label(value: Any) -> str:
    """A parameter value for titles and legends: short floats, plain strings.

    >>> value_label(0.30000000000000004)
    '0.3'
    >>> value_label(float("inf"))
    'no limit'
    >>> value_label("small-world")
    'small-world'
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value in (float("inf"), float("-inf")):
            return "no limit" if value > 0 else "-∞"
        return f"{value:.3g}"
    return str(value)


def plural(group: str) -> str:
    """A group's name in a sentence, in the plural (``"fair-dealer"`` -> ``"fair
    dealers"``, ``"grid-9.9"`` -> ``"9.9 consultative sellers"``).

    >>> plural("fleecer"), plural("grid-9.9"), plural("always-defect")
    ('fleecers', '9.9 consultative sellers', "'always defect' players")
    """
    label = group_label(group)
    lower = label[:1].lower() + label[1:]
    if lower.endswith(("firms", "sellers")):
        return lower
    if lower[:1].isdigit():
        return f"{lower} sellers"
    if lower.startswith(("always", "tit for", "win-stay", "grim", "generous")):
        return f"'{lower}' players"
    return lower + "s"
