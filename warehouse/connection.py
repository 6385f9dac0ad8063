"""One DuckDB connection per process and warehouse; a cursor per query; writes serialised.

Embedded mode: DuckDB lets one process hold a file read-write. Shared mode: an in-memory DuckDB
with the DuckLake attached (warehouse/lake.py); many processes read and write it at once, each
commit is a snapshot, and a commit that collides with another process's raises
WarehouseConflictError (nothing was written; `retry_on_conflict` runs the work again).
Inside a process every query runs on its own cursor (cursors are safe to use from Streamlit's
script threads), and writes take a process-wide lock so two sessions never interleave transactions.
"""

from __future__ import annotations

import copy
import functools
import inspect
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from warehouse import lake
from warehouse.config import db_path, lake_data
from warehouse.errors import UserError
from warehouse.mirror import Mirror


class WarehouseBusyError(UserError, RuntimeError):
    """Another process holds the DuckDB file."""


class WarehouseConflictError(RuntimeError):
    """Shared mode: another process committed a change to the same table first; nothing was written."""


Location = Path | str
_connections: dict[Location, duckdb.DuckDBPyConnection] = {}
_aliases: dict[str, str] = {}  # shared location -> its catalog alias in this process
_idle_readers: dict[Location, list[duckdb.DuckDBPyConnection]] = {}  # read cursors ready for reuse
_mirrors: dict[str, Mirror] = {}  # shared: the in-memory copy of the lake's small tables
_idle_mirror_readers: dict[Location, list[duckdb.DuckDBPyConnection]] = {}  # cursors pointed at the copy
IDLE_READERS = 8
_facts: dict[tuple, Any] = {}  # per_snapshot: (function, warehouse, snapshot, arguments) -> answer
FACTS_KEPT = 2000
_open_lock = threading.Lock()
WRITE_LOCK = threading.RLock()

BUSY_MESSAGE = (
    "El almacén {path} está en uso por otro proceso (¿el tablero está abierto?); "
    "ciérrelo o use la página «Cargar datos» y vuelva a intentar. "
    "Para cargar con el tablero abierto, use el almacén compartido (CMI_WAREHOUSE, ver docs/despliegue.md)."
)
CONFLICT_MESSAGE = (
    "Otro proceso modificó el almacén al mismo tiempo; su cambio no se guardó. Vuelva a intentar."
)
T = TypeVar("T")


def location(path: Location | None = None) -> Location:
    """The key of a warehouse: the DuckLake string as given, or the DuckDB file's absolute path."""
    target = path if path is not None else db_path()
    if lake.is_shared(target):
        return str(target)
    return _absolute(str(target), os.getcwd())


@functools.lru_cache(maxsize=256)
def _absolute(target: str, cwd: str) -> Path:
    """Path.resolve, remembered: every query asks, and resolving walks the path's folders (~0.3 ms)."""
    return Path(target).resolve()


def is_shared(path: Location | None = None) -> bool:
    """Whether this warehouse is a DuckLake (shared mode)."""
    return lake.is_shared(location(path))


def _open(where: Location, data_path: str | None = None) -> duckdb.DuckDBPyConnection:
    if isinstance(where, str):
        return lake.open_lake(where, data_path or lake_data())
    where.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(where), config={"autoinstall_known_extensions": False})
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusyError(BUSY_MESSAGE.format(path=where)) from exc
        raise


def connect(path: Location | None = None, data_path: str | None = None) -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the warehouse, migrated on first use.

    data_path: for a shared warehouse not yet created, its Parquet folder (else CMI_LAKE_DATA).
    """
    where = location(path)
    with _open_lock:
        con = _connections.get(where)
        if con is None:
            con = _open(where, data_path)
            if isinstance(where, str):
                _aliases[where] = lake.alias_of(con)
            from warehouse.migrate import migrate

            with WRITE_LOCK:
                retry_on_conflict(migrate)(con)
            _connections[where] = con
        return con


def close(path: Location) -> None:
    """Close this process's connection to one warehouse, if open (others stay open)."""
    with _open_lock:
        _close(location(path))


