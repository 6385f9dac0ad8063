"""Changes to agreements along their cycle, each checked against the permission table.

Registrado → En proceso → Solicitud de conclusión (the responsible side asks, with evidence) →
Concluido (only the DG validates) or back to En proceso with the DG's comment; Cancelado only by
the DG, with a reason. Who may do what is `agreements.rights`; every function here asks
it, and every UPDATE repeats the state condition in SQL.

Rules:
- Each change updates the `acuerdos` row, appends its history (who, on whose behalf, when, field,
  old → new), writes the inbox notices and one audit row, all in one transaction. History is
  append-only: this module only ever INSERTs into acuerdos_historial.
- Optimistic concurrency: a change carries the `version` the user saw; if the row moved on, the
  change is refused with a Spanish `ConflictError` that carries the fresh values.
- A refusal (permission, state, conflict) writes its own audit row and changes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from access.scope import agreement_sql, scope_name
from agreements import evidence as ev
from agreements import notices, rights
from agreements.register import (  # re-exported: registration is shared with loaders
    REGION_CODES,
    AgreementError,
    AgreementValidationError,
    NewAgreement,
    append_history,
    insert_all,
    outside_scope,
    rows_to_agreements,
)
from agreements.register import register_many as _register_many
from agreements.rights import REQUESTED, Actor
from indicators.catalog import BY_ID
from warehouse import clock, retry_on_conflict, transaction
from warehouse.audit import audit
from warehouse.ids import next_id
from warehouse.rows import scalar

Db = Path | str | None
DG_ROLE = rights.DG_ROLE
CLOSED = rights.CLOSED_STATES
__all__ = [
    "REGION_CODES",
    "Actor",
    "AgreementError",
    "AgreementValidationError",
    "ConflictError",
    "NewAgreement",
    "Outcome",
    "PermissionDeniedError",
    "add_evidence",
    "cancel",
    "comment",
    "record_progress",
    "register",
    "register_many",
    "request_conclusion",
    "return_to_progress",
    "rows_to_agreements",
    "validate_conclusion",
]


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


@dataclass(frozen=True)
class _Acting:
    """Inside a change: the cursor, the stored row, and on whose behalf the actor acts."""

    cur: duckdb.DuckDBPyConnection
    row: dict
    behalf: str
    name: str  # the person's name, for notices


# --- registration --------------------------------------------------------------------------


def _refuse_registration(actor: Actor, db: Db) -> None:
    if not rights.may_register(actor):
        audit(actor.usuario, "acuerdo_rechazado", "registro: sin permiso", path=db)
        raise PermissionDeniedError(
            "Solo la Dirección General, Planeación o un administrador pueden registrar acuerdos."
        )


@retry_on_conflict  # shared mode: another process committed first; re-read and try again
def register(new: NewAgreement, actor: Actor, db: Db = None, now: datetime | None = None) -> Outcome:
    """Register one agreement; returns its new folio (RR-<REG>-<YYYY>-<NNNN>)."""
    _refuse_registration(actor, db)
    if new.cve_kpi and new.cve_kpi not in BY_ID:
        raise AgreementValidationError([(1, f"indicador desconocido «{new.cve_kpi}»")])
    now = now or clock.now()
    outside = f"Solo puede registrar acuerdos de su ámbito ({scope_name(actor.ambito, db)})."
    try:
        with transaction(db) as cur:
            (notice,) = insert_all(cur, [new], actor.usuario, now, None)
            if outside_scope(cur, [notice.folio], actor.ambito):
                raise PermissionDeniedError(outside)  # rolls the registration back
            audit(actor.usuario, "acuerdo_registro", f"{notice.folio} (reunión {new.cve_reunion})", con=cur)
    except PermissionDeniedError:
        audit(actor.usuario, "acuerdo_rechazado", f"registro: {outside}", path=db)
        raise
    return Outcome(notice.folio, 1, notices.send_email(notice, db))


def register_many(
    rows: pd.DataFrame,
    actor: Actor,
    db: Db = None,
    carga_id: int | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Register a meeting's spreadsheet atomically (all or none) once the actor's right is checked."""
    _refuse_registration(actor, db)
    folios = _register_many(rows, actor.usuario, db, carga_id, now, ambito=actor.ambito)
    audit(actor.usuario, "acuerdo_registro", f"{len(folios)} acuerdos: {folios[0]} a {folios[-1]}", path=db)
    return folios


