"""Row-level views of the warehouse for export: which datasets, their Spanish headers, and the
filtered SELECT (global filters, column filters and the user's scope, all as bound parameters).

The same (sql, params) feeds the on-screen preview, the in-memory exports and the streaming
COPY of large tables, so what is downloaded is exactly what is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import warehouse
from access.scope import directorate_sql, scope_name
from indicators.periods import InvalidArgumentError, Period, Scope, month_end, parse_period, parse_scope
from loaders.contracts import CONTRACTS
from warehouse import query_df, query_rows

Db = Path | str | None
AGREEMENTS = "acuerdos"


@dataclass(frozen=True)
class Dataset:
    id: str
    table: str
    nombre: str
    ordered: bool = True  # detail tables keep load order: sorting millions of rows costs memory


# Every table-shaped dataset contract, plus the monthly detail of the IMSS asg files.
DATASETS: tuple[Dataset, ...] = (
    *(Dataset(c.name, c.table, c.title) for c in CONTRACTS.values() if c.is_table),
    Dataset("asegurados_detalle", "asegurados_detalle", "Asegurados IMSS (detalle mensual)", ordered=False),
)

LABELS: dict[str, str] = {
    "periodo": "Periodo",
    "anio": "Año",
    "cve_ooad": "Clave OOAD",
    "region": "Región",
    "ambito": "Ámbito",
    "kpi": "Indicador",
    "valor": "Valor",
    "meta": "Meta",
    "cumplimiento": "Cumplimiento",
    "estado": "Estado",
    "clave": "Clave",
    "nombre": "Nombre",
    "folio": "Folio",
    "cve_reunion": "Reunión",
    "cve_umae": "Clave UMAE",
    "cve_mesa": "Mesa",
    "cve_tema": "Tema",
    "descripcion": "Descripción",
    "cve_direccion": "Dirección responsable",
    "fecha_registro": "Fecha de registro",
    "fecha_compromiso": "Fecha compromiso",
    "fecha_conclusion": "Fecha de conclusión",
    "avance": "Avance (%)",
    "version": "Versión",
    "servicio": "Servicio",
    "reunion": "Reunión (nombre)",
    "unidad": "OOAD / UMAE",
    "mesa": "Mesa de trabajo",
    "tema": "Tema (nombre)",
    "direccion": "Dirección (nombre)",
    "corresponsables": "Corresponsables",
    "vencido": "Vencido",
    "dias_vencido": "Días de vencimiento",
    "cve_delegacion": "Delegación IMSS",
    "cve_subdelegacion": "Subdelegación IMSS",
    "cve_entidad": "Entidad",
    "cve_municipio": "Municipio",
    "sector_economico_1": "Sector económico (1 dígito)",
    "sector_economico_2": "Sector económico (2 dígitos)",
    "sector_economico_4": "Sector económico (4 dígitos)",
    "tamano_patron": "Tamaño de patrón",
    "sexo": "Sexo",
    "rango_edad": "Rango de edad",
    "rango_salarial": "Rango salarial",
    "rango_uma": "Rango UMA",
    "no_trabajadores": "No trabajadores",
    "encuestados": "Encuestados",
    "satisfechos": "Satisfechos",
    "consultas_medicina_familiar": "Consultas de medicina familiar",
    "consultas_especialidades": "Consultas de especialidades",
    "consultas_urgencias": "Atenciones de urgencias",
    "intervenciones_quirurgicas": "Intervenciones quirúrgicas",
    "cirugias_programadas": "Cirugías programadas",
    "cirugias_oportunas": "Cirugías oportunas",
    "chequeos_prevenimss": "Chequeos PrevenIMSS",
    "dias_cama_ocupados": "Días cama ocupados",
    "dias_cama_disponibles": "Días cama disponibles",
    "puestos_trabajo": "Puestos de trabajo",
    "puestos_permanentes": "Puestos permanentes",
    "puestos_eventuales": "Puestos eventuales",
    "puestos_con_salario": "Puestos con salario",
    "masa_salarial": "Masa salarial",
    "asegurados": "Asegurados",
    "patrones": "Patrones",
    "poblacion_derechohabiente_adscrita": "Población derechohabiente adscrita",
    "asegurados_programas_especiales": "Asegurados en programas especiales",
    "unidades": "Unidades",
    "capacidad_instalada": "Capacidad instalada",
    "ninos_inscritos": "Niños inscritos",
    "dias_incapacidad_eg": "Días de incapacidad (EG)",
    "certificados_incapacidad": "Certificados de incapacidad",
    "gasto_incapacidades": "Gasto en incapacidades",
    "recetas_emitidas": "Recetas emitidas",
    "recetas_surtidas_completas": "Recetas surtidas completas",
    "recetas_resurtibles": "Recetas resurtibles",
    "plazas_autorizadas": "Plazas autorizadas",
    "plazas_ocupadas": "Plazas ocupadas",
    "ingresos_obrero_patronales": "Ingresos obrero-patronales (MDP)",
    "ingresos_totales": "Ingresos totales (MDP)",
    "presupuesto_autorizado": "Presupuesto autorizado (MDP)",
    "presupuesto_ejercido": "Presupuesto ejercido (MDP)",
    "reservas_saldo": "Saldo de reservas (MDP)",
}

HIDDEN = frozenset({"carga_id"})

# IMSS delegación -> OOAD: the delegaciones_imss catalog first, else ooad.cve_delegacion_imss.
DELEGATION_OOAD = (
    "SELECT cve_delegacion, cve_ooad FROM delegaciones_imss WHERE cve_ooad IS NOT NULL "
    "UNION ALL SELECT cve_delegacion_imss, cve_ooad FROM ooad "
    "WHERE cve_delegacion_imss NOT IN (SELECT cve_delegacion FROM delegaciones_imss)"
)


def label(column: str) -> str:
    """The Spanish header of a column (a readable fallback for columns not listed)."""
    return LABELS.get(column, column.replace("_", " ").capitalize())


@dataclass(frozen=True)
class ExportFilters:
    """Global filters (periodo 'AAAA' or 'AAAA-MM', region, ooad) and column filters {col: values}."""

    periodo: str | None = None
    region: str | None = None
    ooad: str | None = None
    columnas: dict[str, tuple] = field(default_factory=dict)

    def describe(self) -> dict[str, str]:
        """The filters as a person reads them (Excel header block, audit log)."""
        out = {
            "Periodo": self.periodo or "Todos",
            "Región": self.region or "Todas",
            "OOAD": scope_name(f"ooad:{self.ooad}").removeprefix("OOAD ") if self.ooad else "Todos",
        }
        for col, values in self.columnas.items():
            out[label(col)] = ", ".join(str(v) for v in values)
        return out


def get_dataset(dataset_id: str) -> Dataset:
    for ds in DATASETS:
        if ds.id == dataset_id:
            return ds
    raise InvalidArgumentError(f"Conjunto de datos desconocido: «{dataset_id}».")


def columns(dataset_id: str, db: Db = None) -> list[tuple[str, str]]:
    """(name, DuckDB type) of the dataset's exported columns, in table order."""
    ds = get_dataset(dataset_id)
    rows = query_rows(
        # this warehouse's own table: in shared mode the process's copy of the lake is attached too
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "AND table_catalog = current_database() AND table_schema = 'main' ORDER BY ordinal_position",
        [ds.table],
        db,
    )
    return [(name, kind) for name, kind in rows if name not in HIDDEN]


