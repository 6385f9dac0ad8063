import streamlit as st

from indicators.catalog import CATALOG, by_rubric
from indicators.definitions import RUBRICS
from ui.auth import require_screen
from ui.cards import card_grid, scorecard_values
from ui.layout import breadcrumb, export_buttons, page_filters
from ui.scorecard import failing, status_counts

require_screen(__file__)
filters, version, user_scope = page_filters()
st.title("Resumen ejecutivo")
breadcrumb(filters)

computed = scorecard_values(CATALOG, filters, version)  # every KPI in one batch per dataset
values = {}
for rubric, name in RUBRICS.items():
    st.subheader(name)
    values |= card_grid(by_rubric(rubric), filters, version, computed=computed)

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
