"""Every page re-checks access on load, whatever the navigation showed."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.registry import ROOT, SCREENS
from ui.session import current_user


def guard(page_file: str) -> None:
    """Stop the page with an access message unless the signed-in user's roles allow it."""
    rel = Path(page_file).resolve().relative_to(ROOT).as_posix()
    screen = next((s for s in SCREENS if s.path == rel), None)
    user = current_user()
    if user is None:
        st.warning("Inicie sesión para consultar el Cuadro de Mando Integral.", icon=":material/lock:")
        st.stop()
    if screen is not None and not user.roles & screen.roles:
        st.error("No tiene acceso a esta página con su perfil.", icon=":material/block:")
        st.stop()
