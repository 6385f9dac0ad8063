"""Housekeeping: compact a shared warehouse's files and expire its old snapshots; checkpoint a file."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse import lake
from warehouse.connection import WRITE_LOCK, Location, cursor, location
from warehouse.rows import scalar


@dataclass
class Report:
    snapshots_before: int
    snapshots_after: int
    files_before: int
    files_after: int


def _counts(cur: duckdb.DuckDBPyConnection, alias: str) -> tuple[int, int]:
    """(snapshots, Parquet data files) of the lake."""
    snapshots = scalar(cur, f"SELECT count(*) FROM ducklake_snapshots('{alias}')")
    tables = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [alias]
        ).fetchall()
    ]
    files = sum(scalar(cur, "SELECT count(*) FROM ducklake_list_files(?, ?)", [alias, t]) for t in tables)
    return int(snapshots), int(files)


def maintain(where: Location | None = None, keep_days: int = 7) -> Report | None:
    """Shared: flush inlined rows, merge small Parquet files, expire snapshots older than keep_days
    and delete the files nothing references any more. Embedded: CHECKPOINT. Safe while others work."""
    target = location(where)
    with WRITE_LOCK, cursor(target) as cur:
        if not lake.is_shared(target):
            cur.execute("CHECKPOINT")
            return None
        alias = lake.alias_of(cur)
        snapshots, files = _counts(cur, alias)
        older = f"now() - INTERVAL {int(keep_days)} DAY"
        cur.execute(f"CALL ducklake_flush_inlined_data('{alias}')")
        cur.execute(f"CALL ducklake_merge_adjacent_files('{alias}')")
        cur.execute(f"CALL ducklake_expire_snapshots('{alias}', older_than => {older})")
        cur.execute(f"CALL ducklake_cleanup_old_files('{alias}', older_than => {older})")
        after = _counts(cur, alias)
        return Report(snapshots, after[0], files, after[1])
