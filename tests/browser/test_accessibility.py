"""axe-core in Chromium: no serious or critical violation on the main pages; rubric screenshots at both sizes."""

from __future__ import annotations

import pytest

from tests.browser.axe import serious_violations
from tests.browser.test_dashboard import no_exception, open_page, settle, sign_in
from tests.fixtures_app import screenshot

pytestmark = pytest.mark.browser

RUBRICS = {
    "servicios_medicos": "Servicios médicos",
    "incorporacion_recaudacion": "Incorporación y recaudación",
    "prestaciones_economicas_sociales": "Prestaciones económicas y sociales",
    "procesos_administrativos": "Procesos administrativos",
    "finanzas": "Finanzas",
}


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
