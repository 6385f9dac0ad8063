"""Planners upload the levels below the OOAD: consultas_umae and consultas_unidad load through their
contracts, unknown keys and broken rules are refused naming file, row and column, undo removes them."""

from __future__ import annotations

from pathlib import Path

import pytest

import warehouse
from indicators import engine
from loaders import load_file, undo
from loaders.history import history
from tests.loaders.helpers import snapshot, write
from tests.warehouses import Warehouses
from warehouse import query_rows

UNIT_HEADER = "periodo,cve_unidad,consultas_medicina_familiar,cirugias_programadas,cirugias_oportunas"
UNITS = [
    UNIT_HEADER,
    "2024-01,09UMF020,600,,",  # a UMF: no operating room, the surgical columns stay empty
    "2024-01,09UMF041,400,,",
    "2024-01,09HGZ027,,70,60",
]
UMAE_HEADER = "periodo,cve_umae,consultas_especialidades,dias_cama_ocupados,dias_cama_disponibles"


def test_a_unit_file_is_detected_loaded_read_and_undone(seeded: Path, tmp_path: Path) -> None:
    db = seeded  # OOAD consultations of 2024-01 and 2024-02 loaded
    before = snapshot(db)
    result = load_file(write(tmp_path / "unidades_enero.csv", UNITS), db=db, accept_warnings=True)
    assert (result.dataset, result.loaded, result.rows) == ("consultas_unidad", True, 3), result.message
    rows = query_rows(
        "SELECT cve_unidad, consultas_medicina_familiar, cirugias_programadas, carga_id FROM consultas_unidad"
        " ORDER BY 1",
        path=db,
    )
    assert rows == [
        ("09HGZ027", None, 70, result.load_id),
        ("09UMF020", 600, None, result.load_id),
        ("09UMF041", 400, None, result.load_id),
    ]
    assert engine.value("consultas_medicina_familiar", "2024-01", "unidad:09UMF041", db).valor == 400.0
    assert engine.value("oportunidad_quirurgica", "2024-01", "unidad:09HGZ027", db).valor == pytest.approx(
        60 / 70 * 100
    )
    reverted = undo(result.load_id, db=db)
    assert "se quitaron 3 filas" in reverted.message
    assert query_rows("SELECT count(*) FROM consultas_unidad", path=db)[0][0] == 0
    after = snapshot(db)
    changed = {t for t in before if before[t] != after[t]}
    assert changed <= {"cargas", "auditoria"}  # only the history of the load and its undo remain


def test_an_unknown_unit_or_umae_is_refused_naming_file_row_and_column(seeded: Path, tmp_path: Path) -> None:
    db = seeded  # OOAD consultations of 2024-01 and 2024-02 loaded
    before = snapshot(db)
    bad = write(tmp_path / "unidades_mal.csv", [*UNITS, "2024-01,09UMF999,10,,"])
    result = load_file(bad, db=db, accept_warnings=True)
    assert result.status == "rechazada"
    first = result.report.findings[0]
    assert (first.row, first.column, first.value) == (5, "cve_unidad", "09UMF999")
    assert first.message.startswith("unidades_mal.csv, fila 5")
    assert "columna «cve_unidad»" in first.message
    assert "09UMF094" in first.message  # the nearest keys of the catalog are suggested
    umae = write(tmp_path / "umae_mal.csv", [UMAE_HEADER, "2024-01,U01,500,80,100", "2024-01,U99,500,80,100"])
    result = load_file(umae, db=db, accept_warnings=True)
    assert (result.dataset, result.status) == ("consultas_umae", "rechazada")
    first = result.report.findings[0]
    assert (first.row, first.column, first.value) == (3, "cve_umae", "U99")
    assert snapshot(db) == before


def test_a_unit_row_breaking_a_rule_is_refused(seeded: Path, tmp_path: Path) -> None:
    db = seeded  # OOAD consultations of 2024-01 and 2024-02 loaded
    bad = write(tmp_path / "unidades_regla.csv", [*UNITS, "2024-02,09HGZ024,,30,31"])
    result = load_file(bad, dataset="consultas_unidad", db=db, accept_warnings=True)
    assert result.status == "rechazada"
    first = result.report.findings[0]
    assert (first.row, first.column) == (5, "cirugias_oportunas")
    assert "no pueden exceder las programadas" in first.problem


@pytest.fixture
def demo_copy(warehouses: Warehouses, monkeypatch: pytest.MonkeyPatch):
    warehouse.close_all()
    path = warehouses.demo()
    warehouses.select(monkeypatch, path)
    yield path
    warehouse.close_all()


def test_the_demo_details_are_loads_of_their_own(demo_copy: Path) -> None:
    loads = history(db=demo_copy).set_index("dataset")["id"]
    # undoing the OOAD consultations leaves the detail tables, which are their own loads
    assert undo(int(loads["consultas"]), db=demo_copy).loaded
    assert query_rows("SELECT count(*) FROM consultas", path=demo_copy)[0][0] == 0
    for dataset in ("consultas_umae", "consultas_unidad"):
        assert query_rows(f"SELECT count(*) FROM {dataset}", path=demo_copy)[0][0] > 0
        assert undo(int(loads[dataset]), db=demo_copy).loaded
        assert query_rows(f"SELECT count(*) FROM {dataset}", path=demo_copy)[0][0] == 0
