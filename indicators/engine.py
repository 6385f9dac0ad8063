"""The KPI engine: value, series and breakdown of catalog KPIs, computed in DuckDB.

Every public function takes several KPIs at once where a screen needs many (one query per
dataset, not per KPI); the single-KPI functions are the same code with one id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, TypedDict

import numpy as np
import pandas as pd

from indicators import queries
from indicators.catalog import CATALOG, get
from indicators.coverage import SCORECARD_DATASET, coverage, latest_complete, partial_months
from indicators.definitions import ANNUAL, FLOW, Kpi
from indicators.grains import GRAINED, coarse_datasets, coarser_sql
from indicators.periods import (
    NATIONAL,
    InvalidArgumentError,
    Period,
    Scope,
    add_months,
    parse_period,
    parse_scope,
)
from indicators.status import attainment, status
from indicators.sums import floating_columns
from warehouse import clock, one_snapshot, per_snapshot, query_df, query_rows, same_snapshot

Db = Path | str | None
BREAKDOWN_COLUMNS = ["clave", "nombre", "region", "valor", "meta", "cumplimiento", "estado"]
# The monthly fact tables the KPIs read (yearly surveys and agreements are dated apart, below).
DATASETS = tuple(dict.fromkeys(k.fuente for k in CATALOG if k.fuente not in ("acuerdos", "satisfaccion")))

__all__ = [
    "InvalidArgumentError",
    "KpiValue",
    "breakdown",
    "breakdowns",
    "intersect",
    "latest_period",
    "series",
    "series_many",
    "value",
    "values",
]


@dataclass(frozen=True)
class KpiValue:
    """One KPI for one period and scope, with its comparisons and semáforo."""

    kpi: str
    nombre: str
    periodo: str
    ambito: str
    valor: float | None
    unidad: str
    meta: float | None
    cumplimiento: float | None
    estado: str
    valor_periodo_anterior: float | None
    variacion_periodo: float | None
    valor_anio_anterior: float | None
    variacion_anual: float | None
    desde: str | None
    hasta: str | None
    nota: str | None = None  # why there is no value at this level («no disponible a este nivel»)
    cobertura: str | None = None  # «parcial: 3 de 35 OOAD» when the period's last month is partial

    def as_dict(self) -> dict:
        return asdict(self)


# --- arguments -------------------------------------------------------------------------------


def _period(periodo: str | Period) -> Period:
    return parse_period(periodo) if isinstance(periodo, str) else periodo


def _scope(ambito: str | Scope) -> Scope:
    return parse_scope(ambito) if isinstance(ambito, str) else ambito


def check_scope(kpi: Kpi, scope: Scope, db: Db = None) -> None:
    """Refuse, in Spanish, a scope the catalogs do not know or the KPI is not measured at."""
    if scope.level == "umae" and "umae" not in kpi.niveles:
        raise InvalidArgumentError(
            f"«{kpi.nombre}» no se mide por UMAE; solo los indicadores hospitalarios"
            " (consultas de especialidades, urgencias, cirugías, ocupación) llegan a ese nivel."
        )
    if scope.level == "unidad" and "unidad" not in kpi.niveles:
        raise InvalidArgumentError(
            f"No disponible a este nivel: «{kpi.nombre}» no se mide por unidad médica; solo las"
            " consultas y la actividad hospitalaria llegan a las UMF y los HGZ."
        )
    if scope.level != "nacional" and scope.level not in kpi.niveles:
        raise InvalidArgumentError(
            f"«{kpi.nombre}» solo se mide a nivel nacional; no hay datos por {scope.level}."
        )
    _check_scope_exists(scope, db)


class _Catalog(NamedTuple):
    """Where a level's codes live and how a refusal of an unknown code reads."""

    table: str
    column: str
    unknown: str  # «OOAD desconocido»
    hint: str  # how the code is written
    closest: bool = True  # suggest the nearest codes
    listing: str | None = None  # `python -m loaders catalogo <listing>` lists them all


