"""guarderias: daycare units, installed places (published Dec 2018/2019 stocks) and children."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo.context import Context
from data.demo.geo import performance
from data.demo.series import allocate, interpolate_anchors

UNITS = {(2017, 12): 1_366, (2018, 12): 1_362, (2019, 12): 1_358, (2020, 12): 1_349, (2021, 12): 1_331,
         (2022, 12): 1_318, (2023, 12): 1_306, (2024, 12): 1_311, (2025, 12): 1_326, (2026, 12): 1_342}  # fmt: skip
PLACES = {(2017, 12): 225_016, (2018, 12): 229_570, (2019, 12): 254_339, (2020, 12): 256_106,
          (2021, 12): 255_214, (2022, 12): 252_630, (2023, 12): 251_187, (2024, 12): 253_402,
          (2025, 12): 258_115, (2026, 12): 262_480}  # fmt: skip
# Enrolment dips in August when children move on to preschool.
ENROL_SEASON = np.array([0.0, 0.005, 0.008, 0.01, 0.01, 0.008, 0.0, -0.045, -0.025, -0.012, -0.005, -0.01])
# Enrolment after the 2020 closures, as a share of normal.
ENROL_COVID = {(2020, 3): 0.93, (2020, 4): 0.45, (2020, 5): 0.43, (2020, 6): 0.46, (2020, 7): 0.5,
               (2020, 8): 0.52, (2020, 9): 0.55, (2020, 10): 0.58, (2020, 11): 0.6, (2020, 12): 0.6,
               (2021, 1): 0.6, (2021, 6): 0.7, (2021, 12): 0.78, (2022, 6): 0.86, (2022, 12): 0.92,
               (2023, 6): 0.97, (2023, 12): 1.0}  # fmt: skip


def _covid(ctx: Context) -> np.ndarray:
    tl = ctx.tl
    anchors = {(2018, 1): 1.0, (2020, 2): 1.0, **ENROL_COVID}
    return interpolate_anchors(tl, anchors)


def generate(ctx: Context) -> pd.DataFrame:
    tl, geo, rng = ctx.tl, ctx.geo, ctx.rng("guarderias")
    jobs = ctx.wide("afiliacion", "puestos_trabajo").astype(float)
    place_weight = jobs * np.exp(rng.normal(0, 0.12, len(geo)))[None, :]
    places = allocate(np.rint(interpolate_anchors(tl, PLACES)), place_weight)
    units = allocate(
        np.rint(interpolate_anchors(tl, UNITS)), place_weight * np.exp(rng.normal(0, 0.12, len(geo)))
    )
    units = np.maximum(units, 3)

    level = performance(rng, len(geo), 0.905, 0.85, 0.79)[None, :]
    rate = (level + ENROL_SEASON[tl.month - 1][:, None]) * _covid(ctx)[:, None]
    rate = np.clip(rate + rng.normal(0, 0.008, rate.shape), 0.2, 0.99)
    enrolled = np.rint(places * rate).astype(np.int64)
    return ctx.long({"unidades": units, "capacidad_instalada": places, "ninos_inscritos": enrolled})
