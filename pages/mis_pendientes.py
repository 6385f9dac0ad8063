"""Mis pendientes: my notices (each opens its agreement), my open agreements, and my directorate's enlaces."""

import streamlit as st

from agreements import board as ag
from agreements import delegates, notices
from agreements.actions import AgreementError
from ui import agreement_panel as panel
from ui import agreements_view as view
from ui import counts
from ui.auth import require_screen
from ui.safe import plain

user = require_screen(__file__)
scope = user.agreements_scope
inbox_key = user.inbox  # the DG's, the directorate's, or the person's own (followed KPIs)
has_inbox = user.has("direccion_general", "director_normativo", "enlace")
today = view.today()
rev = view.revision()

st.title("Mis pendientes")
panel.flash()
# not the notices of the reader's own actions: they know what they did
unread = notices.inbox(inbox_key, unread_only=True, viewer=user.usuario, within=user.ambito)
if has_inbox:
    k = view.scoped_kpis(user, today)
    view.headline(k, ("en_proceso", "por_validar", "vencidos"))
st.caption(counts.unread_notices(len(unread)))

st.subheader("Notificaciones sin leer")
if unread.empty:
    st.caption(
        "No tiene notificaciones pendientes."
        + ("" if has_inbox else " Aquí llegan los avisos de los indicadores que usted sigue.")
    )
else:
    labels = {}
    for row in unread.head(100).itertuples(index=False):
        behalf = (
            f" (por {row.en_nombre_de})" if isinstance(row.en_nombre_de, str) and row.en_nombre_de else ""
        )
        with st.container(border=True):
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            c1.markdown(
                f"**{row.fecha:%d/%m/%Y %H:%M} · {plain(row.folio)}** · {plain(row.persona)}{plain(behalf)}  \n"
                f"{plain(row.mensaje)}"
            )
            if not str(row.evento).startswith("indicador_"):  # a KPI alert names a KPI, not an agreement
                view.record_link(row.folio, container=c2)
        labels[int(row.id)] = f"{row.fecha:%d/%m/%Y %H:%M} · {row.folio} · {row.mensaje[:60]}"
    chosen = st.multiselect(
        "Seleccionar", list(labels), format_func=labels.__getitem__, placeholder="Elija notificaciones",
        key="pendientes_sel",
    )  # fmt: skip
    b1, b2 = st.columns(2)
    if b1.button("Marcar seleccionadas como leídas", disabled=not chosen):
        st.session_state[panel.FLASH] = counts.marked_read(
            notices.mark_read(inbox_key, chosen, within=user.ambito)
        )
        st.rerun()
    if b2.button("Marcar todas como leídas"):
        n = notices.mark_read(inbox_key, [int(i) for i in unread["id"]], within=user.ambito)
        st.session_state[panel.FLASH] = counts.marked_read(n)
        st.rerun()

if has_inbox:
    st.subheader("Mis acuerdos abiertos")
    mine = view.listing(scope, today, ag.BoardFilters(ambito=user.ambito), rev, open_only=True)
    if mine.empty:
        st.caption("No tiene acuerdos abiertos.")
    else:
        shown = f"; se muestran los primeros {len(mine):,}" if k.en_proceso > len(mine) else ""
        st.caption(
            f"{counts.open_agreements(k.en_proceso)}. Vencidos primero, del más atrasado al más reciente{shown}."
        )
        st.dataframe(view.list_table(mine), hide_index=True)
        folio = st.selectbox("Ver acuerdo", mine["folio"].tolist(), index=None, placeholder="Elija un folio",
                             key="pendientes_folio")  # fmt: skip
        if folio:
            panel.render(folio, user, today)

# Enlaces: an administrator names them for any directorate, a director for their own.
namable = sorted(ag.options()["direcciones"]) if user.has("administrador") else (
    [user.cve_direccion] if user.has("director_normativo") and user.cve_direccion else []
)  # fmt: skip
if namable:
    st.subheader("Enlaces")
    st.caption("Un enlace captura avance, comenta y solicita la conclusión en nombre de la dirección.")
    direccion = namable[0] if len(namable) == 1 else st.selectbox("Dirección", namable, key="enlace_dir")
    current = delegates.delegates(direccion)
    if current.empty:
        st.caption(f"{plain(direccion)} no tiene enlaces.")
    else:
        st.dataframe(
            current.rename(columns={"cve_direccion": "Dirección", "usuario": "Usuario", "nombre": "Nombre",
                                    "designado_por": "Designado por", "fecha": "Desde"}),
            hide_index=True,
            column_config={"Desde": st.column_config.DatetimeColumn(format="DD/MM/YYYY")},
        )  # fmt: skip
    people = delegates.candidates(direccion)
    with st.form("enlace_nuevo"):
        who = st.selectbox("Persona", list(people), format_func=people.__getitem__, index=None,
                           placeholder="Elija una cuenta activa", key="enlace_persona")  # fmt: skip
        if st.form_submit_button("Designar enlace") and who:
            try:
                delegates.name_delegate(user, who, direccion)
            except AgreementError as exc:
                st.error(plain(str(exc)), icon=":material/error:")
            else:
                st.session_state[panel.FLASH] = f"{plain(people[who])} es ahora enlace de {direccion}."
                st.rerun()
