"""The form that registers one agreement (Dirección General, Planeación, Administrador)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from indicators import agreement_actions as act
from ui.agreement_panel import FLASH
from ui.session import User

REGISTRARS = ("direccion_general", "planeacion", "administrador")


def render(user: User, opts: dict[str, dict[str, str]]) -> None:
    if not user.has(*REGISTRARS):
        return
    with st.expander("Registrar un acuerdo"), st.form("acuerdo_nuevo", clear_on_submit=True):
        reuniones, direcciones, mesas = opts["reuniones"], opts["direcciones"], opts["mesas"]
        if not reuniones:
            st.caption("No hay reuniones en el catálogo; cárguelas antes de registrar acuerdos.")
        c1, c2 = st.columns(2)
        reunion = c1.selectbox("Reunión", list(reuniones), format_func=reuniones.get, key="nuevo_reunion")
        mesa = c2.selectbox(
            "Mesa de trabajo", list(mesas), format_func=lambda k: f"{k} · {mesas[k]}", key="nuevo_mesa"
        )
        responsable = c1.selectbox(
            "Dirección responsable", list(direcciones), format_func=lambda k: f"{k} · {direcciones[k]}",
            key="nuevo_responsable",
        )  # fmt: skip
        corresponsables = c2.multiselect("Corresponsables", list(direcciones), key="nuevo_corresponsables")
        compromiso = c1.date_input(
            "Fecha compromiso", value=None, format="DD/MM/YYYY", key="nuevo_compromiso"
        )
        ooad = c2.text_input("OOAD (clave de dos dígitos, opcional)", key="nuevo_ooad")
        descripcion = st.text_area("Descripción del acuerdo", key="nuevo_descripcion")
        if st.form_submit_button("Registrar acuerdo") and reunion:
            new = act.NewAgreement(
                cve_reunion=reunion,
                cve_mesa=mesa,
                descripcion=descripcion,
                cve_direccion=responsable,
                fecha_compromiso=compromiso,
                fecha_registro=date.today(),
                cve_ooad=ooad.strip().zfill(2) if ooad.strip() else None,
                corresponsables=tuple(corresponsables),
            )
            try:
                out = act.register(new, user.usuario)
            except act.AgreementError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                aviso = f" {out.aviso_correo}" if out.aviso_correo else ""
                st.session_state[FLASH] = f"Se registró el acuerdo {out.folio}.{aviso}"
                st.rerun()
