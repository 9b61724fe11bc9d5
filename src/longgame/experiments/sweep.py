"""Sweeps: which parameter values each point of an experiment runs with.

A sweep has up to three blocks, each keyed by dotted parameter paths such as
``"market.repeat_probability"`` or ``"reach"``:

``grid``
    lists of values; every combination is a point (the last key varies fastest).
``zip``
    lists of equal length, taken together (the i-th values form one combination).
``sample``
    a quasi-random sample of ``count`` points within ``bounds`` (``scipy.stats.qmc``:
    Sobol, Halton or Latin hypercube), drawn from a stream derived from the root seed,
    so the same config always gives the same points. Keys listed in ``integer`` are
    floored to integers.

The points are the Cartesian product of the three blocks (an absent block contributes
one empty combination), so a config with no sweep has exactly one point.

>>> sweep = normalise_sweep({"reach": [10, 250], "zip": {"a": [1, 2], "b": [3, 4]}})
>>> [p for p in expand_points(sweep, root_seed=0)][:2]
[{'reach': 10, 'a': 1, 'b': 3}, {'reach': 10, 'a': 2, 'b': 4}]
>>> swept_keys(sweep)
['reach', 'a', 'b']
"""

from __future__ import annotations

import copy
import itertools
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from longgame._validation import describe_value, format_validation_error
from longgame.errors import InputError

__all__ = [
    "SAMPLE_METHODS",
    "expand_points",
    "flatten",
    "get_dotted",
    "normalise_sweep",
    "set_dotted",
    "swept_keys",
    "table_at",
]

#: Quasi-random designs accepted by ``[sweep.sample] method``.
SAMPLE_METHODS: tuple[str, ...] = ("sobol", "halton", "lhs")

#: ``spawn_key`` of the stream that draws the sample points: length 1, so it can never
#: collide with a run's ``(point, replicate)`` key.
_SAMPLE_SPAWN_KEY = (2**32 - 1,)


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten nested tables to dotted keys: ``{"a": {"b": 1}} -> {"a.b": 1}``."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, dotted + "."))
        elif isinstance(value, Mapping):
            flat[dotted] = {}
        else:
            flat[dotted] = value
    return flat


def table_at(target: dict[str, Any], parts: Sequence[str]) -> dict[str, Any]:
    """The table ``target[parts[0]][parts[1]]...``, creating (or replacing non-table
    values with) empty tables on the way."""
    node = target
    for part in parts:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    return node


def set_dotted(target: dict[str, Any], key: str, value: Any) -> None:
    """Set ``target["a"]["b"] = value`` for ``key="a.b"``, creating tables on the way."""
    parts = key.split(".")
    table_at(target, parts[:-1])[parts[-1]] = value


def get_dotted(source: Mapping[str, Any], key: str) -> Any:
    """Return ``source["a"]["b"]`` for ``key="a.b"`` (``KeyError`` if absent)."""
    node: Any = source
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(key)
        node = node[part]
    return node


