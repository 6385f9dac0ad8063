"""CMI IMSS: entry point. Page config, login gate, navigation over the pages a role may see."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui.auth import login_gate, logout_button
from ui.format import fmt_date_long
from ui.registry import ROOT, allowed

# a local favicon: Material and emoji icons would be fetched from the internet
st.set_page_config(
    page_title="CMI IMSS", page_icon=str(ROOT / "ui" / "assets" / "favicon.png"), layout="wide"
)


def _sidebar_facts() -> None:
    from indicators.periods import month_end

    version = data.current_version()
    facts = data.data_facts(version)
    if facts["latest"] is not None:
        st.sidebar.caption(
            f"Datos al {fmt_date_long(month_end(facts['latest']))} · carga {version.split('#')[1]}"
        )
    if facts["demo"]:
        st.sidebar.info(
            "**Datos de demostración**: cifras sintéticas calibradas a los totales nacionales publicados por el IMSS.",
            icon=":material/science:",
        )


user = login_gate()  # every run: idle timeout, account re-check, first administrator
if user is None:
    st.stop()

screens = allowed(user)
sections: dict[str, list] = {}
for screen in screens:
    page = st.Page(screen.path, title=screen.title, icon=screen.icon, url_path=screen.url_path)
    sections.setdefault(screen.section, []).append(page)
navigation = st.navigation(sections)
filters_box = st.sidebar.container()  # the page's filters go first, above who is signed in
st.session_state["_caja_filtros"] = filters_box
st.sidebar.markdown(f"**{user.nombre}**")
_sidebar_facts()
logout_button()
navigation.run()
