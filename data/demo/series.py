"""Numeric helpers: national series that hit published totals, and exact splits by OOAD."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from data.demo.timeline import Timeline


def annual_levels(tl: Timeline, levels: Mapping[int, float], growth: float) -> np.ndarray:
    """Each month's annual level; years past the last given one grow at `growth` a year."""
    last = max(levels)
    by_year = {y: levels.get(y, levels[last] * (1 + growth) ** (y - last)) for y in tl.years}
    return np.array([by_year[y] for y in tl.year], dtype=float)


def exact_round(values: np.ndarray, total: int) -> np.ndarray:
    """Round to integers that add up to `total`; the residual goes to the largest value."""
    scaled = values * (total / values.sum())
    out = np.rint(scaled).astype(np.int64)
    out[np.argmax(scaled)] += total - out.sum()
    return out


def national_flow(
    tl: Timeline,
    levels: Mapping[int, float],
    shape: np.ndarray,
    growth: float = 0.01,
    exact: Mapping[int, int] | None = None,
) -> np.ndarray:
    """Monthly integer national totals: annual level / 12 x shape; exact years sum exactly."""
    raw = annual_levels(tl, levels, growth) / 12 * shape
    out = np.rint(raw).astype(np.int64)
    for year, total in (exact or {}).items():
        mask = tl.year == year
        if mask.sum() == 12:
            out[mask] = exact_round(raw[mask], int(total))
    return out


def interpolate_anchors(tl: Timeline, anchors: Mapping[tuple[int, int], float]) -> np.ndarray:
    """Linear interpolation between (year, month) anchors; flat beyond the ends."""
    xs = np.array([y * 12 + m - 1 for y, m in sorted(anchors)], dtype=float)
    ys = np.array([anchors[k] for k in sorted(anchors)], dtype=float)
    at = tl.year * 12 + tl.month - 1
    return np.interp(at, xs, ys)


def allocate(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split each month's integer total among OOAD by weight (T x O), exactly.

    Rounding residuals go to the month's largest OOAD, so national sums stay exact.
    """
    totals = np.asarray(totals, dtype=np.int64)
    share = weights / weights.sum(axis=1, keepdims=True)
    out = np.rint(share * totals[:, None]).astype(np.int64)
    biggest = np.argmax(weights, axis=1)
    out[np.arange(len(totals)), biggest] += totals - out.sum(axis=1)
    return out


def drift(rng: np.random.Generator, shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """Multiplicative noise around 1 (T, or T x O)."""
    return np.exp(rng.normal(0.0, sigma, size=shape))
