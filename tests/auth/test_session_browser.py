"""Sessions, links and first paint as a person meets them: the real server (app.py) and Chromium."""

from __future__ import annotations

import re
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import test_dashboard as dashboard
from tests.browser.test_dashboard import settle
from tests.fixtures_app import screenshot, streamlit_server
from ui.registry import SCREENS

pytestmark = pytest.mark.browser

DEEP_LINK = "/servicios_medicos?tipo=A%C3%B1o&anio=2025&comparacion=A%C3%B1o+anterior&region=Sureste"
PAGE_WORDS = sorted(
    {s.title for s in SCREENS} | {s.url_path for s in SCREENS} | {"cargar datos", "auditoria"}
)
# Words of Streamlit's own English that must never reach a person (whole words, case-sensitive).
ENGLISH = (
    "Upload", "Drag and drop", "Browse files", "per file", "Choose", "Page not found", "Running",
    "Download", "Zoom", "Autoscale", "Reset", "Search", "Fullscreen", "Skip to", "Select", "Clear",
    "Close", "Show", "Hide", "Press Enter", "Limit", "Delete", "Remove", "Copy", "Lasso", "No results",
    "Stop", "Deploy", "Settings", "Loading", "Previous", "Next", "month", "year", "day", "start date",
    "end date", "plot", "Please wait", "Connecting",
)  # fmt: skip
SCAN = """() => {
  const parts = [document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[data-title]'))
    for (const a of ['aria-label', 'title', 'placeholder', 'data-title'])
      if (el.getAttribute(a)) parts.push(el.getAttribute(a));
  return parts.join('\\n');
}"""


