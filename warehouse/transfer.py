"""Copy an embedded warehouse (DuckDB file) into a shared one (DuckLake), and compare them by hash."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse import ids, lake
from warehouse.connection import WRITE_LOCK, Location, connect, cursor, location
from warehouse.rows import one_row, scalar

SOURCE = "origen"
SKIP = ("schema_migrations",)


class TransferError(RuntimeError):
    """The copy was refused; the shared warehouse was not changed (message in Spanish)."""


def _tables(cur: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    rows = cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
        "AND NOT temporary ORDER BY 1",
        [database],
    ).fetchall()
    return [r[0] for r in rows if r[0] not in SKIP]


def _sequences(cur: duckdb.DuckDBPyConnection, database: str) -> list[tuple[str, str, str]]:
    """(table, column, sequence) of every column whose default draws from a sequence."""
    rows = cur.execute(
        "SELECT table_name, column_name, regexp_extract(column_default, 'nextval\\(''(\\w+)''', 1) "
        "FROM duckdb_columns() WHERE database_name = ? AND column_default LIKE 'nextval(%'",
        [database],
    ).fetchall()
    return [(t, c, s) for t, c, s in rows if s]


def copy_to_shared(
    source: Path | str, target: Location, replace: bool = False, data_path: str | None = None
) -> dict[str, int]:
    """Copy every table of the DuckDB file `source` into the DuckLake `target` in one commit.

    Refuses (TransferError) when the target already holds loads and `replace` is not set. Moves
    the target's sequences past the copied ids. Returns the rows copied per table. data_path:
    the Parquet folder of a target not yet created (else CMI_LAKE_DATA).
    """
    where = location(target)
    if not lake.is_shared(where):
        raise TransferError(
            f"El destino debe ser un almacén compartido (ducklake:postgres:…); se recibió «{target}»."
        )
    src = Path(source).resolve()
    if not src.exists():
        raise TransferError(f"No existe el almacén de origen {src}.")
    _migrate_source(src)
    connect(where, data_path)  # created (and migrated) here when new
    counts: dict[str, int] = {}
    with WRITE_LOCK, cursor(where) as cur:
        alias = lake.alias_of(cur)
        cur.execute(f"ATTACH '{str(src).replace(chr(39), chr(39) * 2)}' AS {SOURCE} (READ_ONLY)")
        try:
            tables = _tables(cur, SOURCE)
            missing = sorted(set(tables) - set(_tables(cur, alias)))
            if missing:
                raise TransferError(f"El almacén compartido no tiene las tablas: {', '.join(missing)}.")
            loads = scalar(cur, f"SELECT count(*) FROM {alias}.cargas")
            if loads and not replace:
                raise TransferError(
                    f"El almacén compartido ya tiene {loads} cargas; use --reemplazar para sustituir su contenido."
                )
            cur.execute("BEGIN TRANSACTION")
            try:
                for table in tables:
                    cur.execute(f"DELETE FROM {alias}.{table}")
                    cur.execute(f"INSERT INTO {alias}.{table} BY NAME SELECT * FROM {SOURCE}.{table}")
                    counts[table] = scalar(cur, f"SELECT count(*) FROM {SOURCE}.{table}")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
            for table, column, sequence in _sequences(cur, SOURCE):
                top = scalar(cur, f"SELECT coalesce(max({column}), 0) FROM {SOURCE}.{table}")
                ids.set_floor(cur, sequence, int(top))
        finally:
            cur.execute(f"DETACH {SOURCE}")
    return counts


def _migrate_source(src: Path) -> None:
    """Bring an older embedded file up to the current schema before copying it."""
    from warehouse.connection import close

    connect(src)
    close(src)


def table_hashes(where: Location) -> dict[str, str]:
    """Row count and an order-independent hash of every table (columns by name), for comparisons."""
    out: dict[str, str] = {}
    with cursor(where) as cur:
        database = scalar(cur, "SELECT current_database()")
        for table in _tables(cur, database):
            cols = sorted(r[0] for r in cur.execute(f"DESCRIBE {table}").fetchall())
            count, digest = one_row(
                cur, f"SELECT count(*), coalesce(bit_xor(hash({', '.join(cols)})), 0) FROM {table}"
            )
            out[table] = f"{count}:{digest}"
    return out
