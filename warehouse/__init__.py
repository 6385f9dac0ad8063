"""The warehouse (embedded DuckDB file or shared DuckLake): connection, schema, catalogs, data version."""

from warehouse.config import db_path
from warehouse.connection import (
    WarehouseBusyError,
    WarehouseConflictError,
    close_all,
    connect,
    cursor,
    data_version,
    is_conflict,
    one_snapshot,
    per_snapshot,
    query_df,
    query_rows,
    retry_on_conflict,
    same_snapshot,
    snapshot,
    transaction,
)

__all__ = [
    "WarehouseBusyError",
    "WarehouseConflictError",
    "close_all",
    "connect",
    "cursor",
    "data_version",
    "db_path",
    "is_conflict",
    "one_snapshot",
    "per_snapshot",
    "query_df",
    "query_rows",
    "retry_on_conflict",
    "same_snapshot",
    "snapshot",
    "transaction",
]
