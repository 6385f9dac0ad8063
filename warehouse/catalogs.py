"""Catalogs (regions, states, OOAD, UMAE, directorates, mesas, themes) from editable CSVs."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.config import CATALOG_DIR

CATALOG_TABLES = ("regiones", "entidades", "ooad", "umae", "direcciones", "mesas", "temas")


def load_catalogs(con: duckdb.DuckDBPyConnection, folder: Path = CATALOG_DIR) -> None:
    """Replace each catalog table with the rows of its CSV, all codes read as text."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table in CATALOG_TABLES:
            csv = folder / f"{table}.csv"
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            types = {c: "VARCHAR" for c in cols if c not in ("orden", "fila", "columna")}
            con.execute(f"DELETE FROM {table}")
            con.execute(
                f"INSERT INTO {table} SELECT {', '.join(cols)} FROM read_csv(?, header=true, types=?)",
                [str(csv), types],
            )
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
