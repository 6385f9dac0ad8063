"""Row ids from the warehouse's sequences, the same call in both modes.

Embedded: the DuckDB sequence. Shared: the sequence of that name in the catalog's PostgreSQL
database (DuckLake has no sequences), so two processes never draw the same id.
"""

from __future__ import annotations

import re

import duckdb

from warehouse import lake
from warehouse.rows import scalar

_NAME = re.compile(r"^\w+$")


def _checked(sequence: str) -> str:
    if not _NAME.match(sequence):
        raise ValueError(f"nombre de secuencia inválido: {sequence!r}")
    return sequence


def next_id(cur: duckdb.DuckDBPyConnection, sequence: str) -> int:
    """The next value of a sequence (e.g. 'seq_cargas')."""
    name = _checked(sequence)
    if lake.in_lake(cur):
        return int(lake.postgres_value(cur, f"SELECT nextval('{name}')"))
    return int(scalar(cur, f"SELECT nextval('{name}')"))


def set_floor(cur: duckdb.DuckDBPyConnection, sequence: str, value: int) -> None:
    """Make the next id greater than `value` (after copying rows that carry their own ids)."""
    name = _checked(sequence)
    if lake.in_lake(cur):
        if value > 0:
            lake.postgres_value(cur, f"SELECT setval('{name}', greatest({int(value)}, nextval('{name}')))")
        return
    current = int(scalar(cur, f"SELECT nextval('{name}')"))
    if value > current:
        cur.execute(f"SELECT max(nextval('{name}')) FROM range(?)", [value - current])
