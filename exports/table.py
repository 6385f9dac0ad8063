"""Stream a SELECT from DuckDB straight to a Parquet or CSV file: no pandas copy of the rows.

`copy_to_file` runs one `COPY (SELECT …) TO 'file'` with the SELECT's bound parameters.
`stream_to_file` reads Arrow record batches and writes them one at a time, calling `progress`
after each batch, for screens that show a progress bar. Both keep memory bounded by a batch.
CSV files start with a UTF-8 BOM (Excel in Spanish opens accents right) and text cells that
start with =, +, -, @, tab or CR get a leading apostrophe (OWASP formula-injection rule).
"""

from __future__ import annotations

import errno
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from exports.formula import guard_sql, safe_text_sql
from indicators.periods import InvalidArgumentError
from warehouse import cursor
from warehouse.errors import UserError

__all__ = ["ExportFailed", "copy_to_file", "frame_bytes", "safe_text_sql", "stream_to_file"]

Db = Path | str | None
FORMATS = ("parquet", "csv")
BOM = b"\xef\xbb\xbf"
BATCH_ROWS = 100_000


class ExportFailed(UserError, RuntimeError):
    """A file that could not be written (a full disk); the partial file is gone. Spanish message."""


def _failed(path: Path, exc: BaseException) -> ExportFailed:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".bom").unlink(missing_ok=True)
    if getattr(exc, "errno", None) == errno.ENOSPC or "No space left" in str(exc):
        return ExportFailed(
            "El disco del servidor se llenó durante la exportación; se borró el archivo parcial."
        )
    return ExportFailed("No se pudo escribir el archivo de exportación; se borró el archivo parcial.")


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidArgumentError(f"Formato no válido: «{fmt}». Use parquet o csv.")


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _prepend_bom(path: Path) -> None:
    tmp = path.with_name(path.name + ".bom")
    with open(tmp, "wb") as out, open(path, "rb") as src:
        out.write(BOM)
        while chunk := src.read(1 << 20):
            out.write(chunk)
    tmp.replace(path)


def copy_to_file(
    sql: str, params: list, path: Path | str, fmt: str, db: Db = None, keep_order: bool = True
) -> int:
    """COPY the SELECT's rows to path as parquet or csv; returns the number of rows written.

    keep_order=False lets DuckDB write row groups as threads finish them (PRESERVE_ORDER false):
    for unsorted detail tables this halves peak memory; sorted results must keep the default.
    """
    _check(fmt)
    with cursor(db) as cur:
        return _copy(cur, sql, params, Path(path), fmt, keep_order)


def _copy(
    cur: duckdb.DuckDBPyConnection, sql: str, params: list, path: Path, fmt: str, keep_order: bool
) -> int:
    if fmt == "csv":
        sql = guard_sql(cur, sql, params)
        options = "FORMAT csv, HEADER true, DELIMITER ','"
    else:
        options = "FORMAT parquet, COMPRESSION zstd"
    if not keep_order:
        options += ", PRESERVE_ORDER false"
    try:
        rows = cur.execute(f"COPY ({sql}) TO {_literal(path)} ({options})", params).fetchall()
        if fmt == "csv":
            _prepend_bom(path)
    except (OSError, duckdb.IOException) as exc:
        raise _failed(path, exc) from exc
    return int(rows[0][0]) if rows else 0


def frame_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """A small table already on screen as CSV (BOM, formula guard) or Parquet, written by the same COPY."""
    _check(fmt)
    with tempfile.TemporaryDirectory(prefix=".cmi_export_") as tmp, duckdb.connect() as con:
        con.register("_pantalla", frame)
        path = Path(tmp) / f"tabla.{fmt}"
        _copy(con, "SELECT * FROM _pantalla", [], path, fmt, keep_order=True)
        return path.read_bytes()


def stream_to_file(
    sql: str,
    params: list,
    path: Path | str,
    fmt: str,
    db: Db = None,
    progress: Callable[[int], object] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> int:
    """Write the SELECT's rows batch by batch, calling progress(rows_written) after each batch."""
    _check(fmt)
    path = Path(path)
    if fmt == "csv":
        sql = safe_text_sql(sql, params, db)
    written = 0
    try:
        with cursor(db) as cur:
            reader: pa.RecordBatchReader = cur.sql(sql, params=params).to_arrow_reader(batch_rows)
            with open(path, "wb") as sink:
                if fmt == "csv":
                    sink.write(BOM)
                    writer = pacsv.CSVWriter(sink, reader.schema)
                else:
                    writer = pq.ParquetWriter(sink, reader.schema, compression="zstd")
                try:
                    for batch in reader:
                        writer.write(batch) if fmt == "csv" else writer.write_batch(batch)
                        written += batch.num_rows
                        if progress is not None:
                            progress(written)
                finally:
                    writer.close()
    except (OSError, duckdb.IOException, pa.ArrowException) as exc:
        raise _failed(path, exc) from exc
    return written
