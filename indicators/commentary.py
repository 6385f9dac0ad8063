"""The KPI owner's commentary on a period's figure: «¿por qué?» and «¿qué se hace?».

Every save appends a row (history is never overwritten); the latest row of a KPI, period and
scope is the one shown. Only the KPI's owner directorate (from the strategy map) or the
Dirección General may write; the DG may ask the owner for one, which leaves a notice in the
owner's inbox (*Mis pendientes*), the same inbox the agreements use. Each save and request
leaves an audit row.

Scope rule: a commentary is filed under the scope of the figure it explains (nacional,
region:X, ooad:NN, umae:…, unidad:…). A person reads it only when that scope lies within their
ámbito (`access.scope.codes_within`): a region user reads the commentary on the region, its
states, OOAD, UMAE and units, not the national one nor another region's; a national user reads
all. The same rule holds for writing one, asking for one, and for the notices they leave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from access.inbox import DG_INBOX, Notice, write_inbox
from access.scope import codes_within, within_sql
from indicators import strategy
from indicators.catalog import get
from warehouse import clock, query_df, query_rows, transaction
from warehouse.audit import audit
from warehouse.errors import UserError
from warehouse.ids import next_id

Db = Path | str | None
MAX_CHARS = 4000


class CommentaryError(UserError, ValueError):
    """A commentary the rules refuse; the message is Spanish, for the user."""


@dataclass(frozen=True)
class Author:
    """Who writes: the user name, their directorate (None for the DG) and whether they act as DG."""

    usuario: str
    cve_direccion: str | None
    es_dg: bool = False
    ambito: str = "nacional"  # the author's ámbito: they comment only on scopes inside it


def owner_directorate(kpi_id: str, db: Db = None) -> str | None:
    found = strategy.owner(kpi_id, db)
    return None if found is None else str(found["cve_direccion"])


def readable(ambito: str, within: str | None, db: Db = None) -> bool:
    """Whether a commentary filed under `ambito` lies within the reader's ámbito `within` (None: nacional)."""
    codes = codes_within(within, db)
    return codes is None or ambito in codes


def _refuse_outside(ambito: str, within: str | None, db: Db) -> None:
    if not readable(ambito, within, db):
        raise CommentaryError(f"«{ambito}» está fuera de su ámbito ({within}).")


def may_write(kpi_id: str, author: Author, db: Db = None) -> bool:
    """The DG, or a member of the KPI's owner directorate."""
    return author.es_dg or (
        author.cve_direccion is not None and author.cve_direccion == owner_directorate(kpi_id, db)
    )


def add(
    kpi_id: str, periodo: str, ambito: str, por_que: str, que_se_hace: str, author: Author, db: Db = None
) -> int:
    """Append a commentary; returns its id. Refuses, in Spanish, an author or texts that do not fit."""
    kpi = get(kpi_id)
    if not may_write(kpi_id, author, db):
        owner = owner_directorate(kpi_id, db) or "sin responsable"
        raise CommentaryError(
            f"Solo la dirección responsable de «{kpi.nombre}» ({owner}) o la Dirección General puede comentarlo."
        )
    _refuse_outside(ambito, author.ambito, db)
    texts = {"¿Por qué?": (por_que or "").strip(), "¿Qué se hace?": (que_se_hace or "").strip()}
    for label, text in texts.items():
        if not text:
            raise CommentaryError(f"Escriba el campo «{label}» del comentario de «{kpi.nombre}».")
        if len(text) > MAX_CHARS:
            raise CommentaryError(f"El campo «{label}» excede {MAX_CHARS:,} caracteres ({len(text):,}).")
    now = clock.now()
    with transaction(db) as cur:
        new_id = next_id(cur, "seq_comentarios_kpi")  # no RETURNING in a lake
        cur.execute(
            "INSERT INTO comentarios_kpi (id, kpi, periodo, ambito, por_que, que_se_hace, usuario, cve_direccion,"
            " fecha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [new_id, kpi_id, periodo, ambito, *texts.values(), author.usuario, author.cve_direccion, now],
        )
        audit(
            author.usuario, "indicador_comentario", f"{kpi_id} · {periodo} · {ambito} (id {new_id})", con=cur
        )
        if not author.es_dg:
            message = f"{author.usuario} comentó «{kpi.nombre}» ({periodo}, {ambito})."
            write_inbox(
                cur,
                Notice(
                    kpi.nombre, "indicador_comentario", message, author.usuario, (DG_INBOX,), ambito=ambito
                ),
                now,
            )
    return int(new_id)


