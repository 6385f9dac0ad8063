"""«¿Llegaremos a la meta?»: a KPI's year-end value projected from its own monthly history.

The model is statsmodels' ETS (error, trend and seasonality by exponential smoothing): additive
error, damped additive trend and, with two years of history or more, additive 12-month
seasonality — on the logarithm of positive series, so the seasonal swings scale with the level. Its simulated future paths give the interval and the probability of reaching the
yearly meta; nothing here is hand-written statistics.

Flows add the months still to come to the months observed; stocks take December's projected
level. Ratios are not projected (their numerator and denominator would need a joint model).

A projection is judged against the year's meta (`year_meta`, the rule `annual_meta_rule` states
for the ficha) and is shown only when it can be trusted (`guard`): with at least MIN_MONTHS months
since the series' last level shift, and an interval within PLAUSIBLE of the meta. Otherwise the
result is `Unreliable`, with the reason in words, and no number is shown.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indicators.definitions import DOWN, FLOW, RATIO, STOCK, Kpi
from warehouse.settings import one_math_thread

if TYPE_CHECKING:
    from indicators.results import Results

one_math_thread()  # before statsmodels (and scipy) load, in fit()

Db = Path | str | None

LEVEL = 0.90  # the interval shown: 5th to 95th percentile of the simulated year ends
PATHS = 1000
SEED = 20_240
MIN_MONTHS = 12  # fewer months since the last level shift: «proyección no confiable»
SEASONAL_MONTHS = 24  # from two full years on, the model is seasonal
SHIFT = 0.25  # a level shift: the median level moves by more than 25 % (up) or 20 % (down) …
SHIFT_WINDOW = 6  # … between the six months before a month and the six from it,
SHIFT_CONFIRM = 3  # … with at least three months on each side (one odd month is not a shift)
PLAUSIBLE = (0.5, 2.0)  # an interval reaching outside 50–200 % of the meta is not believed


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

    simulaciones: int = PATHS

    def share(self, x: float | None) -> float | None:
        """x as a fraction of the meta (the card reads «96 % de la meta»)."""
        return None if x is None or not self.meta else x / self.meta

    @property
    def reaching(self) -> int | None:
        """How many of the simulated years reach the meta (the probability, counted)."""
        return None if self.probabilidad is None else round(self.probabilidad * self.simulaciones)


@dataclass(frozen=True)
class Unreliable:
    """A year end that is not projected as a number, and why («proyección no confiable»)."""

    kpi: str
    anio: int
    hasta: date  # last observed month
    meta: float | None
    motivo: str  # Spanish, for people: «la serie cambió de nivel en julio 2025 (+210 %) …»


Projection = YearEnd | Unreliable


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


def level_shift(y: pd.Series) -> tuple[pd.Timestamp, float] | None:
    """The series' last level shift: (the month the new level starts, its relative change), or None.

    A month starts a new level when the median of the SHIFT_WINDOW months from it differs from the
    median of the SHIFT_WINDOW months before it by more than SHIFT (on the logarithm, so +25 % and
    −20 % weigh the same), with SHIFT_CONFIRM months at least on each side. Consecutive such months
    are one shift, dated at its largest single-month jump. Only positive series are examined.
    """
    v = y.to_numpy(dtype="float64")
    if len(v) < 2 * SHIFT_CONFIRM or not (v > 0).all():
        return None
    logs = np.log(v)
    limit = np.log1p(SHIFT)
    steps = {}
    for t in range(SHIFT_CONFIRM, len(v) - SHIFT_CONFIRM + 1):
        moved = np.median(logs[t : t + SHIFT_WINDOW]) - np.median(logs[max(0, t - SHIFT_WINDOW) : t])
        if abs(moved) > limit:
            steps[t] = moved
    if not steps:
        return None
    run = [max(steps)]  # the last run of consecutive months that move the level
    while run[-1] - 1 in steps:
        run.append(run[-1] - 1)
    t = max(run, key=lambda i: abs(logs[i] - logs[i - 1]))
    return y.index[t], float(np.expm1(steps[t]))


def _month_words(day: date) -> str:
    from indicators.periods import MONTHS_ES

    return f"{MONTHS_ES[day.month - 1]} {day.year}"


def guard(y: pd.Series, meta: float | None, interval: tuple[float, float] | None = None) -> str | None:
    """Why a projection from `y` (already cut at its last level shift) cannot be trusted, or None.

    Before the model runs (`interval` None): too few months. After it: an interval that reaches
    outside PLAUSIBLE of the meta (a model that cannot tell 50 % from 200 % of the meta is not
    telling anything, and such a spread usually means the meta and the series disagree).
    """
    if interval is None:
        if len(y) >= MIN_MONTHS:
            return None
        months = "1 mes" if len(y) == 1 else f"{len(y)} meses"
        shift = y.attrs.get("cambio")
        if shift is None:
            return (
                f"hay {months} de datos (desde {_month_words(y.index[0].date())}) y se necesitan {MIN_MONTHS}"
            )
        return (
            f"la serie cambió de nivel en {_month_words(shift[0].date())} ({shift[1] * 100:+,.0f} %): "
            f"desde entonces hay {months} de datos y se necesitan {MIN_MONTHS}"
        )
    if meta is None or meta <= 0:
        return None
    low, high = (x / meta for x in interval)
    if low >= PLAUSIBLE[0] and high <= PLAUSIBLE[1]:
        return None
    return (
        f"su intervalo ({low * 100:,.0f}–{high * 100:,.0f} % de la meta anual de {meta:,.0f}) sale del rango "
        f"creíble de {PLAUSIBLE[0] * 100:.0f}–{PLAUSIBLE[1] * 100:.0f} %"
    )


def _recent(y: pd.Series) -> pd.Series:
    """The months since the series' last level shift (all of them without one)."""
    shift = level_shift(y)
    if shift is None:
        return y
    cut = y[y.index >= shift[0]].copy()
    cut.attrs["cambio"] = shift
    return cut


