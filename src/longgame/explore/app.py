"""The live page: Mesa's SolaraViz driving the models, one scene at a time.

``longgame explore`` serves this module's :func:`Page` with solara's server. The page
is SolaraViz (Mesa's controls: Reset, play/pause, Step, the play interval and one
control per knob of the scene) with a scene picker and a story card above the charts.
Picking a scene builds that scene's model and re-keys SolaraViz, so its controls start
from the scene's settings; Reset rebuilds the model from the controls.

Importing this module imports solara (the ``explore`` extra); nothing else in longgame
imports it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import solara
from mesa.visualization import SolaraViz
from mesa.visualization.user_param import Slider
from mesa.visualization.utils import update_counter

from longgame.explore._models import FLEECER, ExploreLearning, ExploreMarket, ExploreTournament
from longgame.explore._scenes import KNOBS, SCENE_BY_KEY, SCENES, Scene, crossover, display_name
from longgame.explore._svg import Line, Mark, line_chart, network_view, number_line
from longgame.plots import strategy_color

__all__ = ["PLAY_INTERVAL_MS", "Page", "components", "model_params"]

#: pause between two steps while playing (ms); with the step and the redraw, about 15
#: rendered steps per second (see ``benchmarks/bench_explore.py``)
PLAY_INTERVAL_MS = 30

_NO_SELLER = "#cfcfcf"


def model_params(scene: Scene) -> dict[str, Any]:
    """SolaraViz's ``model_params`` for a scene: a control per knob, fixed values for
    the scene's other settings (e.g. ``one_shot``)."""
    table = KNOBS[scene.kind]
    settings = scene.make().knobs
    out: dict[str, Any] = {}
    for name, value in settings.items():
        knob = table.get(name)
        if knob is None or name not in scene.controls:
            out[name] = value
        elif knob.kind == "checkbox":
            out[name] = {"type": "Checkbox", "value": bool(value), "label": knob.label}
        elif knob.kind == "select":
            out[name] = {
                "type": "Select",
                "value": value,
                "values": list(knob.choices),
                "label": knob.label,
            }
        else:
            whole = all(float(v).is_integer() for v in (knob.low, knob.high, knob.step))
            out[name] = Slider(
                knob.label,
                value=int(value) if whole else float(value),
                min=knob.low,
                max=knob.high,
                step=knob.step,
                dtype=int if whole else float,
            )
    return out


def _svg(markup: str) -> Any:
    return solara.HTML(tag="div", unsafe_innerHTML=markup, style="width: 100%;")


def _title(group: str) -> str:
    name = display_name(group)
    return name[:1].upper() + name[1:]


# -- market charts ----------------------------------------------------------------------


def _group_lines(m: ExploreMarket, metric: str) -> list[Line]:
    values = m.series(metric)
    return [Line(_title(g), strategy_color(g), values[:, k]) for k, g in enumerate(m.groups)]


def profit_chart(m: ExploreMarket) -> Any:
    """Cumulative profit per seller of each group, the fleecers' lead shaded, the
    crossover marked."""
    cum = m.series("cumulative_profit")
    c = crossover(cum, m.groups)
    marks: list[Mark] = []
    shade = None
    if c is not None and c.last_ahead > 0:
        shade = (0.5, c.last_ahead + 0.5, strategy_color(FLEECER))
        if c.crossed:
            marks.append(
                Mark(
                    c.last_ahead + 0.5,
                    f"fleecers ahead until period {c.last_ahead}",
                    color=strategy_color(FLEECER),
                )
            )
        else:
            marks.append(
                Mark(
                    float(cum.shape[0]),
                    f"fleecers ahead for all {c.last_ahead} periods so far",
                    color=strategy_color(FLEECER),
                )
            )
    elif c is not None and cum.shape[0]:
        marks.append(Mark(1.0, "fleecers never ahead", color=strategy_color(FLEECER)))
    return _svg(
        line_chart(
            _group_lines(m, "cumulative_profit"),
            title="Cumulative profit per seller (money)",
            ylabel="money",
            marks=marks,
            shade=shade,
        )
    )


