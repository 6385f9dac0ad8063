"""Sums of measures that give the same bits whatever order the rows arrive in.

Float addition is not associative: two correct plans (threads, joins, a results table built
another way) could differ in the last digit of a DOUBLE total. Floating-point measures are
therefore added as exact decimals and returned as DOUBLE; integer measures are exact already.
"""

from __future__ import annotations

import threading
from pathlib import Path

from warehouse import query_rows
from warehouse.config import db_path

EXACT = "DECIMAL(38, 10)"
_FLOATING: dict[str, frozenset[tuple[str, str]]] = {}
_LOCK = threading.Lock()


def total(expr: str, filt: str = "", floating: bool = False) -> str:
    """sum(expr) [FILTER …]; with `floating`, an exact decimal sum returned as DOUBLE."""
    if not floating:
        return f"sum({expr}){filt}"
    return f"CAST(sum(CAST({expr} AS {EXACT})){filt} AS DOUBLE)"


def floating_columns(table: str, db: Path | str | None = None) -> frozenset[str]:
    """The DOUBLE columns of a warehouse table (read once per warehouse and process)."""
    key = str(Path(db) if db else db_path())
    with _LOCK:
        if key not in _FLOATING:
            rows = query_rows(
                "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'DOUBLE'",
                path=db,
            )
            _FLOATING[key] = frozenset((t, c) for t, c in rows)
        columns = _FLOATING[key]
    return frozenset(c for t, c in columns if t == table)
