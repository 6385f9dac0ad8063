"""Regional meetings as records: created by Planeación, with participants, mesas, themes and minutes.

A meeting (table `reuniones`) has a round (`ciclo`, e.g. «2023»), a number (`ronda`: the 8 of
«8ª Reunión Regional Centro»), a region, dates, venue, the OOAD and UMAE that took part, the
mesas and transversal themes worked, and its minutes as a file. Agreements link to it by
`cve_reunion` (registration form and the `acuerdos_registro` bulk load). Its follow-up pack is
`follow_up` (status per mesa, per OOAD/UMAE, overdue list with responsible).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from access.scope import codes_within, directorate_sql, scope_name
from agreements import board as ag
from agreements import evidence as ev
from agreements.register import AgreementError
from agreements.rights import Actor
from warehouse import clock, query_df, query_rows, transaction
from warehouse.audit import audit
from warehouse.catalogs import umae_name_sql

Db = Path | str | None
CREATORS = frozenset({"planeacion", "administrador"})
MINUTES_TYPES = ("pdf", "docx")


@dataclass(frozen=True)
class Meeting:
    cve_reunion: str
    nombre: str
    ciclo: str
    ronda: int
    region: str
    fecha_inicio: date
    fecha_fin: date
    sede: str = ""
    ooad: tuple[str, ...] = field(default_factory=tuple)
    umae: tuple[str, ...] = field(default_factory=tuple)
    mesas: tuple[str, ...] = field(default_factory=tuple)
    temas: tuple[str, ...] = field(default_factory=tuple)


def _codes(sql: str, db: Db) -> set[str]:
    return {str(r[0]) for r in query_rows(sql, path=db)}


def _problems(m: Meeting, db: Db) -> list[str]:
    out = []
    if not m.cve_reunion.strip():
        out.append("falta la clave de la reunión")
    if not m.nombre.strip():
        out.append("falta el nombre de la reunión")
    if m.region not in _codes("SELECT region FROM regiones", db):
        out.append(f"región desconocida «{m.region}»")
    if m.fecha_fin < m.fecha_inicio:
        out.append("la fecha de término es anterior a la de inicio")
    for label, codes, sql in (
        ("OOAD", m.ooad, "SELECT cve_ooad FROM ooad"),
        ("UMAE", m.umae, "SELECT cve_umae FROM umae"),
        ("mesa", m.mesas, "SELECT cve_mesa FROM mesas"),
        ("tema", m.temas, "SELECT cve_tema FROM temas"),
    ):
        unknown = sorted(set(codes) - _codes(sql, db))
        if unknown:
            out.append(f"{label} desconocido: {', '.join(unknown)}")
    if not m.mesas:
        out.append("indique al menos una mesa de trabajo")
    return out


def create(
    m: Meeting, actor: Actor, minuta: ev.Evidence | None = None, db: Db = None, now: datetime | None = None
) -> str:
    """Create the meeting record (Planeación or an administrator); the minutes are stored as a file."""
    if not CREATORS & actor.roles:
        audit(actor.usuario, "reunion_rechazada", f"{m.cve_reunion}: sin permiso", path=db)
        raise AgreementError("Solo Planeación o un administrador pueden registrar reuniones.")
    problems = _problems(m, db)
    if problems:
        raise AgreementError("No se registró la reunión: " + "; ".join(problems) + ".")
    held = codes_within(actor.ambito, db)  # None: nacional, which holds every region and OOAD
    meeting_scopes = {f"region:{m.region}", *(f"ooad:{o}" for o in m.ooad), *(f"umae:{u}" for u in m.umae)}
    if held is not None and not meeting_scopes <= set(held):
        audit(actor.usuario, "reunion_rechazada", f"{m.cve_reunion}: fuera de su ámbito", path=db)
        raise AgreementError(
            f"Solo puede registrar reuniones dentro de su ámbito ({scope_name(actor.ambito, db)})."
        )
    stored = None
    if minuta is not None:
        ext = minuta.nombre.rsplit(".", 1)[-1].lower() if "." in minuta.nombre else ""
        if ext not in MINUTES_TYPES:
            raise AgreementError(f"La minuta debe ser {' o '.join(MINUTES_TYPES)}: «{minuta.nombre}».")
        stored = ev.store(f"reunion-{m.cve_reunion}", minuta)
    try:
        with transaction(db) as cur:
            if cur.execute("SELECT 1 FROM reuniones WHERE cve_reunion = ?", [m.cve_reunion]).fetchone():
                raise AgreementError(f"Ya existe la reunión «{m.cve_reunion}».")
            cur.execute(
                "INSERT INTO reuniones (cve_reunion, nombre, ronda, region, sede, fecha_inicio, fecha_fin, ciclo,"
                " ooad_participantes, umae_participantes, mesas, temas, minuta_nombre, minuta_ruta, creado_por)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    m.cve_reunion.strip(),
                    m.nombre.strip(),
                    m.ronda,
                    m.region,
                    m.sede.strip() or None,
                    m.fecha_inicio,
                    m.fecha_fin,
                    m.ciclo.strip() or str(m.fecha_inicio.year),
                    sorted(m.ooad),
                    sorted(m.umae),
                    list(m.mesas),
                    list(m.temas),
                    stored.nombre_original if stored else None,
                    stored.ruta if stored else None,
                    actor.usuario,
                ],
            )
            audit(actor.usuario, "reunion_alta", f"{m.cve_reunion}: {m.nombre}", con=cur, when=now)
    except BaseException:
        if stored is not None:
            ev.discard(stored)
        raise
    return m.cve_reunion


def meetings(db: Db = None, *, direccion: str | None = None, ambito: str = "nacional") -> pd.DataFrame:
    """Every meeting with how many agreements it holds (within the viewer's scope), newest first."""
    level, _, key = ambito.partition(":")
    params: list = []
    scope = ""
    if level == "region":
        scope, params = " AND r.region = ?", [key]
    elif level == "ooad":
        scope, params = " AND list_contains(r.ooad_participantes, ?)", [key]
    count_scope = ""
    if direccion:
        count_scope = " AND " + directorate_sql("a")
    sql = f"""
    SELECT r.cve_reunion, r.nombre, coalesce(r.ciclo, CAST(year(r.fecha_inicio) AS VARCHAR)) AS ciclo,
        r.ronda, r.region, r.sede, r.fecha_inicio, r.fecha_fin,
        len(coalesce(r.ooad_participantes, [])) AS n_ooad, len(coalesce(r.umae_participantes, [])) AS n_umae,
        (SELECT count(*) FROM acuerdos a WHERE a.cve_reunion = r.cve_reunion{count_scope}) AS acuerdos
    FROM reuniones r WHERE true{scope}
    ORDER BY r.fecha_inicio DESC, r.cve_reunion
    """
    return query_df(sql, ([direccion, direccion] if direccion else []) + params, db)


def meeting(cve_reunion: str, db: Db = None) -> dict | None:
    """One meeting with the names of its participants (UMAE by their full name), mesas and themes."""
    frame = query_df("SELECT * FROM reuniones WHERE cve_reunion = ?", [cve_reunion], db)
    if frame.empty:
        return None
    record = frame.iloc[0].to_dict()
    for column, table, key in (
        ("ooad_participantes", "ooad", "cve_ooad"),
        ("umae_participantes", "umae", "cve_umae"),
        ("mesas", "mesas", "cve_mesa"),
        ("temas", "temas", "cve_tema"),
    ):
        value = record.get(column)
        codes = [str(c) for c in value] if hasattr(value, "__iter__") and not isinstance(value, str) else []
        name = umae_name_sql(table) if table == "umae" else "nombre"
        names = dict(query_rows(f"SELECT {key}, {name} FROM {table}", path=db))
        record[column] = codes
        record[f"{column.split('_')[0]}_nombres"] = [names.get(c, c) for c in codes]
    return record


@dataclass(frozen=True)
class FollowUp:
    """A meeting's follow-up pack: headline figures, status per mesa and per OOAD/UMAE, overdue list."""

    reunion: dict
    as_of: date
    kpis: ag.BoardKpis
    por_mesa: pd.DataFrame
    por_unidad: pd.DataFrame
    vencidos: pd.DataFrame


def follow_up(
    cve_reunion: str,
    db: Db = None,
    *,
    direccion: str | None = None,
    ambito: str = "nacional",
    as_of: date | None = None,
    desde: date | None = None,
) -> FollowUp:
    """The pack of one meeting, within the viewer's scope, as of the cut (same functions as the
    board; `as_of`, `desde` as in `board.kpis`: pass a period's `board.Cut` as `**cut.span`)."""
    record = meeting(cve_reunion, db)
    if record is None:
        raise AgreementError(f"No existe la reunión «{cve_reunion}».")
    day = as_of or clock.today()
    filtros = ag.BoardFilters(cve_reunion=cve_reunion, ambito=ambito)
    overdue = ag.BoardFilters(cve_reunion=cve_reunion, ambito=ambito, estado=ag.OVERDUE)
    total = ag.count(db, direccion=direccion, as_of=day, filtros=overdue)
    return FollowUp(
        reunion=record,
        as_of=day,
        kpis=ag.kpis(db, direccion=direccion, as_of=day, filtros=filtros, desde=desde),
        por_mesa=ag.breakdown("mesa", db, direccion=direccion, as_of=day, filtros=filtros),
        por_unidad=ag.breakdown("unidad", db, direccion=direccion, as_of=day, filtros=filtros),
        vencidos=ag.agreements(db, direccion=direccion, as_of=day, filtros=overdue, limit=max(total, 1)),
    )
