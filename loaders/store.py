"""Load bookkeeping inside a write transaction: ids, the `cargas` record, archiving, undo, history.

A load that replaces rows first copies them to `<table>_archivo` tagged with its id
(`archivada_por`); undoing it deletes the rows it wrote (`carga_id`) and brings those back.
A load cannot be undone while a later applied load has archived rows it wrote: that one first.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from loaders.contracts import CONTRACTS
from loaders.findings import Finding, LoadResult, Report
from warehouse.audit import audit
from warehouse.ids import next_id
from warehouse.rows import scalar

LOAD_AUDIT = "carga"
UNDO_AUDIT = "deshacer_carga"
UNDO_REFUSED_AUDIT = "deshacer_carga_rechazado"

# Tables each dataset writes (and so archives and restores).
DATASET_TABLES: dict[str, tuple[str, ...]] = {name: c.tables for name, c in CONTRACTS.items()} | {
    "asg": ("asegurados_detalle", "asegurados_cubo", "afiliacion"),
    "delegaciones": ("delegaciones_imss", "subdelegaciones_imss"),
}
DATASET_TITLES: dict[str, str] = {name: c.title for name, c in CONTRACTS.items()} | {
    "asg": "Asegurados IMSS (archivo asg de datos abiertos)",
    "delegaciones": "Catálogo de delegaciones IMSS (diccionario_de_datos_1.xlsx)",
}
MODES = ("agregar", "reemplazar")


class Refused(Exception):
    """Raised inside a load transaction to roll it back; carries the result to report."""

    def __init__(self, result: LoadResult) -> None:
        super().__init__(result.message)
        self.result = result


def refuse(dataset: str, file: str, message: str, report: Report | None = None, **extra: object) -> Refused:
    result = LoadResult(
        status="rechazada", dataset=dataset, file=file, message=message, report=report or Report()
    )
    for key, value in extra.items():
        setattr(result, key, value)
    return Refused(result)


def new_load_id(cur: duckdb.DuckDBPyConnection) -> int:
    return next_id(cur, "seq_cargas")


def periods_text(values: list) -> str:
    """Short human list of the periods a load covers."""
    texts = [v.strftime("%Y-%m") if isinstance(v, date) else str(v) for v in sorted(values)]
    if len(texts) <= 12:
        return ", ".join(texts)
    return f"{texts[0]} … {texts[-1]} ({len(texts)})"


def record_load(
    cur: duckdb.DuckDBPyConnection,
    load_id: int,
    dataset: str,
    file: str,
    sha256: str | None,
    rows: int,
    user: str,
    mode: str,
    periods: str,
    reverts: int | None = None,
    warnings: str | None = None,
) -> None:
    cur.execute(
        "INSERT INTO cargas (id, dataset, archivo, sha256, filas, usuario, fecha, modo, periodos, estado,"
        " revierte_a, advertencias) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'aplicada', ?, ?)",
        [load_id, dataset, file, sha256, rows, user, datetime.now(), mode, periods, reverts, warnings],
    )
    reverting = mode == "deshacer"
    detail = f"conjunto={dataset}; archivo={file}; filas={rows}; carga={load_id}"
    if reverting:
        detail += f"; revierte_a={reverts}"
    if warnings:
        detail += f"; advertencias_aceptadas={warnings[:600]}"
    audit(user, UNDO_AUDIT if reverting else LOAD_AUDIT, detail, con=cur)


def duplicate_of(cur: duckdb.DuckDBPyConnection, dataset: str, sha256: str) -> tuple | None:
    """The applied load of the same dataset with the same file hash, if any."""
    return cur.execute(
        "SELECT id, fecha, usuario, archivo FROM cargas WHERE dataset = ? AND sha256 = ? AND estado = 'aplicada'"
        " AND modo <> 'deshacer' ORDER BY id DESC LIMIT 1",
        [dataset, sha256],
    ).fetchone()


def duplicate_refusal(dataset: str, file: str, dup: tuple) -> Refused:
    load_id, when, user, name = dup
    message = (
        f"Este archivo ya se cargó (carga {load_id}, «{name}», {when:%Y-%m-%d %H:%M}, por {user}); "
        "no se cargó de nuevo. Si quiere repetirla, deshaga primero esa carga."
    )
    result = LoadResult(status="duplicada", dataset=dataset, file=file, message=message)
    return Refused(result)


def table_columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in cur.execute(f'DESCRIBE "{table}"').fetchall()]


def archive_columns(cur: duckdb.DuckDBPyConnection, table: str) -> str:
    archived = set(table_columns(cur, f"{table}_archivo"))
    return ", ".join(f'"{c}"' for c in table_columns(cur, table) if c in archived)


def archive(
    cur: duckdb.DuckDBPyConnection, table: str, where: str, params: list, load_id: int, delete: bool = True
) -> int:
    """Copy the rows matching `where` to the table's archive for `load_id`; delete them if asked."""
    cols = archive_columns(cur, table)
    cur.execute(
        f'INSERT INTO "{table}_archivo" ({cols}, archivada_por) SELECT {cols}, ? FROM "{table}" WHERE {where}',
        [load_id, *params],
    )
    count = int(scalar(cur, f'SELECT count(*) FROM "{table}_archivo" WHERE archivada_por = ?', [load_id]))
    if delete:
        cur.execute(f'DELETE FROM "{table}" WHERE {where}', params)
    return count


def overlap_findings(
    cur: duckdb.DuckDBPyConnection, table: str, partition: str, file: str, source: str = "_conv"
) -> Report:
    """Partitions of the file already stored (refused in agregar mode), at their first row."""
    report = Report()
    rows = cur.execute(
        f'SELECT min(s._fila), CAST(s."{partition}" AS VARCHAR) FROM {source} s'
        f' WHERE s."{partition}" IN (SELECT "{partition}" FROM "{table}") GROUP BY s."{partition}" ORDER BY 1'
    ).fetchall()
    for first, value in rows:
        shown = value[:7] if partition == "periodo" else value
        report.add(
            Finding(
                file,
                int(first),
                partition,
                shown,
                "ya está cargado; use el modo «reemplazar» para sustituirlo",
            )
        )
    return report


__all__ = [
    "DATASET_TABLES",
    "DATASET_TITLES",
    "MODES",
    "Refused",
    "archive",
    "duplicate_of",
    "new_load_id",
    "record_load",
]
