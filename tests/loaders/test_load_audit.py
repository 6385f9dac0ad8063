"""Every load and undo is audited inside its transaction; refused loads are audited after the rollback."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loaders import load_file, undo
from tests.loaders.helpers import HEADER, consultas_lines, snapshot, write
from warehouse import query_rows, transaction


def _audit(db: Path) -> list[tuple]:
    return query_rows(
        "SELECT usuario, accion, detalle FROM auditoria WHERE accion LIKE '%carga%' ORDER BY id", path=db
    )


def test_loads_undos_and_refusals_are_audited(db: Path, tmp_path: Path) -> None:
    good = write(tmp_path / "consultas_enero.csv", [HEADER, *consultas_lines(["2024-01"], ["01", "09"])])
    loaded = load_file(good, user="maria", db=db, accept_warnings=True)
    assert loaded.loaded and loaded.load_id == 1
    [(who, action, detail)] = _audit(db)
    assert (who, action) == ("maria", "carga")
    assert detail.startswith("conjunto=consultas; archivo=consultas_enero.csv; filas=2; carga=1;")
    # the partial month was a warning the planner accepted: the audit keeps it
    assert "advertencias_aceptadas=consultas_enero.csv, fila 2, columna «cve_ooad»" in detail
    assert "cubre 2 de 35 OOAD" in detail

    bad = write(tmp_path / "consultas_malo.csv", [HEADER, *consultas_lines(["2024-02"], ["88"])])
    before = snapshot(db)
    refused = load_file(bad, user="maria", db=db, accept_warnings=True)
    assert refused.status == "rechazada"
    assert snapshot(db) == before  # data unchanged; only the audit row below was written
    assert _audit(db)[-1] == (
        "maria",
        "carga_rechazada",
        "conjunto=consultas; archivo=consultas_malo.csv; hallazgos=1;"
        " motivo=Se encontró 1 error; el archivo no se cargó y nada cambió.",
    )
    assert load_file(good, user="ana", db=db, accept_warnings=True).status == "duplicada"
    assert _audit(db)[-1][:2] == ("ana", "carga_rechazada")
    assert "motivo=Este archivo ya se cargó (carga 1" in _audit(db)[-1][2]

    # a dry run is not a load: nothing audited
    assert load_file(bad, user="maria", db=db, dry_run=True, accept_warnings=True).status == "rechazada"
    assert len(_audit(db)) == 3

    reverted = undo(1, user="ana", db=db)
    assert reverted.loaded and reverted.load_id == 2
    assert _audit(db)[-1] == (
        "ana",
        "deshacer_carga",
        "conjunto=consultas; archivo=consultas_enero.csv; filas=0; carga=2; revierte_a=1",
    )
    assert [r[1] for r in _audit(db)] == ["carga", "carga_rechazada", "carga_rechazada", "deshacer_carga"]
    # the audit rows carry the load's own time, written in its transaction
    times = query_rows(
        "SELECT c.fecha <= a.fecha FROM cargas c JOIN auditoria a ON a.detalle LIKE '%carga=' || c.id || '%'"
        " AND a.accion IN ('carga', 'deshacer_carga') ORDER BY c.id",
        path=db,
    )
    assert times == [(True,), (True,)]


def test_a_fault_of_our_own_sql_is_an_incident_not_a_damaged_file(db: Path, tmp_path: Path) -> None:
    """A schema fault (here: the target table is gone) is audited as a failure and raised, never
    shown to the planner as «el archivo está dañado»."""
    good = write(tmp_path / "consultas_enero.csv", [HEADER, *consultas_lines(["2024-01"], ["01", "09"])])
    with transaction(db) as cur:
        cur.execute("DROP TABLE consultas")
    with pytest.raises(duckdb.CatalogException):
        load_file(good, user="maria", db=db, accept_warnings=True)
    [(who, action, detail)] = _audit(db)
    assert (who, action) == ("maria", "carga_fallida")
    assert detail == "conjunto=?; archivo=consultas_enero.csv; error=CatalogException"


def test_a_header_that_collides_with_our_row_number_is_still_a_file_refusal(db: Path, tmp_path: Path) -> None:
    odd = write(
        tmp_path / "consultas_fila.csv",
        ["_fila," + HEADER, *("7," + x for x in consultas_lines(["2024-01"], ["01"]))],
    )
    before = snapshot(db)
    result = load_file(odd, user="maria", db=db, accept_warnings=True)
    assert result.status == "rechazada", result.message
    assert "consultas_fila.csv" in result.report.findings[0].message, result.report.findings
    assert snapshot(db) == before
