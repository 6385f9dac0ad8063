"""The audit log (`auditoria`): who did what and when — sign-ins, uploads, undos, exports, edits.

Any room that writes may call `audit()`; pass `con` to write inside your own transaction so the
record commits (or rolls back) with the change it describes. Never put a password in `detalle`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.connection import transaction
from warehouse.ids import next_id

# Action names used by this package; other rooms add their own (e.g. "carga", "carga_revertida",
# "exportacion", "acuerdo_modificado").
LOGIN_OK = "inicio_sesion"
LOGIN_FAILED = "inicio_sesion_fallido"
LOGIN_LOCKED = "inicio_sesion_bloqueado"
LOGOUT = "cierre_sesion"
SESSION_EXPIRED = "sesion_expirada"


def audit(
    usuario: str,
    accion: str,
    detalle: str | None = None,
    *,
    path: Path | str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    when: datetime | None = None,
) -> None:
    """Append one row to the audit log (in `con`'s transaction if given, else in its own)."""
    row = [usuario or "(anónimo)", when or datetime.now(), accion, detalle]
    sql = "INSERT INTO auditoria (id, usuario, fecha, accion, detalle) VALUES (?, ?, ?, ?, ?)"
    if con is not None:
        con.execute(sql, [next_id(con, "seq_auditoria"), *row])
        return
    with transaction(path) as cur:
        cur.execute(sql, [next_id(cur, "seq_auditoria"), *row])
