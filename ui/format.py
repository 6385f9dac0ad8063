"""es-MX formatting of numbers, money, percentages, months and dates for people to read."""

from __future__ import annotations

import math
from datetime import date
from typing import TypeGuard

from indicators.definitions import Kpi
from indicators.periods import MONTHS_ES, parse_period
from indicators.status import STATUS_SYMBOL, Difference

MONTHS_SHORT = tuple(m[:3] for m in MONTHS_ES)


def _known(x: float | None) -> TypeGuard[float]:
    return not (x is None or (isinstance(x, float) and math.isnan(x)))


def fmt_number(x: float | None, decimals: int = 0) -> str:
    """1,234,567.8 — comma thousands, point decimals (es-MX)."""
    if not _known(x):
        return "—"
    return f"{x:,.{decimals}f}"


def fmt_millions(x: float | None) -> str:
    """92.6 M for 92,600,000; below a million the whole number (117,235), never "0.1 M"."""
    if not _known(x):
        return "—"
    if abs(x) < 1e6:
        return fmt_number(x)
    return f"{x / 1e6:,.1f} M"


def fmt_count(n: int, singular: str, plural: str) -> str:
    """The number and the words that agree with it: «1 acuerdo abierto», «0 acuerdos», «2,355 acuerdos».

    The one plural rule of the app (es-MX: only 1 is singular); every count sentence goes through it,
    verb included when the words carry one («1 solicitud espera», «2 solicitudes esperan»).
    """
    return f"{fmt_number(n)} {singular if n == 1 else plural}"


def fmt_mdp(x: float | None) -> str:
    """$350,110 MDP (an amount already in millones de pesos)."""
    if not _known(x):
        return "—"
    return f"${x:,.0f} MDP"


def fmt_pesos(x: float | None) -> str:
    """$663.40 (pesos)."""
    if not _known(x):
        return "—"
    return f"${x:,.2f}"


def fmt_pct(x: float | None, decimals: int = 1) -> str:
    """80.9 % (x already in percent)."""
    if not _known(x):
        return "—"
    return f"{x:,.{decimals}f} %"


def fmt_change(x: float | None) -> str | None:
    """+4.0 % for a relative change of 0.04; None when undefined (st.metric then shows no delta)."""
    if not _known(x):
        return None
    return f"{x * 100:+,.1f} %"


def fmt_difference(d: Difference | None) -> str | None:
    """-13.5 pp for percentages and rates, +4.0 % for a relative change; None when undefined."""
    if d is None:
        return None
    if d.unit == "pp":
        return f"{d.amount:+,.1f} pp"
    return fmt_change(d.amount)


def fmt_span(desde: str, hasta: str) -> str:
    """The months a value covers, short: «oct 2026», «ene–oct 2026», «nov 2025–oct 2026»."""
    start, end = parse_period(desde).start, parse_period(hasta).start
    last = f"{MONTHS_SHORT[end.month - 1]} {end.year}"
    if start == end:
        return last
    first = MONTHS_SHORT[start.month - 1] + ("" if start.year == end.year else f" {start.year}")
    return f"{first}–{last}"


def fmt_value(kpi: Kpi, x: float | None) -> str:
    """A KPI value in the format its catalog entry declares."""
    return {
        "millones": fmt_millions,
        "mdp": fmt_mdp,
        "pesos": fmt_pesos,
        "porcentaje": fmt_pct,
        "decimal": lambda v: fmt_number(v, 1),
    }.get(kpi.formato, fmt_number)(x)


def fmt_month(d: date) -> str:
    """octubre 2026."""
    return f"{MONTHS_ES[d.month - 1]} {d.year}"


def fmt_date_long(d: date) -> str:
    """31 de octubre de 2026."""
    return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"


def fmt_status(estado: str) -> str:
    """The semáforo word with its symbol, readable without colour: «✕ Fuera de meta»."""
    symbol = STATUS_SYMBOL.get(estado)
    return f"{symbol} {estado}" if symbol else estado
