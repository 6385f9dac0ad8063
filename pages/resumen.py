"""Resumen ejecutivo: every rubric's cards; agreements as the board shows them, within the viewer's scope."""

import streamlit as st

from agreements import board as ag
from indicators.catalog import CATALOG, by_rubric
from indicators.definitions import RUBRICS
from indicators.engine import KpiValue
from ui import agreements_view
from ui.agreement_figures import cut_caption
from ui.auth import require_screen
from ui.cards import card_grid, card_notes, scorecard_values
from ui.layout import breadcrumb, export_buttons, open_kpi, page_filters, partial_note
from ui.safe import plain
from ui.scorecard import SHOWN, failing, status_counts

user = require_screen(__file__)
filters, version, user_scope = page_filters()
st.title("Resumen ejecutivo")
breadcrumb(filters)

scored = [k for k in CATALOG if k.rubro != "acuerdos"]
computed = scorecard_values(scored, filters, version)  # every KPI in one batch per dataset
notes = card_notes(scored, filters)  # the owners' commentaries: one query for every card
values: dict[str, KpiValue | None] = {}
for rubric, name in RUBRICS.items():
    st.subheader(name)
    if rubric == "acuerdos":  # the board's own figures: same function, same cut, same scope
        cut = agreements_view.cut(filters.periodo)
        board = ag.BoardFilters(region=filters.region, cve_ooad=filters.ooad, ambito=user.ambito)
        agreements_view.headline(agreements_view.scoped_kpis(user, cut, board))
        st.caption(
            f"{cut_caption(cut, filters.periodo)}, como en «Seguimiento de acuerdos»"
            + (f" · dirección {plain(user.agreements_scope)}" if user.agreements_scope else "")
        )
        if filters.entidad and not filters.ooad:  # agreements are signed by OOAD or UMAE, not by state
            where = f"la región {plain(filters.region)}" if filters.region else "todo el país"
            st.caption(
                f"Los acuerdos se siguen por región y OOAD, no por entidad federativa: las cifras son de {where}."
            )
        continue
    values |= card_grid(by_rubric(rubric), filters, version, computed=computed, notes=notes)

st.divider()
st.subheader("Indicadores por estado del semáforo")
st.caption("Los acuerdos no tienen semáforo aquí: se siguen por sus propias cifras, arriba.")
counts = status_counts(values, [r for r in RUBRICS if r != "acuerdos"])
st.dataframe(counts, hide_index=True, width="stretch")

st.subheader("¿Dónde estamos fallando?")
st.caption("Combinaciones de región u OOAD e indicador más alejadas de su meta en el periodo.")
scope = filters.ambito if user_scope == "nacional" else user_scope
worst = failing(filters.periodo, scope, version)
partial = partial_note(filters.periodo, version)
if partial:
    st.warning(
        f"El periodo está incompleto ({partial}): la comparación por región y OOAD no es representativa.",
        icon=":material/hourglass_top:",
    )
if worst.empty and not partial:
    st.success("Todas las regiones y OOAD están en meta en este periodo.")
elif not worst.empty:
    st.caption(
        "Elija una fila (o un renglón de la lista) para abrir ese indicador en su rubro, en esa región u OOAD."
    )
    picked = st.dataframe(
        worst,
        hide_index=True,
        width="stretch",
        column_order=SHOWN,
        on_select="rerun",
        selection_mode="single-row",
        key="fallando",
    )
    labels = [f"{r.Indicador} · {r.Ámbito}" for r in worst.itertuples()]
    chosen = st.selectbox(
        "Abrir indicador",
        range(len(worst)),
        format_func=labels.__getitem__,
        index=None,
        placeholder="Elija una combinación…",
        key="abrir_fallando",
    )
    rows = getattr(getattr(picked, "selection", None), "rows", None) or []
    row = rows[0] if rows else chosen
    if row is not None:
        target = worst.iloc[row]
        open_kpi(target["rubro"], target["kpi"], target["region"], target["cve_ooad"])
    export_buttons(worst, f"donde_fallamos_{filters.periodo}", filters, version=version, columns=SHOWN)
