"""Semáforo: how far a value is from its target, and the status word a person reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeGuard

from indicators.definitions import DOWN, Kpi

ON_TARGET, AT_RISK, OFF_TARGET, NO_TARGET = "En meta", "En riesgo", "Fuera de meta", "Sin meta"
NO_DATA = "Sin dato"  # the value is missing (a meta may exist)
STATUS_ORDER = (OFF_TARGET, AT_RISK, ON_TARGET, NO_TARGET, NO_DATA)


def _known(x: float | None) -> TypeGuard[float]:
    return x is not None and x == x  # NaN from a pandas column counts as missing


def attainment(kpi: Kpi, value: float | None, target: float | None) -> float | None:
    """valor / meta, or meta / valor for KPIs where lower is better; None when undefined."""
    if not (_known(value) and _known(target)):
        return None
    if kpi.sentido == DOWN:
        if value == 0:
            return None if target == 0 else float("inf")
        return target / value
    if target == 0:
        return None
    return value / target


def status(kpi: Kpi, value: float | None, target: float | None) -> str:
    """En meta / En riesgo / Fuera de meta by the KPI's thresholds; Sin dato without a value,
    Sin meta without a target."""
    if not _known(value):
        return NO_DATA
    ratio = attainment(kpi, value, target)
    if ratio is None:
        return NO_TARGET
    if ratio >= kpi.umbral_verde:
        return ON_TARGET
    if ratio >= kpi.umbral_amarillo:
        return AT_RISK
    return OFF_TARGET


# --- the status language: one reading of a value against its comparison -------------------------

META, YEAR_BEFORE, PERIOD_BEFORE = "meta", "anio_anterior", "periodo_anterior"
Tone = Literal["green", "orange", "red", "gray"]  # colour names of Streamlit's palette
GOOD: Tone = "green"
BAD: Tone = "red"
NEUTRAL: Tone = "gray"
# The status as a colour name (Streamlit's palette), an icon and a hex colour for charts.
STATUS_TONE: dict[str, Tone] = {
    ON_TARGET: GOOD,
    AT_RISK: "orange",
    OFF_TARGET: BAD,
    NO_TARGET: NEUTRAL,
    NO_DATA: NEUTRAL,
}
STATUS_ICON = {
    ON_TARGET: ":material/check_circle:",
    AT_RISK: ":material/warning:",
    OFF_TARGET: ":material/cancel:",
    NO_TARGET: ":material/remove:",
    NO_DATA: ":material/help:",
}
STATUS_SYMBOL = {ON_TARGET: "✓", AT_RISK: "▲", OFF_TARGET: "✕", NO_TARGET: "–", NO_DATA: "?"}
STATUS_COLORS = {
    ON_TARGET: "#1E7B4F",
    AT_RISK: "#9A6700",
    OFF_TARGET: "#B3261E",
    NO_TARGET: "#6B7079",
    NO_DATA: "#C4C7CC",
}


def in_points(kpi: Kpi) -> bool:
    """Percentages and rates compare in puntos porcentuales, everything else in relative %."""
    return kpi.formato == "porcentaje"


# --- the rule, in numbers and in one sentence ----------------------------------------------------
#
# The semáforo compares the value with the meta as a share of it (cumplimiento = valor / meta, or
# meta / valor when lower is better), for every KPI, percentages included: 86.5 % against a meta of
# 88.0 % is 98.3 % of the meta, «En meta» where the threshold is 98 %. That is the cumplimiento the
# MIR semáforos read; `limits` turns each threshold into the value where the status changes (86.2 %
# here), which the ficha and the card's «?» print, so anyone can check a status by eye.


def limits(kpi: Kpi, target: float | None) -> tuple[float, float] | None:
    """The values where the status changes for this meta: (en meta from, en riesgo from) for
    ascending KPIs, (en meta up to, en riesgo up to) for descending ones; None without a meta."""
    if not _known(target):
        return None
    if kpi.sentido == DOWN:
        return target / kpi.umbral_verde, target / kpi.umbral_amarillo
    if target == 0:
        return None  # no cumplimiento against a zero meta: «Sin meta»
    return target * kpi.umbral_verde, target * kpi.umbral_amarillo


def _share(x: float) -> str:
    """0.98 → «98 %», 0.935 → «93.5 %»."""
    return f"{round(x * 100, 1):g} %"


def rule(kpi: Kpi, target: float | None = None, fmt: Callable[[float], str] | None = None) -> str:
    """The semáforo's rule in one sentence, with the values where it changes when a meta is given:
    «En meta si alcanza al menos el 98 % de la meta (86.2 % o más); en riesgo desde el 92 %
    (81.0 % o más); por debajo, fuera de meta.»"""
    found = limits(kpi, target) if fmt is not None else None
    green, amber = kpi.umbral_verde, kpi.umbral_amarillo

    def at(i: int, words: str) -> str:
        return f" ({fmt(found[i])} {words})" if found and fmt else ""

    if kpi.sentido == DOWN:
        over_green, over_amber = 1 / green - 1, 1 / amber - 1
        meta = "no rebasa la meta" if green >= 1 else f"no rebasa la meta en más de {_share(over_green)}"
        return (
            f"Menor es mejor: en meta si {meta}{at(0, 'o menos')}; en riesgo si la rebasa hasta en "
            f"{_share(over_amber)}{at(1, 'o menos')}; por encima, fuera de meta."
        )
    meta = "alcanza la meta" if green >= 1 else f"alcanza al menos el {_share(green)} de la meta"
    return (
        f"En meta si {meta}{at(0, 'o más')}; en riesgo desde el {_share(amber)} de la meta"
        f"{at(1, 'o más')}; por debajo, fuera de meta."
    )


@dataclass(frozen=True)
class Difference:
    """A value against its reference (the meta, or the value of an earlier period).

    `amount` is in points (pp) for percentages and a fraction (shown as %) otherwise. `tone`, the
    colour of the card's chip, is always the status's (the value against its meta), whatever the
    reference: a chip never says «good» beside «En riesgo». Whether the value moved the KPI's good
    way since an earlier period is said in words, `verdict` («mejor», «peor», «igual»).
    """

    amount: float
    unit: str  # "pp" | "%"
    tone: Tone  # the status's: GOOD | "orange" | BAD | NEUTRAL (sin meta)
    comparison: str = META
    verdict: str | None = None  # «mejor» | «peor» | «igual» against an earlier period; None against the meta

    @property
    def arrow(self) -> Literal["up", "down", "off"]:
        return "up" if self.amount > 0 else "down" if self.amount < 0 else "off"


BETTER, WORSE, SAME = "mejor", "peor", "igual"


def verdict(kpi: Kpi, amount: float) -> str:
    """«mejor» when the KPI moved its good way (up for ascending, down for descending KPIs)."""
    if amount == 0:
        return SAME
    return BETTER if (amount > 0) == (kpi.sentido != DOWN) else WORSE


def difference(
    kpi: Kpi,
    value: float | None,
    reference: float | None,
    comparison: str = META,
    target: float | None = None,
) -> Difference | None:
    """How `value` differs from `reference` (the meta, or an earlier value) as a person reads it.

    The colour is the semáforo's, of `value` against its meta: `reference` itself when comparing
    against the meta, `target` otherwise (without one, gray: «Sin meta»). Against an earlier
    period the direction is read with the KPI's sentido, in words (`verdict`).
    """
    if not (_known(value) and _known(reference)):
        return None
    if in_points(kpi):
        amount, unit = value - reference, "pp"
    elif reference == 0:
        return None
    else:
        amount, unit = (value - reference) / abs(reference), "%"
    meta = reference if comparison == META else target
    tone = STATUS_TONE[status(kpi, value, meta)]
    return Difference(amount, unit, tone, comparison, None if comparison == META else verdict(kpi, amount))


def status_reason(
    kpi: Kpi, value: float | None, target: float | None, fmt: Callable[[float | None], str]
) -> str:
    """One line saying why the status is what it is, with the value where it changes:
    «86.5 % ≥ 86.2 % (98 % de la meta 88.0 %).»"""
    estado = status(kpi, value, target)
    if not _known(value):
        return "Sin dato en el periodo."
    found = limits(kpi, target)
    if estado == NO_TARGET or not _known(target) or found is None:
        return "El indicador no tiene meta para este periodo y ámbito."
    green_limit, amber_limit = found
    green, amber = kpi.umbral_verde, kpi.umbral_amarillo
    if kpi.sentido != DOWN:
        meta = f"meta {fmt(target)}"
        green_words = "la meta" if green == 1 else f"{_share(green)} de la {meta}"
        if estado == ON_TARGET:
            return f"{fmt(value)} ≥ {fmt(green_limit)} ({green_words})."
        if estado == AT_RISK:
            amber_words = f"{_share(amber)} de la {meta}" if green == 1 else _share(amber)
            return f"{fmt(value)} < {fmt(green_limit)} ({green_words}), pero ≥ {fmt(amber_limit)} ({amber_words})."
        return f"{fmt(value)} < {fmt(amber_limit)} ({_share(amber)} de la {meta})."
    # lower is better: in meta while meta/valor ≥ umbral, i.e. valor ≤ meta/umbral
    meta = f"meta {fmt(target)}; menor es mejor"
    if estado == ON_TARGET:
        return f"{fmt(value)} ≤ {fmt(green_limit)}, el máximo para estar en meta ({meta})."
    if estado == AT_RISK:
        return f"{fmt(value)} > {fmt(green_limit)}, pero ≤ {fmt(amber_limit)} ({meta})."
    return f"{fmt(value)} > {fmt(amber_limit)}, el máximo tolerable ({meta})."
