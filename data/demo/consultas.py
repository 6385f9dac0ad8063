"""consultas: medical services by OOAD, calibrated to the published 2018-2019 totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo.context import Context
from data.demo.geo import performance
from data.demo.series import allocate, drift, interpolate_anchors, national_flow

# Annual levels before the pandemic shock; exact published totals where they exist.
FAMILY_MEDICINE = {2018: 89.4e6, 2019: 92.6e6, 2020: 93.4e6, 2021: 94.1e6, 2022: 94.6e6,
                   2023: 95.2e6, 2024: 95.9e6, 2025: 96.4e6, 2026: 97.0e6}  # fmt: skip
SPECIALTIES = {2018: 20.35e6, 2019: 20.1e6, 2020: 20.3e6, 2021: 20.5e6, 2022: 20.8e6,
               2023: 21.1e6, 2024: 21.4e6, 2025: 21.6e6, 2026: 21.8e6}  # fmt: skip
EMERGENCIES = {2018: 19.6e6, 2019: 20.0e6, 2020: 20.3e6, 2021: 20.5e6, 2022: 20.7e6,
               2023: 20.9e6, 2024: 21.1e6, 2025: 21.3e6, 2026: 21.5e6}  # fmt: skip
SURGERIES = {2018: 1.432e6, 2019: 1.4e6, 2020: 1.39e6, 2021: 1.40e6, 2022: 1.44e6,
             2023: 1.49e6, 2024: 1.53e6, 2025: 1.55e6, 2026: 1.57e6}  # fmt: skip
CHECKUPS = {2018: 31.3e6, 2019: 27.4e6, 2020: 27.5e6, 2021: 27.7e6, 2022: 28.0e6,
            2023: 28.6e6, 2024: 29.1e6, 2025: 29.5e6, 2026: 29.8e6}  # fmt: skip
EXACT = {
    "consultas_medicina_familiar": {2019: 92_600_000},
    "consultas_especialidades": {2019: 20_100_000},
    "intervenciones_quirurgicas": {2019: 1_400_000},
    "chequeos_prevenimss": {2018: 31_300_000, 2019: 27_400_000},
}
# Censable beds (national), and how occupancy moves through the year.
BEDS = {(2017, 12): 34_300, (2019, 12): 34_900, (2020, 6): 36_800, (2022, 12): 36_200, (2026, 12): 37_400}
OCCUPANCY_SEASON = np.array([0.05, 0.03, 0.01, -0.01, 0.0, 0.0, -0.01, 0.0, 0.0, 0.0, -0.01, -0.06])
OCCUPANCY_COVID = {(2020, 4): -0.10, (2020, 5): -0.04, (2020, 6): 0.03, (2020, 7): 0.05, (2020, 8): 0.02,
                   (2020, 12): 0.04, (2021, 1): 0.07, (2021, 2): 0.02, (2021, 8): 0.04}  # fmt: skip


def _occupancy(ctx: Context, level: np.ndarray) -> np.ndarray:
    tl, rng = ctx.tl, ctx.rng("ocupacion")
    covid = np.array([OCCUPANCY_COVID.get((p.year, p.month), 0.0) for p in tl.periods])
    rate = level[None, :] + OCCUPANCY_SEASON[tl.month - 1][:, None] + covid[:, None]
    return np.clip(rate + rng.normal(0, 0.012, (len(tl), len(level))), 0.55, 0.97)


def generate(ctx: Context) -> pd.DataFrame:
    tl, geo, rng = ctx.tl, ctx.geo, ctx.rng("consultas")
    shape = (len(tl), len(geo))
    enrolled = ctx.wide("afiliacion", "poblacion_derechohabiente_adscrita").astype(float)
    season = tl.care_season()

    def split(column: str, levels: dict[int, float], depth: float, intensity: float) -> np.ndarray:
        shape_t = season * tl.covid(depth) * np.exp(rng.normal(0, 0.012, len(tl)))
        national = national_flow(tl, levels, shape_t, exact=EXACT.get(column))
        weight = enrolled * np.exp(rng.normal(0, intensity, len(geo)))[None, :] * drift(rng, shape, 0.025)
        return allocate(national, weight)

    family = split("consultas_medicina_familiar", FAMILY_MEDICINE, 1.0, 0.08)
    specialties = split("consultas_especialidades", SPECIALTIES, 1.2, 0.15)
    emergencies = split("consultas_urgencias", EMERGENCIES, 0.7, 0.12)
    surgeries = split("intervenciones_quirurgicas", SURGERIES, 1.35, 0.15)
    checkups = split("chequeos_prevenimss", CHECKUPS, 1.5, 0.12)

    scheduled = np.rint(surgeries * rng.uniform(0.52, 0.64, len(geo))[None, :]).astype(np.int64)
    timely_rate = performance(rng, len(geo), 0.935, 0.87, 0.80)[None, :] - 0.06 * (1 - tl.covid()[:, None])
    timely_rate = np.clip(timely_rate + rng.normal(0, 0.012, shape), 0.5, 0.995)
    timely = np.rint(scheduled * timely_rate).astype(np.int64)

    beds_nat = np.rint(interpolate_anchors(tl, BEDS))
    beds = allocate(beds_nat, enrolled * np.exp(rng.normal(0, 0.12, len(geo)))[None, :])
    available = beds * tl.days[:, None]
    occupied = np.rint(available * _occupancy(ctx, performance(rng, len(geo), 0.845, 0.81, 0.76))).astype(
        np.int64
    )
    return ctx.long(
        {
            "consultas_medicina_familiar": family,
            "consultas_especialidades": specialties,
            "consultas_urgencias": emergencies,
            "intervenciones_quirurgicas": surgeries,
            "cirugias_programadas": scheduled,
            "cirugias_oportunas": timely,
            "chequeos_prevenimss": checkups,
            "dias_cama_ocupados": occupied,
            "dias_cama_disponibles": available,
        }
    )
