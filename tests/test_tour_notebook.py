"""docs/tour.ipynb, the researcher's tour: committed without outputs, and it runs cleanly."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

TOUR = Path(__file__).resolve().parents[1] / "docs" / "tour.ipynb"


def test_committed_tour_has_no_outputs() -> None:
    """The notebook is stored stripped: no outputs and no execution counts in git."""
    notebook = json.loads(TOUR.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(code) >= 10
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def _outputs(cell: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for output in cell.get("outputs", []):
        data.update(output.get("data", {}))
        if output.get("name") == "stdout":
            data["stdout"] = data.get("stdout", "") + output["text"]
    return data


def test_tour_runs_and_shows_tables_and_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every cell runs without error; objects show as HTML, the chart and plt's figure inline."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(TOUR, as_version=4)
    # a notebook user's kernel: inline figures, not the Agg backend CI exports for the suite
    monkeypatch.delenv("MPLBACKEND", raising=False)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert errors == []
    shown = [_outputs(c) for c in code]
    by_source = {c.source.splitlines()[-1]: s for c, s in zip(code, shown, strict=True)}
    assert "<b>4, 4</b>" in by_source["boxed_pigs()"]["text/html"]
    assert "Round robin: 6 strategies" in by_source["result"]["text/html"]
    assert "Run output" in by_source["out"]["text/html"]
    assert "ContractResult(passed=" in by_source["CooldownContract().check()"]["text/plain"]
    assert (
        by_source["play_against(Cooldown(), [0, 1, 0, 0, 0, 0]).tolist()"]["text/plain"]
        == "[0, 0, 1, 1, 0, 0]"
    )
    assert (
        "Results: tour"
        in by_source["run_experiment(config, folder, workers=1, progress=False)"]["text/html"]
    )
    chart = by_source["chart"]
    assert "<figcaption>" in chart["text/html"]
    assert base64.b64decode(chart["image/png"]).startswith(b"\x89PNG")
    # the user's own pyplot figure after longgame's: still drawn inline as a PNG
    assert base64.b64decode(by_source["plt.show()"]["image/png"]).startswith(b"\x89PNG")
