"""Small SVG charts for the live page: line charts, a network view, a number line.

Why not matplotlib or Altair? At ten frames a second a frame has 100 ms for the model
step, every chart and the trip to the browser. A matplotlib figure takes 35-40 ms to
render (four charts: 150 ms); Mesa's Altair charts are drawn in the browser by Vega,
which solara's widget loads from the CDN under ``vega@5/...``, a path the offline
``solara-assets`` package does not carry, so they stay blank with no network. These
charts are a few kilobytes of SVG text built with numpy in well under a millisecond,
drawn by the browser itself, and use the colours and words of :mod:`longgame.plots`.

>>> svg = line_chart([Line("fair dealer", "#009E73", [0, 1, 3])], title="Profit")
>>> svg.startswith("<svg") and "fair dealer" in svg and "polyline" in svg
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Line", "Mark", "line_chart", "network_view", "nice_ticks", "number_line"]

FONT = "font-family: 'DejaVu Sans', Arial, sans-serif"
GRID = "#dddddd"
INK = "#222222"


@dataclass(frozen=True)
class Line:
    """One series: legend label, colour, y values (x = 1..n unless ``x`` is given)."""

    label: str
    color: str
    y: ArrayLike
    x: ArrayLike | None = None
    dashed: bool = False


@dataclass(frozen=True)
class Mark:
    """A vertical (``axis="x"``) or horizontal (``axis="y"``) reference line with a label."""

    at: float
    label: str
    axis: str = "x"
    color: str = INK
    dashed: bool = True
    notes: tuple[str, ...] = field(default=())


def nice_ticks(lo: float, hi: float, count: int = 5) -> NDArray[np.float64]:
    """About ``count`` round tick values covering [lo, hi] (steps of 1, 2, 2.5 or 5 × 10^k).

    >>> nice_ticks(0, 97).tolist()
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    >>> nice_ticks(-3.2, 1.1).tolist()
    [-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi <= lo:
        lo, hi = lo - 0.5, lo + 0.5
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    stop = math.ceil(hi / step) * step
    n = round((stop - start) / step)
    ticks: NDArray[np.float64] = np.round(start + step * np.arange(n + 1, dtype=np.float64), 10)
    return ticks


def _fmt(v: float) -> str:
    if abs(v) >= 10_000:
        return f"{v / 1000:.0f}k"
    if abs(v) >= 1000:
        return f"{v / 1000:.1f}k".replace(".0k", "k")
    if v == int(v):
        return f"{int(v)}"
    return f"{v:.2f}".rstrip("0")


def _text(x: float, y: float, s: str, size: int = 13, anchor: str = "start", **kw: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in kw.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{INK}" style="{FONT}"{extra}>{escape(s)}</text>'
    )


def line_chart(
    lines: Sequence[Line],
    *,
    title: str = "",
    xlabel: str = "period",
    ylabel: str = "",
    marks: Sequence[Mark] = (),
    shade: tuple[float, float, str] | None = None,
    ylim: tuple[float, float] | None = None,
    width: int = 560,
    height: int = 330,
) -> str:
    """A line chart as an SVG string: one polyline per :class:`Line`, legend on top.

    ``marks`` are reference lines (a crossover period, a theory value); ``shade`` is an
    x interval ``(start, end, colour)`` drawn behind the lines (e.g. the fleecers' lead).
    NaN values break a line. An empty chart says "press play".
    """
    left, right, bottom = 62, 16, 44
    # legend entries, wrapped into rows under the title
    legend: list[tuple[float, int, Line]] = []
    lx, row = float(left), 0
    for ln in lines:
        w = 36 + 7.2 * len(ln.label)
        if lx + w > width - right and lx > left:
            lx, row = float(left), row + 1
        legend.append((lx, row, ln))
        lx += w
    top = 58 + 17 * row
    pw, ph = width - left - right, height - top - bottom
    data = []
    for ln in lines:
        y = np.asarray(ln.y, dtype=np.float64).ravel()
        x = (
            np.arange(1, y.size + 1, dtype=np.float64)
            if ln.x is None
            else np.asarray(ln.x, dtype=np.float64).ravel()
        )
        data.append((ln, x, y))
    xs = [x for _, x, y in data if y.size]
    ys = [y[np.isfinite(y)] for _, _, y in data]
    ys = [y for y in ys if y.size]
    x_hi = max((float(x.max()) for x in xs), default=1.0)
    x_lo = min((float(x.min()) for x in xs), default=0.0)
    x_lo, x_hi = min(x_lo, 0.0), max(x_hi, 10.0)
    if ylim is not None:
        y_lo, y_hi = ylim
    else:
        y_lo = min((float(y.min()) for y in ys), default=0.0)
        y_hi = max((float(y.max()) for y in ys), default=1.0)
        for mk in marks:
            if mk.axis == "y":
                y_lo, y_hi = min(y_lo, mk.at), max(y_hi, mk.at)
    yt = nice_ticks(y_lo, y_hi, 5) if ylim is None else nice_ticks(*ylim, 5)
    xt = nice_ticks(x_lo, x_hi, 6)
    y_lo, y_hi = float(yt[0]), float(yt[-1])
    x_lo, x_hi = float(xt[0]), float(xt[-1])

    def px(x: NDArray[np.float64] | float) -> NDArray[np.float64]:
        return left + (np.asarray(x, dtype=np.float64) - x_lo) / (x_hi - x_lo) * pw

    def py(y: NDArray[np.float64] | float) -> NDArray[np.float64]:
        return top + ph - (np.asarray(y, dtype=np.float64) - y_lo) / (y_hi - y_lo) * ph

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        _text(left, 20, title, 16, font_weight="bold"),
    ]
    if shade is not None:
        a, b, colour = shade
        xa, xb = float(px(max(a, x_lo))), float(px(min(b, x_hi)))
        if xb > xa:
            out.append(
                f'<rect x="{xa:.1f}" y="{top}" width="{xb - xa:.1f}" height="{ph}" '
                f'fill="{colour}" opacity="0.12"/>'
            )
    for t in yt:
        yy = float(py(t))
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" '
                   f'stroke="{GRID}"/>')  # fmt: skip
        out.append(_text(left - 6, yy + 4, _fmt(float(t)), 12, "end"))
    for t in xt:
        xx = float(px(t))
        out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top + ph}" y2="{top + ph + 4}" '
                   f'stroke="{INK}"/>')  # fmt: skip
        out.append(_text(xx, top + ph + 18, _fmt(float(t)), 12, "middle"))
    out.append(
        f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="{INK}"/>'
    )
    out.append(_text(left + pw / 2, height - 6, xlabel, 13, "middle"))
    if ylabel:
        out.append(
            _text(14, top + ph / 2, ylabel, 13, "middle",
                  transform=f"rotate(-90 14 {top + ph / 2:.1f})")
        )  # fmt: skip
    if y_lo < 0 < y_hi:
        y0 = float(py(0.0))
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y0:.1f}" y2="{y0:.1f}" '
                   f'stroke="#999999"/>')  # fmt: skip
    for ln, x, y in data:
        dash = ' stroke-dasharray="6 4"' if ln.dashed else ""
        ok = np.isfinite(y) & np.isfinite(x)
        # one polyline per run of finite values
        breaks = np.flatnonzero(np.diff(ok.astype(np.int8)) != 0) + 1
        for seg in np.split(np.arange(y.size), breaks):
            if seg.size == 0 or not ok[seg[0]]:
                continue
            pts = np.column_stack([px(x[seg]), py(np.clip(y[seg], y_lo, y_hi))])
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{ln.color}" '
                f'stroke-width="2.6" stroke-linejoin="round"{dash}/>'
            )
    for mk in marks:
        dash = ' stroke-dasharray="5 4"' if mk.dashed else ""
        if mk.axis == "x" and x_lo <= mk.at <= x_hi:
            xx = float(px(mk.at))
            out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" y2="{top + ph}" '
                       f'stroke="{mk.color}" stroke-width="1.8"{dash}/>')  # fmt: skip
            anchor = "end" if xx > left + pw * 0.6 else "start"
            off = -5 if anchor == "end" else 5
            for k, s in enumerate((mk.label, *mk.notes)):
                out.append(_text(xx + off, top + 14 + 15 * k, s, 13, anchor, font_weight="bold"
                                 if k == 0 else "normal"))  # fmt: skip
        elif mk.axis == "y" and y_lo <= mk.at <= y_hi:
            yy = float(py(mk.at))
            out.append(f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" '
                       f'stroke="{mk.color}" stroke-width="1.8"{dash}/>')  # fmt: skip
            out.append(_text(left + pw - 4, yy - 5, mk.label, 12, "end"))
    for lx0, r, ln in legend:
        dash = ' stroke-dasharray="6 4"' if ln.dashed else ""
        yl = 38 + 17 * r
        out.append(f'<line x1="{lx0}" x2="{lx0 + 22}" y1="{yl}" y2="{yl}" stroke="{ln.color}" '
                   f'stroke-width="3"{dash}/>')  # fmt: skip
        out.append(_text(lx0 + 27, yl + 5, ln.label, 13))
    if not xs:
        out.append(_text(left + pw / 2, top + ph / 2, "press ▶ or Step", 15, "middle"))
    out.append("</svg>")
    return "".join(out)


