"""``--set key=value`` overrides, and the dotted keys they (and configs) use."""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any

from longgame.errors import InputError, closest_names
from longgame.experiments.config._schema import _SECTIONS, MAX_DEPTH, _depth
from longgame.experiments.sweep import set_dotted, table_at

__all__ = ["parse_override"]


def parse_override(text: str) -> tuple[str, Any]:
    """Parse ``--set key=value``: the value is read as TOML, or else taken as a string.

    >>> parse_override("experiment.steps=50")
    ('experiment.steps', 50)
    >>> parse_override("sweep.reach=[10, 250]")
    ('sweep.reach', [10, 250])
    >>> parse_override("experiment.name=quick-look")
    ('experiment.name', 'quick-look')
    """
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key or not re.fullmatch(r"[A-Za-z0-9_.\-\"']+", key):
        raise InputError(
            f"--set {text!r} is not an assignment; expected key=value, e.g. experiment.steps=50"
        )
    key = key.replace('"', "").replace("'", "")
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()
    except RecursionError:
        parsed = [[]] * (MAX_DEPTH + 1)
    if _depth(parsed) > MAX_DEPTH - 2:
        raise InputError(
            f"--set {key}=...: value nested deeper than {MAX_DEPTH - 2} levels; expected a "
            "number, string, list or table"
        )
    return key, parsed


def _apply_overrides(raw: dict[str, Any], overrides: Sequence[str]) -> list[str]:
    """Apply ``--set`` assignments in place; return the problems found."""
    problems: list[str] = []
    for text in overrides:
        try:
            key, value = parse_override(text)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        section, _, rest = key.partition(".")
        if section in _SECTIONS and not rest:
            problems.append(
                f"--set {text!r}: names the whole [{section}] section; expected a key "
                f"inside it, e.g. {section}.KEY=VALUE"
            )
            continue
        if section not in _SECTIONS:
            hint = closest_names(section, _SECTIONS)
            problems.append(
                f"--set {text!r}: {section!r} is not a config section; expected a key under "
                + ", ".join(_SECTIONS)
                + (f" ({hint})" if hint else "")
            )
            continue
        table = raw.setdefault(section, {})
        if not isinstance(table, dict):
            problems.append(f"--set {text!r}: [{section}] is not a table in the config")
            continue
        if section == "sweep":
            block, _, inner = rest.partition(".")
            if block in ("zip", "sample") and inner:
                sub = table.setdefault(block, {})
                if block == "zip":
                    sub[inner] = value
                else:
                    set_dotted(sub, inner, value)
            else:
                table[rest] = value
        elif section == "parameters":
            set_dotted(table, rest, value)
            _unsweep(raw.get("sweep"), rest)
        else:
            set_dotted(table, rest, value)
    return problems


def _unsweep(sweep: Any, key: str) -> None:
    """Pinning a parameter with ``--set parameters.KEY=...`` removes it from the sweep."""
    if not isinstance(sweep, dict):
        return
    sweep.pop(key, None)
    for block in ("zip",):
        if isinstance(sweep.get(block), dict):
            sweep[block].pop(key, None)
            if not sweep[block]:
                sweep.pop(block)
    sample = sweep.get("sample")
    if isinstance(sample, dict) and isinstance(sample.get("bounds"), dict):
        sample["bounds"].pop(key, None)
        if not sample["bounds"]:
            sweep.pop("sample")
    # nested spelling: [sweep.market] repeat_probability = [...]
    head, _, tail = key.partition(".")
    if tail and isinstance(sweep.get(head), dict):
        _unsweep(sweep[head], tail)
        if not sweep[head]:
            sweep.pop(head)


def _nest(table: Mapping[str, Any]) -> dict[str, Any]:
    """Expand dotted keys (``"market.x" = 1``) into nested tables.

    A key holding ``:`` is a plugin import path (``"pkg.mod:Class" = 2`` in a sellers
    table), whose dots are part of the name: it is kept whole.

    >>> _nest({"market.x": 1, "sellers": {"pkg.mod:Seller": 2}})
    {'market': {'x': 1}, 'sellers': {'pkg.mod:Seller': 2}}
    """
    nested: dict[str, Any] = {}
    for key, value in table.items():
        inner = _nest(value) if isinstance(value, Mapping) else copy.deepcopy(value)
        parts = [key] if ":" in key else key.split(".")
        node = table_at(nested, parts[:-1])
        last = parts[-1]
        if isinstance(inner, dict) and isinstance(node.get(last), dict):
            node[last] = _deep_merge(node[last], inner)
        else:
            node[last] = inner
    return nested


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out
