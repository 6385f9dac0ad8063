"""What a person sees when something fails: a Spanish message with an incident number, never a traceback.

The traceback goes to the server log under the same number («folio»), so the person can quote it
and the administrator can find it. `client.showErrorDetails = "none"` (.streamlit/config.toml)
keeps Streamlit's own error box from showing details if anything slips past this module.
"""

from __future__ import annotations

import logging
import secrets

import streamlit as st

from warehouse.errors import UserError

LOG = logging.getLogger("cmi.incidentes")
MESSAGE = (
    "Ocurrió un error inesperado y la operación no se completó. "
    "Si se repite, comuníquelo al administrador con el folio **{folio}**."
)


def new_incident(exc: BaseException) -> str:
    """Log the traceback under a fresh incident number and return the number."""
    folio = secrets.token_hex(4).upper()
    LOG.error("incidente %s: %s", folio, type(exc).__name__, exc_info=exc)
    return folio


def show_incident(exc: BaseException) -> str:
    """Log the failure and show the Spanish notice with its number; return the number."""
    folio = new_incident(exc)
    st.error(MESSAGE.format(folio=folio), icon=":material/error:")
    return folio


def show_failure(exc: BaseException) -> None:
    """A refusal explained for people (`UserError`) is shown as it is; anything else is an incident."""
    if isinstance(exc, UserError):
        st.error(str(exc), icon=":material/error:")
    else:
        show_incident(exc)


def on_script_error(exc: Exception) -> bool:
    """st.App hook for failures outside the page guard (sign-in screen, widget callbacks)."""
    show_failure(exc)
    return True  # Streamlit does not draw its own exception box
