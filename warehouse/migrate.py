"""Numbered, idempotent schema migrations (warehouse/migrations/NNN_name.sql), for both modes.

The files are written for DuckDB; on a DuckLake they are translated (lake.translate): keys and
sequence defaults dropped, sequences created in the catalog's PostgreSQL database.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse import lake

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Tables written only by loads, in bulk: in a new lake their rows always go to Parquet, so reading
# them never asks the catalog for rows kept in line (one catalog query less per table read).
# Every other table (users, sessions, audit, agreements: many small writes) keeps small inserts
# in line in the catalog instead of one Parquet file per insert.
BULK_MIGRATIONS = {"002_hechos", "010_asegurados", "011_archivo_cargas", "040_granos", "093_avance_proyectos"}
INLINE_ROWS = 10
_CREATE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)", re.IGNORECASE)


def migration_files() -> list[Path]:
    """Every migration, in number order."""
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql"))


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations the warehouse lacks; return the names applied now."""
    shared = lake.in_lake(con)
    ledger = (
        "CREATE TABLE IF NOT EXISTS schema_migrations (version VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
    )
    alias = lake.alias_of(con) if shared else ""
    new_lake = shared and not lake.has_table(con, "schema_migrations")
    if new_lake:  # rows in line only for the tables of small writes (BULK_MIGRATIONS)
        con.execute(f"CALL {alias}.set_option('data_inlining_row_limit', 0)")
    con.execute(lake.translate(ledger)[0] if shared else ledger)
    if new_lake:
        inline_small_writes(con, alias, ["schema_migrations"])
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied: list[str] = []
    for path in migration_files():
        if path.stem in done:
            continue
        sql = path.read_text(encoding="utf-8")
        if shared:
            sql, sequences = lake.translate(sql)
            for statement in sequences:
                lake.postgres_execute(con, statement)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [path.stem, datetime.now()])
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        if shared and path.stem not in BULK_MIGRATIONS:
            inline_small_writes(con, alias, _CREATE.findall(sql))
        applied.append(path.stem)
    if applied:
        from warehouse.catalogs import load_catalogs

        load_catalogs(con)
    return applied


def inline_small_writes(con: duckdb.DuckDBPyConnection, alias: str, tables: list[str]) -> None:
    """Small inserts into these lake tables stay in the catalog (no Parquet file per insert)."""
    for table in tables:
        con.execute(
            f"CALL {alias}.set_option('data_inlining_row_limit', {INLINE_ROWS}, table_name => '{table}')"
        )
