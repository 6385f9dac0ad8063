"""recetas: prescriptions issued (~190 M a year), filled complete, and refillable ones."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo.context import Context
from data.demo.geo import performance
from data.demo.series import allocate, drift, national_flow

ISSUED = {2018: 186e6, 2019: 190e6, 2020: 193e6, 2021: 195e6, 2022: 197e6, 2023: 199e6,
          2024: 201e6, 2025: 203e6, 2026: 205e6}  # fmt: skip
REFILLABLE = {2018: 4.1e6, 2019: 5.3e6, 2020: 8.9e6, 2021: 10.4e6, 2022: 11.0e6, 2023: 11.6e6,
              2024: 12.1e6, 2025: 12.5e6, 2026: 12.9e6}  # fmt: skip
# National complete-filling rate by year: the 2021-2022 shortage shows.
FILL_RATE = {2018: 0.0, 2019: 0.003, 2020: -0.006, 2021: -0.022, 2022: -0.014, 2023: -0.004,
             2024: 0.002, 2025: 0.004, 2026: 0.006}  # fmt: skip


def generate(ctx: Context) -> pd.DataFrame:
    tl, geo, rng = ctx.tl, ctx.geo, ctx.rng("recetas")
    shape = (len(tl), len(geo))
    enrolled = ctx.wide("afiliacion", "poblacion_derechohabiente_adscrita").astype(float)
    season = tl.care_season()
    issued_nat = national_flow(tl, ISSUED, season * tl.covid(0.55) * drift(rng, (len(tl),), 0.01))
    issued = allocate(
        issued_nat, enrolled * np.exp(rng.normal(0, 0.08, len(geo)))[None, :] * drift(rng, shape, 0.02)
    )
    refill_nat = national_flow(tl, REFILLABLE, season * drift(rng, (len(tl),), 0.03), growth=0.03)
    refillable = allocate(refill_nat, issued * np.exp(rng.normal(0, 0.2, len(geo)))[None, :])

    year_shift = np.array([FILL_RATE.get(y, 0.006) for y in tl.year])[:, None]
    level = performance(rng, len(geo), 0.986, 0.962, 0.915)[None, :]
    fill = np.clip(level + year_shift + rng.normal(0, 0.004, shape), 0.85, 0.997)
    filled = np.rint(issued * fill).astype(np.int64)
    return ctx.long(
        {"recetas_emitidas": issued, "recetas_surtidas_completas": filled, "recetas_resurtibles": refillable}
    )
