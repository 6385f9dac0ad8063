"""A real browser over the demo warehouse: the enlace uploads evidence and asks for conclusion,
the DG opens the notice from «Mis pendientes» (the link carries the folio) and validates it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.agreements.conftest import overdue_dpm_folios
from tests.browser.test_dashboard import sign_in
from tests.fixtures_app import screenshot, settle
from warehouse import query_rows

pytestmark = [pytest.mark.browser, pytest.mark.calendario]  # the demo's agreements age with the clock


def _open(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
    page.get_by_role("heading", name=title).first.wait_for()
    settle(page)


def test_enlace_requests_and_dg_validates_from_the_notice(app_server, browser, demo_db, tmp_path: Path):
    folio = overdue_dpm_folios(demo_db)[0]
    evidence = tmp_path / "acta_entrega.pdf"
    evidence.write_bytes(b"%PDF-1.4 acta de entrega")
    enlace = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX").new_page()
    enlace.set_default_timeout(90_000)
    sign_in(enlace, app_server, "enlace")
    _open(enlace, "Mis pendientes")
    enlace.get_by_label("Ver acuerdo").click()
    enlace.keyboard.type(folio)  # the list is long: type to narrow it
    enlace.get_by_role("option", name=folio, exact=True).click()
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
    enlace.get_by_text(f"Se envió a la Dirección General la solicitud de conclusión de {folio}.").wait_for()
    screenshot(enlace, "acuerdos_enlace_solicita")

    dg = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX").new_page()
    dg.set_default_timeout(90_000)
    sign_in(dg, app_server, "general")
    _open(dg, "Mis pendientes")
    message = dg.get_by_text(f"solicita validar la conclusión de {folio}").first
    try:
        message.wait_for()
    finally:
        screenshot(dg, "mis_pendientes_dg")
    expect(message).to_contain_text("Enlace de la DPM (demo) (por DPM)")  # the person, and on whose behalf
    links = dg.locator(f'a[href*="folio={folio}"]')
    print([links.nth(i).get_attribute("href") for i in range(links.count())])
    links.first.click()
    dg.get_by_role("heading", name=f"Acuerdo {folio}").wait_for()
    assert f"folio={folio}" in dg.url
    settle(dg)
    screenshot(dg, "acuerdo_por_validar_dg")
    dg.get_by_role("button", name="Validar conclusión").click()
    dg.get_by_text(f"Se validó la conclusión de {folio}.").wait_for()
    assert dg.locator("[data-testid='stException']").count() == 0


def _dpm_in_progress(demo_db: Path) -> tuple[str, int]:
    """A DPM agreement in progress below 100 %, never asked to conclude, that other tests leave alone."""
    rows = query_rows(
        "SELECT folio, avance FROM acuerdos a WHERE cve_direccion = 'DPM' AND estado = 'En proceso' "
        "AND avance BETWEEN 10 AND 90 AND avance = round(avance) AND folio <> ? "
        "AND NOT EXISTS (SELECT 1 FROM acuerdos_historial h WHERE h.folio = a.folio "
        "AND h.valor_nuevo = 'Solicitud de conclusión') ORDER BY folio DESC LIMIT 1",
        [overdue_dpm_folios(demo_db)[0]],
        demo_db,
    )
    assert rows
    return str(rows[0][0]), int(rows[0][1])


def _progress(page, avance: int):
    return page.locator("[data-testid='stMarkdownContainer']").filter(
        has_text=re.compile(rf"Avance:\s*{avance} %")
    )


def test_a_returned_request_keeps_its_progress_and_its_notice_is_resolved(
    app_server, browser, demo_db, tmp_path: Path
):
    """The cycle with a return, as an enlace and the DG live it: the enlace asks (no notice of their own
    request), the DG reads the request first, returns it; progress goes back, the DG's notice is resolved."""
    folio, avance = _dpm_in_progress(demo_db)
    evidence = tmp_path / "lista_firmada.pdf"
    evidence.write_bytes(b"%PDF-1.4 lista firmada")
    enlace = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX").new_page()
    enlace.set_default_timeout(90_000)
    sign_in(enlace, app_server, "enlace")
    _open(enlace, "Mis pendientes")
    enlace.get_by_label("Ver acuerdo").click()
    enlace.keyboard.type(folio)
    enlace.get_by_role("option", name=folio, exact=True).click()
    enlace.get_by_text("Solicitar la conclusión a la Dirección General").wait_for()
    settle(enlace)
    said = "Se capacitó a 120 enfermeras en los 4 hospitales; se anexa la lista firmada"
    enlace.get_by_label("Qué se realizó").fill(said)
    enlace.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(1).set_input_files(str(evidence))
    settle(enlace)
    enlace.get_by_role("button", name="Solicitar conclusión").click()
    enlace.get_by_text(f"Se envió a la Dirección General la solicitud de conclusión de {folio}.").wait_for()
    settle(enlace)
    # the enlace's own request is no notice for the enlace
    expect(enlace.get_by_text(f"solicita validar la conclusión de {folio}")).to_have_count(0)

    dg = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX").new_page()
    dg.set_default_timeout(90_000)
    sign_in(dg, app_server, "general")
    menu = dg.locator('[data-testid="stSidebarNav"] a').filter(has_text="Mis pendientes")
    expect(menu).to_have_text(re.compile(r"Mis pendientes \(\d[\d,]*\)"))  # the unread count
    unread_before = int(re.sub(r"\D", "", menu.inner_text()))
    _open(dg, "Mis pendientes")
    dg.get_by_text(f"solicita validar la conclusión de {folio}").first.wait_for()
    screenshot(dg, "mis_pendientes_dg_1440")
    dg.set_viewport_size({"width": 390, "height": 844})
    settle(dg)
    screenshot(dg, "mis_pendientes_dg_390")
    dg.set_viewport_size({"width": 1440, "height": 1000})
    dg.locator(f'a[href*="folio={folio}"]').first.click()
    dg.get_by_role("heading", name=f"Acuerdo {folio}").wait_for()
    settle(dg)
    # the request leads: its text in full and its evidence, above the record's history
    request = dg.locator(".st-key-solicitud_de_conclusion")
    expect(request).to_contain_text("Qué se realizó")
    expect(request).to_contain_text(said)
    expect(request.get_by_role("button", name=re.compile(r"Descargar lista_firmada\.pdf"))).to_be_visible()
    history = dg.get_by_text("Historial", exact=True)
    assert request.bounding_box()["y"] < history.bounding_box()["y"]
    back = dg.get_by_role("button", name="Devolver a «En proceso»")
    assert back.bounding_box()["y"] < history.bounding_box()["y"]
    screenshot(dg, "validacion_dg_1440")
    dg.set_viewport_size({"width": 390, "height": 844})
    settle(dg)
    screenshot(dg, "validacion_dg_390")
    dg.set_viewport_size({"width": 1440, "height": 1000})
    settle(dg)
    dg.get_by_label("Comentario (obligatorio para devolver)").fill("Falta la firma de la jefatura")
    back.click()
    dg.get_by_text(f"{folio} volvió a «En proceso» con su comentario.").wait_for()
    settle(dg)
    expect(_progress(dg, avance).first).to_be_visible()  # not 100 %
    # the request is resolved: its notice is no longer unread, and the menu counts one less
    _open(dg, "Mis pendientes")
    expect(dg.get_by_text(f"solicita validar la conclusión de {folio}")).to_have_count(0)
    left = f" \\({unread_before - 1:,}\\)" if unread_before > 1 else ""
    expect(menu).to_have_text(re.compile(rf"Mis pendientes{left}$"))

    # the enlace reads the return and finds the progress as it was before the request
    _open(enlace, "Seguimiento de acuerdos")
    _open(enlace, "Mis pendientes")
    enlace.get_by_text(f"La Dirección General devolvió el acuerdo {folio}").first.wait_for()
    enlace.locator(f'a[href*="folio={folio}"]').first.click()
    enlace.get_by_role("heading", name=f"Acuerdo {folio}").wait_for()
    settle(enlace)
    expect(_progress(enlace, avance).first).to_be_visible()
    assert dg.locator("[data-testid='stException']").count() == 0
    assert enlace.locator("[data-testid='stException']").count() == 0
