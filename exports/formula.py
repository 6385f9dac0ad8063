"""The formula guard: text cells a spreadsheet would run (=, +, -, @, tab, CR) get a leading '.

OWASP's rule for CSV injection. `safe_text_sql` applies it inside DuckDB (CSV written by COPY);
`neutralize` applies the same rule to one value (Excel cells, small frames).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.connection import cursor

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_DANGEROUS = "^[=+\\-@\t\r]"


def neutralize(value: str) -> str:
    return "'" + value if value.startswith(DANGEROUS_START) else value


def guard_sql(cur: duckdb.DuckDBPyConnection, sql: str, params: list) -> str:
    """Wrap a SELECT so its text columns are neutralised, described on this connection."""
    described = cur.execute(f"DESCRIBE {sql}", params).fetchall()
    cols = []
    for name, kind, *_ in described:
        q = '"' + name.replace('"', '""') + '"'
        if kind == "VARCHAR":
            cols.append(f"CASE WHEN regexp_matches({q}, '{_DANGEROUS}') THEN '''' || {q} ELSE {q} END AS {q}")
        else:
            cols.append(q)
    return f"SELECT {', '.join(cols)} FROM ({sql})"


def safe_text_sql(sql: str, params: list, db: Path | str | None = None) -> str:
    """Wrap a SELECT on the warehouse so its text columns are neutralised against formula injection."""
    with cursor(db) as cur:
        return guard_sql(cur, sql, params)
