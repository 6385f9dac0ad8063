"""The shared warehouse: a DuckLake whose catalog is PostgreSQL and whose tables are Parquet files.

Opened with the DuckLake and postgres extensions shipped by the pip packages
`duckdb-extension-ducklake` and `duckdb-extension-postgres-scanner` (same version as duckdb):
extensions are loaded from those files, never downloaded.

DuckLake has no primary keys, unique constraints or sequences, so the migrations are translated
(`translate`): constraints are dropped (the loaders validate keys before writing) and sequences
live in the PostgreSQL catalog database, where every process draws from the same counter.
"""

from __future__ import annotations

import importlib
import itertools
import re
import threading
from pathlib import Path
from typing import Any

import duckdb

from warehouse.rows import scalar

PREFIX = "ducklake:"
ALIAS = "lake"  # every lake is attached as lake, lake_2, …; its PostgreSQL database as <alias>_pg
PG_SUFFIX = "_pg"
NO_DOWNLOADS: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


class LakeError(RuntimeError):
    """The shared warehouse cannot be opened (message in Spanish)."""


def is_shared(location: object) -> bool:
    """True when a warehouse location names a DuckLake (CMI_WAREHOUSE), not a DuckDB file."""
    return location is not None and str(location).startswith(PREFIX)


def extension_file(package: str, name: str) -> Path:
    """The extension binary inside its pip package, for this duckdb version."""
    module = importlib.import_module(package)
    path = (
        Path(str(module.__file__)).parent
        / "extensions"
        / f"v{duckdb.__version__}"
        / f"{name}.duckdb_extension"
    )
    if not path.exists():
        raise LakeError(
            f"Falta la extensión {name} de DuckDB {duckdb.__version__} ({path}); "
            "instale las dependencias con «make venv»."
        )
    return path


def postgres_dsn(spec: str) -> str:
    """The libpq connection string inside `ducklake:postgres:<dsn>`."""
    rest = spec[len(PREFIX) :]
    if not rest.startswith("postgres:"):
        raise LakeError(
            f"CMI_WAREHOUSE debe tener la forma «ducklake:postgres:dbname=… host=…»; se recibió «{spec}»."
        )
    return rest[len("postgres:") :]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_instance: duckdb.DuckDBPyConnection | None = None
_instance_lock = threading.Lock()
_numbers = itertools.count(1)


def _engine() -> duckdb.DuckDBPyConnection:
    """The process's in-memory DuckDB with both extensions loaded (loading costs ~0.7 s, so once)."""
    global _instance
    with _instance_lock:
        if _instance is None:
            con = duckdb.connect(config=NO_DOWNLOADS)
            for package, name in (
                ("duckdb_extension_postgres_scanner", "postgres_scanner"),
                ("duckdb_extension_ducklake", "ducklake"),
            ):
                con.execute(f"LOAD {_quote(str(extension_file(package, name)))}")
            # Every catalog query takes a pooled PostgreSQL connection; the pool's «SELECT 1» before
            # each one doubled the round trips of a read (a dead connection fails that query instead)
            con.execute("SET pg_pool_health_check_query = ''")
            _instance = con
        return _instance


def open_lake(spec: str, data_path: str | None = None) -> duckdb.DuckDBPyConnection:
    """A connection whose default catalog is the lake (attached as lake, lake_2, …), with the
    catalog's PostgreSQL database beside it as <alias>_pg (for sequences).

    data_path is needed only when the lake is created; afterwards the catalog remembers it.
    """
    dsn = postgres_dsn(spec)
    number = next(_numbers)
    alias = ALIAS if number == 1 else f"{ALIAS}_{number}"
    con = _engine().cursor()
    try:
        options = f" (DATA_PATH {_quote(data_path)})" if data_path else ""
        try:
            con.execute(f"ATTACH {_quote(spec)} AS {alias}{options}")
        except duckdb.Error as exc:
            if not data_path and "DATA_PATH" in str(exc):
                raise LakeError(
                    "El almacén compartido aún no existe: indique en CMI_LAKE_DATA la carpeta (o bucket) "
                    "de sus archivos Parquet para crearlo."
                ) from exc
            raise LakeError(f"No se pudo abrir el almacén compartido {spec}: {exc}") from exc
        con.execute(f"ATTACH {_quote(dsn)} AS {alias}{PG_SUFFIX} (TYPE postgres)")
        con.execute(f"USE {alias}")
    except BaseException:
        close_lake(con, alias)
        raise
    return con


