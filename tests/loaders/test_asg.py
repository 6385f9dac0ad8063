"""The real IMSS asg file format: encodings, header quirks, Σta preserved, Sin asignar, undo, catalog workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from bench.asg_synth import write_asg
from loaders import load_file, undo
from tests.loaders.helpers import snapshot
from warehouse import query_rows

ROWS = 6_000


@pytest.mark.parametrize(
    ("encoding", "header"),
    [
        ("latin-1", "ok"),
        ("utf-8-sig", "ok"),
        ("utf-8-sig", "double"),
        ("utf-8-sig", "fffd"),
        ("utf-8", "double"),
    ],
)
def test_asg_file_loads_and_national_jobs_equal_sum_ta(
    db: Path, tmp_path: Path, encoding: str, header: str
) -> None:
    path = tmp_path / "asg-2025-01-31.csv"
    totals = write_asg(path, ROWS, encoding=encoding, header=header)
    result = load_file(path, db=db, accept_warnings=True)
    assert result.dataset == "asg" and result.loaded, result.message
    assert result.rows == ROWS and result.periods == ["2025-01"]
    names = {"latin-1": "Latin-1 / Windows-1252", "utf-8-sig": "UTF-8 con BOM", "utf-8": "UTF-8"}
    assert result.details["codificación"] == names[encoding]
    assert result.details["delimitador"] == "barra vertical"
    assert query_rows("SELECT sum(ta), count(*) FROM asegurados_detalle", path=db)[0] == (totals["ta"], ROWS)
    assert query_rows("SELECT sum(puestos_trabajo), count(*) FROM afiliacion", path=db)[0] == (
        totals["ta"],
        35,
    )
    cube = query_rows(
        "SELECT dimension, sum(puestos_trabajo) FROM asegurados_cubo GROUP BY 1 ORDER BY 1", path=db
    )
    assert [d for d, _ in cube] == [
        "rango_edad",
        "rango_salarial",
        "sector_economico_1",
        "sexo",
        "tamano_patron",
    ]
    assert all(total == totals["ta"] for _, total in cube)
    # codes stay text ('1', not 1.0); sexo 3 (non-binary) is its own category
    assert query_rows(
        "SELECT DISTINCT categoria FROM asegurados_cubo WHERE dimension = 'sexo' ORDER BY 1", path=db
    ) == [("1",), ("2",), ("3",)]
    assert query_rows(
        "SELECT DISTINCT cve_delegacion FROM asegurados_detalle ORDER BY 1 LIMIT 1", path=db
    ) == [("1",)]


def test_national_jobs_kpi_equals_sum_ta(db: Path, tmp_path: Path) -> None:
    from indicators import engine

    path = tmp_path / "asg-2025-01-31.csv"
    totals = write_asg(path, ROWS)
    assert load_file(path, db=db, accept_warnings=True).loaded
    kpi = engine.value("puestos_trabajo_afiliados", "2025-01", "nacional", db=db)
    assert kpi.valor == totals["ta"]


def test_unknown_delegaciones_go_to_sin_asignar_with_warning(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "asg-2025-02-28.csv"
    totals = write_asg(path, ROWS, delegaciones=37)
    result = load_file(path, db=db, accept_warnings=True)
    assert result.loaded
    assert any("Sin asignar" in w and "36 (" in w and "37 (" in w for w in result.warnings)
    assert query_rows("SELECT nombre FROM ooad WHERE cve_ooad = '99'", path=db) == [("Sin asignar",)]
    assert query_rows("SELECT sum(puestos_trabajo) FROM afiliacion", path=db)[0][0] == totals["ta"]
    unassigned = query_rows(
        "SELECT sum(ta) FROM asegurados_detalle WHERE cve_delegacion IN ('36', '37')", path=db
    )[0][0]
    assert (
        query_rows("SELECT puestos_trabajo FROM afiliacion WHERE cve_ooad = '99'", path=db)[0][0]
        == unassigned
    )


def test_catalog_workbook_maps_delegaciones_to_ooad(db: Path, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "sexo"
    ws = wb.create_sheet("delegación-subdelegación")
    ws.append(["Catálogo de delegaciones y subdelegaciones"])
    ws.append(["cve_delegacion", "Delegación", "cve_subdelegacion", "Subdelegación"])
    ws.append([9, "Norte del Distrito Federal", 1, "Centro"])
    ws.append([36, "Norte del Distrito Federal", 2, "Nueva"])
    ws.append([37, "Delegación Inexistente", 1, "Otra"])
    book = tmp_path / "diccionario_de_datos_1.xlsx"
    wb.save(book)
    result = load_file(book, db=db, accept_warnings=True)
    assert result.dataset == "delegaciones" and result.loaded, result.message
    assert any("37 Delegación Inexistente" in w for w in result.warnings)
    assert query_rows("SELECT cve_delegacion, cve_ooad FROM delegaciones_imss ORDER BY 1", path=db) == [
        ("36", "09"),
        ("37", None),
        ("9", "09"),
    ]
    path = tmp_path / "asg-2025-02-28.csv"
    write_asg(path, ROWS, delegaciones=37)
    result = load_file(path, db=db, accept_warnings=True)
    assert any("37 (" in w and "36 (" not in w for w in result.warnings)
    jobs_36 = query_rows(
        "SELECT sum(ta) FROM asegurados_detalle WHERE cve_delegacion IN ('9', '36')", path=db
    )[0][0]
    assert (
        query_rows("SELECT puestos_trabajo FROM afiliacion WHERE cve_ooad = '09'", path=db)[0][0] == jobs_36
    )


def test_replace_keeps_other_afiliacion_columns_and_undo_restores(db: Path, tmp_path: Path) -> None:
    base = tmp_path / "afiliacion.csv"
    base.write_text(
        "periodo,cve_ooad,puestos_trabajo,patrones\n2025-01,09,1000,77\n2025-01,01,500,33\n", encoding="utf-8"
    )
    assert load_file(base, db=db, accept_warnings=True).loaded
    before = snapshot(db)
    path = tmp_path / "asg-2025-01-31.csv"
    totals = write_asg(path, ROWS)
    first = load_file(path, db=db, accept_warnings=True)
    assert first.loaded
    assert query_rows("SELECT patrones FROM afiliacion WHERE cve_ooad = '09'", path=db) == [(77,)]
    again = load_file(path, db=db, mode="reemplazar", accept_warnings=True)
    assert again.status == "duplicada" and "ya se cargó" in again.message
    other = tmp_path / "asg-2025-01-31_0.csv"
    write_asg(other, ROWS // 2)
    assert (
        load_file(other, db=db, accept_warnings=True).status == "rechazada"
    )  # agregar: the month is already there
    second = load_file(other, db=db, mode="reemplazar", accept_warnings=True)
    assert second.loaded and second.periods == ["2025-01"]
    assert query_rows("SELECT count(*) FROM asegurados_detalle", path=db)[0][0] == ROWS // 2
    blocked = undo(first.load_id, db=db)
    assert blocked.status == "rechazada" and f"carga {second.load_id}" in blocked.message
    assert undo(second.load_id, db=db).loaded
    assert query_rows("SELECT sum(ta) FROM asegurados_detalle", path=db)[0][0] == totals["ta"]
    assert undo(first.load_id, db=db).loaded
    after = snapshot(db)
    for table in ("afiliacion", "asegurados_detalle", "asegurados_cubo", "consultas"):
        assert after[table] == before[table], table
    log = query_rows("SELECT id, modo, estado, revierte_a FROM cargas ORDER BY id", path=db)
    assert [r[1:] for r in log[-2:]] == [
        ("deshacer", "aplicada", second.load_id),
        ("deshacer", "aplicada", first.load_id),
    ]


def test_asg_bad_rows_are_refused_with_their_line(db: Path, tmp_path: Path) -> None:
    cells = ["1", "1", "1", "5", "1", "10", "1000", "S1", "1", "E1", "W1", "U1"]
    measures = ["3"] * 12 + ["10.5"] * 5
    negative = "|".join([*cells, "-1", *measures[1:]])
    path = tmp_path / "asg-2025-03-31.csv"
    write_asg(path, 100, extra_lines=[negative])
    before = snapshot(db)
    result = load_file(path, db=db, accept_warnings=True)
    assert result.status == "rechazada"
    first = result.report.findings[0]
    assert (first.row, first.column, first.value) == (102, "asegurados", "-1")
    typo = "|".join([*cells[:-1], "U2", "x", *measures[1:]])
    write_asg(path, 100, extra_lines=[typo])
    result = load_file(path, db=db, accept_warnings=True)
    first = result.report.findings[0]
    assert (first.row, first.column) == (102, "asegurados") and "tipo" in first.problem
    assert snapshot(db) == before


def test_asg_period_comes_from_the_name_or_must_be_given(db: Path, tmp_path: Path) -> None:
    from datetime import date

    path = tmp_path / "asegurados_enero.csv"
    totals = write_asg(path, 500)
    result = load_file(path, db=db, accept_warnings=True)
    assert result.status == "rechazada" and "AAAA-MM" in result.message
    result = load_file(path, db=db, period=date(2025, 1, 1), accept_warnings=True)
    assert result.loaded and result.periods == ["2025-01"]
    assert query_rows("SELECT sum(puestos_trabajo) FROM afiliacion", path=db)[0][0] == totals["ta"]
    future = tmp_path / "asg-2099-01-31.csv"
    write_asg(future, 50)
    assert load_file(future, db=db, accept_warnings=True).report.findings[0].problem == "periodo futuro"
