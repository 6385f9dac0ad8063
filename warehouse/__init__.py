"""The DuckDB warehouse: connection, schema, catalogs, data version."""

from warehouse.config import db_path
from warehouse.connection import (
    WarehouseBusyError,
    close_all,
    connect,
    cursor,
    data_version,
    query_df,
    query_rows,
    transaction,
)

__all__ = [
    "WarehouseBusyError",
    "close_all",
    "connect",
    "cursor",
    "data_version",
    "db_path",
    "query_df",
    "query_rows",
    "transaction",
]