# --- the cycle -----------------------------------------------------------------------------


def _current(cur: duckdb.DuckDBPyConnection, folio: str, ambito: str) -> dict:
    """The stored row, if the agreement exists inside the actor's ámbito (the board's predicate).

    An agreement outside the ámbito is refused in the same words as one that does not exist.
    """
    in_scope, bound = agreement_sql("a", ambito)
    row = cur.execute(
        "SELECT folio, estado, avance, version, cve_direccion, fecha_conclusion FROM acuerdos a"
        f" WHERE folio = $folio AND {in_scope}",
        {"folio": folio, **bound},
    ).fetchone()
    if row is None:
        raise AgreementError(f"Acuerdo «{folio}» no encontrado.")
    corr = [
        r[0]
        for r in cur.execute(
            "SELECT cve_direccion FROM acuerdos_corresponsables WHERE folio = ?", [folio]
        ).fetchall()
    ]
    keys = ("folio", "estado", "avance", "version", "cve_direccion", "fecha_conclusion")
    return {**dict(zip(keys, row, strict=True)), "corresponsables": corr}


def delegations(cur: duckdb.DuckDBPyConnection, usuario: str) -> list[str]:
    """The directorates this person is enlace of."""
    rows = cur.execute("SELECT cve_direccion FROM enlaces WHERE usuario = ?", [usuario]).fetchall()
    return [r[0] for r in rows]


def _behalf(actor: Actor, rels: frozenset[str], row: dict, delegated: list[str]) -> str:
    """On whose behalf the actor acts: a directorate code, or DG."""
    if "dg" in rels and not rels & {"responsable", "enlace", "corresponsable"}:
        return notices.DG_INBOX
    if "enlace" in rels or "responsable" in rels:
        return row["cve_direccion"]
    if actor.cve_direccion in row["corresponsables"]:
        return str(actor.cve_direccion)
    mine = [d for d in delegated if d in row["corresponsables"]]
    return mine[0] if mine else str(actor.cve_direccion or notices.DG_INBOX)


def _person(cur: duckdb.DuckDBPyConnection, actor: Actor) -> str:
    row = cur.execute("SELECT nombre FROM usuarios WHERE usuario = ?", [actor.usuario]).fetchone()
    return str(row[0]) if row else str(getattr(actor, "nombre", None) or actor.usuario)


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


@contextmanager
def _acting(
    folio: str, actor: Actor, action: str, db: Db, expected_version: int | None = None
) -> Iterator[_Acting]:
    """One checked change: permission and state from the table, then version; audit the refusal."""
    try:
        with transaction(db) as cur:
            row = _current(cur, folio, actor.ambito)
            delegated = delegations(cur, actor.usuario)
            rels = rights.relations(actor, row["cve_direccion"], row["corresponsables"], delegated)
            if action not in {a for r in rels for a in rights.TABLE[r]}:
                raise PermissionDeniedError(
                    f"No puede {rights.ACTIONS[action]} en el acuerdo {folio}: "
                    f"su relación con él es «{', '.join(rights.RELATIONS[r] for r in sorted(rels))}»."
                )
            if row["estado"] not in rights.STATES_FOR[action]:
                raise AgreementError(
                    f"El acuerdo {folio} está en «{row['estado']}»; ahí no se puede {rights.ACTIONS[action]}."
                )
            if expected_version is not None:
                _check_version(cur, row, expected_version)
            yield _Acting(cur, row, _behalf(actor, rels, row, delegated), _person(cur, actor))
    except AgreementError as exc:
        audit(actor.usuario, "acuerdo_rechazado", f"{folio} · {action}: {exc}", path=db)
        raise


