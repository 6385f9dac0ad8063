"""SQL over a dataset stored at several grains: by OOAD (`t`), by state (`t_entidad`), national (`t_nacional`).

Which rows answer a question, per KPI, range, month and state:
- an OOAD scope or breakdown reads OOAD rows only (a state's total is never split into offices);
- a state, region or national question reads, for each state, its OOAD rows if the month has
  any for the KPI's numerator, else its state row: one grain per state, so nothing is counted
  twice when a state series and an OOAD series hold the same months;
- a national question reads the national row when the month has one and the state-level rows
  do not cover every state; else the sum of the states.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from indicators.aggregate import grouping, measure_columns, ranges_cte, row_conditions, scope_predicate
from indicators.definitions import Kpi
from indicators.periods import Scope
from warehouse import per_snapshot, query_rows

# Monthly datasets kept at the three grains (warehouse/migrations/040_granos.sql).
GRAINED = ("consultas", "afiliacion", "guarderias", "incapacidades", "recetas", "plazas")
GROUP_COLUMNS = {"region": "f._reg", "ooad": "f._ooad", "entidad": "f._ent", "periodo": "f.periodo"}
GRAIN_OOAD, GRAIN_STATE, GRAIN_NATIONAL = 0, 1, 2


def grains_for(scope: Scope, group: str | None) -> tuple[int, ...]:
    """The grains that can answer a scope and grouping."""
    if scope.level == "ooad" or group == "ooad":
        return (GRAIN_OOAD,)
    if scope.level != "nacional" or group in ("region", "entidad"):
        return (GRAIN_OOAD, GRAIN_STATE)
    return (GRAIN_OOAD, GRAIN_STATE, GRAIN_NATIONAL)


def source_sql(fuente: str, grains: Sequence[int]) -> str:
    """Every row of the dataset at the given grains, with _g (grain), _ooad, _ent and _reg."""
    parts = []
    if GRAIN_OOAD in grains:
        parts.append(
            f"SELECT f.* EXCLUDE (cve_ooad, carga_id), {GRAIN_OOAD} AS _g, f.cve_ooad AS _ooad,"
            f" o.cve_entidad AS _ent, o.region AS _reg FROM {fuente} f JOIN ooad o ON o.cve_ooad = f.cve_ooad"
        )
    if GRAIN_STATE in grains:
        parts.append(
            f"SELECT f.* EXCLUDE (cve_entidad, carga_id), {GRAIN_STATE} AS _g, NULL::VARCHAR AS _ooad,"
            f" f.cve_entidad AS _ent, r.region AS _reg FROM {fuente}_entidad f LEFT JOIN"
            " (SELECT cve_entidad, min(region) AS region FROM ooad GROUP BY 1) r ON r.cve_entidad = f.cve_entidad"
        )
    if GRAIN_NATIONAL in grains:
        parts.append(
            f"SELECT f.* EXCLUDE (carga_id), {GRAIN_NATIONAL} AS _g, NULL::VARCHAR AS _ooad,"
            f" NULL::VARCHAR AS _ent, NULL::VARCHAR AS _reg FROM {fuente}_nacional f"
        )
    return " UNION ALL BY NAME ".join(parts)


def _used(i: int) -> str:
    """Row predicate: this row is the grain that answers KPI i for its month and state."""
    return (
        f"CASE WHEN f._n{i} > 0 AND f._c{i} < (SELECT count(*) FROM entidades) THEN f._g = {GRAIN_NATIONAL}"
        f" ELSE f._g < {GRAIN_NATIONAL} AND f._g = f._m{i} END"
    )


def grained_sql(
    fuente: str,
    kpis: Sequence[Kpi],
    ranges: Sequence[tuple[date, date]],
    scope: Scope,
    group: str | None,
    last_month: bool,
    uses_last: Sequence[bool],
    floating: frozenset[str] = frozenset(),
) -> tuple[str, list]:
    """Like queries.dataset_sql for a grained monthly dataset: rango, [grupo], n0, d0, n1, d1, …"""
    rangos, params = ranges_cte(ranges)
    where, scope_params = scope_predicate(scope, "_reg", "_ooad", "_ent")
    windows = []
    for i, kpi in enumerate(kpis):
        has = f"f.{kpi.numerador} IS NOT NULL"
        windows += [
            f"min(f._g) FILTER (WHERE f._g < {GRAIN_NATIONAL} AND {has}) OVER (PARTITION BY f.r, f.periodo, f._ent) AS _m{i}",
            f"count(DISTINCT f._ent) FILTER (WHERE f._g < {GRAIN_NATIONAL} AND {has}) OVER (PARTITION BY f.r, f.periodo) AS _c{i}",
            f"count(*) FILTER (WHERE f._g = {GRAIN_NATIONAL} AND {has}) OVER (PARTITION BY f.r, f.periodo) AS _n{i}",
        ]
    ctes = [
        rangos,
        f"src AS ({source_sql(fuente, grains_for(scope, group))})",
        f"sel AS (SELECT s.*, rg.r FROM src s JOIN rangos rg ON s.periodo BETWEEN rg.s AND rg.e WHERE {where})",
        f"w AS (SELECT f.*, {', '.join(windows)} FROM sel f)",
    ]
    source = "w f"
    if last_month:
        ctes.append("ultimo AS (SELECT r, max(periodo) AS p FROM sel GROUP BY r)")
        source += " LEFT JOIN ultimo u ON u.r = f.r"
    conditions = [[_used(i), *row_conditions(k, last_month and uses_last[i])] for i, k in enumerate(kpis)]
    cols = measure_columns(kpis, conditions, floating)
    keys, group_by = grouping("f.r", GROUP_COLUMNS.get(group) if group else None)
    sql = f"WITH {', '.join(ctes)} SELECT {', '.join(keys + cols)} FROM {source} {group_by}"
    return sql, params + scope_params


@per_snapshot
def coarse_datasets(db: Path | str | None = None) -> set[str]:
    """The grained datasets that hold any state or national row (the others read OOAD rows only)."""
    sql = " UNION ALL ".join(
        f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {t}_entidad) OR EXISTS (SELECT 1 FROM {t}_nacional)"
        for t in GRAINED
    )
    return {r[0] for r in query_rows(sql, path=db)}


def coarser_sql(fuente: str, start: date, end: date) -> tuple[str, list]:
    """The grains other than OOAD that hold rows of the dataset in [start, end]: 'entidad', 'nacional'."""
    sql = (
        f"SELECT 'entidad' FROM {fuente}_entidad WHERE periodo BETWEEN ? AND ? HAVING count(*) > 0"
        f" UNION ALL SELECT 'nacional' FROM {fuente}_nacional WHERE periodo BETWEEN ? AND ? HAVING count(*) > 0"
    )
    return sql, [start, end, start, end]
