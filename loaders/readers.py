"""Read a planner's file into a temporary DuckDB table of text columns, with each row's number.

Everything is read by DuckDB itself (read_csv, read_parquet); Excel, for which DuckDB's
extension is not available offline, is streamed with openpyxl in read-only mode in batches.
The result is the temporary view `_src`: `_fila` (the row as the planner counts it: the line in
a CSV including the header, the row in Excel, the record number in Parquet) and one VARCHAR
column per file column, named by `sniff.normalize_column`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pyarrow as pa

from loaders.findings import Finding, Report
from loaders.sniff import FileInfo, normalize_column
from warehouse.rows import scalar

EXCEL_BATCH = 50_000

_REJECT_TEXT = {
    "TOO MANY COLUMNS": "la fila tiene más campos que el encabezado",
    "MISSING COLUMNS": "la fila tiene menos campos que el encabezado",
    "UNQUOTED VALUE": "comillas mal cerradas",
    "LINE SIZE OVER MAXIMUM": "la línea es demasiado larga",
    "INVALID UNICODE": "caracteres que no corresponden a la codificación detectada",
    "INVALID ENCODING": "caracteres que no corresponden a la codificación detectada",
    "CAST": "valor que no corresponde al tipo de la columna",
}


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def columns_literal(types: dict[str, str]) -> str:
    """A DuckDB struct literal for read_csv's `columns` option."""
    return "{" + ", ".join(f"{sql_text(k)}: {sql_text(v)}" for k, v in types.items()) + "}"


def _name_problems(names: list[str], out: list[str]) -> list[Finding]:
    """Give blank headers a name (into `out`); report blank and repeated headers as row 1."""
    problems: list[Finding] = []
    seen: set[str] = set()
    for i, name in enumerate(names, start=1):
        fixed = name or f"columna_{i}"
        if not name:
            problems.append(Finding("", 1, fixed, None, f"la columna {i} no tiene encabezado"))
        elif fixed in seen:
            problems.append(Finding("", 1, fixed, None, "el encabezado está repetido"))
            fixed = f"{fixed}_{i}"
        seen.add(fixed)
        out.append(fixed)
    return problems


def reject_findings(cur: duckdb.DuckDBPyConnection, file: str, table: str = "_rej") -> Report:
    """Rows DuckDB's CSV reader rejected (structure, encoding or type), with their line."""
    report = Report()
    total = scalar(cur, f"SELECT count(*) FROM {table}")
    rows = cur.execute(
        f"SELECT line, column_name, error_type, csv_line FROM {table} ORDER BY line LIMIT 50"
    ).fetchall()
    for line, column, kind, raw in rows:
        problem = _REJECT_TEXT.get(str(kind).upper(), f"fila ilegible ({kind})")
        value = None
        if str(kind).upper() == "CAST" and raw is not None:
            value = str(raw)[:80]
        report.add(Finding(file, int(line), column if kind == "CAST" else None, value, problem))
    report.total = int(total)
    return report


def _stage_csv(cur: duckdb.DuckDBPyConnection, info: FileInfo, names: list[str]) -> Report:
    types = dict.fromkeys(names, "VARCHAR")
    cur.execute(
        "CREATE TEMP TABLE _stg AS SELECT * FROM read_csv(?, delim = ?, header = true, "
        f"columns = {columns_literal(types)}, encoding = ?, auto_detect = false, quote = '\"', "
        "escape = '\"', store_rejects = true, rejects_table = '_rej', rejects_scan = '_rej_scan')",
        [str(info.path), info.delimiter, info.duckdb_encoding],
    )
    cur.execute(
        "CREATE TEMP VIEW _src AS SELECT CAST(rowid - (SELECT min(rowid) FROM _stg) + 2 AS BIGINT) AS _fila, *"
        " FROM _stg"
    )
    return reject_findings(cur, info.name)


