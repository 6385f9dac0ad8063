"""Where the warehouse lives: `data/cmi.duckdb`, or the path in the CMI_DB variable."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CATALOG_DIR = DATA_DIR / "catalogos"
DEFAULT_DB = DATA_DIR / "cmi.duckdb"


def db_path() -> Path:
    """The DuckDB file this process uses."""
    return Path(os.environ.get("CMI_DB") or DEFAULT_DB)
