"""Files as planners have them: R-written workbooks, es-MX thousands, damaged headers, wrong names."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from indicators.definitions import Kpi
from indicators.status import status
from loaders import load_file, template_csv_bom, template_xlsx
from loaders.cli import main
from warehouse import query_rows


def _bogus_dimension_xlsx(path: Path) -> Path:
    """A workbook whose sheet says `<dimension ref="A1"/>` although it holds three rows (as R writes)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["periodo", "cve_ooad", "puestos_trabajo"])
    ws.append(["2024-01", "09", 1000])
    ws.append(["2024-01", "10", 2500])
    plain = path.with_suffix(".tmp.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1"/>', data)
                assert n == 1
            zout.writestr(item, data)
    return path


def test_workbook_with_a_bogus_dimension_is_read_whole(db: Path, tmp_path: Path) -> None:
    path = _bogus_dimension_xlsx(tmp_path / "afiliacion_r.xlsx")
    result = load_file(path, db=db, accept_warnings=True)
    assert result.loaded, result.message
    assert query_rows("SELECT cve_ooad, puestos_trabajo FROM afiliacion ORDER BY 1", path=db) == [
        ("09", 1000),
        ("10", 2500),
    ]


def test_es_mx_thousands_are_read_where_unambiguous(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "afiliacion_excel.csv"
    path.write_text(
        'periodo,cve_ooad,puestos_trabajo,masa_salarial\n2024-01,09,"104,500","1,234,567.25"\n',
        encoding="utf-8",
    )
    assert load_file(path, db=db, accept_warnings=True).loaded
    assert query_rows("SELECT puestos_trabajo, masa_salarial FROM afiliacion", path=db) == [
        (104500, 1234567.25)
    ]
    decimal_comma = tmp_path / "coma_decimal.csv"
    decimal_comma.write_text('periodo,cve_ooad,puestos_trabajo\n2024-02,09,"1,5"\n', encoding="utf-8")
    refused = load_file(decimal_comma, db=db, accept_warnings=True)
    assert refused.report.findings[0].message == (
        "coma_decimal.csv, fila 2, columna «puestos_trabajo»: no es un número entero (valor «1,5»)."
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_templates_carry_a_bom_or_are_workbooks_and_load_back(db: Path, tmp_path: Path, kind: str) -> None:
    data = template_csv_bom("guarderias") if kind == "csv" else template_xlsx("guarderias")
    if kind == "csv":
        assert data.decode("utf-8").startswith("\ufeffperiodo,cve_ooad,unidades,capacidad_instalada")
    else:
        assert data[:4] == b"PK\x03\x04"
    path = tmp_path / f"plantilla_guarderias.{kind}"
    path.write_bytes(data)
    result = load_file(path, db=db, dry_run=True)
    assert result.status == "validada", result.message
    assert result.rows == 1 and result.periods == ["2025-01"]


def test_daycare_list_without_enrolment_loads(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "guarderias_2009.csv"
    path.write_text("periodo,cve_ooad,unidades,capacidad_instalada\n2009-12,09,40,7000\n", encoding="utf-8")
    assert load_file(path, db=db, accept_warnings=True).loaded
    assert query_rows("SELECT capacidad_instalada, ninos_inscritos FROM guarderias", path=db) == [
        (7000, None)
    ]


def test_replacement_character_in_a_header_is_shown(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "afiliacion_dañada.csv"
    path.write_bytes("periodo,cve_ooad,puestos_trabajo,quer\ufffdtaro\n2024-01,09,1,2\n".encode())
    result = load_file(path, db=db)
    assert result.report.findings[0].column == "quer\ufffdtaro"
    assert "el carácter � marca letras que se perdieron" in result.report.findings[0].problem


def test_empty_and_misnamed_files_are_refused_in_spanish_with_exit_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    empty = tmp_path / "vacio.csv"
    empty.write_bytes(b"")
    misnamed = tmp_path / "afiliacion.xlsx"
    misnamed.write_text("periodo,cve_ooad,puestos_trabajo\n2024-01,09,1\n", encoding="utf-8")
    assert main(["--db", str(db), "load", str(empty)]) == 2
    assert capsys.readouterr().out.strip() == "«vacio.csv» está vacío (0 bytes); no se cargó nada."
    assert main(["--db", str(db), "load", str(misnamed)]) == 2
    assert capsys.readouterr().out.startswith(
        "«afiliacion.xlsx» tiene extensión de Excel pero no es un libro de Excel (parece un archivo de texto (CSV))."
    )


def test_catalog_command_prints_codes_and_unknown_codes_name_the_closest(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["--db", str(db), "catalogo", "entidad"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 32 and lines[1].split()[:2] == ["01", "Aguascalientes"]
    assert main(["--db", str(db), "catalogo", "ooad"]) == 0
    assert "Veracruz Sur" in capsys.readouterr().out
    assert main(["--db", str(db), "catalogo", "region"]) == 0
    assert capsys.readouterr().out.split() == ["region", "Norte", "Occidente", "Centro", "Sureste"]
    path = tmp_path / "afiliacion.csv"
    path.write_text("periodo,cve_ooad,puestos_trabajo\n2024-01,36,1\n", encoding="utf-8")
    [finding] = load_file(path, db=db).report.findings
    assert finding.problem == (
        "clave desconocida en el catálogo ooad; las más cercanas: 35 (Zacatecas), 34 (Yucatán),"
        " 33 (Veracruz Sur) (lista completa: python -m loaders catalogo ooad)"
    )


def test_a_missing_value_is_sin_dato_not_sin_meta() -> None:
    kpi = Kpi("k", "K", "finanzas", "", "", "pesos", "entero", "finanzas", "flujo", "x")
    assert status(kpi, None, 100.0) == "Sin dato"
    assert status(kpi, 90.0, None) == "Sin meta"
    assert status(kpi, 100.0, 100.0) == "En meta"