@pytest.fixture(scope="module")
def fresh_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server just started (nothing run yet) with a 15-second idle limit."""
    folder = tmp_path_factory.mktemp("sesiones")
    db = folder / "cmi.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db, folder / "streamlit.log", env={"CMI_SESSION_MINUTES": "0.25"}) as (url, _):
        yield url


def sign_in(page, usuario: str) -> None:
    dashboard.sign_in(page, None, usuario)


def sidebar_value(page, label: str) -> str:
    return page.locator(
        f"[data-testid='stSidebar'] input[role='combobox'][aria-label='{label}']"
    ).input_value()


def test_first_paint_shows_no_page_to_an_anonymous_visitor(fresh_server, browser):
    """Right after a server start and on reloads: sampled every 100 ms until a second after the
    sign-in form is up (4 s at most), no page is named."""
    pattern = re.compile("|".join(re.escape(w) for w in PAGE_WORDS), re.I)
    for path in ("/usuarios", "/", DEEP_LINK, "/auditoria"):
        context = browser.new_context(locale="es-MX")
        page = context.new_page()
        for attempt in ("primera visita", "recarga"):
            if attempt == "primera visita":
                page.goto(fresh_server + path, wait_until="commit")
            else:
                page.reload(wait_until="commit")
            seen: list[str] = []
            after_form = 0
            for _ in range(40):
                sample = page.evaluate(
                    "() => ({nav: document.querySelectorAll('[data-testid=stSidebarNav], nav').length,"
                    " links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),"
                    " text: document.body ? document.body.innerText : '',"
                    " form: [...document.querySelectorAll('button')].some(b => b.innerText.trim() === 'Entrar')})"
                )
                links = [h for h in sample["links"] if not h.startswith("#")]
                words = pattern.findall(sample["text"])
                if sample["nav"] or links or words:
                    seen.append(f"{path} {attempt}: nav={sample['nav']} links={links} words={words}")
                after_form += sample["form"]
                if after_form > 10:
                    break
                time.sleep(0.1)
            assert seen == []
            page.get_by_role("button", name="Entrar").wait_for()
        context.close()


def test_idle_session_clears_the_screen_without_a_click(fresh_server, browser_page):
    page = browser_page
    page.goto(fresh_server + DEEP_LINK)
    started = time.monotonic()  # the server's last activity is at or after this moment
    sign_in(page, "ejecutivo")
    # Deadlines, not timings: on a busy machine the first render alone can take half a minute
    # (every rerun is activity, so the idle clock starts when the cards are drawn).
    page.get_by_role("heading", name="Servicios médicos").wait_for(timeout=120_000)
    page.locator(".cmi-card").first.wait_for(timeout=120_000)
    page.get_by_role("button", name="Entrar").wait_for(timeout=180_000)  # no interaction at all
    waited = time.monotonic() - started
    assert page.locator(".cmi-card").count() == 0
    assert page.get_by_text("Su sesión expiró por inactividad").count() == 1
    assert waited >= 15  # never before 15 s of idleness; the 5 s timer clears it without a click
    screenshot(page, "sesion_expirada")


def test_reload_keeps_the_session_and_the_cookie_is_safe(app_server, browser_page):
    page = browser_page
    page.goto(app_server)
    sign_in(page, "ejecutivo")
    settle(page)
    cookie = next(c for c in page.context.cookies() if c["name"] == "cmi_sesion")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert re.fullmatch(r"[0-9a-f]{64}\.[0-9a-f]{64}", cookie["value"])
    assert page.evaluate("() => document.cookie").find("cmi_sesion") == -1  # scripts cannot read it
    page.reload()
    page.get_by_role("button", name="Cerrar sesión").wait_for()
    assert page.get_by_role("button", name="Entrar").count() == 0
    other = page.context.new_page()  # a new tab of the same browser
    other.goto(app_server + "/finanzas")
    other.get_by_role("heading", name="Finanzas").wait_for()
    other.close()


def test_a_deep_link_opened_signed_out_lands_on_its_view_after_sign_in(app_server, browser):
    context = browser.new_context(locale="es-MX", viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(app_server + DEEP_LINK)
    assert page.get_by_text("Page not found").count() == 0
    sign_in(page, "ejecutivo")
    page.get_by_role("heading", name="Servicios médicos").wait_for()
    settle(page)
    assert page.url == app_server + DEEP_LINK
    assert (sidebar_value(page, "Año"), sidebar_value(page, "Región")) == ("2025", "Sureste")
    assert sidebar_value(page, "Comparar contra") == "Año anterior"
    screenshot(page, "enlace_profundo")
    # the view follows the person through the menu
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Finanzas").click()
    page.get_by_role("heading", name="Finanzas").wait_for()
    settle(page)
    assert (sidebar_value(page, "Año"), sidebar_value(page, "Región")) == ("2025", "Sureste")
    assert "region=Sureste" in page.url
    context.close()


def test_unknown_page_or_value_gets_a_spanish_notice(app_server, browser_page):
    page = browser_page
    page.goto(app_server + "/no_existe")
    sign_in(page, "ejecutivo")
    page.get_by_text("La página «no_existe» no existe o no está disponible").wait_for()
    page.goto(app_server + "/usuarios")  # an administrator's page, for an executive
    page.get_by_text("La página «usuarios» no existe o no está disponible").wait_for()
    page.goto(app_server + "/servicios_medicos?region=Marte")
    page.get_by_text("El valor «Marte» de región en la dirección no es válido").wait_for()
    assert page.get_by_text("Page not found").count() == 0


def test_the_main_page_answers_at_its_own_name(app_server, browser_page):
    """`/resumen?…` (the README's example link) opens Resumen with its filters, never «Page not found»."""
    page = browser_page
    page.goto(app_server)
    sign_in(page, "ejecutivo")
    page.get_by_role("heading", name="Resumen ejecutivo").wait_for()
    page.goto(app_server + "/resumen?region=Sureste")  # signed in: the session cookie opens it
    page.get_by_role("heading", name="Resumen ejecutivo").wait_for()
    settle(page)
    assert sidebar_value(page, "Región") == "Sureste"
    for notice in ("Page not found", "Página no encontrada", "no existe o no está disponible"):
        assert page.get_by_text(notice).count() == 0, notice


def test_sign_out_in_one_tab_signs_out_the_other_at_its_next_action(app_server, browser):
    context = browser.new_context(locale="es-MX", viewport={"width": 1440, "height": 1000})
    first = context.new_page()
    first.goto(app_server)
    sign_in(first, "analista")
    second = context.new_page()
    second.goto(app_server + "/catalogo")
    second.get_by_role("button", name="Cerrar sesión").wait_for()
    first.get_by_role("button", name="Cerrar sesión").click()
    first.get_by_role("button", name="Entrar").wait_for()
    second.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Resumen").click()
    second.get_by_role("button", name="Entrar").wait_for()
    assert second.get_by_text("Su sesión se cerró").count() == 1
    assert second.locator("[data-testid='stSidebarNav']").count() == 0
    second.reload()  # the cookie no longer opens anything
    second.get_by_role("button", name="Entrar").wait_for()
    context.close()


def test_security_headers_and_spanish_document(app_server):
    with urllib.request.urlopen(app_server + "/servicios_medicos") as response:
        headers = response.headers
        html = response.read().decode("utf-8")
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-eval'" not in csp
    assert "http" not in csp  # no other origin
    assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert '<html lang="es">' in html and "<title>CMI IMSS</title>" in html and "/_cmi/es.js" in html
    with urllib.request.urlopen(app_server + "/_stcore/health") as response:
        assert response.headers["X-Frame-Options"] == "DENY"


def test_no_english_on_any_page(app_server, browser_page):
    page = browser_page
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(app_server)
    assert page.evaluate("() => document.documentElement.lang") == "es"
    found = _english(page.evaluate(SCAN))
    sign_in(page, "admin")
    titles = [
        t.strip().splitlines()[-1] for t in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    ]
    assert len(titles) >= 12
    for title in titles:
        page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title).click()
        page.get_by_role("heading").first.wait_for()
        settle(page)
        found |= {f"{title}: {w}" for w in _english(page.evaluate(SCAN))}
    uploads = page.locator("[data-testid='stFileUploaderDropzone']")
    assert found == set()
    assert violations == []
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Cargar datos").click()
    settle(page)
    text = uploads.first.inner_text()
    assert "Subir" in text and "por archivo" in text
    screenshot(page, "cargar_datos_es")


def _english(text: str) -> set[str]:
    return {w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)}
