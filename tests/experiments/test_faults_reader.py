"""Fault injection, inputs that crash or hang a reader: devices, named pipes, huge files and
deep nesting are refused with exit 2 and one line, quickly and without reading them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from faults import cli
from timeouts import fail_after

#: The reader's limits (longgame.experiments.config.MAX_CONFIG_BYTES and MAX_DEPTH).
MAX_CONFIG_BYTES = 1_000_000
MAX_DEPTH = 32


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """Turn a hang (reading a pipe or a device forever) into a failure after 20 s."""
    with fail_after(20, "the command hung"):
        yield


def _refused(argv: list[str], *fragments: str) -> None:
    code, _, err = cli(argv)
    assert code == 2, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err, err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_device_is_refused_without_reading_it(command: str) -> None:
    """`validate /dev/zero` is refused as a device (it used to read until MemoryError)."""
    _refused([command, "/dev/zero"], "/dev/zero: is a device")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_without_opening_it(tmp_path: Path) -> None:
    """A named pipe as the config is refused (opening it would block forever)."""
    pipe = tmp_path / "config.toml"
    os.mkfifo(pipe)
    _refused(["validate", str(pipe)], "is a named pipe")


def test_a_huge_file_is_refused(tmp_path: Path) -> None:
    """A config larger than MAX_CONFIG_BYTES is refused, naming the limit."""
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * MAX_CONFIG_BYTES + "\n")
    _refused(["validate", str(big)], "big.toml: larger than")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_deep_nesting_is_refused(tmp_path: Path, depth: int) -> None:
    """Arrays nested 5000 deep (a RecursionError in the TOML parser) or just over the
    limit are refused as too deep."""
    deep = tmp_path / "deep.toml"
    deep.write_text(
        '[experiment]\nname = "x"\nmodel = "market"\nsteps = 10\n[parameters]\n'
        f"x = {'[' * depth}{']' * depth}\n"
    )
    _refused(["validate", str(deep)], "deep.toml: tables or arrays nested deeper")


def test_deep_set_value_is_refused(tmp_path: Path) -> None:
    """A --set value nested thousands deep is refused, naming the key."""
    config = tmp_path / "c.toml"
    config.write_text('[experiment]\nname = "x"\nmodel = "market"\nsteps = 10\n')
    value = "[" * 3000 + "]" * 3000
    _refused(["validate", str(config), "--set", f"parameters.x={value}"], "--set parameters.x")


def test_a_deeply_nested_manifest_is_refused(tmp_path: Path) -> None:
    """A results folder whose manifest.json nests 100000 deep is refused by `plot`."""
    (tmp_path / "manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    _refused(["plot", str(tmp_path)], "manifest.json: nested too deeply")
