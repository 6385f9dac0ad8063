"""The IMSS open-data file of insured jobs (`asg-YYYY-MM-DD.csv`): detail, afiliacion and cube.

One read by DuckDB straight into `asegurados_detalle` (dimensions as text, columns selected by
name, header mojibake normalised), then checks on the rows just written, then the month's
aggregates: the job columns of `afiliacion` by OOAD (other columns of existing rows kept) and
`asegurados_cubo` by OOAD and each drill-down dimension. Delegaciones with no OOAD in the
catalogs go to the OOAD '99' «Sin asignar» (created when first needed), with a warning.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from loaders.findings import Finding, LoadResult, Report
from loaders.readers import columns_literal, reject_findings
from loaders.sniff import FileInfo
from loaders.store import (
    Refused,
    archive,
    duplicate_of,
    duplicate_refusal,
    new_load_id,
    record_load,
    refuse,
)
from warehouse import clock, transaction
from warehouse.rows import one_row, scalar

DATASET = "asg"
DIMENSIONS = (
    "cve_delegacion",
    "cve_subdelegacion",
    "cve_entidad",
    "cve_municipio",
    "sector_economico_1",
    "sector_economico_2",
    "sector_economico_4",
    "tamano_patron",
    "sexo",
    "rango_edad",
    "rango_salarial",
    "rango_uma",
)
COUNTS = (
    "asegurados",
    "no_trabajadores",
    "ta",
    "teu",
    "tec",
    "tpu",
    "tpc",
    "ta_sal",
    "teu_sal",
    "tec_sal",
    "tpu_sal",
    "tpc_sal",
)
AMOUNTS = ("masa_sal_ta", "masa_sal_teu", "masa_sal_tec", "masa_sal_tpu", "masa_sal_tpc")
MEASURES = COUNTS + AMOUNTS
CUBE_DIMENSIONS = ("sector_economico_1", "tamano_patron", "sexo", "rango_edad", "rango_salarial")
UNASSIGNED = "99"
_SIGNATURE = {"cve_delegacion", "ta", "tpu", "masa_sal_ta"}

# afiliacion column <- SQL over the detail rows
JOB_COLUMNS = {
    "puestos_trabajo": "coalesce(sum(ta), 0)",
    "puestos_permanentes": "coalesce(sum(coalesce(tpu, 0) + coalesce(tpc, 0)), 0)",
    "puestos_eventuales": "coalesce(sum(coalesce(teu, 0) + coalesce(tec, 0)), 0)",
    "puestos_con_salario": "coalesce(sum(ta_sal), 0)",
    "masa_salarial": "coalesce(sum(masa_sal_ta), 0)",
    "asegurados": "coalesce(sum(asegurados), 0)",
}


def is_asg_header(columns: list[str]) -> bool:
    return set(columns) >= _SIGNATURE


def _types(columns: list[str]) -> dict[str, str]:
    out = {}
    for name in columns:
        if name in AMOUNTS:
            out[name] = "DOUBLE"
        elif name in COUNTS:
            out[name] = "BIGINT"
        else:
            out[name] = "VARCHAR"
    return out


def load(
    info: FileInfo,
    mode: str = "agregar",
    user: str = "planeacion",
    period: date | None = None,
    db: Path | str | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> LoadResult:
    """Load one asg file for its month (from the name, or `period`)."""
    file = info.name
    today = today or clock.today()
    period = period.replace(day=1) if period else info.name_period
    try:
        if period is None:
            raise refuse(
                DATASET,
                file,
                "El nombre del archivo no indica el periodo (asg-AAAA-MM-DD.csv); indíquelo (AAAA-MM).",
            )
        if period > today.replace(day=1):
            report = Report()
            report.add(Finding(file, None, "periodo", period.strftime("%Y-%m"), "periodo futuro"))
            raise refuse(DATASET, file, report.summary(), report)
        missing = [c for c in (*DIMENSIONS, *MEASURES) if c not in info.columns]
        if missing:
            report = Report()
            for name in missing:
                report.add(Finding(file, 1, name, None, "falta la columna obligatoria del archivo asg"))
            raise refuse(DATASET, file, report.summary(), report)
        with transaction(db) as cur:
            result = _load(cur, info, mode, user, period)
            if dry_run:
                result.status = "validada"
                result.message = (
                    f"Archivo válido: {result.rows:,} filas de {period:%Y-%m}. Confirme para cargarlo."
                )
                raise Refused(result)
            return result
    except Refused as exc:
        exc.result.details = exc.result.details or info.describe()
        return exc.result


def _load(cur: duckdb.DuckDBPyConnection, info: FileInfo, mode: str, user: str, period: date) -> LoadResult:
    file = info.name
    dup = duplicate_of(cur, DATASET, info.sha256)
    if dup:
        raise duplicate_refusal(DATASET, file, dup)
    stored = scalar(cur, "SELECT count(*) FROM asegurados_detalle WHERE periodo = ?", [period])
    if stored and mode == "agregar":
        report = Report()
        report.add(
            Finding(
                file,
                None,
                "periodo",
                f"{period:%Y-%m}",
                "ya está cargado; use el modo «reemplazar» para sustituirlo",
            )
        )
        raise refuse(DATASET, file, report.summary(), report)
    load_id = new_load_id(cur)
    replaced = 0
    if stored:
        replaced = archive(cur, "asegurados_detalle", "periodo = ?", [period], load_id)
        archive(cur, "asegurados_cubo", "periodo = ?", [period], load_id)
    archive(cur, "afiliacion", "periodo = ?", [period], load_id, delete=False)
    _read(cur, info, period, load_id)
    rows, total_ta = _check(cur, file, load_id)
    warnings = _aggregate(cur, period, load_id)
    record_load(cur, load_id, DATASET, file, info.sha256, rows, user, mode, f"{period:%Y-%m}")
    swap = f"; reemplazó {replaced:,} filas del mismo mes" if replaced else ""
    return LoadResult(
        "cargada",
        DATASET,
        file,
        load_id=load_id,
        rows=rows,
        periods=[f"{period:%Y-%m}"],
        warnings=warnings,
        details=info.describe() | {"puestos (Σ ta)": f"{total_ta:,}"},
        message=f"Carga {load_id}: {rows:,} filas del archivo asg de {period:%Y-%m}, {total_ta:,} puestos{swap}.",
    )


def _read(cur: duckdb.DuckDBPyConnection, info: FileInfo, period: date, load_id: int) -> None:
    types = _types(info.columns)
    select = ", ".join(f'"{c}"' for c in (*DIMENSIONS, *MEASURES))
    cur.execute(
        f"INSERT INTO asegurados_detalle (periodo, {select}, carga_id) SELECT ?, {select}, ? FROM read_csv(?, "
        f"delim = ?, header = true, columns = {columns_literal(types)}, encoding = ?, auto_detect = false, "
        "quote = '\"', escape = '\"', store_rejects = true, rejects_table = '_rej', rejects_scan = '_rej_scan')",
        [period, load_id, str(info.path), info.delimiter, info.duckdb_encoding],
    )
    report = reject_findings(cur, info.name)
    if not report.ok:
        raise refuse(DATASET, info.name, report.summary(), report)


# the line in the file of a detail row of this load (rows are appended in file order)
_LINE = "CAST(rowid - (SELECT min(rowid) FROM asegurados_detalle WHERE carga_id = ?) + 2 AS BIGINT)"


def _check(cur: duckdb.DuckDBPyConnection, file: str, load_id: int) -> tuple[int, int]:
    """Negative measures and repeated cube cells are errors; return (rows, Σ ta).

    One scan builds `_deleg` (the month's totals by delegación, used by the aggregates) with the
    checks: minima, and distinct cells per delegación (cve_delegacion is part of the cell key).
    """
    dims = ", ".join(DIMENSIONS)
    sums = ", ".join(f"{expr} AS {col}" for col, expr in JOB_COLUMNS.items())
    mins = ", ".join(f"min({m}) AS min_{m}" for m in MEASURES)
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _deleg AS SELECT cve_delegacion, {sums}, count(*) AS filas,"
        f" count(DISTINCT hash({dims})) AS celdas, coalesce(sum(ta), 0) AS suma_ta, {mins}"
        " FROM asegurados_detalle WHERE carga_id = ? GROUP BY cve_delegacion",
        [load_id],
    )
    mins_all = ", ".join(f"min(min_{m})" for m in MEASURES)
    row = one_row(
        cur,
        f"SELECT coalesce(sum(filas), 0), coalesce(sum(suma_ta), 0), coalesce(sum(filas - celdas), 0), {mins_all}"
        " FROM _deleg",
    )
    rows, total_ta, repeated, minima = int(row[0]), int(row[1]), int(row[2]), row[3:]
    report = Report()
    for name, low in zip(MEASURES, minima, strict=True):
        if low is not None and low < 0:
            found = cur.execute(
                f"SELECT {_LINE} AS line, CAST({name} AS VARCHAR) FROM asegurados_detalle"
                f" WHERE carga_id = ? AND {name} < 0 ORDER BY line LIMIT 50",
                [load_id, load_id],
            ).fetchall()
            count = scalar(
                cur, f"SELECT count(*) FROM asegurados_detalle WHERE carga_id = ? AND {name} < 0", [load_id]
            )
            report.extend(
                [Finding(file, int(r[0]), name, r[1], "no puede ser negativo") for r in found], int(count)
            )
    if repeated:
        found = cur.execute(
            f"SELECT line, primera FROM (SELECT {_LINE} AS line, min({_LINE}) OVER (PARTITION BY {dims})"
            f" AS primera FROM asegurados_detalle WHERE carga_id = ?) WHERE line > primera ORDER BY line",
            [load_id, load_id, load_id],
        ).fetchall()
        for line, first in found:
            report.add(
                Finding(
                    file,
                    int(line),
                    "cve_delegacion … rango_uma",
                    None,
                    f"celda repetida; ya aparece en la fila {first}",
                )
            )
    if rows == 0:
        report.add(Finding(file, None, None, None, "el archivo no tiene filas de datos"))
    if not report.ok:
        report.findings.sort(key=lambda f: f.row or 0)
        raise refuse(DATASET, file, report.summary(), report)
    return rows, total_ta


def _aggregate(cur: duckdb.DuckDBPyConnection, period: date, load_id: int) -> list[str]:
    """afiliacion and asegurados_cubo for the month; return warnings (unassigned delegaciones)."""
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _map AS SELECT d.cve_delegacion,"
        " coalesce(o1.cve_ooad, o2.cve_ooad) AS cve_ooad FROM (SELECT DISTINCT cve_delegacion FROM _deleg) d"
        " LEFT JOIN delegaciones_imss m ON ltrim(m.cve_delegacion, '0') = ltrim(d.cve_delegacion, '0')"
        " LEFT JOIN ooad o1 ON o1.cve_ooad = m.cve_ooad"
        " LEFT JOIN (SELECT ltrim(cve_delegacion_imss, '0') AS k, min(cve_ooad) AS cve_ooad FROM ooad"
        "  WHERE cve_ooad <> ? GROUP BY 1) o2 ON o2.k = ltrim(d.cve_delegacion, '0')",
        [UNASSIGNED],
    )
    unknown = cur.execute(
        "SELECT coalesce(d.cve_delegacion, '(vacía)'), d.puestos_trabajo FROM _deleg d JOIN _map m"
        " ON m.cve_delegacion IS NOT DISTINCT FROM d.cve_delegacion WHERE m.cve_ooad IS NULL ORDER BY 1"
    ).fetchall()
    warnings = []
    if unknown:
        cur.execute(
            "INSERT INTO ooad (cve_ooad, nombre, region, cve_entidad, cve_delegacion_imss)"
            " SELECT ?, 'Sin asignar', 'Sin asignar', ?, '' WHERE NOT EXISTS (SELECT 1 FROM ooad WHERE cve_ooad = ?)",
            [UNASSIGNED, UNASSIGNED, UNASSIGNED],
        )
        listed = ", ".join(f"{code} ({jobs or 0:,} puestos)" for code, jobs in unknown)
        warnings.append(
            f"Delegaciones sin OOAD en el catálogo, sumadas en «Sin asignar» ({UNASSIGNED}): {listed}. "
            "Cargue el diccionario de datos (diccionario_de_datos_1.xlsx) o corrija el catálogo de OOAD."
        )
    cur.execute("UPDATE _map SET cve_ooad = ? WHERE cve_ooad IS NULL", [UNASSIGNED])
    cols = ", ".join(JOB_COLUMNS)
    updates = ", ".join(f"{c} = s.{c}" for c in JOB_COLUMNS)
    values = ", ".join(f"s.{c}" for c in JOB_COLUMNS)
    # MERGE rather than ON CONFLICT: a DuckLake table has no primary key to conflict on.
    cur.execute(
        f"MERGE INTO afiliacion t USING (SELECT CAST(? AS DATE) AS periodo, m.cve_ooad,"
        f" {', '.join(f'sum(d.{c}) AS {c}' for c in JOB_COLUMNS)}, CAST(? AS INTEGER) AS carga_id"
        " FROM _deleg d JOIN _map m ON m.cve_delegacion IS NOT DISTINCT FROM d.cve_delegacion"
        " GROUP BY m.cve_ooad) s ON t.periodo = s.periodo AND t.cve_ooad = s.cve_ooad"
        f" WHEN MATCHED THEN UPDATE SET {updates}, carga_id = s.carga_id"
        f" WHEN NOT MATCHED THEN INSERT (periodo, cve_ooad, {cols}, carga_id)"
        f" VALUES (s.periodo, s.cve_ooad, {values}, s.carga_id)",
        [period, load_id],
    )
    zeros = ", ".join(f"{c} = 0" for c in JOB_COLUMNS)
    cur.execute(
        f"UPDATE afiliacion SET {zeros}, carga_id = ? WHERE periodo = ? AND carga_id IS DISTINCT FROM ?",
        [load_id, period, load_id],
    )
    _cube(cur, period, load_id)
    return warnings


def _cube(cur: duckdb.DuckDBPyConnection, period: date, load_id: int) -> None:
    sets = ", ".join(f"(cve_delegacion, {d})" for d in CUBE_DIMENSIONS)
    which = " ".join(f"WHEN grouping({d}) = 0 THEN '{d}'" for d in CUBE_DIMENSIONS)
    value = " ".join(f"WHEN grouping({d}) = 0 THEN {d}" for d in CUBE_DIMENSIONS)
    sums = ", ".join(f"{expr} AS {col}" for col, expr in JOB_COLUMNS.items())
    cols = ", ".join(JOB_COLUMNS)
    resums = ", ".join(f"sum(g.{c})" for c in JOB_COLUMNS)
    cur.execute(
        f"INSERT INTO asegurados_cubo (periodo, cve_ooad, dimension, categoria, {cols}, carga_id)"
        f" WITH g AS (SELECT cve_delegacion, CASE {which} END AS dimension,"
        f" coalesce(CASE {value} END, 'Sin dato') AS categoria, {sums}"
        f" FROM asegurados_detalle WHERE carga_id = ? GROUP BY GROUPING SETS ({sets}))"
        f" SELECT ?, m.cve_ooad, g.dimension, g.categoria, {resums}, ? FROM g JOIN _map m"
        " ON m.cve_delegacion IS NOT DISTINCT FROM g.cve_delegacion GROUP BY ALL",
        [load_id, period, load_id],
    )
