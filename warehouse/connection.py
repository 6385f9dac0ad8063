"""One DuckDB connection per process and file; a cursor per query; writes serialised.

DuckDB lets one process hold a file read-write. Inside that process every query runs on its
own cursor (cursors are safe to use from Streamlit's script threads), and writes take a
process-wide lock so two sessions never interleave transactions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from warehouse.config import db_path
from warehouse.errors import UserError


class WarehouseBusyError(UserError, RuntimeError):
    """Another process holds the DuckDB file."""


_connections: dict[Path, duckdb.DuckDBPyConnection] = {}
_open_lock = threading.Lock()
WRITE_LOCK = threading.RLock()

BUSY_MESSAGE = (
    "El almacén {path} está en uso por otro proceso (¿el tablero está abierto?); "
    "ciérrelo o use la página «Cargar datos» y vuelva a intentar."
)


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusyError(BUSY_MESSAGE.format(path=path)) from exc
        raise


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the warehouse file, migrated on first use."""
    resolved = Path(path) if path is not None else db_path()
    resolved = resolved.resolve()
    with _open_lock:
        con = _connections.get(resolved)
        if con is None:
            con = _open(resolved)
            from warehouse.migrate import migrate

            with WRITE_LOCK:
                migrate(con)
            _connections[resolved] = con
        return con


def close(path: Path | str) -> None:
    """Close this process's connection to one file, if open (others stay open)."""
    with _open_lock:
        con = _connections.pop(Path(path).resolve(), None)
        if con is not None:
            con.close()


def close_all() -> None:
    """Close every cached connection (tests, and before another process must write)."""
    with _open_lock:
        for con in _connections.values():
            con.close()
        _connections.clear()


@contextmanager
def cursor(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh cursor on the process connection, closed afterwards."""
    cur = connect(path).cursor()
    try:
        yield cur
    finally:
        cur.close()


def query_df(
    sql: str, params: Sequence[Any] | dict | None = None, path: Path | str | None = None
) -> pd.DataFrame:
    """Run a read query with bound parameters and return a (small) DataFrame."""
    with cursor(path) as cur:
        return cur.execute(sql, params or []).df()


def query_rows(
    sql: str, params: Sequence[Any] | dict | None = None, path: Path | str | None = None
) -> list[tuple]:
    """Run a read query with bound parameters and return its rows."""
    with cursor(path) as cur:
        return cur.execute(sql, params or []).fetchall()


@contextmanager
def transaction(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A serialised write transaction: commit on success, roll back on any error."""
    with WRITE_LOCK, cursor(path) as cur:
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")


def data_version(path: Path | str | None = None) -> int:
    """The id of the latest load: the key every cached result depends on."""
    rows = query_rows("SELECT coalesce(max(id), 0) FROM cargas", path=path)
    return int(rows[0][0])
