"""The HTTP side of the app (st.App, see app.py): security headers, the session cookie, Spanish overrides.

- `SecurityHeaders` (ASGI middleware) adds a Content-Security-Policy that allows only the app's
  own origin, `X-Frame-Options: DENY`, `Referrer-Policy` and `nosniff` to every response, and
  rewrites Streamlit's `index.html` so the document is `lang="es"`, titled «CMI IMSS», and loads
  the Spanish overrides of `ui/assets/es.js` + `es.css` (texts Streamlit has no setting for).
- The document also gives a browser that has none its device cookie (`cmi_equipo`: random,
  HttpOnly, SameSite=Lax, a year): the WebSocket that follows carries it to the script, which binds
  the sign-in's hand-off token to it and throttles sign-in attempts by it (access.login).
- `/_cmi/sesion?t=TOKEN` trades a one-time hand-off token (access.sessions) for the signed,
  HttpOnly, SameSite=Lax session cookie, only for the browser whose device cookie the token was
  made for (a token sent to someone else as a link is refused: login CSRF); `/_cmi/salir?t=CHECK`
  ends the session the cookie names and deletes the cookie, only with the session's check (a link
  from another site cannot sign anyone out; a cookie of a session already ended is just deleted).
  The Streamlit script cannot set cookies, so the screens load these URLs as an image (ui.auth).

CSP, and why each exception: Streamlit's front end injects its styles at run time (emotion), so
`style-src` needs 'unsafe-inline'; its `index.html` has one inline script (`prerenderReady`),
allowed by its SHA-256 hash, computed from the page served; images, fonts and workers also come
as `data:`/`blob:` URLs made by the front end (Plotly's PNG export, Glide's grid). No 'unsafe-eval'
and no other origin: the app is offline.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from access import sessions

ASSETS = Path(__file__).resolve().parent / "assets"
PREFIX = "/_cmi"
SESSION_URL = f"{PREFIX}/sesion"
SIGN_OUT_URL = f"{PREFIX}/salir"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
_HEAD_END = b"</head>"
_CONDITIONAL = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
_OVERRIDES = (
    f'<link rel="stylesheet" href="{PREFIX}/es.css" /><script src="{PREFIX}/es.js" defer></script>'
).encode()


@functools.cache
def favicon() -> str:
    """The local favicon as a data: URL: st.set_page_config reads and registers a file path on
    every rerun; a URL it passes through (img-src allows data:)."""
    return "data:image/png;base64," + base64.b64encode((ASSETS / "favicon.png").read_bytes()).decode("ascii")


def content_security_policy(script_hashes: list[str]) -> str:
    hashes = " ".join(f"'sha256-{h}'" for h in script_hashes)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}".strip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "frame-src 'self' blob: data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


STATIC_HEADERS = {
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
    b"x-content-type-options": b"nosniff",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def rewrite_index(body: bytes) -> tuple[bytes, list[str]]:
    """Streamlit's index.html in Spanish, with the overrides; and the hashes of its inline scripts."""
    body = body.replace(b'<html lang="en">', b'<html lang="es">', 1)
    body = body.replace(b"<title>Streamlit</title>", b"<title>CMI IMSS</title>", 1)
    body = body.replace(_HEAD_END, _OVERRIDES + _HEAD_END, 1)
    hashes = [
        base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() for m in _INLINE_SCRIPT.finditer(body)
    ]
    return body, hashes


class SecurityHeaders:
    """Pure ASGI middleware (no buffering except for the HTML document, which is small)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"text/html" in dict(scope["headers"]).get(b"accept", b""):
            # The document is rewritten below: ask for it whole and uncompressed (a 304 would
            # carry a policy without the hash of its inline script).
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k not in _CONDITIONAL]
        start: Message | None = None
        chunks: list[bytes] = []
        device = (
            None
            if sessions.valid_device(Request(scope).cookies.get(sessions.DEVICE))
            else _device_cookie(scope)
        )

        async def wrapped(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message  # hold it until the whole body is here
                    return
                await send(_with_headers(message, content_security_policy([])))
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body, hashes = rewrite_index(b"".join(chunks))
            held = {k: v for k, v in start.get("headers", []) if k != b"content-length"}
            held[b"content-length"] = str(len(body)).encode()
            out = list(held.items()) + ([(b"set-cookie", device)] if device else [])
            await send(_with_headers({**start, "headers": out}, content_security_policy(hashes)))
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, wrapped)


def _with_headers(message: Message, csp: str) -> Message:
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in STATIC_HEADERS]
    headers += list(STATIC_HEADERS.items())
    headers.append((b"content-security-policy", csp.encode()))
    return {**message, "headers": headers}


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def _device_cookie(scope: Scope) -> bytes:
    """A `Set-Cookie` value giving this browser a new device cookie."""
    secure = "; Secure" if _secure(Request(scope)) else ""
    age = int(sessions.DEVICE_AGE.total_seconds())
    return (
        f"{sessions.DEVICE}={sessions.new_device()}; Max-Age={age}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ).encode("latin-1")


def _no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"
    return response


def issue_cookie(request: Request) -> Response:
    """GET /_cmi/sesion?t=TOKEN: the session cookie for a one-time token made for this browser
    (204), or 403 (no device cookie, another browser's token, spent or expired)."""
    device = request.cookies.get(sessions.DEVICE)
    if not sessions.valid_device(device):
        return _no_store(Response(status_code=403))
    key = sessions.secret()
    value = sessions.redeem(request.query_params.get("t", ""), key, equipo=str(device))
    if value is None:
        return _no_store(Response(status_code=403))
    response = Response(status_code=204)
    response.set_cookie(
        sessions.COOKIE,
        value,
        max_age=int(sessions.lifetime().total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return _no_store(response)


def clear_cookie(request: Request) -> Response:
    """GET /_cmi/salir?t=CHECK: end the session the cookie names and delete the cookie (204); a live
    session without its check (a link from another site) stays as it was (403)."""
    key = sessions.secret()
    session = sessions.from_cookie(request.cookies.get(sessions.COOKIE), key)
    if session is not None:
        check = sessions.sign_out_check(session.clave, key)
        if not hmac.compare_digest(request.query_params.get("t", "").encode(), check.encode()):
            return _no_store(Response(status_code=403))
        sessions.revoke(session.clave, "cierre")
    response = Response(status_code=204)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return _no_store(response)


def _asset(name: str, media_type: str):
    def serve(_request: Request) -> FileResponse:
        return FileResponse(ASSETS / name, media_type=media_type)

    return serve


ROUTES = [
    Route(SESSION_URL, issue_cookie),
    Route(SIGN_OUT_URL, clear_cookie),
    Route(f"{PREFIX}/es.js", _asset("es.js", "text/javascript")),
    Route(f"{PREFIX}/es.css", _asset("es.css", "text/css")),
]
