"""Every kind of bad file is refused with a Spanish finding naming file, row and column; nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders import load_file
from tests.loaders.helpers import HEADER, MEASURES, consultas_lines, snapshot, write

GOOD = consultas_lines(["2024-03"], ["01", "09", "35"])  # file lines 2, 3, 4


def _replace(line: str, column: str, value: str) -> str:
    cells = line.split(",")
    cells[HEADER.split(",").index(column)] = value
    return ",".join(cells)


CASES = {
    "falta_columna": (
        [
            HEADER.replace(",consultas_urgencias", ""),
            *[_replace(g, "consultas_urgencias", "§").replace(",§", "") for g in GOOD],
        ],
        1,
        "consultas_urgencias",
        "falta la columna obligatoria",
        None,
    ),
    "columna_desconocida": (
        [HEADER + ",comentario", *[g + ",x" for g in GOOD]],
        1,
        "comentario",
        "columna desconocida",
        None,
    ),
    "tipo_incorrecto": (
        [HEADER, GOOD[0], _replace(GOOD[1], "consultas_especialidades", "doce"), GOOD[2]],
        3,
        "consultas_especialidades",
        "no es un número entero",
        "doce",
    ),
    "decimal_en_entero": (
        [HEADER, GOOD[0], GOOD[1], _replace(GOOD[2], "chequeos_prevenimss", "10.5")],
        4,
        "chequeos_prevenimss",
        "no es un número entero",
        "10.5",
    ),
    "oportunas_exceden_programadas": (
        [HEADER, GOOD[0], _replace(GOOD[1], "cirugias_oportunas", "99999"), GOOD[2]],
        3,
        "cirugias_oportunas",
        "no pueden exceder las programadas",
        "99999",
    ),
    "clave_desconocida": (
        [HEADER, GOOD[0], GOOD[1], _replace(GOOD[2], "cve_ooad", "77")],
        4,
        "cve_ooad",
        "clave desconocida en el catálogo ooad",
        "77",
    ),
    "clave_repetida": (
        [HEADER, GOOD[0], GOOD[1], GOOD[0]],
        4,
        "periodo, cve_ooad",
        "clave repetida; ya aparece en la fila 2",
        None,
    ),
    "negativo": (
        [HEADER, GOOD[0], _replace(GOOD[1], "dias_cama_ocupados", "-5"), GOOD[2]],
        3,
        "dias_cama_ocupados",
        "no puede ser negativo",
        "-5",
    ),
    "periodo_futuro": (
        [HEADER, GOOD[0], _replace(GOOD[1], "periodo", "2099-01"), GOOD[2]],
        3,
        "periodo",
        "periodo futuro",
        "2099-01",
    ),
    "periodo_invalido": (
        [HEADER, _replace(GOOD[0], "periodo", "2024-13"), GOOD[1], GOOD[2]],
        2,
        "periodo",
        "no es un periodo AAAA-MM",
        "2024-13",
    ),
    "vacio_obligatorio": (
        [HEADER, GOOD[0], GOOD[1], _replace(GOOD[2], "consultas_urgencias", "")],
        4,
        "consultas_urgencias",
        "valor vacío",
        None,
    ),
    "campos_de_mas": (
        [HEADER, GOOD[0], GOOD[1] + ",7", GOOD[2]],
        3,
        None,
        "más campos que el encabezado",
        None,
    ),
    "periodo_ya_cargado": (
        [HEADER, *consultas_lines(["2024-03", "2024-02"], ["01"])],
        3,
        "periodo",
        "ya está cargado",
        "2024-02",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_refused_and_nothing_changes(seeded: Path, tmp_path: Path, case: str) -> None:
    lines, row, column, problem, value = CASES[case]
    path = write(tmp_path / f"consultas_{case}.csv", lines)
    before = snapshot(seeded)
    result = load_file(path, dataset="consultas", db=seeded, accept_warnings=True)
    assert result.status == "rechazada"
    first = result.report.findings[0]
    assert (first.row, first.column) == (row, column), first.message
    assert problem in first.problem
    if value is not None:
        assert first.value == value
    message = first.message
    assert message.startswith(f"consultas_{case}.csv, fila {row}")
    if column:
        assert f"columna «{column}»" in message
    assert "nada cambió" in result.message or "ya está cargado" in message
    assert snapshot(seeded) == before


def test_percentage_out_of_range_and_cross_column_rules(seeded: Path, tmp_path: Path) -> None:
    header = (
        "folio,cve_reunion,region,cve_ooad,cve_umae,cve_mesa,cve_tema,descripcion,cve_direccion,"
        "fecha_registro,fecha_compromiso,estado,avance,fecha_conclusion,version"
    )
    ok = "A-1,RR8,Centro,09,,M1,,Texto,DPM,2023-04-28,2023-12-31,En proceso,40,,1"
    bad = "A-2,RR8,Centro,09,,M1,,Texto,DPM,2023-04-28,2023-12-31,En proceso,140,,1"
    path = write(tmp_path / "acuerdos.csv", [header, ok, bad])
    before = snapshot(seeded)
    result = load_file(path, db=seeded, accept_warnings=True)
    assert result.dataset == "acuerdos" and result.status == "rechazada"
    assert result.report.findings[0].message == (
        "acuerdos.csv, fila 3, columna «avance»: porcentaje fuera del rango de 0 a 100 (valor «140»)."
    )
    sat = write(
        tmp_path / "satisfaccion.csv",
        [
            "anio,cve_ooad,servicio,encuestados,satisfechos",
            "2019,09,guarderias,100,90",
            "2019,01,guarderias,100,120",
        ],
    )
    result = load_file(sat, db=seeded, accept_warnings=True)
    finding = result.report.findings[0]
    assert (finding.row, finding.column) == (3, "satisfechos")
    assert "más satisfechos que encuestados" in finding.problem
    assert snapshot(seeded) == before


def test_many_errors_show_fifty_and_count_all(seeded: Path, tmp_path: Path) -> None:
    lines = [HEADER] + [
        _replace(g, "consultas_urgencias", "-1") for g in consultas_lines(["2023-01"], ["01"] * 1)
    ]
    lines += [
        _replace(line, "consultas_urgencias", "-1")
        for line in consultas_lines(
            [f"20{y:02d}-{m:02d}" for y in range(10, 16) for m in range(1, 13)], ["05"]
        )
    ]
    path = write(tmp_path / "consultas_muchos.csv", lines)
    result = load_file(path, dataset="consultas", db=seeded, accept_warnings=True)
    assert result.report.total == 73 and len(result.report.findings) == 50
    assert "Se encontraron 73 errores (se muestran los primeros 50)" in result.message


def test_excel_findings_name_the_excel_row(seeded: Path, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Consultas marzo 2024"])  # a title row above the header
    ws.append(HEADER.split(","))
    for line in GOOD:
        ws.append([line.split(",")[0], line.split(",")[1], *[int(v) for v in line.split(",")[2:]]])
    ws.cell(row=4, column=2 + MEASURES.index("consultas_urgencias") + 1, value=-3)
    path = tmp_path / "consultas.xlsx"
    wb.save(path)
    before = snapshot(seeded)
    result = load_file(path, db=seeded, accept_warnings=True)
    assert result.dataset == "consultas" and result.status == "rechazada"
    first = result.report.findings[0]
    assert (first.row, first.column, first.value) == (4, "consultas_urgencias", "-3")
    assert snapshot(seeded) == before
    ws.cell(row=4, column=2 + MEASURES.index("consultas_urgencias") + 1, value=3)
    wb.save(path)
    assert load_file(path, db=seeded, accept_warnings=True).loaded


@pytest.mark.parametrize(("encoding", "delimiter"), [("latin-1", ";"), ("utf-8-sig", "\t"), ("cp1252", "|")])
def test_encodings_and_delimiters_are_detected(
    db: Path, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    header = "anio;cve_ooad;servicio;encuestados;satisfechos".replace(";", delimiter)
    lines = [header, delimiter.join(["2019", "9", "atención_médica", "100", "81"])]
    path = write(tmp_path / "encal.csv", lines, encoding=encoding)
    result = load_file(path, db=db, accept_warnings=True)
    assert result.loaded, result.message
    from warehouse import query_rows

    assert query_rows("SELECT cve_ooad, servicio FROM satisfaccion", path=db) == [("09", "atención_médica")]