def network_view(
    positions: NDArray[np.float64],
    edges: NDArray[np.intp],
    fill: Sequence[str],
    warned: NDArray[np.bool_],
    *,
    title: str = "",
    legend: Sequence[tuple[str, str]] = (),
    note: str = "",
    size: tuple[int, int] = (560, 330),
) -> str:
    """Customers as dots on their network: ``fill`` colours, a red ring where ``warned``.

    ``positions`` are (n, 2) in [-1, 1]; ``edges`` (m, 2) index pairs among them.
    """
    width, height, top = size[0], size[1], 52
    r_plot = (height - top - 30) / 2
    cx, cy = width / 2, top + r_plot + 4
    xy = np.column_stack([cx + positions[:, 0] * r_plot, cy + positions[:, 1] * r_plot])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        _text(10, 20, title, 16, font_weight="bold"),
    ]
    if edges.size:
        seg = xy[edges]  # (m, 2, 2)
        d = " ".join(f"M{a:.1f} {b:.1f}L{c:.1f} {e:.1f}" for (a, b), (c, e) in seg)
        out.append(f'<path d="{d}" stroke="#bbbbbb" stroke-width="0.6" fill="none"/>')
    for (x, y), colour, w in zip(xy, fill, warned, strict=True):
        ring = ' stroke="#C00000" stroke-width="2.2"' if w else ' stroke="white" stroke-width="0.6"'
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.8" fill="{colour}"{ring}/>')
    lx = 10.0
    for label, colour in legend:
        out.append(f'<circle cx="{lx + 5:.1f}" cy="36" r="5" fill="{colour}"/>')
        out.append(_text(lx + 14, 41, label, 12))
        lx += 22 + 6.4 * len(label)
    out.append(f'<circle cx="{lx + 5:.1f}" cy="36" r="5" fill="white" stroke="#C00000" '
               'stroke-width="2.4"/>')  # fmt: skip
    out.append(_text(lx + 14, 41, "warned", 12))
    if note:
        out.append(_text(width / 2, height - 8, note, 13, "middle"))
    out.append("</svg>")
    return "".join(out)