def _update(a: _Acting, action: str, expected: int, changes: dict) -> int:
    """Apply the changes if version and state still match (the table's condition, in SQL)."""
    sets = ", ".join(f"{k} = ?" for k in changes)
    n = scalar(
        a.cur,
        f"UPDATE acuerdos SET {sets}, version = version + 1 WHERE folio = ? AND version = ? "
        "AND list_contains(?, estado)",
        [*changes.values(), a.row["folio"], expected, list(rights.STATES_FOR[action])],
    )
    if n != 1:  # cannot happen under the write lock after the checks; kept as a guard
        raise ConflictError(
            f"El acuerdo {a.row['folio']} cambió mientras se guardaba; vuelva a intentar.", {}
        )
    return expected + 1


def _history(
    a: _Acting, actor: Actor, now: datetime, campo: str, old: object, new: object, note: str | None
) -> int:
    return append_history(a.cur, a.row["folio"], actor.usuario, now, campo, old, new, note, a.behalf)


def _attach(a: _Acting, actor: Actor, now: datetime, stored: ev.StoredEvidence, hist_id: int | None) -> None:
    hist = _history(a, actor, now, "evidencia", None, stored.nombre_original, None)
    a.cur.execute(
        "INSERT INTO acuerdos_evidencias (id, folio, historial_id, nombre_original, ruta, tipo, "
        "tamano_bytes, sha256, usuario, fecha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            next_id(a.cur, "seq_acuerdos_evidencias"),
            a.row["folio"],
            hist_id or hist,
            stored.nombre_original,
            stored.ruta,
            stored.tipo,
            stored.tamano_bytes,
            stored.sha256,
            actor.usuario,
            now,
        ],
    )


def _who(a: _Acting) -> str:
    """«Ana López (por DPM)»: the person and on whose behalf."""
    return f"{a.name} (por {a.behalf})" if a.behalf != notices.DG_INBOX else f"{a.name} (Dirección General)"


def _notify(
    a: _Acting, actor: Actor, now: datetime, event: str, message: str, to_dg: bool = False
) -> notices.Notice:
    to = notices.recipients(a.cur, a.row["folio"], include_dg=to_dg)
    notice = notices.Notice(a.row["folio"], event, message, actor.usuario, to, a.behalf)
    notices.write_inbox(a.cur, notice, now)
    return notice


def _with_file(
    folio: str, evidencia: ev.Evidence | None, body: Callable[[ev.StoredEvidence | None], Outcome]
) -> Outcome:
    """Store the file first; remove it again if the database change does not commit."""
    stored = ev.store(folio, evidencia) if evidencia is not None else None
    try:
        return body(stored)
    except BaseException:
        if stored is not None:
            ev.discard(stored)
        raise


def _refused(actor: Actor, folio: str, action: str, message: str, db: Db) -> AgreementError:
    """An input the change cannot take: audited like any other refusal."""
    audit(actor.usuario, "acuerdo_rechazado", f"{folio} · {action}: {message}", path=db)
    return AgreementError(message)


def _text(comentario: str | None, missing: str, actor: Actor, folio: str, action: str, db: Db) -> str:
    text = (comentario or "").strip()
    if not text:
        raise _refused(actor, folio, action, missing, db)
    return text


@retry_on_conflict  # shared mode: another process committed first; re-read and try again
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
    """The responsible directorate (or its enlace) records a new % with a comment (and evidence)."""
    note = _text(comentario, "Escriba un comentario que describa el avance.", actor, folio, "avance", db)
    if not 0 <= avance <= 100:
        raise _refused(actor, folio, "avance", "El avance debe estar entre 0 y 100 %.", db)
    now = now or clock.now()

    def body(stored: ev.StoredEvidence | None) -> Outcome:
        with _acting(folio, actor, "avance", db, expected_version) as a:
            changes: dict = {"avance": float(avance)}
            hist_id = _history(a, actor, now, "avance", a.row["avance"], float(avance), note)
            if a.row["estado"] == "Registrado":
                changes["estado"] = "En proceso"
                _history(a, actor, now, "estado", "Registrado", "En proceso", None)
            if stored is not None:
                _attach(a, actor, now, stored, hist_id)
            version = _update(a, "avance", expected_version, changes)
            notice = _notify(
                a, actor, now, "avance", f"{_who(a)} registró avance de {avance:g} % en {folio}: {note}", True
            )
            audit(
                actor.usuario,
                "acuerdo_avance",
                f"{folio}: {a.row['avance']:g} → {avance:g} % por {a.behalf}",
                con=a.cur,
            )
        return Outcome(folio, version, notices.send_email(notice, db))

    return _with_file(folio, evidencia, body)


