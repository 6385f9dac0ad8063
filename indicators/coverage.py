"""Coverage per period: which keys each dataset holds for each month, and which months are complete.

A month is complete when its OOAD rows cover every OOAD, or its rows (OOAD and state rows
together) cover every state, or it holds only a national row. Anything else is partial and is
shown as such («parcial: 3 de 35 OOAD»); the dashboard's default period is the latest complete one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from indicators.grains import GRAINED
from warehouse import per_snapshot, query_rows
from warehouse.connection import is_shared

Db = Path | str | None
# The reference dataset of the scorecard's current period (monthly, every OOAD, every month).
SCORECARD_DATASET = "consultas"
_OFFICES = "SELECT cve_ooad FROM ooad WHERE cve_ooad <> '99'"  # «Sin asignar» is not an office


@per_snapshot
def coverage(fuente: str, db: Db = None, month: date | None = None) -> dict[date, str | None]:
    """Every month the dataset holds (or only `month`): None when complete, else «parcial: n de N OOAD»."""
    only = "periodo = ?" if month else "TRUE"
    if fuente not in GRAINED:
        rows = query_rows(f"SELECT DISTINCT periodo FROM {fuente} WHERE {only}", [month] if month else [], db)
        return {r[0]: None for r in rows}
    rows = query_rows(
        f"WITH o AS (SELECT f.periodo, count(DISTINCT f.cve_ooad) AS n FROM {fuente} f"
        f"  WHERE {only} AND f.cve_ooad IN ({_OFFICES}) GROUP BY 1),"
        f" e AS (SELECT periodo, count(*) AS n FROM {fuente}_entidad WHERE {only} GROUP BY 1),"
        f" n AS (SELECT DISTINCT periodo FROM {fuente}_nacional WHERE {only}),"
        f" s AS (SELECT periodo, count(DISTINCT cve_entidad) AS n FROM (SELECT f.periodo, o.cve_entidad"
        f"  FROM {fuente} f JOIN ooad o USING (cve_ooad) WHERE {only}"
        f"  UNION SELECT periodo, cve_entidad FROM {fuente}_entidad WHERE {only})"
        "  WHERE cve_entidad IN (SELECT cve_entidad FROM entidades) GROUP BY 1),"
        f" p AS (SELECT periodo FROM o UNION SELECT periodo FROM e UNION SELECT periodo FROM n"
        f"  UNION SELECT DISTINCT periodo FROM {fuente} WHERE {only})"
        f" SELECT p.periodo, o.n, e.n, n.periodo IS NOT NULL, coalesce(s.n, 0),"
        f" ({_OFFICES.replace('cve_ooad FROM', 'count(*) FROM')}), (SELECT count(*) FROM entidades)"
        " FROM p LEFT JOIN o USING (periodo) LEFT JOIN e USING (periodo) LEFT JOIN n USING (periodo)"
        " LEFT JOIN s USING (periodo)",
        [month] * 6 if month else [],
        db,
    )
    out: dict[date, str | None] = {}
    for month, offices, states, national, covered, all_offices, all_states in rows:
        complete = (
            offices == all_offices or covered == all_states or (national and not offices and not states)
        )
        if complete:
            out[month] = None
        elif offices:
            out[month] = f"parcial: {offices} de {all_offices} OOAD"
        else:
            out[month] = f"parcial: {covered} de {all_states} entidades"
    return out


@per_snapshot
def partial_months(fuentes: set[str], month: date, db: Db = None) -> dict[str, str | None]:
    """Per grained dataset, the coverage note of one month; one cheap query when all OOAD are there."""
    grained = sorted(f for f in fuentes if f in GRAINED)
    if not grained:
        return {}
    if is_shared(db):  # a lake query costs per table read, not per row: every month at once, kept
        return {f: coverage(f, db).get(month) for f in grained}
    sql = " UNION ALL ".join(
        f"SELECT '{f}', count(DISTINCT cve_ooad) >= ({_OFFICES.replace('cve_ooad FROM', 'count(*) FROM')})"
        f" FROM {f} WHERE periodo = ? AND cve_ooad IN ({_OFFICES})"
        for f in grained
    )
    full = {f for f, ok in query_rows(sql, [month] * len(grained), db) if ok}
    return {f: None if f in full else coverage(f, db, month).get(month) for f in grained}


def latest_complete(fuente: str = SCORECARD_DATASET, db: Db = None) -> date | None:
    """The latest complete month of a dataset (its latest month when none is complete)."""
    months = coverage(fuente, db)
    complete = [m for m, partial in months.items() if partial is None]
    if complete:
        return max(complete)
    return max(months) if months else None
