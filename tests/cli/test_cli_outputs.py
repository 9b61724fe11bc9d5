"""What ``longgame run`` draws after the runs: each figure once, saved and embedded."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from longgame.cli._outputs import draw_outputs


def test_each_figure_is_drawn_once_for_figures_and_report(
    market_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every figure kind is drawn exactly once, yet figures/ and report.html both get it."""
    import longgame.plots as plots

    folder = tmp_path / "market"
    shutil.copytree(market_dir, folder)
    calls: dict[str, int] = {}

    def counting(kind: str, draw: Any) -> Any:
        def wrapped(results: Any) -> Any:
            calls[kind] = calls.get(kind, 0) + 1
            return draw(results)

        return wrapped

    for kind, draw in list(plots.FIGURE_KINDS.items()):
        monkeypatch.setitem(plots.FIGURE_KINDS, kind, counting(kind, draw))
    draw_outputs(folder)
    assert calls, "no figure kind was drawn"
    assert set(calls.values()) == {1}
    pngs = sorted((folder / "figures").glob("*.png"))
    assert pngs
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") >= len(pngs)


def test_a_failing_figure_is_a_warning_not_a_failure(
    market_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """A figure that raises is reported on stderr in one line; nothing else is raised."""
    import longgame.plots as plots

    folder = tmp_path / "market"
    shutil.copytree(market_dir, folder)

    def broken(results: Any) -> Any:
        raise ValueError("boom")

    kind = next(iter(plots.FIGURE_KINDS))
    monkeypatch.setitem(plots.FIGURE_KINDS, kind, broken)
    draw_outputs(folder)
    err = capsys.readouterr().err
    assert "warning: the figures failed: ValueError: boom" in err
