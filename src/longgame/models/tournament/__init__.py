"""Tournaments among strategies, and the population dynamics they drive."""

from longgame.models.tournament._round_robin import *  # noqa: F403
from longgame.models.tournament._round_robin import __all__, cost, quick  # noqa: F401
