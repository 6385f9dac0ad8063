"""Check a staged file (`_src`) against its contract inside DuckDB; build `_conv` with typed values.

Each rule is one SQL query yielding (row, column, value, problem); all go to `_hallazgos`, which
is counted in full and shown sorted by row. On success `_conv` holds the typed, normalised rows
ready to insert (columns named as the contract, plus `_fila`).
"""

from __future__ import annotations

from datetime import date

import duckdb

from loaders.contracts import NON_NEGATIVE, NOT_FUTURE, PERCENT, Column, Contract
from loaders.findings import MAX_SHOWN, Finding, Report
from loaders.readers import quote_ident as q
from loaders.readers import sql_text
from warehouse import clock
from warehouse.rows import scalar

_TYPE_PROBLEM = {
    "BIGINT": "no es un número entero",
    "INTEGER": "no es un número entero",
    "DOUBLE": "no es un número",
    "DATE": "no es una fecha AAAA-MM-DD",
    "PERIOD": "no es un periodo AAAA-MM",
}


def convert_expr(col: Column, raw: str) -> str:
    """SQL turning the raw text `raw` into the column's value (NULL when it does not convert)."""
    t = f"nullif(trim({raw}), '')"
    if col.is_period:
        return (
            f"CAST(date_trunc('month', coalesce(try_strptime({t}, '%Y-%m'), try_strptime({t}, '%Y-%m-%d'),"
            f" try_strptime({t}, '%Y-%m-%d %H:%M:%S'), try_strptime({t}, '%Y/%m'))) AS DATE)"
        )
    if col.type == "DATE":
        return (
            f"CAST(coalesce(try_strptime({t}, '%Y-%m-%d'), try_strptime({t}, '%Y-%m-%d %H:%M:%S'),"
            f" try_strptime({t}, '%d/%m/%Y')) AS DATE)"
        )
    # es-MX thousands separators, the app's own display format (104,500 or 1,234,567.5): accepted
    # only in strict groups of three, so a decimal comma (1,5) is still refused
    grouped = f"regexp_full_match({t}, '[+-]?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.[0-9]*)?')"
    plain = f"CASE WHEN {grouped} THEN replace({t}, ',', '') ELSE {t} END"
    if col.type in ("BIGINT", "INTEGER"):
        return f"CASE WHEN regexp_full_match({plain}, '[+-]?[0-9]+(\\.0*)?') THEN try_cast({plain} AS {col.type}) END"
    if col.type == "DOUBLE":
        return f"CASE WHEN isfinite(try_cast({plain} AS DOUBLE)) THEN try_cast({plain} AS DOUBLE) END"
    if col.pad:
        return f"CASE WHEN regexp_full_match({t}, '[0-9]+') THEN lpad({t}, {col.pad}, '0') ELSE {t} END"
    return t


# Catalog table -> the name `python -m loaders catalogo` takes.
CATALOG_NAMES = {
    "ooad": "ooad",
    "entidades": "entidad",
    "regiones": "region",
    "objetivos": "objetivo",
    "indicadores": "indicador",
    "direcciones": "direccion",
}


def _closest_sql(table: str, code: str, value: str) -> str:
    """SQL: the three catalog codes nearest a value (numeric distance, else edit distance), with names."""
    name = "region" if table == "regiones" else "nombre"
    k = q(code)
    return (
        f"(SELECT string_agg(k || ' (' || n || ')', ', ') FROM (SELECT {k} AS k, {q(name)} AS n FROM {q(table)}"
        f" ORDER BY coalesce(abs(try_cast({k} AS INTEGER) - try_cast({value} AS INTEGER)), levenshtein({k}, {value})),"
        f" {k} LIMIT 3))"
    )


def _full_list(table: str) -> str:
    name = CATALOG_NAMES.get(table)
    return f" (lista completa: python -m loaders catalogo {name})" if name else ""


def header_findings(contract: Contract, names: list[str], file: str) -> Report:
    """Missing required columns and columns the dataset does not have (row 1, the header)."""
    report = Report()
    known = set(contract.names)
    for col in contract.columns:
        if col.required and col.name not in names:
            report.add(Finding(file, 1, col.name, None, f"falta la columna obligatoria de «{contract.name}»"))
    for name in names:
        if name not in known:
            damaged = (
                "; el carácter � marca letras que se perdieron al guardar el archivo:"
                " guárdelo de nuevo como CSV UTF-8"
                if "\ufffd" in name
                else ""
            )
            report.add(
                Finding(
                    file,
                    1,
                    name,
                    None,
                    f"columna desconocida para «{contract.name}» (vea el diccionario de datos){damaged}",
                )
            )
    return report


