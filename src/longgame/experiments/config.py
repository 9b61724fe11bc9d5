"""Experiment configs: TOML in, a validated, fully resolved :class:`Experiment` out.

A config has four sections::

    [experiment]
    name = "fleecing-vs-fair"      # folder name under results/
    description = "..."
    model = "market"               # a registered model, or "package.module:SPEC"
    steps = 200                    # steps per run (>= 1)
    replicates = 10                # runs per point (>= 1)
    seed = 20240101                # root seed (>= 0); drawn and recorded if absent

    [parameters]                   # fixed model parameters; nested tables allowed
    reach = 250
    [parameters.market]
    repeat_probability = 0.6

    [sweep]                        # see longgame.experiments.sweep
    "market.repeat_probability" = [0.2, 0.5, 0.8]

    [outputs]
    metrics = ["profit"]           # metrics to summarise (default: all)
    figures = ["long_run"]         # figures to draw (default: the plotting defaults)
    long_run_window = 0.2          # fraction of final steps averaged as "long run"

Validation reports every problem at once, one line each, naming the file, the dotted key
path, the bad value and what was expected; it raises :class:`~longgame.errors.InputError`
and touches nothing on disk. Model parameters are checked by the model's own schema
(``ModelSpec.params``) at every sweep point, so misspelt parameters, values out of range
and unknown strategy names are caught before anything runs.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import re
import stat
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from longgame._figures import FIGURE_NAMES
from longgame._validation import describe_value, format_validation_error
from longgame.errors import InputError, closest_names
from longgame.experiments._quick import (
    QUICK_REPLICATES,
    QUICK_SAMPLE,
    QuickSection,
    quick_conflicts,
    quick_merge,
    quick_record,
    quick_rename,
    quick_sizes,
    quick_steps,
)
from longgame.experiments.sweep import (
    expand_points,
    flatten,
    normalise_sweep,
    set_dotted,
    swept_keys,
    table_at,
)

if TYPE_CHECKING:
    from longgame.models._spec import ModelSpec

__all__ = [
    "MAX_CONFIG_BYTES",
    "MAX_DEPTH",
    "MAX_POINTS",
    "MAX_RUNS",
    "MAX_WORK",
    "QUICK_REPLICATES",
    "QUICK_SAMPLE",
    "Experiment",
    "ExperimentSection",
    "OutputsSection",
    "QuickSection",
    "SampleSection",
    "format_validation_error",
    "load_config",
    "parse_override",
    "quick_steps",
]

_SECTIONS = ("experiment", "parameters", "sweep", "outputs", "quick")

#: Largest config file read (configs are a few KB; this guards against /dev/zero and the like).
MAX_CONFIG_BYTES = 1_000_000
#: Deepest nesting of tables and arrays accepted in a config or a ``--set`` value.
MAX_DEPTH = 32
#: Soft limits (``--allow-large`` lifts them): sweep points, runs, and per-run work
#: (elementary updates, about an hour of computing at 10^7 to 10^8 a second).
MAX_POINTS = 10_000
MAX_RUNS = 100_000
MAX_WORK = 10**11
#: A plugin import path, ``"package.module:Name"``: the only strings ever imported.
PLUGIN = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*\Z")


class ExperimentSection(BaseModel):
    """``[experiment]``: what to run, how long, how often, from which seed."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(max_length=100)
    description: str = ""
    model: str = Field(min_length=1)
    steps: int = Field(ge=1, le=10_000_000)
    replicates: int = Field(default=1, ge=1, le=1_000_000)
    seed: int | None = Field(default=None, ge=0, lt=2**63)

    @field_validator("name")
    @classmethod
    def _safe_name(cls, name: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            raise ValueError(
                "expected letters, digits, '.', '_' or '-', starting with a letter or digit "
                "(it names the results folder)"
            )
        return name


class SampleSection(BaseModel):
    """``[sweep.sample]``: a quasi-random design over continuous parameters."""

    model_config = ConfigDict(extra="forbid", strict=True)

    count: int = Field(ge=1, le=1_000_000)
    method: Literal["sobol", "halton", "lhs"] = "sobol"
    bounds: dict[str, Annotated[list[float], Field(min_length=2, max_length=2)]] = Field(
        min_length=1
    )
    integer: list[str] = Field(default_factory=list)


class OutputsSection(BaseModel):
    """``[outputs]``: what to summarise and draw."""

    model_config = ConfigDict(extra="forbid", strict=True)

    metrics: list[str] | None = None
    figures: list[str] | None = None
    long_run_window: float = Field(default=0.2, gt=0.0, le=1.0)


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    experiment: ExperimentSection
    parameters: dict[str, Any] = Field(default_factory=dict)
    sweep: dict[str, Any] = Field(default_factory=dict)
    outputs: OutputsSection = Field(default_factory=OutputsSection)
    quick: QuickSection = Field(default_factory=QuickSection)


# -- error formatting ----------------------------------------------------------------

# -- overrides -------------------------------------------------------------------------


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


# -- the resolved experiment -------------------------------------------------------------


@dataclass(frozen=True)
class Experiment:
    """A validated config with everything resolved: seed, sweep points, parameters.

    Attributes:
        source: where the config came from (a file path, or ``"<config>"``).
        name, description, model, steps, replicates: from ``[experiment]``.
        seed: the root seed (drawn from OS entropy when the config gave none).
        seed_given: whether the config fixed the seed.
        parameters: fixed model parameters (nested dict, after ``--set`` and ``--quick``).
        sweep: normalised sweep (``{"grid", "zip", "sample"}``).
        outputs: ``[outputs]`` with defaults filled in.
        swept: dotted keys of the swept parameters, in config order.
        points: the swept values of each point.
        params: per point, the raw parameter dict given to the model.
        quick: whether ``--quick`` shrank the experiment.
        quick_section: the config's ``[quick]`` table (see :mod:`._quick`).
        quick_used: under ``--quick``, what the quick run used (sizes, parameters set,
            which of them the config chose); ``None`` otherwise.
        spec: the model's :class:`~longgame.models.ModelSpec`.
    """

    source: str
    name: str
    description: str
    model: str
    steps: int
    replicates: int
    seed: int
    seed_given: bool
    parameters: dict[str, Any]
    sweep: dict[str, Any]
    outputs: dict[str, Any]
    swept: tuple[str, ...]
    points: tuple[dict[str, Any], ...]
    params: tuple[dict[str, Any], ...]
    quick: bool
    spec: ModelSpec = field(repr=False, compare=False)
    #: ``--set`` assignments applied (recorded so the manifest can say how to resume).
    overrides: tuple[str, ...] = ()
    #: Plugins (``"package.module:Name"``) that validating this config imported.
    plugins: tuple[str, ...] = ()
    #: The model's estimate of one run's peak memory in bytes (largest point), if any.
    peak_memory: int | None = None
    quick_section: QuickSection = field(default_factory=QuickSection)
    quick_used: dict[str, Any] | None = None

    @property
    def n_runs(self) -> int:
        """Number of runs: points x replicates."""
        return len(self.points) * self.replicates

    def to_dict(self) -> dict[str, Any]:
        """The resolved config as a TOML-ready mapping (what ``config.toml`` holds)."""
        sweep: dict[str, Any] = dict(self.sweep["grid"])
        if self.sweep["zip"]:
            sweep["zip"] = dict(self.sweep["zip"])
        if self.sweep["sample"]:
            sample = dict(self.sweep["sample"])
            sample["bounds"] = {k: list(v) for k, v in sample["bounds"].items()}
            if not sample.get("integer"):
                sample.pop("integer", None)
            sweep["sample"] = sample
        experiment: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "model": self.model,
            "steps": self.steps,
            "replicates": self.replicates,
            "seed": self.seed,
        }
        if self.quick:
            experiment["quick"] = True
        doc: dict[str, Any] = {
            "experiment": experiment,
            # under --quick, the sizes the runs really used (the model's hooks are idempotent)
            "parameters": quick_merge(self.spec, self.parameters, self.quick_section.parameters)
            if self.quick
            else copy.deepcopy(self.parameters),
            "sweep": sweep,
            "outputs": {k: v for k, v in self.outputs.items() if v is not None},
        }
        quick = self.quick_section.model_dump(exclude_defaults=True)
        if quick:
            doc["quick"] = quick
        return doc

    def fingerprint(self) -> str:
        """Hash of everything that changes run results (not description or outputs)."""
        doc = self.to_dict()
        doc["experiment"].pop("description", None)
        doc.pop("outputs", None)
        doc.pop("quick", None)  # what a quick run used is in its steps and parameters
        doc["points"] = list(self.points)
        text = json.dumps(doc, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def with_seed(self, seed: int) -> Experiment:
        """The same experiment from another root seed (used to resume an unseeded config)."""
        from dataclasses import replace

        points = tuple(expand_points(self.sweep, seed))
        if points == self.points:
            return replace(self, seed=seed)
        params = tuple(self._merge(p) for p in points)
        return replace(self, seed=seed, points=points, params=params)

    def _merge(self, point: Mapping[str, Any]) -> dict[str, Any]:
        return _merge(self.spec, self.parameters, point, self.quick, self.quick_section.parameters)


def _depth(value: Any) -> int:
    """Nesting depth of tables and arrays (iterative: no recursion limit to hit)."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level + 1)
            if deepest > MAX_DEPTH:
                return deepest
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read(source: str | Path | Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    if isinstance(source, Mapping):
        if _depth(source) > MAX_DEPTH:
            raise InputError(f"<config>: nested deeper than {MAX_DEPTH} levels; expected a config")
        return "<config>", copy.deepcopy(dict(source))
    path = Path(source)
    name = str(path)
    try:
        # stat first: opening a named pipe would block, reading a device never ends
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError
        if not stat.S_ISREG(mode):
            raise InputError(f"{name}: is {_kind(mode)}; expected a TOML config file")
        with open(path, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
        if len(data) > MAX_CONFIG_BYTES:
            raise InputError(
                f"{name}: larger than {MAX_CONFIG_BYTES:,} bytes; expected a TOML config "
                "(a few kilobytes)"
            )
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"{name}: no such config file; expected a TOML file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory; expected a TOML config file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text ({exc.reason}); expected a TOML file") from None
    except OSError as exc:  # no permission, a file used as a folder, ...
        raise InputError(
            f"{name}: cannot be read ({exc.strerror or exc}); expected a readable TOML file"
        ) from None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"{name}: broken TOML: {exc}; expected valid TOML (https://toml.io)"
        ) from None
    except RecursionError:
        parsed = None
    if parsed is None or _depth(parsed) > MAX_DEPTH:
        raise InputError(
            f"{name}: tables or arrays nested deeper than {MAX_DEPTH} levels; expected a "
            "config (a few levels deep)"
        )
    return name, parsed


def _draw_seed() -> int:
    import numpy as np

    return int(np.random.SeedSequence().entropy % (2**63))  # type: ignore[operator]


def load_config(
    source: str | Path | Mapping[str, Any],
    overrides: Sequence[str] = (),
    *,
    quick: bool = False,
    allow_large: bool = False,
) -> Experiment:
    """Read, override, validate and resolve an experiment config.

    Args:
        source: path of a TOML file, or an already parsed mapping.
        overrides: ``"key=value"`` strings (``--set``), e.g. ``"experiment.steps=50"``,
            ``"parameters.word_of_mouth.reach=10"`` (pins a swept parameter),
            ``"sweep.repeat.base=[0.5, 0.9]"``.
            Values are read as TOML, else taken as strings.
        quick: shrink steps (a tenth, at least 10), replicates (at most 2), quasi-random
            samples (at most 8 points) and, through the model's ``quick`` hook,
            population sizes.
        allow_large: lift the soft limits: at most :data:`MAX_POINTS` sweep points,
            :data:`MAX_RUNS` runs, :data:`MAX_WORK` updates per run, and a run's
            estimated memory (the model's ``cost``) within this machine's memory. They
            are checked before the sweep is expanded or anything is built.

    A config is code: a model or strategy named by an import path
    ``"package.module:Name"`` is imported, and its module's top-level code runs, while
    the config is validated (but only once the rest of the config is valid). Trust a
    config as you would a script. :attr:`Experiment.plugins` lists what was imported.

    Raises:
        InputError: listing every problem, one line each.
    """
    from longgame.models._spec import get_model

    name, raw = _read(source)
    problems: list[str] = []
    raw_sweep = raw.get("sweep")
    if isinstance(raw_sweep, dict):
        # flatten the grid so that quoted and nested dotted keys agree before overrides
        grid = {k: v for k, v in raw_sweep.items() if k not in ("zip", "sample")}
        flat = flatten(grid)
        raw["sweep"] = {
            **flat,
            **{k: raw_sweep[k] for k in ("zip", "sample") if k in raw_sweep},
        }
    if isinstance(raw.get("parameters"), dict):
        raw["parameters"] = _nest(raw["parameters"])
    problems.extend(_apply_overrides(raw, overrides))
    try:
        doc = _Document.model_validate(raw)
    except ValidationError as exc:
        problems.extend(format_validation_error(exc, name, "", _Document))
        doc = None
    sweep: dict[str, Any] | None = None
    partial: dict[str, Any] = {"grid": {}, "zip": {}, "sample": None}
    sweep_raw = raw.get("sweep", {})
    if isinstance(sweep_raw, dict):
        try:
            sweep = normalise_sweep(sweep_raw, name)
            partial = sweep
        except InputError as exc:
            problems.extend(exc.problems)
            partial = normalise_sweep(sweep_raw, name, strict=False)
    if doc is not None and doc.outputs.figures:
        problems.extend(_check_figures(doc.outputs.figures, name))
    # the model's schema is checked even when other sections have problems, so that
    # one pass reports everything; but a plugin (its code runs on import) is imported
    # only once the rest of the config is valid
    section = raw.get("experiment")
    model = section.get("model") if isinstance(section, dict) else None
    named = _plugins_named(raw)
    before = set(sys.modules)
    fast = doc.quick if doc is not None else None
    # quick.parameters are checked even when another part of [quick] is wrong
    fast_parameters = _quick_parameters(raw)
    count = _count_points(partial, quick, fast)
    problems.extend(_size_problems(name, partial, count, doc, quick, allow_large))
    problems.extend(quick_conflicts(name, fast_parameters, swept_keys(partial)))
    hold_plugins = bool(problems) and bool(named)
    spec = None
    if isinstance(model, str) and model and not (hold_plugins and ":" in model):
        try:
            spec = get_model(model)
        except InputError as exc:
            problems.extend(f"{name}: experiment.model={model!r}: {p}" for p in exc.problems)
    seed_raw = section.get("seed") if isinstance(section, dict) else None
    seed = seed_raw if isinstance(seed_raw, int) and 0 <= seed_raw < 2**63 else None
    if doc is not None and doc.experiment.seed is not None:
        seed = doc.experiment.seed
    seed_given = seed is not None
    if seed is None:
        seed = _draw_seed()
    if quick and partial["sample"]:
        partial["sample"]["count"] = quick_sizes(fast, 1, 1, partial["sample"]["count"])[2]
    too_many = count > MAX_POINTS and not allow_large
    points = [] if too_many else expand_points(partial, seed)
    parameters_raw = raw.get("parameters", {})
    parameters = _nest(parameters_raw) if isinstance(parameters_raw, dict) else {}
    params: list[dict[str, Any]] = []
    peak: int | None = None
    run_steps = None
    if doc is not None:
        run_steps = doc.experiment.steps
        if quick:
            run_steps = quick_sizes(doc.quick, run_steps, 1, None)[0]
    if spec is not None and isinstance(parameters_raw, dict) and not too_many and not hold_plugins:
        params, peak = _check_points(
            spec,
            parameters,
            partial,
            points,
            quick,
            name,
            problems,
            run_steps,
            allow_large,
            fast_parameters,
        )
    imported = tuple(
        p for p in named if p.partition(":")[0] in sys.modules and p.partition(":")[0] not in before
    )
    if problems or doc is None or sweep is None or spec is None:
        raise InputError(
            *_blame_overrides(problems or [f"{name}: invalid config"], name, overrides)
        )
    exp = doc.experiment
    steps, replicates = exp.steps, exp.replicates
    used = None
    if quick:
        steps, replicates, _ = quick_sizes(doc.quick, steps, replicates, None)
        sample = sweep["sample"]["count"] if sweep["sample"] else None
        used = quick_record(doc.quick, steps, replicates, sample)
    return Experiment(
        source=name,
        name=exp.name,
        description=exp.description,
        model=exp.model,
        steps=steps,
        replicates=replicates,
        seed=seed,
        seed_given=seed_given,
        parameters=parameters,
        sweep=sweep,
        outputs=doc.outputs.model_dump(),
        swept=tuple(swept_keys(sweep)),
        points=tuple(points),
        params=tuple(params),
        quick=quick,
        spec=spec,
        overrides=tuple(overrides),
        plugins=tuple(sorted(set(imported) | {p for p in named if p == exp.model})),
        peak_memory=peak,
        quick_section=doc.quick,
        quick_used=used,
    )


def _quick_parameters(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``quick.parameters`` as written (nested), or ``{}`` if absent or not a table."""
    section = raw.get("quick")
    parameters = section.get("parameters") if isinstance(section, dict) else None
    return _nest(parameters) if isinstance(parameters, dict) else {}


def _plugins_named(raw: Mapping[str, Any]) -> list[str]:
    """Plugin import paths (``"package.module:Name"``) a config names: its model, and
    strings or table keys in its parameters and sweep (strategies)."""
    found: list[str] = []
    section = raw.get("experiment")
    model = section.get("model") if isinstance(section, dict) else None
    if isinstance(model, str) and ":" in model:
        found.append(model)
    stack: list[Any] = [raw.get("parameters"), raw.get("sweep")]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.extend(k for k in node if isinstance(k, str) and PLUGIN.match(k))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and PLUGIN.match(node):
            found.append(node)
    return list(dict.fromkeys(found))


def _count_points(
    sweep: Mapping[str, Any], quick: bool, section: QuickSection | None = None
) -> int:
    """Number of sweep points, counted without expanding them."""
    grid = math.prod(len(v) for v in (sweep.get("grid") or {}).values())
    zipped = sweep.get("zip") or {}
    zip_count = min(len(v) for v in zipped.values()) if zipped else 1
    sample = sweep.get("sample")
    sample_count = 1
    if sample:
        sample_count = int(sample["count"])
        if quick:
            sample_count = quick_sizes(section, 1, 1, sample_count)[2] or sample_count
    return grid * zip_count * sample_count


def _size_problems(
    source: str,
    sweep: Mapping[str, Any],
    count: int,
    doc: _Document | None,
    quick: bool,
    allow_large: bool,
) -> list[str]:
    """The sweep's size against the soft limits (before anything is expanded)."""
    if allow_large:
        return []
    problems = []
    keys = [f"sweep.{k}" for k in (sweep.get("grid") or {})]
    if sweep.get("sample"):
        keys.append("sweep.sample.count")
    where = ", ".join(keys[:4]) or "sweep"
    if count > MAX_POINTS:
        problems.append(
            f"{source}: {where}: the sweep has {count:,} points; expected at most "
            f"{MAX_POINTS:,} (pass --allow-large to go past this limit)"
        )
    elif doc is not None:
        replicates = doc.experiment.replicates
        if quick:
            replicates = quick_sizes(doc.quick, 1, replicates, None)[1]
        runs = count * replicates
        if runs > MAX_RUNS:
            problems.append(
                f"{source}: experiment.replicates={replicates}: {count:,} points x "
                f"{replicates:,} replicates = {runs:,} runs; expected at most {MAX_RUNS:,} "
                "(pass --allow-large to go past this limit)"
            )
    return problems


def memory_limit() -> int:
    """Bytes of memory this process may use: physical memory, or a smaller cgroup limit."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        total = 8 * 2**30
    try:
        text = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
        if text.isdigit():
            total = min(total, int(text))
    except OSError:
        pass
    return int(total)


def format_bytes(count: float) -> str:
    """``1536`` -> ``'1.5 KiB'``.

    >>> format_bytes(7 * 2**40)
    '7.0 TiB'
    """
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if count < 1024 or unit == "PiB":
            return f"{count:.1f} {unit}" if unit != "B" else f"{int(count)} B"
        count /= 1024
    return f"{count:.1f} PiB"  # pragma: no cover


def _check_figures(figures: Sequence[str], source: str) -> list[str]:
    """Figure kinds must be among :data:`longgame._figures.FIGURE_NAMES`."""
    kinds = list(FIGURE_NAMES)
    problems = []
    for index, figure in enumerate(figures):
        if figure.replace("_", "-") not in kinds:
            hint = closest_names(figure, kinds)
            problems.append(
                f"{source}: outputs.figures[{index}]={figure!r} is not a figure kind; "
                f"expected one of {', '.join(kinds)}" + (f" ({hint})" if hint else "")
            )
    return problems


def _blame_overrides(problems: list[str], source: str, overrides: Sequence[str]) -> list[str]:
    """Point problems about keys given with ``--set`` at the override, not the file."""
    keys = []
    for text in overrides:
        key = text.partition("=")[0].strip().replace('"', "").replace("'", "")
        keys.append(key)
    out = []
    for line in problems:
        for key in keys:
            head = f"{source}: {key}"
            if line.startswith((head + "=", head + " ", head + "[", head + ".")):
                line = f"{source} (--set {key}): " + line[len(source) + 2 :]
                break
        out.append(line)
    return out


def _merge(
    spec: ModelSpec,
    parameters: Mapping[str, Any],
    point: Mapping[str, Any],
    quick: bool,
    quick_parameters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    merged = copy.deepcopy(dict(parameters))
    for key, value in point.items():
        set_dotted(merged, key, copy.deepcopy(value))
    return quick_merge(spec, merged, quick_parameters or {}) if quick else merged


def _check_points(
    spec: ModelSpec,
    parameters: Mapping[str, Any],
    sweep: Mapping[str, Any],
    points: Sequence[Mapping[str, Any]],
    quick: bool,
    source: str,
    problems: list[str],
    steps: int | None = None,
    allow_large: bool = False,
    quick_parameters: Mapping[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], int | None]:
    """Validate the model parameters at every point and estimate each run's cost;
    append problems; return the dicts and the largest estimated run memory.

    ``quick.parameters`` are checked too when the config has them, ``--quick`` or not,
    so that ``longgame validate`` finds their mistakes."""
    rename = {}
    for key in swept_keys(sweep):
        if key in sweep["zip"]:
            rename[key] = f"sweep.zip.{key}"
        elif sweep["sample"] and key in sweep["sample"]["bounds"]:
            rename[key] = f"sweep.sample.bounds.{key}"
        else:
            rename[key] = f"sweep.{key}"
    lines: dict[str, list[int]] = {}  # problem -> the points where it occurs
    params = []
    peak: int | None = None
    worst: str | None = None
    memory = memory_limit()
    for index, point in enumerate(points):
        # validate what the user wrote first, so messages quote their values; then the
        # --quick version, which the model's hook derives from it
        merged = _merge(spec, parameters, point, False)
        found: list[str] = []
        validated: Any = None
        named_by = rename  # the quick version's problems point at quick.parameters
        try:
            validated = spec.params.model_validate(merged)
            if quick or quick_parameters:
                named_by = {**rename, **quick_rename(quick_parameters or {})}
                fast = quick_merge(spec, merged, quick_parameters or {})
                fast_validated = spec.params.model_validate(fast)
                if quick:
                    merged, validated = fast, fast_validated
        except ValidationError as exc:
            found = format_validation_error(exc, source, "parameters", spec.params, named_by)
        except (TypeError, ValueError, KeyError) as exc:
            found = [f"{source}: parameters are invalid: {exc}"]
        if validated is not None and steps is not None and spec.cost is not None:
            cost = spec.cost(validated, steps)
            peak = max(peak or 0, cost.memory)
            too_big = cost.memory > memory or cost.work > MAX_WORK
            if not allow_large and too_big and worst is None:
                worst = _cost_problem(source, cost, memory, rename, index, len(points))
        for line in found:
            lines.setdefault(line, []).append(index)
        params.append(merged)
        if len(lines) >= 50:
            break
    for line, where in lines.items():
        # a problem of the whole parameter table that only some points have: say which
        if line.startswith(f"{source}: parameters ") and len(where) < len(points):
            shown = ", ".join(map(str, where[:5])) + (", ..." if len(where) > 5 else "")
            values = ", ".join(f"{k}={describe_value(v)}" for k, v in points[where[0]].items())
            line += f" (at point {shown} of {len(points)}; point {where[0]}: {values})"
        problems.append(line)
    if len(lines) >= 50:
        problems.append(f"{source}: ... (more problems not shown)")
    if worst is not None:
        problems.append(worst)
    return params, peak


def _cost_problem(
    source: str, cost: Any, memory: int, rename: Mapping[str, str], index: int, count: int
) -> str:
    """One line: which key makes a run too big, the estimate and the limit."""
    driver = str(cost.driver)
    key = "experiment.steps" if driver == "steps" else rename.get(driver, f"parameters.{driver}")
    at = f" (point {index} of {count})" if count > 1 else ""
    if cost.memory > memory:
        return (
            f"{source}: {key}: a run{at} needs about {format_bytes(cost.memory)} of memory; "
            f"expected at most {format_bytes(memory)}, this machine's memory "
            "(pass --allow-large to try anyway)"
        )
    return (
        f"{source}: {key}: a run{at} needs about {cost.work:.1e} updates (hours of "
        f"computing); expected at most {MAX_WORK:.0e} (pass --allow-large to run it anyway)"
    )
