"""``longgame explore``: the live what-if page a trainer shows a room.

Mesa's SolaraViz drives the models directly (never the experiment runner's store):
controls for every knob of the story, live charts (cumulative profit with the
fleecers' lead and the crossover, customers per seller, trust, the customer network
with word of mouth spreading, the break-even return probability), and six scenes whose
captions are computed from the run. See :mod:`longgame.explore._scenes` for the story.

Needs the ``explore`` extra (solara and its offline assets). Importing this package is
cheap: solara is imported only by :mod:`longgame.explore.app`, which :func:`serve`
serves.
"""

from __future__ import annotations

from longgame.explore._models import ExploreLearning, ExploreMarket, ExploreTournament
from longgame.explore._scenes import SCENES, Scene, crossover
from longgame.explore._server import serve

__all__ = [
    "SCENES",
    "ExploreLearning",
    "ExploreMarket",
    "ExploreTournament",
    "Scene",
    "crossover",
    "serve",
]