def normalise_sweep(
    raw: Mapping[str, Any], source: str = "config", *, strict: bool = True
) -> dict[str, Any]:
    """Check a raw ``[sweep]`` table and return ``{"grid", "zip", "sample"}``.

    Nested tables in the grid are flattened to dotted keys (so ``market.x = [..]`` and
    ``"market.x" = [..]`` mean the same). Raises :class:`InputError` listing every problem,
    unless ``strict`` is false: then the valid part of the sweep is returned (so that the
    model parameters can still be checked in the same pass).
    """
    from pydantic import ValidationError

    from longgame.experiments.config._schema import SampleSection

    problems: list[str] = []
    raw = dict(raw)
    raw_zip = raw.pop("zip", None)
    raw_sample = raw.pop("sample", None)
    grid: dict[str, list[Any]] = {}
    for key, values in flatten(raw).items():
        if not isinstance(values, list):
            problems.append(
                f"{source}: sweep.{key}={describe_value(values)} is not a list; "
                "expected a non-empty list of values"
            )
        elif not values:
            problems.append(
                f"{source}: sweep.{key}=[] is empty; expected a non-empty list of values"
            )
        else:
            grid[key] = values
    zipped: dict[str, list[Any]] = {}
    if raw_zip is not None:
        if not isinstance(raw_zip, Mapping):
            problems.append(
                f"{source}: sweep.zip={describe_value(raw_zip)} is not a table; "
                "expected lists of equal length keyed by parameter"
            )
        else:
            for key, values in flatten(raw_zip).items():
                if not isinstance(values, list) or not values:
                    problems.append(
                        f"{source}: sweep.zip.{key}={describe_value(values)} is not a non-empty "
                        "list; expected a non-empty list of values"
                    )
                else:
                    zipped[key] = values
            lengths = {len(v) for v in zipped.values()}
            if len(lengths) > 1:
                shown = ", ".join(f"{k} has {len(v)}" for k, v in zipped.items())
                problems.append(
                    f"{source}: sweep.zip lists differ in length ({shown}); "
                    "expected lists of equal length"
                )
    sample: dict[str, Any] | None = None
    if raw_sample is not None:
        try:
            parsed = SampleSection.model_validate(raw_sample)
        except ValidationError as exc:
            problems.extend(format_validation_error(exc, source, "sweep.sample", SampleSection))
        else:
            sample = parsed.model_dump()
            for key, (low, high) in parsed.bounds.items():
                if not low < high:
                    problems.append(
                        f"{source}: sweep.sample.bounds.{key}=[{low}, {high}] is empty; "
                        "expected [low, high] with low < high"
                    )
            problems.extend(
                f"{source}: sweep.sample.integer names {key!r}, which has no bounds; "
                f"expected one of {', '.join(parsed.bounds)}"
                for key in parsed.integer
                if key not in parsed.bounds
            )
    seen: dict[str, str] = {}
    blocks: list[tuple[str, list[str]]] = [("grid", list(grid)), ("zip", list(zipped))]
    if sample is not None:
        blocks.append(("sample", list(sample["bounds"])))
    for block, keys in blocks:
        for key in keys:
            if key in seen:
                problems.append(
                    f"{source}: sweep key {key!r} appears in both sweep.{seen[key]} and "
                    f"sweep.{block}; expected each parameter swept once"
                )
            seen.setdefault(key, block)
    if problems and strict:
        raise InputError(*problems)
    if problems:
        lengths = {len(v) for v in zipped.values()}
        if len(lengths) > 1:
            zipped = {}
        if sample is not None and any(not lo < hi for lo, hi in sample["bounds"].values()):
            sample = None
        for key in list(zipped):
            grid.pop(key, None)
        if sample is not None:
            for key in sample["bounds"]:
                grid.pop(key, None)
                zipped.pop(key, None)
    return {"grid": grid, "zip": zipped, "sample": sample}


def swept_keys(sweep: Mapping[str, Any]) -> list[str]:
    """Dotted keys of the swept parameters, in config order (grid, zip, sample)."""
    keys = list(sweep.get("grid") or {}) + list(sweep.get("zip") or {})
    if sweep.get("sample"):
        keys += list(sweep["sample"]["bounds"])
    return keys


def _sample_points(sample: Mapping[str, Any], root_seed: int) -> list[dict[str, Any]]:
    import numpy as np
    from scipy.stats import qmc

    keys = list(sample["bounds"])
    rng = np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=_SAMPLE_SPAWN_KEY))
    engine: qmc.QMCEngine
    method = sample.get("method", "sobol")
    if method == "halton":
        engine = qmc.Halton(d=len(keys), rng=rng)
    elif method == "lhs":
        engine = qmc.LatinHypercube(d=len(keys), rng=rng)
    else:
        engine = qmc.Sobol(d=len(keys), rng=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Sobol warns when count is not a power of two
        unit = engine.random(int(sample["count"]))
    lows = [float(sample["bounds"][k][0]) for k in keys]
    highs = [float(sample["bounds"][k][1]) for k in keys]
    scaled = qmc.scale(unit, lows, highs)
    integer = set(sample.get("integer") or ())
    points = []
    for row in scaled:
        point: dict[str, Any] = {}
        for key, value in zip(keys, row, strict=True):
            point[key] = int(np.floor(value)) if key in integer else float(value)
        points.append(point)
    return points


def expand_points(sweep: Mapping[str, Any], root_seed: int) -> list[dict[str, Any]]:
    """Every point of a normalised sweep, as ``{dotted key: value}``, in a fixed order."""
    grid: Mapping[str, list[Any]] = sweep.get("grid") or {}
    grid_points = [
        dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())
    ]
    zipped: Mapping[str, list[Any]] = sweep.get("zip") or {}
    zip_points: list[dict[str, Any]] = [{}]
    if zipped:
        zip_points = [
            dict(zip(zipped, combo, strict=True)) for combo in zip(*zipped.values(), strict=True)
        ]
    sample_points: list[dict[str, Any]] = [{}]
    if sweep.get("sample"):
        sample_points = _sample_points(sweep["sample"], root_seed)
    return [
        copy.deepcopy({**g, **z, **s})
        for g, z, s in itertools.product(grid_points, zip_points, sample_points)
    ]
