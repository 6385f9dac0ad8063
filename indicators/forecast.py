"""«¿Llegaremos a la meta?»: a KPI's year-end value projected from its own monthly history.

The model is statsmodels' ETS (error, trend and seasonality by exponential smoothing): additive
error, damped additive trend and, with two years of history or more, additive 12-month
seasonality — on the logarithm of positive series, so the seasonal swings scale with the level. Its simulated future paths give the interval and the probability of reaching the
yearly meta; nothing here is hand-written statistics.

Flows add the months still to come to the months observed; stocks take December's projected
level. Ratios are not projected (their numerator and denominator would need a joint model).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indicators.definitions import DOWN, FLOW, STOCK, Kpi
from warehouse.settings import one_math_thread

if TYPE_CHECKING:
    from indicators.results import Results

one_math_thread()  # before statsmodels (and scipy) load, in fit()

Db = Path | str | None

LEVEL = 0.90  # the interval shown: 5th to 95th percentile of the simulated year ends
PATHS = 1000
SEED = 20_240
MIN_MONTHS = 12  # fewer observed months: no projection
SEASONAL_MONTHS = 24  # from two full years on, the model is seasonal


@dataclass(frozen=True)
class YearEnd:
    """The projection of one KPI's year-end value, as of its last observed month."""

    kpi: str
    anio: int
    hasta: date  # last observed month
    meses_restantes: int
    observado: float  # flows: sum of the year's observed months; stocks: the last level
    proyeccion: float
    inferior: float
    superior: float
    meta: float | None
    probabilidad: float | None  # of reaching the meta (at or below it for descending KPIs)
    ritmo_necesario: float | None  # flows: monthly value needed; stocks: monthly change needed
    ritmo_proyectado: float  # the same quantity as the model projects it
    mensual: pd.DataFrame  # periodo, pronostico, inferior, superior (months still to come)

    def share(self, x: float | None) -> float | None:
        """x as a fraction of the meta (the card reads «96 % de la meta»)."""
        return None if x is None or not self.meta else x / self.meta


def projectable(kpi: Kpi) -> bool:
    """Monthly flows and stocks are projected; ratios, percentages and yearly surveys are not."""
    return kpi.agregacion in (FLOW, STOCK) and kpi.frecuencia == "mensual" and kpi.unidad != "%"


