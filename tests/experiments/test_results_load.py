"""Reading a folder's run files: one Arrow read, text columns as sorted categoricals."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from longgame.experiments import load_results
from longgame.experiments.store import Store

TEXT = ("run_id", "group", "strategy", "metric")


def _one_by_one(folder: Path, table: str | None) -> pd.DataFrame:
    """The frame as read before: each run file with pandas, its ids in front, the runs
    in order of point and replicate, the strategy of each group beside it."""
    results = load_results(folder)
    store = Store(folder)
    runs = sorted(results.manifest["runs"], key=lambda r: (r["point"], r["replicate"]))
    points = [p["values"] for p in results.manifest["points"]]
    frames = []
    for record in runs:
        frame = pd.read_parquet(store.run_path(record["run_id"], table))
        ids = {"run_id": record["run_id"], "point": record["point"]}
        ids["replicate"] = record["replicate"]
        ids.update({key: points[record["point"]][key] for key in results.swept})
        for position, (name, value) in enumerate(ids.items()):
            frame.insert(position, name, value)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    strategies = out["group"].map(results.group_strategies())
    out.insert(list(out.columns).index("group") + 1, "strategy", strategies)
    return out


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(**{c: frame[c].astype(str) for c in TEXT if c in frame.columns})


def test_tables_equal_the_run_files_read_one_by_one(market_dir: Path) -> None:
    """metrics() and table("spells") hold exactly the rows and values of the run files,
    read one by one and concatenated (the definition they replace)."""
    results = load_results(market_dir)
    for table, got in ((None, results.metrics()), ("spells", results.table("spells"))):
        expected = _one_by_one(market_dir, table)
        assert list(got.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(_as_text(got), _as_text(expected))


def test_text_columns_are_categoricals_with_sorted_categories(market_dir: Path) -> None:
    """Run ids, groups, strategies and metric names cost a code per row, and their
    categories sort as the strings do (so groupby and sorting order them alike)."""
    metrics = load_results(market_dir).metrics()
    for name in TEXT:
        column = metrics[name]
        assert isinstance(column.dtype, pd.CategoricalDtype), name
        categories = list(column.cat.categories)
        assert categories == sorted(categories) == sorted(set(column.dropna().astype(str)))
    assert metrics["run_id"].cat.codes.dtype == np.int8
    by_group = metrics.groupby("group", observed=True)["value"].size()
    assert list(by_group.index) == sorted(metrics["group"].astype(str).unique())


def test_files_with_different_columns_are_read_one_by_one(market_dir: Path, tmp_path: Path) -> None:
    """A run file lacking a column the others have (an older layout) still loads: its
    rows get missing values there and every other value is unchanged."""
    folder = tmp_path / "market"
    shutil.copytree(market_dir, folder)
    results = load_results(folder)  # checksums are verified here, before the change
    before = results.table("spells")
    first = min(results.manifest["runs"], key=lambda r: (r["point"], r["replicate"]))
    path = Store(folder).run_path(first["run_id"], "spells")
    pq.write_table(pq.read_table(path).drop_columns(["event"]), path)
    changed = results.table("spells")
    own = (changed["run_id"] == first["run_id"]).to_numpy()
    assert own.any()
    assert not own.all()
    assert changed.loc[own, "event"].isna().all()
    assert changed.loc[~own, "event"].tolist() == before.loc[~own, "event"].tolist()
    rest = [c for c in before.columns if c != "event"]
    pd.testing.assert_frame_equal(_as_text(changed[rest]), _as_text(before[rest]))


def test_group_strategies_come_from_the_stored_summary(tmp_path: Path) -> None:
    """Each group's strategy is read from the summary the runner wrote (its strategy
    column), without loading the model to parse the config again, and equals what the
    config says."""
    import subprocess
    import sys

    from longgame.experiments import run_experiment
    from longgame.experiments._groups import group_strategies_of

    doc = {
        "experiment": {"name": "t", "model": "market", "steps": 8, "replicates": 1, "seed": 3},
        "parameters": {
            "customers": 120,
            "sellers": [
                {"strategy": "fleecer", "count": 1, "label": "Slick"},
                {"strategy": "fair-dealer", "count": 1},
            ],
        },
    }
    results = run_experiment(doc, tmp_path / "out", workers=1, progress=False)
    expected = {"Slick": "always-defect", "fair-dealer": "always-cooperate"}
    assert group_strategies_of(results.config) == expected
    assert load_results(tmp_path / "out").group_strategies() == expected
    code = (
        "import sys\n"
        "from longgame.experiments import load_results\n"
        f"r = load_results({str(tmp_path / 'out')!r})\n"
        "m = r.metrics()\n"
        "print(sorted(r.group_strategies().items()), sorted(set(m['strategy'].astype(str))),"
        " 'longgame.models.market' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == (f"{sorted(expected.items())} {sorted(expected.values())} False")
