"""The page a browser asked for by its address, so sign-in and unknown pages never lose it.

Streamlit knows the page named in the address before `st.navigation` runs (its pages manager
holds the «intended» page of this run); there is no public accessor, so it is read here, in one
place. The sign-in screen answers at that address (ui.auth), and a signed-in user who asks for a
page that does not exist or is not theirs gets a Spanish notice at the same address instead of
Streamlit's English «Page not found» dialog.
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.util import calc_hash

from ui.registry import SCREENS

_ASKED = "_pagina_pedida"
_URL_PATH = re.compile(r"^[a-z0-9_\-]{1,60}$")
UNAVAILABLE = "La página «{name}» no existe o no está disponible para su cuenta; elija una página del menú."


def requested_page() -> str | None:
    """The page name asked for by this run (address or menu), or None for the main page.

    A run started by a widget carries only the page's hash; the name is then found among the
    screens, or is the one this browser session asked for last.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    manager = ctx.pages_manager
    name = (manager.intended_page_name or "").strip("/").lower()
    wanted = manager.intended_page_script_hash
    if not name and wanted:
        asked = st.session_state.get(_ASKED)
        candidates = [s.url_path for s in SCREENS] + ([asked] if asked else [])
        name = next((c for c in candidates if calc_hash(c) == wanted), "")
    if not _URL_PATH.match(name):
        return None
    st.session_state[_ASKED] = name
    return name


def main_page_by_name(main_url: str) -> None:
    """Serve the main page when the address names it (`/resumen?…`): Streamlit serves it only at the
    root and would answer its own name with «Page not found»; this run resolves it as the root."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    manager = ctx.pages_manager
    if (
        not manager.intended_page_script_hash
        and (manager.intended_page_name or "").strip("/").lower() == main_url
    ):
        manager.set_script_intent("", "")


def known_screen(name: str | None) -> bool:
    return any(s.url_path == name for s in SCREENS)


def unavailable_page(name: str) -> st.Page:
    """A hidden page at the asked address that says, in Spanish, that it is not available."""

    def notice() -> None:
        st.warning(UNAVAILABLE.format(name=name), icon=":material/link_off:")

    return st.Page(notice, title="Página no disponible", url_path=name, visibility="hidden")


FILTER_PARAMS = ("tipo", "mes", "anio", "comparacion", "region", "entidad", "ooad")  # ui.filters binds these
_VIEW = "_vista_filtros"


def keep_view(page: str | None) -> None:
    """Carry the global filters from page to page: a menu click drops the address's query, put it back.

    On the same page the address is the truth (a filter set back to its default leaves the query);
    on another page with no filter in its address, the last view of this session is restored.
    """
    current = {k: st.query_params[k] for k in FILTER_PARAMS if k in st.query_params}
    last_page, last_view = st.session_state.get(_VIEW, (page, {}))
    if page != last_page and not current and last_view:
        st.query_params.update(last_view)
        for key, value in last_view.items():  # the bound widgets' values, as the address gives them
            st.session_state[key] = value
        current = last_view
    st.session_state[_VIEW] = (page, current)
