"""Administrator: the audit log (sign-ins, uploads, undos, exports, agreement changes) with filters."""

from datetime import date, timedelta

import streamlit as st

from access import audit_view as audit
from ui import counts
from ui.auth import require_screen

require_screen("pages/auditoria.py")
st.title("Bitácora")
st.caption("Inicios de sesión, cargas, reversiones, exportaciones y cambios a acuerdos, con usuario y hora.")

TODOS = "(todos)"
usuarios, acciones = audit.audit_choices()
c1, c2, c3 = st.columns([1, 1, 2])
usuario = c1.selectbox("Usuario", [TODOS, *usuarios])
accion = c2.selectbox(
    "Acción", [TODOS, *acciones], format_func=lambda a: a if a == TODOS else audit.action_label(a)
)
today = date.today()
rango = c3.date_input("Fechas", (today - timedelta(days=30), today), format="DD/MM/YYYY")
desde, hasta = (rango[0], rango[-1]) if isinstance(rango, tuple) and rango else (None, None)

log = audit.audit_log(
    usuario=None if usuario == TODOS else usuario,
    accion=None if accion == TODOS else accion,
    desde=desde,
    hasta=hasta,
)
st.caption(f"{counts.records(len(log))} (se muestran como máximo 2,000, los más recientes).")
log = log.assign(accion=log["accion"].map(audit.action_label), detalle=log["detalle"].map(audit.detail_text))
st.dataframe(
    log.rename(columns={"fecha": "Fecha", "usuario": "Usuario", "accion": "Acción", "detalle": "Detalle"}),
    hide_index=True,
    width="stretch",
    column_config={"Fecha": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm:ss")},
)