def alias_of(con: duckdb.DuckDBPyConnection) -> str:
    """The catalog alias of the lake a connection from open_lake uses."""
    return scalar(con, "SELECT current_database()")


def close_lake(con: duckdb.DuckDBPyConnection, alias: str) -> None:
    """Detach the lake (and its PostgreSQL database) and close the connection."""
    con.execute("USE memory")
    for name in (alias, f"{alias}{PG_SUFFIX}"):
        con.execute(f"DETACH DATABASE IF EXISTS {name}")
    con.close()


def use(cur: duckdb.DuckDBPyConnection, alias: str) -> None:
    """Make the lake the default catalog of a new cursor (USE does not carry over to cursors)."""
    cur.execute(f"USE {alias}")


def has_table(cur: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the cursor's default catalog holds the table."""
    sql = "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND table_name = ?"
    return bool(scalar(cur, sql, [table]))


def in_lake(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether this cursor's default catalog is a lake."""
    name = alias_of(cur)
    return name == ALIAS or name.startswith(f"{ALIAS}_")


_SEQUENCE = re.compile(r"CREATE SEQUENCE IF NOT EXISTS (\w+)[^;]*;", re.IGNORECASE)
_TABLE_KEY = re.compile(r",\s*PRIMARY KEY\s*\([^)]*\)", re.IGNORECASE)
_COLUMN_KEY = re.compile(r"\s+(PRIMARY KEY|UNIQUE)\b", re.IGNORECASE)
_NEXTVAL = re.compile(r"\s+DEFAULT\s+nextval\('\w+'\)", re.IGNORECASE)
_CHECK = re.compile(r"\s+CHECK\s*\((?:[^()]|\([^()]*\))*\)", re.IGNORECASE)  # one level of nesting


def translate(sql: str) -> tuple[str, list[str]]:
    """A migration for DuckLake: (DDL without keys, CHECKs and sequence defaults, PostgreSQL sequence DDL)."""
    sequences = [f"CREATE SEQUENCE IF NOT EXISTS {name}" for name in _SEQUENCE.findall(sql)]
    ddl = _SEQUENCE.sub("", sql)
    ddl = _TABLE_KEY.sub("", ddl)
    ddl = _NEXTVAL.sub("", ddl)
    ddl = _COLUMN_KEY.sub("", ddl)
    ddl = _CHECK.sub("", ddl)  # DuckLake has no CHECK either; the loaders validate ranges
    return ddl, sequences


def postgres_execute(cur: duckdb.DuckDBPyConnection, statement: str) -> None:
    """Run one statement in the catalog's PostgreSQL database (outside DuckDB's transaction)."""
    cur.execute(f"CALL postgres_execute('{alias_of(cur)}{PG_SUFFIX}', {_quote(statement)})")


def postgres_value(cur: duckdb.DuckDBPyConnection, query: str) -> Any:
    """The single value a PostgreSQL query returns."""
    pg = f"{alias_of(cur)}{PG_SUFFIX}"
    return scalar(cur, f"SELECT * FROM postgres_query('{pg}', {_quote(query)})")


def latest_snapshot(cur: duckdb.DuckDBPyConnection, alias: str) -> int:
    """The lake's latest committed snapshot (changes with every commit of any process).

    Read straight from the catalog's PostgreSQL table, on a cursor that is not pointed at the lake:
    one round trip (~1 ms), where asking the lake (`current_snapshot()`) opens a lake transaction
    (six catalog queries, ~10 ms).
    """
    sql = f"SELECT max(snapshot_id) FROM {alias}{PG_SUFFIX}.public.ducklake_snapshot"
    return int(scalar(cur, sql))


def is_conflict(exc: BaseException) -> bool:
    """A commit refused because another process changed the same table first."""
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()
