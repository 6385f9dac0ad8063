import streamlit as st

from indicators.catalog import by_rubric
from indicators.definitions import RUBRICS
from ui.auth import require_screen
from ui.cards import kpi_card
from ui.layout import breadcrumb, export_buttons, page_filters
from ui.scorecard import failing, status_counts

require_screen(__file__)
filters, version, user_scope = page_filters()
st.title("Resumen ejecutivo")
breadcrumb(filters)

values = {}
for rubric, name in RUBRICS.items():
    st.subheader(name)
    cols = st.columns(4)
    for i, kpi in enumerate(by_rubric(rubric)):
        with cols[i % 4]:
            values[kpi.id] = kpi_card(kpi, filters, version)

st.divider()
st.subheader("Indicadores por estado del semáforo")
counts = status_counts(values)
st.dataframe(counts, hide_index=True, width="stretch")

st.subheader("¿Dónde estamos fallando?")
st.caption("Combinaciones de región u OOAD e indicador más alejadas de su meta en el periodo.")
scope = filters.ambito if user_scope == "nacional" else user_scope
worst = failing(filters.periodo, scope, version)
if worst.empty:
    st.success("Todas las regiones y OOAD están en meta en este periodo.")
else:
    st.dataframe(worst, hide_index=True, width="stretch")
    export_buttons(worst, f"donde_fallamos_{filters.periodo}", filters)
