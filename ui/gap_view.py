"""«¿Quién explica la brecha?»: the waterfall of each region's or OOAD's contribution and its sentence."""

from __future__ import annotations

import streamlit as st

from indicators.definitions import Kpi
from indicators.gap import UNIT_NAMES, sentence
from indicators.status import ON_TARGET
from ui import data, figures
from ui.filters import Filters


def render(kpi: Kpi, filters: Filters, version: str, scope: str, estado: str | None) -> None:
    """The gap section of a KPI off its meta, at a national or regional scope."""
    if estado is None or estado == ON_TARGET or "ooad" not in kpi.niveles or scope.startswith("ooad:"):
        return
    st.subheader("¿Quién explica la brecha?")
    levels = ["ooad", "region"] if scope == "nacional" else ["ooad"]
    nivel = st.segmented_control(
        "Desglosar por",
        levels,
        default="ooad",
        format_func=lambda n: UNIT_NAMES[n][0].capitalize() if n == "region" else "OOAD",
        key=f"brecha_nivel_{kpi.id}",
    )
    found = data.kpi_gap(kpi.id, filters.periodo, nivel or "ooad", scope, version)
    if found is None:
        st.caption("Sin meta para descomponer la brecha.")
        return
    valor, meta, contributions = found
    st.markdown(sentence(kpi, contributions, valor - meta, nivel or "ooad"))
    st.plotly_chart(
        figures.waterfall(kpi, contributions, f"Contribución a la brecha ({kpi.unidad})"),
        key=f"brecha_{kpi.id}_{nivel}_{scope}",
        config=figures.PLOTLY_CONFIG,
    )
    if kpi.denominador:
        st.caption(
            "Razón: cada contribución es su efecto tasa (su brecha frente a su propia meta por su peso "
            "en el denominador) más su efecto mezcla (su peso por la distancia entre su meta y la nacional)."
        )
