"""Load bookkeeping inside a write transaction: ids, the `cargas` record, archiving, undo, history.

A load that replaces rows first copies them to `<table>_archivo` tagged with its id
(`archivada_por`); undoing it deletes the rows it wrote (`carga_id`) and brings those back.
A load cannot be undone while a later applied load has archived rows it wrote: that one first.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from loaders.contracts import CONTRACTS
from loaders.findings import Finding, LoadResult, Report
from warehouse import cursor, query_df, transaction
from warehouse.audit import audit

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
    return int(cur.execute("SELECT nextval('seq_cargas')").fetchone()[0])


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


def _archive_columns(cur: duckdb.DuckDBPyConnection, table: str) -> str:
    archived = set(table_columns(cur, f"{table}_archivo"))
    return ", ".join(f'"{c}"' for c in table_columns(cur, table) if c in archived)


def archive(
    cur: duckdb.DuckDBPyConnection, table: str, where: str, params: list, load_id: int, delete: bool = True
) -> int:
    """Copy the rows matching `where` to the table's archive for `load_id`; delete them if asked."""
    cols = _archive_columns(cur, table)
    cur.execute(
        f'INSERT INTO "{table}_archivo" ({cols}, archivada_por) SELECT {cols}, ? FROM "{table}" WHERE {where}',
        [load_id, *params],
    )
    count = int(
        cur.execute(f'SELECT count(*) FROM "{table}_archivo" WHERE archivada_por = ?', [load_id]).fetchone()[
            0
        ]
    )
    if delete:
        cur.execute(f'DELETE FROM "{table}" WHERE {where}', params)
    return count


def _blockers(cur: duckdb.DuckDBPyConnection, tables: tuple[str, ...], load_id: int) -> list[int]:
    found: set[int] = set()
    for table in tables:
        rows = cur.execute(
            f'SELECT DISTINCT a.archivada_por FROM "{table}_archivo" a JOIN cargas c ON c.id = a.archivada_por'
            " WHERE a.carga_id = ? AND c.estado = 'aplicada'",
            [load_id],
        ).fetchall()
        found.update(int(r[0]) for r in rows)
    return sorted(found)


def undo(load_id: int, user: str = "planeacion", db: Path | str | None = None) -> LoadResult:
    """Revert a load: delete what it wrote, restore what it replaced, record the revert."""
    try:
        with transaction(db) as cur:
            return _undo(cur, int(load_id), user)
    except Refused as exc:  # the refusal is recorded too, after the aborted transaction
        shown = exc.result.message.replace("\n", " ")[:300]
        audit(user, UNDO_REFUSED_AUDIT, f"carga={load_id}; motivo={shown}", path=db)
        return exc.result


def _undo(cur: duckdb.DuckDBPyConnection, load_id: int, user: str) -> LoadResult:
    row = cur.execute(
        "SELECT dataset, archivo, sha256, modo, periodos, estado FROM cargas WHERE id = ?", [load_id]
    ).fetchone()
    label = f"carga {load_id}"
    if row is None:
        raise refuse("", label, f"No existe la carga {load_id}.")
    dataset, file, sha, mode, periods, state = row
    if mode == "deshacer":
        raise refuse(
            dataset, file, f"La carga {load_id} es una reversión; para rehacer, vuelva a cargar el archivo."
        )
    if state != "aplicada":
        raise refuse(dataset, file, f"La carga {load_id} ya fue revertida.")
    from loaders import agreements  # registers through agreements.register; imports this module

    if dataset in CONTRACTS and not CONTRACTS[dataset].is_table:
        new_id = new_load_id(cur)
        count, message = agreements.undo_registration(cur, load_id, new_id, row, user)
        return LoadResult(
            status="cargada", dataset=dataset, file=file, load_id=new_id, rows=count, message=message
        )
    tables = DATASET_TABLES.get(dataset, (dataset,))
    blockers = _blockers(cur, tables, load_id)
    if blockers:
        ids = ", ".join(str(b) for b in blockers)
        raise refuse(
            dataset,
            file,
            f"No se puede deshacer la carga {load_id}: deshaga primero la carga {ids}, que reemplazó sus datos.",
        )
    new_id = new_load_id(cur)
    if dataset == "acuerdos":
        agreements.undo_history(cur, CONTRACTS[dataset], load_id, new_id, user)
    restored = removed = 0
    for table in tables:
        cols = _archive_columns(cur, table)
        removed += int(
            cur.execute(f'SELECT count(*) FROM "{table}" WHERE carga_id = ?', [load_id]).fetchone()[0]
        )
        cur.execute(f'DELETE FROM "{table}" WHERE carga_id = ?', [load_id])
        cur.execute(
            f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM "{table}_archivo" WHERE archivada_por = ?',
            [load_id],
        )
        restored += int(
            cur.execute(
                f'SELECT count(*) FROM "{table}_archivo" WHERE archivada_por = ?', [load_id]
            ).fetchone()[0]
        )
        cur.execute(f'DELETE FROM "{table}_archivo" WHERE archivada_por = ?', [load_id])
    cur.execute("UPDATE cargas SET estado = 'revertida' WHERE id = ?", [load_id])
    record_load(cur, new_id, dataset, file, sha, restored, user, "deshacer", periods or "", reverts=load_id)
    return LoadResult(
        status="cargada",
        dataset=dataset,
        file=file,
        load_id=new_id,
        rows=restored,
        message=(
            f"Se deshizo la carga {load_id}: se quitaron {removed:,} filas y se restauraron {restored:,}"
            " que había reemplazado."
        ),
    )


