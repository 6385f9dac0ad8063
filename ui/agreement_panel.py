"""The record of one agreement: its data, what it aims at, history, evidence, and the forms its user may use.

Which forms appear is the permission table (`agreements.rights`) — the same table the
domain functions enforce; the record states it in words («Usted puede: …»). User text
(description, comments, file names) is shown through `plain()` or in table cells, never as Markdown.

The version shown by each run is kept in session_state; a save sends the version of the run
the user filled the form in, so an edit made meanwhile by someone else is reported as a
conflict (with the fresh values) instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from agreements import actions as act
from agreements import board as ag
from agreements import rights
from agreements.evidence import ALLOWED, MAX_BYTES, Evidence, EvidenceError
from agreements.evidence import read as read_evidence
from ui import agreements_view as view
from ui import counts
from ui.agreements_view import fmt_day, history_table
from ui.format import fmt_pct
from ui.safe import plain
from ui.session import User

FLASH = "_acuerdos_aviso"
MAX_MB = MAX_BYTES // 1024 // 1024


def _seen_key(folio: str) -> str:
    return f"_acuerdo_version_{folio}"


def flash() -> None:
    """Show the message left by the last save (it survives the rerun that refreshes the board)."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")  # composed by the app; user text escaped there


def _saved(folio: str, out: act.Outcome, message: str) -> None:
    st.session_state[_seen_key(folio)] = out.version
    st.session_state[FLASH] = message + (f" {out.aviso_correo}" if out.aviso_correo else "")
    st.rerun()


def _uploader(label: str, key: str) -> Evidence | None:
    upload = st.file_uploader(
        f"{label} ({', '.join(sorted(ALLOWED))}; máx. {MAX_MB} MB)",
        type=sorted(ALLOWED),
        key=key,
        max_upload_size=MAX_MB,
    )
    return Evidence(upload.name, upload.getvalue()) if upload is not None else None


def _status_line(record: dict) -> str:
    text = f"**Estado:** {plain(record['estado'])}"
    if record["vencido"]:
        days = int(record["dias_vencido"])
        text += f" · vencido hace {counts.days(days)}"
    return text


def render(folio: str, user: User, as_of: date) -> None:
    record = ag.agreement(folio, direccion=user.agreements_scope, as_of=as_of, ambito=user.ambito)
    if record is None:  # the same words whether it does not exist or lies outside the scope
        st.warning(f"Acuerdo {plain(folio)} no encontrado.")
        return
    seen = int(st.session_state.get(_seen_key(folio), record["version"]))
    st.subheader(f"Acuerdo {plain(folio)}")
    validating = _request_first(folio, record, user, seen)
    left, right = st.columns(2)
    left.markdown(
        _status_line(record)
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
        f"**Reunión:** {plain(record['reunion'])} ({plain(record['region'])})"
        f"  \n**OOAD / UMAE:** {plain(record['unidad'])}"
        f"  \n**Mesa:** {plain(record['mesa'])}  \n**Tema:** {plain(record['tema'])}"
        f"  \n**Responsable:** {plain(record['direccion'])} ({plain(record['cve_direccion'])})"
        f"  \n**Corresponsables:** {plain(', '.join(record['corresponsables']) or 'ninguna')}"
    )
    st.markdown(f"**Acuerdo:** {plain(record['descripcion'])}")
    _aim(record, user.ambito)
    rels = view.relations(user, record)
    can = rights.allowed(rels, record["estado"])
    st.info(rights.sentence(can), icon=":material/rule:")
    hist = ag.history(folio, direccion=user.agreements_scope, ambito=user.ambito)
    st.markdown("**Historial**")
    if hist.empty:
        st.caption("Sin movimientos registrados.")
    else:
        st.dataframe(history_table(hist), hide_index=True, width="stretch")
    _evidence_list(folio, user)
    if "avance" in can:
        _progress_form(folio, record, user, seen)
    if "solicitar" in can:
        _request_form(folio, user, seen)
    if "evidencia" in can and "avance" not in can:
        _evidence_form(folio, user)
    if {"validar", "devolver"} & set(can) and not validating:
        _validation_forms(folio, user, seen)
    if "cancelar" in can:
        _cancel_form(folio, user, seen)
    if "comentar" in can:
        _comment_form(folio, user)
    st.session_state[_seen_key(folio)] = int(record["version"])  # what this run showed


def _request_first(folio: str, record: dict, user: User, seen: int) -> bool:
    """A pending conclusion request leads the record: who asked and when, «Qué se realizó» in full,
    its evidence, and (for the DG) validate or return right below. True when the forms were drawn."""
    if record["estado"] != rights.REQUESTED:
        return False
    hist = ag.history(folio, direccion=user.agreements_scope, ambito=user.ambito)
    asked = hist[(hist["campo"] == "estado") & (hist["valor_nuevo"] == rights.REQUESTED)]
    if asked.empty:
        return False
    request = asked.iloc[-1]
    behalf = request["en_nombre_de"]
    by = f"{request['persona']}" + (f" (por {behalf})" if isinstance(behalf, str) and behalf else "")
    with st.container(border=True, key="solicitud_de_conclusion"):
        st.markdown(f"**Solicitud de conclusión** · {request['fecha']:%d/%m/%Y %H:%M} · {plain(by)}")
        st.markdown("**Qué se realizó**")
        st.markdown(plain(request["comentario"] or "(sin texto)"))
        files = ag.evidences(folio, direccion=user.agreements_scope, ambito=user.ambito)
        st.markdown(f"**Evidencia** ({counts.files(len(files))})")
        for i, name, mime, ruta, when in zip(
            files["id"], files["nombre_original"], files["tipo"], files["ruta"], files["fecha"], strict=True
        ):
            content = read_evidence(ruta)
            if content is None:
                st.caption(f"{plain(name)} (el archivo ya no está disponible)")
            else:
                st.download_button(
                    f"Descargar {plain(name)} ({pd.Timestamp(when):%d/%m/%Y})",
                    content,
                    file_name=name,
                    mime=mime,
                    key=f"sol_evid_{i}",
                    icon=":material/attach_file:",
                )
    can = rights.allowed(view.relations(user, record), record["estado"])
    if not {"validar", "devolver"} & set(can):
        return False
    _validation_forms(folio, user, seen)
    return True


