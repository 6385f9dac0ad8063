"""A partial upload as a planner makes it: the dashboard stays on the last complete month.

The planner uploads three OOAD of the month after the demo's last one through «Cargar datos»,
has to accept the plausibility warnings, and then the scorecard still opens on the last
complete month; the partial month is offered as «… (parcial: 3 de 35 OOAD)» and its cards say so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indicators import engine
from indicators.periods import add_months, month_end
from tests.browser.test_dashboard import settle, sign_in
from tests.fixtures_app import screenshot, streamlit_server
from tests.loaders.helpers import HEADER, consultas_lines
from ui.format import fmt_date_long, fmt_month

pytestmark = pytest.mark.browser


@pytest.fixture
def partial_server(demo_db: Path, tmp_path: Path):
    db = tmp_path / "cmi.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db, tmp_path / "streamlit.log") as (url, _):
        yield url


def test_partial_upload_keeps_the_dashboard_on_the_last_complete_month(
    partial_server, browser_page, demo_db, tmp_path
):
    url = partial_server
    last = engine.latest_period(demo_db)  # the server's copy is locked by the server
    following = add_months(last, 1)
    upload = tmp_path / "consultas_parcial.csv"
    upload.write_text(
        "\n".join([HEADER, *consultas_lines([f"{following:%Y-%m}"], ["01", "09", "35"])]) + "\n"
    )

    page = browser_page
    sign_in(page, url, "planeacion")
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Cargar datos").click()
    page.get_by_role("heading", name="Cargar datos").first.wait_for()
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text("Advertencias de plausibilidad").wait_for(timeout=60_000)
    # the warnings table is a canvas grid: its cells are in the DOM for screen readers
    page.locator("[role=gridcell]").filter(has_text="cubre 3 de 35 OOAD").first.wait_for(state="attached")
    confirm = page.get_by_role("button", name="Confirmar y cargar")
    assert confirm.is_disabled()  # not before the warnings are accepted
    page.get_by_text("Revisé las advertencias y confirmo que los datos son correctos").click()
    settle(page)
    confirm.click()
    page.get_by_text("Se aceptaron").first.wait_for(timeout=60_000)
    screenshot(page, "carga_parcial")

    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Resumen").click()
    page.get_by_role("heading", name="Resumen ejecutivo").wait_for()
    page.get_by_text(f"Datos de {fmt_month(last)}").first.wait_for(
        timeout=90_000
    )  # the cards say their month
    settle(page)
    assert page.get_by_text(f"Datos al {fmt_date_long(month_end(last))}").count() == 1
    month_box = page.locator("[data-testid='stSelectbox']").filter(has_text="Mes").first
    shown = month_box.inner_text() + " " + month_box.locator("input").first.input_value()
    assert fmt_month(last) in shown and "parcial" not in shown
    screenshot(page, "resumen_tras_carga_parcial")

    month_box.click()
    page.get_by_role("option", name=f"{fmt_month(following)} (parcial: 3 de 35 OOAD)").click()
    page.get_by_text(f"Datos de {fmt_month(following)} · parcial: 3 de 35 OOAD").first.wait_for(
        timeout=90_000
    )
    settle(page)
    screenshot(page, "resumen_mes_parcial")
