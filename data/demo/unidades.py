"""consultas_unidad: each OOAD's consultations split among its medical units, to the unit.

Every OOAD has two second-level hospitals (HGZ: specialties, emergencies, surgery, beds) and
three family-medicine units (UMF: family medicine, PrevenIMSS checkups); the catalog is
data/catalogos/unidades.csv. For every month and measure the units of an OOAD add up EXACTLY to
its row of `consultas` (integer parts, the rounding remainder placed where it fits), so OOAD,
region and national figures, and with them the published totals, are the same read either way.
A unit reports only the measures of its level; the others are NULL. Within a unit timely
surgeries never exceed scheduled ones, nor occupied bed-days available ones.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from data.demo.context import Context
from warehouse.config import CATALOG_DIR

FIRST_LEVEL = ("consultas_medicina_familiar", "chequeos_prevenimss")  # UMF
SECOND_LEVEL = ("consultas_especialidades", "consultas_urgencias", "intervenciones_quirurgicas")  # HGZ
# (numerator, denominator) pairs split so that, unit by unit, numerator <= denominator
BOUNDED = (("cirugias_oportunas", "cirugias_programadas"), ("dias_cama_ocupados", "dias_cama_disponibles"))
COLUMNS = (
    "consultas_medicina_familiar",
    "consultas_especialidades",
    "consultas_urgencias",
    "intervenciones_quirurgicas",
    "cirugias_programadas",
    "cirugias_oportunas",
    "chequeos_prevenimss",
    "dias_cama_ocupados",
    "dias_cama_disponibles",
)
LEVEL_OF = {"UMF": FIRST_LEVEL, "HGZ": (*SECOND_LEVEL, *(c for pair in BOUNDED for c in pair))}


def catalog() -> list[dict[str, str]]:
    """The unit catalog rows (key, name, type UMF/HGZ, OOAD)."""
    with open(CATALOG_DIR / "unidades.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def split_exact(total: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(T,) integer totals split by (T, U) positive weights into (T, U) integers that sum to them."""
    share = weights / weights.sum(axis=1, keepdims=True)
    parts = np.floor(total[:, None] * share).astype(np.int64)
    parts[:, 0] += total.astype(np.int64) - parts.sum(axis=1)  # the remainder (< U) to the first unit
    return parts


def split_bounded(total: np.ndarray, upper: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """(T,) totals split into (T, U) integers that sum to them, each at most `upper` (T, U).

    Each unit starts at its bound times its own `rate` (T, U); the remainder is then added to (or
    taken from) the units with room, in order, so the total is exact whenever total <= upper.sum().
    """
    parts = np.minimum(np.floor(upper * rate).astype(np.int64), upper)
    left = total.astype(np.int64) - parts.sum(axis=1)
    for u in range(parts.shape[1]):
        room = np.where(left > 0, upper[:, u] - parts[:, u], parts[:, u])
        step = np.sign(left) * np.minimum(np.abs(left), room)
        parts[:, u] += step
        left -= step
    return parts


def generate(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng("consultas_unidad")
    rows = catalog()
    t = len(ctx.tl)
    out = {c: np.full((t, len(rows)), -1, dtype=np.int64) for c in COLUMNS}
    for o, code in enumerate(ctx.geo.codes):
        for tipo in ("UMF", "HGZ"):
            idx = [i for i, r in enumerate(rows) if r["cve_ooad"] == code and r["tipo"] == tipo]
            if not idx:
                continue
            size = rng.uniform(0.6, 1.4, len(idx))
            size[0] = size.max() * 1.2  # the first unit listed is the OOAD's largest
            columns = [c for c in LEVEL_OF[tipo] if c not in (n for n, _ in BOUNDED)]
            for column in columns:
                weights = size[None, :] * np.exp(rng.normal(0, 0.03, (t, len(idx))))
                out[column][:, idx] = split_exact(ctx.wide("consultas", column)[:, o], weights)
            if tipo == "HGZ":
                for numerator, denominator in BOUNDED:
                    whole = ctx.wide("consultas", numerator)[:, o]
                    mean = whole / np.maximum(ctx.wide("consultas", denominator)[:, o], 1)
                    spread = rng.uniform(0.94, 1.04, len(idx))[None, :] + rng.normal(0, 0.01, (t, len(idx)))
                    rate = np.clip(mean[:, None] * spread, 0, 1)
                    out[numerator][:, idx] = split_bounded(whole, out[denominator][:, idx], rate)
    frame = pd.DataFrame(
        {
            "periodo": np.repeat(np.array(ctx.tl.periods, dtype="datetime64[D]"), len(rows)),
            "cve_unidad": np.tile(np.array([r["cve_unidad"] for r in rows], dtype=object), t),
        }
    )
    for column in COLUMNS:
        values = out[column].reshape(t * len(rows))
        frame[column] = pd.array(np.where(values < 0, 0, values), dtype="Int64")
        frame.loc[values < 0, column] = pd.NA  # a measure the unit's level does not report
    return frame
