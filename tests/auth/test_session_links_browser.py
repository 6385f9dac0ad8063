"""Issue 27 findings 8, 13 and 10 as a person meets them: the real server (app.py) and Chromium.

- 8 (login CSRF): the sign-in link `/_cmi/sesion?t=…` that an attacker's own sign-in makes signs
  in only the attacker's browser; followed by someone else, it signs nobody in.
- 13: a link to `/_cmi/salir` from another site does not sign anyone out.
- 10: someone failing on an account from the same address (every browser here is on loopback)
  does not lock out the owner in her own browser.

A context's `request` shares the browser's cookies, as following a link does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

import warehouse
from access import login, users
from tests.fixtures_app import VIEWPORT, streamlit_server, submit_sign_in
from tests.indicators import tiny_warehouse
from ui.web import SESSION_URL, SIGN_OUT_URL

pytestmark = pytest.mark.browser
PASSWORD = "Clave-Segura-2026"
EVIL = {"Referer": "http://sitio-ajeno.example/"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("enlaces_sesion")
    db = tiny_warehouse.build(folder / "cmi.duckdb")
    for usuario in ("intruso", "ana", "berta"):
        users.add_user(usuario, usuario.title(), PASSWORD, ["ejecutivo"], path=db)
    warehouse.close_all()  # the server process must own the file
    with streamlit_server(db, folder / "streamlit.log") as (url, _):
        yield url


def _context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport=VIEWPORT, locale="es-MX")
    context.set_default_timeout(60_000)
    return context


def _fill(page: Page, usuario: str, password: str = PASSWORD) -> None:
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(password)


def _signed_in(page: Page) -> bool:
    """After a submit: wait for the signed-in screen or a refusal, and say which."""
    out = page.get_by_role("button", name="Cerrar sesión")
    out.or_(page.get_by_text("Demasiados intentos fallidos")).or_(
        page.get_by_text("incorrectos")
    ).first.wait_for()
    return out.count() == 1


def _cookie(context: BrowserContext, name: str) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == name), None)


def test_a_sign_in_link_made_by_someone_else_signs_nobody_in(server: str, browser: Browser) -> None:
    attacker, victim, stranger = _context(browser), _context(browser), _context(browser)
    try:
        links: list[str] = []

        def keep(route: Route) -> None:  # the attacker keeps the link instead of using it
            links.append(route.request.url)
            route.abort()

        page = attacker.new_page()
        page.route(f"**{SESSION_URL}*", keep)
        page.goto(server)
        _fill(page, "intruso")
        page.get_by_role("button", name="Entrar").click()
        page.get_by_role("button", name="Cerrar sesión").wait_for()
        deadline = time.monotonic() + 60
        while not links and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert links, "the page never asked for the session cookie"
        link = links[0]

        # the victim has opened the dashboard before (her browser has its own device cookie) ...
        mine = victim.new_page()
        mine.goto(server)
        mine.get_by_role("button", name="Entrar").wait_for()
        assert victim.request.get(link, headers=EVIL).status == 403
        # ... or follows the link in a browser that never opened it
        assert stranger.request.get(link, headers=EVIL).status == 403
        for context in (victim, stranger):
            assert _cookie(context, "cmi_sesion") is None
        mine.goto(server)
        mine.get_by_role("button", name="Entrar").wait_for()
        assert mine.get_by_role("button", name="Cerrar sesión").count() == 0

        # the browser that signed in can still trade it (the binding, not a broken hand-off)
        assert attacker.request.get(link).status == 204
        page.unroute(f"**{SESSION_URL}*")
        page.reload()
        page.get_by_role("button", name="Cerrar sesión").wait_for()
    finally:
        for context in (attacker, victim, stranger):
            context.close()


def test_a_sign_out_link_from_another_site_signs_nobody_out(server: str, browser: Browser) -> None:
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(server)
        _fill(page, "ana")
        submit_sign_in(page)
        assert _cookie(context, "cmi_sesion")
        assert context.request.get(server + SIGN_OUT_URL, headers=EVIL).status == 403
        assert context.request.get(server + SIGN_OUT_URL + "?t=" + "0" * 64, headers=EVIL).status == 403
        page.reload()
        page.get_by_role("button", name="Cerrar sesión").wait_for()  # still signed in
        assert page.get_by_role("button", name="Entrar").count() == 0
        # «Cerrar sesión» itself still ends the session and deletes the cookie
        page.get_by_role("button", name="Cerrar sesión").click()
        page.get_by_role("button", name="Entrar").wait_for()
        deadline = time.monotonic() + 60
        while _cookie(context, "cmi_sesion") and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert _cookie(context, "cmi_sesion") is None
        page.reload()
        page.get_by_role("button", name="Entrar").wait_for()
    finally:
        context.close()


def test_failures_from_the_same_address_do_not_lock_the_owner_out(server: str, browser: Browser) -> None:
    owner, other = _context(browser), _context(browser)
    try:
        mine = owner.new_page()
        mine.goto(server)
        _fill(mine, "berta")
        submit_sign_in(mine)  # her browser has signed in to her account before
        mine.get_by_role("button", name="Cerrar sesión").click()
        mine.get_by_role("button", name="Entrar").wait_for()

        theirs = other.new_page()  # someone else, same address, guessing her password
        theirs.goto(server)
        app = theirs.locator("[data-testid='stApp']")
        for i in range(login.PAIR_LIMIT):
            _fill(theirs, "berta", f"no-es-{i}")
            theirs.get_by_role("button", name="Entrar").click()
            expect(theirs.get_by_label("Contraseña")).to_have_value("")  # the form was submitted
            expect(app).to_have_attribute("data-test-script-state", "notRunning")
        expect(theirs.get_by_text("Demasiados intentos fallidos")).to_be_visible()

        _fill(mine, "berta")
        mine.get_by_role("button", name="Entrar").click()
        assert _signed_in(mine), mine.locator("[data-testid='stAlert']").all_inner_texts()
    finally:
        owner.close()
        other.close()


def test_the_page_gives_each_browser_a_device_cookie(server: str, browser: Browser) -> None:
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(server)
        page.get_by_role("button", name="Entrar").wait_for()
        cookie = next(c for c in context.cookies() if c["name"] == "cmi_equipo")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
        first = cookie["value"]
        page.reload()
        page.get_by_role("button", name="Entrar").wait_for()
        assert _cookie(context, "cmi_equipo") == first  # kept, not replaced at each visit
    finally:
        context.close()
