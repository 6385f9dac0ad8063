"""consultas_umae: the hospital measures of the 25 UMAE, carved out of their host OOAD.

A UMAE sits in the territory of one OOAD (catalog column `cve_ooad`) and its activity is part
of that OOAD's figures. The demo gives each UMAE a share of its host's specialty consultations,
emergencies, surgeries and bed-days, so that for every month and measure the UMAE of an OOAD
add up to at most the OOAD (the rest are the OOAD's own second-level hospitals). OOAD, region
and national figures are untouched, so the published totals stay exact.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from data.demo.context import Context
from warehouse.config import CATALOG_DIR

# Share of the host OOAD's activity its UMAE take together, by measure (before noise).
SHARE_PER_UMAE, SHARE_MAX = 0.16, 0.5
MEASURE_FACTOR = {
    "consultas_especialidades": 1.0,
    "consultas_urgencias": 0.35,
    "intervenciones_quirurgicas": 1.0,
}
BED_FACTOR = 0.9
# Third-level hospitals run fuller than the average second-level one.
UMAE_OCCUPANCY = (0.9, 0.82, 0.75)  # good, weak, bad level
UMAE_TIMELY = (0.93, 0.86, 0.78)
COLUMNS = (
    "consultas_especialidades",
    "consultas_urgencias",
    "intervenciones_quirurgicas",
    "cirugias_programadas",
    "cirugias_oportunas",
    "dias_cama_ocupados",
    "dias_cama_disponibles",
)


def catalog() -> list[dict[str, str]]:
    """The UMAE catalog rows (code, name, complex, state, region, host OOAD)."""
    with open(CATALOG_DIR / "umae.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def cap(parts: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """Scale down (T x U) integer parts wherever their sum passes the (T,) whole, keeping integers."""
    total = parts.sum(axis=1)
    factor = np.where(total > whole, whole / np.maximum(total, 1), 1.0)
    return np.floor(parts * factor[:, None]).astype(np.int64)


def _level(rng: np.random.Generator, n: int, levels: tuple[float, float, float]) -> np.ndarray:
    draw = rng.random(n)
    return np.where(draw < 0.6, levels[0], np.where(draw < 0.85, levels[1], levels[2]))


def generate(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng("consultas_umae")
    rows = catalog()
    codes = [r["cve_umae"] for r in rows]
    hosts = np.array([ctx.geo.codes.index(r["cve_ooad"]) for r in rows])
    per_host = np.bincount(hosts, minlength=len(ctx.geo))[hosts]
    share = (
        np.minimum(SHARE_MAX, SHARE_PER_UMAE * per_host) / per_host * np.exp(rng.normal(0, 0.15, len(rows)))
    )
    t = len(ctx.tl)
    noise = np.exp(rng.normal(0, 0.03, (t, len(rows))))

    def carve(column: str, factor: float) -> np.ndarray:
        host = ctx.wide("consultas", column)[:, hosts]
        parts = np.floor(host * share[None, :] * factor * noise).astype(np.int64)
        return _capped(parts, ctx.wide("consultas", column))

    def _capped(parts: np.ndarray, whole: np.ndarray) -> np.ndarray:
        out = parts.copy()
        for h in np.unique(hosts):
            mask = hosts == h
            out[:, mask] = cap(parts[:, mask], whole[:, h])
        return out

    out = {c: carve(c, f) for c, f in MEASURE_FACTOR.items()}
    scheduled = np.floor(out["intervenciones_quirurgicas"] * rng.uniform(0.6, 0.72, len(rows))).astype(
        np.int64
    )
    out["cirugias_programadas"] = _capped(scheduled, ctx.wide("consultas", "cirugias_programadas"))
    timely_rate = np.clip(
        _level(rng, len(rows), UMAE_TIMELY)[None, :] + rng.normal(0, 0.015, scheduled.shape), 0.5, 0.995
    )
    timely = np.floor(out["cirugias_programadas"] * timely_rate).astype(np.int64)
    out["cirugias_oportunas"] = _capped(timely, ctx.wide("consultas", "cirugias_oportunas"))
    available = carve("dias_cama_disponibles", BED_FACTOR)
    rate = np.clip(
        _level(rng, len(rows), UMAE_OCCUPANCY)[None, :] + rng.normal(0, 0.015, available.shape), 0.6, 0.99
    )
    out["dias_cama_disponibles"] = available
    out["dias_cama_ocupados"] = _capped(
        np.floor(available * rate).astype(np.int64), ctx.wide("consultas", "dias_cama_ocupados")
    )
    frame = pd.DataFrame(
        {
            "periodo": np.repeat(np.array(ctx.tl.periods, dtype="datetime64[D]"), len(rows)),
            "cve_umae": np.tile(np.array(codes, dtype=object), t),
        }
    )
    for column in COLUMNS:
        frame[column] = out[column].reshape(t * len(rows))
    return frame
