"""Two dashboard processes on one DuckLake (catalog in a real PostgreSQL), plus the loader CLI.

Both servers see a load committed by a third process at their next interaction, and two edits of
the same agreement from the two servers give exactly one conflict message and no lost update.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

import warehouse
from access import users
from tests.agreements import hand_built
from tests.fixtures_app import ROOT, screenshot, streamlit_server, submit_sign_in
from tests.indicators import tiny_warehouse
from tests.loaders.helpers import HEADER, consultas_lines, write
from tests.warehouses import PostgresForTests, warehouse_env

pytestmark = pytest.mark.browser
FOLIO = "RR-NOR-2025-0001"  # DA responsible, Registrado
USER, PASSWORD = "titular.da", "clave-da-2026"


@pytest.fixture(scope="module")
def lake(
    postgres_server: PostgresForTests, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("dos_servidores")
    spec = postgres_server.server.create_database("dos_servidores")
    os.environ["CMI_LAKE_DATA"] = str(folder / "lago")
    try:
        tiny_warehouse.build(spec)  # KPI data for the sidebar (one load: «carga 1»)
        hand_built.build(spec)
        users.add_user(USER, "Titular DA", PASSWORD, ["director_normativo"], cve_direccion="DA", path=spec)
        users.add_user("pablo", "Pablo", None, ["planeacion"], path=spec)  # --usuario of the CLI load
    finally:
        os.environ.pop("CMI_LAKE_DATA", None)
        warehouse.close_all()
    yield spec, folder
    warehouse.close_all()


@pytest.fixture(scope="module")
def servers(lake: tuple[str, Path]) -> Iterator[list[str]]:
    spec, folder = lake
    env = {"CMI_EVIDENCIAS": str(folder / "evid"), "CMI_SMTP_HOST": ""}
    with (
        streamlit_server(spec, folder / "uno.log", env) as (first, _),
        streamlit_server(spec, folder / "dos.log", env) as (second, _),
    ):
        yield [first, second]


def _idle(page) -> None:
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    page.wait_for_timeout(500)


def _sign_in(page, url: str) -> None:
    page.set_default_timeout(90_000)
    page.goto(url)
    page.get_by_label("Usuario").fill(USER)
    page.get_by_label("Contraseña").fill(PASSWORD)
    submit_sign_in(page)


def _open_agreement(page) -> None:
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Seguimiento de acuerdos").click()
    page.get_by_role("heading", name="Seguimiento de acuerdos").wait_for()
    # the board opens at the close of the sidebar's period (marzo 2024, the latest month with
    # data), before FOLIO was registered (2025-11-01): today's figures list it
    page.locator('[data-testid="stRadio"] label').filter(has_text="Hoy, ").click()
    _idle(page)
    page.get_by_role("tab", name="Acuerdos").click()
    _idle(page)
    option = page.get_by_role("option", name=FOLIO, exact=True)
    for _ in range(3):  # a click during a rerun of the page may not open the list: open it again
        page.get_by_label("Ver acuerdo").first.click()
        try:
            option.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            _idle(page)
    option.click()
    page.get_by_text("Registrar avance", exact=True).wait_for()
    _idle(page)


def _fill_progress(page, value: str, comment: str) -> None:
    page.get_by_label("Nuevo avance (%)").fill(value)
    page.get_by_label("Comentario del avance").fill(comment)
    page.keyboard.press("Tab")
    _idle(page)


def test_two_servers_see_a_cli_load_and_never_lose_an_agreement_update(lake, servers, browser):
    spec, folder = lake
    contexts = [
        browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX") for _ in servers
    ]
    pages = [c.new_page() for c in contexts]
    try:
        for page, url in zip(pages, servers, strict=True):
            _sign_in(page, url)
            expect(page.get_by_text("· carga 1")).to_be_visible(timeout=60_000)

        # a third process (the loader CLI) commits a load on the same lake
        csv = write(
            folder / "consultas_marzo.csv", [HEADER, *consultas_lines(["2024-03"], ["01", "05", "09"])]
        )
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "loaders",
                "load",
                str(csv),
                "--usuario",
                "pablo",
                "--aceptar-advertencias",
            ],
            cwd=ROOT,
            env={**os.environ, **warehouse_env(spec)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert cli.returncode == 0, cli.stderr
        for page in pages:  # the next interaction on either server shows the new data version
            _open_agreement(page)
            expect(page.get_by_text("· carga 2")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("Datos al 31 de marzo de 2024")).to_be_visible()

        # both forms show version 1 of the agreement; the first save wins, the second is refused
        first, second = pages
        _fill_progress(first, "60", "Convocatoria publicada (servidor uno)")
        _fill_progress(second, "70", "Licitación en curso (servidor dos)")
        first.get_by_role("button", name="Guardar avance").click()
        first.get_by_text(f"Se registró el avance de {FOLIO}: 60 %.").wait_for(timeout=90_000)
        second.get_by_role("button", name="Guardar avance").click()
        conflict = second.get_by_text("mientras usted lo editaba")
        conflict.wait_for(timeout=90_000)
        screenshot(second, "dos_servidores_conflicto")
        assert conflict.count() == 1
        assert first.get_by_text("mientras usted lo editaba").count() == 0
    finally:
        for c in contexts:
            c.close()

    row = warehouse.query_rows("SELECT avance, version FROM acuerdos WHERE folio = ?", [FOLIO], path=spec)
    history = warehouse.query_rows(
        "SELECT valor_nuevo, comentario FROM acuerdos_historial WHERE folio = ? AND campo = 'avance'",
        [FOLIO],
        path=spec,
    )
    warehouse.close_all()
    assert row == [(60.0, 2)]
    assert history == [("60", "Convocatoria publicada (servidor uno)")]
