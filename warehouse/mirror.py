"""Shared mode: this process's in-memory copy of the lake's small tables, for the engine's reads.

Every query on a DuckLake opens a lake transaction and asks the PostgreSQL catalog for the files,
deletes and statistics of each table it reads: about ten round trips per dataset query, where a
DuckDB file pays none. The engine's read-only requests (`one_snapshot`: one snapshot per request)
read instead from a copy of the lake's tables in this process's memory, kept per snapshot: when the
snapshot a request pinned is newer than the copy's, the catalog's change list
(`ducklake_snapshot_changes`) names the tables that changed since, and only those are copied again.
Tables with more than MAX_ROWS rows (the `asg` detail) and the undo archives (`*_archivo`) are not
copied: the copy holds a view of each of them over the lake, so the same SQL runs unchanged, and a
query touches the lake only when it reads one of those. Writes never go through the copy.
"""

from __future__ import annotations

import re
import threading

import duckdb

from warehouse import lake

MAX_ROWS = 2_000_000  # larger tables are read from the lake (the copy stays small in memory)
SUFFIX = "_copia"
# Changes that alter only a table's rows; anything else (a table created, altered, dropped) copies
# every table again.
_ROW_CHANGES = {"inserted_into_table", "deleted_from_table", "inlined_insert", "inlined_delete"}
_CHANGE = re.compile(r'(\w+):("[^"]*"(?:\."[^"]*")*|[^,]*)')


def changed_tables(changes: list[str]) -> set[int] | None:
    """The ids of the tables whose rows these catalog change lists name; None when one of them is
    a change of the schema (then every table is copied again)."""
    ids: set[int] = set()
    for text in changes:
        for kind, target in _CHANGE.findall(text or ""):
            if kind not in _ROW_CHANGES or not target.isdigit():
                return None
            ids.add(int(target))
    return ids


class Mirror:
    """The copy of one attached lake (`alias`), as the in-memory catalog `<alias>_copia`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, alias: str) -> None:
        self.con = con
        self.alias = alias
        self.name = f"{alias}{SUFFIX}"
        self.snapshot: int | None = None
        # table id -> (name, TABLE: copied | VIEW: read from the lake)
        self.held: dict[int, tuple[str, str]] = {}
        self._lock = threading.Lock()
        con.execute(f"ATTACH ':memory:' AS {self.name}")

    def point(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Make a cursor read the copy (and, through its views, the lake tables it does not copy)."""
        cur.execute(f"USE {self.name}")
        # only the copy: with the lake in the search path, every query opened a lake transaction
        cur.execute(f"SET search_path = '{self.name}.main'")

    def refresh(self, version: int) -> None:
        """Bring the copy to the lake's snapshot `version` (or later); a no-op when already there."""
        if self.snapshot is not None and self.snapshot >= version:
            return
        with self._lock:
            if self.snapshot is not None and self.snapshot >= version:
                return
            cur = self.con.cursor()
            try:
                self._refresh(cur)
            finally:
                cur.close()

    def _refresh(self, cur: duckdb.DuckDBPyConnection) -> None:
        pg = f"{self.alias}{lake.PG_SUFFIX}.public"
        snapshot = lake.latest_snapshot(cur, self.alias)  # first: a later commit is listed next time
        tables = cur.execute(
            f"SELECT t.table_id, t.table_name, coalesce(s.record_count, 0) FROM {pg}.ducklake_table t"
            f" JOIN {pg}.ducklake_schema sc ON sc.schema_id = t.schema_id AND sc.schema_name = 'main'"
            f" AND sc.end_snapshot IS NULL LEFT JOIN {pg}.ducklake_table_stats s ON s.table_id = t.table_id"
            " WHERE t.end_snapshot IS NULL"
        ).fetchall()
        wanted = {
            tid: (name, "VIEW" if rows > MAX_ROWS or name.endswith("_archivo") else "TABLE")
            for tid, name, rows in tables
        }
        changed: set[int] | None = None
        if self.snapshot is not None:
            rows = cur.execute(
                f"SELECT changes_made FROM {pg}.ducklake_snapshot_changes WHERE snapshot_id > ?",
                [self.snapshot],
            ).fetchall()
            changed = changed_tables([r[0] for r in rows])
        everything = changed is None
        changed = changed or set()
        drop = [old for tid, old in self.held.items() if everything or wanted.get(tid) != old]
        make = [
            (tid, name, kind)
            for tid, (name, kind) in sorted(wanted.items(), key=lambda item: item[1])
            if everything or self.held.get(tid) != (name, kind) or (kind == "TABLE" and tid in changed)
        ]
        cur.execute("BEGIN TRANSACTION")  # one lake transaction: every table as of one snapshot
        try:
            for name, kind in drop:
                cur.execute(f'DROP {kind} IF EXISTS {self.name}.main."{name}"')
            for _, name, kind in make:
                source = f'{self.alias}.main."{name}"'
                cur.execute(f'CREATE OR REPLACE {kind} {self.name}.main."{name}" AS FROM {source}')
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        self.held = wanted
        self.snapshot = snapshot

    def close(self) -> None:
        self.con.execute(f"DETACH DATABASE IF EXISTS {self.name}")
