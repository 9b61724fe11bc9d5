"""Experiments: TOML configs, parameter sweeps, reproducible runs, a resumable store.

A config names a model, its fixed parameters and a sweep; :func:`run_experiment` runs
every point x replicate (serially, in local processes or on Dask, with identical
results), writes each run to ``results/<name>/runs/`` as soon as it finishes, and
summarises long-run metrics with confidence intervals. :func:`load_results` reads a
results folder back as tidy pandas frames.

>>> from longgame.experiments import parse_override
>>> parse_override("parameters.word_of_mouth.reach=10")
('parameters.word_of_mouth.reach', 10)
>>> parse_override("sweep.repeat.base=[0.5, 0.9]")
('sweep.repeat.base', [0.5, 0.9])
"""

from __future__ import annotations

from longgame.experiments.config import Experiment, load_config, parse_override
from longgame.experiments.results import Results, load_results
from longgame.experiments.runner import run_experiment, run_id
from longgame.experiments.summary import long_run_values, summarise

__all__ = [
    "Experiment",
    "Results",
    "load_config",
    "load_results",
    "long_run_values",
    "parse_override",
    "run_experiment",
    "run_id",
    "summarise",
]