_CATALOGS = {
    "region": _Catalog(
        "regiones",
        "region",
        "Región desconocida",
        "Las regiones son Norte, Occidente, Centro y Sureste.",
        False,
    ),
    "ooad": _Catalog(
        "ooad", "cve_ooad", "OOAD desconocido", "Use la clave de dos dígitos (01 a 35)", listing="ooad"
    ),
    "umae": _Catalog("umae", "cve_umae", "UMAE desconocida", "Use la clave U01 a U25", listing="umae"),
    "unidad": _Catalog(
        "unidades",
        "cve_unidad",
        "Unidad médica desconocida",
        "Use la clave del catálogo (p. ej. 09UMF020)",
        listing="unidad",
    ),
    "entidad": _Catalog(
        "entidades",
        "cve_entidad",
        "Entidad federativa desconocida",
        "Use la clave INEGI de dos dígitos (01 a 32)",
        listing="entidad",
    ),
}


def _check_scope_exists(scope: Scope, db: Db) -> None:
    cat = _CATALOGS.get(scope.level)
    if cat is None or query_rows(f"SELECT 1 FROM {cat.table} WHERE {cat.column} = ?", [scope.key], db):
        return
    message = f"{cat.unknown}: «{scope.key}». {cat.hint}"
    if cat.closest:
        message += f"; las más cercanas: {_closest(cat.table, cat.column, scope.key, db)}."
    if cat.listing:
        message += f" La lista completa: python -m loaders catalogo {cat.listing}."
    raise InvalidArgumentError(message)


def _closest(table: str, column: str, key: str | None, db: Db) -> str:
    """The three codes of a catalog closest to a mistyped one (by edit distance, then name)."""
    rows = query_rows(
        f"SELECT {column}, nombre FROM {table} ORDER BY"
        f" coalesce(abs(try_cast({column} AS INTEGER) - try_cast(? AS INTEGER)), levenshtein({column}, ?)),"
        f" levenshtein(lower(nombre), lower(?)), {column} LIMIT 3",
        [key, key, key],
        db,
    )
    return ", ".join(f"{code} ({name})" for code, name in rows)


# levels below the OOAD: their catalog and its key (each row names its OOAD)
_BELOW_OOAD = {"umae": ("umae", "cve_umae"), "unidad": ("unidades", "cve_unidad")}


def _holds(outer: Scope, inner: Scope, db: Db) -> bool:
    """Whether a region holds a state, an OOAD, a UMAE or a unit; a state or an OOAD a UMAE or a unit.

    Nacional holds everything and a scope holds itself.
    """
    if outer.level == "nacional" or outer == inner:
        return True
    if inner.level in _BELOW_OOAD and outer.level in ("region", "entidad", "ooad"):
        table, key = _BELOW_OOAD[inner.level]
        holder = {"region": "o.region", "entidad": "o.cve_entidad", "ooad": "o.cve_ooad"}[outer.level]
        return bool(
            query_rows(
                f"SELECT 1 FROM {table} u JOIN ooad o ON o.cve_ooad = u.cve_ooad WHERE u.{key} = ? AND {holder} = ?",
                [inner.key, outer.key],
                db,
            )
        )
    column = {"region": "region", "entidad": "cve_entidad"}.get(outer.level)
    inner_column = {"entidad": "cve_entidad", "ooad": "cve_ooad"}.get(inner.level)
    if column is None or inner_column is None or column == inner_column:
        return False
    return bool(
        query_rows(
            f"SELECT 1 FROM ooad WHERE {inner_column} = ? AND {column} = ?", [inner.key, outer.key], db
        )
    )


