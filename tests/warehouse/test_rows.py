"""warehouse.rows: the one row of an aggregate, and a clear error when a query returns none."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.rows import MissingRowError, one_row, scalar


def test_scalar_and_one_row_read_the_single_row() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (4, 'c')) v(n, s)")
    assert scalar(con, "SELECT sum(n) FROM t") == 7
    assert scalar(con, "SELECT count(*) FROM t WHERE n > ?", [1]) == 2
    assert one_row(con, "SELECT min(s), max(n) FROM t WHERE n < $top", {"top": 4}) == ("a", 2)


def test_no_row_names_the_query() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (n INTEGER)")
    with pytest.raises(MissingRowError, match="SELECT n FROM t WHERE n = 1"):
        scalar(con, "SELECT n FROM t WHERE n = 1")
