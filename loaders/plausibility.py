"""Plausibility of a valid file against history and coverage, before it is committed.

A file can pass every rule of its contract and still be wrong: a state-coded column renamed
`cve_ooad` (codes 01-32 are valid OOAD codes too), a month covering three offices, a month
that has not ended. Each check yields warnings that name rows; the planner must accept them
explicitly (page checkbox, CLI `--aceptar-advertencias`) and the acceptance is audited.
"""

from __future__ import annotations

from datetime import date

import duckdb

from loaders.contracts import Contract
from loaders.findings import Finding, Report
from loaders.readers import quote_ident as q
from warehouse.rows import one_row, scalar

# A value further than this factor from its key's reference (the stored value it replaces, or
# the mean of the key's three previous months) is flagged as a jump.
JUMP_FACTOR = 2.0
HISTORY_MONTHS = 3
# Rows listed per jump warning; all are counted.
SHOWN_ROWS = 5

# Key column -> (catalog table, what a person calls its members); the OOAD «Sin asignar» (99)
# the asg loader may create is not an office a file is expected to cover.
_CATALOGS = {
    "cve_ooad": ("SELECT cve_ooad AS k FROM ooad WHERE cve_ooad <> '99'", "OOAD"),
    "cve_entidad": ("SELECT cve_entidad AS k FROM entidades", "entidades"),
}


def _key_column(c: Contract) -> str | None:
    return next((k for k in c.key if k in _CATALOGS), None)


def coverage_warnings(cur: duckdb.DuckDBPyConnection, c: Contract, file: str, mode: str) -> list[Finding]:
    """Periods that, with this file, cover only part of the OOAD (or states)."""
    key = _key_column(c)
    if key is None or c.partition != "periodo":
        return []
    catalog, members = _CATALOGS[key]
    total = int(scalar(cur, f"SELECT count(*) FROM ({catalog})"))
    # in agregar mode the stored keys of the month count too; reemplazar keeps them as well
    rows = cur.execute(
        f"WITH claves AS (SELECT periodo, {q(key)} AS k FROM _conv UNION"
        f" SELECT periodo, {q(key)} FROM {q(c.table)} WHERE periodo IN (SELECT periodo FROM _conv))"
        f" SELECT (SELECT min(_fila) FROM _conv f WHERE f.periodo = claves.periodo), strftime(periodo, '%Y-%m'),"
        f" count(DISTINCT k) FILTER (WHERE k IN ({catalog}))"
        " FROM claves GROUP BY periodo ORDER BY periodo"
    ).fetchall()
    out = []
    for first, month, covered in rows:
        if covered < total:
            out.append(
                Finding(
                    file,
                    int(first),
                    key,
                    month,
                    f"el periodo {month} queda parcial: cubre {covered} de {total} {members}"
                    " (el tablero lo mostrará como parcial y no lo usará como periodo actual)",
                )
            )
    return out


def coding_warnings(cur: duckdb.DuckDBPyConnection, c: Contract, file: str) -> list[Finding]:
    """An OOAD column whose codes are exactly 01-32, 32 a month: INEGI state codes, most likely."""
    if "cve_ooad" not in c.key or "periodo" not in c.key:
        return []
    row = one_row(
        cur,
        "SELECT min(_fila), count(DISTINCT cve_ooad), max(n), bool_and(cve_ooad BETWEEN '01' AND '32')"
        " FROM (SELECT _fila, cve_ooad, count(*) OVER (PARTITION BY periodo) AS n FROM _conv)",
    )
    first, distinct, per_period, state_range = row
    if state_range and distinct == 32 and per_period == 32:
        return [
            Finding(
                file,
                int(first),
                "cve_ooad",
                "01 a 32",
                "las claves van de 01 a 32, 32 por periodo: parecen claves INEGI de entidad federativa,"
                " no de OOAD (hay 35 OOAD; CDMX, Estado de México y Veracruz tienen dos cada una)."
                " Si son entidades, nombre la columna cve_entidad",
            )
        ]
    return []


def jump_warnings(cur: duckdb.DuckDBPyConnection, c: Contract, names: list[str], file: str) -> list[Finding]:
    """Values far from the same key's stored value or recent history, per measure."""
    if c.partition != "periodo" or "periodo" not in c.key:
        return []
    others = [k for k in c.key if k != "periodo"]
    measures = [m for m in c.measures if m in names and c.column(m).type in ("BIGINT", "INTEGER", "DOUBLE")]
    out: list[Finding] = []
    same = " AND ".join([f"t.{q(k)} = f.{q(k)}" for k in others] or ["TRUE"])
    for m in measures:
        sql = (
            f"WITH ref AS (SELECT f._fila, f.{q(m)} AS v,"
            f" coalesce((SELECT t.{q(m)} FROM {q(c.table)} t WHERE {same} AND t.periodo = f.periodo),"
            f"  (SELECT avg(t.{q(m)}) FROM {q(c.table)} t WHERE {same}"
            f"   AND t.periodo BETWEEN f.periodo - INTERVAL {HISTORY_MONTHS} MONTH AND f.periodo - INTERVAL 1 MONTH)) AS r"
            f" FROM _conv f WHERE f.{q(m)} IS NOT NULL)"
            f" SELECT _fila, v, r FROM ref WHERE r > 0 AND (v > r * ? OR v < r / ?) ORDER BY _fila"
        )
        rows = cur.execute(sql, [JUMP_FACTOR, JUMP_FACTOR]).fetchall()
        for fila, v, r in rows[:SHOWN_ROWS]:
            out.append(
                Finding(
                    file,
                    int(fila),
                    m,
                    f"{v:,.0f}",
                    f"se aleja más de {JUMP_FACTOR:g} veces del valor de referencia de la misma clave"
                    f" ({r:,.0f}: el valor que reemplaza o el promedio de sus {HISTORY_MONTHS} meses previos)",
                )
            )
        if len(rows) > SHOWN_ROWS:
            out.append(
                Finding(
                    file, None, m, None, f"y {len(rows) - SHOWN_ROWS:,} filas más con saltos así en «{m}»"
                )
            )
    return out


def current_month_warnings(c: Contract, periods: list, file: str, today: date) -> list[Finding]:
    """A month that has not ended yet (later months are refused by validation)."""
    this = today.replace(day=1)
    if c.partition != "periodo" or this not in periods:
        return []
    return [
        Finding(
            file,
            None,
            "periodo",
            f"{this:%Y-%m}",
            "el mes aún no termina; sus cifras serán parciales",
        )
    ]


def check(
    cur: duckdb.DuckDBPyConnection,
    c: Contract,
    names: list[str],
    file: str,
    mode: str,
    periods: list,
    today: date,
) -> Report:
    """Every plausibility warning of the staged, valid file (`_conv`)."""
    report = Report()
    found = [
        *coding_warnings(cur, c, file),
        *coverage_warnings(cur, c, file, mode),
        *current_month_warnings(c, periods, file, today),
        *jump_warnings(cur, c, names, file),
    ]
    report.extend(found)
    return report
