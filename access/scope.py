"""The SQL predicates that cut data to a person's scope, written once for every room.

A person's ámbito is `nacional`, `region:NOMBRE` or `ooad:CLAVE` (access.users checks it).
Two questions are asked of it:

- which agreements it covers (`agreement_sql`): the board's rule, by the agreement's region or
  OOAD, used by every door to an agreement (board, record by folio, history, evidence, writes,
  notices, meeting packs);
- which scopes it covers (`codes_within`): the scope codes (region, entidad, OOAD, UMAE, unit)
  lying inside it, for what is filed under a scope code (KPI commentary, alerts, follows).
"""

from __future__ import annotations

from pathlib import Path

from warehouse import query_rows
from warehouse.catalogs import umae_name_sql

Db = Path | str | None
NATIONAL = "nacional"


def directorate_sql(alias: str, param: str = "?") -> str:
    """The agreement `alias` belongs to the directorate bound at `param`, as responsible or co-responsible.

    With the positional `?` the directorate is bound twice; with a named `$param`, once.
    """
    return (
        f"({alias}.cve_direccion = {param} OR {alias}.folio IN "
        f"(SELECT folio FROM acuerdos_corresponsables WHERE cve_direccion = {param}))"
    )


def _agreement_column(ambito: str | None) -> tuple[str, str] | None:
    """The agreements' column an ámbito cuts on and its value (None: nacional, no cut).

    Nacional (or None) covers every agreement; `region:X` the agreements of region X;
    `ooad:NN` those of OOAD NN.
    """
    level, _, key = (ambito or NATIONAL).partition(":")
    column = {"region": "region", "ooad": "cve_ooad"}.get(level)
    return None if column is None else (column, key)


def agreement_sql(alias: str, ambito: str | None, param: str = "ambito_clave") -> tuple[str, dict[str, str]]:
    """The agreement `alias` lies in the ámbito: (SQL with the named `$param`, its binding)."""
    cut = _agreement_column(ambito)
    return ("TRUE", {}) if cut is None else (f"{alias}.{cut[0]} = ${param}", {param: cut[1]})


def agreement_where(alias: str, ambito: str | None) -> tuple[str, list[str]]:
    """`agreement_sql` with a positional `?` (for queries bound by position)."""
    cut = _agreement_column(ambito)
    return ("TRUE", []) if cut is None else (f"{alias}.{cut[0]} = ?", [cut[1]])


def agreement_of_person_sql(agreement: str, ambito_column: str) -> str:
    """The agreement `agreement` lies in the ámbito held by a column (e.g. a person's `u.ambito`):
    `agreement_sql` for a whole query of people at once (the daily digest)."""
    a, scope = agreement, f"coalesce({ambito_column}, '{NATIONAL}')"
    return (
        f"({scope} = '{NATIONAL}' OR {scope} = 'region:' || {a}.region OR {scope} = 'ooad:' || {a}.cve_ooad)"
    )


def agreement_in_scope(folio: str, ambito: str | None, db: Db = None) -> bool:
    """Whether the agreement exists and lies in the ámbito (False for both «no» answers alike)."""
    where, params = agreement_sql("a", ambito)
    sql = f"SELECT 1 FROM acuerdos a WHERE a.folio = $folio AND {where}"
    return bool(query_rows(sql, {"folio": folio, **params}, db))


_HELD = {
    "region": """
        SELECT 'region:' || $key
        UNION ALL SELECT 'ooad:' || cve_ooad FROM ooad WHERE region = $key
        UNION ALL SELECT DISTINCT 'entidad:' || cve_entidad FROM ooad WHERE region = $key
        UNION ALL SELECT 'umae:' || u.cve_umae FROM umae u JOIN ooad o ON o.cve_ooad = u.cve_ooad
            WHERE o.region = $key
        UNION ALL SELECT 'unidad:' || u.cve_unidad FROM unidades u JOIN ooad o ON o.cve_ooad = u.cve_ooad
            WHERE o.region = $key
    """,
    "ooad": """
        SELECT 'ooad:' || $key
        UNION ALL SELECT 'umae:' || cve_umae FROM umae WHERE cve_ooad = $key
        UNION ALL SELECT 'unidad:' || cve_unidad FROM unidades WHERE cve_ooad = $key
    """,
}


def codes_within(ambito: str | None, db: Db = None) -> list[str] | None:
    """The scope codes inside the ámbito (None: nacional, which holds every scope).

    A region holds itself, its OOAD, its states, and the UMAE and units of its OOAD; an OOAD
    holds itself and its UMAE and units (the engine's rule, `indicators.engine.intersect`).
    """
    level, _, key = (ambito or NATIONAL).partition(":")
    if level not in _HELD:
        return None
    return [str(r[0]) for r in query_rows(_HELD[level], {"key": key}, db)]


def within_sql(column: str, codes: list[str] | None, param: str = "?") -> str:
    """`column` (a scope code) is one of `codes` (bound as a list at `param`); TRUE when codes is None."""
    return "TRUE" if codes is None else f"list_contains({param}, {column})"


_NAMED = {
    "entidad": ("entidad", "SELECT nombre FROM entidades WHERE cve_entidad = ?"),
    "ooad": ("OOAD", "SELECT nombre FROM ooad WHERE cve_ooad = ?"),
    "umae": ("UMAE", f"SELECT {umae_name_sql('u')} FROM umae u WHERE cve_umae = ?"),
    "unidad": ("unidad médica", "SELECT nombre FROM unidades WHERE cve_unidad = ?"),
}


def scope_name(ambito: str, db: Db = None) -> str:
    """«nacional», «región Centro», «OOAD Jalisco», «UMAE Hospital de Especialidades, CMN La Raza»,
    «unidad médica UMF 20 Vallejo» (a code missing from the catalogs keeps its code: «OOAD 77»)."""
    level, _, key = ambito.partition(":")
    if level == "region":
        return f"región {key}"
    if level not in _NAMED:
        return "nacional"
    noun, sql = _NAMED[level]
    rows = query_rows(sql, [key], path=db)
    return f"{noun} {rows[0][0] if rows else key}"
