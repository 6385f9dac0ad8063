"""In a real browser: an owner's commentary on the card and in the report; a followed KPI's
alert in «Mis pendientes»."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

import warehouse
from indicators import engine
from indicators.catalog import BY_ID
from indicators.definitions import UP
from indicators.periods import parse_period
from indicators.status import OFF_TARGET
from tests.browser.test_dashboard import open_page, settle, sign_in
from tests.fixtures_app import screenshot, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.calendario]
WHY = "Las vacaciones de diciembre bajaron la consulta en 12 OOAD."
WHAT = "Jornadas de fin de semana en enero en las UMF con mayor rezago."


@pytest.fixture(scope="module")
def served(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(URL, name, period) of a server over a copy of the demo with one KPI made «Fuera de meta»."""
    folder = tmp_path_factory.mktemp("i16_server")
    db = folder / "cmi.duckdb"
    shutil.copy(demo_db, db)
    name, latest = _make_one_kpi_red(db)
    with streamlit_server(db, folder / "streamlit.log", {"CMI_SMTP_HOST": ""}) as (url, _):
        yield url, name, latest


@pytest.fixture(scope="module")
def server(served: tuple[str, str, str]) -> str:
    return served[0]


def _make_one_kpi_red(db: Path) -> tuple[str, str]:
    """Raise the national meta of the first «Incorporación y recaudación» KPI (sentido ascendente)
    to twice its latest value, so the test has a KPI «Fuera de meta» whatever the calendar day the
    demo was built «as of» (the demo's own figures may miss no meta that month); (name, period)."""
    latest = f"{engine.latest_period(db):%Y-%m}"
    ids = [k for k, v in BY_ID.items() if v.rubro == "incorporacion_recaudacion" and v.sentido == UP]
    kpi, value = next((k, v.valor) for k, v in engine.values(ids, latest, db=db).items() if v and v.valor)
    with warehouse.transaction(db) as cur:
        cur.execute(
            "UPDATE metas SET valor = ? WHERE kpi = ? AND ambito = 'nacional' AND periodo = ?",
            [2 * value, kpi, f"{latest}-01"],
        )
    warehouse.close_all()  # the next reader (and its caches) starts from the changed file
    assert engine.values([kpi], latest, db=db)[kpi].estado == OFF_TARGET  # type: ignore[union-attr]
    warehouse.close_all()  # the server opens the file next
    return BY_ID[kpi].nombre, latest


def test_owner_commentary_shows_on_the_card_and_in_the_report(server: str, browser) -> None:
    owner = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX").new_page()
    owner.set_default_timeout(60_000)
    sign_in(owner, server, "director")  # Dirección de Prestaciones Médicas: owns the medical KPIs
    open_page(owner, "Servicios médicos")
    main = owner.locator("[data-testid=stMain]")
    main.get_by_label("¿Por qué?").fill(WHY)
    main.get_by_label("¿Qué se hace?").fill(WHAT)
    main.get_by_role("button", name="Guardar comentario").click()
    settle(owner)
    # the card opens its commentary in place (a disclosure); the section below has its own popover
    note = main.locator(".cmi-card summary").filter(has_text="Comentario del responsable")
    expect(note).to_have_count(1)
    expect(main.get_by_role("button", name="Comentario del responsable")).to_have_count(1)
    note.click()
    expect(owner.get_by_text(WHY).first).to_be_visible()
    expect(owner.get_by_text(WHAT).first).to_be_visible()
    screenshot(owner, "comentario_en_tarjeta")
    owner.context.close()

    dg = browser.new_context(
        viewport={"width": 1440, "height": 1000}, locale="es-MX", accept_downloads=True
    ).new_page()
    dg.set_default_timeout(60_000)
    sign_in(dg, server, "general")
    open_page(dg, "Exportar")
    dg.get_by_role("button", name="Generar reporte ejecutivo").click()
    settle(dg)
    with dg.expect_download() as info:
        dg.get_by_role("button", name="Descargar reporte (HTML)").click()
    report = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Comentarios de los responsables" in report
    assert WHY in report and WHAT in report
    dg.context.close()


def test_following_a_red_kpi_shows_its_alert_in_mis_pendientes(
    served: tuple[str, str, str], browser_page
) -> None:
    server, name, latest = served
    page = browser_page
    sign_in(page, server, "director")
    open_page(page, "Incorporación y recaudación")
    option = page.get_by_role("option", name=name, exact=True)
    for _ in range(3):  # a click during a rerun of the page may not open the list: open it again
        settle(page)
        page.get_by_label("Indicador a analizar").click()
        try:
            option.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    option.click()
    chosen = page.get_by_role("combobox", name="Indicador a analizar")
    expect(chosen).to_have_value(name)  # the rerun with the chosen KPI has drawn
    settle(page)
    # the previous KPI's toggle lingers, faded, until the rerun has drawn the chosen one
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    main = page.locator("[data-testid=stMain]")
    switch = main.get_by_role("switch", name="Seguir este indicador (nacional)")
    for _ in range(3):  # a click that lands during a rerun can be lost: click again while still off
        if not switch.is_checked():
            main.get_by_text("Seguir este indicador (nacional)").click()
        try:
            expect(switch).to_be_checked(timeout=15_000)
            break
        except AssertionError:
            settle(page)
    expect(switch).to_be_checked()
    settle(page)
    open_page(page, "Mis pendientes")
    alert = page.get_by_text(
        f"Alerta: «{name}» (nacional, {parse_period(latest).label}) está «Fuera de meta»"
    )
    expect(alert.first).to_be_visible()
    screenshot(page, "alerta_en_mis_pendientes")
