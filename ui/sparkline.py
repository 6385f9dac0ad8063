"""A card's trend as a small SVG line inside its Markdown, instead of st.metric's Vega chart.

A Vega chart per card cost the browser a third of a Resumen filter change (~30 cards; measured
in bench/browser_sessions.py: 0.70 s → 0.45 s per change with one session). An image from a data
URL in Markdown draws with no JavaScript and needs no raw HTML (nothing unsafe to allow).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

WIDTH, HEIGHT, PAD = 240, 36, 3
COLOR = "#235B4E"  # the theme's primary colour (.streamlit/config.toml)


def svg(points: Sequence[float | None]) -> str | None:
    """The SVG of a line through the points (left to right, scaled to fill the box); None for fewer than two."""
    values = [float(p) for p in points if p is not None]
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    xy = [
        (
            PAD + i * step,
            HEIGHT - PAD - (v - low) / (high - low) * (HEIGHT - 2 * PAD) if high > low else HEIGHT / 2,
        )
        for i, v in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    last_x, last_y = xy[-1]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}">'
        f'<polyline points="{line}" fill="none" stroke="{COLOR}" stroke-width="2"'
        ' stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3" fill="{COLOR}"/></svg>'
    )


def markdown(points: Sequence[float | None], alt: str) -> str:
    """`![alt](data:image/svg+xml;base64,…)` for st.markdown, or "" when there is no line to draw.

    `alt` is what a screen reader says; it must already be inert Markdown (ui.safe.plain)."""
    drawing = svg(points)
    if drawing is None:
        return ""
    return f"![{alt}](data:image/svg+xml;base64,{base64.b64encode(drawing.encode()).decode()})"
