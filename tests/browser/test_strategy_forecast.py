"""In a real browser: the strategy map opens a KPI; the card shows its year-end projection."""

from __future__ import annotations

import re

import pytest

from indicators import engine
from tests.browser.test_dashboard import open_page, settle, sign_in
from tests.fixtures_app import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.calendario]  # the year in course follows the clock


def test_strategy_map_opens_a_kpi_with_its_projection_and_gap(app_server: str, browser_page, demo_db) -> None:
    page = browser_page
    sign_in(page, app_server)
    open_page(page, "Mapa estratégico")
    main = page.locator("[data-testid=stMain]")
    for code in ("O1", "O2", "O3", "O4", "O5", "O6"):
        main.get_by_text(re.compile(rf"^{code} · ")).first.wait_for()
    estado = engine.value("patrones_registrados", f"{engine.latest_period(demo_db):%Y-%m}", db=demo_db).estado
    button = main.get_by_role("button", name=f"Patrones registrados · {estado}")
    screenshot(page, "mapa_estrategico")
    button.click()
    page.get_by_role("heading", name="Incorporación y recaudación").first.wait_for()
    settle(page)
    # the KPI chosen for analysis is the one clicked: its trend chart is drawn
    main.get_by_text("Patrones registrados: tendencia mensual").first.wait_for()
    # the card reads «Cierre 2026 · proyección: 99 % de la meta anual, intervalo 98–100 %», or says
    # why the projection cannot be trusted; with December's data the year has closed: no projection
    text = main.inner_text()
    projection = re.compile(
        r"Cierre \d{4} · proyección(: [\d.]+ % de la meta anual, intervalo [\d.]+–[\d.]+ %| no confiable: )"
    )
    if engine.latest_period(demo_db).month == 12:
        assert not re.search(r"Cierre \d{4} · proyección", text)
    else:
        assert projection.search(text)
    assert "¿Quién explica la brecha?" in text if estado != "En meta" else True
    screenshot(page, "mapa_abre_indicador")
