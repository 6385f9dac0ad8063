"""Where the warehouse lives: `data/cmi.duckdb`, or the path in the CMI_DB variable."""

from pathlib import Path

from warehouse.settings import DATA_DIR, settings

CATALOG_DIR = DATA_DIR / "catalogos"
DEFAULT_DB = DATA_DIR / "cmi.duckdb"


def db_path() -> Path:
    """The DuckDB file this process uses."""
    return settings().db
