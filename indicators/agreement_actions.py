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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from indicators import agreement_evidence as ev
from indicators import agreement_notices as notices
from indicators.agreements import STATES
from warehouse import transaction

Db = Path | str | None
DG_ROLE = "direccion_general"
REGION_CODES = {"Norte": "NOR", "Occidente": "OCC", "Centro": "CEN", "Sureste": "SUR"}
CLOSED = ("Concluido", "Cancelado")


class Actor(Protocol):
    """Who acts (ui.session.User satisfies it)."""

    usuario: str
    roles: frozenset[str]
    cve_direccion: str | None


class AgreementError(ValueError):
    """A change the rules refuse; its message is Spanish and meant for the user."""


class PermissionDeniedError(AgreementError):
    pass


class ConflictError(AgreementError):
    """Someone changed the agreement since the user read it; `actual` holds the fresh values."""

    def __init__(self, message: str, actual: dict):
        super().__init__(message)
        self.actual = actual


class AgreementValidationError(AgreementError):
    """Rows that cannot be registered: `errors` lists (row number from 1, message)."""

    def __init__(self, errors: list[tuple[int, str]]):
        lines = "; ".join(f"fila {n}: {m}" for n, m in errors[:20])
        more = f" (y {len(errors) - 20} más)" if len(errors) > 20 else ""
        super().__init__(f"No se registró ningún acuerdo. {lines}{more}")
        self.errors = errors


@dataclass(frozen=True)
class NewAgreement:
    cve_reunion: str
    cve_mesa: str
    descripcion: str
    cve_direccion: str
    fecha_compromiso: date | None = None
    fecha_registro: date | None = None  # default: today
    region: str | None = None  # default: the meeting's region
    cve_ooad: str | None = None
    cve_umae: str | None = None
    cve_tema: str | None = None
    corresponsables: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Outcome:
    folio: str
    version: int
    aviso_correo: str | None = None  # the e-mail error, if sending failed


# --- registration --------------------------------------------------------------------------


def _catalogs(cur: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str | None]]:
    def pairs(sql: str) -> dict[str, str | None]:
        return {str(k): v for k, v in cur.execute(sql).fetchall()}

    return {
        "reuniones": pairs("SELECT cve_reunion, region FROM reuniones"),
        "ooad": pairs("SELECT cve_ooad, region FROM ooad"),
        "umae": pairs("SELECT cve_umae, region FROM umae"),
        "mesas": pairs("SELECT cve_mesa, NULL FROM mesas"),
        "temas": pairs("SELECT cve_tema, NULL FROM temas"),
        "direcciones": pairs("SELECT cve_direccion, NULL FROM direcciones"),
    }


def _check(new: NewAgreement, cat: dict[str, dict[str, str | None]], today: date) -> list[str]:
    """Everything wrong with one agreement, in Spanish (empty when it can be registered)."""
    errors = []
    if not (new.descripcion or "").strip():
        errors.append("falta la descripción")
    if new.cve_reunion not in cat["reuniones"]:
        errors.append(f"reunión desconocida «{new.cve_reunion}»")
    elif new.region and new.region != cat["reuniones"][new.cve_reunion]:
        errors.append(f"la reunión «{new.cve_reunion}» es de la región {cat['reuniones'][new.cve_reunion]}")
    if new.cve_mesa not in cat["mesas"]:
        errors.append(f"mesa de trabajo desconocida «{new.cve_mesa}»")
    if new.cve_tema and new.cve_tema not in cat["temas"]:
        errors.append(f"tema desconocido «{new.cve_tema}»")
    if new.cve_direccion not in cat["direcciones"]:
        errors.append(f"dirección responsable desconocida «{new.cve_direccion}»")
    if new.cve_ooad and new.cve_ooad not in cat["ooad"]:
        errors.append(f"OOAD desconocido «{new.cve_ooad}»")
    if new.cve_umae and new.cve_umae not in cat["umae"]:
        errors.append(f"UMAE desconocida «{new.cve_umae}»")
    if new.cve_ooad and new.cve_umae:
        errors.append("indique OOAD o UMAE, no ambos")
    for c in new.corresponsables:
        if c not in cat["direcciones"]:
            errors.append(f"corresponsable desconocida «{c}»")
        elif c == new.cve_direccion:
            errors.append(f"«{c}» ya es la dirección responsable")
    registro = new.fecha_registro or today
    if new.fecha_compromiso and new.fecha_compromiso < registro:
        errors.append("la fecha compromiso es anterior a la fecha de registro")
    return errors


def _next_numbers(cur: duckdb.DuckDBPyConnection, prefix: str) -> int:
    row = cur.execute(
        "SELECT coalesce(max(TRY_CAST(split_part(folio, '-', 4) AS INTEGER)), 0) FROM acuerdos "
        "WHERE starts_with(folio, ?)",
        [prefix],
    ).fetchone()
    return int(row[0])


