"""«¿Quién explica la brecha?»: the waterfall of each region's or OOAD's contribution and its sentence."""

from __future__ import annotations

import streamlit as st

from indicators.definitions import Kpi
from indicators.gap import UNIT_NAMES, sentence
from indicators.status import ON_TARGET
from ui import charts, data, figures
from ui.filters import Filters
from ui.layout import chart_place
from ui.safe import plain


def render(kpi: Kpi, filters: Filters, version: str, scope: str, estado: str | None) -> None:
    """The gap section of a KPI off its meta, at a national, regional or (hospital KPIs) OOAD scope."""
    if estado is None or estado == ON_TARGET or "ooad" not in kpi.niveles:
        return
    level = scope.partition(":")[0]
    levels = {"nacional": ["ooad", "region"], "region": ["ooad"]}.get(level, [])
    if "umae" in kpi.niveles and level in ("nacional", "region", "ooad"):
        levels.append("umae")  # UMAE plus «Fuera de UMAE», the rest of the scope
    if "unidad" in kpi.niveles and level == "ooad":
        levels.append("unidad")  # the OOAD's units add up to it exactly
    if not levels:
        return
    st.subheader("¿Quién explica la brecha?")
    nivel = (
        st.segmented_control(
            "Desglosar por",
            levels,
            default=levels[0],
            format_func=lambda n: UNIT_NAMES[n][0].capitalize() if n == "region" else UNIT_NAMES[n][0],
            key=f"brecha_nivel_{kpi.id}",
        )
        or levels[0]
    )
    found = data.kpi_gap(kpi.id, filters.periodo, nivel, scope, version)
    if found is None:
        st.caption("Sin meta para descomponer la brecha.")
        return
    valor, meta, contributions = found
    st.markdown(plain(sentence(kpi, contributions, valor - meta, nivel)))
    st.plotly_chart(
        charts.waterfall(
            kpi.id,
            contributions,
            f"Contribución a la brecha frente a la meta ({figures.difference_unit(kpi)})",
            chart_place(scope, filters.periodo, version),
        ),
        key=f"brecha_{kpi.id}_{nivel}_{scope}",
        config=figures.PLOTLY_CONFIG,
    )
    if kpi.denominador:
        st.caption(
            "Razón: cada contribución es su efecto tasa (su brecha frente a su propia meta por su peso "
            "en el denominador) más su efecto mezcla (su peso por la distancia entre su meta y la nacional)."
        )
