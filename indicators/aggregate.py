"""The parts every KPI aggregate query shares (indicators/queries.py, indicators/grains.py): the
table of date ranges, the scope's row predicate, each KPI's n<i>/d<i> sums and the grouping keys.

A query answers several KPIs over several ranges at once: its rows are (rango, [grupo], n0, d0,
n1, d1, …), rango being the index of the range and grupo the group column's value.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from indicators.definitions import Kpi
from indicators.periods import Scope
from indicators.sums import total


def ranges_cte(ranges: Sequence[tuple[date, date]]) -> tuple[str, list]:
    """rangos(r, s, e): one row per range, with its bound parameters."""
    rows = ", ".join(f"({i}, ?::DATE, ?::DATE)" for i in range(len(ranges)))
    return f"rangos(r, s, e) AS (VALUES {rows})", [d for pair in ranges for d in pair]


def scope_predicate(
    scope: Scope, region_col: str, ooad_col: str, state_col: str | None = None, detail_col: str | None = None
) -> tuple[str, list]:
    """The rows of the scope, by the columns that hold its key (a level without one: every row).

    `detail_col`: the key column of a table below the OOAD (UMAE, medical unit) for its own scope.
    """
    if scope.level in ("umae", "unidad") and detail_col:
        return f"{detail_col} = ?", [scope.key]
    if scope.level == "region":
        return f"{region_col} = ?", [scope.key]
    if scope.level == "entidad" and state_col:
        return f"{state_col} = ?", [scope.key]
    if scope.level == "ooad":
        return f"{ooad_col} = ?", [scope.key]
    return "TRUE", []


def row_conditions(kpi: Kpi, at_last_month: bool) -> list[str]:
    """The rows a KPI adds: only the range's last month (stocks), only its filter's rows."""
    return (["f.periodo = u.p"] if at_last_month else []) + ([f"f.{kpi.filtro}"] if kpi.filtro else [])


def measure_columns(
    kpis: Sequence[Kpi], conditions: Sequence[Sequence[str]], floating: frozenset[str]
) -> list[str]:
    """n<i>, d<i>: the sums of KPI i's numerator and denominator (NULL without one) over its rows."""
    cols = []
    for i, kpi in enumerate(kpis):
        filt = f" FILTER (WHERE {' AND '.join(conditions[i])})" if conditions[i] else ""
        cols.append(f"{total(f'f.{kpi.numerador}', filt, kpi.numerador in floating)} AS n{i}")
        den = kpi.denominador
        cols.append(f"{total(f'f.{den}', filt, den in floating)} AS d{i}" if den else f"NULL AS d{i}")
    return cols


def grouping(range_col: str, group_col: str | None) -> tuple[list[str], str]:
    """The key columns (rango, [grupo]) and the GROUP BY over them."""
    keys = [f"{range_col} AS rango"] + ([f"{group_col} AS grupo"] if group_col else [])
    return keys, "GROUP BY " + ", ".join(str(i + 1) for i in range(len(keys)))
