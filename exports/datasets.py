"""Write a dataset's rows in exactly its contract's file format, so export -> load is a no-op."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb

from exports.excel import result_sheet, write_xlsx
from exports.formula import safe_text_sql
from loaders.contracts import contract
from warehouse import cursor
from warehouse.audit import audit
from warehouse.errors import UserError
from warehouse.rows import scalar

FORMATS = ("csv", "parquet", "xlsx")
EXPORT_AUDIT = "exportar"
EXPORT_FAILED = "exportacion_fallida"


class ExportError(UserError, RuntimeError):
    """An export that could not be written (nothing partial left); the message is Spanish."""


def _scope_where(c, ambito: str) -> tuple[list[str], list]:
    """The rows of a scoped account's region or OOAD (a national-only dataset is refused)."""
    level, _, key = ambito.partition(":")
    if level not in ("region", "ooad"):
        return [], []
    if "cve_ooad" not in c.names:
        raise ExportError(
            f"«{c.title}» solo tiene datos nacionales; su ámbito ({ambito}) no permite exportarlo."
        )
    if level == "ooad":
        return ["cve_ooad = ?"], [key.zfill(2) if key.isdigit() else key]
    if "region" in c.names:
        return ["region = ?"], [key]
    return ["cve_ooad IN (SELECT cve_ooad FROM ooad WHERE region = ?)"], [key]


def _select(
    dataset: str,
    desde: date | None,
    hasta: date | None,
    grain: str | None = None,
    ambito: str = "nacional",
) -> tuple[str, list]:
    c = contract(dataset)
    if grain and grain != "ooad":
        found = [g for g in c.grains if g.name == grain]
        if not found:
            raise ValueError(f"«{dataset}» no tiene datos por {grain}.")
        c = c.at(found[0])
    if not c.is_table:
        raise ValueError(f"«{dataset}» describe registros nuevos y no se exporta; exporte «{c.table}».")
    cols = []
    for col in c.columns:
        name = f'"{col.name}"'
        if col.is_period:
            cols.append(f"strftime({name}, '%Y-%m') AS {name}")
        elif col.type == "DATE":
            cols.append(f"strftime({name}, '%Y-%m-%d') AS {name}")
        else:
            cols.append(name)
    where, params = _scope_where(c, ambito)
    time_col = next((n for n in ("periodo", "anio", "fecha_registro") if n in c.names), None)
    for bound, op in ((desde, ">="), (hasta, "<=")):
        if bound is None or time_col is None:
            continue
        if time_col == "anio":
            where.append(f"anio {op} ?")
            params.append(bound.year)
        elif time_col == "fecha_registro" and op == "<=":
            where.append("fecha_registro < ? + INTERVAL 1 MONTH")
            params.append(bound)
        else:
            where.append(f"{time_col} {op} ?")
            params.append(bound)
    sql = f'SELECT {", ".join(cols)} FROM "{c.table}"'
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY " + ", ".join(f'"{k}"' for k in c.key)
    return sql, params


def export(
    dataset: str,
    desde: date | None = None,
    hasta: date | None = None,
    fmt: str = "csv",
    out: Path | str | None = None,
    db: Path | str | None = None,
    grain: str | None = None,
    user: str = "sistema",
    ambito: str = "nacional",
) -> int:
    """Write the rows (of the months desde..hasta, inside `ambito`) to `out`, or CSV to stdout.

    Returns the row count.
    Text cells a spreadsheet would run as a formula get a leading apostrophe in CSV and Excel
    (Parquet is data and keeps values as they are). The file is written beside `out` and renamed
    at the end, so a full disk leaves no partial file; every export writes one audit row.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Formato desconocido «{fmt}»: use csv, parquet o xlsx.")
    sql, params = _select(dataset, desde, hasta, grain, ambito)
    if fmt != "parquet":
        sql = safe_text_sql(sql, params, db)
    detail = {"que": dataset, "formato": fmt, "desde": str(desde or ""), "hasta": str(hasta or "")}
    detail["ambito"] = ambito
    try:
        rows = _write(sql, params, fmt, out, dataset, db)
    except (OSError, duckdb.IOException) as exc:
        full = getattr(exc, "errno", None) == errno.ENOSPC or "No space left" in str(exc)
        reason = "disco lleno" if full else type(exc).__name__
        audit(user, EXPORT_FAILED, json.dumps({**detail, "error": reason}, ensure_ascii=False), path=db)
        if full:
            raise ExportError(
                "El disco se llenó durante la exportación; no quedó ningún archivo parcial."
            ) from exc
        raise ExportError("No se pudo escribir la exportación; no quedó ningún archivo parcial.") from exc
    audit(user, EXPORT_AUDIT, json.dumps({**detail, "filas": rows}, ensure_ascii=False), path=db)
    return rows


def _write(sql: str, params: list, fmt: str, out: Path | str | None, dataset: str, db) -> int:
    with tempfile.TemporaryDirectory(dir=Path(out).parent if out else None, prefix=".cmi_export_") as tmp:
        target = Path(tmp) / f"{dataset}.{fmt}"
        with cursor(db) as cur:
            rows = int(scalar(cur, f"SELECT count(*) FROM ({sql})", params))
            if fmt == "csv":
                cur.execute(f"COPY ({sql}) TO '{_path_sql(target)}' (FORMAT csv, HEADER true)", params)
            elif fmt == "parquet":
                cur.execute(f"COPY ({sql}) TO '{_path_sql(target)}' (FORMAT parquet)", params)
            else:
                write_xlsx(target, [result_sheet(dataset, cur.execute(sql, params))], streaming=True)
        if out is None:
            sys.stdout.flush()
            with target.open("rb") as fh:
                shutil.copyfileobj(fh, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            os.replace(target, out)  # same folder: atomic, never a partial file at `out`
    return rows


def _path_sql(path: Path) -> str:
    return str(path).replace("'", "''")