@retry_on_conflict  # shared mode: another process committed first; re-read and try again
def add_evidence(
    folio: str,
    actor: Actor,
    evidencia: ev.Evidence,
    comentario: str | None = None,
    db: Db = None,
    now: datetime | None = None,
) -> Outcome:
    """Attach a file (responsible side or a co-responsible); the agreement's state does not change."""
    now = now or clock.now()

    def body(stored: ev.StoredEvidence | None) -> Outcome:
        assert stored is not None
        with _acting(folio, actor, "evidencia", db) as a:
            _attach(a, actor, now, stored, None)
            if comentario and comentario.strip():
                _history(a, actor, now, "comentario", None, None, comentario.strip())
            notice = _notify(
                a, actor, now, "evidencia", f"{_who(a)} adjuntó «{stored.nombre_original}» a {folio}.", True
            )
            audit(
                actor.usuario,
                "acuerdo_evidencia",
                f"{folio}: {stored.nombre_original} por {a.behalf}",
                con=a.cur,
            )
        return Outcome(folio, int(a.row["version"]), notices.send_email(notice, db))

    return _with_file(folio, evidencia, body)


@retry_on_conflict  # shared mode: another process committed first; re-read and try again
def comment(folio: str, actor: Actor, comentario: str, db: Db = None, now: datetime | None = None) -> Outcome:
    """A comment on the agreement (appended; the row itself does not change)."""
    note = _text(comentario, "El comentario está vacío.", actor, folio, "comentar", db)
    now = now or clock.now()
    with _acting(folio, actor, "comentar", db) as a:
        _history(a, actor, now, "comentario", None, None, note)
        notice = _notify(
            a,
            actor,
            now,
            "comentario",
            f"{_who(a)} comentó el acuerdo {folio}: {note}",
            a.behalf != notices.DG_INBOX,
        )
        audit(actor.usuario, "acuerdo_comentario", f"{folio} por {a.behalf}", con=a.cur)
    return Outcome(folio, int(a.row["version"]), notices.send_email(notice, db))


@retry_on_conflict  # shared mode: another process committed first; re-read and try again
def request_conclusion(
    folio: str,
    actor: Actor,
    comentario: str,
    expected_version: int,
    evidencia: ev.Evidence | None = None,
    db: Db = None,
    now: datetime | None = None,
) -> Outcome:
    """The responsible side asks the DG to validate the agreement as done; evidence is required."""
    note = _text(
        comentario, "Describa lo realizado para solicitar la conclusión.", actor, folio, "solicitar", db
    )
    now = now or clock.now()

    def body(stored: ev.StoredEvidence | None) -> Outcome:
        with _acting(folio, actor, "solicitar", db, expected_version) as a:
            has_files = scalar(a.cur, "SELECT count(*) FROM acuerdos_evidencias WHERE folio = ?", [folio])
            if stored is None and not has_files:
                raise AgreementError(
                    f"Adjunte la evidencia de lo realizado para solicitar la conclusión de {folio}."
                )
            hist_id = _history(a, actor, now, "estado", a.row["estado"], REQUESTED, note)
            changes: dict = {"estado": REQUESTED}
            if a.row["avance"] != 100:
                changes["avance"] = 100.0
                _history(a, actor, now, "avance", a.row["avance"], 100.0, None)
            if stored is not None:
                _attach(a, actor, now, stored, hist_id)
            version = _update(a, "solicitar", expected_version, changes)
            notice = _notify(
                a,
                actor,
                now,
                "solicitud",
                f"{_who(a)} solicita validar la conclusión de {folio}: {note}",
                True,
            )
            audit(actor.usuario, "acuerdo_solicitud_conclusion", f"{folio} por {a.behalf}", con=a.cur)
        return Outcome(folio, version, notices.send_email(notice, db))

    return _with_file(folio, evidencia, body)


