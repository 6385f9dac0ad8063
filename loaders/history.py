"""A load's history and its undo: list loads, preview and perform a revert.

Undo deletes the rows a load wrote (`carga_id`) and brings back the rows it archived; a load
cannot be undone while a later applied load has archived rows it wrote: that one first.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from loaders import agreements, merge
from loaders.contracts import CONTRACTS
from loaders.findings import LoadResult
from loaders.store import (
    DATASET_TABLES,
    UNDO_REFUSED_AUDIT,
    Refused,
    archive_columns,
    new_load_id,
    record_load,
    refuse,
)
from warehouse import cursor, query_df, retry_on_conflict, transaction
from warehouse.audit import audit
from warehouse.rows import scalar


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


@retry_on_conflict  # shared mode: another process committed to the same table first
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
        cols = archive_columns(cur, table)
        removed += int(scalar(cur, f'SELECT count(*) FROM "{table}" WHERE carga_id = ?', [load_id]))
        cur.execute(f'DELETE FROM "{table}" WHERE carga_id = ?', [load_id])
        cur.execute(
            f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM "{table}_archivo" WHERE archivada_por = ?',
            [load_id],
        )
        restored += int(
            scalar(cur, f'SELECT count(*) FROM "{table}_archivo" WHERE archivada_por = ?', [load_id])
        )
        cur.execute(f'DELETE FROM "{table}_archivo" WHERE archivada_por = ?', [load_id])
    if dataset in CONTRACTS and CONTRACTS[dataset].invariants:
        broken = merge.invariant_findings(cur, CONTRACTS[dataset], file, None)
        if not broken.ok:
            raise refuse(
                dataset,
                file,
                f"No se puede deshacer la carga {load_id}: el catálogo quedaría inconsistente ("
                + "; ".join(f.problem for f in broken.findings)
                + "). Deshaga o corrija antes las cargas que dependen de ella.",
                broken,
            )
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
            removed = scalar(cur, f'SELECT count(*) FROM "{table}" WHERE carga_id = ?', [load_id])
            restored = scalar(
                cur, f'SELECT count(*) FROM "{table}_archivo" WHERE archivada_por = ?', [load_id]
            )
            if removed or restored:
                lines.append(
                    f"{table}: se quitan {removed:,} filas que escribió"
                    + (f" y se restauran {restored:,} que había reemplazado" if restored else "")
                )
        return True, lines or ["La carga ya no tiene filas en el almacén; solo se registrará la reversión."]
