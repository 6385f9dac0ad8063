"""What an executive sees: the real server, headless Chromium, full-page screenshots."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from indicators import engine
from indicators.catalog import get
from tests.cards import value_shown
from tests.fixtures_app import screenshot, settle, submit_sign_in

pytestmark = pytest.mark.browser

PAGES = {
    "resumen": "Resumen ejecutivo",
    "servicios_medicos": "Servicios médicos",
    "incorporacion_recaudacion": "Incorporación y recaudación",
    "prestaciones_economicas_sociales": "Prestaciones económicas y sociales",
    "procesos_administrativos": "Procesos administrativos",
    "finanzas": "Finanzas",
    "acuerdos": "Seguimiento de acuerdos",
    "catalogo": "Catálogo de indicadores",
    "exportar": "Exportar",
}


def sign_in(page, base_url: str | None, usuario: str = "general") -> None:
    """Sign in with the demo account; base_url None signs in on the page already open (a deep link)."""
    if base_url is not None:
        page.goto(base_url)
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(f"demo-{usuario}")
    submit_sign_in(page)


def open_page(page, title: str) -> None:
    """Navigate as a person does, through the sidebar (a full reload would start a new session)."""
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title).first.wait_for()
    settle(page)


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def chart_titled(page, title: str):
    """The Plotly chart whose title reads `title`. Titles wrap for a phone and Plotly draws each line as
    its own <tspan>, so where a line breaks the words run together in the text: any break may fall
    between two words."""
    words = r"\s*".join(re.escape(word) for word in title.split())
    return page.locator("[data-testid='stPlotlyChart']").filter(
        has=page.locator(".gtitle", has_text=re.compile(words))
    )


def chart_heading(chart) -> tuple[str, str]:
    """A chart's title as a person reads it (its wrapped lines joined by a space) and the smaller line
    under it (scope and period, a smaller font), "" when it has none. Streamlit's theme makes every
    line bold (a styled <tspan> each), so the smaller line is the one that sets a font size."""
    lines = chart.locator(".gtitle").first.evaluate(
        "t => [...t.querySelectorAll(':scope > tspan.line')]"
        ".map(l => [l.textContent, l.querySelector('tspan[style*=font-size]') !== null])"
    )
    title = " ".join(text for text, small in lines if not small)
    return title, " ".join(text for text, small in lines if small)


def test_every_page_opens_without_an_exception(app_server, browser_page, demo_db, monkeypatch):
    page = browser_page
    sign_in(page, app_server)
    for slug, title in PAGES.items():
        open_page(page, "Resumen" if slug == "resumen" else title)
        no_exception(page)
        screenshot(page, f"pagina_{slug}")


def test_scorecard_cards_show_the_engine_values(app_server, browser_page, demo_db, monkeypatch):
    monkeypatch.setenv("CMI_DB", str(demo_db))
    page = browser_page
    sign_in(page, app_server)
    page.get_by_role("heading", name="Resumen ejecutivo").wait_for()
    settle(page)
    latest = f"{engine.latest_period():%Y-%m}"
    for kpi_id in ("puestos_trabajo_afiliados", "consultas_medicina_familiar", "ingresos_obrero_patronales"):
        kpi = get(kpi_id)
        card = page.locator(".cmi-card").filter(has_text=kpi.nombre).first
        expected = value_shown(kpi, engine.value(kpi_id, latest))
        assert card.locator(".cmi-card-value").inner_text().strip() == expected
    assert page.get_by_text("Datos de demostración").count() >= 1
    assert page.get_by_text(re.compile(r"Datos al \d+ de \w+ de \d{4}")).count() == 1
    screenshot(page, "resumen")


def test_clicking_a_region_bar_narrows_the_ooad_ranking(app_server, browser_page):
    page = browser_page
    sign_in(page, app_server)
    open_page(page, "Servicios médicos")
    chart = page.locator("[data-testid='stPlotlyChart']").nth(1)  # 0 = trend, 1 = regions
    chart.scroll_into_view_if_needed()
    box = chart.locator("g.point path").first.bounding_box()
    # plotly's drag layer receives the pointer: click where the bar is drawn
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("Ranking de OOAD · ", exact=False).first.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gtitle')].some(t => /Ranking de OOAD · (Norte|Occidente|Centro|Sureste)/.test(t.textContent))",
        timeout=60_000,
    )
    settle(page)
    no_exception(page)
    ranking = chart_titled(page, "Ranking de OOAD")
    title, where = chart_heading(ranking)
    region = title.split("·")[1].strip()
    assert region in {"Norte", "Occidente", "Centro", "Sureste"}
    assert region in where  # the line under the title names the region too
    assert f"region={region}" in page.url
    expected = {"Norte": 8, "Occidente": 8, "Centro": 11, "Sureste": 8}[region]
    assert ranking.locator("g.point").count() == expected  # one bar per OOAD of the region
    screenshot(page, f"servicios_medicos_{region}")


def test_csv_downloaded_from_a_rubric_page_is_the_table_on_screen(
    app_server, browser_page, demo_db, monkeypatch
):
    monkeypatch.setenv("CMI_DB", str(demo_db))
    page = browser_page
    sign_in(page, app_server)
    open_page(page, "Servicios médicos")
    latest = f"{engine.latest_period():%Y-%m}"
    stem = f"consultas_medicina_familiar_{latest.replace('-', '_')}_ooad"
    button = page.locator(f".st-key-exp_csv_{stem} button")
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"{stem}.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel in Spanish opens accents right
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype={"Clave": str})
    expected = engine.breakdown("consultas_medicina_familiar", latest, "ooad", "nacional")
    assert list(frame["Clave"]) == list(expected["clave"])
    assert list(frame["Nombre"]) == list(expected["nombre"])
    assert list(frame["Valor (consultas)"]) == pytest.approx(list(expected["valor"]))
    assert list(frame["Estado"]) == list(expected["estado"])


def test_the_app_requests_nothing_outside_the_server(app_server, browser_page):
    """No CDN, no map tiles, no fonts from the internet: every request goes to the app itself."""
    page = browser_page
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((app_server, "data:", "blob:", "ws://127.0.0.1"))
            else None
        ),
    )
    sign_in(page, app_server)
    for title in ("Resumen", "Servicios médicos", "Seguimiento de acuerdos", "Exportar"):
        open_page(page, title)
    assert outside == [], outside


def test_planner_opens_the_upload_page(app_server, browser_page):
    page = browser_page
    sign_in(page, app_server, "planeacion")
    open_page(page, "Cargar datos")
    page.get_by_text("Historial de cargas").first.wait_for()
    no_exception(page)
    screenshot(page, "pagina_cargar_datos")