def _close(where: Location) -> None:
    for idle in (_idle_readers, _idle_mirror_readers):
        for reader in idle.pop(where, []):
            reader.close()
    if isinstance(where, str):
        mirror = _mirrors.pop(where, None)
        if mirror is not None:
            mirror.close()
    con = _connections.pop(where, None)
    if con is None:
        return
    alias = _aliases.pop(where, None) if isinstance(where, str) else None
    if alias:
        lake.close_lake(con, alias)
    else:
        con.close()


def close_all() -> None:
    """Close every cached connection (tests, and before another process must write)."""
    with _open_lock:
        for where in list(_connections):
            _close(where)
        _facts.clear()


@contextmanager
def cursor(path: Location | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh cursor on the process connection, closed afterwards."""
    where = location(path)
    cur = connect(where).cursor()
    try:
        if isinstance(where, str):
            lake.use(cur, _aliases[where])
        yield cur
    finally:
        cur.close()


@contextmanager
def _reader(path: Location | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor for one read query, from a few kept for reuse: a new cursor's first query costs
    about a millisecond more, and pointing one at a lake (USE) asks the catalog (tens of ms).
    Inside a request pinned to one snapshot (`one_snapshot`: the engine's read-only requests) the
    cursor reads this process's copy of the lake's small tables at that snapshot (warehouse/mirror.py)."""
    where = location(path)
    con = connect(where)
    shared = isinstance(where, str)
    version: int | None = getattr(_pinned, "versions", {}).get(where) if shared else None
    mirror = None if version is None else _mirror(str(where), con)
    idle_readers = _idle_readers if mirror is None else _idle_mirror_readers
    if mirror is not None and version is not None:
        mirror.refresh(version)
    with _open_lock:
        idle = idle_readers.setdefault(where, [])
        reader = idle.pop() if idle else None
    if reader is None:
        reader = con.cursor()
        if mirror is not None:
            mirror.point(reader)
        elif shared:
            lake.use(reader, _aliases[str(where)])
    try:
        yield reader
    except BaseException:
        reader.close()
        raise
    with _open_lock:
        kept = idle_readers.get(where)
        if kept is not None and len(kept) < IDLE_READERS and _connections.get(where) is con:
            kept.append(reader)
            return
    reader.close()


def _mirror(where: str, con: duckdb.DuckDBPyConnection) -> Mirror:
    with _open_lock:
        mirror = _mirrors.get(where)
        if mirror is None:
            mirror = _mirrors[where] = Mirror(con, _aliases[where])
        return mirror


def query_df(
    sql: str, params: Sequence[Any] | dict | None = None, path: Location | None = None
) -> pd.DataFrame:
    """Run a read query with bound parameters and return a (small) DataFrame."""
    with _reader(path) as cur:
        return cur.execute(sql, params or []).df()


def query_rows(
    sql: str, params: Sequence[Any] | dict | None = None, path: Location | None = None
) -> list[tuple]:
    """Run a read query with bound parameters and return its rows."""
    with _reader(path) as cur:
        return cur.execute(sql, params or []).fetchall()


@contextmanager
def transaction(path: Location | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A serialised write transaction: commit on success, roll back on any error."""
    with WRITE_LOCK, cursor(path) as cur:
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        try:
            cur.execute("COMMIT")
        except duckdb.Error as exc:
            if lake.is_conflict(exc):
                raise WarehouseConflictError(CONFLICT_MESSAGE) from exc
            raise


def is_conflict(exc: BaseException) -> bool:
    """Another process committed to the same table first (shared mode): the work can run again."""
    return isinstance(exc, WarehouseConflictError) or lake.is_conflict(exc)


def retry_on_conflict(fn: Callable[..., T], attempts: int = 6) -> Callable[..., T]:
    """Run fn again (it re-reads what it needs) when another process committed first.

    Only for work that is whole in one transaction: a refused commit wrote nothing.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        for attempt in range(attempts):
            try:
                return fn(*args, **kwargs)
            except (WarehouseConflictError, duckdb.TransactionException) as exc:
                if attempt == attempts - 1 or not (
                    isinstance(exc, WarehouseConflictError) or lake.is_conflict(exc)
                ):
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    return wrapper


def snapshot(path: Location | None = None) -> int | None:
    """The shared warehouse's latest committed snapshot: it changes with every commit of any process
    (loads, agreement edits, sign-ins). None for an embedded file, which has no snapshots."""
    where = location(path)
    return _lake_snapshot(where) if isinstance(where, str) else None


def _lake_snapshot(where: str) -> int:
    cur = connect(
        where
    ).cursor()  # not pointed at the lake: reading the catalog table opens no lake transaction
    try:
        return lake.latest_snapshot(cur, _aliases[where])
    finally:
        cur.close()


_pinned = threading.local()  # per thread: {warehouse: snapshot} while reads share one snapshot


def _db_argument(signature: inspect.Signature, args: tuple, kwargs: dict) -> tuple[Location, dict]:
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return location(bound.arguments.get("db")), bound.arguments


@contextmanager
def _pin(where: str, version: int) -> Iterator[None]:
    versions = _pinned.__dict__.setdefault("versions", {})
    outer = versions.get(where)
    versions[where] = version
    try:
        yield
    finally:
        if outer is None:
            versions.pop(where, None)
        else:
            versions[where] = outer


def _current(where: str) -> int:
    """This thread's pinned snapshot of the warehouse, else the latest one."""
    version = getattr(_pinned, "versions", {}).get(where)
    return _lake_snapshot(where) if version is None else version


def per_snapshot(fn: Callable[..., T]) -> Callable[..., T]:
    """For a read whose answer depends only on the warehouse's contents (the latest month of each
    dataset, which datasets hold state rows, …): in shared mode the answer is kept per lake snapshot,
    so a commit by any process gives a new answer at the next call, and until then the call costs
    one catalog round trip instead of a lake query (tens of catalog queries per table read).
    Embedded mode runs the read every time (it is cheap there, and a test may write without a load).

    fn takes the warehouse as its argument named `db` (None: the configured one); the other
    arguments must be hashable once sets are frozen. A result is a copy, so callers may change it.
    """
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        where, arguments = _db_argument(signature, args, kwargs)
        if not isinstance(where, str):
            return fn(*args, **kwargs)
        version = _current(where)
        rest = tuple(frozenset(v) if isinstance(v, set) else v for k, v in arguments.items() if k != "db")
        key = (fn.__module__, fn.__qualname__, where, version, rest)
        value = _facts.get(key, _facts)  # the dict itself marks «not kept»
        if value is _facts:
            with _pin(where, version):  # what fn asks of other kept reads: the same snapshot
                value = fn(*args, **kwargs)
            with _open_lock:
                if len(_facts) > FACTS_KEPT:
                    _facts.clear()
                _facts[key] = value
        return copy.deepcopy(value)

    return wrapper


def same_snapshot(fn: Callable[..., T]) -> Callable[..., T]:
    """fn, to run on another thread (a pool's worker) with this thread's pinned snapshots: its reads
    see what the request that started it sees."""
    versions = dict(getattr(_pinned, "versions", {}))

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        mine = _pinned.__dict__.setdefault("versions", {})
        saved = dict(mine)
        mine.update(versions)
        try:
            return fn(*args, **kwargs)
        finally:
            mine.clear()
            mine.update(saved)

    return wrapper


def one_snapshot(fn: Callable[..., T]) -> Callable[..., T]:
    """For a read-only entry point (one engine request): in shared mode its kept reads
    (per_snapshot) all use the snapshot read once at its start, one catalog round trip in all.
    fn takes the warehouse as its argument named `db`; it must not write."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        where, _ = _db_argument(signature, args, kwargs)
        if not isinstance(where, str) or where in getattr(_pinned, "versions", {}):
            return fn(*args, **kwargs)
        with _pin(where, _lake_snapshot(where)):
            return fn(*args, **kwargs)

    return wrapper


def data_version(path: Location | None = None) -> int:
    """The warehouse's data version: the id of the latest load, the key every cached result depends on.

    Shared mode: it follows the lake's catalog snapshot. Each call reads the latest snapshot (one
    catalog round trip), so a load committed by another process changes the version at this
    process's next interaction; the cargas table is read again only when the snapshot moved.
    Screens that keep results per data version (issue 17) key them on this function.
    """
    return _latest_load(db=path)


@per_snapshot
def _latest_load(db: Location | None = None) -> int:
    return int(query_rows("SELECT coalesce(max(id), 0) FROM cargas", path=db)[0][0])
