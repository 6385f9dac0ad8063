"""plazas: authorised and occupied staff positions (~450 thousand, ~96 % occupied)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo.context import Context
from data.demo.geo import performance
from data.demo.series import allocate, interpolate_anchors

AUTHORISED = {(2017, 12): 436_200, (2018, 12): 440_540, (2019, 12): 447_830, (2020, 12): 462_150,
              (2021, 12): 468_020, (2022, 12): 472_460, (2023, 12): 478_110, (2024, 12): 483_070,
              (2025, 12): 486_540, (2026, 12): 489_200}  # fmt: skip


def generate(ctx: Context) -> pd.DataFrame:
    tl, geo, rng = ctx.tl, ctx.geo, ctx.rng("plazas")
    enrolled = ctx.wide("afiliacion", "poblacion_derechohabiente_adscrita").astype(float)
    authorised = allocate(
        np.rint(interpolate_anchors(tl, AUTHORISED)), enrolled * np.exp(rng.normal(0, 0.1, len(geo)))[None, :]
    )
    level = performance(rng, len(geo), 0.968, 0.952, 0.928)[None, :]
    wander = np.cumsum(rng.normal(0, 0.0015, authorised.shape), axis=0)
    rate = np.clip(level + np.clip(wander, -0.012, 0.012), 0.85, 0.995)
    occupied = np.rint(authorised * rate).astype(np.int64)
    return ctx.long({"plazas_autorizadas": authorised, "plazas_ocupadas": occupied})
