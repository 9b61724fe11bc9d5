"""The `longgame run` and `longgame validate` commands: exit codes, messages, no stray files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from longgame.cli import main
from longgame.experiments._toml import dumps

EXPERIMENTS = Path(__file__).parents[1] / "experiments"
BAD = sorted((EXPERIMENTS / "configs_bad").glob("*.toml"))


@pytest.fixture(autouse=True)
def _toy_models_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXPERIMENTS))


def _config(tmp_path: Path, **parameters: Any) -> Path:
    doc = {
        "experiment": {
            "name": "cli",
            "model": "toy_runner_models:SPEC",
            "steps": 12,
            "replicates": 2,
            "seed": 1,
        },
        "parameters": {"noise": 0.2, **parameters},
        "sweep": {"drift": [0.0, 1.0]},
    }
    path = tmp_path / "cli.toml"
    path.write_text(dumps(doc), encoding="utf-8")
    return path


def _exit_code(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_run_writes_results_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A good config runs, prints a one-line summary and writes the store."""
    out = tmp_path / "out"
    code = _exit_code(
        ["run", str(_config(tmp_path)), "--out", str(out), "--workers", "1", "--no-report"]
    )
    assert code == 0
    assert "4 of 4 runs finished" in capsys.readouterr().out
    for name in ("config.toml", "manifest.json", "summary.parquet", "runs"):
        assert (out / name).exists()


def test_set_and_quick_reach_the_run(tmp_path: Path) -> None:
    """--set overrides and --quick shape the stored config."""
    from longgame.experiments import load_results

    out = tmp_path / "out"
    argv = ["run", str(_config(tmp_path)), "--out", str(out), "--workers", "1", "--no-report"]
    assert (
        _exit_code([*argv, "--set", "experiment.steps=40", "--set", "sweep.drift=[3.0]", "--quick"])
        == 0
    )
    res = load_results(out)
    assert res.config["experiment"]["steps"] == 10
    assert res.config["sweep"]["drift"] == [3.0]


def test_validate_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate reports points and runs of a good config and writes nothing."""
    assert _exit_code(["validate", str(_config(tmp_path))]) == 0
    assert "2 point(s) x 2 replicate(s) = 4 runs" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cli.toml"]


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_malformed_configs_exit_2_and_write_nothing(
    path: Path, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each malformed config exits 2 with one error line per problem naming the key path."""
    out = tmp_path / "out"
    argv = [command, str(path)] + (["--out", str(out), "--no-report"] if command == "run" else [])
    assert _exit_code(argv) == 2
    err = capsys.readouterr().err
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect:")
    for fragment in expected.split("|"):
        assert fragment.strip() in err
    assert "Traceback" not in err
    assert all(line.startswith("error: ") for line in err.splitlines())
    assert not out.exists()


def test_bad_set_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --set with a bad value is reported like a config error."""
    code = _exit_code(["validate", str(_config(tmp_path)), "--set", "parameters.noise=-2"])
    assert code == 2
    assert "parameters.noise=-2" in capsys.readouterr().err


def test_missing_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A config path that does not exist is bad input."""
    assert _exit_code(["validate", str(tmp_path / "nope.toml")]) == 2
    assert "no such config file" in capsys.readouterr().err


def test_scheduler_without_dask_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--scheduler only makes sense with --backend dask."""
    out = tmp_path / "out"
    code = _exit_code(
        ["run", str(_config(tmp_path)), "--out", str(out), "--scheduler", "tcp://x:1"]
    )
    assert code == 2
    assert "--scheduler" in capsys.readouterr().err
    assert not out.exists()


def test_failed_runs_exit_1_with_rerun_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Failing runs are listed with their error, with the command that retries them; exit 1."""
    config = _config(tmp_path, fail_when_drift=1.0)
    out = tmp_path / "out"
    code = _exit_code(["run", str(config), "--out", str(out), "--workers", "1", "--no-report"])
    captured = capsys.readouterr()
    assert code == 1
    assert "2 of 4 runs finished, 2 failed" in captured.out
    assert captured.err.count("failed: run ") == 2
    assert "toy failure at drift=1.0" in captured.err
    assert f"longgame run {config} --out {out}" in captured.err


def test_other_config_in_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A results folder of another config is refused unless --fresh."""
    out = tmp_path / "out"
    argv = ["run", str(_config(tmp_path)), "--out", str(out), "--workers", "1", "--no-report"]
    assert _exit_code(argv) == 0
    assert _exit_code([*argv, "--set", "experiment.seed=2"]) == 2
    assert "--fresh" in capsys.readouterr().err
    assert _exit_code([*argv, "--set", "experiment.seed=2", "--fresh"]) == 0


def test_report_hook_errors_only_warn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Figures and report are drawn after a run; their failures warn but keep exit 0."""
    import longgame.report

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no ink")

    monkeypatch.setattr(longgame.report, "write_report", broken)
    code = _exit_code(
        ["run", str(_config(tmp_path)), "--out", str(tmp_path / "out"), "--workers", "1"]
    )
    assert code == 0
    assert sorted((tmp_path / "out" / "figures").glob("*.png"))  # the figures were drawn
    assert not (tmp_path / "out" / "report.html").exists()
    assert "warning: the report failed: RuntimeError: no ink" in capsys.readouterr().err


def test_dask_backend_without_dask_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--backend dask without dask[distributed] installed says how to install it; exit 2."""
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    out = tmp_path / "out"
    assert _exit_code(["run", str(_config(tmp_path)), "--out", str(out), "--backend", "dask"]) == 2
    assert "pip install 'longgame[dask]'" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("address", ["garbage", "http://127.0.0.1:8786", "tcp://127.0.0.1:x"])
def test_malformed_scheduler_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str
) -> None:
    """A malformed --scheduler address is bad input, reported before the folder is made."""
    out = tmp_path / "out"
    argv = ["run", str(_config(tmp_path)), "--out", str(out), "--backend", "dask"]
    code = _exit_code([*argv, "--scheduler", address])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--scheduler {address!r}" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_unreachable_scheduler_is_input_error() -> None:
    """A scheduler address where nothing listens is reported as bad input, naming it."""
    pytest.importorskip("distributed")
    from longgame.errors import InputError
    from longgame.experiments.executors import DaskExecutor

    with pytest.raises(InputError, match=r"tcp://127\.0\.0\.1:1.*cannot connect"):
        DaskExecutor(1, "tcp://127.0.0.1:1", timeout=1.0).check()


def test_out_under_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An --out folder that cannot be made (its parent is a file) is bad input naming it."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "results"
    code = _exit_code(
        ["run", str(_config(tmp_path)), "--out", str(out), "--workers", "1", "--no-report"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"--out {out}: cannot create the folder" in err
    assert "Traceback" not in err


def test_unreadable_config_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A config path that cannot be read (here: under a file) is bad input naming it."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    config = blocker / "config.toml"
    assert _exit_code(["validate", str(config)]) == 2
    err = capsys.readouterr().err
    assert f"{config}: cannot be read" in err
    assert "Traceback" not in err
