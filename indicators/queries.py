"""SQL for one KPI over a date range and a scope, optionally grouped; always bound parameters.

Each builder returns (sql, params) for a query whose columns are [grupo], num, den.
Flows sum the months of the range; stocks take the range's last month with data;
ratios are ratios of sums (never averages of ratios).
"""

from __future__ import annotations

from datetime import date

from indicators.definitions import FLOW, RATIO, STOCK, Kpi
from indicators.periods import Scope, month_end

GEO_GROUPS = {
    "region": ("o.region", "o.region"),
    "ooad": ("f.cve_ooad", "f.cve_ooad"),
    "entidad": ("o.cve_entidad", "o.cve_entidad"),
}


def uses_last_month(kpi: Kpi) -> bool:
    """Stocks, and ratios of stocks, are read from the period's last month."""
    return kpi.agregacion == STOCK or (kpi.agregacion == RATIO and kpi.base_razon == STOCK)


def _scope_predicate(scope: Scope, region_col: str, ooad_col: str) -> tuple[str, list]:
    if scope.level == "region":
        return f"{region_col} = ?", [scope.key]
    if scope.level == "ooad":
        return f"{ooad_col} = ?", [scope.key]
    return "TRUE", []


def dataset_sql(kpi: Kpi, start: date, end: date, scope: Scope, group: str | None) -> tuple[str, list]:
    """Query for a KPI read from a monthly (or yearly) fact table."""
    geo = kpi.fuente != "finanzas"
    source = f"{kpi.fuente} f" + (" JOIN ooad o ON o.cve_ooad = f.cve_ooad" if geo else "")
    num = f"sum(f.{kpi.numerador})"
    den = f"sum(f.{kpi.denominador})" if kpi.denominador else "NULL"
    where: list[str] = []
    params: list = []
    yearly = kpi.frecuencia == "anual"
    time_col = "f.anio" if yearly else "f.periodo"
    if group == "periodo":
        where.append(f"{time_col} BETWEEN ? AND ?")
        params += [start.year, end.year] if yearly else [start, end]
        select_group = "make_date(f.anio, 1, 1)" if yearly else "f.periodo"
    else:
        if yearly:
            where.append(f"f.anio = (SELECT max(anio) FROM {kpi.fuente} WHERE anio <= ?)")
            params.append(end.year)
        elif uses_last_month(kpi):
            where.append(f"f.periodo = (SELECT max(periodo) FROM {kpi.fuente} WHERE periodo BETWEEN ? AND ?)")
            params += [start, end]
        else:
            where.append("f.periodo BETWEEN ? AND ?")
            params += [start, end]
        select_group = GEO_GROUPS[group][0] if group else None
    if kpi.filtro:
        where.append(f"f.{kpi.filtro}")
    if geo:
        predicate, scope_params = _scope_predicate(scope, "o.region", "f.cve_ooad")
        where.append(predicate)
        params += scope_params
    cols = f"{num} AS num, {den} AS den"
    if select_group:
        sql = f"SELECT {select_group} AS grupo, {cols} FROM {source} WHERE {' AND '.join(where)} GROUP BY 1 ORDER BY 1"
    else:
        sql = f"SELECT {cols} FROM {source} WHERE {' AND '.join(where)}"
    return sql, params


_AGREEMENT_MEASURES = {
    "registrados": ("count_if(a.fecha_registro BETWEEN m.s AND m.d)", "NULL"),
    "concluidos": ("count_if(a.estado = 'Concluido' AND a.fecha_conclusion BETWEEN m.s AND m.d)", "NULL"),
    "cumplimiento": (
        "count_if(a.estado = 'Concluido' AND a.fecha_conclusion <= m.d)",
        "count_if(a.fecha_registro <= m.d AND a.estado <> 'Cancelado')",
    ),
    "vencidos": (
        "count_if(a.fecha_registro <= m.d AND a.fecha_compromiso < m.d AND a.estado <> 'Cancelado'"
        " AND (a.fecha_conclusion IS NULL OR a.fecha_conclusion > m.d))",
        "NULL",
    ),
}


def agreements_sql(
    kpi: Kpi, start: date, end: date, scope: Scope, group: str | None, direccion: str | None = None
) -> tuple[str, list]:
    """Query for an agreements KPI: flows count events in [s, d], stocks are counted as of d.

    `direccion` restricts to agreements where that directorate is responsible or co-responsible.
    """
    num, den = _AGREEMENT_MEASURES[kpi.numerador]
    params: list = []
    if group == "periodo":
        months = (
            "SELECT g::DATE AS s, (g + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS d "
            "FROM generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH) t(g)"
        )
        params += [start, end]
    else:
        months = "SELECT ?::DATE AS s, ?::DATE AS d"
        params += [start if kpi.agregacion == FLOW else date(1900, 1, 1), month_end(end)]
    where = ["TRUE"]
    predicate, scope_params = _scope_predicate(scope, "a.region", "a.cve_ooad")
    where.append(predicate)
    params += scope_params
    if direccion:
        where.append(
            "(a.cve_direccion = ? OR a.folio IN "
            "(SELECT folio FROM acuerdos_corresponsables WHERE cve_direccion = ?))"
        )
        params += [direccion, direccion]
    if group == "ooad":
        where.append("a.cve_ooad IS NOT NULL")
    select_group = {"periodo": "m.s", "region": "a.region", "ooad": "a.cve_ooad", None: None}[group]
    cols = f"{num} AS num, {den} AS den"
    base = f"WITH m AS ({months}) SELECT "
    body = f" FROM m, acuerdos a WHERE {' AND '.join(where)}"
    if group == "periodo":
        # every month appears, also those without agreements
        body = f" FROM m LEFT JOIN acuerdos a ON {' AND '.join(where)}"
    if select_group:
        return f"{base}{select_group} AS grupo, {cols}{body} GROUP BY 1 ORDER BY 1", params
    return f"{base}{cols}{body}", params


def measure_sql(
    kpi: Kpi, start: date, end: date, scope: Scope, group: str | None = None, direccion: str | None = None
) -> tuple[str, list]:
    """The query for any KPI of the catalog."""
    if kpi.fuente == "acuerdos":
        return agreements_sql(kpi, start, end, scope, group, direccion)
    return dataset_sql(kpi, start, end, scope, group)


def meta_sql(kpi: Kpi, start: date, end: date, ambitos: list[str]) -> tuple[str, list]:
    """Targets for each ambito: flows sum the months; stocks and ratios take the last month."""
    marks = ", ".join("?" for _ in ambitos)
    if kpi.agregacion == FLOW:
        sql = (
            f"SELECT ambito, sum(valor) AS meta FROM metas WHERE kpi = ? AND ambito IN ({marks}) "
            "AND periodo BETWEEN ? AND ? GROUP BY ambito"
        )
    else:
        sql = (
            f"SELECT ambito, arg_max(valor, periodo) AS meta FROM metas WHERE kpi = ? AND ambito IN ({marks}) "
            "AND periodo BETWEEN ? AND ? GROUP BY ambito"
        )
    return sql, [kpi.id, *ambitos, start, end]
