"""Arrow slices by key (indicators/slices.py): the rows of one key, filtered as SQL's WHERE does."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from indicators.slices import Slices, among, tuples, where

TABLE = pa.table(
    {
        "codigo": ["2026-01", "2026-01", "2026-01", "2026-02", "2026-02"],
        "kpi": ["a", "b", "c", "a", "b"],
        "valor": [1.0, None, 3.0, 4.0, 5.0],
        "region": ["Norte", "Sur", None, "Norte", "Norte"],
    }
)


def test_a_key_gives_its_rows_only_and_an_unknown_key_none() -> None:
    slices = Slices(TABLE, "codigo")
    assert tuples(slices.get("2026-02"), ["kpi", "valor"]) == [("a", 4.0), ("b", 5.0)]
    assert tuples(slices.get("2026-01"), ["kpi"]) == [("a",), ("b",), ("c",)]
    assert slices.get("2025-12").num_rows == 0


def test_filters_keep_what_a_where_clause_keeps() -> None:
    part = Slices(TABLE, "codigo").get("2026-01")
    mine = tuples(
        where(part, among(part, "kpi", ["a", "b", "c"]), pc.equal(part["region"], "Sur")), ["kpi", "valor"]
    )
    facts = TABLE  # noqa: F841 (DuckDB reads the Arrow table by its Python name)
    sql = duckdb.sql(
        "SELECT kpi, valor FROM facts WHERE codigo = '2026-01' AND kpi IN ('a', 'b', 'c') AND region = 'Sur'"
    ).fetchall()
    assert mine == sql == [("b", None)]
    # a null region is not «not Sur»: the row is left out, as in SQL
    assert tuples(where(part, pc.not_equal(part["region"], "Sur")), ["kpi"]) == [("a",)]
    assert tuples(where(part, pc.is_valid(part["valor"])), ["kpi"]) == [("a",), ("c",)]


def test_an_unsorted_table_is_refused() -> None:
    with pytest.raises(ValueError, match="not sorted"):
        Slices(TABLE.take([0, 3, 1]), "codigo")