def number_line(
    value: float,
    threshold: float,
    *,
    title: str,
    value_label: str,
    threshold_label: str,
    below: str,
    above: str,
    width: int = 560,
) -> str:
    """A 0..1 axis with the current ``value`` (dot) and a theory ``threshold`` (dashed line)."""
    left, right = 30, 30
    pw = width - left - right
    height = 124
    y = 78

    def px(v: float) -> float:
        return left + min(max(v, 0.0), 1.0) * pw

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        _text(left, 20, title, 16, font_weight="bold"),
    ]
    if math.isfinite(threshold) and 0 <= threshold <= 1:
        xt = px(threshold)
        out.append(f'<rect x="{left}" y="{y - 8}" width="{xt - left:.1f}" height="16" '
                   'fill="#D55E00" opacity="0.15"/>')  # fmt: skip
        out.append(f'<rect x="{xt:.1f}" y="{y - 8}" width="{left + pw - xt:.1f}" height="16" '
                   'fill="#009E73" opacity="0.15"/>')  # fmt: skip
        out.append(_text((left + xt) / 2, y + 28, below, 12, "middle"))
        out.append(_text((xt + left + pw) / 2, y + 28, above, 12, "middle"))
        out.append(f'<line x1="{xt:.1f}" x2="{xt:.1f}" y1="{y - 30}" y2="{y + 12}" '
                   f'stroke="{INK}" stroke-width="2" stroke-dasharray="5 4"/>')  # fmt: skip
        out.append(_text(xt, y - 34, threshold_label, 13, "middle", font_weight="bold"))
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y}" y2="{y}" stroke="{INK}"/>')
    out.extend(
        _text(px(float(t)), y + 44, _fmt(float(round(t, 1))), 11, "middle")
        for t in np.linspace(0, 1, 6)
    )
    xv = px(value)
    out.append(f'<circle cx="{xv:.1f}" cy="{y}" r="8" fill="#0072B2" stroke="white"/>')
    out.append(_text(xv, y - 14, value_label, 13, "middle"))
    out.append("</svg>")
    return "".join(out)
