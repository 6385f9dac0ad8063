"""Exported files read back equal exactly what the engine and the dataset SELECT return."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from exports.selection import ExportFilters, fetch, label, select_sql
from exports.table import copy_to_file, stream_to_file
from indicators import engine
from tests.export.conftest import HOSTILE
from ui.export import column_config, neutralize_formulas, to_csv_bytes, to_parquet_bytes, to_xlsx_bytes

HEADER_ROWS = 7  # title, source, filters, version, time, rows, blank; then the table


def _xlsx_frame(data: bytes) -> tuple[pd.DataFrame, list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_block = [r[0] for r in rows[: HEADER_ROWS - 1]]
    table = rows[HEADER_ROWS:]
    return pd.DataFrame(table[1:], columns=table[0]), header_block


def test_breakdown_by_ooad_exports_exactly_the_engine_rows(tiny_db):
    frame = engine.breakdown("consultas_medicina_familiar", "2024", "ooad", "region:Norte", db=tiny_db)
    # by hand: OOAD 01 = 120 + 130 = 250 against meta 100 + 100; OOAD 05 = 220 + 230 = 450, no meta
    assert list(frame["clave"]) == ["01", "05"]
    assert list(frame["valor"]) == [250.0, 450.0]
    assert frame["meta"].tolist()[0] == 200.0
    shown = frame.rename(columns={c: label(c) for c in frame.columns})

    csv_bytes = to_csv_bytes(shown)
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv_bytes), encoding="utf-8-sig", dtype={"Clave": str})
    assert list(back.columns) == list(shown.columns)
    assert back["Clave"].tolist() == ["01", "05"]
    assert back["Valor"].tolist() == [250.0, 450.0]
    assert back["Meta"].tolist()[0] == 200.0 and pd.isna(back["Meta"].tolist()[1])
    assert back["Cumplimiento"].tolist()[0] == 1.25
    assert back["Estado"].tolist() == shown["Estado"].tolist()

    parquet = pd.read_parquet(io.BytesIO(to_parquet_bytes(shown)))
    pd.testing.assert_frame_equal(parquet, shown.reset_index(drop=True), check_dtype=False)

    xlsx, header = _xlsx_frame(to_xlsx_bytes(shown, "Consultas por OOAD", {"Periodo": "2024"}, 1))
    assert header[0] == "Consultas por OOAD"
    assert header[1].startswith("Fuente: CMI IMSS")
    assert header[2] == "Filtros: Periodo: 2024"
    assert header[3] == "Versión de datos: 1"
    assert header[4].startswith("Exportado: ")
    assert xlsx["Clave"].tolist() == ["01", "05"]
    assert xlsx["Valor"].tolist() == [250, 450]
    assert xlsx["Nombre"].tolist() == shown["Nombre"].tolist()


def test_dataset_exports_match_the_select_in_every_format(tiny_db, tmp_path):
    sql, params = select_sql("consultas", ExportFilters(periodo="2024"), "region:Norte", db=tiny_db)
    frame = fetch(sql, params, tiny_db)
    # by hand: Norte = OOAD 01 and 05, two months of 2024
    assert frame["Clave OOAD"].tolist() == ["01", "05", "01", "05"]
    assert frame["Consultas de medicina familiar"].tolist() == [120, 220, 130, 230]
    for writer in (copy_to_file, stream_to_file):
        pq_path = tmp_path / f"{writer.__name__}.parquet"
        assert writer(sql, params, pq_path, "parquet", tiny_db) == 4
        parquet = pd.read_parquet(pq_path)
        assert list(parquet.columns) == list(frame.columns)
        assert parquet["Consultas de medicina familiar"].tolist() == [120, 220, 130, 230]
        assert parquet["Cirugías oportunas"].tolist() == [9, 45, 8, 30]
        csv_path = tmp_path / f"{writer.__name__}.csv"
        assert writer(sql, params, csv_path, "csv", tiny_db) == 4
        assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
        back = pd.read_csv(csv_path, encoding="utf-8-sig", dtype={"Clave OOAD": str})
        assert back["Clave OOAD"].tolist() == ["01", "05", "01", "05"]
        assert back["Periodo"].tolist() == [
            "2024-01",
            "2024-01",
            "2024-02",
            "2024-02",
        ]  # AAAA-MM, as on screen
        assert back["Cirugías programadas"].tolist() == [10, 50, 10, 40]


def test_a_period_reads_the_same_on_screen_in_csv_excel_and_parquet(tiny_db):
    # the monthly series as the engine returns it: periodo is a date (pandas datetime64)
    series = pd.DataFrame(
        {"Periodo": pd.to_datetime(["2026-10-01", "2026-11-01"]), "Valor": [8_100_000.0, 8_054_321.0]}
    )
    assert pd.read_csv(io.BytesIO(to_csv_bytes(series)), encoding="utf-8-sig")["Periodo"].tolist() == [
        "2026-10",
        "2026-11",
    ]  # not «2026-11-01 00:00:00»
    xlsx, _ = _xlsx_frame(to_xlsx_bytes(series, "Serie mensual", {"Periodo": "2026-11"}, 1))
    assert xlsx["Periodo"].tolist() == ["2026-10", "2026-11"]  # not 01/11/2026
    assert pd.read_parquet(io.BytesIO(to_parquet_bytes(series)))["Periodo"].tolist() == ["2026-10", "2026-11"]
    assert column_config(series)["Periodo"]["type_config"]["format"] == "YYYY-MM"  # the screen
    assert series["Periodo"].dtype.kind == "M"  # the caller's frame is left as it was
    # a dataset's rows: the same text straight from the SELECT, so the preview shows it too
    sql, params = select_sql("consultas", ExportFilters(periodo="2024-02"), "region:Norte", db=tiny_db)
    assert fetch(sql, params, tiny_db)["Periodo"].tolist() == ["2024-02", "2024-02"]


def test_formula_in_agreement_description_exports_as_text(tiny_db, tmp_path):
    sql, params = select_sql("acuerdos", ExportFilters(periodo="2024-02"), "nacional", db=tiny_db)
    frame = fetch(sql, params, tiny_db)
    assert HOSTILE in frame["Descripción"].tolist()
    expected = "'" + HOSTILE

    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig")
    assert expected in back["Descripción"].tolist()

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, "Acuerdos", {}, 1)))
    cells = [c for row in book.active.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert len(cells) == 1
    assert cells[0].value == expected
    assert cells[0].data_type == "s"  # a string, not a formula

    for writer in (copy_to_file, stream_to_file):
        path = tmp_path / f"{writer.__name__}.csv"
        writer(sql, params, path, "csv", tiny_db)
        assert expected in pd.read_csv(path, encoding="utf-8-sig")["Descripción"].tolist()


def test_neutralize_formulas_follows_the_owasp_rule():
    frame = pd.DataFrame({"t": ["=1+1", "+5", "-3", "@SUM(A1)", "\tx", "\rx", "ok", None], "n": range(8)})
    out = neutralize_formulas(frame)
    assert out["t"].tolist()[:7] == ["'=1+1", "'+5", "'-3", "'@SUM(A1)", "'\tx", "'\rx", "ok"]
    assert pd.isna(out["t"].tolist()[7])
    assert out["n"].tolist() == list(range(8))  # negative numbers stay numbers
    assert frame["t"].tolist()[0] == "=1+1"  # the input is not modified
