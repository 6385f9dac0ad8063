"""A real browser: the responsible directorate signs in, captures progress, and the board updates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

import warehouse
from access import users
from tests.agreements import hand_built
from tests.fixtures_app import screenshot, settle, streamlit_server, submit_sign_in
from tests.indicators import tiny_warehouse

pytestmark = pytest.mark.browser
FOLIO = "RR-NOR-2025-0001"  # DA responsible, Registrado, overdue


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("acuerdos_server")
    db = tiny_warehouse.build(folder / "cmi.duckdb")  # KPI data for the dashboard's sidebar
    hand_built.build(db)  # plus the hand-built agreements
    users.add_user(
        "titular.da", "Titular DA", "clave-da-2026", ["director_normativo"], cve_direccion="DA", path=db
    )
    warehouse.close_all()  # the server process must own the file
    env = {"CMI_EVIDENCIAS": str(folder / "evid"), "CMI_SMTP_HOST": ""}
    with streamlit_server(db, folder / "streamlit.log", env) as (url, _):
        yield url, db


def _expect_metric(page, label: str, value: str) -> None:
    """Wait (Streamlit reruns progressively) until the metric shows the value."""
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    expect(box.locator('[data-testid="stMetricValue"]')).to_have_text(value, timeout=60_000)


def _choose(page, label: str, option: str) -> None:
    page.get_by_label(label).first.click()
    page.keyboard.type(option)  # narrow long lists (only the visible options are in the page)
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def test_responsible_captures_progress_and_board_updates(server, browser_page):
    url, _ = server
    page = browser_page
    page.set_default_timeout(90_000)  # the machine is shared: reruns can be slow
    page.goto(url)
    page.get_by_label("Usuario").fill("titular.da")
    page.get_by_label("Contraseña").fill("clave-da-2026")
    submit_sign_in(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Seguimiento de acuerdos").click()
    page.get_by_role("heading", name="Seguimiento de acuerdos").wait_for()
    # the sidebar's period (the tiny warehouse's last month, 2024) closed long ago: today's figures
    page.get_by_text(re.compile(r"^Hoy, ")).click()
    settle(page)
    # DA's scope: tiny B (DA, En proceso) + hand-built CEN-0002, NOR-0001, NOR-2025-0001 and NOR-0002 (co-resp.)
    page.get_by_text("Días para concluir").wait_for()
    _expect_metric(page, "Registrados", "5")
    _choose(page, "Estado", "En proceso")
    _expect_metric(page, "Registrados", "2")
    _choose(page, "Estado", "Todos")
    page.get_by_role("tab", name="Acuerdos").click()
    _choose(page, "Ver acuerdo", FOLIO)
    page.get_by_text("Registrar avance", exact=True).wait_for()
    settle(page)
    page.get_by_label("Nuevo avance (%)").fill("60")
    page.get_by_label("Comentario del avance").fill("Se publicó la convocatoria de la licitación")
    page.keyboard.press("Tab")
    settle(page)
    page.get_by_role("button", name="Guardar avance").click()
    try:
        page.get_by_text(f"Se registró el avance de {FOLIO}: 60 %.").wait_for(timeout=60_000)
    except Exception:
        screenshot(page, "acuerdos_avance_fallo")
        raise
    screenshot(page, "acuerdos_avance")
    # the board now counts it as in progress
    _choose(page, "Estado", "En proceso")
    _expect_metric(page, "Registrados", "3")
