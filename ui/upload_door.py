"""Uploads only for signed-in people with the right (issue 27, finding 9), and never above the cap.

Streamlit's upload endpoint (`PUT /_stcore/upload_file/<session>/<file>`) accepts a file for any
open WebSocket session and any file id, signed in or not, and holds it in memory until the
session ends: the probe sent 4 × 50 MB from a session that had only seen the sign-in screen. The
upload widgets are drawn only after sign-in, for the roles whose screens have one, but the
endpoint does not know that. `UploadDoor` (ASGI middleware, app.py) answers such a request
before Streamlit reads its body: 403 unless the request carries the cookie of a live session
(`access.sessions`) whose account holds a role with an upload on its screens, 411 without a
declared length, 413 above `UPLOAD_MAX_MB` — the same cap as `server.maxUploadSize` in
`.streamlit/config.toml` and nginx's `client_max_body_size` (a test holds the three together).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from access import sessions, users
from access.roles import CAPABILITIES
from agreements.meetings import CREATORS

UPLOAD_MAX_MB = 200  # per file; larger tables (a monthly IMSS asg file, ~400 MB) load by command line
UPLOAD_PATH = "/_stcore/upload_file/"
_FRAMING = 1024 * 1024  # multipart boundaries and headers around the file (Streamlit allows the same)
# roles whose screens draw an upload widget: data loads, meeting minutes, agreement evidence
UPLOAD_ROLES = (
    CAPABILITIES["cargar"]
    | CAPABILITIES["registrar_acuerdos"]
    | CAPABILITIES["bandeja_de_acuerdos"]
    | CREATORS
)
REFUSED = "Solo una persona con sesión iniciada y permiso para subir archivos puede enviarlos."
TOO_BIG = f"El archivo pasa el límite de {UPLOAD_MAX_MB} MB por archivo."
NO_LENGTH = "El envío no declara su tamaño (Content-Length)."


def may_upload(cookie: str | None) -> bool:
    """Whether the session cookie names a live session of an active account with an upload right."""
    session = sessions.from_cookie(cookie, sessions.secret())
    if session is None:
        return False
    account = users.get_user(session.usuario)
    return account is not None and account.activo and bool(account.roles & UPLOAD_ROLES)


def refusal(method: str, length: str | None, cookie: str | None) -> tuple[int, str] | None:
    """(status, Spanish reason) for an upload request the door turns away, or None to let it in."""
    if method != "PUT":  # DELETE and OPTIONS store nothing
        return None
    if not may_upload(cookie):
        return 403, REFUSED
    if length is None or not length.isdigit():
        return 411, NO_LENGTH
    if int(length) > UPLOAD_MAX_MB * 1024 * 1024 + _FRAMING:
        return 413, TOO_BIG
    return None


class UploadDoor:
    """Pure ASGI middleware in front of Streamlit's upload endpoint; everything else passes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or UPLOAD_PATH not in scope["path"]:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refused = await run_in_threadpool(  # the session lookup reads the warehouse
            refusal,
            request.method,
            request.headers.get("content-length"),
            request.cookies.get(sessions.COOKIE),
        )
        if refused is None:
            await self.app(scope, receive, send)
            return
        status, reason = refused
        response = PlainTextResponse(reason, status_code=status, headers={"cache-control": "no-store"})
        await response(scope, receive, send)
