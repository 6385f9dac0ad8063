"""People's notices: the in-app inbox of each directorate (*Mis pendientes*) and e-mail.

Inbox rows are written inside the transaction of the change they announce. E-mail goes out only
when CMI_SMTP_HOST is set (CMI_SMTP_PORT, default 25; CMI_SMTP_FROM), to the addresses of the
directorates' e-mail catalog.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import duckdb
import pandas as pd

from access.scope import agreement_where, codes_within, within_sql
from warehouse import clock, query_df, query_rows, transaction
from warehouse.ids import next_id
from warehouse.rows import scalar
from warehouse.settings import settings

Db = Path | str | None
DG_INBOX = "DG"  # the Dirección General's inbox (it has no directorate code of its own)
PERSONAL_PREFIX = "usuario:"  # the inbox of a person without a directorate (e.g. an executive's KPI alerts)


def personal_inbox(usuario: str) -> str:
    """The inbox key of one person (their followed KPIs' alerts when they have no directorate)."""
    return f"{PERSONAL_PREFIX}{usuario}"


@dataclass(frozen=True)
class Notice:
    folio: str
    evento: str  # registro | avance | comentario | estado
    mensaje: str
    usuario: str
    destinatarios: tuple[str, ...]  # directorate codes
    en_nombre_de: str | None = None  # the directorate (or DG) the person acted for
    ambito: str | None = None  # what a KPI notice is about (nacional, region:X, ooad:NN…); see `scoped_sql`


def write_inbox(cur: duckdb.DuckDBPyConnection, notice: Notice, when: datetime) -> None:
    """One unread inbox row per recipient, inside the caller's transaction."""
    cur.executemany(
        "INSERT INTO notificaciones (id, cve_direccion, folio, evento, mensaje, usuario_origen, fecha,"
        " en_nombre_de, ambito) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                next_id(cur, "seq_notificaciones"),
                d,
                notice.folio,
                notice.evento,
                notice.mensaje,
                notice.usuario,
                when,
                notice.en_nombre_de,
                notice.ambito,
            ]
            for d in notice.destinatarios
        ],
    )


def smtp_configured() -> bool:
    return settings().smtp_configured


def email_addresses(directorates: Iterable[str], db: Db = None) -> list[str]:
    """The e-mail catalog addresses of the given directorates."""
    codes = list(directorates)
    if not codes:
        return []
    rows = query_rows(
        "SELECT DISTINCT correo FROM direcciones_correo WHERE list_contains(?, cve_direccion) ORDER BY 1",
        [codes],
        db,
    )
    return [r[0] for r in rows]


@dataclass(frozen=True)
class Mail:
    to: list[str]
    subject: str
    body: str
    attachment: Path | None = None  # a PDF


def send_mails(mails: Iterable[Mail], timeout: float = 30) -> int:
    """Send the mails over one SMTP connection (CMI_SMTP_HOST, CMI_SMTP_PORT, CMI_SMTP_FROM); returns how many went out."""
    config = settings()
    sent = 0
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=timeout) as smtp:
        for mail in mails:
            msg = EmailMessage()
            msg["Subject"] = mail.subject
            msg["From"] = config.smtp_from
            msg["To"] = ", ".join(mail.to)
            msg.set_content(mail.body)
            if mail.attachment is not None:
                data = mail.attachment.read_bytes()
                msg.add_attachment(data, maintype="application", subtype="pdf", filename=mail.attachment.name)
            smtp.send_message(msg)
            sent += 1
    return sent


def send_mail(to: list[str], subject: str, body: str) -> None:
    send_mails([Mail(to, subject, body)])


def set_directorate_email(cve_direccion: str, correo: str, db: Db = None) -> None:
    """Add an address to a directorate's e-mail catalog."""
    if "@" not in correo:
        raise ValueError(f"Correo inválido: «{correo}».")
    with transaction(db) as cur:
        cur.execute(
            "INSERT INTO direcciones_correo SELECT ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM direcciones_correo WHERE cve_direccion = ? AND correo = ?)",
            [cve_direccion, correo, cve_direccion, correo],
        )


