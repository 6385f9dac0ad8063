"""The one Excel writer: typed cells, a header block, formula-guarded text, streamed rows.

Screens (a table on screen, a meeting's follow-up pack) and the dataset export all write
workbooks here. Text that a spreadsheet would run (=, +, -, @, tab, CR) gets a leading
apostrophe and is written as a string, never a formula or a link.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pandas as pd

from exports.formula import neutralize

if TYPE_CHECKING:
    import duckdb

NUMBER_FORMATS = {"int": "#,##0", "float": "#,##0.0#", "date": "dd/mm/yyyy"}
WIDTH_SAMPLE = 200


@dataclass
class Sheet:
    name: str
    columns: Sequence[str]
    rows: Iterable[Sequence[object]]
    kinds: Sequence[str] = ()  # per column: int | float | date | text (number formats)
    header: Sequence[str] = ()  # lines above the table; the first one bold
    as_table: bool = False  # an Excel table (filters, banded rows) over the rows
    widths: dict[int, float] = field(default_factory=dict)


def kind_of(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "text"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "text"


def frame_sheet(name: str, frame: pd.DataFrame, header: Sequence[str] = (), as_table: bool = False) -> Sheet:
    """A sheet with a DataFrame's rows (missing values left empty)."""
    rows = (
        [None if v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)) else v for v in row]
        for row in frame.itertuples(index=False, name=None)
    )
    kinds = [kind_of(frame[c]) for c in frame.columns]
    return Sheet(name, [str(c) for c in frame.columns], rows, kinds, header, as_table)


def result_sheet(name: str, result: duckdb.DuckDBPyConnection, batch: int = 10_000) -> Sheet:
    """A sheet streamed from a DuckDB result, `batch` rows at a time."""

    def rows() -> Iterable[Sequence[object]]:
        while chunk := result.fetchmany(batch):
            yield from chunk

    return Sheet(name, [d[0] for d in result.description], rows())


def _write_cell(sheet, row: int, col: int, v: object, fmt) -> None:
    if isinstance(v, str):
        sheet.write_string(row, col, neutralize(v), fmt)
    elif isinstance(v, bool):
        sheet.write_boolean(row, col, v, fmt)
    elif isinstance(v, datetime):
        sheet.write_datetime(row, col, v.replace(tzinfo=None), fmt)
    elif isinstance(v, date):
        sheet.write_datetime(row, col, datetime(v.year, v.month, v.day), fmt)
    elif isinstance(v, int | float):
        sheet.write_number(row, col, v, fmt)
    else:
        sheet.write_string(row, col, neutralize(str(v)), fmt)


def write_xlsx(target: BinaryIO | Path, sheets: Iterable[Sheet], streaming: bool = False) -> int:
    """Write the sheets; returns the data rows written. `streaming` keeps memory flat (no tables)."""
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_urls": False}
    options |= {"constant_memory": True} if streaming else {"in_memory": True}
    book = xlsxwriter.Workbook(str(target) if isinstance(target, Path) else target, options)
    bold = book.add_format({"bold": True, "font_size": 14})
    header_fmt = book.add_format({"bold": True})
    total = 0
    for spec in sheets:
        ws = book.add_worksheet(spec.name[:31])
        for r, line in enumerate(spec.header):
            ws.write_string(r, 0, neutralize(line), bold if r == 0 else None)
        top = len(spec.header) + 1 if spec.header else 0
        kinds = list(spec.kinds) or ["text"] * len(spec.columns)
        formats = [
            book.add_format({"num_format": NUMBER_FORMATS[k]} if k in NUMBER_FORMATS else {}) for k in kinds
        ]
        rows = iter(spec.rows)
        head = list(itertools.islice(rows, WIDTH_SAMPLE))
        for j, col in enumerate(spec.columns):
            if not spec.as_table:
                ws.write_string(top, j, neutralize(str(col)), header_fmt)
            sample = [len(str(row[j])) for row in head if row[j] is not None]
            ws.set_column(j, j, min(max([len(str(col)), *sample]) + 2, 60))
        n = 0
        for n, row in enumerate(itertools.chain(head, rows), start=1):
            for j, v in enumerate(row):
                if v is not None:
                    _write_cell(ws, top + n, j, v, formats[j])
        if spec.as_table and spec.columns:
            headers = [{"header": neutralize(str(c))} for c in spec.columns]
            ws.add_table(
                top,
                0,
                top + max(n, 1),
                len(spec.columns) - 1,
                {"columns": headers, "style": "Table Style Medium 2"},
            )
        total += n
    book.close()
    return total
