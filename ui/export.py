"""Downloads of the table on screen: CSV (UTF-8 with BOM), Excel with a header block, Parquet.

The byte builders are pure functions; `export_buttons` is the one Streamlit piece, meant to sit
under any table: export_buttons(df, "servicios_medicos_por_ooad", {"Periodo": "2024"}).
Text cells that Excel would run as a formula are neutralised (OWASP: a leading apostrophe).
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

import pandas as pd
import streamlit as st

from access.roles import may
from warehouse.audit import audit

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
SOURCE = "CMI IMSS — Cuadro de Mando Integral"


def _neutralize(value: object) -> object:
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells starting with =, +, -, @, tab or CR begin with an apostrophe."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_neutralize)
    out.columns = [str(_neutralize(str(c))) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM, comma-separated, point decimals (es-MX), formulas neutralised."""
    return neutralize_formulas(df).to_csv(index=False).encode("utf-8-sig")


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet with the table's own types (data, not a spreadsheet: values kept as they are)."""
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _excel_format(series: pd.Series) -> dict:
    if pd.api.types.is_integer_dtype(series):
        return {"num_format": "#,##0"}
    if pd.api.types.is_float_dtype(series):
        return {"num_format": "#,##0.0#"}
    if pd.api.types.is_datetime64_any_dtype(series):
        return {"num_format": "dd/mm/yyyy"}
    return {}


def _write_cell(sheet, row: int, col: int, v: object, fmt) -> None:
    if isinstance(v, str):
        sheet.write_string(row, col, v, fmt)
    elif isinstance(v, bool):
        sheet.write_boolean(row, col, v, fmt)
    elif isinstance(v, datetime):
        sheet.write_datetime(row, col, v.replace(tzinfo=None), fmt)
    elif isinstance(v, date):
        sheet.write_datetime(row, col, datetime(v.year, v.month, v.day), fmt)
    elif isinstance(v, int | float):
        sheet.write_number(row, col, v, fmt)
    else:
        sheet.write_string(row, col, str(v), fmt)


def to_xlsx_bytes(df: pd.DataFrame, title: str, filters: dict, data_version: int) -> bytes:
    """An Excel workbook: a header block (source, filters, data version, export time) and a table."""
    import xlsxwriter

    data = neutralize_formulas(df)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Datos")
    header = [
        (title, book.add_format({"bold": True, "font_size": 14})),
        (f"Fuente: {SOURCE}", None),
        ("Filtros: " + ("; ".join(f"{k}: {v}" for k, v in filters.items()) or "ninguno"), None),
        (f"Versión de datos: {data_version}", None),
        (f"Exportado: {datetime.now():%d/%m/%Y %H:%M}", None),
        (f"Filas: {len(data):,}", None),
    ]
    for row, (text, fmt) in enumerate(header):
        sheet.write_string(row, 0, text, fmt)
    top = len(header) + 1
    formats = [book.add_format(_excel_format(data[c])) for c in data.columns]
    for j, col in enumerate(data.columns):
        values = data[col]
        for i, v in enumerate(values.tolist()):
            if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
                continue
            _write_cell(sheet, top + 1 + i, j, v, formats[j])
        width = max([len(str(col)), *(len(str(v)) for v in values.head(200).tolist())]) + 2
        sheet.set_column(j, j, min(width, 60))
    last_row = top + max(len(data), 1)
    if len(data.columns):
        sheet.add_table(
            top,
            0,
            last_row,
            len(data.columns) - 1,
            {"columns": [{"header": str(c)} for c in data.columns], "style": "Table Style Medium 2"},
        )
    book.close()
    return buffer.getvalue()


def audit_export(
    user: object, what: str, filters: dict, rows: int, fmt: str, failed: str | None = None
) -> None:
    """Record the export (or, with `failed`, the export that could not be written) in the audit log."""
    record = {"que": what, "formato": fmt, "filtros": filters, "filas": int(rows)}
    if failed:
        record["error"] = failed
    detail = json.dumps(record, ensure_ascii=False, default=str)
    audit(
        getattr(user, "usuario", None) or "anonimo", "exportacion_fallida" if failed else "exportar", detail
    )


def file_stem(name: str) -> str:
    """A safe file name: lowercase, no accents or spaces."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_") or "exportacion"


def may_export(user: object) -> bool:
    """Whether a signed-in user holds a role that may download data."""
    roles = getattr(user, "roles", frozenset())
    return may(roles, "exportar")


def _data_version() -> int:
    from exports.selection import data_version

    return data_version()


def export_buttons(df: pd.DataFrame, name: str, filters: dict, data_version: int | None = None) -> None:
    """CSV, Excel and Parquet download buttons for exactly this table; each download is audited.

    Only roles that may export (the Exportar screen's) get the buttons: a table on screen is not
    a download for everyone.
    """
    from ui.session import current_user

    user = current_user()
    if not may_export(user):
        return
    stem = file_stem(name)
    version = _data_version() if data_version is None else data_version
    rows = len(df)

    def record(fmt: str) -> None:
        audit_export(user, name, filters, rows, fmt)

    formats = (
        ("CSV", "csv", "text/csv", ":material/csv:", lambda: to_csv_bytes(df)),
        (
            "Excel",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ":material/table_view:",
            lambda: to_xlsx_bytes(df, name, filters, version),
        ),
        (
            "Parquet",
            "parquet",
            "application/vnd.apache.parquet",
            ":material/database:",
            lambda: to_parquet_bytes(df),
        ),
    )
    for col, (label, ext, mime, icon, build) in zip(st.columns(3), formats, strict=True):
        col.download_button(
            f"Descargar {label}",
            data=build,  # built only when clicked
            file_name=f"{stem}.{ext}",
            mime=mime,
            key=f"exp_{ext}_{stem}",
            on_click=record,
            args=(ext,),
            icon=icon,
        )


def column_config(df: pd.DataFrame) -> dict:
    """st.dataframe formats per column: es-MX numbers, dd/mm/aaaa dates, cumplimiento as percent."""
    config: dict = {}
    for col in df.columns:
        series = df[col]
        name = str(col)
        if name.lower().startswith("cumplimiento"):
            config[col] = st.column_config.NumberColumn(name, format="percent")
        elif pd.api.types.is_integer_dtype(series) or pd.api.types.is_float_dtype(series):
            config[col] = st.column_config.NumberColumn(name, format="localized")
        elif pd.api.types.is_datetime64_any_dtype(series):
            config[col] = st.column_config.DateColumn(name, format="DD/MM/YYYY")
        else:
            config[col] = st.column_config.TextColumn(name)
    return config