def intersect(within: str | Scope | None, wanted: str | Scope, db: Db = None) -> Scope:
    """The part of `wanted` that a user whose scope is `within` may see.

    The narrower scope wins when one holds the other (a region user asking for the nation gets
    the region); a request that does not overlap the user's scope is refused in Spanish.
    """
    wanted = _scope(wanted)
    if within is None:
        return wanted
    within = _scope(within)
    if _holds(within, wanted, db):
        return wanted
    if _holds(wanted, within, db):
        return within
    raise InvalidArgumentError(f"«{wanted.code}» está fuera de su ámbito ({within.code}).")


def _bounded(kpis: Sequence[Kpi], scope: Scope, within: str | Scope | None, db: Db) -> Scope:
    """`scope` inside the user's scope; KPIs measured only nationally keep their national figure.

    A national-only KPI (income, the yearly surveys) has no value inside a region or OOAD, so
    every user sees the published national figure; every KPI with a regional breakdown is cut.
    """
    if within is None:
        return scope
    inner = _scope(within)
    if scope.level == "nacional" and kpis and all(inner.level not in k.niveles for k in kpis):
        return scope
    return intersect(inner, scope, db)


def known_scope(ambito: str | Scope, db: Db = None) -> Scope:
    """The scope, refused in Spanish when the catalogs do not know it."""
    scope = _scope(ambito)
    _check_scope_exists(scope, db)
    return scope


def bounded_scope(
    kpi_ids: Sequence[str], ambito: str | Scope, within: str | Scope | None, db: Db = None
) -> Scope:
    """The scope `values` and `series_many` read for these KPIs: known, and cut to the user's scope."""
    return _bounded([get(i) for i in kpi_ids], known_scope(ambito, db), within, db)


# --- data availability -----------------------------------------------------------------------


@per_snapshot
def _last_months(db: Db) -> dict[str, date | None]:
    """The latest month each dataset holds (yearly surveys: December of the latest year)."""
    union = " UNION ALL ".join(
        f"SELECT '{t}', greatest((SELECT max(periodo) FROM {t}), (SELECT max(periodo) FROM {t}_entidad),"
        f" (SELECT max(periodo) FROM {t}_nacional))"
        if t in GRAINED
        else f"SELECT '{t}', max(periodo) FROM {t}"
        for t in DATASETS
    )
    rows = dict(
        query_rows(
            union + " UNION ALL SELECT 'satisfaccion', make_date(max(anio), 12, 1) FROM satisfaccion", path=db
        )
    )
    # agreements are followed day by day: a period still running is read as of today
    rows["acuerdos"] = clock.today().replace(day=1)
    return rows


def last_month_with_data(kpi: Kpi, db: Db = None) -> date | None:
    """The latest month the KPI's dataset holds."""
    return _last_months(db)[kpi.fuente]


def latest_period(db: Db = None) -> date | None:
    """The latest complete month of the warehouse (the default period of every screen)."""
    return latest_complete(db=db)


@per_snapshot
def _survey_years(db: Db) -> dict[str, tuple[int, ...]]:
    """The years each annual KPI's dataset holds (its surveys), oldest first."""
    sources = sorted({k.fuente for k in CATALOG if k.frecuencia == ANNUAL})
    return {
        f: tuple(y for (y,) in query_rows(f"SELECT DISTINCT anio FROM {f} ORDER BY 1", path=db))
        for f in sources
    }


def _span(kpi: Kpi, period: Period, last: dict[str, date | None], db: Db) -> tuple[date, date] | None:
    """The months of the period that have data (a year in course ends at its last loaded month).

    An annual KPI's figure is its latest survey up to the period's year, whatever month is asked:
    its span is that survey's whole year, so the figure, its meta (the year's) and its period
    before (the survey before) are the survey's, and labels name it («Encuesta 2026»).
    """
    end = last.get(kpi.fuente)
    if end is None or period.start > end:
        return None
    if kpi.frecuencia == ANNUAL:
        years = [y for y in _survey_years(db).get(kpi.fuente, ()) if y <= min(period.end, end).year]
        if years:
            return date(years[-1], 1, 1), date(years[-1], 12, 1)
    return period.start, min(period.end, end)


