"""Where the warehouse lives: a DuckDB file (embedded, the default) or a DuckLake (shared).

- CMI_WAREHOUSE = `ducklake:postgres:dbname=… host=… port=… user=…` selects the shared mode:
  the catalog in PostgreSQL, the tables as Parquet files under CMI_LAKE_DATA.
- Otherwise the DuckDB file in CMI_DB, or `data/cmi.duckdb`.
"""

from pathlib import Path

from warehouse.settings import DATA_DIR, settings

CATALOG_DIR = DATA_DIR / "catalogos"
DEFAULT_DB = DATA_DIR / "cmi.duckdb"


def db_path() -> Path | str:
    """This process's warehouse: the CMI_WAREHOUSE string (shared) or the DuckDB file's path."""
    current = settings()
    return current.warehouse or current.db


def lake_data() -> str | None:
    """CMI_LAKE_DATA: the folder or bucket for a new shared warehouse's Parquet files."""
    return settings().lake_data or None
