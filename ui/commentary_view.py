"""The owner's commentary on a KPI: shown beside the card, written and requested on the rubric page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access.scope import scope_name
from indicators import commentary
from indicators.definitions import Kpi
from indicators.periods import parse_period
from ui.safe import plain
from ui.session import User, current_user


def author(user: User) -> commentary.Author:
    return commentary.Author(user.usuario, user.cve_direccion, user.has("direccion_general"), user.ambito)


def card_note(note: dict[str, object] | None) -> None:
    """Under a card: the current commentary behind a popover (nothing when there is none)."""
    if not note:
        return
    with st.popover("Comentario del responsable", icon=":material/comment:"):
        st.markdown(f"**¿Por qué?** {plain(str(note['por_que']))}")
        st.markdown(f"**¿Qué se hace?** {plain(str(note['que_se_hace']))}")
        st.caption(f"{plain(note['usuario'])} · {note['fecha']:%d/%m/%Y %H:%M}")


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The commentaries as people read them: the ámbito by its name («OOAD Jalisco»), not its code."""
    names = {a: scope_name(a) for a in frame["ambito"].unique()}
    return pd.DataFrame(
        {
            "Fecha": [f"{f:%d/%m/%Y %H:%M}" for f in frame["fecha"]],
            "Periodo": frame["periodo"],
            "Ámbito": frame["ambito"].map(names),
            "¿Por qué?": frame["por_que"],
            "¿Qué se hace?": frame["que_se_hace"],
            "Autor": frame["usuario"],
        }
    )


def section(kpi: Kpi, periodo: str, ambito: str, where: str | None = None) -> None:
    """Rubric page: the current commentary, the owner's form, the DG's request and the history.

    `where`: the scope's name («OOAD Jalisco»), said instead of its code."""
    user = current_user()
    if user is None:  # pages ask for a sign-in first; without one there is no ámbito to read in
        return
    st.subheader("Comentario del responsable")
    owner = commentary.owner_directorate(kpi.id)
    found = commentary.history(kpi.id, periodo, ambito, within=user.ambito)
    if found.empty:
        st.caption(
            f"Sin comentario para {parse_period(periodo).label} ({plain(where or ambito)})."
            f" Responsable: {plain(owner or 'sin asignar')}."
        )
    else:
        card_note(found.iloc[0].to_dict())
    who = author(user)
    if commentary.may_write(kpi.id, who):
        with st.form(f"comentario_{kpi.id}", clear_on_submit=True):
            why = st.text_area("¿Por qué?", max_chars=commentary.MAX_CHARS)
            what = st.text_area("¿Qué se hace?", max_chars=commentary.MAX_CHARS)
            if st.form_submit_button("Guardar comentario", icon=":material/save:"):
                try:
                    commentary.add(kpi.id, periodo, ambito, why, what, who)
                except commentary.CommentaryError as exc:
                    st.error(str(exc))
                else:
                    st.success("Comentario guardado.")
                    st.rerun()
    if who.es_dg and owner and st.button("Solicitar comentario al responsable", key=f"solicitar_{kpi.id}"):
        commentary.request(kpi.id, periodo, ambito, user.usuario, within=user.ambito)
        st.success(f"Se envió la solicitud a {plain(owner)} (aparece en su bandeja «Mis pendientes»).")
    every = commentary.history(kpi.id, within=user.ambito)  # only commentary inside the ámbito
    if not every.empty:
        with st.expander(f"Historial de comentarios ({len(every)})"):
            st.dataframe(history_table(every), hide_index=True)
