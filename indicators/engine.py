"""The KPI engine: value, series and breakdown of any catalog KPI, computed in DuckDB."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from indicators import queries
from indicators.catalog import get
from indicators.definitions import FLOW, Kpi
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
from warehouse import query_df, query_rows

Db = Path | str | None


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

    def as_dict(self) -> dict:
        return asdict(self)


def _ratio(num: float | None, den: float | None, kpi: Kpi) -> float | None:
    if num is None or pd.isna(num):
        return None
    if kpi.denominador or kpi.numerador == "cumplimiento":
        if den is None or pd.isna(den) or den == 0:
            return None
        return float(num) / float(den) * kpi.factor
    return float(num) * kpi.factor


def _change(current: float | None, before: float | None) -> float | None:
    if current is None or before is None or before == 0:
        return None
    return (current - before) / abs(before)


def check_scope(kpi: Kpi, scope: Scope, db: Db = None) -> None:
    """Refuse, in Spanish, a scope the catalogs do not know or the KPI is not measured at."""
    if scope.level != "nacional" and scope.level not in kpi.niveles:
        raise InvalidArgumentError(
            f"«{kpi.nombre}» solo se mide a nivel nacional; no hay datos por {scope.level}."
        )
    if scope.level == "region" and not query_rows("SELECT 1 FROM regiones WHERE region = ?", [scope.key], db):
        raise InvalidArgumentError(
            f"Región desconocida: «{scope.key}». Las regiones son Norte, Occidente, Centro y Sureste."
        )
    if scope.level == "ooad" and not query_rows("SELECT 1 FROM ooad WHERE cve_ooad = ?", [scope.key], db):
        raise InvalidArgumentError(f"OOAD desconocido: «{scope.key}». Use la clave de dos dígitos (01 a 35).")


def last_month_with_data(kpi: Kpi, db: Db = None) -> date | None:
    """The latest month the KPI's dataset holds (for yearly data, December of the latest year)."""
    if kpi.fuente == "acuerdos":
        return latest_period(db)
    if kpi.frecuencia == "anual":
        row = query_rows(f"SELECT max(anio) FROM {kpi.fuente}", path=db)[0][0]
        return date(int(row), 12, 1) if row is not None else None
    row = query_rows(f"SELECT max(periodo) FROM {kpi.fuente}", path=db)[0][0]
    return row


def latest_period(db: Db = None) -> date | None:
    """The latest complete month of the warehouse (the default period of every screen)."""
    return query_rows("SELECT max(periodo) FROM consultas", path=db)[0][0]


def effective_range(kpi: Kpi, period: Period, db: Db = None) -> tuple[date, date] | None:
    """The months of the period that have data (a year in course ends at its last loaded month)."""
    last = last_month_with_data(kpi, db)
    if last is None or period.start > last:
        return None
    return period.start, min(period.end, last)


def _measure(kpi: Kpi, start: date, end: date, scope: Scope, db: Db, direccion: str | None) -> float | None:
    sql, params = queries.measure_sql(kpi, start, end, scope, None, direccion)
    row = query_rows(sql, params, db)
    return _ratio(row[0][0], row[0][1], kpi) if row else None


def _metas(kpi: Kpi, start: date, end: date, ambitos: list[str], db: Db) -> dict[str, float]:
    sql, params = queries.meta_sql(kpi, start, end, ambitos)
    return {a: float(m) for a, m in query_rows(sql, params, db) if m is not None}


def meta_for(kpi: Kpi, start: date, end: date, scope: Scope, db: Db = None) -> float | None:
    """The target of a scope; ratios without their own target use the national one."""
    metas = _metas(kpi, start, end, [scope.code, NATIONAL.code], db)
    if scope.code in metas:
        return metas[scope.code]
    if kpi.agregacion != FLOW and kpi.denominador and NATIONAL.code in metas:
        return metas[NATIONAL.code]
    return None


