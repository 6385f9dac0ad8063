"""Notifications about agreements: the in-app inbox (*Mis pendientes*) and e-mail through SMTP.

Inbox rows are written inside the same transaction as the change they announce; e-mails go out
after the commit, only when CMI_SMTP_HOST is set (CMI_SMTP_PORT, default 25; CMI_SMTP_FROM).
A failed e-mail never undoes the change: it is reported back to the caller.
"""

from __future__ import annotations

import logging
import os
import smtplib
from collections.abc import Iterable
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pandas as pd

from warehouse import query_df, query_rows, transaction
from warehouse.agreement_register import DG_INBOX, Notice, recipients, write_inbox

Db = Path | str | None
__all__ = ["DG_INBOX", "Notice", "recipients", "write_inbox"]
log = logging.getLogger(__name__)


def smtp_configured() -> bool:
    return bool(os.environ.get("CMI_SMTP_HOST"))


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


def send_email(notice: Notice, db: Db = None) -> str | None:
    """E-mail the notice to its recipients; returns None when sent or not configured, else the error."""
    if not smtp_configured():
        return None
    to = email_addresses(notice.destinatarios, db)
    if not to:
        return None
    msg = EmailMessage()
    msg["Subject"] = f"[CMI IMSS] Acuerdo {notice.folio}: {notice.evento}"
    msg["From"] = os.environ.get("CMI_SMTP_FROM", "cmi@localhost")
    msg["To"] = ", ".join(to)
    msg.set_content(
        f"{notice.mensaje}\n\nFolio: {notice.folio}\nRegistró: {notice.usuario}\n\n"
        "Consulte el detalle en el CMI IMSS, sección «Seguimiento de acuerdos»."
    )
    try:
        with smtplib.SMTP(
            os.environ["CMI_SMTP_HOST"], int(os.environ.get("CMI_SMTP_PORT", "25")), timeout=10
        ) as smtp:
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("No se pudo enviar el correo del acuerdo %s: %s", notice.folio, exc)
        return f"No se pudo enviar el correo de aviso ({exc})."
    return None


def set_directorate_email(cve_direccion: str, correo: str, db: Db = None) -> None:
    """Add an address to a directorate's e-mail catalog."""
    if "@" not in correo:
        raise ValueError(f"Correo inválido: «{correo}».")
    with transaction(db) as cur:
        cur.execute(
            "INSERT INTO direcciones_correo VALUES (?, ?) ON CONFLICT DO NOTHING", [cve_direccion, correo]
        )


def inbox(cve_direccion: str, db: Db = None, unread_only: bool = False) -> pd.DataFrame:
    """A directorate's notifications, newest first."""
    sql = (
        "SELECT n.id, n.fecha, n.folio, n.evento, n.mensaje, n.usuario_origen,"
        " coalesce(u.nombre, n.usuario_origen) AS persona, n.en_nombre_de, n.leida"
        " FROM notificaciones n LEFT JOIN usuarios u ON u.usuario = n.usuario_origen"
        " WHERE n.cve_direccion = ?"
    )
    if unread_only:
        sql += " AND NOT n.leida"
    return query_df(sql + " ORDER BY n.fecha DESC, n.id DESC", [cve_direccion], db)


def unread_count(cve_direccion: str, db: Db = None) -> int:
    return int(
        query_rows(
            "SELECT count(*) FROM notificaciones WHERE cve_direccion = ? AND NOT leida", [cve_direccion], db
        )[0][0]
    )


def mark_read(cve_direccion: str, ids: Iterable[int] | None = None, db: Db = None) -> int:
    """Mark the directorate's notifications (all, or only `ids`) read; returns how many changed."""
    params: list = [datetime.now(), cve_direccion]
    sql = "UPDATE notificaciones SET leida = true, fecha_lectura = ? WHERE cve_direccion = ? AND NOT leida"
    if ids is not None:
        sql += " AND list_contains(?, id)"
        params.append([int(i) for i in ids])
    with transaction(db) as cur:
        return int(cur.execute(sql, params).fetchone()[0])
