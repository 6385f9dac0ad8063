"""Downloads of the table on screen: CSV (UTF-8 with BOM), Excel with a header block, Parquet.

The byte builders are pure functions; `export_buttons` is the one Streamlit piece, meant to sit
under any table: export_buttons(df, "servicios_medicos_por_ooad", {"Periodo": "2024"}).
Text cells that Excel would run as a formula are neutralised (OWASP: a leading apostrophe).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime

import pandas as pd
import streamlit as st

from access.roles import may
from exports.excel import frame_sheet, write_xlsx
from exports.formula import neutralize
from exports.selection import PERIOD_FORMAT
from exports.table import frame_bytes
from warehouse.audit import audit

SOURCE = "CMI IMSS — Cuadro de Mando Integral"


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells starting with =, +, -, @, tab or CR begin with an apostrophe."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: neutralize(v) if isinstance(v, str) else v)
    out.columns = [neutralize(str(c)) for c in out.columns]
    return out


def months_as_text(df: pd.DataFrame) -> pd.DataFrame:
    """The «Periodo» column of dates as AAAA-MM text, as the screen (`column_config`) and the dataset
    export (exports.selection.PERIOD_FORMAT) show it: never «2026-11-01 00:00:00» nor «01/11/2026»."""
    periods = [
        c for c in df.columns if str(c).lower() == "periodo" and pd.api.types.is_datetime64_any_dtype(df[c])
    ]
    if not periods:
        return df
    return df.assign(**{str(c): df[c].dt.strftime(PERIOD_FORMAT) for c in periods})


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM, comma-separated, point decimals (es-MX), formulas neutralised."""
    return frame_bytes(months_as_text(df), "csv")


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet with the table's own types (data, not a spreadsheet), months as AAAA-MM like every export."""
    return frame_bytes(months_as_text(df), "parquet")


def to_xlsx_bytes(df: pd.DataFrame, title: str, filters: dict, data_version: int) -> bytes:
    """An Excel workbook: a header block (source, filters, data version, export time) and a table."""
    header = [
        title,
        f"Fuente: {SOURCE}",
        "Filtros: " + ("; ".join(f"{k}: {v}" for k, v in filters.items()) or "ninguno"),
        f"Versión de datos: {data_version}",
        f"Exportado: {datetime.now():%d/%m/%Y %H:%M}",
        f"Filas: {len(df):,}",
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, [frame_sheet("Datos", months_as_text(df), header, as_table=True)])
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
    roles: frozenset[str] = getattr(user, "roles", frozenset())
    return may(roles, "exportar")


def _data_version() -> int:
    from exports.selection import data_version

    return data_version()


def export_buttons(
    df: pd.DataFrame,
    name: str,
    filters: dict,
    data_version: int | None = None,
    columns: Sequence[str] | None = None,
) -> None:
    """CSV, Excel and Parquet download buttons for exactly this table; each download is audited.

    Only roles that may export (the Exportar screen's) get the buttons: a table on screen is not
    a download for everyone. `columns`: the ones the screen shows, taken only when a file is built.
    """
    from ui.session import current_user

    user = current_user()
    if not may_export(user):
        return
    version = _data_version() if data_version is None else data_version

    def table() -> pd.DataFrame:
        return df if columns is None else df[list(columns)]

    formats = (
        ("CSV", "csv", "text/csv", ":material/csv:", lambda: to_csv_bytes(table())),
        (
            "Excel",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ":material/table_view:",
            lambda: to_xlsx_bytes(table(), name, filters, version),
        ),
        (
            "Parquet",
            "parquet",
            "application/vnd.apache.parquet",
            ":material/database:",
            lambda: to_parquet_bytes(table()),
        ),
    )
    download_door(name, filters, len(df), formats)


# One downloadable format: its label, extension, MIME type, icon and the builder of its bytes.
Format = tuple[str, str, str, str, Callable[[], bytes]]


def download_door(name: str, filters: dict, rows: int, formats: Sequence[Format]) -> None:
    """The export door every download goes through: only for roles that may export, each file
    built only when its button is clicked, each click recorded in the audit log.

    `filters` (with the user's ámbito) describe the file in the audit row; `rows`: how many it holds.
    """
    from ui.session import current_user

    user = current_user()
    if not may_export(user):
        return
    stem = file_stem(name)

    def record(fmt: str) -> None:
        audit_export(user, name, filters, rows, fmt)

    row = st.container(horizontal=True, wrap=True)  # buttons wrap in a narrow column, never cut
    for label, ext, mime, icon, build in formats:
        row.download_button(
            f"Descargar {label}",
            data=build,  # built only when clicked
            file_name=f"{stem}.{ext}",
            mime=mime,
            key=f"exp_{ext}_{stem}",
            on_click=record,
            args=(ext,),
            icon=icon,
            width="content",
        )


def column_config(df: pd.DataFrame) -> dict:
    """st.dataframe formats per column: es-MX numbers, dd/mm/aaaa dates, cumplimiento as percent."""
    config: dict = {}
    for col in df.columns:
        series = df[col]
        name = str(col)
        if name.lower().startswith("cumplimiento"):
            config[col] = st.column_config.NumberColumn(name, format="percent")
        elif name.lower() == "periodo" and pd.api.types.is_datetime64_any_dtype(series):
            config[col] = st.column_config.DateColumn(name, format="YYYY-MM")  # as every export writes it
        elif pd.api.types.is_integer_dtype(series) or pd.api.types.is_float_dtype(series):
            config[col] = st.column_config.NumberColumn(name, format="localized")
        elif pd.api.types.is_datetime64_any_dtype(series):
            config[col] = st.column_config.DateColumn(name, format="DD/MM/YYYY")
        else:
            config[col] = st.column_config.TextColumn(name)
    return config
