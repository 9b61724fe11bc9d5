"""The plain catalog of figure names stays in step with the drawing functions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from longgame._figures import FIGURE_NAMES
from longgame.plots import FIGURE_KINDS

FLAGSHIP = Path(__file__).parents[1] / "experiments" / "fleecing-vs-fair.toml"


def test_catalog_names_every_drawable_figure_in_order() -> None:
    """FIGURE_NAMES (no matplotlib) lists exactly the kinds plots can draw, in order."""
    assert tuple(FIGURE_KINDS) == FIGURE_NAMES


def test_validating_a_config_does_not_import_plotting(tmp_path: Path) -> None:
    """Loading and checking a config with figure names imports no matplotlib."""
    config = tmp_path / "with-figures.toml"
    text = FLAGSHIP.read_text(encoding="utf-8")
    figures = '[outputs]\nfigures = ["long-run", "heatmap"]\n'
    config.write_text(text.replace("[outputs]\n", figures), encoding="utf-8")
    code = (
        "import sys\n"
        "from longgame.experiments import load_config\n"
        f"load_config({str(config)!r})\n"
        "print('longgame.plots' in sys.modules, 'matplotlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"], done.stdout + done.stderr