def request(
    kpi_id: str, periodo: str, ambito: str, usuario: str, db: Db = None, within: str | None = None
) -> str:
    """The DG asks the owner for a commentary: a notice in the owner's inbox; returns the directorate.

    `within`: the asker's ámbito (None: nacional); a scope outside it is refused.
    """
    kpi = get(kpi_id)
    _refuse_outside(ambito, within, db)
    owner = owner_directorate(kpi_id, db)
    if owner is None:
        raise CommentaryError(f"«{kpi.nombre}» no tiene dirección responsable en el mapa estratégico.")
    message = f"La Dirección General solicita un comentario sobre «{kpi.nombre}» ({periodo}, {ambito}): ¿por qué? y ¿qué se hace?"
    with transaction(db) as cur:
        notice = Notice(kpi.nombre, "indicador_solicitud", message, usuario, (owner,), ambito=ambito)
        write_inbox(cur, notice, clock.now())
        audit(
            usuario, "indicador_solicitud_comentario", f"{kpi_id} · {periodo} · {ambito} → {owner}", con=cur
        )
    return owner


def history(
    kpi_id: str,
    periodo: str | None = None,
    ambito: str | None = None,
    db: Db = None,
    *,
    within: str | None = None,
) -> pd.DataFrame:
    """Every commentary of a KPI (optionally of one period and scope), newest first.

    `within`: the reader's ámbito (None: nacional); only commentary filed inside it is returned.
    """
    sql = "SELECT id, kpi, periodo, ambito, por_que, que_se_hace, usuario, cve_direccion, fecha FROM comentarios_kpi WHERE kpi = ?"
    params: list = [kpi_id]
    if periodo is not None:
        sql += " AND periodo = ?"
        params.append(periodo)
    if ambito is not None:
        sql += " AND ambito = ?"
        params.append(ambito)
    codes = codes_within(within, db)
    if codes is not None:
        sql += " AND " + within_sql("ambito", codes)
        params.append(codes)
    return query_df(sql + " ORDER BY fecha DESC, id DESC", params, db)


def latest(kpi_ids: Sequence[str], periodo: str, ambito: str, db: Db = None) -> dict[str, dict[str, object]]:
    """The current commentary of each KPI for the period and scope (only KPIs that have one)."""
    return latest_at(dict.fromkeys(kpi_ids, ambito), periodo, db)


def latest_at(scopes: Mapping[str, str], periodo: str, db: Db = None) -> dict[str, dict[str, object]]:
    """`latest` for KPIs each at its own scope ({kpi: ámbito}), in one query."""
    if not scopes:
        return {}
    rows = query_rows(
        "SELECT kpi, por_que, que_se_hace, usuario, fecha FROM comentarios_kpi"
        " WHERE periodo = ? AND list_contains(?, kpi || '@' || ambito)"
        " QUALIFY row_number() OVER (PARTITION BY kpi ORDER BY fecha DESC, id DESC) = 1",
        [periodo, [f"{kpi}@{ambito}" for kpi, ambito in scopes.items()]],
        db,
    )
    return {r[0]: {"por_que": r[1], "que_se_hace": r[2], "usuario": r[3], "fecha": r[4]} for r in rows}


__all__ = [
    "Author",
    "CommentaryError",
    "add",
    "history",
    "latest",
    "latest_at",
    "may_write",
    "owner_directorate",
    "readable",
    "request",
]
