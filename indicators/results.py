"""KPI results per data version: every KPI × period × scope computed once, in one SQL pass, then read by key.

`build` runs one set-based query over the fact tables: for each scorecard KPI (not the
agreement KPIs, which change without a load, nor a dataset holding state or national rows,
whose grain rules stay in the engine), each month and year with data and each scope
(nacional, región, entidad, OOAD), the value of the period, of the period before and of the
year before, the meta and the sparkline point. The semáforo comes from indicators/status.py.
The rows live in a per-process in-memory DuckDB table keyed by the warehouse's data version,
so a load or an undo (a new version) is never answered from older rows, and the same code
works when several processes share one warehouse. The engine stays the reference: every read
that the table does not cover returns None and the caller asks the engine.
The levels below the OOAD (the 25 UMAE, the medical units) are not held: a question about one
reads a few rows of its detail table, which the engine answers as fast as this table would.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.catalog import CATALOG, get
from indicators.coverage import coverage
from indicators.definitions import FLOW, Kpi
from indicators.engine import BREAKDOWN_COLUMNS, KpiValue, _frame, _last_months, kpi_value
from indicators.grains import GRAINED, coarse_datasets
from indicators.periods import parse_period
from indicators.queries import uses_last_month
from indicators.slices import Slices, among, tuples, where
from indicators.status import attainment, status
from indicators.sums import EXACT, floating_columns, total
from warehouse import cursor, data_version, query_rows
from warehouse.config import db_path
from warehouse.rows import scalar

Db = Path | str | None
LEVELS = ("region", "entidad", "ooad")
_BUILD_LOCK = threading.Lock()
_BUILT: dict[tuple[str, int], Results] = {}
KEEP = 2  # versions kept per process: the current one and the one a session may still be on
PERIOD_COLUMNS = (
    "codigo",
    "kpi",
    "ambito",
    "nivel",
    "clave",
    "nombre",
    "region_de",
    "valor",
    "anterior",
    "hace_un_anio",
    "meta",
    "desde",
    "hasta",
    "cobertura",
)
SCOPE_COLUMNS = ("ambito || '|' || kpi AS serie", "kpi", "inicio", "valor")
EPOCH = date(1970, 1, 1)


def covered_kpis(db: Db = None) -> list[Kpi]:
    """The KPIs the results table holds: all but agreements and datasets stored at coarser grains."""
    coarse = coarse_datasets(db)
    return [k for k in CATALOG if k.fuente != "acuerdos" and k.fuente not in coarse]


def _mode(kpi: Kpi) -> str:
    if kpi.frecuencia == "anual":
        return "anual"  # the latest survey up to the range's end
    return "ultimo" if uses_last_month(kpi) else "flujo"


def _base_sql(kpis: Sequence[Kpi], doubles: set[tuple[str, str]]) -> str:
    """One row per KPI, month (January for yearly surveys) and OOAD: numerator and denominator.

    Integer measures go in n, d; DOUBLE ones in nf, df as exact decimals (indicators/sums.py),
    so every total below has the same bits as the engine's.
    """
    parts = []
    for kpi in kpis:
        geo = kpi.fuente != "finanzas"
        month = "make_date(f.anio, 1, 1)" if kpi.frecuencia == "anual" else "f.periodo"
        filt = f" FILTER (WHERE f.{kpi.filtro})" if kpi.filtro else ""
        sums = []
        for expr in (kpi.numerador, kpi.denominador):
            floating = (kpi.fuente, expr) in doubles
            exact = f"sum(CAST(f.{expr} AS {EXACT})){filt}" if expr else "NULL"
            sums += [
                f"sum(f.{expr}){filt}" if expr and not floating else "NULL::HUGEINT",
                exact if floating else f"NULL::{EXACT}",
            ]
        ooad = "f.cve_ooad" if geo else "NULL::VARCHAR"
        parts.append(
            f"SELECT '{kpi.id}' AS kpi, {month} AS mes, {ooad} AS cve_ooad, {sums[0]} AS n, {sums[1]} AS nf,"
            f" {sums[2]} AS d, {sums[3]} AS df FROM {kpi.fuente} f GROUP BY 2, 3"
        )
    return " UNION ALL ".join(parts)


def _months_sql(fuentes: Sequence[str]) -> str:
    parts = [
        "SELECT DISTINCT 'satisfaccion' AS fuente, make_date(anio, 1, 1) AS mes FROM satisfaccion"
        if f == "satisfaccion"
        else f"SELECT DISTINCT '{f}' AS fuente, periodo AS mes FROM {f}"
        for f in fuentes
    ]
    return " UNION ALL ".join(parts)


def build_sql(
    kpis: Sequence[Kpi], last: dict[str, date | None], doubles: set[tuple[str, str]]
) -> tuple[str, list]:
    """The one query: a row per KPI × period × scope with value, period before, year before and meta."""
    fuentes = sorted({k.fuente for k in kpis if last.get(k.fuente)})
    kpis = [k for k in kpis if k.fuente in fuentes]
    info = ", ".join(
        f"('{k.id}', '{k.fuente}', '{_mode(k)}', {bool(k.denominador or k.numerador == 'cumplimiento')},"
        f" {float(k.factor)!r}, {k.agregacion == FLOW}, {bool(k.denominador) and k.agregacion != FLOW},"
        f" {not k.denominador}, {'ooad' in k.niveles})"
        for k in kpis
    )
    lasts = ", ".join(f"('{f}', ?::DATE)" for f in fuentes)
    params: list = [last[f] for f in fuentes]
    sql = f"""
