"""Reading the one row of a query that always returns one (an aggregate, nextval, current_database())."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


class MissingRowError(RuntimeError):
    """A query that always returns one row returned none: a bug or a broken warehouse, not bad input."""


def one_row(
    cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | dict | None = None
) -> tuple[Any, ...]:
    """The single row of sql; MissingRowError names the query when there is none."""
    row = cur.execute(sql, params or []).fetchone()
    if row is None:
        raise MissingRowError(f"the query returned no row: {sql}")
    return row


def scalar(cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | dict | None = None) -> Any:
    """The first value of the single row of sql (count(*), max(id), nextval...)."""
    return one_row(cur, sql, params)[0]
