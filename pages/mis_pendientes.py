"""Mis pendientes: my open agreements (overdue first) and my unread notifications."""

from datetime import date

import streamlit as st

from indicators import agreement_notices as notices
from indicators import agreements as ag
from ui import agreement_panel as panel
from ui import agreements_view as view
from ui.auth import require_screen
from ui.format import fmt_number
from ui.session import current_user

require_screen(__file__)
user = current_user()
scope = user.agreements_scope
inbox_key = user.cve_direccion or notices.DG_INBOX
today = date.today()
rev = view.revision()

st.title("Mis pendientes")
panel.flash()
mine = view.listing(scope, today, ag.NO_FILTERS, rev, open_only=True)
unread = notices.inbox(inbox_key, unread_only=True)
c1, c2, c3 = st.columns(3)
board = view.kpis(scope, today, ag.NO_FILTERS, rev)
c1.metric("Acuerdos abiertos", fmt_number(board.en_proceso))
c2.metric("Vencidos", fmt_number(board.vencidos))
c3.metric("Notificaciones sin leer", fmt_number(len(unread)))

st.subheader("Notificaciones sin leer")
if unread.empty:
    st.caption("No tiene notificaciones pendientes.")
else:
    labels = {}
    for i, f, folio, m in zip(unread["id"], unread["fecha"], unread["folio"], unread["mensaje"], strict=True):
        st.markdown(f"- **{f:%d/%m/%Y %H:%M} · {folio}** · {m}")
        labels[int(i)] = f"{f:%d/%m/%Y %H:%M} · {folio} · {m[:60]}"
    chosen = st.multiselect("Seleccionar", list(labels), format_func=labels.get, key="pendientes_sel")
    b1, b2 = st.columns(2)
    if b1.button("Marcar seleccionadas como leídas", disabled=not chosen):
        n = notices.mark_read(inbox_key, chosen)
        st.session_state[panel.FLASH] = f"{n} notificaciones marcadas como leídas."
        st.rerun()
    if b2.button("Marcar todas como leídas"):
        n = notices.mark_read(inbox_key)
        st.session_state[panel.FLASH] = f"{n} notificaciones marcadas como leídas."
        st.rerun()

st.subheader("Mis acuerdos abiertos")
if mine.empty:
    st.caption("No tiene acuerdos abiertos.")
else:
    shown = f"; se muestran los primeros {fmt_number(len(mine))}" if board.en_proceso > len(mine) else ""
    st.caption(f"Vencidos primero, del más atrasado al más reciente{shown}.")
    st.dataframe(view.list_table(mine), hide_index=True)
    folio = st.selectbox("Ver acuerdo", mine["folio"].tolist(), key="pendientes_folio")
    if folio:
        panel.render(folio, user, today)