def _aim(record: dict, within: str) -> None:
    """The KPI the agreement aims at: its current value against the agreement's target."""
    if not record.get("cve_kpi") or record["cve_kpi"] != record["cve_kpi"]:
        return
    aim = view.kpi_progress(record, within)
    if aim is None:
        st.caption(f"Indicador vinculado: {plain(record['cve_kpi'])} (sin datos).")
        return
    st.markdown(
        f"**Indicador vinculado:** {plain(aim['nombre'])} en {plain(aim['donde'])} · "
        f"valor actual {plain(aim['actual'])} ({plain(aim['periodo'])}) · meta del acuerdo {plain(aim['meta'])}"
    )


def _evidence_list(folio: str, user: User) -> None:
    files = ag.evidences(folio, direccion=user.agreements_scope, ambito=user.ambito)
    if files.empty:
        return
    st.markdown("**Evidencias**")
    for i, name, mime, ruta in zip(
        files["id"], files["nombre_original"], files["tipo"], files["ruta"], strict=True
    ):
        content = read_evidence(ruta)
        if content is None:
            st.caption(f"{plain(name)} (el archivo ya no está disponible)")
        else:
            st.download_button(
                f"Descargar {plain(name)}", content, file_name=name, mime=mime, key=f"evid_{i}"
            )


def _attempt(folio: str, message: str, change: Callable[[], act.Outcome]) -> None:
    try:
        out = change()
    except (act.AgreementError, EvidenceError) as exc:
        st.error(plain(str(exc)), icon=":material/error:")
    else:
        _saved(folio, out, message)


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
        comentario = st.text_area(
            "Comentario del avance", placeholder="Qué se hizo desde el último avance", key="avance_comentario"
        )
        evidence = _uploader("Evidencia, opcional", "avance_evidencia")
        if st.form_submit_button("Guardar avance", type="primary"):
            _attempt(
                folio,
                f"Se registró el avance de {folio}: {avance} %.",
                lambda: act.record_progress(folio, user, float(avance), comentario, seen, evidence),
            )


def _request_form(folio: str, user: User, seen: int) -> None:
    with st.form(f"solicitud_{folio}"):
        st.markdown("**Solicitar la conclusión a la Dirección General**")
        comentario = st.text_area(
            "Qué se realizó",
            placeholder="Resumen de lo hecho y de la evidencia que lo respalda",
            key="sol_comentario",
        )
        evidence = _uploader("Evidencia (obligatoria si el acuerdo aún no tiene)", "sol_evidencia")
        if st.form_submit_button("Solicitar conclusión", type="primary"):
            _attempt(
                folio,
                f"Se envió a la Dirección General la solicitud de conclusión de {folio}.",
                lambda: act.request_conclusion(folio, user, comentario, seen, evidence),
            )


def _evidence_form(folio: str, user: User) -> None:
    with st.form(f"evidencia_{folio}", clear_on_submit=True):
        st.markdown("**Adjuntar evidencia**")
        evidence = _uploader("Archivo", "evid_archivo")
        comentario = st.text_input("Nota, opcional", placeholder="Qué contiene el archivo", key="evid_nota")
        if st.form_submit_button("Adjuntar"):
            if evidence is None:
                st.error("Elija un archivo.", icon=":material/error:")
            else:
                _attempt(
                    folio,
                    f"Se adjuntó la evidencia a {folio}.",
                    lambda: act.add_evidence(folio, user, evidence, comentario),
                )


def _validation_forms(folio: str, user: User, seen: int) -> None:
    with st.form(f"validar_{folio}"):
        st.markdown("**Solicitud de conclusión: validar o devolver**")
        comentario = st.text_area(
            "Comentario (obligatorio para devolver)",
            placeholder="Qué falta, o una nota de la validación",
            key="dg_comentario",
        )
        c1, c2 = st.columns(2)
        validate = c1.form_submit_button("Validar conclusión", type="primary")
        back = c2.form_submit_button("Devolver a «En proceso»")
        if validate:
            _attempt(
                folio,
                f"Se validó la conclusión de {folio}.",
                lambda: act.validate_conclusion(folio, user, seen, comentario),
            )
        elif back:
            _attempt(
                folio,
                f"{folio} volvió a «En proceso» con su comentario.",
                lambda: act.return_to_progress(folio, user, seen, comentario),
            )


def _cancel_form(folio: str, user: User, seen: int) -> None:
    with st.expander("Cancelar el acuerdo"), st.form(f"cancelar_{folio}"):
        motivo = st.text_input(
            "Motivo de la cancelación", placeholder="Por qué ya no aplica", key="dg_motivo"
        )
        if st.form_submit_button("Cancelar acuerdo"):
            _attempt(folio, f"Se canceló {folio}.", lambda: act.cancel(folio, user, seen, motivo))


def _comment_form(folio: str, user: User) -> None:
    with st.form(f"comentario_{folio}", clear_on_submit=True):
        comentario = st.text_area(
            "Comentario", placeholder="Escriba un comentario o instrucción", key="comentario_libre"
        )
        if st.form_submit_button("Comentar"):
            _attempt(
                folio, f"Se registró su comentario en {folio}.", lambda: act.comment(folio, user, comentario)
            )
