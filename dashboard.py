"""CMI IMSS: entry point. Page config, login gate, navigation over the pages a role may see.

Served through st.App by app.py (`streamlit run app.py`), which adds security headers, the
session cookie route and the Spanish document; run alone, everything but the cookie works.
"""

from __future__ import annotations

import streamlit as st

from ui import data
from ui.auth import cookie_exchange, login_gate, logout_button, session_watch
from ui.destination import keep_view, main_page_by_name, requested_page, unavailable_page
from ui.errors import new_incident, show_failure
from ui.format import fmt_date_long
from ui.registry import ROOT, allowed, nav_title
from ui.safe import plain
from ui.web import favicon

# a local favicon: Material and emoji icons would be fetched from the internet
st.set_page_config(page_title="CMI IMSS", page_icon=favicon(), layout="wide")


def _sidebar_facts() -> None:
    from indicators.periods import month_end

    version = data.current_version()
    facts = data.data_facts(version)
    if facts["latest"] is not None:
        st.sidebar.caption(
            f"Datos al {fmt_date_long(month_end(facts['latest']))} · carga {version.split('#')[1]}"
        )
    origins = data.data_origins(version)
    if origins and set(origins.values()) == {"demostración"}:
        st.sidebar.info(
            "**Datos de demostración**: cifras sintéticas calibradas a los totales nacionales publicados por el IMSS.",
            icon=":material/science:",
        )
    elif origins:
        with st.sidebar.expander("Origen de los datos", icon=":material/database:"):
            st.markdown("\n".join(f"- {name}: **{word}**" for name, word in origins.items()))


user = login_gate()  # every run: revoked or idle session, account re-check, cookie, first administrator
if user is None:
    st.stop()

screens = allowed(user)
sections: dict[str, list] = {}
for screen in screens:
    page = st.Page(
        ROOT / screen.path, title=nav_title(screen, user), icon=screen.icon, url_path=screen.url_path
    )
    sections.setdefault(screen.section, []).append(page)
asked = requested_page()
if screens and asked == screens[0].url_path:  # the main page, asked by its name
    main_page_by_name(asked)
if asked and asked not in {s.url_path for s in screens}:
    sections.setdefault("", []).append(unavailable_page(asked))  # Spanish notice, not «Page not found»
navigation = st.navigation(sections, expanded=True)  # every page visible: no English «View N more»
keep_view(navigation.url_path)
cookie_exchange()
filters_box = st.sidebar.container()  # the page's filters go first, above who is signed in
st.session_state["_caja_filtros"] = filters_box
st.sidebar.markdown(f"**{plain(user.nombre)}**")
logout_button()
with st.sidebar:
    session_watch()
try:
    _sidebar_facts()
except Exception as exc:  # logged; the page below tells the person what failed
    new_incident(exc)
try:
    navigation.run()
except Exception as exc:  # st.stop / st.rerun are not Exceptions and pass through
    show_failure(exc)
