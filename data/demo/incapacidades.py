"""incapacidades: sick-leave days (44 M in 2019, +4 % on 2018), certificates and spending."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo.context import Context
from data.demo.geo import performance
from data.demo.series import allocate, drift, national_flow

DAYS = {2018: 42.3e6, 2019: 44.0e6, 2020: 45.2e6, 2021: 46.0e6, 2022: 46.6e6, 2023: 47.1e6,
        2024: 47.8e6, 2025: 48.3e6, 2026: 48.8e6}  # fmt: skip
EXACT = {2018: round(44_000_000 / 1.04), 2019: 44_000_000}
# Respiratory season in winter, fewer certificates in the spring holidays.
SEASON = np.array([1.12, 1.05, 1.0, 0.92, 0.96, 0.97, 0.98, 1.0, 0.98, 1.0, 1.01, 1.01])
# Pandemic waves raised sick leave (COVID-19 certificates, the digital "permiso COVID").
WAVES = {(2020, 4): 1.12, (2020, 5): 1.3, (2020, 6): 1.55, (2020, 7): 1.6, (2020, 8): 1.4,
         (2020, 9): 1.22, (2020, 10): 1.2, (2020, 11): 1.3, (2020, 12): 1.5, (2021, 1): 1.7,
         (2021, 2): 1.35, (2021, 3): 1.1, (2021, 7): 1.3, (2021, 8): 1.45, (2021, 9): 1.2,
         (2022, 1): 1.65, (2022, 2): 1.2, (2022, 7): 1.15}  # fmt: skip
DAYS_PER_CERTIFICATE = 5.87
SUBSIDY_SHARE = 0.6  # of the daily SBC


def generate(ctx: Context) -> pd.DataFrame:
    tl, geo, rng = ctx.tl, ctx.geo, ctx.rng("incapacidades")
    shape = (len(tl), len(geo))
    waves = np.array([WAVES.get((p.year, p.month), 1.0) for p in tl.periods])
    national = national_flow(
        tl, DAYS, SEASON[tl.month - 1] * waves * drift(rng, (len(tl),), 0.015), exact=EXACT
    )
    jobs = ctx.wide("afiliacion", "puestos_trabajo").astype(float)
    # Some OOAD grant far more days per job: the ones the scorecard flags.
    rate = performance(rng, len(geo), 0.97, 1.06, 1.2)
    days = allocate(national, jobs * rate[None, :] * drift(rng, shape, 0.03))

    per_cert = DAYS_PER_CERTIFICATE * np.exp(rng.normal(0, 0.06, len(geo)))[None, :] * drift(rng, shape, 0.02)
    certificates = np.rint(days / per_cert).astype(np.int64)
    sbc = ctx.wide("afiliacion", "masa_salarial") / ctx.wide("afiliacion", "puestos_con_salario")
    spending = np.round(days * SUBSIDY_SHARE * sbc / 1e6, 4)
    return ctx.long(
        {
            "dias_incapacidad_eg": days,
            "certificados_incapacidad": certificates,
            "gasto_incapacidades": spending,
        }
    )