def _insert_all(
    cur: duckdb.DuckDBPyConnection,
    items: Sequence[NewAgreement],
    usuario: str,
    now: datetime,
    carga_id: int | None,
) -> list[notices.Notice]:
    """Validate and insert in the caller's transaction; folios are assigned here, under the write lock."""
    cat = _catalogs(cur)
    errors = [(i, msg) for i, new in enumerate(items, start=1) for msg in _check(new, cat, now.date())]
    if errors:
        raise AgreementValidationError(errors)
    counters: dict[str, int] = {}
    out = []
    for new in items:
        region = str(cat["reuniones"][new.cve_reunion])
        registro = new.fecha_registro or now.date()
        prefix = f"RR-{REGION_CODES.get(region, region[:3].upper())}-{registro.year}-"
        if prefix not in counters:
            counters[prefix] = _next_numbers(cur, prefix)
        counters[prefix] += 1
        folio = f"{prefix}{counters[prefix]:04d}"
        cur.execute(
            "INSERT INTO acuerdos (folio, cve_reunion, region, cve_ooad, cve_umae, cve_mesa, cve_tema, "
            "descripcion, cve_direccion, fecha_registro, fecha_compromiso, estado, avance, version, carga_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Registrado', 0, 1, ?)",
            [
                folio,
                new.cve_reunion,
                region,
                new.cve_ooad or None,
                new.cve_umae or None,
                new.cve_mesa,
                new.cve_tema or None,
                new.descripcion.strip(),
                new.cve_direccion,
                registro,
                new.fecha_compromiso,
                carga_id,
            ],
        )
        for c in sorted(set(new.corresponsables)):
            cur.execute("INSERT INTO acuerdos_corresponsables VALUES (?, ?)", [folio, c])
        _append(cur, folio, usuario, now, "estado", None, "Registrado", "Registro del acuerdo")
        notice = notices.Notice(
            folio,
            "registro",
            f"Se registró el acuerdo {folio} a cargo de {new.cve_direccion}: {new.descripcion.strip()}",
            usuario,
            notices.recipients(cur, folio),
        )
        notices.write_inbox(cur, notice, now)
        out.append(notice)
    return out


def register(new: NewAgreement, usuario: str, db: Db = None, now: datetime | None = None) -> Outcome:
    """Register one agreement; returns its new folio (RR-<REG>-<YYYY>-<NNNN>)."""
    now = now or datetime.now()
    with transaction(db) as cur:
        (notice,) = _insert_all(cur, [new], usuario, now, None)
    return Outcome(notice.folio, 1, notices.send_email(notice, db))


def _none_if_missing(x: object) -> object:
    if x is None or (isinstance(x, float) and x != x) or x is pd.NaT:
        return None
    if isinstance(x, str) and not x.strip():
        return None
    return x


def _as_date(x: object) -> date | None:
    x = _none_if_missing(x)
    if x is None:
        return None
    return pd.Timestamp(x).date()


def rows_to_agreements(rows: pd.DataFrame) -> list[NewAgreement]:
    """Spreadsheet rows (acuerdos contract columns) → NewAgreement; corresponsables split on , or ;."""
    out = []
    for rec in rows.to_dict("records"):
        corr = _none_if_missing(rec.get("corresponsables"))
        codes = tuple(c.strip() for c in str(corr).replace(";", ",").split(",") if c.strip()) if corr else ()

        def text(key: str, rec: dict = rec) -> str | None:
            v = _none_if_missing(rec.get(key))
            return None if v is None else str(v).strip()

        out.append(
            NewAgreement(
                cve_reunion=text("cve_reunion") or "",
                cve_mesa=text("cve_mesa") or "",
                descripcion=text("descripcion") or "",
                cve_direccion=text("cve_direccion") or "",
                fecha_compromiso=_as_date(rec.get("fecha_compromiso")),
                fecha_registro=_as_date(rec.get("fecha_registro")),
                region=text("region"),
                cve_ooad=text("cve_ooad"),
                cve_umae=text("cve_umae"),
                cve_tema=text("cve_tema"),
                corresponsables=codes,
            )
        )
    return out


def register_many(
    rows_dataframe: pd.DataFrame,
    usuario: str,
    db: Db = None,
    carga_id: int | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Register a meeting's spreadsheet atomically: all rows get consecutive folios, or none is kept.

    Raises AgreementValidationError listing every bad row. Inbox notices only (no e-mail per row).
    """
    items = rows_to_agreements(rows_dataframe)
    if not items:
        raise AgreementValidationError([(0, "el archivo no trae acuerdos")])
    now = now or datetime.now()
    with transaction(db) as cur:
        created = _insert_all(cur, items, usuario, now, carga_id)
    return [n.folio for n in created]


# --- changes -------------------------------------------------------------------------------


def _append(
    cur: duckdb.DuckDBPyConnection,
    folio: str,
    usuario: str,
    now: datetime,
    campo: str,
    anterior: object,
    nuevo: object,
    comentario: str | None,
) -> int:
    """Append one history row (the only write acuerdos_historial ever receives); return its id."""
    row = cur.execute(
        "INSERT INTO acuerdos_historial (folio, usuario, fecha, campo, valor_anterior, valor_nuevo, comentario) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            folio,
            usuario,
            now,
            campo,
            None if anterior is None else _text(anterior),
            None if nuevo is None else _text(nuevo),
            comentario,
        ],
    ).fetchone()
    return int(row[0])


def _text(x: object) -> str:
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)


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
            hist_id = _append(
                cur, folio, actor.usuario, now, "avance", cur_row["avance"], float(avance), comentario.strip()
            )
            if cur_row["estado"] == "Registrado":
                changes["estado"] = "En proceso"
                _append(cur, folio, actor.usuario, now, "estado", "Registrado", "En proceso", None)
            if stored is not None:
                _append(cur, folio, actor.usuario, now, "evidencia", None, stored.nombre_original, None)
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
        _append(cur, folio, actor.usuario, now, "comentario", None, None, comentario.strip())
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
        _append(cur, folio, actor.usuario, now, "estado", cur_row["estado"], estado, note)
        if estado == "Concluido":
            changes["fecha_conclusion"] = now.date()
            _append(
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
                _append(cur, folio, actor.usuario, now, "avance", cur_row["avance"], 100.0, None)
        elif cur_row["fecha_conclusion"] is not None:
            changes["fecha_conclusion"] = None
            _append(
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
