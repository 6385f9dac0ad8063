"""Mapa estratégico: los objetivos del PIIMSS 2020-2024, sus indicadores y los proyectos estratégicos."""

import streamlit as st

from ui import strategy_map
from ui.auth import require_screen
from ui.layout import breadcrumb, page_filters

require_screen(__file__)
filters, version, _ = page_filters()
st.title(f"Mapa estratégico · {strategy_map.period_words(filters.periodo)}")
breadcrumb(filters)
st.caption(
    "Objetivos del Programa Institucional del IMSS 2020-2024 → indicadores del CMI (con su peso y "
    "responsable) → proyectos estratégicos. Un clic en un indicador abre su análisis."
)
strategy_map.render(filters, version)
