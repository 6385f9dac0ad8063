"""finanzas (national, MDP): obrero-patronal income (350,110 MDP in 2019), budget, reserves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo.context import Context
from data.demo.series import annual_levels, exact_round, interpolate_anchors

CONTRIBUTIONS = {2018: 350_110 / 1.088, 2019: 350_110.0, 2020: 361_870.0, 2021: 384_250.0,
                 2022: 426_930.0, 2023: 487_410.0, 2024: 546_380.0, 2025: 601_220.0, 2026: 651_900.0}  # fmt: skip
EXACT_YEARS = (2018, 2019)
FEDERAL = {2018: 405_000.0, 2019: 438_000.0, 2020: 470_000.0, 2021: 505_000.0, 2022: 548_000.0,
           2023: 601_000.0, 2024: 662_000.0, 2025: 718_000.0, 2026: 771_000.0}  # fmt: skip
BUDGET = {2018: 770_500.0, 2019: 812_300.0, 2020: 858_100.0, 2021: 905_600.0, 2022: 968_400.0,
          2023: 1_062_700.0, 2024: 1_168_200.0, 2025: 1_261_900.0, 2026: 1_349_500.0}  # fmt: skip
RESERVES = {(2017, 12): 211_400, (2018, 12): 232_150, (2019, 12): 258_320, (2020, 12): 269_870,
            (2021, 12): 281_640, (2022, 12): 312_480, (2023, 12): 356_910, (2024, 12): 405_730,
            (2025, 12): 441_260, (2026, 12): 472_900}  # fmt: skip
# Retirement (RCV) quotas are paid bimonthly, in odd months.
CONTRIBUTION_SEASON = np.array([1.09, 0.91, 1.09, 0.91, 1.09, 0.91, 1.09, 0.91, 1.09, 0.91, 1.09, 0.91])
# Spending is back-loaded: December pays the year-end bonus.
BUDGET_SEASON = np.array([0.78, 0.9, 0.97, 0.97, 0.98, 1.0, 0.98, 0.99, 0.98, 1.0, 1.02, 1.43])
# Whole-year IOP targets where the Ley de Ingresos figure is published.
CONTRIBUTION_TARGET = {2019: 343_865}


def cents_exact(values: np.ndarray, total_mdp: float) -> np.ndarray:
    """MDP amounts rounded to the cent whose sum is exactly `total_mdp` to the cent."""
    return exact_round(values, round(total_mdp * 100)) / 100


def contributions(ctx: Context) -> np.ndarray:
    tl = ctx.tl
    rng = ctx.rng("finanzas.iop")
    covid = 1 - 0.12 * (1 - ctx.tl.covid())
    raw = annual_levels(tl, CONTRIBUTIONS, 0.08) / 12 * CONTRIBUTION_SEASON[tl.month - 1] * covid
    raw *= np.exp(rng.normal(0, 0.01, len(tl)))
    out = np.round(raw, 2)
    for year in EXACT_YEARS:
        mask = tl.year == year
        if mask.sum() == 12:
            out[mask] = cents_exact(raw[mask], CONTRIBUTIONS[year])
    return out


def generate(ctx: Context) -> pd.DataFrame:
    tl, rng = ctx.tl, ctx.rng("finanzas")
    n = len(tl)
    iop = contributions(ctx)
    federal = annual_levels(tl, FEDERAL, 0.075) / 12 * np.exp(rng.normal(0, 0.03, n))
    other = annual_levels(tl, {2019: 42_000.0}, 0.05) / 12 * np.exp(rng.normal(0, 0.15, n))
    budget = annual_levels(tl, BUDGET, 0.07) / 12 * BUDGET_SEASON[tl.month - 1] / BUDGET_SEASON.mean()
    spent_rate = np.clip(0.972 + rng.normal(0, 0.018, n) - 0.02 * (tl.year == 2020), 0.9, 1.01)
    reserves = interpolate_anchors(tl, RESERVES) * np.exp(rng.normal(0, 0.004, n))
    return pd.DataFrame(
        {
            "periodo": np.array(tl.periods, dtype="datetime64[D]"),
            "ingresos_obrero_patronales": iop,
            "ingresos_totales": np.round(iop + federal + other, 2),
            "presupuesto_autorizado": np.round(budget, 2),
            "presupuesto_ejercido": np.round(budget * spent_rate, 2),
            "reservas_saldo": np.round(reserves, 2),
        }
    )
