"""longgame: game-theoretic, agent-based simulation of repeated salesperson-customer exchanges.

The top-level namespace is small and cheap to import; subpackages load on first use:

>>> import longgame
>>> longgame.games.boxed_pigs().players
('big', 'small')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from longgame.errors import InputError

if TYPE_CHECKING:
    from longgame import (
        analysis,
        experiments,
        games,
        models,
        play,
        plots,
        report,
        strategies,
        testing,
    )
    from longgame.experiments import load_results

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "__version__",
    "analysis",
    "experiments",
    "games",
    "load_results",
    "models",
    "play",
    "plots",
    "report",
    "strategies",
    "testing",
]

_SUBMODULES = {
    "analysis",
    "experiments",
    "games",
    "models",
    "play",
    "plots",
    "report",
    "strategies",
    "testing",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"longgame.{name}")
    if name == "load_results":
        from longgame.experiments import load_results

        return load_results
    raise AttributeError(f"module 'longgame' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