def history(limit: int = 200, db: Path | str | None = None) -> pd.DataFrame:
    """The load log, newest first: who, when, what, rows, state, accepted warnings."""
    return query_df(
        "SELECT id, dataset, archivo, filas, usuario, fecha, modo, periodos, estado, revierte_a,"
        " advertencias, sha256 FROM cargas ORDER BY id DESC LIMIT ?",
        [limit],
        path=db,
    )


def history_state(frame: pd.DataFrame) -> list[str]:
    """Each load's state in words: «aplicada», «deshecha (carga 12)», «deshace la carga 11»."""
    undone_by = {
        int(r.revierte_a): int(r.id)
        for r in frame.itertuples()
        if r.modo == "deshacer" and pd.notna(r.revierte_a)
    }
    out = []
    for r in frame.itertuples():
        if r.modo == "deshacer":
            out.append(f"deshace la carga {int(r.revierte_a)}" if pd.notna(r.revierte_a) else "reversión")
        elif r.estado == "revertida":
            by = undone_by.get(int(r.id))
            out.append(f"deshecha (carga {by})" if by else "deshecha")
        else:
            out.append("aplicada")
    return out


def undo_preview(load_id: int, db: Path | str | None = None) -> tuple[bool, list[str]]:
    """What undoing a load would do, without doing it: (possible, lines to show)."""
    with cursor(db) as cur:
        row = cur.execute("SELECT dataset, modo, estado FROM cargas WHERE id = ?", [load_id]).fetchone()
        if row is None:
            return False, [f"No existe la carga {load_id}."]
        dataset, mode, state = row
        if mode == "deshacer" or state != "aplicada":
            return False, [f"La carga {load_id} no se puede deshacer: ya es una reversión o ya fue deshecha."]
        tables = DATASET_TABLES.get(dataset, (dataset,))
        blockers = _blockers(cur, tables, load_id)
        if blockers:
            ids = ", ".join(str(b) for b in blockers)
            return False, [f"Deshaga primero la carga {ids}, que reemplazó datos de esta carga."]
        lines = []
        for table in tables:
            removed = cur.execute(f'SELECT count(*) FROM "{table}" WHERE carga_id = ?', [load_id]).fetchone()[
                0
            ]
            restored = cur.execute(
                f'SELECT count(*) FROM "{table}_archivo" WHERE archivada_por = ?', [load_id]
            ).fetchone()[0]
            if removed or restored:
                lines.append(
                    f"{table}: se quitan {removed:,} filas que escribió"
                    + (f" y se restauran {restored:,} que había reemplazado" if restored else "")
                )
        return True, lines or ["La carga ya no tiene filas en el almacén; solo se registrará la reversión."]


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
    "history",
    "history_state",
    "new_load_id",
    "record_load",
    "undo",
    "undo_preview",
]
