"""KPI cards: value, delta against the chosen comparison, sparkline and a semáforo in words."""

from __future__ import annotations

from datetime import date

import streamlit as st

from indicators.definitions import DOWN, Kpi
from indicators.engine import KpiValue
from indicators.periods import add_months
from indicators.status import AT_RISK, NO_TARGET, OFF_TARGET, ON_TARGET
from ui import data
from ui.filters import COMPARISONS, Filters
from ui.format import fmt_change, fmt_value

STATUS_BADGE = {
    ON_TARGET: (":material/check_circle:", "green"),
    AT_RISK: (":material/warning:", "orange"),
    OFF_TARGET: (":material/cancel:", "red"),
    NO_TARGET: (":material/remove:", "gray"),
}


def status_text(estado: str) -> str:
    """The semáforo as icon and word, readable without colour."""
    icon, color = STATUS_BADGE.get(estado, STATUS_BADGE[NO_TARGET])
    return f":{color}-badge[{icon} {estado}]"


def delta_for(v: KpiValue, comparison: str) -> float | None:
    """The relative difference against meta, the period before or the year before."""
    if comparison == "meta":
        if v.valor is None or not v.meta:
            return None
        return (v.valor - v.meta) / abs(v.meta)
    if comparison == "anio_anterior":
        return v.variacion_anual
    return v.variacion_periodo


def sparkline_values(kpi: Kpi, end: date, ambito: str, version: str) -> list[float]:
    """The last 13 months (or years for yearly KPIs) of values, for the card's sparkline."""
    start = add_months(end, -12 if kpi.frecuencia == "mensual" else -12 * 6)
    frame = data.kpi_series(kpi.id, start, end, ambito, version)
    return [float(x) for x in frame["valor"]]


def kpi_card(kpi: Kpi, filters: Filters, version: str, ambito: str | None = None) -> KpiValue | None:
    """One bordered st.metric for the KPI under the filters; returns what it showed."""
    scope = ambito or filters.ambito
    if scope != "nacional" and scope.split(":")[0] not in kpi.niveles:
        scope = "nacional"
    v = data.kpi_value(kpi.id, filters.periodo, scope, version)
    with st.container(border=True):
        if v is None:
            st.metric(kpi.nombre, "—", help=kpi.definicion)
            st.caption("Sin datos para este periodo")
            return None
        delta = delta_for(v, filters.comparacion)
        end = date.fromisoformat(v.hasta + "-01")
        st.metric(
            kpi.nombre,
            fmt_value(kpi, v.valor),
            delta=(
                f"{fmt_change(delta)} vs {COMPARISONS[filters.comparacion].lower()}"
                if delta is not None
                else None
            ),
            delta_color="inverse" if kpi.sentido == DOWN else "normal",
            help=f"{kpi.definicion} Meta: {fmt_value(kpi, v.meta)}.",
            chart_data=sparkline_values(kpi, end, scope, version),
            chart_type="line",
        )
        scope_note = "" if scope == filters.ambito else " · nacional"
        st.markdown(f"{status_text(v.estado)} Meta: {fmt_value(kpi, v.meta)}{scope_note}")
    return v
