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


@dataclass(frozen=True)
class Difference:
    """A value against its reference: the amount (pp, or a fraction for %), and whether it is good."""

    amount: float
    unit: str  # "pp" | "%"
    tone: Tone  # GOOD | BAD | NEUTRAL | "orange" (at risk against the meta)

    @property
    def arrow(self) -> Literal["up", "down", "off"]:
        return "up" if self.amount > 0 else "down" if self.amount < 0 else "off"


def difference(
    kpi: Kpi, value: float | None, reference: float | None, comparison: str = META
) -> Difference | None:
    """How `value` differs from `reference` (the meta or an earlier value) as a person reads it.

    Against the meta the colour is the semáforo's (a value 2 % under its meta but within
    tolerance is green); against an earlier period it is green when the KPI moved in its good
    direction (up for ascending, down for descending KPIs), red when it moved the other way.
    """
    if not (_known(value) and _known(reference)):
        return None
    if in_points(kpi):
        amount, unit = value - reference, "pp"
    elif reference == 0:
        return None
    else:
        amount, unit = (value - reference) / abs(reference), "%"
    if comparison == META:
        tone = STATUS_TONE[status(kpi, value, reference)]
    elif amount == 0:
        tone = NEUTRAL
    else:
        better = amount > 0 if kpi.sentido != DOWN else amount < 0
        tone = GOOD if better else BAD
    return Difference(amount, unit, tone)


def status_reason(
    kpi: Kpi, value: float | None, target: float | None, fmt: Callable[[float | None], str]
) -> str:
    """One line saying why the status is what it is: «83.8 % ≥ 98 % de la meta 85.0 %»."""
    estado = status(kpi, value, target)
    if not _known(value):
        return "Sin dato en el periodo."
    if estado == NO_TARGET or not _known(target):
        return "El indicador no tiene meta para este periodo y ámbito."
    green, amber = kpi.umbral_verde, kpi.umbral_amarillo
    if kpi.sentido != DOWN:
        share = f"{{:g}} % de la meta {fmt(target)}"
        if estado == ON_TARGET:
            return f"{fmt(value)} ≥ {share.format(green * 100)}."
        if estado == AT_RISK:
            return f"{fmt(value)} ≥ {share.format(amber * 100)}, pero < {green * 100:g} %."
        return f"{fmt(value)} < {share.format(amber * 100)}."
    # lower is better: in meta while meta/valor ≥ umbral, i.e. valor ≤ meta/umbral
    green_limit, amber_limit = fmt(target / green), fmt(target / amber)
    meta = f"meta {fmt(target)}; menor es mejor"
    if estado == ON_TARGET:
        return f"{fmt(value)} ≤ {green_limit}, el máximo para estar en meta ({meta})."
    if estado == AT_RISK:
        return f"{fmt(value)} > {green_limit}, pero ≤ {amber_limit} ({meta})."
    return f"{fmt(value)} > {amber_limit}, el máximo tolerable ({meta})."