def value(
    kpi_id: str,
    periodo: str | Period,
    ambito: str | Scope = NATIONAL,
    db: Db = None,
    direccion: str | None = None,
) -> KpiValue:
    """The KPI for a month or a year and a scope, against its meta, the period before and a year before."""
    kpi = get(kpi_id)
    period = parse_period(periodo) if isinstance(periodo, str) else periodo
    scope = parse_scope(ambito) if isinstance(ambito, str) else ambito
    check_scope(kpi, scope, db)
    span = effective_range(kpi, period, db)
    if span is None:
        raise InvalidArgumentError(f"No hay datos de «{kpi.nombre}» para el periodo {period.code}.")
    start, end = span
    current = _measure(kpi, start, end, scope, db, direccion)
    meta = meta_for(kpi, start, end, scope, db) if direccion is None else None
    before = period.previous()
    shift = -1 if period.kind == "mes" else -12
    prev = _measure(kpi, add_months(start, shift), add_months(end, shift), scope, db, direccion)
    year_ago = _measure(kpi, add_months(start, -12), add_months(end, -12), scope, db, direccion)
    return KpiValue(
        kpi=kpi.id,
        nombre=kpi.nombre,
        periodo=period.code,
        ambito=scope.code,
        valor=current,
        unidad=kpi.unidad,
        meta=meta,
        cumplimiento=attainment(kpi, current, meta),
        estado=status(kpi, current, meta),
        valor_periodo_anterior=prev if before else None,
        variacion_periodo=_change(current, prev),
        valor_anio_anterior=year_ago,
        variacion_anual=_change(current, year_ago),
        desde=f"{start:%Y-%m}",
        hasta=f"{end:%Y-%m}",
    )


def series(
    kpi_id: str,
    desde: date,
    hasta: date,
    ambito: str | Scope = NATIONAL,
    db: Db = None,
    direccion: str | None = None,
) -> pd.DataFrame:
    """Monthly (yearly for annual KPIs) values with their meta: columns periodo, valor, meta."""
    kpi = get(kpi_id)
    scope = parse_scope(ambito) if isinstance(ambito, str) else ambito
    check_scope(kpi, scope, db)
    sql, params = queries.measure_sql(kpi, desde, hasta, scope, "periodo", direccion)
    frame = query_df(sql, params, db)
    frame["valor"] = [_ratio(n, d, kpi) for n, d in zip(frame["num"], frame["den"], strict=True)]
    frame = frame.rename(columns={"grupo": "periodo"})[["periodo", "valor"]]
    frame["periodo"] = pd.to_datetime(frame["periodo"])
    metas = _monthly_metas(kpi, desde, hasta, scope, db)
    frame = frame.merge(metas, on="periodo", how="left")
    return frame.dropna(subset=["valor"]).reset_index(drop=True)


def _monthly_metas(kpi: Kpi, desde: date, hasta: date, scope: Scope, db: Db) -> pd.DataFrame:
    codes = [scope.code] + ([NATIONAL.code] if kpi.denominador and kpi.agregacion != FLOW else [])
    frame = query_df(
        "SELECT periodo, ambito, valor AS meta FROM metas WHERE kpi = ? AND ambito IN (SELECT unnest(?)) "
        "AND periodo BETWEEN ? AND ?",
        [kpi.id, codes, desde, hasta],
        db,
    )
    if kpi.frecuencia == "anual":
        frame["periodo"] = pd.to_datetime(frame["periodo"]).dt.to_period("Y").dt.to_timestamp()
        frame = frame.groupby(["periodo", "ambito"], as_index=False)["meta"].last()
    frame = frame.sort_values("ambito", key=lambda s: s != scope.code)
    frame = frame.drop_duplicates("periodo")[["periodo", "meta"]]
    frame["periodo"] = pd.to_datetime(frame["periodo"])
    return frame


