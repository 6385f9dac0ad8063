"""SQL for KPIs over a date range and a scope, optionally grouped; always bound parameters.

One query reads one dataset for every KPI asked of it: each KPI contributes a pair of
columns n<i>, d<i> (numerator, denominator). Flows sum the months of the range; stocks
take the range's last month with data (a FILTER on that month); ratios are ratios of
sums, never averages of ratios.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from access.scope import directorate_sql
from indicators.aggregate import grouping, measure_columns, ranges_cte, row_conditions, scope_predicate
from indicators.definitions import FLOW, RATIO, STOCK, Kpi
from indicators.grains import GRAINED, grained_sql
from indicators.periods import Scope, cut
from indicators.sums import total
from warehouse import clock

GROUP_COLUMNS = {"region": "o.region", "ooad": "f.cve_ooad", "entidad": "o.cve_entidad"}


def uses_last_month(kpi: Kpi) -> bool:
    """Stocks, and ratios of stocks, are read from the period's last month."""
    return kpi.agregacion == STOCK or (kpi.agregacion == RATIO and kpi.base_razon == STOCK)


# Detail tables below the OOAD beside a dataset: read for a scope or a breakdown at their level
# only. UMAE (warehouse/migrations/094_umae.sql) are part of their OOAD; the medical units
# (096_unidades.sql) partition it. OOAD, region and national figures never read them.
DETAIL_TABLES = {"umae": {"consultas": "consultas_umae"}, "unidad": {"consultas": "consultas_unidad"}}
DETAIL_SOURCES = {
    "umae": "JOIN umae o ON o.cve_umae = f.cve_umae",
    "unidad": "JOIN unidades x ON x.cve_unidad = f.cve_unidad JOIN ooad o ON o.cve_ooad = x.cve_ooad",
}
DETAIL_KEYS = {"umae": "f.cve_umae", "unidad": "f.cve_unidad"}


def detail_level(fuente: str, scope: Scope, group: str | None) -> str | None:
    """The level below the OOAD whose table a question reads (its scope or breakdown), if any."""
    for level, tables in DETAIL_TABLES.items():
        if fuente in tables and level in (scope.level, group):
            return level
    return None


def dataset_sql(
    fuente: str,
    kpis: Sequence[Kpi],
    ranges: Sequence[tuple[date, date]],
    scope: Scope,
    group: str | None,
    grained: bool = False,
    floating: frozenset[str] = frozenset(),
) -> tuple[str, list]:
    """One query over a fact table for several KPIs and date ranges.

    `grained`: the dataset also holds state or national rows (indicators/grains.py); without
    them the plain OOAD query below gives the same numbers, faster. `floating`: the dataset's
    DOUBLE columns (summed exactly, see `total`).

    Columns: rango (index into ranges), [grupo], n0, d0, n1, d1, … A series (group
    'periodo') groups the months of the ranges instead of reading the last one.
    """
    geo = fuente != "finanzas"
    yearly = all(k.frecuencia == "anual" for k in kpis)
    series = group == "periodo"
    last = not series and not yearly and any(uses_last_month(k) for k in kpis)
    detail = detail_level(fuente, scope, group)
    if grained and fuente in GRAINED and not yearly and not detail:
        return grained_sql(
            fuente, kpis, ranges, scope, group, last, [uses_last_month(k) for k in kpis], floating
        )
    ctes, params = ranges_cte(ranges)
    table = DETAIL_TABLES[detail][fuente] if detail else fuente
    if detail:
        source = f"{table} f {DETAIL_SOURCES[detail]}"
    else:
        source = f"{fuente} f" + (" JOIN ooad o ON o.cve_ooad = f.cve_ooad" if geo else "")
    if yearly and not series:
        # a yearly survey: the latest one up to the range's end
        ctes += (
            f", ultimo AS (SELECT r, max(anio) AS a FROM {fuente}, rangos WHERE anio <= year(e) GROUP BY r)"
        )
        source += " JOIN ultimo u ON f.anio = u.a JOIN rangos rg ON rg.r = u.r"
    elif yearly:
        source += " JOIN rangos rg ON f.anio BETWEEN year(rg.s) AND year(rg.e)"
    else:
        source += " JOIN rangos rg ON f.periodo BETWEEN rg.s AND rg.e"
        if last:
            ctes += f", ultimo AS (SELECT r, max(periodo) AS p FROM {table}, rangos WHERE periodo BETWEEN s AND e GROUP BY r)"
            source += " LEFT JOIN ultimo u ON u.r = rg.r"
    if detail:
        where, scope_params = scope_predicate(
            scope, "o.region", "o.cve_ooad", "o.cve_entidad", DETAIL_KEYS[detail]
        )
    else:
        where, scope_params = (
            scope_predicate(scope, "o.region", "f.cve_ooad", "o.cve_entidad") if geo else ("TRUE", [])
        )
    conditions = [row_conditions(k, last and uses_last_month(k)) for k in kpis]
    cols = measure_columns(kpis, conditions, floating)
    key: str | None
    if series:
        key = "make_date(f.anio, 1, 1)" if yearly else "f.periodo"
    else:
        columns = (
            GROUP_COLUMNS | {"ooad": "o.cve_ooad", detail: DETAIL_KEYS[detail]} if detail else GROUP_COLUMNS
        )
        key = columns.get(group) if group else None
    keys, group_by = grouping("rg.r", key)
    sql = f"WITH {ctes} SELECT {', '.join(keys + cols)} FROM {source} WHERE {where} {group_by}"
    return sql, params + scope_params


