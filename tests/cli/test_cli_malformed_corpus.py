"""A corpus of malformed inputs: every one gets exit 2, one `error:` line per problem naming
the key (or argument) at fault, no traceback, no hang and no file written.

Configs are broken in type, range, NaN/inf, huge values, unknown keys at every level, TOML
syntax, encoding and file kind; arguments in `--set`, `--workers`, `--out`, `--backend`;
plus bad games for `analyze` and bad folders for `plot` and `report`.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from timeouts import fail_after

from longgame.cli import main

BOUNDS = 'bounds = {"exchange.price" = [0.1, 1]}\n'
GOOD = '[experiment]\nname = "c"\nmodel = "market"\nsteps = 10\n'
EXP = '[experiment]\nname = "c"\nmodel = "market"\n'


def _with(experiment: str = "", rest: str = "") -> str:
    """A small market config with extra [experiment] lines and further sections."""
    return EXP + ("steps = 10\n" if "steps" not in experiment else "") + experiment + "\n" + rest


#: id -> (config file text, bytes, or None for none; extra argv; key named in the error)
CONFIGS: dict[str, tuple[str | bytes | None, list[str], str]] = {
    # [experiment] types and ranges
    "name-int": (EXP.replace('"c"', "1") + "steps = 10\n", [], "experiment.name"),
    "name-empty": (EXP.replace('"c"', '""') + "steps = 10\n", [], "experiment.name"),
    "name-dotdot": (EXP.replace('"c"', '"../up"') + "steps = 10\n", [], "experiment.name"),
    "name-slash": (EXP.replace('"c"', '"a/b"') + "steps = 10\n", [], "experiment.name"),
    "name-long": (EXP.replace('"c"', '"' + "n" * 101 + '"') + "steps = 10\n", [],
                  "experiment.name"),
    "name-missing": ('[experiment]\nmodel = "market"\nsteps = 10\n', [], "experiment.name"),
    "model-int": (EXP.replace('"market"', "7") + "steps = 10\n", [], "experiment.model"),
    "model-empty": (EXP.replace('"market"', '""') + "steps = 10\n", [], "experiment.model"),
    "model-unknown": (EXP.replace("market", "markte") + "steps = 10\n", [], "experiment.model"),
    "model-missing-module": (EXP.replace("market", "nosuch.mod:SPEC") + "steps = 10\n", [],
                             "experiment.model"),
    "model-not-a-spec": (EXP.replace("market", "os:sep") + "steps = 10\n", [], "experiment.model"),
    "model-bad-path": (EXP.replace("market", "../x:SPEC") + "steps = 10\n", [],
                       "experiment.model"),
    "steps-string": (_with("steps = '10'"), [], "experiment.steps"),
    "steps-float": (_with("steps = 1.5"), [], "experiment.steps"),
    "steps-zero": (_with("steps = 0"), [], "experiment.steps"),
    "steps-negative": (_with("steps = -3"), [], "experiment.steps"),
    "steps-bool": (_with("steps = true"), [], "experiment.steps"),
    "steps-nan": (_with("steps = nan"), [], "experiment.steps"),
    "steps-inf": (_with("steps = inf"), [], "experiment.steps"),
    "steps-huge": (_with("steps = 1000000000"), [], "experiment.steps"),
    "steps-array": (_with("steps = [10]"), [], "experiment.steps"),
    "steps-missing": (EXP, [], "experiment.steps"),
    "replicates-zero": (_with("replicates = 0"), [], "experiment.replicates"),
    "replicates-string": (_with("replicates = '2'"), [], "experiment.replicates"),
    "replicates-float": (_with("replicates = 2.0"), [], "experiment.replicates"),
    "replicates-huge": (_with("replicates = 10000000"), [], "experiment.replicates"),
    "replicates-million": (_with("replicates = 1000000"), [], "experiment.replicates"),
    "seed-negative": (_with("seed = -1"), [], "experiment.seed"),
    "seed-too-big": (_with("seed = 9223372036854775808"), [], "experiment.seed"),
    "seed-string": (_with("seed = 'x'"), [], "experiment.seed"),
    "seed-float": (_with("seed = 1.5"), [], "experiment.seed"),
    "seed-nan": (_with("seed = nan"), [], "experiment.seed"),
    "description-int": (_with("description = 5"), [], "experiment.description"),
    "experiment-not-table": ('experiment = 5\n', [], "experiment"),
    "experiment-unknown-key": (_with("stpes = 10"), [], "experiment.stpes"),
    # unknown keys at every level
    "top-unknown": (GOOD + "colour = 1\n", [], "colour"),
    "top-unknown-table": (GOOD + "[paramters]\ncustomers = 10\n", [], "paramters"),
    "outputs-unknown": (GOOD + "[outputs]\nmetric = ['x']\n", [], "outputs.metric"),
    "parameters-unknown": (GOOD + "[parameters]\ncustomer = 10\n", [], "parameters.customer"),
    "parameters-nested-unknown": (GOOD + "[parameters.exchange]\nprize = 1.0\n", [],
                                  "parameters.exchange.prize"),
    "parameters-deep-unknown": (GOOD + "[parameters.word_of_mouth.network]\ndegre = 4\n", [],
                                "parameters.word_of_mouth.network.degre"),
    "sellers-entry-unknown": (GOOD + '[parameters]\nsellers = [{strategy = "fleecer", cnt = 2}]\n',
                              [], "parameters.sellers[0].cnt"),
    "sample-unknown": (GOOD + '[sweep.sample]\ncount = 4\nbounds = {"exchange.price" = [0.1, 1]}\n'
                       "methd = 'lhs'\n", [], "sweep.sample.methd"),
    "sweep-unknown-param": (GOOD + "[sweep]\ncustomrs = [10, 20]\n", [], "sweep.customrs"),
    # parameter types, ranges, NaN/inf, huge values
    "customers-negative": (GOOD + "[parameters]\ncustomers = -5\n", [], "parameters.customers"),
    "customers-string": (GOOD + "[parameters]\ncustomers = 'many'\n", [], "parameters.customers"),
    "customers-float": (GOOD + "[parameters]\ncustomers = 10.5\n", [], "parameters.customers"),
    "customers-nan": (GOOD + "[parameters]\ncustomers = nan\n", [], "parameters.customers"),
    "customers-inf": (GOOD + "[parameters]\ncustomers = inf\n", [], "parameters.customers"),
    "customers-huge": (GOOD + "[parameters]\ncustomers = 1000000000000\n", [],
                       "parameters.customers"),
    "customers-bigint": (GOOD + "[parameters]\ncustomers = 100000000000000000000000\n", [],
                         "parameters.customers"),
    "sellers-huge": (GOOD + "[parameters]\nsellers = {fleecer = 100000000}\n", [],
                     "parameters.sellers"),
    "sellers-negative": (GOOD + "[parameters]\nsellers = {fleecer = -1}\n", [],
                         "parameters.sellers"),
    "sellers-none": (GOOD + "[parameters]\nsellers = {fleecer = 0}\n", [], "parameters"),
    "sellers-unknown-strategy": (GOOD + "[parameters]\nsellers = {fleecr = 2}\n", [],
                                 "parameters.sellers"),
    "sellers-string": (GOOD + "[parameters]\nsellers = 'fleecer'\n", [], "parameters.sellers"),
    "history-huge": (GOOD + "[parameters]\nhistory_depth = 1000000000000\n", [],
                     "parameters.history_depth"),
    "history-zero": (GOOD + "[parameters]\nhistory_depth = 0\n", [], "parameters.history_depth"),
    "degree-odd": (GOOD + "[parameters.word_of_mouth.network]\ndegree = 3\n", [],
                   "parameters.word_of_mouth.network.degree"),
    "reach-negative": (GOOD + "[parameters.word_of_mouth]\nreach = -1.0\n", [],
                       "parameters.word_of_mouth.reach"),
    "reach-nan": (GOOD + "[parameters.word_of_mouth]\nreach = nan\n", [],
                  "parameters.word_of_mouth.reach"),
    "warn-prob-above-1": (GOOD + "[parameters.word_of_mouth]\nwarn_prob = 1.5\n", [],
                          "parameters.word_of_mouth.warn_prob"),
    "mode-unknown": (GOOD + "[parameters]\nmode = 'twice'\n", [], "parameters.mode"),
    "parameters-not-table": (GOOD + "parameters = 3\n", [], "parameters"),
    "tournament-rounds-huge": (EXP.replace("market", "tournament") + "steps = 10\n[parameters]\n"
                               'strategies = ["tit-for-tat", "fleecer"]\nrounds = 1000000000000\n',
                               [], "parameters.rounds"),
    "tournament-no-strategies": (EXP.replace("market", "tournament") + "steps = 10\n"
                                 "[parameters]\nstrategies = []\n", [], "parameters.strategies"),
    "learning-rule-unknown": (EXP.replace("market", "learning") + "steps = 10\n[parameters]\n"
                              "rule = 'guess'\n", [], "parameters.rule"),
    # sweeps
    "sweep-not-list": (GOOD + "[sweep]\ncustomers = 5\n", [], "sweep.customers"),
    "sweep-empty-list": (GOOD + "[sweep]\ncustomers = []\n", [], "sweep.customers"),
    "sweep-bad-value": (GOOD + "[sweep]\ncustomers = [10, -1]\n", [], "sweep.customers"),
    "sweep-grid-huge": (GOOD + "[sweep]\ncustomers = [" + ", ".join(map(str, range(1, 2001)))
                        + "]\n\"exchange.price\" = [" + ", ".join(["0.5"] * 2000) + "]\n", [],
                        "sweep.customers"),
    "zip-not-table": (GOOD + "[sweep]\nzip = 3\n", [], "sweep.zip"),
    "zip-lengths": (GOOD + '[sweep.zip]\ncustomers = [10, 20]\n"exchange.price" = [0.5]\n', [],
                    "sweep.zip"),
    "zip-and-grid": (GOOD + "[sweep]\ncustomers = [10, 20]\n[sweep.zip]\ncustomers = [10, 20]\n",
                     [], "customers"),
    "sample-no-bounds": (GOOD + "[sweep.sample]\ncount = 4\n", [], "sweep.sample.bounds"),
    "sample-count-zero": (GOOD + "[sweep.sample]\ncount = 0\n" + BOUNDS,
                          [], "sweep.sample.count"),
    "sample-count-million": (GOOD + "[sweep.sample]\ncount = 1000000\n"
                             'bounds = {"exchange.price" = [0.1, 1]}\n', [], "sweep.sample.count"),
    "sample-bounds-reversed": (GOOD + "[sweep.sample]\ncount = 4\n"
                               + BOUNDS.replace("0.1, 1", "1, 0.1"),
                               [], "sweep.sample.bounds.exchange.price"),
    "sample-bounds-nan": (GOOD + "[sweep.sample]\ncount = 4\n" + BOUNDS.replace("0.1", "nan"),
                          [], "sweep.sample.bounds"),
    "sample-method": (GOOD + '[sweep.sample]\ncount = 4\nmethod = "grid"\n'
                      'bounds = {"exchange.price" = [0.1, 1]}\n', [], "sweep.sample.method"),
    "sample-integer-unknown": (GOOD + '[sweep.sample]\ncount = 4\ninteger = ["x"]\n' + BOUNDS,
                               [], "sweep.sample.integer"),
    # outputs
    "window-zero": (GOOD + "[outputs]\nlong_run_window = 0.0\n", [], "outputs.long_run_window"),
    "window-two": (GOOD + "[outputs]\nlong_run_window = 2.0\n", [], "outputs.long_run_window"),
    "window-nan": (GOOD + "[outputs]\nlong_run_window = nan\n", [], "outputs.long_run_window"),
    "metrics-string": (GOOD + "[outputs]\nmetrics = 'profit'\n", [], "outputs.metrics"),
    "figures-unknown": (GOOD + "[outputs]\nfigures = ['pie']\n", [], "outputs.figures[0]"),
    # TOML syntax, encoding, size, nesting
    "toml-unclosed": (GOOD + "[parameters\n", [], "broken TOML"),
    "toml-duplicate-key": (GOOD + "steps = 20\n", [], "broken TOML"),
    "toml-bad-string": (GOOD.replace('"c"', '"c'), [], "broken TOML"),
    "toml-no-key": (GOOD + "= 1\n", [], "broken TOML"),
    "toml-nul": (GOOD + "x = 1\x00\n", [], "broken TOML"),
    "binary": (bytes(range(256)) * 4, [], "not UTF-8"),
    "latin-1": (GOOD.replace('"c"', '"caf\xe9"').encode("latin-1"), [], "not UTF-8"),
    "empty-file": ("", [], "experiment"),
    "only-comments": ("# nothing here\n", [], "experiment"),
    "deep-arrays": (GOOD + "[parameters]\nx = " + "[" * 5000 + "]" * 5000 + "\n", [],
                    "nested deeper"),
    "deep-tables": (GOOD + "[parameters]\nx = " + "{a = " * 40 + "1" + "}" * 40 + "\n", [],
                    "nested deeper"),
    "huge-file": (GOOD + "# " + "x" * 1_100_000 + "\n", [], "larger than"),
    # --set
    "set-no-equals": (GOOD, ["--set", "experiment.steps"], "--set 'experiment.steps'"),
    "set-empty-key": (GOOD, ["--set", "=5"], "--set '=5'"),
    "set-whole-section": (GOOD, ["--set", "experiment=5"], "--set 'experiment=5'"),
    "set-unknown-section": (GOOD, ["--set", "experimnt.steps=5"], "experimnt"),
    "set-bad-type": (GOOD, ["--set", "experiment.steps=abc"], "experiment.steps"),
    "set-empty-value": (GOOD, ["--set", "experiment.steps="], "experiment.steps"),
    "set-negative": (GOOD, ["--set", "parameters.customers=-1"], "parameters.customers"),
    "set-nan": (GOOD, ["--set", "parameters.customers=nan"], "parameters.customers"),
    "set-unknown-param": (GOOD, ["--set", "parameters.customer=10"], "parameters.customer"),
    "set-sweep-not-list": (GOOD, ["--set", "sweep.customers=5"], "sweep.customers"),
    "set-deep": (GOOD, ["--set", "parameters.x=" + "[" * 3000 + "]" * 3000], "--set parameters.x"),
    "set-key-spaces": (GOOD, ["--set", "experiment steps=5"], "--set 'experiment steps=5'"),
    "set-name-traversal": (GOOD, ["--set", "experiment.name=../../etc"], "experiment.name"),
    "set-huge": (GOOD, ["--set", "experiment.replicates=100000000"], "experiment.replicates"),
}  # fmt: skip

#: id -> (argv with {d} for the test folder; key named), for runs on a good config.
RUN_ARGS: dict[str, tuple[list[str], str]] = {
    "workers-zero": (["--workers", "0"], "--workers"),
    "workers-negative": (["--workers", "-2"], "--workers"),
    "workers-text": (["--workers", "many"], "--workers"),
    "workers-float": (["--workers", "1.5"], "--workers"),
    "backend-unknown": (["--backend", "slurm"], "--backend"),
    "scheduler-without-dask": (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler"),
    "out-is-file": (["--out", "{d}/afile"], "--out"),
    "out-under-file": (["--out", "{d}/afile/sub"], "{d}/afile/sub"),
    "out-foreign-folder": (["--out", "{d}/mine"], "mine.txt"),
    "out-foreign-folder-fresh": (["--out", "{d}/mine", "--fresh"], "mine.txt"),
    "unknown-option": (["--frsh"], "--frsh"),
    "set-missing-value": (["--set"], "--set"),
}

#: id -> (argv with {d}; key named), other commands.
OTHER: dict[str, tuple[list[str], str]] = {
    "analyze-unknown-game": (["analyze", "boxed-pig"], "boxed-pig"),
    "analyze-unknown-setting": (["analyze", "boxed-pigs", "--set", "foood=3"], "foood"),
    "analyze-setting-text": (["analyze", "boxed-pigs", "--set", "food=lots"], "food"),
    "analyze-setting-nan": (["analyze", "boxed-pigs", "--set", "food=nan"], "food"),
    "analyze-setting-inf": (["analyze", "boxed-pigs", "--set", "press_cost=inf"], "press_cost"),
    "analyze-setting-1e308": (["analyze", "boxed-pigs", "--set", "press_cost=1e308"],
                              "boxed-pigs"),
    "analyze-setting-no-equals": (["analyze", "boxed-pigs", "--set", "food"], "food"),
    "plot-missing-folder": (["plot", "{d}/nothing"], "{d}/nothing"),
    "plot-file": (["plot", "{d}/afile"], "{d}/afile"),
    "plot-foreign-folder": (["plot", "{d}/mine"], "manifest.json"),
    "report-missing-folder": (["report", "{d}/nothing"], "{d}/nothing"),
    "report-garbage-manifest": (["report", "{d}/garbage"], "manifest.json"),
    "report-list-manifest": (["report", "{d}/listjson"], "manifest.json"),
    "plot-deep-manifest": (["plot", "{d}/deepjson"], "manifest.json"),
    "validate-missing": (["validate", "{d}/nothing.toml"], "{d}/nothing.toml"),
    "validate-directory": (["validate", "{d}/mine"], "{d}/mine"),
    "validate-dev-null": (["validate", "/dev/null"], "/dev/null"),
    "validate-dev-zero": (["validate", "/dev/zero"], "/dev/zero"),
    "validate-pipe": (["validate", "{d}/pipe.toml"], "{d}/pipe.toml"),
    "run-pipe": (["run", "{d}/pipe.toml"], "{d}/pipe.toml"),
    "validate-symlink-to-dir": (["validate", "{d}/link.toml"], "{d}/link.toml"),
    "unknown-command": (["rnu", "x.toml"], "rnu"),
}  # fmt: skip


def _setup(folder: Path) -> None:
    """Fixtures the argument cases point at: a file, a user's folder, bad manifests."""
    (folder / "afile").write_text("not a folder")
    (folder / "mine").mkdir()
    (folder / "mine" / "mine.txt").write_text("the user's")
    for name, text in {
        "garbage": "{not json",
        "listjson": "[1, 2]",
        "deepjson": "[" * 100_000 + "]" * 100_000,
    }.items():
        (folder / name).mkdir()
        (folder / name / "manifest.json").write_text(text)
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.toml")
    (folder / "link.toml").symlink_to(folder / "mine")


