"""The form that registers one agreement (Dirección General, Planeación, Administrador).

Who may register is checked again by `agreement_actions.register`; the form only hides itself
from the others. OOAD and UMAE are picked by name; the KPI it aims at and its target are optional.
"""

from __future__ import annotations

import streamlit as st

from agreements import actions as act
from agreements import rights
from indicators.catalog import CATALOG
from ui.agreement_panel import FLASH
from ui.safe import plain
from ui.session import User
from warehouse import clock

REGISTRARS = tuple(sorted(rights.REGISTRARS))


def render(user: User, opts: dict[str, dict[str, str]], reunion: str | None = None) -> None:
    """The form; `reunion` fixes the meeting (the meeting page registers into itself)."""
    if not rights.may_register(user):
        return
    reuniones, direcciones, mesas = opts["reuniones"], opts["direcciones"], opts["mesas"]
    ooad, umae, temas = opts["ooad"], opts["umae"], opts["temas"]
    kpis = {k.id: k.nombre for k in CATALOG if k.rubro != "acuerdos"}
    with st.expander("Registrar un acuerdo"), st.form(f"acuerdo_nuevo_{reunion or ''}", clear_on_submit=True):
        if not reuniones:
            st.caption("No hay reuniones registradas; registre la reunión antes que sus acuerdos.")
        c1, c2 = st.columns(2)
        if reunion is None:
            chosen = c1.selectbox(
                "Reunión", list(reuniones), format_func=reuniones.__getitem__, index=None,
                placeholder="Elija la reunión", key="nuevo_reunion",
            )  # fmt: skip
        else:
            chosen = reunion
            c1.text_input("Reunión", reuniones.get(reunion, reunion), disabled=True, key="nuevo_reunion_fija")
        mesa = c2.selectbox(
            "Mesa de trabajo", list(mesas), format_func=lambda k: f"{k} · {mesas[k]}", index=None,
            placeholder="Elija la mesa", key="nuevo_mesa",
        )  # fmt: skip
        tema = c2.selectbox(
            "Tema transversal (opcional)", list(temas), format_func=lambda k: f"{k} · {temas[k]}", index=None,
            placeholder="Sin tema", key="nuevo_tema",
        )  # fmt: skip
        responsable = c1.selectbox(
            "Dirección responsable", list(direcciones), format_func=lambda k: f"{k} · {direcciones[k]}",
            index=None, placeholder="Elija la dirección", key="nuevo_responsable",
        )  # fmt: skip
        corresponsables = c2.multiselect(
            "Corresponsables", list(direcciones), format_func=lambda k: f"{k} · {direcciones[k]}",
            placeholder="Ninguna, o elija una o varias", key="nuevo_corresponsables",
        )  # fmt: skip
        compromiso = c1.date_input(
            "Fecha compromiso", value=None, format="DD/MM/YYYY", key="nuevo_compromiso"
        )
        u1, u2 = st.columns(2)
        cve_ooad = u1.selectbox(
            "OOAD (opcional)", list(ooad), format_func=ooad.__getitem__, index=None, placeholder="Ningún OOAD",
            key="nuevo_ooad",
        )  # fmt: skip
        cve_umae = u2.selectbox(
            "UMAE (opcional)", list(umae), format_func=umae.__getitem__, index=None, placeholder="Ninguna UMAE",
            key="nuevo_umae",
        )  # fmt: skip
        k1, k2 = st.columns(2)
        kpi = k1.selectbox(
            "Indicador al que apunta (opcional)", list(kpis), format_func=kpis.__getitem__, index=None,
            placeholder="Ninguno", key="nuevo_kpi",
        )  # fmt: skip
        meta = k2.number_input(
            "Meta del indicador (opcional)", value=None, placeholder="p. ej. 88", key="nuevo_meta"
        )
        descripcion = st.text_area(
            "Descripción del acuerdo",
            placeholder="Qué se acordó, con su cifra y su lugar",
            key="nuevo_descripcion",
        )
        if st.form_submit_button("Registrar acuerdo"):
            if not (chosen and mesa and responsable):
                st.error("Elija la reunión, la mesa y la dirección responsable.", icon=":material/error:")
                return
            new = act.NewAgreement(
                cve_reunion=chosen,
                cve_mesa=mesa,
                descripcion=descripcion,
                cve_direccion=responsable,
                fecha_compromiso=compromiso,
                fecha_registro=clock.today(),
                cve_ooad=cve_ooad,
                cve_umae=cve_umae,
                cve_tema=tema,
                corresponsables=tuple(corresponsables),
                cve_kpi=kpi,
                meta_kpi=None if meta is None else float(meta),
            )
            try:
                out = act.register(new, user)
            except act.AgreementError as exc:
                st.error(plain(str(exc)), icon=":material/error:")
            else:
                aviso = f" {out.aviso_correo}" if out.aviso_correo else ""
                st.session_state[FLASH] = f"Se registró el acuerdo {out.folio}.{aviso}"
                st.rerun()