AGREEMENT_OPEN_STATES = ("Registrado", "En proceso", "Solicitud de conclusión")


def agreement_states_sql(rows: str, cut: str) -> str:
    """A SELECT of every row of relation `rows` (agreement columns and the day column `cut`)
    with the agreement's state on that day: `estado_al`, `abierto`, `vencido`.

    The one rule for every agreement figure (board, Resumen, report, meetings, engine, CLI). The
    state is rebuilt from acuerdos_historial: the last state recorded on or before the cut, else
    the state the first later change started from, else today's state. A conclusion counts from
    its fecha_conclusion, the date the catalog's flows count by: validated after the cut, the
    agreement was still open on it. Open = Registrado, En proceso or Solicitud de conclusión;
    overdue = open with fecha_compromiso before the cut.
    """
    days = (
        "(SELECT folio, fecha::DATE AS dia, arg_max(valor_nuevo, id) AS cierre,"
        " arg_min(valor_anterior, id) AS apertura FROM acuerdos_historial WHERE campo = 'estado'"
        " GROUP BY folio, fecha::DATE)"
    )
    open_states = ", ".join(f"'{s}'" for s in AGREEMENT_OPEN_STATES)
    return f"""SELECT x.*, x.estado_al IN ({open_states}) AS abierto,
        coalesce(x.estado_al IN ({open_states}) AND x.fecha_compromiso < x.{cut}, false) AS vencido
    FROM (
        SELECT r.*, CASE
            WHEN r.estado = 'Concluido' AND r.fecha_conclusion <= r.{cut} THEN 'Concluido'
            WHEN coalesce(antes.cierre, despues.apertura, r.estado) = 'Concluido' THEN 'En proceso'
            ELSE coalesce(antes.cierre, despues.apertura, r.estado) END AS estado_al
        FROM {rows} r
        ASOF LEFT JOIN {days} antes ON antes.folio = r.folio AND r.{cut} >= antes.dia
        ASOF LEFT JOIN {days} despues ON despues.folio = r.folio AND r.{cut} < despues.dia
    ) x"""


# Over the agreements as of each range's cut `c` (its start `s`, its cut `d`): flows count the
# range's events up to the cut, stocks the state on it.
_AGREEMENT_MEASURES = {
    "registrados": ("count_if(c.fecha_registro BETWEEN c.s AND c.d)", "NULL"),
    "concluidos": ("count_if(c.estado_al = 'Concluido' AND c.fecha_conclusion BETWEEN c.s AND c.d)", "NULL"),
    "cumplimiento": (
        "count_if(c.estado_al = 'Concluido')",
        "count_if(c.estado_al <> 'Cancelado')",
    ),
    "vencidos": ("count_if(c.vencido)", "NULL"),
}


