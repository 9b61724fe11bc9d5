"""Loading a config: read the file safely, apply ``--set``, validate every section and
the model's parameters at every sweep point, and resolve an :class:`Experiment`."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import stat
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from longgame._validation import describe_value, format_validation_error
from longgame.errors import InputError
from longgame.experiments.config._messages import (
    _blame_overrides,
    _check_figures,
    _cost_problem,
    _size_problems,
)
from longgame.experiments.config._overrides import _apply_overrides, _nest
from longgame.experiments.config._schema import (
    MAX_CONFIG_BYTES,
    MAX_DEPTH,
    MAX_POINTS,
    MAX_WORK,
    PLUGIN,
    QUICK_REPLICATES,
    QUICK_SAMPLE,
    _depth,
    _Document,
    quick_steps,
)
from longgame.experiments.sweep import (
    expand_points,
    flatten,
    normalise_sweep,
    set_dotted,
    swept_keys,
)

if TYPE_CHECKING:
    from longgame.models._spec import ModelSpec

__all__ = ["Experiment", "load_config", "memory_limit"]


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
        return {
            "experiment": experiment,
            # under --quick, the sizes the runs really used (the model's hooks are idempotent)
            "parameters": self.spec.quick(copy.deepcopy(self.parameters))
            if self.quick
            else copy.deepcopy(self.parameters),
            "sweep": sweep,
            "outputs": {k: v for k, v in self.outputs.items() if v is not None},
        }

    def fingerprint(self) -> str:
        """Hash of everything that changes run results (not description or outputs)."""
        doc = self.to_dict()
        doc["experiment"].pop("description", None)
        doc.pop("outputs", None)
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
        return _merge(self.spec, self.parameters, point, self.quick)


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
    count = _count_points(partial, quick)
    problems.extend(_size_problems(name, partial, count, doc, quick, allow_large))
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
        partial["sample"]["count"] = min(partial["sample"]["count"], QUICK_SAMPLE)
    too_many = count > MAX_POINTS and not allow_large
    points = [] if too_many else expand_points(partial, seed)
    parameters_raw = raw.get("parameters", {})
    parameters = _nest(parameters_raw) if isinstance(parameters_raw, dict) else {}
    params: list[dict[str, Any]] = []
    peak: int | None = None
    run_steps = None
    if doc is not None:
        run_steps = quick_steps(doc.experiment.steps) if quick else doc.experiment.steps
    if spec is not None and isinstance(parameters_raw, dict) and not too_many and not hold_plugins:
        params, peak = _check_points(
            spec, parameters, partial, points, quick, name, problems, run_steps, allow_large
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
    if quick:
        steps, replicates = quick_steps(steps), min(replicates, QUICK_REPLICATES)
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
    )


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


def _count_points(sweep: Mapping[str, Any], quick: bool) -> int:
    """Number of sweep points, counted without expanding them."""
    grid = math.prod(len(v) for v in (sweep.get("grid") or {}).values())
    zipped = sweep.get("zip") or {}
    zip_count = min(len(v) for v in zipped.values()) if zipped else 1
    sample = sweep.get("sample")
    sample_count = 1
    if sample:
        sample_count = int(sample["count"])
        if quick:
            sample_count = min(sample_count, QUICK_SAMPLE)
    return grid * zip_count * sample_count


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


def _merge(
    spec: ModelSpec, parameters: Mapping[str, Any], point: Mapping[str, Any], quick: bool
) -> dict[str, Any]:
    merged = copy.deepcopy(dict(parameters))
    for key, value in point.items():
        set_dotted(merged, key, copy.deepcopy(value))
    return spec.quick(merged) if quick else merged


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
) -> tuple[list[dict[str, Any]], int | None]:
    """Validate the model parameters at every point and estimate each run's cost;
    append problems; return the dicts and the largest estimated run memory."""
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
        try:
            validated = spec.params.model_validate(merged)
            if quick:
                merged = spec.quick(merged)
                validated = spec.params.model_validate(merged)
        except ValidationError as exc:
            found = format_validation_error(exc, source, "parameters", spec.params, rename)
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
