"""Reading a results folder, for the figures and the report.

:func:`load` opens a folder with ``longgame.experiments.load_results``;
:class:`ResultsLike` is the structural type the figures need (so a notebook can pass
any object with the same attributes), and :class:`CachedResults` memoises the tables,
since several figures read the same ones.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CachedResults", "ResultsLike", "cached", "load"]

_T = TypeVar("_T")


class ResultsLike(Protocol):
    """What the figures and the report read from a results folder."""

    @property
    def path(self) -> Path: ...

    @property
    def config(self) -> dict[str, Any]: ...

    @property
    def manifest(self) -> dict[str, Any]: ...

    @property
    def swept(self) -> list[str]: ...

    @property
    def summary(self) -> pd.DataFrame: ...

    def metrics(self) -> pd.DataFrame: ...

    def table(self, name: str) -> pd.DataFrame: ...


class CachedResults:
    """Wraps results so that ``metrics()``, ``table(name)`` and ``summary`` are read
    once (groups already carry the names the config gave them), and what several
    figures derive from them alike is computed once (:meth:`derived`)."""

    def __init__(self, results: ResultsLike) -> None:
        self._inner = results
        self._metrics: pd.DataFrame | None = None
        self._summary: pd.DataFrame | None = None
        self._tables: dict[str, pd.DataFrame] = {}
        self._derived: dict[str, Any] = {}

    @property
    def path(self) -> Path:
        return Path(self._inner.path)

    @property
    def config(self) -> dict[str, Any]:
        return self._inner.config

    @property
    def manifest(self) -> dict[str, Any]:
        return self._inner.manifest

    @property
    def swept(self) -> list[str]:
        return list(self._inner.swept)

    @property
    def summary(self) -> pd.DataFrame:
        if self._summary is None:
            self._summary = self._inner.summary
        return self._summary

    def metrics(self) -> pd.DataFrame:
        if self._metrics is None:
            self._metrics = self._inner.metrics()
        return self._metrics

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = self._inner.table(name)
        return self._tables[name]

    def derived(self, name: str, compute: Callable[[CachedResults], _T]) -> _T:
        """``compute(self)``, computed on the first call with ``name`` and returned
        again after (callers share the value: they must not change it)."""
        if name not in self._derived:
            self._derived[name] = compute(self)
        return self._derived[name]  # type: ignore[no-any-return]


def cached(results: ResultsLike) -> CachedResults:
    """``results`` wrapped in a :class:`CachedResults` (unless it already is one)."""
    return results if isinstance(results, CachedResults) else CachedResults(results)


def load(path: str | Path) -> CachedResults:
    """Open the results folder ``path`` with ``longgame.experiments.load_results``;
    :class:`~longgame.errors.InputError` if it is not one."""
    from longgame.experiments import load_results

    return CachedResults(load_results(path))
