"""avance_proyectos: plausible monthly progress (%) of the 49 strategic projects (invented).

The projects were defined in January 2020; each one advances along an S-curve to its own
planned end (two to five years), and about one in four stalls for good before it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from data.demo.context import Context
from warehouse.config import CATALOG_DIR

START = date(2020, 1, 1)


def generate(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng("avance_proyectos")
    codes = pd.read_csv(CATALOG_DIR / "proyectos_estrategicos.csv", dtype=str)["cve_proyecto"].tolist()
    months = [p for p in ctx.tl.periods if p >= START]
    elapsed = np.arange(1, len(months) + 1, dtype=float)
    rows = []
    for code in codes:
        planned = rng.uniform(24, 60)
        s_curve = 1 / (1 + np.exp(-8 * (elapsed / planned - 0.5)))
        low, high = 1 / (1 + np.exp(4)), 1 / (1 + np.exp(-4))  # the curve at the start and the end
        curve = np.clip(100 * (s_curve - low) / (high - low), 0, 100)
        if rng.random() < 1 / 4:  # stalled from some month before its planned end
            stop = int(rng.integers(6, max(7, int(planned))))
            curve[stop:] = curve[stop]
        rows.append(
            pd.DataFrame(
                {
                    "cve_proyecto": code,
                    "periodo": np.array(months, dtype="datetime64[D]"),
                    "avance": np.round(np.maximum.accumulate(curve)),
                    "comentario": None,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
