"""Fault injection, damaged results: truncated, empty, corrupted or swapped run files and a
flipped summary are refused by readers (exit 2, file and repair command named) and
repaired by a resume that reruns exactly the damaged runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from faults import cli, run_files, write_config

from longgame.errors import InputError
from longgame.experiments import load_results


@pytest.fixture(autouse=True)
def _toy_models_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).parent))


def _run(config: Path, out: Path) -> tuple[int, str, str]:
    return cli(["run", str(config), "--out", str(out), "--workers", "1", "--no-report"])


def _truncate(files: list[Path]) -> Path:
    files[0].write_bytes(files[0].read_bytes()[:100])
    return files[0]


def _empty(files: list[Path]) -> Path:
    files[1].write_bytes(b"")
    return files[1]


def _flip(files: list[Path]) -> Path:
    data = bytearray(files[2].read_bytes())
    data[len(data) // 2] ^= 0xFF
    files[2].write_bytes(bytes(data))
    return files[2]


def _swap(files: list[Path]) -> Path:
    a, b = files[0].read_bytes(), files[3].read_bytes()
    files[0].write_bytes(b)
    files[3].write_bytes(a)
    return files[0]


DAMAGE: dict[str, Callable[[list[Path]], Path]] = {
    "truncated": _truncate,
    "empty": _empty,
    "flipped-byte": _flip,
    "swapped": _swap,
}


@pytest.fixture
def clean(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A finished toy experiment (config, folder) and its run files."""
    config = write_config(tmp_path)
    out = tmp_path / "out"
    assert _run(config, out)[0] == 0
    return config, out, run_files(out)


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_readers_refuse_a_damaged_run_file(
    kind: str, clean: tuple[Path, Path, dict[str, bytes]]
) -> None:
    """load_results, plot and report refuse a damaged run with exit 2, naming the file
    and the command that repairs the folder; no traceback, nothing drawn."""
    config, out, _ = clean
    metrics = sorted(p for p in (out / "runs").glob("*.parquet") if p.name.count(".") == 1)
    damaged = DAMAGE[kind](metrics)
    with pytest.raises(InputError) as info:
        load_results(out)
    message = str(info.value)
    assert f"runs/{damaged.name}" in message
    assert f"longgame run {config} --out {out}" in message
    for command in ("plot", "report"):
        code, _, err = cli([command, str(out)])
        assert code == 2, err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
        assert f"runs/{damaged.name}" in err
    assert not (out / "figures").exists()
    assert not (out / "report.html").exists()


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_resume_reruns_exactly_the_damaged_runs(
    kind: str, clean: tuple[Path, Path, dict[str, bytes]]
) -> None:
    """The repair command reruns the damaged runs (saying which) and restores every run
    file byte for byte."""
    config, out, before = clean
    metrics = sorted(p for p in (out / "runs").glob("*.parquet") if p.name.count(".") == 1)
    damaged = DAMAGE[kind](metrics)
    summary = (out / "summary.parquet").read_bytes()
    code, _, err = _run(config, out)
    assert code == 0, err
    rerun = {line.split()[1].rstrip(":") for line in err.splitlines() if "running it again" in line}
    expected = {damaged.name.split(".")[0]} | (
        {metrics[3].name.split(".")[0]} if kind == "swapped" else set()
    )
    assert rerun == expected
    assert run_files(out) == before
    assert (out / "summary.parquet").read_bytes() == summary
    assert load_results(out).complete


def test_flipped_summary_is_refused_then_rebuilt(
    clean: tuple[Path, Path, dict[str, bytes]],
) -> None:
    """Bytes flipped in summary.parquet are refused by readers and rebuilt, byte-identical,
    by the repair command (from the verified runs)."""
    config, out, _ = clean
    summary = out / "summary.parquet"
    good = summary.read_bytes()
    data = bytearray(good)
    data[len(data) // 3] ^= 0x01
    summary.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"summary\.parquet is damaged"):
        load_results(out)
    code, _, err = cli(["report", str(out)])
    assert code == 2
    assert "summary.parquet" in err
    assert _run(config, out)[0] == 0
    assert summary.read_bytes() == good
    assert load_results(out).summary["n"].sum() > 0


def test_missing_run_file_is_rerun(clean: tuple[Path, Path, dict[str, bytes]]) -> None:
    """A finished run whose file was deleted is reported missing, then rerun."""
    config, out, before = clean
    victim = sorted((out / "runs").glob("*.spells.parquet"))[0]
    victim.unlink()
    with pytest.raises(InputError, match="is missing"):
        load_results(out)
    code, _, err = _run(config, out)
    assert code == 0
    assert "is missing; running it again" in err
    assert run_files(out) == before


def test_manifest_lists_a_checksum_for_every_file(
    clean: tuple[Path, Path, dict[str, bytes]],
) -> None:
    """The manifest records SHA-256 and size of the config, the summary and every run file."""
    import hashlib

    _, out, before = clean
    files = json.loads((out / "manifest.json").read_text())["files"]
    assert {f"runs/{name}" for name in before} | {"config.toml", "summary.parquet"} <= set(files)
    for rel, record in files.items():
        data = (out / rel).read_bytes()
        assert record == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def test_kills_at_random_moments_leave_a_verifiable_folder(tmp_path: Path) -> None:
    """SIGKILL at seeded random moments while runs are being written: after each kill the
    manifest's checksums match every file it lists and the folder reads back; the final
    resume gives the run files of an undisturbed run."""
    import os
    import random
    import signal
    import subprocess
    import time

    from faults import env, longgame, toy_doc

    from longgame.experiments.store import Store

    doc = toy_doc(replicates=6)
    doc["parameters"]["sleep"] = 0.1
    config = write_config(tmp_path, doc)
    clean, out = tmp_path / "clean", tmp_path / "out"
    assert cli(["run", str(config), "--out", str(clean), "--workers", "2", "--no-report"])[0] == 0
    command = longgame("run", str(config), "--out", str(out), "--workers", "2", "--no-report")
    rng = random.Random(12)
    for _ in range(3):
        proc = subprocess.Popen(
            command, env=env(), stderr=subprocess.DEVNULL, start_new_session=True
        )
        time.sleep(rng.uniform(1.2, 2.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if (out / "manifest.json").exists():
            manifest = json.loads((out / "manifest.json").read_text())
            assert "files" in manifest
            assert Store(out).damaged(manifest) == []
            load_results(out).metrics()
    assert _run(config, out)[0] == 0
    assert run_files(out) == run_files(clean)