def available(db: Db = None) -> list[Dataset]:
    """The datasets whose table exists in this warehouse."""
    tables = {r[0] for r in query_rows("SELECT table_name FROM information_schema.tables", path=db)}
    return [ds for ds in DATASETS if ds.table in tables]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


PERIOD_FORMAT = "%Y-%m"  # a month reads «2026-11» on screen, in CSV, Excel and Parquet (as the contracts)


def _shown(column: str, kind: str) -> str:
    """A column as exported: the month of `periodo` as AAAA-MM text, never «2026-11-01 00:00:00»."""
    if column == "periodo" and kind == "DATE":
        return f"strftime(f.periodo, '{PERIOD_FORMAT}')"
    return f"f.{_quote(column)}"


def _period_predicate(period: Period, names: set[str], dataset_id: str) -> tuple[str, list]:
    if dataset_id == AGREEMENTS:
        return "f.fecha_registro BETWEEN ? AND ?", [period.start, month_end(period.end)]
    if "periodo" in names:
        return "f.periodo BETWEEN ? AND ?", [period.start, period.end]
    if "anio" in names:
        return "f.anio BETWEEN ? AND ?", [period.start.year, period.end.year]
    return "TRUE", []


def _geo_predicates(scope: Scope, region: str | None, ooad: str | None, names: set[str], dataset_id: str):
    """Scope AND filters; a national-only dataset refuses any geographic restriction."""
    where: list[str] = []
    params: list = []
    wanted = [(scope.level, scope.key)] if scope.level != "nacional" else []
    if region:
        wanted.append(("region", region))
    if ooad:
        wanted.append(("ooad", ooad.zfill(2) if ooad.isdigit() else ooad))
    if not wanted:
        return where, params
    if "cve_ooad" not in names and "cve_delegacion" not in names:
        raise InvalidArgumentError(
            f"«{get_dataset(dataset_id).nombre}» solo tiene datos nacionales; no se puede filtrar por región u OOAD."
        )
    for level, key in wanted:
        if "cve_ooad" not in names:  # IMSS detail: rows carry the IMSS delegación, mapped to its OOAD
            target = (
                "cve_ooad = ?"
                if level == "ooad"
                else "cve_ooad IN (SELECT cve_ooad FROM ooad WHERE region = ?)"
            )
            where.append(
                f"f.cve_delegacion IN (SELECT cve_delegacion FROM ({DELEGATION_OOAD}) WHERE {target})"
            )
        elif level == "ooad":
            where.append("f.cve_ooad = ?")
        elif "region" in names:
            where.append("f.region = ?")
        else:
            where.append("f.cve_ooad IN (SELECT cve_ooad FROM ooad WHERE region = ?)")
        params.append(key)
    return where, params


