"""After a drill the changed figures come into view, and the breadcrumb reads as one line of text."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect

from indicators.catalog import get
from tests.browser.test_dashboard import no_exception, settle, sign_in
from tests.fixtures_app import screenshot

pytestmark = pytest.mark.browser
SLOW = 120_000  # a rerun of a rubric page on a busy 2-core machine


def test_going_to_a_medical_unit_brings_its_figures_into_view(app_server, browser_page):
    page = browser_page
    page.set_default_timeout(SLOW)
    ooad = "Estado de México Poniente"
    kpi = get("consultas_medicina_familiar")
    sign_in(
        page,
        f"{app_server}/servicios_medicos?kpi_servicios_medicos={quote_plus(kpi.nombre)}&ooad={quote_plus(ooad)}",
    )
    settle(page)
    heading = page.get_by_role("heading", name="Servicios médicos", level=1)
    go = page.locator("[data-testid='stSelectbox']").filter(has_text="Ir a la unidad médica")
    go.scroll_into_view_if_needed()
    settle(page)
    expect(heading).not_to_be_in_viewport()  # the person is down at the units' ranking
    go.locator("input").click()
    option = page.get_by_role("option").first
    unit = option.inner_text().strip()
    option.click()
    expect(page.locator("[data-testid='stSidebar'] .st-key-unidad input")).to_have_value(unit, timeout=SLOW)
    settle(page)
    # back at the top: the title, the breadcrumb ending in the unit, and the unit's cards are in sight
    expect(heading).to_be_in_viewport()
    crumbs = page.locator(".st-key-miga")
    expect(crumbs).to_contain_text(unit)
    expect(crumbs).to_be_in_viewport()
    expect(page.locator(".cmi-card").filter(has_text=kpi.nombre).first).to_be_in_viewport()
    # the breadcrumb flows as one line of text: every step on the same line, none broken in three
    steps = [crumbs.get_by_role("button", name=f"{ooad} ›"), crumbs.get_by_text(unit, exact=True)]
    boxes = [s.bounding_box() for s in steps]
    assert all(b is not None for b in boxes)
    assert max(b["height"] for b in boxes) < 48, boxes  # one line each
    assert abs(boxes[0]["y"] + boxes[0]["height"] / 2 - (boxes[1]["y"] + boxes[1]["height"] / 2)) < 12
    gap = boxes[1]["x"] - (boxes[0]["x"] + boxes[0]["width"])
    assert 0 <= gap < 40, gap  # next to each other, not spread over fixed columns
    no_exception(page)
    screenshot(page, "miga_tras_ir_a_la_unidad_1440")