def agreements_sql(
    kpis: Sequence[Kpi],
    ranges: Sequence[tuple[date, date]],
    scope: Scope,
    group: str | None,
    direccion: str | None = None,
    today: date | None = None,
) -> tuple[str, list]:
    """Agreements KPIs as of each range's cut (`cut`: its last day, or `today` while it runs).

    Flows count events from the range's start to the cut; stocks are the state on the cut
    (`agreement_state_sql`). `direccion` restricts to agreements where that directorate is
    responsible or co-responsible. Columns: rango, [grupo], n0, d0, … as in dataset_sql; a
    series has one row per month.
    """
    day = today or clock.today()
    if group == "periodo":
        start, end = ranges[0]
        months = (
            "SELECT 0 AS r, g::DATE AS s, least((g + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE, ?::DATE) AS d "
            "FROM generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH) t(g)"
        )
        params: list = [day, start, end]
    else:
        months = " UNION ALL ".join(
            f"SELECT {i} AS r, ?::DATE AS s, ?::DATE AS d" for i in range(len(ranges))
        )
        params = [d for start, end in ranges for d in (start, cut(end, day))]
    where = ["a.fecha_registro <= m.d"]
    predicate, scope_params = scope_predicate(scope, "a.region", "a.cve_ooad")
    where.append(predicate)
    params += scope_params
    if direccion:
        where.append(directorate_sql("a"))
        params += [direccion, direccion]
    if group == "ooad":
        where.append("a.cve_ooad IS NOT NULL")
    cols = []
    for i, kpi in enumerate(kpis):
        num, den = _AGREEMENT_MEASURES[kpi.numerador]
        cols += [f"{num} AS n{i}", f"{den} AS d{i}"]
    keys, group_by = grouping(
        "c.r", {"periodo": "c.s", "region": "c.region", "ooad": "c.cve_ooad"}.get(group or "")
    )
    # LEFT JOIN: every month appears in a series, also those without agreements
    sql = (
        f"WITH m AS ({months}), j AS (SELECT m.r, m.s, m.d, a.* FROM m LEFT JOIN acuerdos a "
        f"ON {' AND '.join(where)}), c AS ({agreement_states_sql('j', 'd')}) "
        f"SELECT {', '.join(keys + cols)} FROM c {group_by}"
    )
    return sql, params


def metas_sql(kpi_ids: Sequence[str], start: date, end: date, ambitos: Sequence[str]) -> tuple[str, list]:
    """Targets per KPI and ambito over a range: their sum (for flows) and the last month's (others)."""
    sql = (
        f"SELECT kpi, ambito, {total('valor', floating=True)} AS total, arg_max(valor, periodo) AS ultimo FROM metas "
        "WHERE kpi IN (SELECT unnest(?::VARCHAR[])) AND ambito IN (SELECT unnest(?::VARCHAR[])) "
        "AND periodo BETWEEN ? AND ? GROUP BY kpi, ambito"
    )
    return sql, [list(kpi_ids), list(ambitos), start, end]


def monthly_metas_sql(
    kpi_ids: Sequence[str], start: date, end: date, ambitos: Sequence[str]
) -> tuple[str, list]:
    """Every month's target per KPI and ambito (for trend lines)."""
    sql = (
        "SELECT kpi, periodo, ambito, valor AS meta FROM metas "
        "WHERE kpi IN (SELECT unnest(?::VARCHAR[])) AND ambito IN (SELECT unnest(?::VARCHAR[])) "
        "AND periodo BETWEEN ? AND ?"
    )
    return sql, [list(kpi_ids), list(ambitos), start, end]


def meta_of(kpi: Kpi, total: float | None, last: float | None) -> float | None:
    """The target of a period: summed for flows, the last month's for stocks and ratios."""
    return total if kpi.agregacion == FLOW else last
