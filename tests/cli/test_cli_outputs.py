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


def _files(folder: Path) -> dict[str, bytes]:
    """figures/ and report.html by name; SVG element ids (random per process) masked."""
    import re

    out = {}
    for path in sorted((folder / "figures").iterdir()):
        data = path.read_bytes()
        if path.suffix == ".svg":
            data = re.sub(rb'(id="|#)[a-z]*[0-9a-f]{8,12}', rb"\1X", data)
        out[path.name] = data
    out["report.html"] = (folder / "report.html").read_bytes()
    return out


def test_the_helper_process_writes_what_this_process_writes(
    market_dir: Path, tmp_path: Path
) -> None:
    """With the second-process helper the PNG, SVG and report files are byte for byte
    those drawn in one process."""
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(market_dir, one)
    shutil.copytree(market_dir, two)
    draw_outputs(one, helper=False)
    draw_outputs(two, helper=True)
    serial, helped = _files(one), _files(two)
    assert sorted(serial) == sorted(helped)
    assert any(name.endswith(".svg") for name in serial)
    for name in serial:
        assert serial[name] == helped[name], name


def test_run_outputs_equal_the_plot_and_report_commands(market_dir: Path, tmp_path: Path) -> None:
    """After a run, figures/ and report.html are what `longgame plot` and `longgame
    report` write on their own: no file depends on the ones rendered before it."""
    from longgame.plots import plot_results
    from longgame.report import write_report

    run, alone = tmp_path / "run", tmp_path / "alone"
    shutil.copytree(market_dir, run)
    shutil.copytree(market_dir, alone)
    draw_outputs(run, helper=False)
    plot_results(alone)
    write_report(alone)
    assert _files(run) == _files(alone)


def test_a_dead_helper_leaves_the_rendering_here(market_dir: Path, tmp_path: Path) -> None:
    """When the helper process dies, this process renders the SVG files and the
    report's images itself, the same as the helper would have."""
    from longgame.plots import draw_figures
    from longgame.plots._helper import RenderHelper, render_copies
    from longgame.plots._load import load

    folder = tmp_path / "market"
    shutil.copytree(market_dir, folder)
    charts = draw_figures(load(folder))
    assert charts
    with RenderHelper(start=True) as helper:
        renders = helper.render(charts, tmp_path / "svg", [50.0])
        assert renders.helper is helper
        process = helper._process
        assert process is not None
        process.kill()
        pngs = renders.result()
    expected = render_copies(*renders.job)
    assert pngs == expected
    assert sorted(p.name for p in (tmp_path / "svg").iterdir()) == sorted(
        f"{c.name}.svg" for c in charts
    )
