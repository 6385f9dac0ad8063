"""Issue 11 in Chromium: a person picks «Estado de México» in the sidebar; the cards show the sum of its
two OOAD, the address carries the state, and the state stays chosen on the next page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from indicators import engine
from indicators.catalog import get
from tests.browser.test_dashboard import open_page, settle, sign_in
from tests.fixtures_app import screenshot
from ui.format import fmt_value

pytestmark = pytest.mark.browser
KPI = get("consultas_medicina_familiar")


def _card(page, kpi=KPI) -> str:
    card = page.locator(".cmi-card").filter(has_text=kpi.nombre).first
    return card.locator(".cmi-card-value").inner_text().strip()


def _choose(page, label: str, option: str) -> None:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text=label)
    box.locator("input").click()
    box.locator("input").press_sequentially(option[:8], delay=50)  # as a person narrows a long list
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def test_a_state_picked_in_the_sidebar_shows_its_offices_sum_and_stays_in_the_address(
    app_server, browser_page, demo_db
):
    page = browser_page
    sign_in(page, app_server)
    page.get_by_role("heading", name="Resumen ejecutivo").wait_for()
    settle(page)
    _choose(page, "Entidad federativa", "Estado de México")
    page.wait_for_url("**entidad=Estado+de+M*", timeout=30_000)
    latest = f"{engine.latest_period(demo_db):%Y-%m}"
    east, west = (engine.value(KPI.id, latest, f"ooad:{c}", demo_db).valor for c in ("16", "17"))
    assert engine.value(KPI.id, latest, "entidad:15", demo_db).valor == east + west
    page.wait_for_function(
        "v => [...document.querySelectorAll('.cmi-card-value')].some(e => e.textContent.trim() === v)",
        arg=fmt_value(KPI, east + west),
        timeout=30_000,
    )
    assert _card(page) == fmt_value(KPI, east + west)
    # the OOAD list now holds only the state's two offices
    ooad = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has=page.get_by_text("OOAD", exact=True)
    )
    ooad.locator("input").click()
    expect(page.get_by_role("option").first).to_be_visible()  # the list is open
    offered = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert sorted(o.strip() for o in offered) == ["Estado de México Oriente", "Estado de México Poniente"]
    assert page.get_by_text("Estado de México", exact=True).count() >= 1  # breadcrumb step
    screenshot(page, "resumen_entidad_edomex")
    open_page(page, "Servicios médicos")
    # the bound widget writes the address once the new page's script has drawn it (under load, later)
    page.wait_for_url("**entidad=Estado+de+M*", timeout=30_000)
    assert _card(page) == fmt_value(KPI, east + west)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "servicios_medicos_entidad_edomex")
