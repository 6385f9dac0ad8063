"""The record of one agreement: its data, history, evidence, and the forms its user may use.

The version shown by each run is kept in session_state; a save sends the version of the run
the user filled the form in, so an edit made meanwhile by someone else is reported as a
conflict (with the fresh values) instead of being overwritten.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from indicators import agreement_actions as act
from indicators import agreements as ag
from indicators.agreement_evidence import ALLOWED, MAX_BYTES, Evidence, EvidenceError
from indicators.agreement_evidence import read as read_evidence
from ui.agreements_view import fmt_day, history_table
from ui.format import fmt_pct
from ui.session import User

FLASH = "_acuerdos_aviso"


def _seen_key(folio: str) -> str:
    return f"_acuerdo_version_{folio}"


def flash() -> None:
    """Show the message left by the last save (it survives the rerun that refreshes the board)."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _saved(folio: str, out: act.Outcome, message: str) -> None:
    st.session_state[_seen_key(folio)] = out.version
    st.session_state[FLASH] = message + (f" {out.aviso_correo}" if out.aviso_correo else "")
    st.rerun()


def _refused(folio: str, exc: act.AgreementError) -> None:
    st.error(str(exc), icon=":material/error:")


def render(folio: str, user: User, as_of: date) -> None:
    record = ag.agreement(folio, direccion=user.agreements_scope, as_of=as_of)
    if record is None:
        st.warning(f"El acuerdo {folio} no existe o no está en su ámbito.")
        return
    seen = int(st.session_state.get(_seen_key(folio), record["version"]))
    st.subheader(f"Acuerdo {folio}")
    left, right = st.columns(2)
    left.markdown(
        f"**Estado:** {record['estado']}"
        + (f" · vencido hace {int(record['dias_vencido'])} días" if record["vencido"] else "")
        + f"  \n**Avance:** {fmt_pct(record['avance'], 0)}"
        + f"  \n**Fecha compromiso:** {fmt_day(record['fecha_compromiso'])}"
        + f"  \n**Registro:** {fmt_day(record['fecha_registro'])}"
        + (
            f"  \n**Conclusión:** {fmt_day(record['fecha_conclusion'])}"
            if record["estado"] == "Concluido"
            else ""
        )
    )
    right.markdown(
        f"**Reunión:** {record['reunion']} ({record['region']})  \n**OOAD / UMAE:** {record['unidad']}"
        f"  \n**Mesa:** {record['mesa']}  \n**Tema:** {record['tema']}"
        f"  \n**Responsable:** {record['direccion']} ({record['cve_direccion']})"
        f"  \n**Corresponsables:** {', '.join(record['corresponsables']) or 'ninguna'}"
    )
    st.markdown(f"> {record['descripcion']}")
    hist = ag.history(folio, direccion=user.agreements_scope)
    st.markdown("**Historial**")
    if hist.empty:
        st.caption("Sin movimientos registrados.")
    else:
        st.dataframe(history_table(hist), hide_index=True, width="stretch")
    files = ag.evidences(folio, direccion=user.agreements_scope)
    if not files.empty:
        st.markdown("**Evidencias**")
        for i, name, mime, ruta in zip(
            files["id"], files["nombre_original"], files["tipo"], files["ruta"], strict=True
        ):
            content = read_evidence(ruta)
            if content is None:
                st.caption(f"{name} (el archivo ya no está disponible)")
            else:
                st.download_button(f"Descargar {name}", content, file_name=name, mime=mime, key=f"evid_{i}")
    open_ = record["estado"] in ("Registrado", "En proceso")
    involved = user.cve_direccion in {record["cve_direccion"], *record["corresponsables"]}
    if involved and open_:
        _progress_form(folio, record, user, seen)
    if user.has(act.DG_ROLE):
        _dg_forms(folio, record, user, seen)
    st.session_state[_seen_key(folio)] = int(record["version"])  # what this run showed


def _progress_form(folio: str, record: dict, user: User, seen: int) -> None:
    with st.form(f"avance_{folio}", clear_on_submit=False):
        st.markdown("**Registrar avance**")
        avance = st.number_input(
            "Nuevo avance (%)",
            min_value=0,
            max_value=100,
            value=int(record["avance"]),
            step=5,
            key="avance_nuevo",
        )
        comentario = st.text_area("Comentario", key="avance_comentario")
        upload = st.file_uploader(
            f"Evidencia (opcional; {', '.join(sorted(ALLOWED))}; máx. {MAX_BYTES // 1024 // 1024} MB)",
            type=sorted(ALLOWED),
            key="avance_evidencia",
        )
        if st.form_submit_button("Guardar avance", type="primary"):
            evidence = Evidence(upload.name, upload.getvalue()) if upload is not None else None
            try:
                out = act.record_progress(folio, user, float(avance), comentario, seen, evidence)
            except act.AgreementError as exc:
                _refused(folio, exc)
            except EvidenceError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                _saved(folio, out, f"Se registró el avance de {folio}: {avance} %.")


def _dg_forms(folio: str, record: dict, user: User, seen: int) -> None:
    with st.form(f"dg_{folio}"):
        st.markdown("**Dirección General**")
        comentario = st.text_area("Comentario o instrucción", key="dg_comentario")
        choices = [s for s in ag.STATES if s != record["estado"]]
        estado = st.selectbox("Cambiar estado a", ["(sin cambio)", *choices], key="dg_estado")
        if st.form_submit_button("Guardar", type="primary"):
            try:
                if estado != "(sin cambio)":
                    out = act.change_status(folio, user, estado, seen, comentario)
                    msg = (
                        f"Se validó la conclusión de {folio}."
                        if estado == "Concluido"
                        else f"{folio} pasó a «{estado}»."
                    )
                else:
                    out = act.comment(folio, user, comentario)
                    msg = f"Se registró su comentario en {folio}."
            except act.AgreementError as exc:
                _refused(folio, exc)
            else:
                _saved(folio, out, msg)
