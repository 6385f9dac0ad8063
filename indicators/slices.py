"""An Arrow table cut by one key column: a read takes its key's rows without scanning the others.

The results table (indicators/results.py) is read by period or by scope tens of times per
screen; a DuckDB scan of the whole table costs milliseconds and grows with the facts, a slice
of one key's rows does not. Filters keep SQL's meaning: a row passes only where the condition
is true (null is not true), as in a WHERE clause.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc


class Slices:
    """The rows of `table` (sorted by `key`) for one value of `key`, found by offset."""

    def __init__(self, table: pa.Table, key: str) -> None:
        self.table = table.combine_chunks()  # one chunk: a slice is found by offset, not chunk by chunk
        runs = pc.run_end_encode(table.column(key).combine_chunks())
        ends = runs.run_ends.to_pylist()
        starts = [0, *ends[:-1]]
        self._spans = dict(zip(runs.values.to_pylist(), zip(starts, ends, strict=True), strict=True))
        if len(self._spans) != len(ends):
            raise ValueError(f"Slices: the table is not sorted by {key}")

    def span(self, value: str) -> tuple[int, int]:
        """The first row whose key is `value` and the row after its last ((0, 0) when absent)."""
        return self._spans.get(value, (0, 0))

    def get(self, value: str) -> pa.Table:
        """The rows whose key is `value` (none when absent)."""
        start, end = self.span(value)
        return self.table.slice(start, end - start)


def among(table: pa.Table, column: str, values: Sequence[str]) -> pa.ChunkedArray:
    """`column IN (values)` as a mask."""
    return pc.is_in(table.column(column), value_set=pa.array(list(values), table.schema.field(column).type))


def where(table: pa.Table, *conditions: pa.ChunkedArray | pa.Array) -> pa.Table:
    """The rows where every condition is true (SQL's AND; null counts as not true)."""
    mask = conditions[0]
    for condition in conditions[1:]:
        mask = pc.and_kleene(mask, condition)
    return table.filter(mask)


def tuples(table: pa.Table, columns: Sequence[str]) -> list[tuple]:
    """The rows as tuples of Python values (what DuckDB's fetchall gives)."""
    return list(zip(*(table.column(c).to_pylist() for c in columns), strict=True))


__all__ = ["Slices", "among", "tuples", "where"]