def project_year_end(
    kpi: Kpi, history: pd.DataFrame | pd.Series, meta: float | None, paths: int = PATHS
) -> Projection | None:
    """Project the KPI's value at the end of the year of its last observed month.

    `history` is the monthly series (periodo, valor) up to the month the projection is made
    from; `meta` is the year's target (`year_meta`). The model sees the months since the series'
    last level shift. None when the KPI is not projectable, there is no history or the year is
    already complete; `Unreliable` when the projection cannot be trusted (`guard`).
    """
    y = _series(history)
    if not projectable(kpi) or y.empty:
        return None
    last = y.index[-1].date()
    remaining = 12 - last.month
    if remaining == 0:
        return None
    y = _recent(y)
    why = guard(y, meta)
    if why is not None:
        return Unreliable(kpi.id, last.year, last, meta, why)
    sims = simulate(y, remaining, paths)
    this_year = y[y.index.year == last.year]  # a shift this year leaves fewer than MIN_MONTHS: guarded
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
    low, high = float(np.quantile(ends, tail)), float(np.quantile(ends, 1 - tail))
    why = guard(y, meta, (low, high))
    if why is not None:
        return Unreliable(kpi.id, last.year, last, meta, why)
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
        inferior=low,
        superior=high,
        meta=meta,
        probabilidad=probability,
        ritmo_necesario=needed,
        ritmo_proyectado=paced,
        mensual=monthly,
        simulaciones=paths,
    )


__all__ = [
    "LEVEL",
    "Projection",
    "Unreliable",
    "YearEnd",
    "fit",
    "guard",
    "level_shift",
    "project_year_end",
    "projectable",
    "simulate",
]


# --- from the warehouse ----------------------------------------------------------------------

HISTORY_MONTHS = 120  # the model sees at most ten years


ANNUAL_META_RULES = {
    FLOW: "la suma de las doce metas mensuales del año (sin meta anual si falta alguna)",
    STOCK: "la meta de diciembre, la misma que la tarjeta muestra para diciembre",
    RATIO: "la tasa meta de diciembre, la que la tarjeta muestra para el año "
    "(las metas de las razones son tasas, no numerador y denominador)",
}


def annual_meta_rule(kpi: Kpi) -> str:
    """The ficha's sentence for the year's meta a projection is judged against («La suma de …»)."""
    rule = ANNUAL_META_RULES[kpi.agregacion]
    return f"{rule[0].upper()}{rule[1:]}."


def year_meta(kpi: Kpi, year: int, ambito: str = "nacional", db: Db = None) -> float | None:
    """The year's meta by `ANNUAL_META_RULES`, at the scope as a card takes it (`_card_meta`).

    Flows: the sum of the twelve monthly metas, None unless all twelve are loaded; stocks and
    ratios: December's, None without it.
    """
    from warehouse import query_rows

    january, december = date(year, 1, 1), date(year, 12, 1)
    if kpi.agregacion != FLOW:
        return _card_meta(kpi, december, december, ambito, db)
    months = query_rows(
        "SELECT count(DISTINCT periodo) FROM metas WHERE kpi = ? AND year(periodo) = ? AND (ambito = ? "
        "OR ambito IN (SELECT 'ooad:' || cve_ooad FROM ooad WHERE 'entidad:' || cve_entidad = ?))",
        [kpi.id, year, ambito, ambito],
        db,
    )[0][0]
    return _card_meta(kpi, january, december, ambito, db) if months == 12 else None


def _card_meta(kpi: Kpi, start: date, end: date, ambito: str, db: Db) -> float | None:
    """The meta a card shows for the months start..end at the scope, by the engine's own rule
    (summed for flows, the last month's for stocks and ratios; a state's additive meta is the sum
    of its OOAD's; a ratio without its own takes the national rate)."""
    from indicators import engine

    scope = engine._scope(ambito)
    metas = engine._metas([kpi], start, end, [scope.code, engine.NATIONAL.code], db)
    if scope.level == "entidad":
        metas = engine._state_metas([kpi], start, end, db) | metas
    return engine._meta_for(kpi, scope.code, metas)


def year_end(
    kpi_id: str, periodo: str, ambito: str = "nacional", db: Db = None, table: Results | None = None
) -> Projection | None:
    """The projection of a KPI's year end as of the period's last month with data (or why it cannot
    be trusted), or None.

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


__all__ += ["ANNUAL_META_RULES", "annual_meta_rule", "year_end", "year_meta"]
