"""Seguimiento de acuerdos: board, breakdowns, aging, deadlines, curves, list, «Por validar» and record.

`?folio=RR-…` in the URL (the link of every notice and e-mail) opens that agreement's record.
Everything is computed within the viewer's directorate and ámbito (applied in SQL).
"""

import streamlit as st

from agreements import board as ag
from ui import agreement_figures as figs
from ui import agreement_new, counts
from ui import agreement_panel as panel
from ui import agreements_view as view
from ui.auth import require_screen
from ui.export import export_buttons
from ui.figures import PLOTLY_CONFIG
from ui.format import fmt_number
from ui.layout import page_filters
from ui.safe import plain

user = require_screen(__file__)
sidebar, _, _ = page_filters(needs_kpi_data=False)  # the global sidebar filters (period, region, OOAD)
scope = user.agreements_scope
today = view.today()  # the record and its actions work on today's state
rev = view.revision()
opts = view.options(rev)

st.title("Seguimiento de acuerdos")
cut = view.cut_choice(sidebar.periodo, "acuerdos_corte")  # figures, charts, list: as of the cut
st.caption(
    f"{figs.cut_caption(cut, sidebar.periodo)} · "
    + (
        f"acuerdos en los que {plain(scope)} es responsable o corresponsable"
        if scope
        else "todas las direcciones normativas"
    )
    + ("" if user.ambito == "nacional" else f" · ámbito {plain(user.ambito)}")
)
panel.flash()
linked = st.query_params.get("folio")
if linked:
    with st.container(border=True):
        panel.render(str(linked), user, today)
        if st.button("Cerrar la ficha", key="cerrar_ficha"):
            st.query_params.pop("folio", None)
            st.rerun()
agreement_new.render(user, opts)

ALL = "Todos"
c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
estado = c1.selectbox("Estado", [ALL, *ag.STATES, ag.OVERDUE], key="acuerdos_estado")
direcciones = {ALL: ALL, **{k: f"{k} · {v}" for k, v in opts["direcciones"].items()}}
direccion = c2.selectbox(
    "Dirección responsable", list(direcciones), format_func=direcciones.__getitem__, key="acuerdos_direccion"
)
mesas = {ALL: ALL, **{k: f"{k} · {v}" for k, v in opts["mesas"].items()}}
mesa = c3.selectbox("Mesa de trabajo", list(mesas), format_func=mesas.__getitem__, key="acuerdos_mesa")
texto = c4.text_input("Buscar en folio o descripción", key="acuerdos_texto")
filtros = ag.BoardFilters(
    region=sidebar.region,
    cve_ooad=sidebar.ooad,
    estado=None if estado == ALL else estado,
    cve_direccion=None if direccion == ALL else direccion,
    cve_mesa=None if mesa == ALL else mesa,
    texto=texto or None,
    ambito=user.ambito,
)

described = {
    "Al": f"{cut.corte:%Y-%m-%d}",
    "Región": filtros.region or "Todas",
    "OOAD": filtros.cve_ooad or "Todos",
    "Estado": estado,
    "Dirección responsable": direccion,
    "Mesa": mesa,
    "Búsqueda": texto or "—",
    "Dirección del usuario": scope or "todas las direcciones",
    "Ámbito del usuario": user.ambito,
}

k = view.kpis(scope, cut.corte, filtros, rev, cut.desde)
view.headline(k)
view.headline(k, ("en_plazo", "dias_promedio"))

# validating is done today, on today's requests, whatever the period of the figures above
pending = view.listing(scope, today, ag.BoardFilters(estado=ag.REQUESTED, ambito=user.ambito), rev)
t_valid, t_break, t_aging, t_next, t_curve, t_list = st.tabs(
    [
        f"Por validar hoy ({fmt_number(len(pending))})",
        "Desgloses",
        "Antigüedad de vencidos",
        "Próximos 30 días",
        "Curva de cumplimiento",
        "Acuerdos",
    ]
)
with t_valid:
    if pending.empty:
        st.caption("No hay solicitudes de conclusión pendientes.")
    else:
        st.caption(f"{counts.requests_waiting(len(pending))} Abra cada una para validarla o devolverla.")
        st.dataframe(view.list_table(pending), hide_index=True)
        for folio in pending["folio"].head(50):
            view.record_link(folio, f"Abrir {folio}")
with t_break:
    dim = st.selectbox(
        "Desglosar por",
        list(ag.DIMENSION_LABELS),
        format_func=ag.DIMENSION_LABELS.__getitem__,
        key="acuerdos_desglose",
    )
    frame = view.breakdown(dim, scope, cut.corte, filtros, rev)
    if frame.empty:
        st.info("No hay acuerdos con estos filtros.")
    else:
        st.plotly_chart(
            figs.breakdown_bars(frame, f"Acuerdos por {ag.DIMENSION_LABELS[dim].lower()}"),
            config=PLOTLY_CONFIG,
        )
        table = view.breakdown_table(frame, ag.DIMENSION_LABELS[dim])
        st.dataframe(table, hide_index=True)
        export_buttons(table, f"acuerdos_por_{dim}", described)
with t_aging:
    aging = view.aging(scope, cut.corte, filtros, rev)
    st.plotly_chart(figs.aging_bars(aging), config=PLOTLY_CONFIG)
    aging_table = aging.rename(columns={"tramo": "Días de atraso", "acuerdos": "Acuerdos"})
    st.dataframe(aging_table, hide_index=True)
    export_buttons(aging_table, "acuerdos_antiguedad_vencidos", described)
with t_next:
    nxt = view.upcoming(scope, cut.corte, filtros, rev)
    st.caption(counts.due_soon(len(nxt)))
    if not nxt.empty:
        upcoming = view.upcoming_table(nxt)
        st.dataframe(upcoming, hide_index=True)
        export_buttons(upcoming, "acuerdos_proximos_30_dias", described)
with t_curve:
    curves = view.curves(scope, cut.corte, filtros, rev)
    if curves.empty:
        st.info("No hay acuerdos con estos filtros.")
    else:
        st.plotly_chart(figs.completion_lines(curves), config=PLOTLY_CONFIG)
        export_buttons(curves, "acuerdos_curva_cumplimiento", described)
with t_list:
    listing = view.listing(scope, cut.corte, filtros, rev)
    total = ag.count(direccion=scope, as_of=cut.corte, filtros=filtros)
    st.caption(
        view.count_label(total)
        + (f"; se muestran los primeros {fmt_number(len(listing))}" if total > len(listing) else "")
        + ". Vencidos primero."
    )
    if not listing.empty:
        shown = view.list_table(listing)
        st.dataframe(shown, hide_index=True)
        export_buttons(shown, "acuerdos_lista", described)
        folio = st.selectbox(
            "Ver acuerdo",
            listing["folio"].tolist(),
            index=None,
            placeholder="Elija un folio",
            key="acuerdos_folio",
        )
        if folio and not linked:  # one record at a time: the one opened by a link stays on top
            panel.render(folio, user, today)
        elif folio:
            view.record_link(folio, f"Abrir {folio}")
