"""Fault injection, a user's files in the results folder: `--fresh` deletes only what the
runner wrote, and no run deletes or overwrites a file it did not write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from faults import cli, snapshot, write_config


@pytest.fixture(autouse=True)
def _toy_models_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).parent))


def _run(config: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return cli(["run", str(config), "--out", str(out), "--workers", "1", "--no-report", *extra])


def _users_folder(out: Path) -> dict[str, bytes]:
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "my-plot.png").write_bytes(b"\x89PNG my own figure")
    (out / "report.html").write_text("<p>my report</p>")
    return snapshot(out)


@pytest.mark.parametrize("fresh", [True, False])
def test_folder_without_manifest_holding_users_files_is_refused(
    tmp_path: Path, fresh: bool
) -> None:
    """A folder with the user's figures/ and report.html but no manifest is refused with
    exit 2 naming the folder and the files; nothing there changes."""
    out = tmp_path / "out"
    before = _users_folder(out)
    code, _, err = _run(write_config(tmp_path), out, *(["--fresh"] if fresh else []))
    assert code == 2, err
    assert f"--out {out}" in err
    assert "figures/my-plot.png" in err
    assert "report.html" in err
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["figures", "report.html"]


def test_fresh_refuses_a_results_folder_with_a_users_file(tmp_path: Path) -> None:
    """--fresh on a longgame folder to which the user added a file refuses (exit 2),
    deleting nothing."""
    config = write_config(tmp_path)
    out = tmp_path / "out"
    assert _run(config, out)[0] == 0
    (out / "notes.txt").write_text("my notes")
    before = snapshot(out)
    code, _, err = _run(config, out, "--fresh")
    assert code == 2
    assert "notes.txt" in err
    assert snapshot(out) == before


def test_run_never_overwrites_a_report_the_user_replaced(tmp_path: Path) -> None:
    """A report.html changed by the user since longgame wrote it is not overwritten:
    a rerun (and `longgame report`) refuses, naming it."""
    config = write_config(tmp_path)
    out = tmp_path / "out"
    assert cli(["run", str(config), "--out", str(out), "--workers", "1"])[0] == 0
    assert "report.html" in json.loads((out / "manifest.json").read_text())["files"]
    (out / "report.html").write_text("<p>edited by hand</p>")
    code, _, err = cli(["run", str(config), "--out", str(out), "--workers", "1"])
    assert code == 2
    assert "report.html" in err
    assert cli(["report", str(out)])[0] == 2
    assert (out / "report.html").read_text() == "<p>edited by hand</p>"


def test_fresh_clears_exactly_what_the_runner_wrote(tmp_path: Path) -> None:
    """--fresh on an untouched results folder removes its runs, summary, figures and
    report and writes them again, identically."""
    config = write_config(tmp_path)
    out = tmp_path / "out"
    assert cli(["run", str(config), "--out", str(out), "--workers", "1"])[0] == 0
    runs = snapshot(out / "runs")
    stale = out / "runs" / "0123456789abcdef.parquet"
    stale.write_bytes(b"a run of an older config")  # not listed: not the runner's
    assert _run(config, out, "--fresh")[0] == 2
    stale.unlink()
    code, _, err = cli(["run", str(config), "--out", str(out), "--workers", "1", "--fresh"])
    assert code == 0, err
    assert snapshot(out / "runs") == runs
    assert (out / "report.html").is_file()


def test_drawing_interrupted_before_it_was_recorded_does_not_block_a_rerun(
    tmp_path: Path,
) -> None:
    """Figures written by a drawing that was killed before the manifest listed them are
    still the runner's: the next run resumes instead of refusing."""
    config = write_config(tmp_path)
    out = tmp_path / "out"
    assert _run(config, out)[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["outputs_pending"] = True
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "figures").mkdir()
    (out / "figures" / "long-run.png").write_bytes(b"half drawn")
    code, _, err = cli(["run", str(config), "--out", str(out), "--workers", "1"])
    assert code == 0, err
    files = json.loads((out / "manifest.json").read_text())["files"]
    assert "report.html" in files
    assert not json.loads((out / "manifest.json").read_text())["outputs_pending"]
