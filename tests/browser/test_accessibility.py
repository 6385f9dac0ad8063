"""axe-core (npm, pinned) injected by Playwright: no serious or critical violation; phone screenshots."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.browser.test_dashboard import no_exception, open_page, settle, sign_in
from tests.fixtures_app import screenshot

pytestmark = pytest.mark.browser

AXE_VERSION = "4.10.3"
AXE_DIR = Path(__file__).resolve().parent / ".axe"  # ignored by git; installed on first use
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
RUBRICS = {
    "servicios_medicos": "Servicios médicos",
    "incorporacion_recaudacion": "Incorporación y recaudación",
    "prestaciones_economicas_sociales": "Prestaciones económicas y sociales",
    "procesos_administrativos": "Procesos administrativos",
    "finanzas": "Finanzas",
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js, installed from the npm registry into tests/browser/.axe when missing."""
    if not AXE_JS.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(AXE_DIR),
                "--no-audit",
                "--no-fund",
                "--no-save",
                f"axe-core@{AXE_VERSION}",
            ],
            check=True,
            timeout=300,
        )
    return AXE_JS.read_text(encoding="utf-8")


def serious_violations(page, axe_source: str) -> list[str]:
    """axe's serious and critical findings on the page as it is, one line each."""
    # elements of the previous run fade while a rerun draws: scan the page as it rests
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    page.wait_for_timeout(1500)
    page.evaluate(axe_source)  # evaluate is not subject to the app's Content-Security-Policy
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violations(app_server, browser_page, axe_source):
    page = browser_page
    page.set_default_timeout(60_000)
    sign_in(page, app_server)
    found = {}
    for title in ("Resumen", "Servicios médicos", "Seguimiento de acuerdos"):
        open_page(page, title)
        no_exception(page)
        found[title] = serious_violations(page, axe_source)
    # one level below the OOAD: a UMAE with its ranking, select and breadcrumb
    query = "region=Centro&ooad=Ciudad+de+M%C3%A9xico+Sur&umae=Hospital+de+Cardiolog%C3%ADa%2C+CMN+Siglo+XXI"
    page.goto(f"{app_server}/servicios_medicos?{query}&kpi_servicios_medicos=Ocupaci%C3%B3n+hospitalaria")
    page.get_by_role("heading", name="Servicios médicos", level=1).wait_for()
    settle(page)
    no_exception(page)
    found["UMAE"] = serious_violations(page, axe_source)
    assert found == {"Resumen": [], "Servicios médicos": [], "Seguimiento de acuerdos": [], "UMAE": []}


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["escritorio", "telefono"])
def test_screenshots_of_every_rubric_page(app_server, browser, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="es-MX")
    page = context.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, app_server)
    for slug, title in RUBRICS.items():
        page.goto(f"{app_server}/{slug}")
        page.get_by_role("heading", name=title, level=1).wait_for()
        settle(page)
        no_exception(page)
        screenshot(page, f"rubro_{slug}_{size[0]}x{size[1]}")
    context.close()


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
