"""Registering agreements, written for both the screens (indicators) and bulk loads (loaders).

Lives in the warehouse room so that loaders/ (which may not import indicators/) can register a
meeting's spreadsheet inside its own load transaction with `insert_all(cur, ...)`, or on its own
with `register_many`. Folios are RR-<REG>-<YYYY>-<NNNN>, numbered per region and year of
registration under the process write lock. History rows are only ever appended (`append_history`);
each registration also leaves an unread notice in the inbox of the responsible and co-responsible
directorates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from access.inbox import DG_INBOX, Notice, write_inbox
from access.scope import agreement_sql
from warehouse import clock
from warehouse.connection import transaction
from warehouse.errors import UserError
from warehouse.ids import next_id
from warehouse.rows import one_row

Db = Path | str | None
REGION_CODES = {"Norte": "NOR", "Occidente": "OCC", "Centro": "CEN", "Sureste": "SUR"}


class AgreementError(UserError, ValueError):
    """A change the rules refuse; its message is Spanish and meant for the user."""


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
    cve_kpi: str | None = None  # the KPI the agreement aims at (checked against the catalog by the caller)
    meta_kpi: float | None = None  # the target value of that KPI, in the KPI's unit


def recipients(cur: duckdb.DuckDBPyConnection, folio: str, include_dg: bool = False) -> tuple[str, ...]:
    """The responsible and co-responsible directorates of an agreement (and the DG's inbox)."""
    rows = cur.execute(
        "SELECT cve_direccion FROM acuerdos WHERE folio = ? "
        "UNION SELECT cve_direccion FROM acuerdos_corresponsables WHERE folio = ?",
        [folio, folio],
    ).fetchall()
    found = sorted({r[0] for r in rows})
    return (*found, DG_INBOX) if include_dg else tuple(found)


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
    if new.meta_kpi is not None and not new.cve_kpi:
        errors.append("indique el indicador al que se refiere la meta")
    return errors


def _next_numbers(cur: duckdb.DuckDBPyConnection, prefix: str) -> int:
    row = one_row(
        cur,
        "SELECT coalesce(max(TRY_CAST(split_part(folio, '-', 4) AS INTEGER)), 0) FROM acuerdos "
        "WHERE starts_with(folio, ?)",
        [prefix],
    )
    return int(row[0])


def insert_all(
    cur: duckdb.DuckDBPyConnection,
    items: Sequence[NewAgreement],
    usuario: str,
    now: datetime,
    carga_id: int | None,
) -> list[Notice]:
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
            "descripcion, cve_direccion, fecha_registro, fecha_compromiso, estado, avance, version, carga_id, "
            "cve_kpi, meta_kpi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Registrado', 0, 1, ?, ?, ?)",
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
                new.cve_kpi or None,
                new.meta_kpi,
            ],
        )
        for c in sorted(set(new.corresponsables)):
            cur.execute("INSERT INTO acuerdos_corresponsables VALUES (?, ?)", [folio, c])
        append_history(cur, folio, usuario, now, "estado", None, "Registrado", "Registro del acuerdo")
        notice = Notice(
            folio,
            "registro",
            f"Se registró el acuerdo {folio} a cargo de {new.cve_direccion}: {new.descripcion.strip()}",
            usuario,
            recipients(cur, folio),
        )
        write_inbox(cur, notice, now)
        out.append(notice)
    return out


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
    ambito: str = "nacional",
) -> list[str]:
    """Register a meeting's spreadsheet atomically: all rows get consecutive folios, or none is kept.

    Raises AgreementValidationError listing every bad row, or every agreement outside `ambito`
    (the registrar's). Inbox notices only (no e-mail per row). Inside a load transaction of your
    own, call `insert_all(cur, rows_to_agreements(df), ...)` and `outside_scope`.
    """
    items = rows_to_agreements(rows_dataframe)
    if not items:
        raise AgreementValidationError([(0, "el archivo no trae acuerdos")])
    now = now or clock.now()
    with transaction(db) as cur:
        created = insert_all(cur, items, usuario, now, carga_id)
        folios = [n.folio for n in created]
        outside = outside_scope(cur, folios, ambito)
        if outside:  # rolls the whole registration back
            rows = [(folios.index(f) + 1, f"queda fuera de su ámbito ({ambito})") for f in outside]
            raise AgreementValidationError(rows)
    return folios


def outside_scope(cur: duckdb.DuckDBPyConnection, folios: list[str], ambito: str) -> list[str]:
    """The folios, among those just written, that lie outside the ámbito (the board's predicate)."""
    in_scope, bound = agreement_sql("a", ambito)
    rows = cur.execute(
        f"SELECT folio FROM acuerdos a WHERE list_contains($folios, folio) AND NOT ({in_scope}) ORDER BY folio",
        {"folios": folios, **bound},
    ).fetchall()
    return [r[0] for r in rows]


def append_history(
    cur: duckdb.DuckDBPyConnection,
    folio: str,
    usuario: str,
    now: datetime,
    campo: str,
    anterior: object,
    nuevo: object,
    comentario: str | None,
    en_nombre_de: str | None = None,
) -> int:
    """Append one history row (the only write acuerdos_historial ever receives); return its id.

    `usuario` is the person; `en_nombre_de` the directorate (or DG) they acted for.
    """
    history_id = next_id(cur, "seq_acuerdos_historial")
    cur.execute(
        "INSERT INTO acuerdos_historial (id, folio, usuario, fecha, campo, valor_anterior, valor_nuevo, comentario) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            history_id,
            folio,
            usuario,
            now,
            campo,
            None if anterior is None else _text(anterior),
            None if nuevo is None else _text(nuevo),
            comentario,
        ],
    )
    if en_nombre_de:
        cur.execute("INSERT INTO acuerdos_historial_en_nombre VALUES (?, ?)", [history_id, en_nombre_de])
    return history_id


def _text(x: object) -> str:
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)
