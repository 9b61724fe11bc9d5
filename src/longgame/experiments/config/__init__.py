"""Experiment configs: TOML in, a validated, fully resolved :class:`Experiment` out.

A config has four sections::

    [experiment]
    name = "fleecing-vs-fair"      # folder name under results/
    description = "..."
    model = "market"               # a registered model, or "package.module:SPEC"
    steps = 200                    # steps per run (>= 1)
    replicates = 10                # runs per point (>= 1)
    seed = 20240101                # root seed (>= 0); drawn and recorded if absent

    [parameters]                   # fixed model parameters; nested tables allowed
    reach = 250
    [parameters.market]
    repeat_probability = 0.6

    [sweep]                        # see longgame.experiments.sweep
    "market.repeat_probability" = [0.2, 0.5, 0.8]

    [outputs]
    metrics = ["profit"]           # metrics to summarise (default: all)
    figures = ["long_run"]         # figures to draw (default: the plotting defaults)
    long_run_window = 0.2          # fraction of final steps averaged as "long run"

Validation reports every problem at once, one line each, naming the file, the dotted key
path, the bad value and what was expected; it raises :class:`~longgame.errors.InputError`
and touches nothing on disk. Model parameters are checked by the model's own schema
(``ModelSpec.params``) at every sweep point, so misspelt parameters, values out of range
and unknown strategy names are caught before anything runs.
"""

from longgame._validation import format_validation_error
from longgame.experiments.config._load import Experiment, load_config
from longgame.experiments.config._load import memory_limit as memory_limit
from longgame.experiments.config._messages import format_bytes as format_bytes
from longgame.experiments.config._overrides import parse_override
from longgame.experiments.config._schema import (
    MAX_CONFIG_BYTES,
    MAX_DEPTH,
    MAX_POINTS,
    MAX_RUNS,
    MAX_WORK,
    ExperimentSection,
    OutputsSection,
    SampleSection,
)
from longgame.experiments.config._schema import QUICK_REPLICATES as QUICK_REPLICATES
from longgame.experiments.config._schema import QUICK_SAMPLE as QUICK_SAMPLE
from longgame.experiments.config._schema import quick_steps as quick_steps

# Names imported `as` themselves are not in __all__ but stay importable from here, as before the
# package split.
__all__ = [
    "MAX_CONFIG_BYTES",
    "MAX_DEPTH",
    "MAX_POINTS",
    "MAX_RUNS",
    "MAX_WORK",
    "Experiment",
    "ExperimentSection",
    "OutputsSection",
    "SampleSection",
    "format_validation_error",
    "load_config",
    "parse_override",
]