def breakdown(
    kpi_id: str,
    periodo: str | Period,
    nivel: str,
    ambito: str | Scope = NATIONAL,
    db: Db = None,
    direccion: str | None = None,
) -> pd.DataFrame:
    """The KPI by region or by OOAD (within a scope), with meta, cumplimiento and estado, best first."""
    kpi = get(kpi_id)
    if nivel not in ("region", "ooad", "entidad"):
        raise InvalidArgumentError(f"Nivel de desglose no válido: «{nivel}». Use region, ooad o entidad.")
    period = parse_period(periodo) if isinstance(periodo, str) else periodo
    scope = parse_scope(ambito) if isinstance(ambito, str) else ambito
    check_scope(kpi, scope, db)
    columns = ["clave", "nombre", "region", "valor", "meta", "cumplimiento", "estado"]
    span = effective_range(kpi, period, db)
    level_needed = "ooad" if nivel == "entidad" else nivel
    if level_needed not in kpi.niveles or span is None or (nivel == "entidad" and kpi.fuente == "acuerdos"):
        return pd.DataFrame(columns=columns)
    start, end = span
    sql, params = queries.measure_sql(kpi, start, end, scope, nivel, direccion)
    frame = query_df(sql, params, db)
    frame["valor"] = [_ratio(n, d, kpi) for n, d in zip(frame["num"], frame["den"], strict=True)]
    names = _names(nivel, db)
    frame = frame.rename(columns={"grupo": "clave"}).merge(names, on="clave", how="left")
    codes = [f"{nivel}:{c}" for c in frame["clave"]]
    metas = _metas(kpi, start, end, [*codes, NATIONAL.code], db) if direccion is None else {}
    if nivel == "entidad" and direccion is None and not kpi.denominador:
        metas |= _state_metas(kpi, start, end, db)
    fallback = metas.get(NATIONAL.code) if kpi.denominador and kpi.agregacion != FLOW else None
    frame["meta"] = [metas.get(c, fallback) for c in codes]
    frame["cumplimiento"] = [
        attainment(kpi, v, m) for v, m in zip(frame["valor"], frame["meta"], strict=True)
    ]
    frame["estado"] = [status(kpi, v, m) for v, m in zip(frame["valor"], frame["meta"], strict=True)]
    order = frame["cumplimiento"].fillna(-1)
    frame = frame.assign(_o=order).sort_values(["_o", "clave"], ascending=[False, True]).drop(columns="_o")
    return frame[columns].reset_index(drop=True)


def _state_metas(kpi: Kpi, start: date, end: date, db: Db) -> dict[str, float]:
    """Targets of additive KPIs by state: the sum of the targets of the state's OOAD."""
    codes = [f"ooad:{c}" for (c,) in query_rows("SELECT cve_ooad FROM ooad", path=db)]
    by_ooad = _metas(kpi, start, end, codes, db)
    states = dict(query_rows("SELECT cve_ooad, cve_entidad FROM ooad", path=db))
    totals: dict[str, float] = {}
    for code, meta in by_ooad.items():
        key = f"entidad:{states[code.split(':', 1)[1]]}"
        totals[key] = totals.get(key, 0.0) + meta
    return totals


def _names(nivel: str, db: Db) -> pd.DataFrame:
    if nivel == "region":
        return query_df(
            "SELECT region AS clave, region AS nombre, region FROM regiones ORDER BY orden", path=db
        )
    if nivel == "entidad":
        return query_df(
            "SELECT e.cve_entidad AS clave, e.nombre, min(o.region) AS region FROM entidades e "
            "JOIN ooad o USING (cve_entidad) GROUP BY ALL",
            path=db,
        )
    return query_df("SELECT cve_ooad AS clave, nombre, region FROM ooad ORDER BY cve_ooad", path=db)


def data_version(db: Db = None) -> int:
    """The warehouse's data version (latest load id): the key of every cached result."""
    from warehouse import data_version as _version

    return _version(db)


def cache_key(db: Db = None) -> str:
    """Warehouse file and data version: what a cached result depends on."""
    from warehouse.config import db_path

    return f"{Path(db) if db else db_path()}#{data_version(db)}"


def catalogs(db: Db = None) -> dict[str, pd.DataFrame]:
    """Regions, OOAD and states, for filters and maps."""
    return {
        "regiones": query_df("SELECT region FROM regiones ORDER BY orden", path=db),
        "ooad": query_df("SELECT cve_ooad, nombre, region, cve_entidad FROM ooad ORDER BY nombre", path=db),
        "entidades": query_df("SELECT * FROM entidades ORDER BY cve_entidad", path=db),
    }


def data_facts(db: Db = None) -> dict[str, object]:
    """Latest month, the months available and whether the warehouse holds demonstration data."""
    months = [r[0] for r in query_rows("SELECT DISTINCT periodo FROM consultas ORDER BY 1 DESC", path=db)]
    demo = (
        query_rows("SELECT count(*) FROM information_schema.tables WHERE table_name = 'ajustes'", path=db)[0][
            0
        ]
        and query_rows("SELECT count(*) FROM ajustes WHERE clave = 'datos_demo' AND valor = 'si'", path=db)[
            0
        ][0]
    )
    return {"latest": months[0] if months else None, "months": months, "demo": bool(demo)}
