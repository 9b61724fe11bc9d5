"""MkDocs hook: the parameter reference and the metric glossary, generated at build time.

Both pages are written from the schemas the code validates with, so they cannot drift:
every field of each model's pydantic parameter schema (its dotted config key, type,
default, range and description with units) and every metric a model records (its
definition from the model's metric documentation, and the label figures give it).
``mkdocs build`` adds them as ``reference/parameters.md`` and ``reference/metrics.md``;
``python scripts/docs_hooks.py`` prints them (what the tests check).
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

MODELS = ("market", "tournament", "learning")


def _schema(model: str) -> type[BaseModel]:
    from longgame.models import get_model

    return get_model(model).params


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__name__
    text = str(annotation).replace("typing.", "").replace("NoneType", "None")
    text = re.sub(r"\blonggame\.[\w.]+\.", "", text)
    return re.sub(r"<class '([\w.]+)'>", lambda m: m.group(1).rsplit(".", 1)[-1], text)


def _block(annotation: Any) -> type[BaseModel] | None:
    """The nested parameter block of a field (``MarketParams.trust`` -> TrustParams)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _range(field: FieldInfo) -> str:
    parts = []
    for item in field.metadata:
        for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            value = getattr(item, attr, None)
            if value is not None:
                parts.append(f"{sign} {value:g}" if isinstance(value, float) else f"{sign} {value}")
        min_length = getattr(item, "min_length", None)
        if min_length is not None:
            parts.append(f"length ≥ {min_length}")
    return ", ".join(parts)


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return "required"
    else:
        value = field.default
    if isinstance(value, BaseModel):
        return "(block)"
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


def _documented(cls: type[BaseModel]) -> dict[str, str]:
    """``name: text`` entries of the class docstring's Attributes section."""
    doc = inspect.getdoc(cls) or ""
    found: dict[str, str] = {}
    if "Attributes:" not in doc:
        return found
    current = None
    for line in doc.split("Attributes:", 1)[1].splitlines():
        entry = re.match(r"^    (\w+): (.*)$", line)
        if entry:
            current = entry.group(1)
            found[current] = entry.group(2)
        elif current and line.startswith("        "):
            found[current] += " " + line.strip()
        elif line.strip():
            current = None
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rows(cls: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, ...]]:
    notes = _documented(cls)
    for name, field in cls.model_fields.items():
        key = f"{prefix}{name}"
        block = _block(field.annotation)
        if block is not None:
            yield (f"**`{key}`**", "block", "", "", _cell(_first_line(block)))
            yield from _rows(block, key + ".")
            continue
        text = field.description or notes.get(name, "")
        yield (
            f"`{key}`",
            f"`{_cell(_type_name(field.annotation))}`",
            f"`{_cell(_default(field))}`",
            _cell(_range(field)),
            _cell(text),
        )


