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
    """figures/ and report.html by name."""
    out = {path.name: path.read_bytes() for path in sorted((folder / "figures").iterdir())}
    out["report.html"] = (folder / "report.html").read_bytes()
    return out


def test_the_report_embeds_the_figure_files(market_dir: Path, tmp_path: Path) -> None:
    """After a run the report shows the very PNG files of figures/, one each."""
    import base64

    folder = tmp_path / "market"
    shutil.copytree(market_dir, folder)
    draw_outputs(folder, helper=False)
    html = (folder / "report.html").read_text()
    pngs = sorted((folder / "figures").glob("*.png"))
    assert pngs
    for png in pngs:
        assert html.count(base64.b64encode(png.read_bytes()).decode("ascii")) == 1, png.name


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


def _write(charts: list[Any], folder: Path, helper: bool, kill: bool = False) -> list[Path]:
    """The figure files of ``charts`` written with or without the helper process (killed
    after the first chart was sent to it, with ``kill``)."""
    from longgame.plots._helper import RenderHelper

    with RenderHelper(start=helper) as renderer:
        renders = renderer.renders(folder)
        assert (renders.helper is renderer) == helper
        for chart in charts:
            renders.add(chart)
            if kill and renderer._process is not None:
                renderer._process.kill()
                renderer._process.join()
        return renders.finish()


def test_a_dead_helper_leaves_the_rendering_here(market_dir: Path, tmp_path: Path) -> None:
    """When the helper process dies, this process writes the files of the charts the
    helper took, the same files as with no helper at all."""
    from longgame.plots import draw_figures
    from longgame.plots._load import load

    folder = tmp_path / "market"
    shutil.copytree(market_dir, folder)
    results = load(folder)
    charts = draw_figures(results)
    assert len(charts) >= 2
    expected = _write(charts, tmp_path / "alone", helper=False)
    # fresh charts (not rendered yet, as after a run)
    pngs = _write(draw_figures(results), tmp_path / "helped", helper=True, kill=True)
    assert [p.name for p in pngs] == [p.name for p in expected]
    assert [p.name for p in pngs] == [f"{c.name}.png" for c in charts]
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "helped").iterdir())
    assert len(names) == 2 * len(charts)
    for name in names:
        assert (tmp_path / "helped" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()


def test_the_helper_writes_the_charts_not_taken_from_the_back(
    market_dir: Path, tmp_path: Path
) -> None:
    """The helper writes both files of each chart not yet taken, the last first: those
    taken here it leaves."""
    import pickle

    from longgame.plots import draw_figures
    from longgame.plots._helper import _serve
    from longgame.plots._load import load

    class Line:
        """This process's end of the pipe, every message already sent."""

        def __init__(self, messages: list[Any]) -> None:
            self.messages, self.answers = messages, []

        def recv(self) -> Any:
            return self.messages.pop(0)

        def poll(self, timeout: float | None = 0.0) -> bool:
            return bool(self.messages)

        def send(self, answer: Any) -> None:
            self.answers.append(answer)

        def close(self) -> None:
            pass

    folder = tmp_path / "market"
    shutil.copytree(market_dir, folder)
    charts = draw_figures(load(folder))
    n = len(charts)
    assert n >= 3
    out = tmp_path / "out"
    out.mkdir()
    line = Line([str(out), *((c.name, pickle.dumps(c.figure)) for c in charts), None])
    taken = [0] * 256
    taken[0] = 1  # taken by this process
    _serve(line, taken)
    assert line.answers == [("done", list(range(n - 1, 0, -1)))]  # the last first
    assert taken[:n] == [1] * n
    assert not any(taken[n:])
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{c.name}.{fmt}" for c in charts[1:] for fmt in ("png", "svg")]
    )


def test_the_helper_receives_charts_while_it_writes_others() -> None:
    """Charts far larger than a pipe's buffer are taken off the pipe as they come, so
    that drawing the next chart never waits for the helper to finish writing one; the
    end of the batch (None) and a closed pipe (EOFError) come through last."""
    import multiprocessing
    import threading

    from longgame.plots._helper import _inbox

    for close in (False, True):
        ours, theirs = multiprocessing.Pipe()
        inbox = _inbox(theirs)
        big = [(f"chart-{i}", bytes([i]) * 2_000_000) for i in range(4)]

        def send(ours: Any = ours, close: bool = close, big: list[Any] = big) -> None:
            for message in big:
                ours.send(message)
            if close:
                ours.close()
            else:
                ours.send(None)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        sender.join(timeout=30)  # nobody takes from the inbox meanwhile
        assert not sender.is_alive(), "the sender waited for the helper"
        got = [inbox.get(timeout=30) for _ in range(5)]
        assert got[:4] == big
        assert got[4] is (EOFError if close else None)


def test_each_chart_is_written_once_however_often_its_png_is_read(
    market_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing this process's share, reading PNG files (which waits for every file) and
    finishing again write each chart exactly once; the bytes read are the files'."""
    import longgame.plots as plots
    from longgame.plots import draw_figures
    from longgame.plots._helper import Renders
    from longgame.plots._load import load

    charts = draw_figures(load(market_dir))
    written: list[str] = []
    save = plots.save_chart

    def counting(chart: Any, folder: Any, formats: Any = ("png", "svg")) -> Any:
        written.append(chart.name)
        return save(chart, folder, formats)

    monkeypatch.setattr(plots, "save_chart", counting)
    renders = Renders(tmp_path)
    for chart in charts:
        renders.add(chart)
    renders.write()
    assert sorted(written) == sorted(c.name for c in charts)
    assert renders.png(1) == (tmp_path / f"{charts[1].name}.png").read_bytes()
    paths = renders.finish()
    assert [p.name for p in paths] == [f"{c.name}.png" for c in charts]
    assert sorted(written) == sorted(c.name for c in charts)
