"""ui.web's middleware on a stand-in ASGI app: headers on every response, the document rewritten."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from concurrent.futures import ThreadPoolExecutor

from ui.web import SecurityHeaders

INDEX = (
    b'<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <title>Streamlit</title>\n'
    b"    <script>\n      window.prerenderReady = false\n    </script>\n  </head>\n  <body></body>\n</html>\n"
)


def _run(content_type: bytes, chunks: list[bytes], request_headers: list[tuple[bytes, bytes]]):
    seen: dict = {}
    sent: list[dict] = []

    async def inner(scope, receive, send):
        seen["headers"] = dict(scope["headers"])
        length = str(sum(map(len, chunks))).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", content_type), (b"content-length", length)]})  # fmt: skip
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1})

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": "GET", "path": "/servicios_medicos", "headers": request_headers}
    # a thread of its own: a session's Playwright browser keeps an event loop running in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, SecurityHeaders(inner)(scope, receive, send)).result()
    return seen, sent


def test_the_document_is_spanish_with_overrides_and_its_inline_script_hashed():
    request = [(b"accept", b"text/html,*/*"), (b"accept-encoding", b"gzip"), (b"if-none-match", b'"abc"')]
    seen, sent = _run(b"text/html; charset=utf-8", [INDEX[:60], INDEX[60:]], request)
    assert b"accept-encoding" not in seen["headers"] and b"if-none-match" not in seen["headers"]
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    headers = dict(start["headers"])
    assert b'<html lang="es">' in body and b"<title>CMI IMSS</title>" in body
    assert b'<script src="/_cmi/es.js" defer></script></head>' in body
    assert headers[b"content-length"] == str(len(body)).encode()
    inline = b"\n      window.prerenderReady = false\n    "
    digest = base64.b64encode(hashlib.sha256(inline).digest()).decode()
    csp = headers[b"content-security-policy"].decode()
    assert f"script-src 'self' 'sha256-{digest}'" in csp and "frame-ancestors 'none'" in csp
    assert headers[b"x-frame-options"] == b"DENY" and headers[b"referrer-policy"] == b"same-origin"


def test_other_responses_stream_through_with_the_headers():
    request = [(b"accept", b"*/*"), (b"accept-encoding", b"gzip")]
    seen, sent = _run(b"application/javascript", [b"let a = 1;", b"let b = 2;"], request)
    assert seen["headers"][b"accept-encoding"] == b"gzip"  # compression untouched for assets
    assert [m.get("body") for m in sent[1:]] == [b"let a = 1;", b"let b = 2;"]
    headers = dict(sent[0]["headers"])
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"content-security-policy"].startswith(b"default-src 'self'; script-src 'self';")
