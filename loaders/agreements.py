"""Agreements through loads, inside the load's transaction, without ever losing follow-up history.

* `acuerdos_registro` (a meeting's new agreements): `register` hands the validated rows to
  `agreements.register.insert_all`, which assigns folios, writes co-responsibles, the
  «Registrado» history row and the inbox notices, all tagged with the load id. Its undo
  (`undo_registration`) is refused once any of those agreements has follow-up (progress,
  comments, status changes); otherwise the agreements are marked «Cancelado» with a history row
  «Carga revertida»: nothing is deleted, because agreement history is append-only.
* `acuerdos` (full rows, for export -> load round trips): a *reemplazar* load never overwrites
  silently. Rows whose stored `version` is newer than the file's are refused (someone recorded
  progress after the export); every changed field of the others gets a history row and the
  agreement's version goes up (`replace_history`). Undoing such a load appends history rows for
  the fields it puts back (`undo_history`), and is refused when the agreements it wrote have
  follow-up recorded after it.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from agreements.register import (
    AgreementValidationError,
    Notice,
    append_history,
    insert_all,
    outside_scope,
    recipients,
    rows_to_agreements,
    write_inbox,
)
from loaders.contracts import Contract
from loaders.findings import Finding, Report
from loaders.store import record_load, refuse
from warehouse import clock
from warehouse.rows import scalar

# The history row insert_all writes on registration; anything else is follow-up.
_NOT_REGISTRATION = "NOT (h.campo = 'estado' AND h.valor_anterior IS NULL AND h.valor_nuevo = 'Registrado')"


def register(cur: duckdb.DuckDBPyConnection, c: Contract, file: str, user: str, load_id: int) -> list[str]:
    """Register the rows of `_conv` (validated) as new agreements of load `load_id`; their folios."""
    cols = ", ".join(f'"{n}"' for n in c.names)
    frame = cur.execute(f"SELECT _fila, {cols} FROM _conv ORDER BY _fila").df()
    try:
        notices = insert_all(cur, rows_to_agreements(frame), user, clock.now(), load_id)
    except AgreementValidationError as exc:  # rules beyond the contract (kept in one place)
        report = Report()
        for n, message in exc.errors:
            row = int(frame["_fila"].iloc[n - 1]) if 1 <= n <= len(frame) else None
            report.add(Finding(file, row, None, None, message))
        raise refuse(c.name, file, report.summary(), report) from None
    folios = [n.folio for n in notices]
    _refuse_outside_scope(cur, c, file, user, folios)
    return folios


def _refuse_outside_scope(
    cur: duckdb.DuckDBPyConnection, c: Contract, file: str, user: str, folios: list[str]
) -> None:
    """Refuse (the load rolls back) agreements outside the ámbito of the account that loads them;
    a loader without an account (an operator at the command line) is national."""
    found = cur.execute("SELECT ambito FROM usuarios WHERE usuario = ?", [user]).fetchone()
    ambito = found[0] if found else "nacional"
    outside = outside_scope(cur, folios, ambito)
    if outside:
        raise refuse(
            c.name,
            file,
            f"{len(outside):,} acuerdos del archivo quedan fuera de su ámbito ({ambito}); no se registró"
            " ninguno. Registre solo acuerdos de su región u OOAD.",
        )


def folio_span(folios: list[str]) -> str:
    if not folios:
        return "ningún folio"
    return folios[0] if len(folios) == 1 else f"{folios[0]} a {folios[-1]}"


def _followed_up(cur: duckdb.DuckDBPyConnection, load_id: int, after: datetime | None = None) -> list[str]:
    """Folios written by the load that have history other than their registration (or the load's own)."""
    sql = (
        "SELECT DISTINCT h.folio FROM acuerdos_historial h JOIN acuerdos a ON a.folio = h.folio"
        f" WHERE a.carga_id = ? AND {_NOT_REGISTRATION}"
        " AND coalesce(h.comentario, '') NOT LIKE ?"
    )
    params: list = [load_id, f"%(carga {load_id})%"]
    if after is not None:
        sql += " AND h.fecha > ?"
        params.append(after)
    return [r[0] for r in cur.execute(sql + " ORDER BY 1", params).fetchall()]


def _listed(folios: list[str]) -> str:
    shown = ", ".join(folios[:10])
    return shown + (f" y {len(folios) - 10} más" if len(folios) > 10 else "")


def undo_registration(
    cur: duckdb.DuckDBPyConnection, load_id: int, new_id: int, row: tuple, user: str
) -> tuple[int, str]:
    """Cancel the agreements a registration load created; (count, Spanish message). Raises Refused."""
    dataset, file, sha, _mode, periods, _state = row
    busy = _followed_up(cur, load_id)
    if busy:
        raise refuse(
            dataset,
            file,
            f"No se puede deshacer la carga {load_id}: {len(busy)} de sus acuerdos ya tienen seguimiento"
            f" (avance, comentarios o cambios de estado): {_listed(busy)}. Si ya no aplican, cancélelos"
            " uno por uno desde su ficha.",
        )
    folios = [
        r[0]
        for r in cur.execute(
            "SELECT folio FROM acuerdos WHERE carga_id = ? AND estado = 'Registrado' ORDER BY folio",
            [load_id],
        ).fetchall()
    ]
    now = clock.now()
    note = f"Carga revertida (carga {load_id}, deshecha por la carga {new_id})"
    for folio in folios:
        cur.execute(
            "UPDATE acuerdos SET estado = 'Cancelado', version = version + 1 WHERE folio = ?", [folio]
        )
        append_history(cur, folio, user, now, "estado", "Registrado", "Cancelado", note)
        message = f"Se canceló el acuerdo {folio}: se revirtió la carga {load_id} que lo registró."
        write_inbox(cur, Notice(folio, "estado", message, user, recipients(cur, folio)), now)
    cur.execute("UPDATE cargas SET estado = 'revertida' WHERE id = ?", [load_id])
    record_load(
        cur, new_id, dataset, file, sha, len(folios), user, "deshacer", periods or "", reverts=load_id
    )
    return len(folios), (
        f"Se deshizo la carga {load_id}: sus {len(folios):,} acuerdos ({folio_span(folios)}) quedaron"
        " «Cancelado» con la nota «Carga revertida» en su historial. No se borró nada: el historial de"
        " los acuerdos es permanente."
    )


def _history_columns(c: Contract) -> list[str]:
    return [n for n in c.names if n not in ("folio", "version")]


def _changes(cur: duckdb.DuckDBPyConnection, c: Contract, source: str, target: str) -> list[tuple]:
    """(folio, column, stored value, new value) of every field that differs, target vs source."""
    out: list[tuple] = []
    for n in _history_columns(c):  # one query per column: each keeps its type (40.0 -> "40")
        out += cur.execute(
            f'SELECT t.folio, \'{n}\', t."{n}", s."{n}" FROM {target} t JOIN {source} s ON s.folio = t.folio'
            f' WHERE t."{n}" IS DISTINCT FROM s."{n}"'
        ).fetchall()
    return sorted(out, key=lambda r: (r[0], r[1]))


def replace_history(
    cur: duckdb.DuckDBPyConnection, c: Contract, file: str, user: str, load_id: int
) -> Report:
    """Before a *reemplazar* load of `acuerdos`: stale rows as findings, else history for each change.

    Call after the file is validated into `_conv` and before the stored rows are archived. When the
    returned report is empty the history is written; `bump_versions` must run after the insert.
    """
    report = Report()
    stale = cur.execute(
        "SELECT s._fila, s.folio, s.version, a.version FROM _conv s JOIN acuerdos a ON a.folio = s.folio"
        " WHERE s.version < a.version ORDER BY 1"
    ).fetchall()
    for fila, folio, theirs, ours in stale:
        report.add(
            Finding(
                file,
                int(fila),
                "version",
                str(theirs),
                f"el acuerdo {folio} cambió después de exportarse (versión guardada {ours}); exporte"
                " de nuevo para no perder su seguimiento",
            )
        )
    if not report.ok:
        return report
    now = clock.now()
    note = f"Reemplazado por la carga {load_id}, archivo «{file}» (carga {load_id})"
    for folio, column, old, new in _changes(cur, c, "_conv", "acuerdos"):
        append_history(cur, folio, user, now, column, old, new, note)
    return report


def bump_versions(cur: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """The agreements a replace load changed (it wrote history for them) get a new version."""
    cur.execute(
        "UPDATE acuerdos SET version = version + 1 WHERE carga_id = ? AND folio IN"
        " (SELECT folio FROM acuerdos_historial WHERE comentario LIKE ?)",
        [load_id, f"%(carga {load_id})"],
    )


def undo_history(cur: duckdb.DuckDBPyConnection, c: Contract, load_id: int, new_id: int, user: str) -> None:
    """Before undoing an `acuerdos` load: refuse if its agreements were followed up since; log what returns."""
    when = scalar(cur, "SELECT fecha FROM cargas WHERE id = ?", [load_id])
    busy = _followed_up(cur, load_id, after=when)
    if busy:
        raise refuse(
            c.name,
            f"carga {load_id}",
            f"No se puede deshacer la carga {load_id}: {len(busy)} de sus acuerdos tienen seguimiento"
            f" registrado después de ella: {_listed(busy)}.",
        )
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _restaura AS SELECT * FROM acuerdos_archivo WHERE archivada_por = ?",
        [load_id],
    )
    now = clock.now()
    note = f"Carga revertida: la carga {new_id} deshizo la carga {load_id} (carga {new_id})"
    for folio, column, old, new in _changes(cur, c, "_restaura", "acuerdos"):
        append_history(cur, folio, user, now, column, old, new, note)
    cur.execute("DROP TABLE _restaura")