def _state(folder: Path) -> dict[str, object]:
    """Every entry under ``folder`` with its size and content, to spot any write."""
    state: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink() or not path.is_file():
            state[rel] = "dir" if path.is_dir() else "other"
        elif path.stat().st_size < 2_000_000:
            state[rel] = path.read_bytes()
    return state


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """A case that hangs fails after 30 s instead of blocking the suite."""
    with fail_after(30, "hung"):
        yield


def _cases() -> list[tuple[str, str | bytes | None, list[str], str]]:
    cases: list[tuple[str, str | bytes | None, list[str], str]] = []
    for name, (text, extra, key) in CONFIGS.items():
        cases.append((f"validate-{name}", text, ["validate", "{config}", *extra], key))
        if name in ("steps-negative", "customers-huge", "set-unknown-param", "binary",
                    "sweep-grid-huge", "sample-count-million", "zip-lengths"):  # fmt: skip
            cases.append((f"run-{name}", text, ["run", "{config}", *extra], key))
    for name, (extra, key) in RUN_ARGS.items():
        cases.append((f"run-{name}", GOOD, ["run", "{config}", "--no-report", *extra], key))
    for name, (argv, key) in OTHER.items():
        cases.append((name, None, argv, key))
    return cases


CASES = _cases()


def test_corpus_is_large_enough() -> None:
    """The corpus holds at least 100 malformed inputs."""
    assert len(CASES) >= 100


@pytest.mark.parametrize(("name", "text", "argv", "key"), CASES, ids=[c[0] for c in CASES])
def test_malformed_input_is_exit_2_naming_the_key(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    text: str | bytes | None,
    argv: list[str],
    key: str,
) -> None:
    """Exit 2, one `error:` line per problem naming the key, no traceback, no file written."""
    _setup(tmp_path)
    config = tmp_path / "config.toml"
    if text is not None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        config.write_bytes(data)
    monkeypatch.chdir(tmp_path)  # the default results/ folder would land here
    before = _state(tmp_path)
    args = [a.replace("{config}", str(config)).replace("{d}", str(tmp_path)) for a in argv]
    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code
    message = err.getvalue()
    assert code == 2, f"exit {code}: {message}"
    assert "Traceback" not in message
    lines = message.strip().splitlines()
    assert lines, "no message"
    assert all(line.startswith("error: ") for line in lines), message
    assert key.replace("{d}", str(tmp_path)) in message, message
    assert _state(tmp_path) == before, "files were written"
