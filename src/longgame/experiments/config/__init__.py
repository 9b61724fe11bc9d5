"""Experiment configs: TOML in, a validated, fully resolved Experiment out."""

from longgame.experiments.config._load import *  # noqa: F403
from longgame.experiments.config._load import (  # noqa: F401
    QUICK_REPLICATES,
    QUICK_SAMPLE,
    __all__,
    format_bytes,
    memory_limit,
    quick_steps,
)
