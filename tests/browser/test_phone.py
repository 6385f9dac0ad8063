"""Phone (390×844) screenshots of every other page, and the administration pages' axe scan on a phone.

Apart from tests/browser/test_accessibility.py so that xdist can run the two on different workers.
"""

from __future__ import annotations

import pytest

from tests.browser.axe import serious_violations
from tests.browser.test_dashboard import no_exception, settle, sign_in
from tests.fixtures_app import screenshot

pytestmark = pytest.mark.browser

OTHER_PAGES = ("", "mapa_estrategico", "acuerdos", "mis_pendientes", "reuniones", "catalogo", "exportar")


def test_phone_screenshots_of_the_other_pages(app_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
    page = context.new_page()
    page.set_default_timeout(120_000)
    sign_in(page, app_server)
    for slug in OTHER_PAGES:
        page.goto(f"{app_server}/{slug}")
        page.get_by_role("heading", level=1).first.wait_for()
        settle(page)
        no_exception(page)
        screenshot(page, f"telefono_{slug or 'resumen'}_390x844")
    context.close()


# The administration pages by the role that uses them: (role, slug, heading).
ADMIN_PAGES = (
    ("planeacion", "cargar_datos", "Cargar datos"),
    ("planeacion", "acuerdos", "Seguimiento de acuerdos"),
    ("planeacion", "reuniones", "Reuniones regionales"),
    ("director", "mis_pendientes", "Mis pendientes"),
    ("analista", "exportar", "Exportar"),
    ("admin", "usuarios", "Usuarios y roles"),
    ("admin", "auditoria", "Bitácora"),
)


def test_admin_pages_on_a_phone_have_no_serious_violations(app_server, browser, axe_source):
    """Each administration page at 390×844 as its role sees it: a screenshot and an axe scan;
    the agreements board also with «Registrar un acuerdo» open."""
    found = {}
    for role in dict.fromkeys(r for r, _, _ in ADMIN_PAGES):
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="es-MX", is_mobile=True, has_touch=True
        )
        page = context.new_page()
        page.set_default_timeout(120_000)
        try:
            sign_in(page, app_server, role)
            for _, slug, heading in (p for p in ADMIN_PAGES if p[0] == role):
                page.goto(f"{app_server}/{slug}")
                page.get_by_role("heading", name=heading, level=1).wait_for()
                settle(page)
                no_exception(page)
                found[slug] = serious_violations(page, axe_source)
                screenshot(page, f"telefono_{slug}_390x844")
                if slug == "acuerdos":
                    page.get_by_text("Registrar un acuerdo", exact=True).first.click()
                    page.get_by_role("button", name="Registrar acuerdo").wait_for()
                    settle(page)
                    found["acuerdos (nuevo)"] = serious_violations(page, axe_source)
                    screenshot(page, "telefono_acuerdos_nuevo_390x844")
        finally:
            context.close()
    assert found == {slug: [] for slug in [*(s for _, s, _ in ADMIN_PAGES), "acuerdos (nuevo)"]}, found
