"""Issue 16 in Chromium: a planner edits the strategy map's weights and owners as a file.

She downloads the current catalog from «Cargar datos», changes objective O1's weights and an
owner, uploads a version whose weights add up to 90 (refused, naming row and column), then the
right one; the strategy map shows the new weight and owner; undoing the load brings the old back.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.test_dashboard import settle, sign_in
from tests.fixtures_app import screenshot, streamlit_server

pytestmark = pytest.mark.browser
TITLE = "Pesos y responsables de los indicadores del mapa estratégico (indicadores_estrategia)"


@pytest.fixture
def server(demo_db: Path, tmp_path: Path):
    db = tmp_path / "cmi.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db, tmp_path / "streamlit.log") as (url, _):
        yield url


def _open(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title).first.wait_for()
    settle(page)


def _choose_dataset(page, title: str) -> None:
    """Pick a dataset; a click that lands during a rerun can be lost, so pick again until it holds."""
    box = page.locator("[data-testid='stSelectbox']").filter(has_text="Conjunto de datos").locator("input")
    for _ in range(3):
        box.click()
        page.get_by_role("option", name=title).click()
        settle(page)
        if box.input_value() == title:
            return
    expect(box).to_have_value(title)


def _download(page, name: str) -> bytes:
    """The file a download button gives; a click that lands during a rerun can be lost, so click again."""
    for _ in range(3):
        try:
            with page.expect_download(timeout=30_000) as info:
                page.get_by_role("button", name=name).click()
            return Path(info.value.path()).read_bytes()
        except PlaywrightTimeoutError:
            settle(page)
    raise AssertionError(f"«{name}» no descargó nada en tres intentos")


def _upload(page, path: Path) -> None:
    page.locator("input[type=file]").set_input_files(str(path))
    settle(page)


def test_a_planner_edits_weights_and_owners_by_file_and_can_undo_it(server, browser_page, tmp_path):
    page = browser_page
    sign_in(page, server, "planeacion")
    _open(page, "Cargar datos")
    _choose_dataset(page, TITLE)
    expect(page.get_by_text("Reemplazar el catálogo completo")).to_have_count(1)
    raw = _download(page, "Descargar el catálogo actual (indicadores_estrategia.csv)")
    current = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)
    assert len(current) == 32
    o1 = current[current["cve_objetivo"] == "O1"].set_index("kpi")["peso"].astype(float).to_dict()
    assert o1 == {
        "consultas_medicina_familiar": 20,
        "consultas_especialidades": 20,
        "consultas_urgencias": 20,
        "surtimiento_recetas": 40,
    }
    edited = current.copy()
    edited.loc[edited["kpi"] == "consultas_medicina_familiar", ["peso", "responsable"]] = [
        "5",
        "Dra. Ana Pérez",
    ]
    wrong = tmp_path / "pesos_suman_85.csv"
    edited.to_csv(wrong, index=False)  # O1: 5 + 20 + 20 + 40 = 85
    _upload(page, wrong)
    page.get_by_text("Se encontró 1 error; el archivo no se cargó y nada cambió.").wait_for(timeout=60_000)
    page.locator("[role=gridcell]").filter(
        has_text="los pesos de los indicadores del objetivo O1 suman 85"
    ).first.wait_for(state="attached")
    row = current.index[current["kpi"] == "consultas_medicina_familiar"][0] + 2  # header is row 1
    page.locator("[role=gridcell]").filter(has_text=str(row)).first.wait_for(state="attached")
    assert page.get_by_role("button", name="Confirmar y cargar").is_disabled()
    screenshot(page, "carga_pesos_rechazada")

    edited.loc[edited["kpi"] == "surtimiento_recetas", "peso"] = "55"  # 5 + 20 + 20 + 55 = 100
    right = tmp_path / "pesos_objetivo_1.csv"
    edited.to_csv(right, index=False)
    _upload(page, right)
    page.get_by_text("Archivo válido: 32 filas").wait_for(timeout=60_000)
    page.get_by_role("button", name="Confirmar y cargar").click()
    page.get_by_text(re.compile(r"Carga \d+: 32 filas de «Pesos y responsables")).first.wait_for(
        timeout=60_000
    )
    screenshot(page, "carga_pesos_aplicada")

    _open(page, "Mapa estratégico")
    page.get_by_role("button", name="Consultas de medicina familiar").first.wait_for()
    label = page.get_by_role("button", name="Consultas de medicina familiar").first.inner_text()
    assert "peso 5" in label
    assert "peso 55" in page.get_by_role("button", name="Surtimiento completo de recetas").first.inner_text()
    screenshot(page, "mapa_estrategico_pesos_nuevos")

    _open(page, "Cargar datos")
    page.get_by_role("tab", name="Historial de cargas").click()
    settle(page)
    page.locator("[data-testid='stSelectbox']").filter(has_text="Carga a deshacer").locator("input").click()
    page.get_by_role("option").filter(has_text="indicadores_estrategia · pesos_objetivo_1.csv").click()
    settle(page)
    page.get_by_text("Confirmo que quiero deshacer la carga").click()
    settle(page)
    page.get_by_role("button", name="Deshacer carga").click()
    page.get_by_text("Se deshizo la carga").wait_for(timeout=60_000)
    _open(page, "Mapa estratégico")
    assert "peso 20" in page.get_by_role("button", name="Consultas de medicina familiar").first.inner_text()
