"""The formula guard in SQL: text cells a spreadsheet would run (=, +, -, @, tab, CR) get a leading '.

OWASP's rule for CSV injection, applied inside DuckDB so every writer (screens, streaming
exports, the loader CLI) neutralises the same cells the same way, without a pandas copy.
"""

from __future__ import annotations

from pathlib import Path

from warehouse.connection import cursor

_DANGEROUS = "^[=+\\-@\t\r]"


def safe_text_sql(sql: str, params: list, db: Path | str | None = None) -> str:
    """Wrap a SELECT so its text columns are neutralised against formula injection."""
    with cursor(db) as cur:
        described = cur.execute(f"DESCRIBE {sql}", params).fetchall()
    cols = []
    for name, kind, *_ in described:
        q = '"' + name.replace('"', '""') + '"'
        if kind == "VARCHAR":
            cols.append(f"CASE WHEN regexp_matches({q}, '{_DANGEROUS}') THEN '''' || {q} ELSE {q} END AS {q}")
        else:
            cols.append(q)
    return f"SELECT {', '.join(cols)} FROM ({sql})"