def fit(history: pd.Series):
    """The fitted ETS results for a monthly series (DatetimeIndex with month-start frequency)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = history.astype("float64").asfreq("MS")
    seasonal = len(y) >= SEASONAL_MONTHS
    model = ETSModel(
        y,
        error="add",
        trend="add",
        damped_trend=True,
        seasonal="add" if seasonal else None,
        seasonal_periods=12 if seasonal else None,
        initialization_method="heuristic" if seasonal else "estimated",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short or flat series
        return model.fit(disp=False, maxiter=200)


def simulate(history: pd.Series, steps: int, paths: int = PATHS) -> np.ndarray:
    """Simulated future paths, shape (steps, paths), from the model fitted on `history`.

    A positive series is modelled on its logarithm, so that its seasonal swings grow with its
    level (a December dip of 20 % stays 20 % as the series grows) and paths never go negative.
    """
    y = history.astype("float64")
    positive = bool((y > 0).all())
    results = fit(np.log(y) if positive else y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sims = results.simulate(steps, anchor="end", repetitions=paths, rng=np.random.default_rng(SEED))
    sims = np.asarray(sims, dtype="float64").reshape(steps, paths)
    return np.exp(sims) if positive else sims


def _series(history: pd.DataFrame | pd.Series) -> pd.Series:
    if isinstance(history, pd.DataFrame):
        history = pd.Series(history["valor"].to_numpy(), index=pd.to_datetime(history["periodo"]))
    y = history.dropna().sort_index()
    if y.empty:
        return y
    y = y.asfreq("MS")
    if y.isna().any():  # a month missing: the model sees the unbroken run of months after it
        y = y[y.index > y[y.isna()].index[-1]]
    return y


def project_year_end(
    kpi: Kpi, history: pd.DataFrame | pd.Series, meta: float | None, paths: int = PATHS
) -> YearEnd | None:
    """Project the KPI's value at the end of the year of its last observed month.

    `history` is the monthly series (periodo, valor) up to the month the projection is made
    from; `meta` is the year's target (flows: the yearly sum; stocks: December's). None when
    the KPI is not projectable, the history is too short or the year is already complete.
    """
    y = _series(history)
    if not projectable(kpi) or len(y) < MIN_MONTHS:
        return None
    last = y.index[-1].date()
    remaining = 12 - last.month
    if remaining == 0:
        return None
    sims = simulate(y, remaining, paths)
    this_year = y[y.index.year == last.year]
    if kpi.agregacion == FLOW:
        observed = float(this_year.sum())
        ends = observed + sims.sum(axis=0)
        paced = float(np.median(sims.sum(axis=0))) / remaining
        needed = None if meta is None else (meta - observed) / remaining
    else:
        observed = float(y.iloc[-1])
        ends = sims[-1]
        paced = (float(np.median(ends)) - observed) / remaining
        needed = None if meta is None else (meta - observed) / remaining
    tail = (1 - LEVEL) / 2
    probability = None
    if meta is not None:
        probability = float(np.mean(ends <= meta if kpi.sentido == DOWN else ends >= meta))
    months = pd.date_range(pd.Timestamp(last) + pd.offsets.MonthBegin(1), periods=remaining, freq="MS")
    monthly = pd.DataFrame(
        {
            "periodo": months,
            "pronostico": np.median(sims, axis=1),
            "inferior": np.quantile(sims, tail, axis=1),
            "superior": np.quantile(sims, 1 - tail, axis=1),
        }
    )
    return YearEnd(
        kpi=kpi.id,
        anio=last.year,
        hasta=last,
        meses_restantes=remaining,
        observado=observed,
        proyeccion=float(np.median(ends)),
        inferior=float(np.quantile(ends, tail)),
        superior=float(np.quantile(ends, 1 - tail)),
        meta=meta,
        probabilidad=probability,
        ritmo_necesario=needed,
        ritmo_proyectado=paced,
        mensual=monthly,
    )


__all__ = ["LEVEL", "YearEnd", "fit", "project_year_end", "projectable", "simulate"]


# --- from the warehouse ----------------------------------------------------------------------

HISTORY_MONTHS = 120  # the model sees at most ten years


def year_meta(kpi: Kpi, year: int, ambito: str = "nacional", db: Db = None) -> float | None:
    """The year's target: the sum of the twelve monthly metas (flows) or December's (stocks).

    None when the warehouse does not hold the whole year's targets.
    """
    from warehouse import query_rows

    total, months, december = query_rows(
        "SELECT sum(valor), count(*), max(valor) FILTER (WHERE month(periodo) = 12) FROM metas "
        "WHERE kpi = ? AND ambito = ? AND year(periodo) = ?",
        [kpi.id, ambito, year],
        db,
    )[0]
    if kpi.agregacion == FLOW:
        return float(total) if months == 12 else None
    return None if december is None else float(december)


def year_end(
    kpi_id: str, periodo: str, ambito: str = "nacional", db: Db = None, table: Results | None = None
) -> YearEnd | None:
    """The projection of a KPI's year end as of the period's last month with data, or None.

    `table`: the data version's results (indicators/results.py); the history is read from it
    when it holds the KPI at that scope (the same values as the engine's), else from the engine.
    """
    from indicators import engine
    from indicators.catalog import get
    from indicators.periods import add_months, parse_period

    kpi = get(kpi_id)
    if not projectable(kpi):
        return None
    period = parse_period(periodo)
    held = table if table is not None and table.covers([kpi_id]) else None
    last = held.last.get(kpi.fuente) if held else engine.last_month_with_data(kpi, db)
    if last is None or period.start > last:
        return None
    asof = min(period.end, last)
    start = add_months(asof, -(HISTORY_MONTHS - 1))
    history = held.history(kpi_id, start, asof, ambito) if held else None
    if history is None:
        history = engine.series(kpi_id, start, asof, ambito, db)
    return project_year_end(kpi, history, year_meta(kpi, asof.year, ambito, db))


__all__ += ["year_end", "year_meta"]
