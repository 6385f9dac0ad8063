"""es-MX formatting of numbers, money, percentages, months and dates for people to read."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from typing import TypeGuard

from indicators.definitions import Kpi
from indicators.periods import MONTHS_ES
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
    """-13.5 pp for percentages and rates, +4.0 % for a relative change; None when undefined.

    A difference that is not zero never prints as zero: «-0.04 pp», not «-0.0 pp» (up to 3 decimals).
    """
    if d is None:
        return None
    scaled = d.amount if d.unit == "pp" else d.amount * 100
    decimals = 1
    while decimals < 3 and scaled != 0 and round(abs(scaled), decimals) == 0:
        decimals += 1
    return f"{scaled:+,.{decimals}f} {d.unit}"


def fmt_value(kpi: Kpi, x: float | None, extra: int = 0) -> str:
    """A KPI value in the format its catalog entry declares; `extra` decimals beyond the format's own."""
    if extra <= 0:
        return {
            "millones": fmt_millions,
            "mdp": fmt_mdp,
            "pesos": fmt_pesos,
            "porcentaje": fmt_pct,
            "decimal": lambda v: fmt_number(v, 1),
        }.get(kpi.formato, fmt_number)(x)
    if not _known(x):
        return "—"
    if kpi.formato == "millones":
        return f"{x / 1e6:,.{1 + extra}f} M" if abs(x) >= 1e6 else fmt_number(x, extra)
    if kpi.formato == "mdp":
        return f"${x:,.{extra}f} MDP"
    if kpi.formato == "pesos":
        return f"${x:,.{2 + extra}f}"
    if kpi.formato == "porcentaje":
        return fmt_pct(x, 1 + extra)
    if kpi.formato == "decimal":
        return fmt_number(x, 1 + extra)
    return fmt_number(x, extra)


MORE_DECIMALS = 5  # at most: 1.889648 M is every unit of a count in millions


def value_formatter(kpi: Kpi, *numbers: float | None) -> Callable[[float | None], str]:
    """The KPI's format with the fewest extra decimals that print different numbers differently.

    A status can hang on a difference the usual precision hides (1,889,648 against a meta of
    1,892,803 both print «1.9 M», yet the value is «En riesgo»): printed with this formatter,
    value, meta and the limits of the semáforo that differ also read different («1.890 M»,
    «1.893 M»). Numbers that are equal stay equal; the format's own precision is the minimum.
    """
    known = sorted(float(x) for x in numbers if _known(x))
    # pairs of numbers that differ by more than float noise (a meta times 0.98 is 86.23999999999999)
    pairs = [(a, b) for a, b in pairwise(known) if b - a > 1e-9 * max(abs(a), abs(b), 1.0)]
    extra = 0
    while extra < MORE_DECIMALS and any(
        fmt_value(kpi, a, extra) == fmt_value(kpi, b, extra) for a, b in pairs
    ):
        extra += 1
    return lambda x: fmt_value(kpi, x, extra)


def fmt_value_meta(kpi: Kpi, value: float | None, meta: float | None) -> tuple[str, str]:
    """A value and its meta as cards and the report print them: in the KPI's format, with enough
    decimals to tell them apart when they differ («1.890 M», «1.893 M», not «1.9 M» twice)."""
    fmt = value_formatter(kpi, value, meta)
    return fmt(value), fmt(meta)


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
