"""The generated reference pages (scripts/docs_hooks.py): every config key and metric, from
the schemas, so the documentation cannot drift from the code."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from pydantic import BaseModel

from longgame.models import get_model
from longgame.models.market._metrics import METRICS

ROOT = Path(__file__).resolve().parents[1]


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "scripts" / "docs_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _keys(cls: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in cls.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            keys += _keys(field.annotation, f"{prefix}{name}.")
        else:
            keys.append(prefix + name)
    return keys


def test_parameter_reference_lists_every_key_with_default_and_range() -> None:
    """Each model's every (dotted) config key has a row with its default and range."""
    page = _hooks().parameters_page()
    for model in ("market", "tournament", "learning"):
        section = page.split(f"## `{model}`")[1].split("\n## ")[0]
        keys = _keys(get_model(model).params)
        assert len(keys) > 5
        for key in keys:
            assert f"| `{key}` |" in section, key
    row = re.search(r"^\| `exchange\.demand` \|.*$", page, re.MULTILINE)
    assert row is not None
    assert row.group(0) == (
        "| `exchange.demand` | `float` | `0.9` | ≥ 0, ≤ 1 | purchase probability per period |"
    )
    assert (
        "| `stop_loss.limit` | `float` | `inf` | ≥ 0 | per-relationship loss limit L (money) |"
        in (page)
    )


def test_metric_glossary_defines_every_market_metric_and_lists_the_others() -> None:
    """Every market metric has its definition and figure label; other models list theirs."""
    hooks = _hooks()
    definitions = hooks.market_metric_definitions()
    assert list(definitions) == list(METRICS)
    assert definitions["trust"] == "mean trust of the group's current customers (NaN if none)."
    assert definitions["share"] == "their share of all active sellers."
    page = hooks.metrics_page()
    assert (
        "| `profit` | mean profit per active seller of the group in the period (money). |" in page
    )
    for name in ("fitness", "mean_payoff", "ne_distance", "share.press"):
        assert f"| `{name}` |" in page