def parameters_page() -> str:
    """The parameter reference: one table per model, one row per config key."""
    lines = [
        "# Config parameters",
        "",
        "Every key of an experiment config's `[parameters]` table, per model, generated from",
        "the model's pydantic schema (unknown keys are errors). Dotted keys are what `[sweep]`",
        "and `--set parameters.KEY=VALUE` take. Money amounts are in the deal's currency unit;",
        "probabilities are per period unless said otherwise.",
        "",
    ]
    for model in MODELS:
        cls = _schema(model)
        lines += [
            f"## `{model}`",
            "",
            f"Schema: `{cls.__module__}.{cls.__qualname__}`. {_first_line(cls)}",
            "",
            "| key | type | default | range | meaning |",
            "|---|---|---|---|---|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in _rows(cls)]
        lines.append("")
    return "\n".join(lines)


def _first_line(obj: Any) -> str:
    return (inspect.getdoc(obj) or "").split("\n\n", 1)[0].replace("\n", " ")


def market_metric_definitions() -> dict[str, str]:
    """Each market metric's definition, from the bullets of the metrics module's docstring."""
    from longgame.models.market import _metrics

    doc = inspect.getdoc(_metrics) or ""
    bullets = re.findall(r"^- (.*?)(?=^- |^\S|\Z)", doc, flags=re.MULTILINE | re.DOTALL)
    found: dict[str, str] = {}
    for bullet in bullets:
        for part in re.split(r";\s*(?=``)", " ".join(bullet.split())):
            head, _, text = part.partition(":")
            for name in re.findall(r"``(\w+)``", head):
                found[name] = text.strip().rstrip(";.") + "."
    missing = [m for m in _metrics.METRICS if m not in found]
    if missing:
        raise RuntimeError(f"market metrics without a definition in _metrics' docstring: {missing}")
    return {m: found[m] for m in _metrics.METRICS}


def metrics_page() -> str:
    """The metric glossary: every metric a model records, its definition and figure label."""
    from longgame.plots import metric_label

    lines = [
        "# Metrics",
        "",
        "What each model records, per step and group, in the tidy `metrics` tables",
        "(columns `step`, `group`, `metric`, `value`) and in `summary.parquet` (long-run",
        "means). Generated from the models' metric definitions; the label is what figures",
        "and the report call the metric.",
        "",
        "## `market`",
        "",
        "Groups are seller groups (their `label`, else their strategy as written).",
        "",
        "| metric | definition | label in figures |",
        "|---|---|---|",
    ]
    for name, text in market_metric_definitions().items():
        lines.append(f"| `{name}` | {_cell(text)} | {_cell(metric_label(name))} |")
    lines.append("")
    for model in ("tournament", "learning"):
        lines += [f"## `{model}`", "", _metric_section(model), ""]
        lines += ["| metric | groups | label in figures |", "|---|---|---|"]
        for name, groups in _recorded(model).items():
            lines.append(f"| `{name}` | {_cell(groups)} | {_cell(metric_label(name))} |")
        lines.append("")
    return "\n".join(lines)


#: the smallest run of each model, to list the metrics it really records
_TINY: dict[str, dict[str, Any]] = {
    "tournament": {"strategies": ["tit-for-tat", "fleecer"], "rounds": 5, "repetitions": 1},
    "learning": {"n_row": 10, "n_col": 10},
}


def _recorded(model: str) -> dict[str, str]:
    """Metric name -> the groups it is recorded for, from a tiny run of the model."""
    import numpy as np

    from longgame.models import get_model

    spec = get_model(model)
    frame = spec.simulate(spec.params(**_TINY[model]), 2, np.random.default_rng(0)).metrics
    out: dict[str, str] = {}
    for name, rows in frame.groupby("metric", sort=True):
        groups = sorted(set(rows["group"]))
        out[str(name)] = "all (population-wide)" if groups == ["all"] else (
            "each strategy" if model == "tournament" else "each player"
        ) + (" and all" if "all" in groups and groups != ["all"] else "")
    return out


def _metric_section(model: str) -> str:
    """The paragraph of a model's module docstring that defines its metrics."""
    import importlib

    module = importlib.import_module(f"longgame.models.{model}")
    doc = inspect.getdoc(module) or ""
    paragraphs = [p for p in doc.split("\n\n") if p.lstrip().startswith("Metrics")]
    return "\n\n".join(" ".join(p.split()) for p in paragraphs) or (
        f"Metrics recorded per step by the {model} model (see its API page for their meaning):"
    )


PAGES = {"reference/parameters.md": parameters_page, "reference/metrics.md": metrics_page}


def on_files(files: Any, config: Any) -> Any:
    """MkDocs event: add the generated pages to the site's files."""
    from mkdocs.structure.files import File

    for path, build in PAGES.items():
        files.append(File.generated(config, path, content=build()))
    return files


if __name__ == "__main__":
    for build in PAGES.values():
        print(build())
        print()

