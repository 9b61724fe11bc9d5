"""The figure container and the layout helpers every figure kind shares."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from longgame.plots._data import panel_points, varying_keys
from longgame.plots._load import ResultsLike
from longgame.plots._style import (
    _FIXED,
    OTHERS,
    RC_PARAMS,
    canonical_name,
    group_label,
    param_label,
    short_label,
    strategy_colors,
    value_label,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "NOTEBOOK_DPI",
    "Chart",
    "Panels",
    "columns",
    "figure_panels",
    "headline",
    "held_fixed",
    "new_figure",
    "order_groups",
    "panel_title",
    "point_title",
    "shared_legend",
    "style",
    "title_panel",
]


#: Resolution of a chart shown in a notebook (dots per inch): a 13-inch-wide figure is
#: about 1000 pixels, which the notebook scales to its column.
NOTEBOOK_DPI = 80


@dataclass
class Chart:
    """One drawn figure: ``name`` is the file stem in ``figures/``, ``title`` and
    ``caption`` are what the report prints with it; ``headline``, when given, is the
    one sentence a slide shows with it (else the caption's first sentence).

    In a notebook a chart shows itself: the figure (drawn with the projector-size
    settings of :func:`style`) with its caption below. ``chart.figure`` is a plain
    ``matplotlib.figure.Figure``, not registered with pyplot, so drawing one never
    changes the notebook's backend or settings.
    """

    name: str
    title: str
    caption: str
    figure: Figure
    headline: str = ""
    _pngs: dict[float, Callable[[], bytes]] = field(default_factory=dict, repr=False, compare=False)

    def to_png(self, dpi: float = NOTEBOOK_DPI) -> bytes:
        """The figure as PNG bytes, drawn with the shared style at ``dpi`` (or the bytes
        kept for that resolution with :meth:`keep_png`)."""
        import io

        if dpi in self._pngs:
            return self._pngs[dpi]()
        buffer = io.BytesIO()
        with style():
            self.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    def keep_png(self, dpi: float, png: Callable[[], bytes]) -> None:
        """Have :meth:`to_png` at ``dpi`` return ``png()`` (this figure rendered
        elsewhere, from a copy: see :mod:`longgame.plots._helper`) rather than
        draw it again."""
        self._pngs[dpi] = png

    def _repr_png_(self) -> bytes:
        return self.to_png()

    def _repr_html_(self) -> str:
        import base64
        import html

        data = base64.b64encode(self.to_png()).decode("ascii")
        return (
            f'<figure style="margin:0"><img alt="{html.escape(self.title)}" '
            f'src="data:image/png;base64,{data}" style="max-width:100%"/>'
            f"<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Projector-size matplotlib settings for drawing and saving figures.

    Only a temporary ``rc_context``: the backend and the global rcParams are left as the
    user set them (figures are bare ``Figure`` objects that need no backend).
    """
    import matplotlib

    with matplotlib.rc_context(RC_PARAMS):  # type: ignore[arg-type]
        yield


def columns(n_panels: int) -> int:
    """Panels per row: at most 3, and 2 x 2 rather than 3 + 1 for four panels."""
    return 2 if n_panels == 4 else min(3, max(1, n_panels))


def new_figure(
    n_panels: int,
    ncols: int | None = None,
    panel: tuple[float, float] = (6.6, 4.8),
    sharey: bool = False,
) -> tuple[Figure, list[Axes]]:
    """A constrained-layout figure with ``n_panels`` axes in rows of ``ncols`` (default
    :func:`columns`); panels
    of one metric share their y axis (``sharey``) so that they compare at a glance."""
    from matplotlib.figure import Figure

    n_panels = max(1, n_panels)
    ncols = min(columns(n_panels) if ncols is None else ncols, n_panels)
    nrows = -(-n_panels // ncols)
    fig = Figure(figsize=(panel[0] * ncols + 0.6, panel[1] * nrows + 1.4), layout="constrained")
    grid = fig.subplots(nrows, ncols, squeeze=False, sharey=sharey)
    axes = [ax for row in grid for ax in row]
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


_ORDER = {name: i for i, name in enumerate(_FIXED)}


def order_groups(groups: Iterable[Any]) -> list[str]:
    """Groups in one fixed order across figures: known strategies first, then by name,
    and "others" (the strategies a figure sums) last. ``groups`` may be a whole column:
    only its distinct values are looked at."""
    distinct = groups.unique() if hasattr(groups, "unique") else groups
    names = sorted({str(g) for g in distinct})
    return sorted(
        names,
        key=lambda g: (g == OTHERS, _ORDER.get(canonical_name(g), len(_ORDER)), g),
    )


def point_title(point: Mapping[str, Any], skip: Sequence[str] = ()) -> str:
    """``"Repeat-purchase probability = 0.9, Network of ties = weak"`` for a sweep point."""
    parts = [f"{param_label(k)} = {value_label(v)}" for k, v in point.items() if k not in skip]
    return ", ".join(parts)


def held_fixed(points: Sequence[Mapping[str, Any]], varying: Sequence[str]) -> dict[str, Any]:
    """Swept parameters that the panels of a figure hold at one value (not in ``varying``)."""
    return {k: v for k, v in (points[0] if points else {}).items() if k not in varying}


def headline(title: str, fixed: Mapping[str, Any]) -> str:
    """A figure's title, with the swept parameters it holds fixed on a second line, so a
    figure shown on its own never hides which slice of the sweep it is."""
    return f"{title}\n({point_title(fixed)})" if fixed else title


def panel_title(point: Mapping[str, Any]) -> str:
    """A panel's title: one short line per parameter, so that titles never overlap."""
    return "\n".join(f"{short_label(param_label(k))} = {value_label(v)}" for k, v in point.items())


class Panels(NamedTuple):
    """A figure's panels (one per sweep point with data, :func:`figure_panels`): unpack as
    ``points, groups, colors, varying = panels``."""

    points: list[dict[str, Any]]
    #: the frame's groups in the fixed order of :func:`order_groups`
    groups: list[str]
    #: each group's colour
    colors: dict[str, str]
    #: the swept keys that differ between the panels (their titles)
    varying: list[str]


def figure_panels(results: ResultsLike, frame: pd.DataFrame) -> Panels | None:
    """The panels for drawing ``frame`` (tidy rows with a ``group`` column): one per
    sweep point where it has rows, its groups and their colours; None when no point has
    any (no figure)."""
    points = panel_points(results, having=frame)
    if not points:
        return None
    groups = order_groups(frame["group"])
    return Panels(points, groups, strategy_colors(groups), varying_keys(points))


def title_panel(
    ax: Any, point: Mapping[str, Any], points: Sequence[Mapping[str, Any]], varying: Sequence[str]
) -> None:
    """Title the panel of ``point`` with what ``varying`` holds there, when the figure has
    more than one panel and something varies between them."""
    if len(points) > 1 and varying:
        ax.set_title(panel_title({k: point[k] for k in varying if k in point}), fontsize=14)


def shared_legend(
    fig: Figure, groups: Sequence[str], title: str | None = None, extra: Sequence[Any] = ()
) -> None:
    """One legend for all panels, below them, so it never covers data; ``extra`` adds
    handles (with labels) after the groups."""
    from matplotlib.lines import Line2D

    colors = strategy_colors(groups)
    handles = [Line2D([], [], color=colors[g], lw=4, label=group_label(g)) for g in groups]
    handles += list(extra)
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=min(len(handles), 5),
        title=title,
    )