WITH
kinfo(kpi, fuente, modo, ratio, factor, flujo, meta_nacional, aditivo, geo) AS (VALUES {info}),
lasts(fuente, ultimo) AS (VALUES {lasts}),
base AS ({_base_sql(kpis, doubles)}),
meses_dato AS ({_months_sql(fuentes)}),
meses AS (SELECT g::DATE AS m FROM generate_series(
    (SELECT min(mes) FROM meses_dato), (SELECT max(ultimo) FROM lasts), INTERVAL 1 MONTH) t(g)),
periodos AS (
    SELECT strftime(m, '%Y-%m') AS codigo, 'mes' AS tipo, m AS ps, m AS pe FROM meses
    UNION ALL SELECT DISTINCT year(m)::VARCHAR, 'anio', make_date(year(m), 1, 1), make_date(year(m), 12, 1)
    FROM meses),
spans AS (
    SELECT l.fuente, p.codigo, p.tipo, p.ps AS s, least(p.pe, l.ultimo) AS e
    FROM periodos p, lasts l WHERE p.ps <= l.ultimo),
-- the period before and the year before are other periods' own values (r = 0), except the same
-- months of last year for a year in course (r = 1)
rangos AS (
    SELECT fuente, codigo, 0 AS r, s, e FROM spans
    UNION ALL SELECT fuente, codigo, 1, (s - INTERVAL 12 MONTH)::DATE, (e - INTERVAL 12 MONTH)::DATE
    FROM spans WHERE tipo = 'anio' AND month(e) < 12),
-- the months each range reads: all of them (flows), the last with data (stocks), the last survey (yearly)
picks AS (
    SELECT rg.fuente, rg.codigo, rg.r, g::DATE AS mes, 'flujo' AS modo
    FROM rangos rg, generate_series(rg.s, rg.e, INTERVAL 1 MONTH) t(g)
    UNION ALL SELECT rg.fuente, rg.codigo, rg.r, max(md.mes), 'ultimo'
    FROM rangos rg JOIN meses_dato md ON md.fuente = rg.fuente AND md.mes BETWEEN rg.s AND rg.e
    GROUP BY ALL
    UNION ALL SELECT rg.fuente, rg.codigo, rg.r, max(md.mes), 'anual'
    FROM rangos rg JOIN meses_dato md ON md.fuente = rg.fuente AND year(md.mes) <= year(rg.e)
    GROUP BY ALL),
filas AS (
    SELECT b.kpi, p.codigo, p.r, b.n, b.nf, b.d, b.df, o.region, o.cve_entidad, b.cve_ooad
    FROM base b JOIN kinfo k ON k.kpi = b.kpi
    JOIN picks p ON p.fuente = k.fuente AND p.modo = k.modo AND p.mes = b.mes
    LEFT JOIN ooad o ON o.cve_ooad = b.cve_ooad
    WHERE NOT k.geo OR o.cve_ooad IS NOT NULL),
