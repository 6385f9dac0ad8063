"""Issue 27 finding 12: `X-Forwarded-For` is believed only from a proxy listed in CMI_PROXIES.

A real uvicorn (its defaults, as `streamlit run app.py` starts it: it trusts the header from
loopback) serves a stand-in app behind app.py's middleware list; the stand-in answers with the
client address the app sees, which is what `st.context.ip_address` and the sign-in throttle read.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.fixtures_app import free_port
from ui.proxy import client_host, networks


def _middleware():
    import app  # the real list the server uses

    return app.app._user_middleware  # what st.App was given


@contextmanager
def _server() -> Iterator[str]:
    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(request.client.host if request.client else "")

    stand_in = Starlette(routes=[Route("/", echo)], middleware=_middleware())
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(stand_in, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def _seen(url: str, forwarded: str | None) -> str:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": forwarded} if forwarded else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def test_a_loopback_client_cannot_choose_its_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CMI_PROXIES", raising=False)
    with _server() as url:
        assert _seen(url, None) == "127.0.0.1"
        for spoofed in ("203.0.113.7", "198.51.100.1, 203.0.113.8", "203.0.113.9:4444"):
            assert _seen(url, spoofed) == "127.0.0.1", spoofed


def test_a_listed_proxy_is_believed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMI_PROXIES", "127.0.0.1, ::1")  # nginx on the same machine (deploy/proxy.sh)
    with _server() as url:
        assert _seen(url, "203.0.113.7") == "203.0.113.7"
        # the right-most address the listed proxy saw, not what the client wrote before it
        assert _seen(url, "198.51.100.1, 203.0.113.8") == "203.0.113.8"


def test_the_rule() -> None:
    proxies = networks(["10.0.0.0/8"])
    assert client_host("203.0.113.5", [], proxies) == "203.0.113.5"
    # a peer that is not a proxy: its own address, whatever it writes
    assert client_host("203.0.113.5", ["198.51.100.1"], proxies) == "203.0.113.5"
    assert client_host("203.0.113.5", ["203.0.113.5"], proxies) == "127.0.0.1"  # names itself: loopback
    # a listed proxy on another machine (uvicorn leaves its address): the entry before the proxies
    assert client_host("10.0.0.2", ["198.51.100.1", "203.0.113.9", "10.0.0.3"], proxies) == "203.0.113.9"
    assert client_host("10.0.0.2", ["10.0.0.4"], proxies) == "10.0.0.4"
    with pytest.raises(ValueError, match="no es una dirección IP"):
        networks(["proxy.imss"])