def _rule_queries(contract: Contract, names: list[str], today: date) -> list[tuple[str, list]]:
    """(sql, params) per rule; each selects fila, columna, valor, problema from `_conv`."""
    out: list[tuple[str, list]] = []

    def add(
        where: str,
        col: str,
        problem: str,
        params: list | None = None,
        value: str | None = None,
        problem_sql: str | None = None,
    ) -> None:
        val = value or f"{q(col + '__raw')}"
        said = problem_sql or sql_text(problem)
        out.append((f"SELECT _fila, {sql_text(col)}, {val}, {said} FROM _conv WHERE {where}", params or []))

    for col in contract.columns:
        if col.name not in names:
            continue
        v, raw = q(col.name), q(col.name + "__raw")
        empty = f"nullif(trim({raw}), '') IS NULL"
        if col.required:
            add(empty, col.name, "valor vacío en una columna obligatoria")
        kind = "PERIOD" if col.is_period else col.type
        if kind in _TYPE_PROBLEM:
            add(f"NOT ({empty}) AND {v} IS NULL", col.name, _TYPE_PROBLEM[kind])
        if col.codes:
            table, code = col.codes
            add(
                f"{v} IS NOT NULL AND {v} NOT IN (SELECT {q(code)} FROM {q(table)})",
                col.name,
                "",
                problem_sql=f"{sql_text(f'clave desconocida en el catálogo {table}; las más cercanas: ')}"
                f" || {_closest_sql(table, code, '_conv.' + v)} || {sql_text(_full_list(table))}",
            )
        if NON_NEGATIVE in col.rules:
            add(f"{v} < 0", col.name, "no puede ser negativo")
        if PERCENT in col.rules:
            add(f"{v} NOT BETWEEN 0 AND 100", col.name, "porcentaje fuera del rango de 0 a 100")
        if NOT_FUTURE in col.rules:
            if col.is_period:
                add(f"{v} > ?", col.name, "periodo futuro", [today.replace(day=1)])
            elif col.type == "INTEGER":
                add(f"{v} > ?", col.name, "año futuro", [today.year])
            else:
                add(f"{v} > ?", col.name, "fecha futura", [today])
    present = {c.name for c in contract.columns if c.name in names}
    for check in contract.checks:
        involved = [c for c in contract.names if c in check.predicate]
        if not all(c in present for c in involved):
            continue
        not_null = " AND ".join(f"{q(c)} IS NOT NULL" for c in involved) or "TRUE"
        add(f"{not_null} AND NOT ({check.predicate})", check.column, check.message)
    keys = [k for k in contract.key if k in names]
    if len(keys) == len(contract.key):
        part = ", ".join(q(k) for k in keys)
        shown = " || ', ' || ".join(f"coalesce(CAST({q(k)} AS VARCHAR), '')" for k in keys)
        out.append(
            (
                f"SELECT _fila, {sql_text(', '.join(keys))}, {shown}, 'clave repetida; ya aparece en la fila ' || primera"
                f" FROM (SELECT *, min(_fila) OVER (PARTITION BY {part}) AS primera FROM _conv"
                f" WHERE {' AND '.join(f'{q(k)} IS NOT NULL' for k in keys)}) WHERE _fila > primera",
                [],
            )
        )
    return out


def build_conv(cur: duckdb.DuckDBPyConnection, contract: Contract, names: list[str]) -> None:
    """`_conv`: _fila, each contract column converted (NULL when absent), and its raw text."""
    parts = ["_fila"]
    for col in contract.columns:
        if col.name in names:
            raw = q(col.name)
            parts.append(f"{convert_expr(col, raw)} AS {q(col.name)}")
            parts.append(f"{raw} AS {q(col.name + '__raw')}")
        else:
            parts.append(f"CAST(NULL AS {col.type}) AS {q(col.name)}")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _conv AS SELECT {', '.join(parts)} FROM _src")


def validate(
    cur: duckdb.DuckDBPyConnection, contract: Contract, names: list[str], file: str, today: date | None = None
) -> Report:
    """All findings of the staged file; builds `_conv` on the way."""
    report = header_findings(contract, names, file)
    if not report.ok:
        return report
    build_conv(cur, contract, names)
    queries = _rule_queries(contract, names, today or clock.today())
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _hallazgos (fila BIGINT, columna VARCHAR, valor VARCHAR, problema VARCHAR)"
    )
    for sql, params in queries:
        cur.execute(f"INSERT INTO _hallazgos {sql}", params)
    total = scalar(cur, "SELECT count(*) FROM _hallazgos")
    rows = cur.execute(
        "SELECT fila, columna, valor, problema FROM _hallazgos ORDER BY fila, columna LIMIT ?", [MAX_SHOWN]
    ).fetchall()
    report.extend([Finding(file, int(r[0]), r[1], r[2], r[3]) for r in rows], total=int(total))
    return report
