"""A Plotly line figure drawn as a small static SVG, for documents (the executive report, its PDF).

The report used to inline plotly.js (about 4.6 MB) to draw a handful of trend lines; an SVG of the
same figure is a few kilobytes, needs no JavaScript to print, and keeps the figure's own es-MX
ticks (`ui.figures.value_ticks`, read from the figure's layout). Only what the trend figures use
is drawn: lines (solid, dash, dot), markers, filled intervals, the title, the axis ticks and a
legend.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from html import escape

import plotly.graph_objects as go

from ui.format import fmt_number

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 86, 16, 40, 70  # room for the Y labels, the title, the X labels and legend
FONT = "Helvetica, Arial, sans-serif"
DASHES = {"dash": "7 4", "dot": "2 3", "dashdot": "7 3 2 3", "longdash": "12 4"}


def _plain(text: str | None) -> str:
    """A Plotly title or tick without its markup: its wrapped lines joined again, a styled line
    (the subtitle, «nacional · noviembre 2026») after « · »."""
    parts = ""
    for line in re.split(r"<br\s*/?>", text or ""):
        words = re.sub(r"<[^>]+>", "", line).strip()
        if words:
            parts += (" · " if "<span" in line or "<sup" in line else " ") + words
    return parts.removeprefix(" · ").strip()


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering [low, high], at most `most` + 1."""
    span = high - low if high > low else (abs(high) or 1.0)
    raw = span / most
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if raw <= m * power * (1 + 1e-9))
    start, end = math.floor(low / step), math.ceil(high / step)
    return [i * step for i in range(start, end + 1)]


def _numbers(values: Sequence[object] | None) -> list[float | None]:
    out: list[float | None] = []
    for v in () if values is None else values:
        try:
            f = float(v)  # type: ignore[arg-type]  # None and text are caught below
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(None if math.isnan(f) else f)
    return out


def figure_svg(
    fig: go.Figure,
    label: Callable[[float], str] = fmt_number,
    width: int = WIDTH,
    height: int = HEIGHT,
    alt: str = "",
) -> str:
    """The figure's line traces as one inline <svg> element (role img, labelled), scaled to its box.

    X is categorical (the figure's category order, else the order the traces name them); Y ticks
    are the figure's own (tickvals/ticktext) when it sets them, else round values labelled by
    `label`.
    """
    traces = [t for t in fig.data if isinstance(t, go.Scatter) and t.x is not None and t.y is not None]
    xaxis, yaxis = fig.layout.xaxis, fig.layout.yaxis
    categories: list[str] = list(xaxis.categoryarray or ())
    for t in traces:
        categories += [str(x) for x in t.x if str(x) not in categories]
    position = {c: i for i, c in enumerate(categories)}
    ys = [y for t in traces for y in _numbers(t.y) if y is not None]
    if not categories or not ys:
        return ""
    if yaxis.tickvals is not None and yaxis.ticktext is not None:
        ticks = [(float(v), _plain(str(s))) for v, s in zip(yaxis.tickvals, yaxis.ticktext, strict=False)]
    else:
        ticks = [(v, label(v)) for v in nice_ticks(min(ys), max(ys))]
    low = min([*ys, *(v for v, _ in ticks)])
    high = max([*ys, *(v for v, _ in ticks)])
    if high == low:
        high, low = high + 1, low - 1
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    step = plot_w / max(len(categories) - 1, 1)

    def px(x: object) -> float:
        return LEFT + position[str(x)] * step if len(categories) > 1 else LEFT + plot_w / 2

    def py(y: float) -> float:
        return TOP + (high - y) / (high - low) * plot_h

    title = _plain(fig.layout.title.text if fig.layout.title else "")
    out = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(alt or title)}" font-family="{FONT}" font-size="12">',
        f'<text x="4" y="18" font-size="14" font-weight="600" fill="#1d1d1b">{escape(title)}</text>',
    ]
    for value, text in ticks:
        y = py(value)
        out.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#E5E5E5"/>')
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{escape(text)}</text>'
        )
    shown = _x_ticks(xaxis, categories)
    for cat, text in shown:
        if cat not in position:
            continue
        x = px(cat)
        lines = re.split(r"<br\s*/?>", text)
        spans = "".join(
            f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 13}">{escape(_plain(s))}</tspan>'
            for i, s in enumerate(lines)
        )
        out.append(f'<text y="{TOP + plot_h + 16}" text-anchor="middle" fill="#555">{spans}</text>')
    legend: list[tuple[str, str, str]] = []
    for t in traces:
        color = (t.line.color if t.line else None) or "#235B4E"
        points = [(px(x), py(y)) for x, y in zip(t.x, _numbers(t.y), strict=False) if y is not None]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        if t.fill == "toself":
            out.append(f'<polygon points="{path}" fill="{t.fillcolor or color}" stroke="none"/>')
            legend.append((str(t.name or ""), str(t.fillcolor or color), "area"))
            continue
        dash = DASHES.get(str(t.line.dash)) if t.line and t.line.dash else None
        width_px = (t.line.width if t.line and t.line.width else 2) or 2
        style = f' stroke-dasharray="{dash}"' if dash else ""
        if width_px and len(points) > 1:
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="{width_px}"'
                f' stroke-linejoin="round"{style}/>'
            )
        if "markers" in str(t.mode or ""):
            out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>' for x, y in points]
        if t.showlegend is not False and t.name:
            legend.append((str(t.name), str(color), dash or ""))
    x0: float = LEFT
    for name, color, kind in legend:
        y = height - 12
        if kind == "area":
            out.append(f'<rect x="{x0}" y="{y - 8}" width="18" height="10" fill="{color}"/>')
        else:
            dash = f' stroke-dasharray="{kind}"' if kind else ""
            out.append(
                f'<line x1="{x0}" x2="{x0 + 18}" y1="{y - 3}" y2="{y - 3}" stroke="{color}" stroke-width="2"{dash}/>'
            )
        out.append(f'<text x="{x0 + 23}" y="{y + 1}" fill="#333">{escape(name)}</text>')
        x0 += 34 + 6.5 * len(name)
    out.append("</svg>")
    return "".join(out)


def _x_ticks(xaxis: go.layout.XAxis, categories: Sequence[str]) -> list[tuple[str, str]]:
    """The figure's own X ticks, else about six evenly spaced categories (the last always)."""
    if xaxis.tickvals is not None:
        texts = xaxis.ticktext if xaxis.ticktext is not None else xaxis.tickvals
        return [(str(v), str(s)) for v, s in zip(xaxis.tickvals, texts, strict=False)]
    every = max(1, math.ceil(len(categories) / 6))
    return [(c, c.replace(" ", "<br>")) for c in list(categories)[::-1][::every][::-1]]


__all__ = ["figure_svg", "nice_ticks"]