def _progress_before_request(cur: duckdb.DuckDBPyConnection, folio: str) -> float | None:
    """The progress recorded before the pending request raised it to 100 % (None: it did not)."""
    row = cur.execute(
        "SELECT h.valor_anterior FROM acuerdos_historial h WHERE h.folio = $folio AND h.campo = 'avance' "
        "AND h.id > (SELECT max(r.id) FROM acuerdos_historial r WHERE r.folio = $folio "
        "AND r.campo = 'estado' AND r.valor_nuevo = $requested) ORDER BY h.id LIMIT 1",
        {"folio": folio, "requested": REQUESTED},
    ).fetchone()
    return None if row is None or row[0] is None else float(row[0])


@retry_on_conflict  # shared mode: another process committed first; re-read and try again
def _dg_change(
    folio: str,
    actor: Actor,
    action: str,
    estado: str,
    expected_version: int,
    note: str | None,
    message: str,
    db: Db,
    now: datetime | None,
) -> Outcome:
    now = now or clock.now()
    with _acting(folio, actor, action, db, expected_version) as a:
        changes: dict = {"estado": estado}
        _history(a, actor, now, "estado", a.row["estado"], estado, note)
        if estado == "Concluido":
            changes["fecha_conclusion"] = now.date()
            _history(a, actor, now, "fecha_conclusion", a.row["fecha_conclusion"], now.date(), None)
            if a.row["avance"] != 100:
                changes["avance"] = 100.0
                _history(a, actor, now, "avance", a.row["avance"], 100.0, None)
        if action == "devolver":  # progress goes back to what was recorded before the request
            before = _progress_before_request(a.cur, folio)
            if before is not None and before != a.row["avance"]:
                changes["avance"] = before
                _history(a, actor, now, "avance", a.row["avance"], before, None)
        if action in {"validar", "devolver", "cancelar"}:
            notices.resolve_requests(a.cur, folio, now)
        version = _update(a, action, expected_version, changes)
        notice = _notify(a, actor, now, "estado", message + (f" {note}" if note else ""))
        audit(actor.usuario, "acuerdo_estado", f"{folio}: {a.row['estado']} → {estado}", con=a.cur)
    return Outcome(folio, version, notices.send_email(notice, db))


def validate_conclusion(
    folio: str,
    actor: Actor,
    expected_version: int,
    comentario: str | None = None,
    db: Db = None,
    now: datetime | None = None,
) -> Outcome:
    """The DG validates a requested conclusion: Concluido, dated today, progress 100 %."""
    note = (comentario or "").strip() or None
    msg = f"La Dirección General validó la conclusión del acuerdo {folio}."
    return _dg_change(folio, actor, "validar", "Concluido", expected_version, note, msg, db, now)


def return_to_progress(
    folio: str,
    actor: Actor,
    expected_version: int,
    comentario: str,
    db: Db = None,
    now: datetime | None = None,
) -> Outcome:
    """The DG sends a request back to «En proceso»; the comment says what is missing."""
    note = _text(comentario, "Escriba qué falta para validar la conclusión.", actor, folio, "devolver", db)
    msg = f"La Dirección General devolvió el acuerdo {folio} a «En proceso»."
    return _dg_change(folio, actor, "devolver", "En proceso", expected_version, note, msg, db, now)


def cancel(
    folio: str, actor: Actor, expected_version: int, motivo: str, db: Db = None, now: datetime | None = None
) -> Outcome:
    """The DG cancels an open agreement; the reason is required."""
    note = _text(motivo, "Escriba el motivo de la cancelación.", actor, folio, "cancelar", db)
    msg = f"La Dirección General canceló el acuerdo {folio}."
    return _dg_change(folio, actor, "cancelar", "Cancelado", expected_version, note, msg, db, now)