sumas AS (
    SELECT kpi, codigo, r,
        CASE WHEN grouping(region) = 0 THEN 'region:' || region
             WHEN grouping(cve_entidad) = 0 THEN 'entidad:' || cve_entidad
             WHEN grouping(cve_ooad) = 0 THEN 'ooad:' || cve_ooad ELSE 'nacional' END AS ambito,
        coalesce(sum(n)::DOUBLE, sum(nf)::DOUBLE) AS n, coalesce(sum(d)::DOUBLE, sum(df)::DOUBLE) AS d
    FROM filas
    GROUP BY GROUPING SETS ((kpi, codigo, r), (kpi, codigo, r, region), (kpi, codigo, r, cve_entidad),
                            (kpi, codigo, r, cve_ooad))),
valores AS (
    SELECT s.kpi, s.codigo, s.r, s.ambito,
        CASE WHEN s.n IS NULL THEN NULL
             WHEN k.ratio THEN CASE WHEN s.d IS NULL OR s.d = 0 THEN NULL
                                    ELSE s.n / s.d * k.factor END
             ELSE s.n * k.factor END AS valor
    FROM sumas s JOIN kinfo k USING (kpi)
    WHERE s.ambito IS NOT NULL AND (k.geo OR s.ambito = 'nacional')),
ambitos AS (
    SELECT 'nacional' AS ambito, 'nacional' AS nivel, NULL AS clave, NULL AS nombre, NULL AS region_de
    UNION ALL SELECT 'region:' || region, 'region', region, region, region FROM regiones
    UNION ALL SELECT 'entidad:' || e.cve_entidad, 'entidad', e.cve_entidad, e.nombre, min(o.region)
    FROM entidades e JOIN ooad o USING (cve_entidad) GROUP BY ALL
    UNION ALL SELECT 'entidad:' || cve_entidad, 'entidad', cve_entidad, nombre, NULL FROM entidades
    WHERE cve_entidad NOT IN (SELECT cve_entidad FROM ooad WHERE cve_entidad IS NOT NULL)
    UNION ALL SELECT 'ooad:' || cve_ooad, 'ooad', cve_ooad, nombre, region FROM ooad),