def scoped_sql(within: str | None, db: Db = None, alias: str = "n") -> tuple[str, list]:
    """The notices (table alias `alias`) a reader whose ámbito is `within` may read; TRUE for nacional.

    An inbox belongs to a directorate, whose people may have different ámbitos: each reads only
    what lies in theirs. A notice about an agreement follows its agreement (the board's predicate);
    a KPI notice (evento «indicador_…») its `ambito`, which must lie within the reader's (a KPI
    notice written before scopes were recorded counts as national).
    """
    codes = codes_within(within, db)
    if codes is None:
        return "TRUE", []
    agreement, key = agreement_where("a", within)
    kpi = within_sql(f"coalesce({alias}.ambito, 'nacional')", codes)
    sql = (
        f"(CASE WHEN starts_with({alias}.evento, 'indicador_') THEN {kpi}"
        f" ELSE EXISTS (SELECT 1 FROM acuerdos a WHERE a.folio = {alias}.folio AND {agreement}) END)"
    )
    return sql, [codes, *key]


def inbox(
    cve_direccion: str,
    db: Db = None,
    unread_only: bool = False,
    viewer: str | None = None,
    within: str | None = None,
) -> pd.DataFrame:
    """A directorate's notifications, newest first; with `viewer`, not those of the viewer's own actions.

    `within`: the reader's ámbito (None: nacional); notices about anything outside it are left out.
    """
    scoped, bound = scoped_sql(within, db)
    sql = (
        "SELECT n.id, n.fecha, n.folio, n.evento, n.mensaje, n.usuario_origen,"
        " coalesce(u.nombre, n.usuario_origen) AS persona, n.en_nombre_de, n.leida"
        " FROM notificaciones n LEFT JOIN usuarios u ON u.usuario = n.usuario_origen"
        f" WHERE n.cve_direccion = ? AND {scoped}"
    )
    params: list = [cve_direccion, *bound]
    if unread_only:
        sql += " AND NOT n.leida"
    if viewer is not None:
        sql += " AND n.usuario_origen <> ?"
        params.append(viewer)
    return query_df(sql + " ORDER BY n.fecha DESC, n.id DESC", params, db)


def unread_count(
    cve_direccion: str, db: Db = None, viewer: str | None = None, within: str | None = None
) -> int:
    """Unread notifications of the inbox; with `viewer`, not counting those of the viewer's own actions;
    with `within`, only those inside that ámbito (as `inbox`)."""
    scoped, bound = scoped_sql(within, db)
    sql = f"SELECT count(*) FROM notificaciones n WHERE n.cve_direccion = ? AND NOT n.leida AND {scoped}"
    params: list = [cve_direccion, *bound]
    if viewer is not None:
        sql += " AND n.usuario_origen <> ?"
        params.append(viewer)
    return int(query_rows(sql, params, db)[0][0])


def resolve_requests(cur: duckdb.DuckDBPyConnection, folio: str, when: datetime) -> int:
    """Mark read, in every inbox, the notices of the agreement's conclusion requests (the DG
    resolved them), inside the caller's transaction; returns how many changed."""
    return int(
        scalar(
            cur,
            "UPDATE notificaciones SET leida = true, fecha_lectura = ? "
            "WHERE folio = ? AND evento = 'solicitud' AND NOT leida",
            [when, folio],
        )
    )


def mark_read(
    cve_direccion: str, ids: Iterable[int] | None = None, db: Db = None, within: str | None = None
) -> int:
    """Mark the directorate's notifications (all, or only `ids`) read; returns how many changed.

    `within`: the reader's ámbito (None: nacional); notices outside it stay as they are.
    """
    scoped, bound = scoped_sql(within, db)
    params: list = [clock.now(), cve_direccion, *bound]
    sql = (
        "UPDATE notificaciones n SET leida = true, fecha_lectura = ?"
        f" WHERE n.cve_direccion = ? AND NOT n.leida AND {scoped}"
    )
    if ids is not None:
        sql += " AND list_contains(?, id)"
        params.append([int(i) for i in ids])
    with transaction(db) as cur:
        return int(scalar(cur, sql, params))
