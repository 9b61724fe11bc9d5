"""Fault injection, configs that run code: a plugin named "package.module:Name" is imported
(its top-level code runs) only once the rest of the config is valid, nothing else is
imported, and `validate` lists the plugins it imported."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
from faults import cli

_MODEL = """
from pathlib import Path
Path({marker!r}).write_text("imported")
from toy_runner_models import SPEC
"""

_STRATEGY = """
from pathlib import Path
import numpy as np
from longgame.strategies import Strategy
Path({marker!r}).write_text("imported")

class Plugged(Strategy):
    name = {name!r}
    description = "A test plugin that always deals fair."
    memory_depth = 0

    def decide(self, view, rng):
        return np.zeros(view.n, dtype=np.int8)
"""


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path for the plugin modules (and the toy models)."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    folder = tmp_path / "plugins"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


def _plugin(folder: Path, template: str) -> tuple[str, Path]:
    """Write a plugin module that leaves a marker file when imported; (module, marker)."""
    module = f"plugin_{uuid.uuid4().hex[:10]}"
    marker = folder / f"{module}.imported"
    text = template.format(marker=str(marker), name=f"plugged-{module[-10:]}")
    (folder / f"{module}.py").write_text(text)
    return module, marker


def _model_config(folder: Path, model: str, steps: int) -> Path:
    path = folder / "c.toml"
    path.write_text(
        f'[experiment]\nname = "p"\nmodel = "{model}"\nsteps = {steps}\n'
        "[parameters]\nnoise = 0.5\n[sweep]\ndrift = [0.0, 1.0]\n"
    )
    return path


def test_plugin_model_is_not_imported_while_the_config_has_other_problems(
    plugin_dir: Path,
) -> None:
    """A config with a bad key elsewhere is refused before its plugin model's code runs."""
    module, marker = _plugin(plugin_dir, _MODEL)
    code, _, err = cli(["validate", str(_model_config(plugin_dir, f"{module}:SPEC", -5))])
    assert code == 2
    assert "experiment.steps=-5" in err
    assert not marker.exists()
    assert module not in sys.modules


def test_validate_lists_the_plugins_it_imported(plugin_dir: Path) -> None:
    """Once the config is valid the plugin is imported, and validate says so."""
    module, marker = _plugin(plugin_dir, _MODEL)
    code, out, err = cli(["validate", str(_model_config(plugin_dir, f"{module}:SPEC", 5))])
    assert code == 0, err
    assert marker.exists()
    assert f"plugins imported (their code ran): {module}:SPEC" in out


def test_plugin_strategy_waits_for_a_valid_config_then_is_listed(plugin_dir: Path) -> None:
    """A strategy plugin in a market's sellers is not imported while another key is bad,
    and is listed by validate once the config is valid."""
    module, marker = _plugin(plugin_dir, _STRATEGY)
    path = plugin_dir / "m.toml"
    base = '[experiment]\nname = "m"\nmodel = "market"\nsteps = {steps}\n'
    sellers = f'[parameters]\ncustomers = 200\nsellers = {{"{module}:Plugged" = 2, fleecer = 1}}\n'
    path.write_text(base.format(steps="-1") + sellers)
    code, _, err = cli(["validate", str(path)])
    assert code == 2
    assert not marker.exists()
    path.write_text(base.format(steps="5") + sellers)
    code, out, err = cli(["validate", str(path)])
    assert code == 0, err
    assert marker.exists()
    assert f"{module}:Plugged" in out.splitlines()[-1]


@pytest.mark.parametrize("model", ["../evil:SPEC", "..evil:SPEC"])
def test_malformed_import_paths_are_refused_without_importing(plugin_dir: Path, model: str) -> None:
    """Strings that are not 'package.module:Name' (here relative imports, which used to
    crash the importer with a traceback) are refused without importing anything."""
    code, _, err = cli(["validate", str(_model_config(plugin_dir, model, 5))])
    assert code == 2
    assert "experiment.model" in err
    assert "Traceback" not in err


def test_the_docs_say_a_config_is_code() -> None:
    """The how-to page warns that a config is code, to be trusted like a script."""
    text = (Path(__file__).parents[2] / "docs" / "how-to-run-an-experiment.md").read_text()
    assert "A config is code" in text
    assert "package.module:Name" in text