def customers_chart(m: ExploreMarket) -> Any:
    """Customers per active seller of each group."""
    return _svg(
        line_chart(_group_lines(m, "customers"), title="Customers per seller", ylabel="customers")
    )


def trust_chart(m: ExploreMarket) -> Any:
    """Mean trust of each group's customers."""
    return _svg(
        line_chart(
            _group_lines(m, "trust"),
            title="Average trust of their customers",
            ylabel="trust (0-1)",
            ylim=(0.0, 1.0),
        )
    )


def network_chart(m: ExploreMarket) -> Any:
    """The first customers on their ring network: whose they are, who has been warned."""
    idx = m.shown
    groups = m.seller_groups(idx)
    colours = np.array([strategy_color(g) for g in m.groups] + [_NO_SELLER], dtype=object)
    fill = colours[groups].tolist()
    legend = [(display_name(g), strategy_color(g)) for g in m.groups]
    legend.append(("no seller", _NO_SELLER))
    talking = m.network is not None and float(m.knobs["reach"]) > 0
    warned = m.warned(idx) if talking else np.zeros(idx.size, dtype=np.bool_)
    note = (
        f"{idx.size} of {m.customers.n:,} customers; {int(warned.sum())} of them warned"
        if talking
        else f"{idx.size} of {m.customers.n:,} customers; nobody talks in this market"
    )
    return _svg(
        network_view(
            m.positions,
            m.shown_edges,
            fill,
            warned,
            title="Customers, coloured by their seller",
            legend=legend,
            note=note,
        )
    )


def break_even_chart(m: ExploreMarket) -> Any:
    """The return probability of this market against the theory's break-even line."""
    one_shot = bool(m.knobs["one_shot"])
    r = 0.0 if one_shot else float(m.knobs["repeat"])
    be = m.break_even
    return _svg(
        number_line(
            r,
            be,
            title="Break-even return probability (theory: grim trigger)",
            value_label=("one-shot: nobody returns" if one_shot else f"this market: {r:.2f}"),
            threshold_label=f"break-even {be:.2f}",
            below="fleecing pays",
            above="fair dealing pays",
        )
    )


# -- boxed pigs -------------------------------------------------------------------------


def pressing_chart(m: ExploreLearning) -> Any:
    """Share of big and small firms pressing the lever, and the equilibrium's shares."""
    h = m.press_history()
    lines = [Line(_title(g), strategy_color(g), h[:, k]) for k, g in enumerate(m.groups)]
    eq_row, eq_col = m.equilibria
    if eq_row.shape[0] == 1 and h.shape[0]:
        steps = np.arange(1, h.shape[0] + 1)
        for g, share in zip(m.groups, (eq_row[0, 0], eq_col[0, 0]), strict=True):
            lines.append(
                Line(f"equilibrium, {display_name(g)}", strategy_color(g),
                     np.full(steps.size, share), dashed=True)
            )  # fmt: skip
    return _svg(
        line_chart(
            lines, title="Share pressing the lever (educating the market)",
            ylabel="share pressing", ylim=(0.0, 1.0),
        )
    )  # fmt: skip


def payoff_table(m: ExploreLearning) -> Any:
    """The stage game at the current knobs: what each side gets."""
    pay = m.game.payoffs
    acts = m.game.actions
    cells = "".join(
        f"<tr><th>big {acts[0][i]}</th>"
        + "".join(
            f"<td>big {pay[i, j, 0]:g}, small {pay[i, j, 1]:g}</td>" for j in range(pay.shape[1])
        )
        + "</tr>"
        for i in range(pay.shape[0])
    )
    head = "".join(f"<th>small {a}</th>" for a in acts[1])
    return solara.HTML(
        tag="div",
        unsafe_innerHTML=(
            "<h3 style='margin:4px 0'>The boxed pigs: net payoffs (big, small)</h3>"
            f"<table style='font-size:16px;border-spacing:12px 6px'><tr><th></th>{head}</tr>"
            f"{cells}</table>"
        ),
    )