-- an annual KPI's figure is its survey's (the latest up to the period's year, `encuesta`): its months
-- (ds, de) are that survey's year, its period before and year before the survey before
-- (engine._span)
esqueleto AS (
    SELECT k.kpi, k.fuente, sp.codigo, sp.tipo, sp.s, sp.e, a.ambito, a.nivel, a.clave, a.nombre, a.region_de,
        coalesce(en.mes, sp.s) AS ds, coalesce((en.mes + INTERVAL 11 MONTH)::DATE, sp.e) AS de,
        CASE WHEN en.mes IS NOT NULL THEN (year(en.mes) - 1)::VARCHAR
             WHEN sp.tipo = 'mes' THEN strftime(sp.s - INTERVAL 1 MONTH, '%Y-%m')
             WHEN month(sp.e) < 12 THEN sp.codigo ELSE (year(sp.s) - 1)::VARCHAR END AS previo,
        CASE WHEN en.mes IS NULL AND sp.tipo = 'anio' AND month(sp.e) < 12 THEN 1 ELSE 0 END AS r_previo,
        CASE WHEN en.mes IS NOT NULL THEN (year(en.mes) - 1)::VARCHAR
             WHEN sp.tipo = 'mes' THEN strftime(sp.s - INTERVAL 12 MONTH, '%Y-%m') END AS hace
    FROM kinfo k JOIN spans sp USING (fuente) JOIN ambitos a ON k.geo OR a.ambito = 'nacional'
    LEFT JOIN picks en ON k.modo = 'anual' AND en.modo = 'anual' AND en.fuente = sp.fuente
        AND en.codigo = sp.codigo AND en.r = 0),
metas_rango AS (
    SELECT sk.kpi, sk.codigo, m.ambito, {total("m.valor", floating=True)} AS total, arg_max(m.valor, m.periodo) AS ultimo
    FROM metas m JOIN (SELECT DISTINCT kpi, codigo, ds, de FROM esqueleto) sk
        ON sk.kpi = m.kpi AND m.periodo BETWEEN sk.ds AND sk.de
    GROUP BY ALL),
metas_propias AS (
    SELECT mr.kpi, mr.codigo, mr.ambito, CASE WHEN k.flujo THEN mr.total ELSE mr.ultimo END AS meta
    FROM metas_rango mr JOIN kinfo k USING (kpi)),
-- a state's meta of an additive KPI: the sum of its OOAD's metas (an explicit state meta wins)
metas_estado AS (
    SELECT mp.kpi, mp.codigo, 'entidad:' || o.cve_entidad AS ambito, sum(mp.meta) AS meta
    FROM metas_propias mp JOIN kinfo k USING (kpi) JOIN ooad o ON mp.ambito = 'ooad:' || o.cve_ooad
    WHERE k.aditivo AND mp.meta IS NOT NULL GROUP BY ALL)
SELECT sk.kpi, sk.codigo, sk.ambito, sk.nivel, sk.clave, sk.nombre, sk.region_de, sk.fuente,
    strftime(sk.ds, '%Y-%m') AS desde, strftime(sk.de, '%Y-%m') AS hasta, sk.e AS fin,
    v0.valor, v1.valor AS anterior, coalesce(v2.valor, CASE WHEN sk.tipo = 'anio' THEN v1.valor END) AS hace_un_anio,
    coalesce(mp.meta, me.meta, CASE WHEN k.meta_nacional THEN mn.meta END) AS meta,
    CASE WHEN k.modo = 'anual' THEN sk.tipo = 'anio' AND year(pk.mes) = year(sk.s)
         ELSE sk.tipo = 'mes' END AS punto
FROM esqueleto sk JOIN kinfo k USING (kpi)
LEFT JOIN valores v0 ON v0.kpi = sk.kpi AND v0.codigo = sk.codigo AND v0.ambito = sk.ambito AND v0.r = 0
LEFT JOIN valores v1 ON v1.kpi = sk.kpi AND v1.codigo = sk.previo AND v1.ambito = sk.ambito AND v1.r = sk.r_previo
LEFT JOIN valores v2 ON v2.kpi = sk.kpi AND v2.codigo = sk.hace AND v2.ambito = sk.ambito AND v2.r = 0
LEFT JOIN metas_propias mp ON mp.kpi = sk.kpi AND mp.codigo = sk.codigo AND mp.ambito = sk.ambito
    AND mp.meta IS NOT NULL
LEFT JOIN metas_estado me ON me.kpi = sk.kpi AND me.codigo = sk.codigo AND me.ambito = sk.ambito
LEFT JOIN metas_propias mn ON mn.kpi = sk.kpi AND mn.codigo = sk.codigo AND mn.ambito = 'nacional'
    AND mn.meta IS NOT NULL
LEFT JOIN picks pk ON pk.fuente = sk.fuente AND pk.codigo = sk.codigo AND pk.r = 0 AND pk.modo = 'anual'
ORDER BY sk.codigo, sk.ambito, sk.kpi
"""
    return sql, params


@dataclass
class Results:
    """One data version's KPI rows in an in-memory DuckDB table `r`, read by (period, scope) from Arrow slices of it."""

    key: tuple[str, int]
    con: duckdb.DuckDBPyConnection
    kpis: frozenset[str]
    rows: int
    seconds: float
    last: dict[str, date | None] = field(default_factory=dict)  # each dataset's last month
    split_states: bool = (
        True  # a state whose OOAD lie in two regions (then states within a region are the engine's)
    )
    by_period: Slices = field(init=False)  # the rows of `r` cut by period (values, breakdowns)
    by_scope: Slices = field(
        init=False
    )  # the sparkline points of `r` cut by scope and KPI (series, histories)

    def __post_init__(self) -> None:
        columns = ", ".join(PERIOD_COLUMNS)
        rows = self.con.sql(f"SELECT {columns} FROM r ORDER BY codigo, ambito, kpi").to_arrow_table()
        self.by_period = Slices(rows, "codigo")
        points = self.con.sql(
            f"SELECT {', '.join(SCOPE_COLUMNS)} FROM r WHERE punto AND valor IS NOT NULL"
            " ORDER BY ambito, kpi, inicio"
        ).to_arrow_table()
        self.by_scope = Slices(points, "serie")
        self._days = (
            self.by_scope.table["inicio"].cast(pa.int32()).to_numpy()
        )  # days since 1970, for bisection

    def covers(self, kpi_ids: Sequence[str]) -> bool:
        return all(k in self.kpis for k in kpi_ids)

    def values(self, kpi_ids: Sequence[str], periodo: str, ambito: str) -> dict[str, KpiValue | None] | None:
        """KpiValues as engine.values gives them for a scope already cut to the user's; None if not held."""
        if not self.covers(kpi_ids):
            return None
        if not all(get(k).measured_at(ambito) for k in kpi_ids):
            return None  # the engine refuses those in Spanish
        period = parse_period(periodo)
        part = self.by_period.get(period.code)
        rows = tuples(
            where(part, pc.equal(part["ambito"], ambito), among(part, "kpi", kpi_ids)),
            ("kpi", "valor", "anterior", "hace_un_anio", "meta", "desde", "hasta", "cobertura"),
        )
        found = {row[0]: row for row in rows}
        out: dict[str, KpiValue | None] = {}
        for kpi_id in kpi_ids:
            if kpi_id not in found:
                if self._beyond(kpi_id, period):
                    out[kpi_id] = None
                    continue
                return None
            _, valor, prev, ago, meta, desde, hasta, cobertura = found[kpi_id]
            kpi = get(kpi_id)
            out[kpi_id] = kpi_value(
                kpi, period.code, ambito, valor, meta, prev, ago, desde, hasta, cobertura=cobertura
            )
        return out

    def _beyond(self, kpi_id: str, period) -> bool:
        """Whether the period starts after the KPI's last month with data (the engine returns None)."""
        last = self.last.get(get(kpi_id).fuente)
        return last is None or period.start > last

    def sparklines(
        self, kpi_ids: Sequence[str], desde: date, hasta: date, ambito: str
    ) -> dict[str, list[float]] | None:
        """The values engine.series_many gives for [desde, hasta] (months; years for surveys)."""
        rows = self._points(kpi_ids, desde, hasta, ambito)
        if rows is None:
            return None
        out: dict[str, list[float]] = {k: [] for k in kpi_ids}
        for kpi_id, _, valor in rows:
            out[kpi_id].append(valor)
        return out

    def history(self, kpi_id: str, desde: date, hasta: date, ambito: str) -> pd.Series | None:
        """A monthly KPI's values in [desde, hasta] as engine.series gives them, indexed by month start."""
        rows = self._points([kpi_id], desde, hasta, ambito)
        if rows is None or get(kpi_id).frecuencia == "anual":
            return None
        return pd.Series(
            [valor for _, _, valor in rows],
            index=pd.to_datetime([inicio for _, inicio, _ in rows]),
            dtype="float64",
        )

    def _points(
        self, kpi_ids: Sequence[str], desde: date, hasta: date, ambito: str
    ) -> list[tuple[str, date, float]] | None:
        """(kpi, first day, value) of each month (year for surveys) with a value, in order; None if not held."""
        if not self.covers(kpi_ids) or not all(get(k).measured_at(ambito) for k in kpi_ids):
            return None
        if ambito.partition(":")[0] not in ("nacional", *LEVELS):
            return None  # a UMAE or a medical unit: the engine reads their detail tables
        rows: list[tuple[str, date, float]] = []
        for kpi_id in sorted(set(kpi_ids)):  # a KPI's points at a scope are one run, ordered by month
            first, last = self.by_scope.span(f"{ambito}|{kpi_id}")
            start, end = desde, hasta
            if get(kpi_id).frecuencia == "anual":  # its points are years: January 1st of each
                start, end = date(desde.year, 1, 1), date(hasta.year, 1, 1)
            days = self._days[first:last]
            lo = first + int(np.searchsorted(days, (start - EPOCH).days, "left"))
            hi = first + int(np.searchsorted(days, (end - EPOCH).days, "right"))
            rows += tuples(self.by_scope.table.slice(lo, hi - lo), ("kpi", "inicio", "valor"))
        return rows

    def breakdowns(
        self, kpi_ids: Sequence[str], periodo: str, nivel: str, ambito: str
    ) -> dict[str, pd.DataFrame] | None:
        """engine.breakdowns for a scope already cut to the user's: national, or the parts of a region."""
        found = self.breakdown_rows(kpi_ids, periodo, nivel, ambito)
        return None if found is None else {k: breakdown_frame(rows) for k, rows in found.items()}

    def breakdown_rows(
        self, kpi_ids: Sequence[str], periodo: str, nivel: str, ambito: str
    ) -> dict[str, list[tuple]] | None:
        """The rows of `breakdowns` (BREAKDOWN_COLUMNS, best first) without building DataFrames."""
        scope_level, _, key = ambito.partition(":")
        if not self.covers(kpi_ids) or nivel not in LEVELS:
            return None
        if scope_level not in ("nacional", "region") or (
            scope_level == "region" and nivel == "entidad" and self.split_states
        ):
            return None
        part = self.by_period.get(parse_period(periodo).code)
        conditions = [pc.equal(part["nivel"], nivel), pc.is_valid(part["valor"]), among(part, "kpi", kpi_ids)]
        if scope_level == "region":
            conditions.append(pc.equal(part["region_de"], key))
        rows = tuples(where(part, *conditions), ("kpi", "clave", "nombre", "region_de", "valor", "meta"))
        by_kpi: dict[str, list[tuple]] = {k: [] for k in kpi_ids}
        for kpi_id, clave, nombre, region, valor, meta in rows:
            kpi = get(kpi_id)
            done = attainment(kpi, valor, meta)
            by_kpi[kpi_id].append((clave, nombre, region, valor, meta, done, status(kpi, valor, meta)))
        for found in by_kpi.values():
            found.sort(key=lambda r: (-(r[5] if r[5] is not None else -1), r[0]))
        return by_kpi


def breakdown_frame(rows: list[tuple]) -> pd.DataFrame:
    """Breakdown rows (BREAKDOWN_COLUMNS) as the engine's DataFrame."""
    return _frame(rows) if rows else pd.DataFrame(columns=BREAKDOWN_COLUMNS)


def build(db: Db = None) -> Results:
    """Compute every covered KPI × period × scope of the warehouse now, in one query."""
    import time

    started = time.perf_counter()
    key = (str(Path(db) if db else db_path()), data_version(db))
    kpis = covered_kpis(db)
    last = _last_months(db)
    doubles = {(k.fuente, c) for k in kpis for c in floating_columns(k.fuente, db)}
    sql, params = build_sql(kpis, last, doubles)
    with cursor(db) as cur:  # one snapshot: the version and the rows it names
        cur.execute("BEGIN TRANSACTION")
        key = (key[0], int(scalar(cur, "SELECT coalesce(max(id), 0) FROM cargas")))
        table = cur.execute(sql, params).df()
        cur.execute("COMMIT")
    notes = _coverage_notes({k.fuente for k in kpis}, db)
    con = duckdb.connect(":memory:")
    con.register("t", table)
    con.register("c", notes)
    con.execute(
        "CREATE TABLE r AS SELECT t.* EXCLUDE (fin), c.nota AS cobertura,"
        " CASE WHEN length(codigo) = 4 THEN 'anio' ELSE 'mes' END AS tipo,"
        " CASE WHEN length(codigo) = 4 THEN make_date(codigo::INTEGER, 1, 1)"
        " ELSE strptime(codigo || '-01', '%Y-%m-%d')::DATE END AS inicio,"
        " FROM t LEFT JOIN c ON c.fuente = t.fuente AND c.mes = t.fin::DATE ORDER BY codigo, ambito, kpi"
    ).fetchall()
    con.unregister("t")
    con.unregister("c")
    rows = con.execute("SELECT count(*) FROM r").fetchall()[0][0]
    split = query_rows(
        "SELECT count(*) FROM (SELECT cve_entidad FROM ooad GROUP BY 1 HAVING count(DISTINCT region) > 1)",
        path=db,
    )[0][0]
    return Results(
        key,
        con,
        frozenset(k.id for k in kpis),
        rows,
        time.perf_counter() - started,
        last=last,
        split_states=bool(split),
    )


def _coverage_notes(fuentes: set[str], db: Db) -> pa.Table:
    """«parcial: n de N OOAD» per grained dataset and month (the card's coverage note)."""
    fuente, mes, nota = [], [], []
    for f in sorted(fuentes & set(GRAINED)):
        for month, text in coverage(f, db).items():
            fuente.append(f)
            mes.append(month)
            nota.append(text)
    return pa.table(
        {
            "fuente": pa.array(fuente, pa.string()),
            "mes": pa.array(mes, pa.date32()),
            "nota": pa.array(nota, pa.string()),
        }
    )


def current(db: Db = None, version: int | None = None) -> Results | None:
    """This process's results for the warehouse's data version (built on first use).

    With `version`, only the results of that version: None when the warehouse has moved past it
    (the caller then asks the engine, which reads the newer data) — never rows of another version.
    """
    path = str(Path(db) if db else db_path())
    found = _BUILT.get((path, version)) if version is not None else None
    if found is not None:
        return found
    with _BUILD_LOCK:  # sessions arriving during a build wait for it instead of building again
        now = data_version(db)
        if version is not None and version != now:
            return None
        found = _BUILT.get((path, now))
        if found is None:
            found = build(db)
            _BUILT[found.key] = found
            for old in list(_BUILT)[:-KEEP]:
                _BUILT.pop(old)  # its connection closes once no reader holds it
    return found if version is None or found.key == (path, version) else None
