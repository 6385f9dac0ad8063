"""Two dashboard processes on one lake behind one address (nginx, deploy/proxy.sh), as issue 17 item 5.

A browser keeps the process its first request went to (the affinity cookie `cmi_servidor`); when
it lands on the other process (here: the affinity cookie is dropped, as when a process stops), it
is still signed in — the session lives in the warehouse — and sees the same numbers. Which process
answered: the `X-CMI-Servidor` header of each page and nginx's access log, which names the upstream
of every request, the WebSocket (/_stcore/stream) included.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

import warehouse
from access import sessions, users
from tests.fixtures_app import proxy_server, screenshot, streamlit_server, submit_sign_in
from tests.indicators import tiny_warehouse
from tests.warehouses import PostgresForTests

pytestmark = pytest.mark.browser
USER, PASSWORD = "ejecutivo.proxy", "clave-proxy-2026"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BEHIND_NGINX = {"CMI_PROXIES": "127.0.0.1"}  # as make shared-demo: believe nginx's X-Forwarded-For


@pytest.fixture(scope="module")
def lake(postgres_server: PostgresForTests, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("proxy_lago")
    spec = postgres_server.server.create_database("proxy_lago")
    os.environ["CMI_LAKE_DATA"] = str(folder / "lago")
    try:
        tiny_warehouse.build(spec)
        users.add_user(USER, "Ejecutivo Proxy", PASSWORD, ["ejecutivo"], path=spec)
    finally:
        os.environ.pop("CMI_LAKE_DATA", None)
        warehouse.close_all()
    yield spec
    warehouse.close_all()


@pytest.fixture(scope="module")
def proxied(lake: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str], Path]]:
    """(proxy URL, the two servers' host:port, the proxy's folder)."""
    if not Path(NGINX).exists():
        pytest.fail("Falta nginx: apt-get install nginx-light (lo hace .ci/run)")
    folder = tmp_path_factory.mktemp("proxy")
    with (
        streamlit_server(lake, folder / "uno.log", env=BEHIND_NGINX) as (first, _),
        streamlit_server(lake, folder / "dos.log", env=BEHIND_NGINX) as (second, _),
        proxy_server([first, second], folder) as url,
    ):
        yield url, [u.removeprefix("http://") for u in (first, second)], folder


def _idle(page) -> None:
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    page.wait_for_timeout(500)


def _numbers(page) -> list[str]:
    """The scorecard's figures as the page shows them, once they are drawn."""
    values = page.locator(".cmi-card-value")
    values.first.wait_for(timeout=90_000)
    shown: list[str] = []
    while (now := values.all_inner_texts()) != shown:  # sections draw one after another
        shown = now
        _idle(page)
        page.wait_for_timeout(1500)
    return shown


def _cookie(context, name: str) -> dict | None:
    """The browser's cookie of that name (its value and flags), or None."""
    return next((c for c in context.cookies() if c["name"] == name), None)


def _stream_servers(folder: Path) -> list[str]:
    """The upstream of each WebSocket nginx opened, in order (its access log)."""
    log = (folder / "access.log").read_text()
    return re.findall(r'"GET /_stcore/stream[^"]*" 101 servidor=(\S+)', log)


def test_two_processes_behind_one_address_share_the_sign_in_and_the_numbers(proxied, browser):
    url, servers, folder = proxied
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX")
    page = context.new_page()
    page.set_default_timeout(90_000)
    try:
        first = page.goto(url).headers["x-cmi-servidor"]
        assert first in servers
        page.get_by_label("Usuario").fill(USER)
        page.get_by_label("Contraseña").fill(PASSWORD)
        submit_sign_in(page)
        expect(page.get_by_text("· carga 1")).to_be_visible(timeout=60_000)
        numbers = _numbers(page)
        assert numbers and any(re.search(r"\d", n) for n in numbers), numbers
        # through nginx the page gave the device cookie and the hand-off bound to it gave the session's
        device = _cookie(context, sessions.DEVICE)
        assert device is not None and device["httpOnly"], context.cookies()
        deadline = time.monotonic() + 30  # the sign-in screen trades the token as an image, after
        while _cookie(context, sessions.COOKIE) is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _cookie(context, sessions.COOKIE) is not None, context.cookies()

        # the affinity cookie keeps this browser on its process, reload after reload
        for _ in range(3):
            assert page.reload().headers["x-cmi-servidor"] == first
            page.get_by_role("button", name="Cerrar sesión").wait_for()
        served = {first}
        # without it (as when its process stops) the next page may land on the other process
        for _ in range(30):
            context.clear_cookies(name="cmi_servidor")
            served.add(page.reload().headers["x-cmi-servidor"])
            if len(served) == 2:
                break
        assert served == set(servers)
        other = page.goto(url).headers["x-cmi-servidor"]  # the new cookie keeps it there
        assert other != first
        page.get_by_role("button", name="Cerrar sesión").wait_for()  # still signed in: no form
        expect(page.get_by_label("Contraseña")).to_have_count(0)
        expect(page.get_by_text("· carga 1")).to_be_visible(timeout=60_000)
        assert _numbers(page) == numbers
        assert _cookie(context, sessions.DEVICE) == device  # the other process kept this browser's device
        screenshot(page, "proxy_otro_proceso")
    finally:
        context.close()
    # nginx logs a WebSocket when it closes: the last one (closed with the context) may come late
    deadline = time.monotonic() + 30
    while (streams := _stream_servers(folder))[-1:] != [other] and time.monotonic() < deadline:
        time.sleep(0.5)
    assert streams[0] == first and streams[-1] == other, streams  # the WebSocket went there too
