"""The page's pieces without a browser: SolaraViz parameters and the charts of each scene."""

from __future__ import annotations

import pytest

pytest.importorskip("solara")

from mesa.visualization.user_param import Slider

from longgame.explore import SCENES
from longgame.explore.app import (
    break_even_chart,
    components,
    model_params,
    network_chart,
    profit_chart,
)


def test_model_params_are_the_scene_settings() -> None:
    """Controls start at the scene's settings; settings without a control stay fixed."""
    one_shot = model_params(SCENES[0])
    assert one_shot["one_shot"] is True
    assert one_shot["reach"] == 0.0
    assert isinstance(one_shot["fleecers"], Slider)
    assert one_shot["fleecers"].value == 3
    takers = model_params(SCENES[3])
    assert takers["stop_loss_on"] == {"type": "Checkbox", "value": True,
                                      "label": "Stop-loss line on"}  # fmt: skip
    assert takers["takers"].value == 0.3
    assert takers["takers"].is_float_slider
    for scene in SCENES:  # every value rebuilds the scene's model, as Reset does
        params = model_params(scene)
        knobs = {k: (v.value if isinstance(v, Slider) else v["value"] if isinstance(v, dict)
                     else v) for k, v in params.items()}  # fmt: skip
        assert scene.model(**knobs).knobs == scene.make().knobs


def test_market_charts_show_the_run() -> None:
    """The profit chart marks the crossover; the network counts warned customers."""
    scene = SCENES[2]
    m = scene.make()
    m.run_for(30)
    profit = profit_chart(m).kwargs["unsafe_innerHTML"]
    assert "fleecers ahead until period" in profit
    net = network_chart(m).kwargs["unsafe_innerHTML"]
    warned = int(m.warned(m.shown).sum())
    assert f"{warned} of them warned" in net
    assert net.count('stroke="#C00000"') == warned + 1
    assert "break-even 0.69" in break_even_chart(m).kwargs["unsafe_innerHTML"]
    assert len(components(scene)) == 5