# --- evaluation ------------------------------------------------------------------------------


def _ratio(num: Any, den: Any, kpi: Kpi) -> float | None:
    if num is None or pd.isna(num):
        return None
    if kpi.denominador or kpi.numerador == "cumplimiento":
        if den is None or pd.isna(den) or den == 0:
            return None
        return float(num) / float(den) * kpi.factor
    return float(num) * kpi.factor


# {kpi id: {(range index, group): value}}; the group is the group column's value (a date or a code) or None
Evaluation = dict[str, dict[tuple[int, Any], float | None]]


def _evaluate(
    kpis: Sequence[Kpi],
    ranges: Sequence[tuple[date, date]],
    scope: Scope,
    group: str | None,
    db: Db,
    direccion: str | None,
) -> Evaluation:
    """Values of several KPIs over several ranges: {kpi id: {(range index, group): value}}.

    One query per dataset; without a group the group key is None.
    """
    by_source: dict[str, list[Kpi]] = defaultdict(list)
    for kpi in kpis:
        by_source[kpi.fuente].append(kpi)
    out: Evaluation = {k.id: {} for k in kpis}
    keyed = group is not None
    jobs = []
    coarse = coarse_datasets(db)
    for fuente, group_kpis in by_source.items():
        if fuente == "acuerdos":
            jobs.append((group_kpis, queries.agreements_sql(group_kpis, ranges, scope, group, direccion)))
        else:
            floating = floating_columns(fuente, db)
            sql = queries.dataset_sql(fuente, group_kpis, ranges, scope, group, fuente in coarse, floating)
            jobs.append((group_kpis, sql))
    # DuckDB runs queries outside the GIL: the datasets are read side by side on their own cursors
    with ThreadPoolExecutor(max_workers=min(4, len(jobs)) or 1) as pool:
        results = list(pool.map(same_snapshot(lambda job: query_rows(job[1][0], job[1][1], db)), jobs))
    for (group_kpis, _), rows in zip(jobs, results, strict=True):
        base = 2 if keyed else 1
        for row in rows:
            key = (row[0], row[1] if keyed else None)
            for i, kpi in enumerate(group_kpis):
                out[kpi.id][key] = _ratio(row[base + 2 * i], row[base + 2 * i + 1], kpi)
    return out


def _metas(
    kpis: Sequence[Kpi], start: date, end: date, ambitos: Sequence[str], db: Db
) -> dict[tuple[str, str], float]:
    """Targets by (kpi, ambito) for the range, following each KPI's aggregation."""
    sql, params = queries.metas_sql([k.id for k in kpis], start, end, ambitos)
    by_id = {k.id: k for k in kpis}
    out = {}
    for kpi_id, ambito, total, last in query_rows(sql, params, db):
        meta = queries.meta_of(by_id[kpi_id], total, last)
        if meta is not None:
            out[(kpi_id, ambito)] = float(meta)
    return out


def _meta_for(kpi: Kpi, code: str, metas: dict[tuple[str, str], float]) -> float | None:
    """A scope's own target; ratios without one take the national target rate."""
    if (kpi.id, code) in metas:
        return metas[(kpi.id, code)]
    if kpi.agregacion != FLOW and kpi.denominador:
        return metas.get((kpi.id, NATIONAL.code))
    return None


def kpi_value(
    kpi: Kpi,
    periodo: str,
    ambito: str,
    valor: float | None,
    meta: float | None,
    prev: float | None,
    ago: float | None,
    desde: str,
    hasta: str,
    **extra: Any,  # the other KpiValue fields (nota, …)
) -> KpiValue:
    """A KpiValue with its derived fields (attainment, status, changes) computed in one place."""
    return KpiValue(
        kpi=kpi.id,
        nombre=kpi.nombre,
        periodo=periodo,
        ambito=ambito,
        valor=valor,
        unidad=kpi.unidad,
        meta=meta,
        cumplimiento=attainment(kpi, valor, meta),
        estado=status(kpi, valor, meta),
        valor_periodo_anterior=prev,
        variacion_periodo=_change(valor, prev),
        valor_anio_anterior=ago,
        variacion_anual=_change(valor, ago),
        desde=desde,
        hasta=hasta,
        **extra,
    )


