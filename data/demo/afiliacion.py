"""afiliacion: insured jobs (the real national series, split by OOAD), employers, wages."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from data.demo.context import Context
from data.demo.geo import EVENTUAL, FAMILY, JOB_SHARE_GROWTH, TOURISM, WAGE
from data.demo.series import allocate, interpolate_anchors
from data.demo.timeline import Timeline
from warehouse.config import DATA_DIR

JOBS_CSV = DATA_DIR / "puestos_nacionales.csv"

# Typical month-on-month change of national jobs, used after the real series ends.
JOB_SEASON = np.array([0.004, 0.007, 0.002, 0.001, -0.001, -0.001, 0.003, 0.002, 0.005, 0.009,
                       0.002, -0.015])  # fmt: skip

# Average daily SBC (pesos) each January; within the year it creeps up 0.4 % a month.
SBC_JANUARY = {2018: 380.0, 2019: 401.0, 2020: 424.0, 2021: 451.0, 2022: 482.0, 2023: 531.0,
               2024: 584.0, 2025: 626.0, 2026: 663.0}  # fmt: skip

EMPLOYERS_DEC = {2017: 955_800, 2018: 978_277, 2019: 1_001_793, 2020: 1_007_412, 2021: 1_037_236,
                 2022: 1_049_814, 2023: 1_067_305, 2024: 1_075_928, 2025: 1_086_417, 2026: 1_097_530}  # fmt: skip
ENROLLED_DEC = {2017: 68_710_000, 2018: 69_482_000, 2019: 70_361_000, 2020: 69_655_000,
                2021: 70_724_000, 2022: 71_946_000, 2023: 72_983_000, 2024: 73_851_000,
                2025: 74_622_000, 2026: 75_304_000}  # fmt: skip


def _dec_anchors(tl: Timeline, values: Mapping[int, float], growth: float) -> dict[tuple[int, int], float]:
    years = range(min(values), max(tl.years) + 2)
    out: dict[tuple[int, int], float] = {}
    last = max(values)
    for y in years:
        out[(y, 12)] = values.get(y, values[last] * (1 + growth) ** (y - last))
    return out


def national_jobs(tl: Timeline) -> tuple[np.ndarray, np.ndarray]:
    """Total and eventual national jobs per month: the real series, extended plausibly.

    Where the series lacks the eventual split (2018, and after its last month) the eventual
    share of the same month a year later (2018) or earlier is used.
    """
    real = pd.read_csv(JOBS_CSV, dtype={"periodo": str}).set_index("periodo")
    keys = [f"{p:%Y-%m}" for p in tl.periods]
    total = np.zeros(len(tl), dtype=np.int64)
    for t, key in enumerate(keys):
        if key in real.index:
            total[t] = int(real.at[key, "puestos_trabajo_afiliados"])
        else:
            total[t] = round(total[t - 1] * (1 + JOB_SEASON[tl.periods[t].month - 1]))
    given = real["eventuales"].reindex(keys).to_numpy()
    share = given / total
    for t in [*range(len(tl) - 1, -1, -1)]:
        if np.isnan(share[t]) and t + 12 < len(tl) and tl.periods[t].year == 2018:
            share[t] = share[t + 12]
    for t in range(len(tl)):
        if np.isnan(share[t]):
            share[t] = share[t - 12]
    eventual = np.where(np.isnan(given), np.rint(total * share), given).astype(np.int64)
    return total, eventual


def _sbc(tl: Timeline) -> np.ndarray:
    last = max(SBC_JANUARY)
    jan = {y: SBC_JANUARY.get(y, SBC_JANUARY[last] * 1.06 ** (y - last)) for y in tl.years}
    return np.array([jan[y] for y in tl.year]) * (1 + 0.004 * (tl.month - 1))


def _special_programs(tl: Timeline) -> np.ndarray:
    fy = tl.fractional_year()
    base = 395_000 * 1.02**fy
    months = tl.year * 12 + tl.month - 1
    domestic = np.clip((months - (2019 * 12 + 3)) / 84, 0, None) * 60_000 + (months >= 2019 * 12 + 3) * 2_000
    platforms = np.where(months >= 2025 * 12 + 6, 1_020_000 * 1.012 ** (months - (2025 * 12 + 6)), 0)
    return np.rint(base + domestic + platforms).astype(np.int64)


def generate(ctx: Context) -> pd.DataFrame:
    tl, geo, rng = ctx.tl, ctx.geo, ctx.rng("afiliacion")
    shape = (len(tl), len(geo))
    fy = tl.fractional_year()[:, None]
    tourism_dip = 1 - geo.trait(TOURISM, 0.0)[None, :] * (1 - tl.covid()[:, None]) / 0.48
    trend = np.exp(geo.trait(JOB_SHARE_GROWTH, 0.0)[None, :] * fy + rng.normal(0, 0.003, len(geo)) * fy)
    wander = np.exp(np.cumsum(rng.normal(0, 0.0008, shape), axis=0))
    job_weight = geo.jobs[None, :] * trend * tourism_dip * wander

    total, eventual_nat = national_jobs(tl)
    jobs = allocate(total, job_weight)
    eventual_weight = jobs * geo.trait(EVENTUAL, 1.0)[None, :] * np.exp(rng.normal(0, 0.08, len(geo)))
    eventual = allocate(eventual_nat, eventual_weight)

    with_salary = np.rint(jobs * rng.uniform(0.9965, 0.9995, len(geo))[None, :]).astype(np.int64)
    wage = geo.trait(WAGE, 0.92)[None, :] * np.exp(rng.normal(0, 0.008, len(geo))[None, :] * fy)
    national_sbc = _sbc(tl)[:, None]
    avg_factor = (with_salary * wage).sum(axis=1, keepdims=True) / with_salary.sum(axis=1, keepdims=True)
    wage_mass = np.round(with_salary * wage * national_sbc / avg_factor, 2)

    insured = np.rint(jobs * rng.uniform(1.04, 1.09, len(geo))[None, :]).astype(np.int64)
    covid_firms = 1 - 0.05 * (1 - tl.covid())
    employers_nat = np.rint(interpolate_anchors(tl, _dec_anchors(tl, EMPLOYERS_DEC, 0.01)) * covid_firms)
    employers = allocate(employers_nat, jobs * np.exp(rng.normal(0, 0.2, len(geo)))[None, :])
    enrolled_nat = np.rint(interpolate_anchors(tl, _dec_anchors(tl, ENROLLED_DEC, 0.009)))
    enrolled = allocate(enrolled_nat, jobs * geo.trait(FAMILY, 1.0)[None, :])
    special = allocate(_special_programs(tl), jobs * np.exp(rng.normal(0, 0.15, len(geo)))[None, :])

    return ctx.long(
        {
            "puestos_trabajo": jobs,
            "puestos_permanentes": jobs - eventual,
            "puestos_eventuales": eventual,
            "puestos_con_salario": with_salary,
            "masa_salarial": wage_mass,
            "asegurados": insured,
            "patrones": employers,
            "poblacion_derechohabiente_adscrita": enrolled,
            "asegurados_programas_especiales": special,
        }
    )
