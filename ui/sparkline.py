"""A card's trend as a small PNG line (an <img> in the card's HTML), instead of st.metric's Vega chart.

A Vega chart per card cost the browser a third of a Resumen filter change (~30 cards). An SVG
image was cheaper but still costly: the browser builds a document for every SVG image whose
source changes, about 80 ms of a one-session filter change (bench/browser_sessions.py, 0.48 s →
0.40 s with PNG). A PNG from a data URL decodes off the main thread and needs no JavaScript. It is
drawn at twice the display size, so it stays sharp on high-density screens.
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Sequence

from PIL import Image, ImageDraw

WIDTH, HEIGHT, PAD = 240, 36, 3  # the box in CSS pixels
SCALE = 2  # image pixels per CSS pixel
RGB = (0x23, 0x5B, 0x4E)  # the theme's primary colour (.streamlit/config.toml)


def coordinates(points: Sequence[float | None]) -> list[tuple[float, float]] | None:
    """The line's vertices in the WIDTH×HEIGHT box (left to right, scaled to fill it; gaps skipped);
    None for fewer than two points."""
    values = [float(p) for p in points if p is not None]
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    return [
        (
            PAD + i * step,
            HEIGHT - PAD - (v - low) / (high - low) * (HEIGHT - 2 * PAD) if high > low else HEIGHT / 2,
        )
        for i, v in enumerate(values)
    ]


@functools.lru_cache(maxsize=4096)  # ~1 KB each: the same card's line under the same data is drawn once
def _drawn(vertices: tuple[tuple[int, int], ...]) -> bytes:
    image = Image.new("P", (WIDTH * SCALE, HEIGHT * SCALE), 0)
    image.putpalette([255, 255, 255, *RGB])  # 0: transparent background, 1: the line
    pen = ImageDraw.Draw(image)
    pen.line(vertices, fill=1, width=2 * SCALE, joint="curve")
    x, y = vertices[-1]
    r = 3 * SCALE  # the latest month, as a dot
    pen.ellipse([x - r, y - r, x + r, y + r], fill=1)
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0, bits=1, compress_level=1)
    return out.getvalue()


def png(points: Sequence[float | None]) -> bytes | None:
    """The line as a PNG of (WIDTH×SCALE)×(HEIGHT×SCALE) pixels; None for fewer than two points."""
    line = coordinates(points)
    if line is None:
        return None
    return _drawn(tuple((round(x * SCALE), round(y * SCALE)) for x, y in line))


def data_url(points: Sequence[float | None]) -> str | None:
    """The line as a `data:image/png;base64,…` URL, or None when there is no line to draw."""
    drawing = png(points)
    return None if drawing is None else f"data:image/png;base64,{base64.b64encode(drawing).decode()}"
