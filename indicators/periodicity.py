"""A KPI's periods in its own terms: «octubre 2026» (monthly), «T3 2026» (quarterly), «Encuesta 2026» (annual).

The catalog declares each KPI's `frecuencia` (and, for annual or quarterly KPIs, `periodo_nombre`,
what one period is called). A screen filtered by month still shows an annual KPI's figure as the
year's («Encuesta 2026»): the engine gives such a KPI's `desde`/`hasta` as the months of the
period its figure comes from (the whole survey year), and every label is made here, so cards,
trend charts, the report and the CLI name the period alike.
"""

from __future__ import annotations

from datetime import date

from indicators.definitions import ANNUAL, QUARTERLY, Kpi
from indicators.periods import MONTHS_ES, parse_period

MONTHS_SHORT = tuple(m[:3] for m in MONTHS_ES)

# (adjective for a trend, one point, several points)
_WORDS = {
    ANNUAL: ("anual", "año", "años"),
    QUARTERLY: ("trimestral", "trimestre", "trimestres"),
}
_SURVEY_POINTS = ("encuesta", "encuestas")  # an annual KPI named «Encuesta …» counts surveys


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _months(desde: str, hasta: str) -> tuple[date, date]:
    return parse_period(desde).start, parse_period(hasta).start


def point_label(kpi: Kpi, d: date) -> str:
    """One point of a trend: «oct 2026», «T3 2026», «2026»."""
    if kpi.frecuencia == ANNUAL:
        return f"{d.year}"
    if kpi.frecuencia == QUARTERLY:
        return f"T{_quarter(d)} {d.year}"
    return f"{MONTHS_SHORT[d.month - 1]} {d.year}"


def _named(kpi: Kpi, text: str) -> str:
    return f"{kpi.periodo_nombre} {text}" if kpi.periodo_nombre else text


def period_name(kpi: Kpi, desde: str, hasta: str) -> str:
    """The period a figure comes from, in words: «octubre 2026», «enero a octubre 2026»,
    «T1 a T3 2026», «Encuesta 2026»."""
    start, end = _months(desde, hasta)
    if kpi.frecuencia == ANNUAL:
        return _named(kpi, f"{end.year}" if start.year == end.year else f"{start.year} a {end.year}")
    if kpi.frecuencia == QUARTERLY:
        first, last = _quarter(start), _quarter(end)
        if (start.year, first) == (end.year, last):
            return _named(kpi, f"T{last} {end.year}")
        head = f"T{first}" + ("" if start.year == end.year else f" {start.year}")
        return _named(kpi, f"{head} a T{last} {end.year}")
    if start == end:
        return f"{MONTHS_ES[end.month - 1]} {end.year}"
    first_month = MONTHS_ES[start.month - 1] + ("" if start.year == end.year else f" {start.year}")
    return f"{first_month} a {MONTHS_ES[end.month - 1]} {end.year}"


def period_short(kpi: Kpi, desde: str, hasta: str) -> str:
    """The same period, short, for a comparison: «oct 2026», «ene–oct 2026», «T3 2026», «Encuesta 2026»."""
    start, end = _months(desde, hasta)
    if kpi.frecuencia in (ANNUAL, QUARTERLY):
        return period_name(kpi, desde, hasta)
    last = f"{MONTHS_SHORT[end.month - 1]} {end.year}"
    if start == end:
        return last
    first = MONTHS_SHORT[start.month - 1] + ("" if start.year == end.year else f" {start.year}")
    return f"{first}–{last}"


def trend_adjective(kpi: Kpi) -> str:
    """«mensual», «trimestral», «anual»: what a trend chart of the KPI is."""
    return _WORDS.get(kpi.frecuencia, ("mensual",))[0]


def points_noun(kpi: Kpi, n: int) -> str:
    """«13 meses», «1 mes», «6 encuestas», «4 trimestres»: how many points a trend has."""
    if kpi.frecuencia == ANNUAL and kpi.periodo_nombre.lower() == "encuesta":
        one, many = _SURVEY_POINTS
    else:
        _, one, many = _WORDS.get(kpi.frecuencia, ("mensual", "mes", "meses"))
    return f"{n:,} {one if n == 1 else many}"


def in_the_points(kpi: Kpi, n: int) -> str:
    """«En los 13 meses», «En el único mes», «En las 6 encuestas», «En los 4 trimestres»: a trend's span."""
    words = points_noun(kpi, n).split(" ", 1)[1]
    feminine = words.startswith("encuesta")
    if n == 1:
        return f"En {'la única' if feminine else 'el único'} {words}"
    return f"En {'las' if feminine else 'los'} {n:,} {words}"


def axis_title(kpi: Kpi) -> str:
    """The time axis of a trend: «mes», «trimestre», «año»."""
    return _WORDS.get(kpi.frecuencia, ("mensual", "mes"))[1]


__all__ = [
    "axis_title",
    "in_the_points",
    "period_name",
    "period_short",
    "point_label",
    "points_noun",
    "trend_adjective",
]