def _change(current: float | None, before: float | None) -> float | None:
    if current is None or before is None or before == 0 or pd.isna(current) or pd.isna(before):
        return None
    return (current - before) / abs(before)


def _clean(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


# --- values ----------------------------------------------------------------------------------


@one_snapshot
def values(
    kpi_ids: Sequence[str],
    periodo: str | Period,
    ambito: str | Scope = NATIONAL,
    db: Db = None,
    direccion: str | None = None,
    within: str | Scope | None = None,
) -> dict[str, KpiValue | None]:
    """Several KPIs for one period and scope; None for a KPI without data in the period."""
    kpis = [get(i) for i in kpi_ids]
    period, scope = _period(periodo), _scope(ambito)
    _check_scope_exists(scope, db)
    scope = _bounded(kpis, scope, within, db)
    for kpi in kpis:
        if scope.level != "nacional" and scope.level not in kpi.niveles:
            check_scope(kpi, scope, db)
    last = _last_months(db)
    by_span: dict[tuple[date, date], list[Kpi]] = defaultdict(list)
    result: dict[str, KpiValue | None] = {k.id: None for k in kpis}
    for kpi in kpis:
        span = _span(kpi, period, last, db)
        if span is not None:
            by_span[span].append(kpi)
    for (start, end), group_kpis in by_span.items():
        # the period before: the month before, or the year before (a survey's is the survey before)
        yearly = period.kind != "mes" or all(k.frecuencia == ANNUAL for k in group_kpis)
        shift = -12 if yearly else -1
        ranges = [(start, end), (add_months(start, shift), add_months(end, shift))]
        if shift != -12:
            ranges.append((add_months(start, -12), add_months(end, -12)))
        evaluation = _evaluate(group_kpis, ranges, scope, None, db, direccion)
        metas = _metas(group_kpis, start, end, [scope.code, NATIONAL.code], db) if direccion is None else {}
        if scope.level == "entidad" and direccion is None:
            metas = _state_metas(group_kpis, start, end, db) | metas  # an explicit entidad meta wins
        notes = partial_months({k.fuente for k in group_kpis}, end, db)
        for kpi in group_kpis:
            found = evaluation[kpi.id]
            valor, prev = found.get((0, None)), found.get((1, None))
            ago = found.get((len(ranges) - 1, None))
            meta = _meta_for(kpi, scope.code, metas)
            nota = _unavailable(kpi, scope, start, end, db) if valor is None else None
            result[kpi.id] = kpi_value(
                kpi,
                period.code,
                scope.code,
                valor,
                meta,
                prev,
                ago,
                f"{start:%Y-%m}",
                f"{end:%Y-%m}",
                nota=nota,
                cobertura=notes.get(kpi.fuente),
            )
    return result


_GRAIN_WORDS = {"entidad": "por entidad federativa", "nacional": "solo nacionales"}


def _unavailable(kpi: Kpi, scope: Scope, start: date, end: date, db: Db) -> str | None:
    """«No disponible a este nivel» when the period has data only at a coarser grain than the scope."""
    if scope.level == "unidad":
        return f"No disponible a este nivel: esta unidad no registra «{kpi.nombre}» (no es de su nivel de atención)."
    if scope.level in ("nacional", "umae") or kpi.fuente not in GRAINED:
        return None
    found = [r[0] for r in query_rows(*coarser_sql(kpi.fuente, start, end), db)]
    if scope.level in ("region", "entidad"):
        found = [g for g in found if g == "nacional"]
    if not found:
        return None
    return f"No disponible a este nivel: los datos de este periodo son {_GRAIN_WORDS[found[0]]}."


def value(
    kpi_id: str,
    periodo: str | Period,
    ambito: str | Scope = NATIONAL,
    db: Db = None,
    direccion: str | None = None,
    within: str | Scope | None = None,
) -> KpiValue:
    """The KPI for a month or a year and a scope, against its meta, the period before and a year before."""
    kpi = get(kpi_id)
    period, scope = _period(periodo), _scope(ambito)
    check_scope(kpi, scope, db)
    result = values([kpi_id], period, scope, db, direccion, within)[kpi_id]
    if result is None:
        raise InvalidArgumentError(f"No hay datos de «{kpi.nombre}» para el periodo {period.code}.")
    return result


# --- series ----------------------------------------------------------------------------------


@one_snapshot
def series_many(
    kpi_ids: Sequence[str],
    desde: date,
    hasta: date,
    ambito: str | Scope = NATIONAL,
    db: Db = None,
    direccion: str | None = None,
    within: str | Scope | None = None,
) -> dict[str, pd.DataFrame]:
    """Monthly (yearly for annual KPIs) values with their meta: per KPI, columns periodo, valor, meta."""
    kpis = [get(i) for i in kpi_ids]
    scope = _scope(ambito)
    _check_scope_exists(scope, db)
    scope = _bounded(kpis, scope, within, db)
    for kpi in kpis:
        if scope.level != "nacional" and scope.level not in kpi.niveles:
            check_scope(kpi, scope, db)
    evaluation = _evaluate(kpis, [(desde, hasta)], scope, "periodo", db, direccion)
    metas = _monthly_metas(kpis, desde, hasta, scope, db) if direccion is None else {}
    out = {}
    for kpi in kpis:
        points = sorted((g, v) for (_, g), v in evaluation[kpi.id].items() if v is not None)
        out[kpi.id] = pd.DataFrame(
            {
                "periodo": pd.to_datetime([g for g, _ in points]),
                "valor": pd.Series([v for _, v in points], dtype="float64"),
                "meta": pd.Series([metas.get((kpi.id, g), float("nan")) for g, _ in points], dtype="float64"),
            }
        )
    return out


def _monthly_metas(
    kpis: Sequence[Kpi], desde: date, hasta: date, scope: Scope, db: Db
) -> dict[tuple[str, date], float]:
    """Each month's target (the year's last for yearly KPIs); ratios fall back to the national rate."""
    sql, params = queries.monthly_metas_sql([k.id for k in kpis], desde, hasta, [scope.code, NATIONAL.code])
    by_id = {k.id: k for k in kpis}
    own: dict[tuple[str, date], float] = {}
    national: dict[tuple[str, date], float] = {}
    for kpi_id, periodo, ambito, meta in sorted(query_rows(sql, params, db), key=lambda r: r[1]):
        kpi = by_id[kpi_id]
        key = (kpi_id, date(periodo.year, 1, 1) if kpi.frecuencia == "anual" else periodo)
        if ambito == scope.code:
            own[key] = meta
        elif kpi.denominador and kpi.agregacion != FLOW:
            national[key] = meta
    return national | own


def series(
    kpi_id: str,
    desde: date,
    hasta: date,
    ambito: str | Scope = NATIONAL,
    db: Db = None,
    direccion: str | None = None,
    within: str | Scope | None = None,
) -> pd.DataFrame:
    """One KPI's series: columns periodo, valor, meta."""
    return series_many([kpi_id], desde, hasta, ambito, db, direccion, within)[kpi_id]


# --- breakdowns ------------------------------------------------------------------------------


@one_snapshot
def breakdowns(
    kpi_ids: Sequence[str],
    periodo: str | Period,
    nivel: str,
    ambito: str | Scope = NATIONAL,
    db: Db = None,
    direccion: str | None = None,
    within: str | Scope | None = None,
) -> dict[str, pd.DataFrame]:
    """Several KPIs by region, OOAD, state, UMAE or medical unit (within a scope): per KPI a ranking, best first."""
    if nivel not in ("region", "ooad", "entidad", "umae", "unidad"):
        raise InvalidArgumentError(
            f"Nivel de desglose no válido: «{nivel}». Use region, ooad, entidad, umae o unidad."
        )
    kpis = [get(i) for i in kpi_ids]
    period, scope = _period(periodo), _scope(ambito)
    _check_scope_exists(scope, db)
    scope = intersect(within, scope, db)
    last = _last_months(db)
    needed = nivel
    out = {k.id: pd.DataFrame(columns=BREAKDOWN_COLUMNS) for k in kpis}
    by_span: dict[tuple[date, date], list[Kpi]] = defaultdict(list)
    for kpi in kpis:
        span = _span(kpi, period, last, db)
        usable = needed in kpi.niveles and not (nivel == "entidad" and kpi.fuente == "acuerdos")
        if span is not None and usable and (scope.level == "nacional" or scope.level in kpi.niveles):
            by_span[span].append(kpi)
    names = {row[0]: row[1:] for row in _names(nivel, db)}
    for (start, end), group_kpis in by_span.items():
        evaluation = _evaluate(group_kpis, [(start, end)], scope, nivel, db, direccion)
        keys = sorted({g for found in evaluation.values() for (_, g) in found})
        codes = [f"{nivel}:{c}" for c in keys]
        metas = {} if direccion is not None else _metas(group_kpis, start, end, [*codes, NATIONAL.code], db)
        if nivel == "entidad" and direccion is None:
            metas = _state_metas(group_kpis, start, end, db) | metas  # an explicit entidad meta wins
        for kpi in group_kpis:
            rows = []
            for (_, clave), valor in evaluation[kpi.id].items():
                if valor is None:
                    continue
                meta = _meta_for(kpi, f"{nivel}:{clave}", metas)
                nombre, region = names.get(clave, (clave, None))
                done = attainment(kpi, valor, meta)
                rows.append((clave, nombre, region, valor, meta, done, status(kpi, valor, meta)))
            rows.sort(key=lambda r: (-(r[5] if r[5] is not None else -1), r[0]))
            out[kpi.id] = _frame(rows)
    return out


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """Breakdown rows as a DataFrame, built column by column (cheaper than row tuples)."""
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(BREAKDOWN_COLUMNS)
    data: dict[str, Any] = {name: list(col) for name, col in zip(BREAKDOWN_COLUMNS, cols, strict=True)}
    for name in ("valor", "meta", "cumplimiento"):
        data[name] = np.array([np.nan if x is None else x for x in data[name]], dtype="float64")
    return pd.DataFrame(data)


def breakdown(
    kpi_id: str,
    periodo: str | Period,
    nivel: str,
    ambito: str | Scope = NATIONAL,
    db: Db = None,
    direccion: str | None = None,
    within: str | Scope | None = None,
) -> pd.DataFrame:
    """One KPI by region, OOAD or state, with meta, cumplimiento and estado, best first."""
    kpi, scope = get(kpi_id), _scope(ambito)
    check_scope(kpi, scope, db)
    return breakdowns([kpi_id], periodo, nivel, scope, db, direccion, within)[kpi_id]


def _state_metas(kpis: Sequence[Kpi], start: date, end: date, db: Db) -> dict[tuple[str, str], float]:
    """Targets of additive KPIs by state: the sum of the targets of the state's OOAD."""
    states = dict(query_rows("SELECT cve_ooad, cve_entidad FROM ooad", path=db))
    additive = [k for k in kpis if not k.denominador]
    if not additive:
        return {}
    by_ooad = _metas(additive, start, end, [f"ooad:{c}" for c in states], db)
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for (kpi_id, code), meta in by_ooad.items():
        totals[(kpi_id, f"entidad:{states[code.split(':', 1)[1]]}")] += meta
    return dict(totals)


def _names(nivel: str, db: Db) -> list[tuple]:
    """(clave, nombre, region) of every region, OOAD, state, UMAE or medical unit."""
    if nivel == "umae":
        return query_rows("SELECT cve_umae, nombre || ', ' || complejo, region FROM umae ORDER BY 1", path=db)
    if nivel == "unidad":
        return query_rows(
            "SELECT u.cve_unidad, u.nombre, o.region FROM unidades u JOIN ooad o USING (cve_ooad) ORDER BY 1",
            path=db,
        )
    if nivel == "region":
        return query_rows("SELECT region, region, region FROM regiones ORDER BY orden", path=db)
    if nivel == "entidad":
        return query_rows(
            "SELECT e.cve_entidad, e.nombre, min(o.region) FROM entidades e "
            "JOIN ooad o USING (cve_entidad) GROUP BY ALL",
            path=db,
        )
    return query_rows("SELECT cve_ooad, nombre, region FROM ooad ORDER BY cve_ooad", path=db)


# --- warehouse facts for screens -------------------------------------------------------------


def data_version(db: Db = None) -> int:
    """The warehouse's data version (latest load id): the key of every cached result."""
    from warehouse import data_version as _version

    return _version(db)


@one_snapshot
def cache_key(db: Db = None) -> str:
    """What a cached result depends on: warehouse file, data version and the agreements' revision.

    Agreement edits are not loads, so their revision (latest history id) is part of the key too:
    a conclusion validated by the DG shows at once in the scorecard's agreement KPIs.
    """
    from warehouse.config import db_path

    load, latest, rows = _key_parts(db)
    return f"{Path(db) if db else db_path()}#{load}#{latest}.{rows}"


@per_snapshot
def _key_parts(db: Db = None) -> tuple[int, int, int]:
    """(latest load id, latest agreement history id, history rows), in one query: every rerun asks."""
    row = query_rows(
        "SELECT (SELECT coalesce(max(id), 0) FROM cargas), coalesce(max(id), 0), count(*) FROM acuerdos_historial",
        path=db,
    )[0]
    return int(row[0]), int(row[1]), int(row[2])


def catalogs(db: Db = None) -> dict[str, pd.DataFrame]:
    """Regions, OOAD, states, UMAE and medical units, for filters and maps."""
    return {
        "unidades": query_df(
            "SELECT u.cve_unidad, u.nombre, u.tipo, u.cve_ooad, o.region FROM unidades u"
            " JOIN ooad o USING (cve_ooad) ORDER BY u.cve_ooad, u.tipo, u.nombre",
            path=db,
        ),
        "umae": query_df(
            "SELECT cve_umae, nombre || ', ' || complejo AS nombre, region, cve_ooad FROM umae ORDER BY cve_umae",
            path=db,
        ),
        "regiones": query_df("SELECT region FROM regiones ORDER BY orden", path=db),
        "ooad": query_df("SELECT cve_ooad, nombre, region, cve_entidad FROM ooad ORDER BY nombre", path=db),
        "entidades": query_df("SELECT * FROM entidades ORDER BY cve_entidad", path=db),
    }


class DataFacts(TypedDict):
    latest: date | None  # the default period: the latest complete month
    months: list[date]  # newest first
    partial: dict[date, str]  # month -> what it lacks
    demo: bool


def data_facts(db: Db = None) -> DataFacts:
    """Latest complete month, the months available (partial ones labelled) and whether data are demo."""
    covered = coverage(SCORECARD_DATASET, db)
    months = sorted(covered, reverse=True)
    has_settings = query_rows(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ajustes'", path=db
    )[0][0]
    demo = (
        has_settings
        and query_rows("SELECT count(*) FROM ajustes WHERE clave = 'datos_demo' AND valor = 'si'", path=db)[
            0
        ][0]
    )
    complete = [m for m in months if covered[m] is None]
    return {
        "latest": (complete or months)[0] if months else None,
        "months": months,
        "partial": {m: text for m, text in covered.items() if text},
        "demo": bool(demo),
    }