# -- evolution of trust -----------------------------------------------------------------


def population_chart(m: ExploreTournament) -> Any:
    """Individuals of each of Case's characters, generation by generation."""
    h = m.count_history()
    x = np.arange(h.shape[0], dtype=np.float64)
    lines = [
        Line(display_name(n, case=True), strategy_color(n), h[:, k], x=x)
        for k, n in enumerate(m.result.names)
    ]
    return _svg(
        line_chart(lines, title="Population by character", xlabel="generation",
                   ylabel="individuals")
    )  # fmt: skip


def ranking_table(m: ExploreTournament) -> Any:
    """Mean payoff per round in the round robin (what selection acts on)."""
    names = m.result.names
    counts = m.count_history()[-1]
    fitness = m.result.payoff_matrix @ (counts / counts.sum())
    order = np.argsort(-fitness)
    rows = "".join(
        f"<tr><td style='color:{strategy_color(names[i])}'>■</td>"
        f"<td>{display_name(names[i], case=True)}</td><td>{int(counts[i])}</td>"
        f"<td>{fitness[i]:.2f}</td></tr>"
        for i in order
    )
    return solara.HTML(
        tag="div",
        unsafe_innerHTML=(
            "<h3 style='margin:4px 0'>This generation</h3><table style='font-size:15px;"
            "border-spacing:10px 3px'><tr><th></th><th>character</th><th>individuals</th>"
            f"<th>payoff per round against this population</th></tr>{rows}</table>"
        ),
    )


def components(scene: Scene) -> list[tuple[Any, int]]:
    """SolaraViz components (function of the model, page 0) for a scene's kind."""
    charts: dict[str, list[Any]] = {
        "market": [profit_chart, customers_chart, network_chart, trust_chart, break_even_chart],
        "learning": [pressing_chart, payoff_table],
        "tournament": [population_chart, ranking_table],
    }
    return [(c, 0) for c in charts[scene.kind]]


# -- the page ---------------------------------------------------------------------------


@solara.component  # type: ignore[untyped-decorator]
def StoryCard(scene: Scene, model: solara.Reactive[Any]) -> None:
    """The scene's title, what to try, and the caption computed from the run."""
    update_counter.get()  # redrawn on every step, as SolaraViz's own components
    with solara.Card(scene.title, style="width: 100%"):
        solara.Text(scene.prompt, style="font-size: 15px; color: #555")
        solara.HTML(
            tag="p",
            unsafe_innerHTML=_escape(scene.caption(model.value)),
            attributes={"id": "longgame-caption"},
            style="font-size: 21px; font-weight: 500; margin: 10px 0 0 0; color: #111;",
        )


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


@solara.component  # type: ignore[untyped-decorator]
def SceneView(scene: Scene) -> None:
    """One scene: its model (rebuilt by Reset) under SolaraViz, the story card on top."""
    first = solara.use_memo(scene.make, [])
    model = solara.use_reactive(first)
    StoryCard(scene, model)
    SolaraViz(
        model,
        components=components(scene),
        model_params=model_params(scene),
        play_interval=PLAY_INTERVAL_MS,
        name=f"longgame explore · {scene.title}",
    )


@solara.component  # type: ignore[untyped-decorator]
def Page() -> None:
    """The scene picker in the sidebar, and the current scene."""
    current = solara.use_reactive(SCENES[0].key)
    with solara.Sidebar(), solara.Card("Scenes"):
        for s in SCENES:
            solara.Button(
                s.title,
                on_click=lambda key=s.key: current.set(key),
                color="primary" if s.key == current.value else None,
                text=s.key != current.value,
                style="justify-content: flex-start; width: 100%; text-transform: none;",
            )
    SceneView(SCENE_BY_KEY[current.value]).key(current.value)
