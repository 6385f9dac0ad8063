"""CMI IMSS server: `streamlit run app.py` (or `uvicorn app:app`) serves dashboard.py through st.App.

st.App adds what a plain `streamlit run dashboard.py` cannot: the client address rule of `ui.proxy`
(X-Forwarded-For only from CMI_PROXIES), the security headers and Spanish document of `ui.web`, the
route that sets the session cookie, the door in front of Streamlit's upload endpoint
(`ui.upload_door`: signed-in people with an upload right, under the size cap), and Spanish incident
notices for script errors (`ui.errors`).
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from ui.errors import on_script_error
from ui.proxy import ClientAddress
from ui.upload_door import UploadDoor
from ui.web import ROUTES, SecurityHeaders

# Streamlit treats a `pages/` folder beside the entry script as an old-style multipage app and
# lists its files (admin pages included) to anyone, before dashboard.py decides what to show.
# Navigation here is always st.navigation (dashboard.py), which is what this flag records.
PagesManager.uses_pages_directory = False

app = st.App(
    "dashboard.py",
    routes=ROUTES,
    middleware=[Middleware(ClientAddress), Middleware(SecurityHeaders), Middleware(UploadDoor)],
    on_script_error=on_script_error,
)
