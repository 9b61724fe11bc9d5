"""Reading a results folder back: :func:`load_results` and :class:`Results`.

Everything is returned as tidy pandas frames. Run files are read on demand, so opening
a large folder is cheap; :meth:`Results.metrics` reads every finished run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from longgame.errors import InputError
from longgame.experiments._groups import group_strategies_of, with_strategy
from longgame.experiments.store import MANIFEST_FILE, SUMMARY_FILE, Store, unverified_ok
from longgame.experiments.summary import column, summarise

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["ID_COLUMNS", "Results", "load_results"]

#: Identity columns that lead :meth:`Results.metrics` and :meth:`Results.table`
#: (followed by one column per swept parameter).
ID_COLUMNS: tuple[str, ...] = ("run_id", "point", "replicate")


@dataclass
class Results:
    """A results folder, opened.

    Attributes:
        path: the folder.
        config: the resolved config (``config.toml``) as a dict.
        manifest: ``manifest.json`` as a dict.
        swept: dotted keys of the swept parameters, in config order.
    """

    path: Path
    config: dict[str, Any] = field(repr=False)
    manifest: dict[str, Any] = field(repr=False)
    swept: list[str]
    _summary: pd.DataFrame | None = field(default=None, repr=False)
    _unverified: dict[str, bool] = field(default_factory=dict, repr=False)
    _groups: dict[str, str] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        runs = self.manifest.get("runs", [])
        done = sum(r.get("status") == "done" for r in runs)
        return (
            f"Results({str(self.path)!r}, model={self.manifest.get('model')!r}, "
            f"runs={done}/{len(runs)}, swept={self.swept!r})"
        )

    def _repr_html_(self) -> str:
        """A short summary for notebooks: experiment, model, runs, sweep, groups, tables."""
        from longgame._repr import summary_html

        runs = self.manifest.get("runs", [])
        status: dict[str, int] = {}
        for record in runs:
            key = str(record.get("status", "pending"))
            status[key] = status.get(key, 0) + 1
        points = [p.get("values", {}) for p in self.manifest.get("points", [])]
        sweep = "; ".join(
            f"{key}: {len({repr(p.get(key)) for p in points})} values" for key in self.swept
        )
        experiment = self.config.get("experiment", {})
        facts: list[tuple[str, object]] = [
            ("folder", self.path),
            ("model", self.manifest.get("model", experiment.get("model", "?"))),
            ("runs", ", ".join(f"{n} {s}" for s, n in sorted(status.items())) or "none"),
            ("points × replicates", f"{len(points)} × {experiment.get('replicates', '?')}"),
            ("swept", sweep or "nothing (one point)"),
        ]
        groups = self.group_strategies()
        if groups:
            facts.append(("groups", ", ".join(groups)))
        return summary_html(
            f"Results: {experiment.get('name', self.path.name)}",
            facts,
            "Tables: .summary, .metrics(), .runs, .table(name); figures: "
            "longgame.plots.draw_figures(results).",
        )

    def group_strategies(self) -> dict[str, str]:
        """Each group's name in the tables -> its strategy's registry name (by group name).

        Groups are named as the config names them (a market seller group by its
        ``label``, else its ``strategy`` as written; a tournament strategy as written).
        Every table with a ``group`` column carries these registry names in a
        ``strategy`` column next to it. Empty for models whose groups are not
        strategies.
        """
        if self._groups is None:
            stored = self._stored_strategies()
            self._groups = stored if stored is not None else group_strategies_of(self.config)
        return dict(self._groups)

    def _stored_strategies(self) -> dict[str, str] | None:
        """The group -> strategy pairs the runner stored in the summary's ``strategy``
        column (read without loading the model to parse the config again); None when
        there is no trusted summary with that column (an older layout: the config says)."""
        store = Store(self.path)
        listed = self.manifest.get("files")
        if not store.summary_path.is_file() or (listed is not None and SUMMARY_FILE not in listed):
            return None
        import pyarrow.parquet as pq

        if not {"group", "strategy"} <= set(pq.read_schema(store.summary_path).names):
            return None
        table = pq.read_table(store.summary_path, columns=["group", "strategy"])
        pairs: dict[str, str] = {}
        for group, strategy in zip(
            table["group"].to_pylist(), table["strategy"].to_pylist(), strict=True
        ):
            if group is not None and strategy is not None:
                pairs.setdefault(str(group), str(strategy))
        return pairs

    def _named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with groups as the config names them and a ``strategy`` column.

        Groups of a folder written before groups kept the user's names (they held
        registry names then) are renamed to the config's names, when that is
        unambiguous; tables written before the ``strategy`` column get it."""
        if frame.empty or "group" not in frame.columns:
            return frame
        frame = self._renamed(frame)
        strategies = self.group_strategies()
        if not strategies or "strategy" in frame.columns or not _is_categorical(frame["group"]):
            return with_strategy(frame, strategies)
        # a categorical group column: map its few categories, not its many rows
        out = frame.copy(deep=False)
        group = out["group"]
        mapped = [strategies.get(str(c)) for c in group.cat.categories]
        out.insert(
            list(out.columns).index("group") + 1,
            "strategy",
            _recoded(group.cat.codes.to_numpy(), mapped),
        )
        return out

    def _renamed(self, frame: pd.DataFrame) -> pd.DataFrame:
        names = self.group_strategies()
        old: dict[str, list[str]] = {}
        for label, strategy in names.items():
            old.setdefault(strategy, []).append(label)
        rename = {
            s: labels[0]
            for s, labels in old.items()
            if len(labels) == 1 and labels[0] != s and s not in names
        }
        if not rename:
            return frame
        group = frame["group"]
        present = group.cat.categories if _is_categorical(group) else group.unique()
        if not any(str(g) in rename for g in present):
            return frame  # the current layout: nothing to rename, no copy
        if _is_categorical(group):
            codes = group.cat.codes.to_numpy()
            mapped = [rename.get(str(c), str(c)) for c in group.cat.categories]
            return frame.assign(group=_recoded(codes, mapped))
        return frame.assign(group=group.astype(str).replace(rename))

    @property
    def summary(self) -> pd.DataFrame:
        """Long-run means with 95% intervals (``summary.parquet``, else computed now).

        Columns: one per swept parameter (dotted key), then group, metric, mean, std,
        ci_low, ci_high, n. ``group`` is the name the config gave the group; for
        a market or tournament, ``strategy`` after it is its registry name (see
        :meth:`group_strategies`).
        """
        if self._summary is None:
            store = Store(self.path)
            listed = self.manifest.get("files")
            # a summary the manifest does not list (a kill came before it was recorded)
            # is not trusted: computed again from the verified runs instead
            if store.summary_path.is_file() and (listed is None or SUMMARY_FILE in listed):
                import pandas as pd

                self._summary = self._named(pd.read_parquet(store.summary_path))
            else:
                self._summary = self._named(summarise(self.path, write=False))
        return self._summary

    @property
    def runs(self) -> pd.DataFrame:
        """One row per run: run_id, point, replicate, status, seconds, error."""
        import pandas as pd

        records = self.manifest.get("runs", [])
        columns = ["run_id", "point", "replicate", "status", "seconds", "error"]
        return pd.DataFrame([{c: r.get(c) for c in columns} for r in records], columns=columns)

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Manifest records of the runs that failed (with their error)."""
        return [r for r in self.manifest.get("runs", []) if r.get("status") == "failed"]

    @property
    def complete(self) -> bool:
        """Whether every run of the experiment has finished."""
        finished = self._finished()
        return all(r["run_id"] in finished for r in self.manifest.get("runs", []))

    def _finished(self) -> set[str]:
        """Finished runs: files on disk that the manifest records as done (and so
        verified), for an older manifest just the files on disk."""
        store = Store(self.path)
        on_disk = store.finished()
        if self.manifest.get("files") is None:
            return on_disk
        done = set()
        for record in self.manifest.get("runs", []):
            run_id = record["run_id"]
            if run_id not in on_disk:
                continue
            if record.get("status") == "done":
                done.add(run_id)  # its checksums were verified by load_results
            elif run_id not in self._unverified:
                # written just before a kill, before the manifest listed it: read it
                # back whole, with its own id, or leave it out
                self._unverified[run_id] = unverified_ok(store.run_path(run_id), run_id)
            if self._unverified.get(run_id):
                done.add(run_id)
        return done

    @property
    def _cells(self) -> dict[str, list[Any]]:
        points = [p["values"] for p in self.manifest.get("points", [])]
        return {key: column([p.get(key) for p in points]) for key in self.swept}

    def _concat(self, table: str | None) -> pd.DataFrame:
        """All finished runs' files of ``table`` (None: the metrics) as one frame, in
        order of point and replicate, with the id columns in front.

        The files are read as one Arrow dataset (or one by one and concatenated when
        their columns differ); text columns (ids, groups, metric names) come back as
        categoricals with sorted categories, so that they cost a code per row and
        group and sort as the strings do."""
        import numpy as np
        import pandas as pd
        import pyarrow.parquet as pq

        store = Store(self.path)
        finished = self._finished()
        cells = self._cells
        records = sorted(
            (
                r
                for r in self.manifest.get("runs", [])
                if r["run_id"] in finished and store.run_path(r["run_id"], table).is_file()
            ),
            key=lambda r: (int(r["point"]), int(r["replicate"])),
        )
        if not records:
            if table is not None:
                return pd.DataFrame()
            columns = [*ID_COLUMNS, *self.swept, "step", "group", "metric", "value"]
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        files = [store.run_path(r["run_id"], table) for r in records]
        metadata = [pq.read_metadata(f) for f in files]
        data = _read_tables(files, [m.schema.to_arrow_schema() for m in metadata])
        if table == "ranking" and "group" not in data.column_names:
            # a tournament ranking written before it had group and strategy: its
            # "strategy" column held the group's name
            data = data.rename_columns(
                ["group" if c == "strategy" else c for c in data.column_names]
            )
        counts = np.array([m.num_rows for m in metadata], dtype=np.int64)
        ids: dict[str, Any] = {
            "run_id": [r["run_id"] for r in records],
            "point": [int(r["point"]) for r in records],
            "replicate": [int(r["replicate"]) for r in records],
        }
        for key in self.swept:
            ids[key] = [cells[key][r["point"]] for r in records]
        out = {name: _repeated(pd.Series(values), counts) for name, values in ids.items()}
        frame = _to_pandas(data)
        for name in frame.columns:
            out.setdefault(str(name), frame[name])  # an id column wins over a stored one
        return self._named(pd.DataFrame(out, copy=False))

    def metrics(self) -> pd.DataFrame:
        """All finished runs' per-step metrics, concatenated.

        Columns: run_id, point, replicate, one per swept key, step, group, metric, value.
        """
        return self._concat(None)

    def table(self, name: str) -> pd.DataFrame:
        """An extra table (e.g. ``"spells"``) over all finished runs, with the id columns.

        Returns an empty DataFrame if no run produced that table.
        """
        return self._concat(name)

    def tables(self) -> list[str]:
        """Names of the extra tables that runs produced."""
        return Store(self.path).tables()


def _is_categorical(column: pd.Series) -> bool:
    import pandas as pd

    return isinstance(column.dtype, pd.CategoricalDtype)


def _recoded(codes: Any, values: list[Any]) -> Any:
    """Rows of a categorical with ``codes`` whose categories become ``values`` (None:
    missing), as a categorical with sorted categories."""
    import numpy as np
    import pandas as pd

    names = sorted({str(v) for v in values if v is not None})
    index = {n: i for i, n in enumerate(names)}
    lookup = np.array([-1 if v is None else index[str(v)] for v in values] + [-1])
    return pd.Categorical.from_codes(lookup[codes], categories=pd.Index(names))


def _as_categorical(column: pd.Series) -> pd.Series:
    """A categorical ``column`` with its categories sorted (as its strings sort)."""
    categories = column.cat.categories
    ordered = sorted(categories)
    if list(categories) == ordered:
        return column
    return column.cat.reorder_categories(ordered)


def _repeated(values: pd.Series, counts: Any) -> Any:
    """The per-run ``values``, each repeated for the ``counts`` rows of its run; text as
    a categorical with sorted categories."""
    import numpy as np
    import pandas as pd

    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        codes, uniques = pd.factorize(values, sort=True)
        return pd.Categorical.from_codes(np.repeat(codes, counts), categories=uniques)
    return np.repeat(values.to_numpy(), counts)


def _read_tables(files: list[Path], schemas: list[pa.Schema]) -> pa.Table:
    """The tables in ``files`` concatenated: one dataset read when they share their
    columns, else read one by one (missing columns null, types promoted). Text columns
    are read as dictionaries straight from the files' own encoding (a code per row),
    never as one string per row."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    first = schemas[0].remove_metadata()
    if all(s.remove_metadata().equals(first) for s in schemas[1:]):
        text = [f.name for f in first if _is_text(f.type)]
        schema = pa.schema(
            [pa.field(f.name, pa.dictionary(pa.int32(), f.type)) if f.name in text else f
             for f in first]
        )  # fmt: skip
        fmt = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(dictionary_columns=text))
        return ds.dataset([str(f) for f in files], schema=schema, format=fmt).to_table()
    tables = [
        pq.read_table(
            f, read_dictionary=[x.name for x in s if _is_text(x.type)]
        ).replace_schema_metadata(None)
        for f, s in zip(files, schemas, strict=True)
    ]
    return pa.concat_tables(tables, promote_options="permissive")