def _stage_parquet(cur: duckdb.DuckDBPyConnection, info: FileInfo) -> list[str]:
    raw = [r[0] for r in cur.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(info.path)]).fetchall()]
    names: list[str] = []
    _name_problems([normalize_column(c) for c in raw], names)
    select = ", ".join(
        f"CASE WHEN {quote_ident(r)} IS NULL THEN NULL ELSE CAST({quote_ident(r)} AS VARCHAR) END AS {quote_ident(n)}"
        for r, n in zip(raw, names, strict=True)
    )
    cur.execute(
        f"CREATE TEMP TABLE _stg AS SELECT CAST(file_row_number + 1 AS BIGINT) AS _fila, {select} "
        "FROM read_parquet(?, file_row_number = true)",
        [str(info.path)],
    )
    cur.execute("CREATE TEMP VIEW _src AS SELECT * FROM _stg")
    return names


def cell_text(value: object) -> str | None:
    """An Excel cell as the text a CSV would carry."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def excel_rows(path: str, sheet: str | None = None) -> Iterator[tuple[int, list[str | None]]]:
    """(Excel row number, cell texts) of a sheet; starts at the header row.

    Read with calamine, which reads the cells themselves: workbooks written by R or other tools
    often carry a bogus `<dimension ref="A1"/>` that makes openpyxl's reader see one cell.
    """
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(path)
    try:
        ws = wb.get_sheet_by_name(sheet) if sheet else wb.get_sheet_by_index(0)
        for number, row in enumerate(ws.iter_rows(), start=1):
            yield number, [cell_text(v) for v in row]
    finally:
        wb.close()


def sheet_names(path: str) -> list[str]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(path)
    try:
        return list(wb.sheet_names)
    finally:
        wb.close()


def _stage_excel(cur: duckdb.DuckDBPyConnection, info: FileInfo, sheet: str | None) -> list[str]:
    rows = excel_rows(str(info.path), sheet)
    header: list[str | None] = []
    for _number, cells in rows:  # the header is the first row with two or more filled cells
        if sum(c is not None for c in cells) >= 2:
            header = cells
            break
    while header and header[-1] is None:
        header.pop()
    info.header = [h or "" for h in header]
    names: list[str] = []
    _name_problems([normalize_column(h) for h in info.header], names)
    width = len(names)
    cols = ", ".join(f"{quote_ident(n)} VARCHAR" for n in names)
    cur.execute(f"CREATE TEMP TABLE _stg (_fila BIGINT{', ' if cols else ''}{cols})")
    schema = pa.schema([("_fila", pa.int64())] + [(n, pa.string()) for n in names])

    def flush(batch: list[list]) -> None:
        arrays = [pa.array(col, type=t.type) for col, t in zip(zip(*batch, strict=True), schema, strict=True)]
        cur.register("_xl_batch", pa.Table.from_arrays(arrays, schema=schema))
        cur.execute("INSERT INTO _stg SELECT * FROM _xl_batch")
        cur.unregister("_xl_batch")

    batch: list[list] = []
    for number, cells in rows:
        values = (cells + [None] * width)[:width]
        if all(v is None for v in values):
            continue
        batch.append([number, *values])
        if len(batch) >= EXCEL_BATCH:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    cur.execute("CREATE TEMP VIEW _src AS SELECT * FROM _stg")
    return names


def stage(
    cur: duckdb.DuckDBPyConnection, info: FileInfo, sheet: str | None = None
) -> tuple[list[str], Report]:
    """Create `_src` from the file; return its column names and the structural findings."""
    report = Report()
    if info.kind == "csv":
        names: list[str] = []
        for f in _name_problems(info.columns, names):
            report.add(Finding(info.name, f.row, f.column, f.value, f.problem))
        if report.ok:
            report = _stage_csv(cur, info, names)
        info.columns = names
        return names, report
    names = _stage_parquet(cur, info) if info.kind == "parquet" else _stage_excel(cur, info, sheet)
    info.columns = names
    return names, report


def peek_columns(info: FileInfo) -> list[str]:
    """The normalised column names of a file without reading it whole."""
    if info.kind == "csv":
        return info.columns
    if info.kind == "parquet":
        con = duckdb.connect()
        try:
            raw = [
                r[0]
                for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(info.path)]).fetchall()
            ]
        finally:
            con.close()
        return [normalize_column(c) for c in raw]
    for _number, cells in excel_rows(str(info.path)):
        if sum(c is not None for c in cells) >= 2:
            return [normalize_column(c or "") for c in cells if c is not None]
    return []
