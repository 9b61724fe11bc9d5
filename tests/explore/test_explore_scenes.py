"""The live page's models and scenes: knobs reach the models, captions follow the run."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from longgame.explore import SCENES, ExploreMarket, crossover
from longgame.explore._scenes import KNOBS, SCENE_BY_KEY, caption_return
from longgame.explore._svg import Line, line_chart, nice_ticks


def _numbers(text: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"-?[\d,]*\.?\d+", text)]


def test_knobs_reach_the_market_parameters() -> None:
    """Each knob sets its parameter: repeat, reach, sellers, takers, stop-loss, noise."""
    m = ExploreMarket(
        repeat=0.55, reach=40, fleecers=2, fair_dealers=0, reciprocators=1, takers=0.2,
        stop_loss_on=True, stop_loss=3.5, customers=500, noise=0.7, seed=4,
    )  # fmt: skip
    p = m.params
    assert p.repeat.base == 0.55
    assert p.word_of_mouth.reach == 40
    assert [(g.strategy, g.count) for g in p.sellers] == [("fleecer", 2), ("reciprocator", 1)]
    assert p.takers.share == 0.2
    assert p.takers.enabled
    assert p.stop_loss.limit == 3.5
    assert p.exchange.noise == 0.7
    assert p.customers == 500
    assert math.isinf(ExploreMarket(stop_loss_on=False, customers=100).params.stop_loss.limit)
    assert ExploreMarket(one_shot=True, customers=100).params.mode == "one-shot"


def test_twin_is_the_same_market_with_one_knob_changed() -> None:
    """twin(reach=0) runs exactly what a fresh market with reach 0 runs to the same step."""
    m = ExploreMarket(customers=600, seed=9)
    m.run_for(15)
    fresh = ExploreMarket(**{**m.knobs, "reach": 0.0})
    fresh.run_for(15)
    twin = m.twin(reach=0.0)
    assert twin.steps == 15
    np.testing.assert_array_equal(
        twin.series("cumulative_profit"), fresh.series("cumulative_profit")
    )


def test_crossover_marks_the_last_period_fleecers_lead() -> None:
    """The crossover is the last period with a positive lead over the best other group."""
    cum = np.array([[1.0, 0.0, 0.5], [2.0, 1.5, 2.5], [3.0, 1.0, 2.0], [3.5, 4.0, 1.0]])
    c = crossover(cum, ["always-cooperate", "always-defect", "tit-for-tat"])
    assert c is not None
    assert c.lead.tolist() == [-1.0, -1.0, -2.0, 0.5]
    assert (c.last_ahead, c.ahead_now, c.crossed) == (4, True, False)
    assert crossover(cum[:, [0, 2]], ["always-cooperate", "tit-for-tat"]) is None


@pytest.mark.parametrize(("repeat", "side"), [(0.9, "above"), (0.3, "below")])
def test_caption_states_the_run_numbers(repeat: float, side: str) -> None:
    """Scene 2's caption names the break-even side, the crossover and the profits of the run."""
    m = ExploreMarket(repeat=repeat, reach=0.0, customers=1500, seed=3)
    m.run_for(60)
    text = caption_return(m)
    cum = m.series("cumulative_profit")[-1]
    c = crossover(m.series("cumulative_profit"), m.groups)
    assert c is not None
    assert f"probability {repeat:.2f}, {side} the break-even {m.break_even:.2f}" in text
    fleecer = cum[m.groups.index("always-defect")]
    assert round(fleecer) in [round(x) for x in _numbers(text)]
    assert round(cum[c.rival]) in [round(x) for x in _numbers(text)]
    if repeat > m.break_even:  # repeat purchase lets the honest overtake
        assert c.crossed
        assert f"ahead until period {c.last_ahead}" in text
    else:  # nobody comes back often enough: fleecing keeps paying
        assert c.ahead_now
        assert "fleecers are ahead after 60 periods" in text


def test_every_scene_runs_and_captions_change_as_it_plays() -> None:
    """Each scene's model runs; its caption asks to play at step 0 and reports after."""
    for scene in SCENES:
        m = scene.make()
        before = scene.caption(m)
        m.run_for(12)
        after = scene.caption(m)
        assert "Press" in before
        assert after != before
        assert re.search(r"\b12 (periods|generations)\b", after), after
        assert set(scene.controls) <= set(KNOBS[scene.kind])


def test_scene_talk_compares_with_the_quiet_market() -> None:
    """Scene 3 reports its crossover and the quiet twin's, and the warned share now."""
    scene = SCENE_BY_KEY["talk"]
    m = scene.make()
    m.run_for(40)
    text = scene.caption(m)
    talk = crossover(m.series("cumulative_profit"), m.groups)
    quiet = crossover(m.twin(reach=0.0).series("cumulative_profit"), m.groups)
    assert talk is not None
    assert quiet is not None
    assert f"{m.warned().mean():.0%} of customers are warned" in text
    assert f"behind after period {talk.last_ahead}" in text
    assert f"(period {quiet.last_ahead})" in text
    assert talk.last_ahead < quiet.last_ahead  # bad news travels: fleecers fall behind sooner


def test_nice_ticks_and_nan_breaks() -> None:
    """Ticks are round and cover the data; a NaN splits a line into two polylines."""
    assert nice_ticks(0.0, 1.0).tolist() == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(-130.0, 2400.0).tolist() == [-1000.0, 0.0, 1000.0, 2000.0, 3000.0]
    svg = line_chart([Line("a", "#000", [1.0, 2.0, np.nan, 3.0, 4.0])])
    assert svg.count("<polyline") == 2
