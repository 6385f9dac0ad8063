"""Semáforo: how far a value is from its target, and the status word a person reads."""

from __future__ import annotations

from indicators.definitions import DOWN, Kpi

ON_TARGET, AT_RISK, OFF_TARGET, NO_TARGET = "En meta", "En riesgo", "Fuera de meta", "Sin meta"
NO_DATA = "Sin dato"  # the value is missing (a meta may exist)
STATUS_ORDER = (OFF_TARGET, AT_RISK, ON_TARGET, NO_TARGET, NO_DATA)


def _missing(x: float | None) -> bool:
    return x is None or x != x  # NaN from a pandas column counts as missing


def attainment(kpi: Kpi, value: float | None, target: float | None) -> float | None:
    """valor / meta, or meta / valor for KPIs where lower is better; None when undefined."""
    if _missing(value) or _missing(target):
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
    if _missing(value):
        return NO_DATA
    ratio = attainment(kpi, value, target)
    if ratio is None:
        return NO_TARGET
    if ratio >= kpi.umbral_verde:
        return ON_TARGET
    if ratio >= kpi.umbral_amarillo:
        return AT_RISK
    return OFF_TARGET