def select_sql(
    dataset_id: str,
    filters: ExportFilters,
    ambito: str | Scope = "nacional",
    direccion: str | None = None,
    db: Db = None,
    spanish_headers: bool = True,
) -> tuple[str, list]:
    """The filtered, scoped SELECT of a dataset with bound parameters (columns in Spanish by default)."""
    ds = get_dataset(dataset_id)
    cols = columns(dataset_id, db)
    if not cols:
        raise InvalidArgumentError(f"El conjunto «{ds.nombre}» no existe en este almacén.")
    names = {c for c, _ in cols}
    scope = parse_scope(ambito) if isinstance(ambito, str) else ambito
    where: list[str] = []
    params: list = []
    if filters.periodo:
        predicate, values = _period_predicate(parse_period(filters.periodo), names, dataset_id)
        where.append(predicate)
        params += values
    geo_where, geo_params = _geo_predicates(scope, filters.region, filters.ooad, names, dataset_id)
    where += geo_where
    params += geo_params
    if dataset_id == AGREEMENTS and direccion:
        where.append(directorate_sql("f"))
        params += [direccion, direccion]
    for col, chosen in filters.columnas.items():
        if col not in names:
            raise InvalidArgumentError(f"Columna desconocida en «{ds.nombre}»: «{col}».")
        if chosen:
            where.append(f"f.{_quote(col)} IN (SELECT unnest(?))")
            params.append(list(chosen))
    select = ", ".join(
        f"{_shown(c, kind)} AS {_quote(label(c) if spanish_headers else c)}" for c, kind in cols
    )
    order = [c for c in ("periodo", "anio", "fecha_registro", "cve_ooad", "folio", "kpi") if c in names]
    sql = f"SELECT {select} FROM {_quote(ds.table)} f WHERE {' AND '.join(where) or 'TRUE'}"
    if order and ds.ordered:
        sql += " ORDER BY " + ", ".join(f"f.{_quote(c)}" for c in order)
    return sql, params


