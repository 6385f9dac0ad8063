"""Enlaces: the people who act for a directorate on its agreements.

An administrator names delegates for any directorate, a normative director only for their own
(`agreement_rights.may_name_delegate`). Naming gives the account the «enlace» role and, if it
has none, the directorate; every change writes an audit row. What a delegate may then do is the
permission table's «enlace» (or «corresponsable») relation; each action they take records both
the person and the directorate they acted for.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from agreements import rights
from agreements.register import AgreementError
from agreements.rights import Actor
from warehouse import clock, query_df, transaction
from warehouse.audit import audit
from warehouse.rows import scalar

Db = Path | str | None
ROLE = "enlace"


def _refuse(actor: Actor, cve_direccion: str, what: str, db: Db) -> None:
    if not rights.may_name_delegate(actor, cve_direccion):
        audit(actor.usuario, "enlace_rechazado", f"{what} {cve_direccion}: sin permiso", path=db)
        raise AgreementError(
            f"Solo un administrador o el titular de {cve_direccion} puede designar o retirar a sus enlaces."
        )


def name_delegate(actor: Actor, usuario: str, cve_direccion: str, db: Db = None) -> None:
    """Name `usuario` enlace of the directorate."""
    _refuse(actor, cve_direccion, "designar", db)
    with transaction(db) as cur:
        row = cur.execute(
            "SELECT cve_direccion, activo FROM usuarios WHERE usuario = ?", [usuario]
        ).fetchone()
        if row is None or not row[1]:
            raise AgreementError(f"No existe una cuenta activa «{usuario}».")
        if row[0] not in (None, cve_direccion):
            raise AgreementError(
                f"«{usuario}» pertenece a la dirección {row[0]}; no puede ser enlace de {cve_direccion}."
            )
        if cur.execute(
            "SELECT 1 FROM enlaces WHERE usuario = ? AND cve_direccion = ?", [usuario, cve_direccion]
        ).fetchone():
            raise AgreementError(f"«{usuario}» ya es enlace de {cve_direccion}.")
        cur.execute(
            "INSERT INTO enlaces VALUES (?, ?, ?, ?)", [usuario, cve_direccion, actor.usuario, clock.now()]
        )
        cur.execute("UPDATE usuarios SET cve_direccion = ? WHERE usuario = ?", [cve_direccion, usuario])
        cur.execute(
            "INSERT INTO usuarios_roles SELECT ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM usuarios_roles WHERE usuario = ? AND rol = ?)",
            [usuario, ROLE, usuario, ROLE],
        )
        audit(actor.usuario, "enlace_designado", f"{usuario} enlace de {cve_direccion}", con=cur)


def remove_delegate(actor: Actor, usuario: str, cve_direccion: str, db: Db = None) -> None:
    """Withdraw the delegation (the account keeps existing; it loses the enlace role)."""
    _refuse(actor, cve_direccion, "retirar", db)
    with transaction(db) as cur:
        n = scalar(
            cur, "DELETE FROM enlaces WHERE usuario = ? AND cve_direccion = ?", [usuario, cve_direccion]
        )
        if not n:
            raise AgreementError(f"«{usuario}» no es enlace de {cve_direccion}.")
        cur.execute("DELETE FROM usuarios_roles WHERE usuario = ? AND rol = ?", [usuario, ROLE])
        audit(actor.usuario, "enlace_retirado", f"{usuario} de {cve_direccion}", con=cur)


def delegates(cve_direccion: str | None = None, db: Db = None) -> pd.DataFrame:
    """The enlaces (of one directorate, or all) with people's names and who named them."""
    sql = (
        "SELECT e.cve_direccion, e.usuario, coalesce(u.nombre, e.usuario) AS nombre,"
        " coalesce(d.nombre, e.designado_por) AS designado_por, e.fecha"
        " FROM enlaces e LEFT JOIN usuarios u ON u.usuario = e.usuario"
        " LEFT JOIN usuarios d ON d.usuario = e.designado_por"
    )
    params: list = []
    if cve_direccion:
        sql += " WHERE e.cve_direccion = ?"
        params.append(cve_direccion)
    return query_df(sql + " ORDER BY e.cve_direccion, nombre", params, db)


def candidates(cve_direccion: str, db: Db = None) -> dict[str, str]:
    """Active accounts that could be named enlace of the directorate: usuario → name."""
    frame = query_df(
        "SELECT usuario, nombre FROM usuarios WHERE activo AND (cve_direccion IS NULL OR cve_direccion = ?)"
        " AND usuario NOT IN (SELECT usuario FROM enlaces WHERE cve_direccion = ?) ORDER BY nombre",
        [cve_direccion, cve_direccion],
        db,
    )
    return dict(zip(frame["usuario"], frame["nombre"], strict=True))
