"""Changes to agreements: register (one or many), progress, DG comments, status changes.

Rules:
- Each change updates the `acuerdos` row and appends its history (who, when, field, old → new)
  in one transaction. History is append-only: this module only ever INSERTs into
  acuerdos_historial, and no function anywhere updates or deletes its rows.
- Optimistic concurrency: a change carries the `version` the user saw; if the row moved on, the
  change is refused with a Spanish `ConflictError` that carries the fresh values.
- Progress: only the responsible directorate or a co-responsible. Comments, status changes and
  validating conclusion: only the Dirección General (the only one who may set *Concluido*).
- Every registration, progress, comment or status change notifies the responsible and
  co-responsible areas (inbox, and e-mail when SMTP is configured).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import duckdb

from indicators import agreement_evidence as ev
from indicators import agreement_notices as notices
from indicators.agreements import STATES
from warehouse import transaction
from warehouse.agreement_register import (  # re-exported: registration is shared with loaders
    REGION_CODES,
    AgreementError,
    AgreementValidationError,
    NewAgreement,
    append_history,
    insert_all,
    register_many,
    rows_to_agreements,
)

Db = Path | str | None
DG_ROLE = "direccion_general"
CLOSED = ("Concluido", "Cancelado")
__all__ = [
    "REGION_CODES",
    "Actor",
    "AgreementError",
    "AgreementValidationError",
    "ConflictError",
    "NewAgreement",
    "Outcome",
    "PermissionDeniedError",
    "change_status",
    "comment",
    "record_progress",
    "register",
    "register_many",
    "rows_to_agreements",
    "validate_conclusion",
]


class Actor(Protocol):
    """Who acts (ui.session.User satisfies it)."""

    usuario: str
    roles: frozenset[str]
    cve_direccion: str | None


class PermissionDeniedError(AgreementError):
    pass


class ConflictError(AgreementError):
    """Someone changed the agreement since the user read it; `actual` holds the fresh values."""

    def __init__(self, message: str, actual: dict):
        super().__init__(message)
        self.actual = actual


@dataclass(frozen=True)
class Outcome:
    folio: str
    version: int
    aviso_correo: str | None = None  # the e-mail error, if sending failed


# --- registration --------------------------------------------------------------------------


def register(new: NewAgreement, usuario: str, db: Db = None, now: datetime | None = None) -> Outcome:
    """Register one agreement; returns its new folio (RR-<REG>-<YYYY>-<NNNN>)."""
    now = now or datetime.now()
    with transaction(db) as cur:
        (notice,) = insert_all(cur, [new], usuario, now, None)
    return Outcome(notice.folio, 1, notices.send_email(notice, db))


def _current(cur: duckdb.DuckDBPyConnection, folio: str) -> dict:
    row = cur.execute(
        "SELECT folio, estado, avance, version, cve_direccion, fecha_conclusion FROM acuerdos WHERE folio = ?",
        [folio],
    ).fetchone()
    if row is None:
        raise AgreementError(f"No existe el acuerdo «{folio}».")
    corr = [
        r[0]
        for r in cur.execute(
            "SELECT cve_direccion FROM acuerdos_corresponsables WHERE folio = ?", [folio]
        ).fetchall()
    ]
    keys = ("folio", "estado", "avance", "version", "cve_direccion", "fecha_conclusion")
    return {**dict(zip(keys, row, strict=True)), "corresponsables": corr}


def _check_version(cur: duckdb.DuckDBPyConnection, current: dict, expected: int) -> None:
    if current["version"] == expected:
        return
    last = cur.execute(
        "SELECT usuario, fecha FROM acuerdos_historial WHERE folio = ? ORDER BY id DESC LIMIT 1",
        [current["folio"]],
    ).fetchone()
    who = f" por {last[0]} ({last[1]:%d/%m/%Y %H:%M})" if last else ""
    raise ConflictError(
        f"El acuerdo {current['folio']} fue modificado{who} mientras usted lo editaba; "
        f"su cambio no se guardó. Valores actuales: estado «{current['estado']}», "
        f"avance {current['avance']:g} %. Revise y vuelva a intentar.",
        current,
    )


def _update(cur: duckdb.DuckDBPyConnection, folio: str, expected: int, changes: dict) -> int:
    """Apply the changes if the version still matches; return the new version."""
    sets = ", ".join(f"{k} = ?" for k in changes)
    n = cur.execute(
        f"UPDATE acuerdos SET {sets}, version = version + 1 WHERE folio = ? AND version = ?",
        [*changes.values(), folio, expected],
    ).fetchone()[0]
    if n != 1:  # cannot happen under the write lock after _check_version; kept as a guard
        raise ConflictError(f"El acuerdo {folio} cambió mientras se guardaba; vuelva a intentar.", {})
    return expected + 1


def _is_dg(actor: Actor) -> bool:
    return DG_ROLE in actor.roles


def record_progress(
    folio: str,
    actor: Actor,
    avance: float,
    comentario: str,
    expected_version: int,
    evidencia: ev.Evidence | None = None,
    db: Db = None,
    now: datetime | None = None,
) -> Outcome:
    """The responsible or a co-responsible directorate records a new % with a comment (and evidence)."""
    if not (comentario or "").strip():
        raise AgreementError("Escriba un comentario que describa el avance.")
    if not 0 <= avance <= 100:
        raise AgreementError("El avance debe estar entre 0 y 100 %.")
    now = now or datetime.now()
    stored = ev.store(folio, evidencia) if evidencia is not None else None
    try:
        with transaction(db) as cur:
            cur_row = _current(cur, folio)
            allowed = {cur_row["cve_direccion"], *cur_row["corresponsables"]}
            if actor.cve_direccion not in allowed:
                raise PermissionDeniedError(
                    f"Solo la dirección responsable ({cur_row['cve_direccion']}) o una corresponsable "
                    f"puede registrar avance del acuerdo {folio}."
                )
            _check_version(cur, cur_row, expected_version)
            if cur_row["estado"] in CLOSED:
                raise AgreementError(
                    f"El acuerdo {folio} está {cur_row['estado'].lower()}; no admite avance."
                )
            changes: dict = {"avance": float(avance)}
            hist_id = append_history(
                cur, folio, actor.usuario, now, "avance", cur_row["avance"], float(avance), comentario.strip()
            )
            if cur_row["estado"] == "Registrado":
                changes["estado"] = "En proceso"
                append_history(cur, folio, actor.usuario, now, "estado", "Registrado", "En proceso", None)
            if stored is not None:
                append_history(
                    cur, folio, actor.usuario, now, "evidencia", None, stored.nombre_original, None
                )
                cur.execute(
                    "INSERT INTO acuerdos_evidencias (folio, historial_id, nombre_original, ruta, tipo, "
                    "tamano_bytes, sha256, usuario, fecha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        folio,
                        hist_id,
                        stored.nombre_original,
                        stored.ruta,
                        stored.tipo,
                        stored.tamano_bytes,
                        stored.sha256,
                        actor.usuario,
                        now,
                    ],
                )
            version = _update(cur, folio, expected_version, changes)
            notice = notices.Notice(
                folio,
                "avance",
                f"{actor.usuario} registró avance de {avance:g} % en el acuerdo {folio}: {comentario.strip()}",
                actor.usuario,
                notices.recipients(cur, folio, include_dg=True),
            )
            notices.write_inbox(cur, notice, now)
    except BaseException:
        if stored is not None:
            ev.discard(stored)
        raise
    return Outcome(folio, version, notices.send_email(notice, db))


def comment(folio: str, actor: Actor, comentario: str, db: Db = None, now: datetime | None = None) -> Outcome:
    """The Director General comments on an agreement (appended; the row itself does not change)."""
    if not _is_dg(actor):
        raise PermissionDeniedError("Solo la Dirección General puede comentar acuerdos.")
    if not (comentario or "").strip():
        raise AgreementError("El comentario está vacío.")
    now = now or datetime.now()
    with transaction(db) as cur:
        cur_row = _current(cur, folio)
        append_history(cur, folio, actor.usuario, now, "comentario", None, None, comentario.strip())
        notice = notices.Notice(
            folio,
            "comentario",
            f"La Dirección General comentó el acuerdo {folio}: {comentario.strip()}",
            actor.usuario,
            notices.recipients(cur, folio),
        )
        notices.write_inbox(cur, notice, now)
    return Outcome(folio, int(cur_row["version"]), notices.send_email(notice, db))


def change_status(
    folio: str,
    actor: Actor,
    estado: str,
    expected_version: int,
    comentario: str | None = None,
    db: Db = None,
    now: datetime | None = None,
) -> Outcome:
    """The Director General changes the status; *Concluido* validates conclusion (avance 100 %, date)."""
    if not _is_dg(actor):
        raise PermissionDeniedError(
            "Solo la Dirección General puede cambiar el estado de un acuerdo o validar su conclusión."
        )
    if estado not in STATES:
        raise AgreementError(f"Estado desconocido «{estado}». Opciones: {', '.join(STATES)}.")
    now = now or datetime.now()
    note = (comentario or "").strip() or None
    with transaction(db) as cur:
        cur_row = _current(cur, folio)
        _check_version(cur, cur_row, expected_version)
        if cur_row["estado"] == estado:
            raise AgreementError(f"El acuerdo {folio} ya está en estado «{estado}».")
        changes: dict = {"estado": estado}
        append_history(cur, folio, actor.usuario, now, "estado", cur_row["estado"], estado, note)
        if estado == "Concluido":
            changes["fecha_conclusion"] = now.date()
            append_history(
                cur,
                folio,
                actor.usuario,
                now,
                "fecha_conclusion",
                cur_row["fecha_conclusion"],
                now.date(),
                None,
            )
            if cur_row["avance"] != 100:
                changes["avance"] = 100.0
                append_history(cur, folio, actor.usuario, now, "avance", cur_row["avance"], 100.0, None)
        elif cur_row["fecha_conclusion"] is not None:
            changes["fecha_conclusion"] = None
            append_history(
                cur, folio, actor.usuario, now, "fecha_conclusion", cur_row["fecha_conclusion"], None, None
            )
        version = _update(cur, folio, expected_version, changes)
        verb = "validó la conclusión del" if estado == "Concluido" else f"cambió a «{estado}» el"
        notice = notices.Notice(
            folio,
            "estado",
            f"La Dirección General {verb} acuerdo {folio}." + (f" {note}" if note else ""),
            actor.usuario,
            notices.recipients(cur, folio),
        )
        notices.write_inbox(cur, notice, now)
    return Outcome(folio, version, notices.send_email(notice, db))


def validate_conclusion(
    folio: str, actor: Actor, expected_version: int, comentario: str | None = None, db: Db = None
) -> Outcome:
    """The DG validates that the agreement is concluded."""
    return change_status(folio, actor, "Concluido", expected_version, comentario, db)
