"""A real browser over the demo warehouse: the enlace uploads evidence and asks for conclusion,
the DG opens the notice from «Mis pendientes» (the link carries the folio) and validates it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_dashboard import sign_in
from tests.fixtures_app import screenshot, settle

pytestmark = pytest.mark.browser
FOLIO = "RR-CEN-2023-0020"  # DPM responsible, En proceso 80 %, overdue


def _open(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
    page.get_by_role("heading", name=title).first.wait_for()
    settle(page)


def test_enlace_requests_and_dg_validates_from_the_notice(app_server, browser, tmp_path: Path):
    evidence = tmp_path / "acta_entrega.pdf"
    evidence.write_bytes(b"%PDF-1.4 acta de entrega")
    enlace = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX").new_page()
    enlace.set_default_timeout(90_000)
    sign_in(enlace, app_server, "enlace")
    _open(enlace, "Mis pendientes")
    enlace.get_by_label("Ver acuerdo").click()
    enlace.keyboard.type(FOLIO)  # the list is long: type to narrow it
    enlace.get_by_role("option", name=FOLIO, exact=True).click()
    enlace.get_by_text("Solicitar la conclusión a la Dirección General").wait_for()
    settle(enlace)
    expect(
        enlace.get_by_text(
            "Usted puede: registrar avance, adjuntar evidencia, comentar y solicitar la conclusión."
        )
    ).to_be_visible()
    enlace.get_by_label("Qué se realizó").fill("Se entregaron las 20 camas; se anexa el acta")
    enlace.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(1).set_input_files(str(evidence))
    settle(enlace)
    enlace.get_by_role("button", name="Solicitar conclusión").click()
    enlace.get_by_text(f"Se envió a la Dirección General la solicitud de conclusión de {FOLIO}.").wait_for()
    screenshot(enlace, "acuerdos_enlace_solicita")

    dg = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX").new_page()
    dg.set_default_timeout(90_000)
    sign_in(dg, app_server, "general")
    _open(dg, "Mis pendientes")
    message = dg.get_by_text(f"solicita validar la conclusión de {FOLIO}").first
    try:
        message.wait_for()
    finally:
        screenshot(dg, "mis_pendientes_dg")
    expect(message).to_contain_text("Enlace de la DPM (demo) (por DPM)")  # the person, and on whose behalf
    links = dg.locator(f'a[href*="folio={FOLIO}"]')
    print([links.nth(i).get_attribute("href") for i in range(links.count())])
    links.first.click()
    dg.get_by_role("heading", name=f"Acuerdo {FOLIO}").wait_for()
    assert f"folio={FOLIO}" in dg.url
    settle(dg)
    screenshot(dg, "acuerdo_por_validar_dg")
    dg.get_by_role("button", name="Validar conclusión").click()
    dg.get_by_text(f"Se validó la conclusión de {FOLIO}.").wait_for()
    assert dg.locator("[data-testid='stException']").count() == 0
