"""Notifications about agreements: the in-app inbox (*Mis pendientes*), e-mail, and the daily digest.

Inbox rows are written inside the same transaction as the change they announce; e-mails go out
after the commit, only when CMI_SMTP_HOST is set (CMI_SMTP_PORT, default 25; CMI_SMTP_FROM).
A failed e-mail never undoes the change: it is reported back to the caller. Every e-mail carries
the link that opens the agreement's record: CMI_BASE_URL (default http://localhost:8501) +
/acuerdos?folio=<folio>.

`daily_digest` (run once a day by a scheduler: `python -m agreements.cli resumen-diario`)
sends each person with a directorate and an e-mail what falls due in the next 7 days and what
became overdue yesterday, once per person and day, only agreements inside the person's ámbito.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from access.inbox import (
    DG_INBOX,
    Notice,
    email_addresses,
    inbox,
    mark_read,
    personal_inbox,
    resolve_requests,
    send_mail,
    set_directorate_email,
    smtp_configured,
    unread_count,
    write_inbox,
)
from access.scope import agreement_of_person_sql
from agreements.register import recipients
from warehouse import clock, query_df, transaction
from warehouse.settings import settings

Db = Path | str | None
__all__ = [
    "DG_INBOX",
    "Notice",
    "email_addresses",
    "inbox",
    "mark_read",
    "personal_inbox",
    "recipients",
    "resolve_requests",
    "set_directorate_email",
    "smtp_configured",
    "unread_count",
    "write_inbox",
]
log = logging.getLogger(__name__)


EVENTS = {
    "registro": "registro",
    "avance": "avance",
    "comentario": "comentario",
    "evidencia": "evidencia",
    "solicitud": "solicitud de conclusión",
    "estado": "cambio de estado",
}


def record_url(folio: str) -> str:
    """The address that opens the agreement's record (CMI_BASE_URL, documented in the README)."""
    return f"{settings().base_url}/acuerdos?folio={folio}"


def send_email(notice: Notice, db: Db = None) -> str | None:
    """E-mail the notice to its recipients; returns None when sent or not configured, else the error."""
    if not smtp_configured():
        return None
    to = email_addresses(notice.destinatarios, db)
    if not to:
        return None
    body = f"{notice.mensaje}\n\nFolio: {notice.folio}\n\nAbra el acuerdo: {record_url(notice.folio)}\n"
    try:
        send_mail(to, f"[CMI IMSS] Acuerdo {notice.folio}: {EVENTS.get(notice.evento, notice.evento)}", body)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("No se pudo enviar el correo del acuerdo %s: %s", notice.folio, exc)
        return f"No se pudo enviar el correo de aviso ({exc})."
    return None


@dataclass(frozen=True)
class DigestResult:
    usuario: str
    proximos: int  # open agreements due in the next 7 days
    vencidos: int  # open agreements that became overdue yesterday
    error: str | None = None


DIGEST_SQL = """
SELECT u.usuario, u.nombre, u.email, a.folio, a.descripcion, a.fecha_compromiso,
    CASE WHEN a.fecha_compromiso < $day THEN 'vencido' ELSE 'proximo' END AS tipo
FROM usuarios u
JOIN acuerdos a ON (a.cve_direccion = u.cve_direccion
    OR a.folio IN (SELECT c.folio FROM acuerdos_corresponsables c WHERE c.cve_direccion = u.cve_direccion))
WHERE u.activo AND u.email IS NOT NULL AND u.cve_direccion IS NOT NULL
    AND {in_scope}
    AND u.usuario NOT IN (SELECT usuario FROM resumen_diario_envios WHERE fecha = $day)
    AND a.estado IN ('Registrado', 'En proceso', 'Solicitud de conclusión')
    AND (a.fecha_compromiso BETWEEN $day AND $day::DATE + 7 OR a.fecha_compromiso = $day::DATE - 1)
ORDER BY u.usuario, tipo DESC, a.fecha_compromiso, a.folio
"""


def daily_digest(day: date | None = None, db: Db = None) -> list[DigestResult]:
    """One e-mail per person: due in the next 7 days and became overdue (deadline yesterday).

    Each person gets at most one digest a day (table resumen_diario_envios), so a scheduler may
    retry the command safely. Requires SMTP; without it nothing is sent or recorded.
    """
    day = day or clock.today()
    if not smtp_configured():
        return []
    rows = query_df(DIGEST_SQL.format(in_scope=agreement_of_person_sql("a", "u.ambito")), {"day": day}, db)
    out = []
    for usuario, part in rows.groupby("usuario", sort=True):
        due, late = part[part["tipo"] == "proximo"], part[part["tipo"] == "vencido"]
        lines = [f"Hola, {part['nombre'].iloc[0]}. Resumen de acuerdos al {day:%d/%m/%Y}.", ""]
        for title, chunk in (("Vencen en los próximos 7 días", due), ("Vencieron ayer", late)):
            if len(chunk):
                lines.append(f"{title} ({len(chunk)}):")
                lines += [
                    f"- {f} · compromiso {pd.Timestamp(c):%d/%m/%Y} · {d}\n  {record_url(f)}"
                    for f, d, c in zip(
                        chunk["folio"], chunk["descripcion"], chunk["fecha_compromiso"], strict=True
                    )
                ]
                lines.append("")
        error = None
        try:
            send_mail(
                [part["email"].iloc[0]],
                f"[CMI IMSS] Resumen diario de acuerdos · {day:%d/%m/%Y}",
                "\n".join(lines),
            )
        except (OSError, smtplib.SMTPException) as exc:
            error = f"No se pudo enviar el resumen a {usuario} ({exc})."
        else:
            with transaction(db) as cur:
                cur.execute(
                    "INSERT INTO resumen_diario_envios SELECT ?, ? WHERE NOT EXISTS "
                    "(SELECT 1 FROM resumen_diario_envios WHERE usuario = ? AND fecha = ?)",
                    [usuario, day, usuario, day],
                )
        out.append(DigestResult(str(usuario), len(due), len(late), error))
    return out
