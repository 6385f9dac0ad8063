"""Following a KPI for alerts, from its rubric page."""

from __future__ import annotations

import streamlit as st

from indicators import alerts
from indicators.definitions import Kpi
from ui.safe import plain
from ui.session import current_user


def follow_toggle(kpi: Kpi, periodo: str, ambito: str, where: str | None = None) -> None:
    """«Seguir este indicador» at the current scope (`where`: its name); alerts land in «Mis pendientes»."""
    user = current_user()
    if user is None:
        return
    inbox = user.inbox  # the DG's, the directorate's, or the person's own: every viewer may follow
    following = alerts.is_following(user.usuario, kpi.id, ambito)
    wanted = st.toggle(
        f"Seguir este indicador ({plain(where or ambito)})",
        value=following,
        key=f"seguir_{kpi.id}_{ambito}",
        help="Recibirá en «Mis pendientes» un aviso cuando pase a «Fuera de meta» o su cumplimiento empeore.",
    )
    if wanted and not following:
        alerts.follow(user.usuario, inbox, kpi.id, ambito)
        if alerts.alert_now_if_off(user.usuario, inbox, kpi.id, ambito, periodo):
            st.toast("El indicador ya está «Fuera de meta»: se dejó un aviso en «Mis pendientes».")
    elif following and not wanted:
        alerts.unfollow(user.usuario, kpi.id, ambito)
