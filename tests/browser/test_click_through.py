"""Click-through: a failing row, a map tile and a breadcrumb lead where they say; the URL keeps the view."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from indicators import engine
from indicators.catalog import get
from indicators.definitions import RUBRICS
from tests.browser.test_dashboard import no_exception, open_page, settle, sign_in
from tests.fixtures_app import screenshot
from ui import scorecard

pytestmark = pytest.mark.browser


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def _kpi_shown(page, rubric: str) -> str:
    return page.locator(f".st-key-kpi_{rubric} input").input_value()


def _sidebar_value(page, key: str) -> str:
    return page.locator(f"[data-testid='stSidebar'] .st-key-{key} input").input_value()


def test_a_failing_row_opens_its_kpi_at_its_ooad_and_the_url_reproduces_it(
    app_server, browser, browser_page, demo_db, monkeypatch
):
    monkeypatch.setenv("CMI_DB", str(demo_db))
    latest = f"{engine.latest_period():%Y-%m}"
    worst = scorecard.failing(latest, "nacional", "prueba")
    first = worst.iloc[0]
    kpi, rubric = get(first["kpi"]), first["rubro"]
    page = browser_page
    sign_in(page, app_server)
    settle(page)
    grid = page.locator(".st-key-fallando [data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the first row's selection box (canvas grid)
    page.wait_for_url(re.compile(f"/{rubric}\\?"), timeout=60_000)
    page.get_by_role("heading", name=RUBRICS[rubric], level=1).wait_for()
    settle(page)
    no_exception(page)
    query = _query(page.url)
    assert urlparse(page.url).path.endswith(f"/{rubric}")
    assert query[f"kpi_{rubric}"] == kpi.nombre
    assert query["region"] == first["region"]
    if first["Nivel"] == "OOAD":
        assert query["ooad"] == first["Ámbito"]
        assert _sidebar_value(page, "ooad") == first["Ámbito"]
    assert _kpi_shown(page, rubric) == kpi.nombre
    screenshot(page, f"clic_fallando_{rubric}")

    # the same address in a new browser (own cookies, own sign-in) shows the same view
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="es-MX")
    other = context.new_page()
    other.set_default_timeout(30_000)
    sign_in(other, page.url)
    other.get_by_role("heading", name=RUBRICS[rubric], level=1).wait_for()
    settle(other)
    assert _kpi_shown(other, rubric) == kpi.nombre
    assert _sidebar_value(other, "region") == first["region"]
    if first["Nivel"] == "OOAD":
        assert _sidebar_value(other, "ooad") == first["Ámbito"]
    context.close()

    # the breadcrumb leads back up: region, then the nation
    if first["Nivel"] == "OOAD":
        page.get_by_role("button", name=f"{first['region']} ›").click()
        page.wait_for_function("() => !new URL(location.href).searchParams.has('ooad')", timeout=60_000)
        settle(page)
        assert _query(page.url)["region"] == first["region"]
    page.get_by_role("button", name="Nacional ›").click()
    page.wait_for_function("() => !new URL(location.href).searchParams.has('region')", timeout=60_000)
    settle(page)
    assert _kpi_shown(page, rubric) == kpi.nombre  # going up keeps the KPI


def test_a_map_tile_drills_to_its_ooad(app_server, browser_page):
    page = browser_page
    sign_in(page, app_server)
    open_page(page, "Servicios médicos")
    chart = page.locator("[data-testid='stPlotlyChart']").filter(
        has=page.locator(".gtitle", has_text="por entidad")
    )
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    tile = chart.locator("g.textpoint", has_text=re.compile(r"^JAL")).first.bounding_box()
    page.mouse.click(tile["x"] + tile["width"] / 2, tile["y"] + tile["height"] / 2)
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('ooad') === 'Jalisco'", timeout=60_000
    )
    settle(page)
    no_exception(page)
    assert _query(page.url)["region"] == "Occidente"
    assert page.get_by_text("Occidente ›").count() == 1  # breadcrumb: Nacional › Occidente › Jalisco