def _is_text(kind: pa.DataType) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _to_pandas(data: pa.Table) -> pd.DataFrame:
    """``data`` as pandas, its text columns as categoricals with sorted categories."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = [pc.dictionary_encode(c) if _is_text(c.type) else c for c in data.columns]
    frame: pd.DataFrame = pa.table(columns, names=data.column_names).to_pandas()
    for name in frame.columns:
        if _is_categorical(frame[name]):
            frame[name] = _as_categorical(frame[name])
    return frame


def load_results(path: str | Path) -> Results:
    """Open a results folder written by :func:`~longgame.experiments.run_experiment`.

    Every data file the manifest lists (config, summary, run files) is checked against
    its SHA-256, so a damaged folder is refused rather than read.

    Raises:
        InputError: if ``path`` is not a results folder, or a file of it is missing or
            damaged (the message names the file and the command that repairs it).
    """
    root = Path(path)
    store = Store(root)
    if not store.exists():
        found = (
            "no such folder"
            if not root.exists()
            else "is a file"
            if not root.is_dir()
            else f"no {MANIFEST_FILE}"
        )
        raise InputError(f"{root}: {found}; expected a results folder written by `longgame run`")
    manifest = store.read_manifest()
    damaged = store.damaged(manifest)
    if damaged:
        shown = "; ".join(damaged[:3]) + (
            f"; and {len(damaged) - 3} more" if len(damaged) > 3 else ""
        )
        raise InputError(
            f"{root}: {shown}; expected the files `longgame run` wrote; repair the folder "
            f"(damaged runs run again, the summary is rebuilt) with: "
            f"{store.repair_command(manifest)}"
        )
    config = store.read_config()
    return Results(
        path=root, config=config, manifest=manifest, swept=list(manifest.get("swept", []))
    )