def count_rows(sql: str, params: list, db: Db = None) -> int:
    """How many rows a SELECT returns (shown before a download)."""
    return int(query_rows(f"SELECT count(*) FROM ({sql})", params, db)[0][0])


def fetch(sql: str, params: list, db: Db = None, limit: int | None = None) -> pd.DataFrame:
    """The rows of a SELECT as a DataFrame (only for results small enough to show)."""
    if limit is not None:
        sql = f"SELECT * FROM ({sql}) LIMIT {int(limit)}"
    return query_df(sql, params, db)


def distinct_values(
    dataset_id: str,
    column: str,
    db: Db = None,
    limit: int = 200,
    ambito: str | Scope = "nacional",
    direccion: str | None = None,
) -> list:
    """The values of a column (for a column filter), sorted: only those of rows inside the user's
    scope (`ambito`, and `direccion` for agreements), the same predicates as `select_sql`.

    A dataset with national rows only has no values for a geographic scope (empty list).
    """
    ds = get_dataset(dataset_id)
    names = {c for c, _ in columns(dataset_id, db)}
    if column not in names:
        raise InvalidArgumentError(f"Columna desconocida en «{ds.nombre}»: «{column}».")
    scope = parse_scope(ambito) if isinstance(ambito, str) else ambito
    try:
        where, params = _geo_predicates(scope, None, None, names, dataset_id)
    except InvalidArgumentError:  # national rows only: nothing lies inside a region or an OOAD
        return []
    if dataset_id == AGREEMENTS and direccion:
        where.append(directorate_sql("f"))
        params += [direccion, direccion]
    rows = query_rows(
        f"SELECT DISTINCT f.{_quote(column)} FROM {_quote(ds.table)} f WHERE f.{_quote(column)} IS NOT NULL"
        f" AND {' AND '.join(where) or 'TRUE'} ORDER BY 1 LIMIT {int(limit)}",
        params,
        db,
    )
    return [r[0] for r in rows]


def narrow_scope(ambito: str, region: str | None, ooad: str | None, db: Db = None) -> str:
    """The engine scope for the global filters inside the user's scope (a filter outside it is refused)."""
    scope = parse_scope(ambito)
    if ooad:
        ooad = ooad.zfill(2) if ooad.isdigit() else ooad
        rows = query_rows("SELECT region FROM ooad WHERE cve_ooad = ?", [ooad], db)
        inside = (
            scope.level == "nacional"
            or (scope.level == "ooad" and scope.key == ooad)
            or (scope.level == "region" and bool(rows) and rows[0][0] == scope.key)
        )
        if not inside:
            raise InvalidArgumentError(f"El OOAD {ooad} está fuera de su ámbito ({scope.code}).")
        return f"ooad:{ooad}"
    if region:
        if scope.level == "ooad":
            rows = query_rows("SELECT region FROM ooad WHERE cve_ooad = ?", [scope.key], db)
            if not rows or rows[0][0] != region:
                raise InvalidArgumentError(f"La región {region} está fuera de su ámbito ({scope.code}).")
            return scope.code
        if scope.level == "region" and scope.key != region:
            raise InvalidArgumentError(f"La región {region} está fuera de su ámbito ({scope.code}).")
        return f"region:{region}"
    return scope.code


def data_version(db: Db = None) -> int:
    """The warehouse data version (stated in every export)."""
    return warehouse.data_version(db)
