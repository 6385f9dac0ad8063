"""satisfaccion: the yearly ENCAL survey by OOAD (80.9 % medical care, 97.7 % daycare in 2019)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo.context import Context
from data.demo.geo import performance

# National share satisfied (per mil) by year; 2019 is the published figure.
MEDICAL = {2018: 795, 2019: 809, 2020: 778, 2021: 786, 2022: 801, 2023: 815, 2024: 823, 2025: 828, 2026: 831}
DAYCARE = {2018: 974, 2019: 977, 2020: 969, 2021: 973, 2022: 976, 2023: 979, 2024: 981, 2025: 982, 2026: 983}
SAMPLE = {"atencion_medica": (420, 32_000), "guarderias": (160, 9_500)}


def survey_years(ctx: Context) -> list[int]:
    """Every year of the timeline, the current one included, so the latest scorecard has a value."""
    return ctx.tl.years


def _service(ctx: Context, service: str, national: dict[int, int], spread: float) -> pd.DataFrame:
    geo, rng = ctx.geo, ctx.rng(f"satisfaccion.{service}")
    base, scale = SAMPLE[service]
    level = performance(rng, len(geo), spread, -spread, -4 * spread)
    rows = []
    for year in survey_years(ctx):
        share = national.get(year, national[max(national)] + 2) / 1000
        surveyed = np.rint((base + scale * geo.share) * rng.uniform(0.95, 1.05, len(geo))).astype(np.int64)
        rate = level + rng.normal(0, spread / 2, len(geo))
        rate += share - (surveyed * rate).sum() / surveyed.sum()
        satisfied = np.rint(surveyed * np.clip(rate, 0.5, 0.998)).astype(np.int64)
        # Exact national share: the survey total rounds to the published per-mil figure.
        biggest = int(np.argmax(surveyed))
        satisfied[biggest] += round(share * surveyed.sum()) - satisfied.sum()
        rows.append(
            pd.DataFrame(
                {
                    "anio": year,
                    "cve_ooad": geo.codes,
                    "servicio": service,
                    "encuestados": surveyed,
                    "satisfechos": satisfied,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def generate(ctx: Context) -> pd.DataFrame:
    return pd.concat(
        [_service(ctx, "atencion_medica", MEDICAL, 0.025), _service(ctx, "guarderias", DAYCARE, 0.006)],
        ignore_index=True,
    )
