"""Catalogs (regions, states, OOAD, UMAE, medical units, directorates, mesas, themes) from editable CSVs.

Reloading a catalog never orphans stored data: a row that is not in the CSV but whose code is
still used by a non-catalog table (for example the OOAD '99' «Sin asignar» that the asg loader
creates for unknown delegaciones, referenced by `afiliacion`) is kept as it is.

Catalogs that planners upload in «Cargar datos» (the strategy map's objectives, weights and
owners) are theirs once uploaded: while a load's rows are in the table, the CSV does not
overwrite them (the CSV only seeds a warehouse, or one whose uploads were all undone).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.config import CATALOG_DIR
from warehouse.rows import scalar

CATALOG_TABLES = (
    "regiones",
    "entidades",
    "ooad",
    "umae",
    "unidades",
    "direcciones",
    "mesas",
    "temas",
    "objetivos",
    "indicadores_estrategia",
    "proyectos_estrategicos",
    "indicadores",
)
LOAD_COLUMN = "carga_id"  # uploaded catalogs' rows name their load


def _referencing_tables(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    """Non-catalog tables of the main schema that have a column named like the catalog's code."""
    rows = con.execute(
        "SELECT DISTINCT table_name FROM duckdb_columns() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND NOT internal"
        " AND column_name = ? AND NOT list_contains(?, table_name) ORDER BY 1",
        [column, list(CATALOG_TABLES)],
    ).fetchall()
    return [r[0] for r in rows]


def _keep_referenced(con: duckdb.DuckDBPyConnection, table: str, key: str, csv: str, types: dict) -> None:
    """Copy to `_catalogo_conservado` the rows missing from the CSV that stored data still references."""
    refs = _referencing_tables(con, key)
    used = " UNION ".join(f'SELECT "{key}" FROM "{t}"' for t in refs) or f"SELECT NULL AS {key} WHERE false"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _catalogo_conservado AS SELECT * FROM {table}"
        f" WHERE {key} NOT IN (SELECT {key} FROM read_csv(?, header=true, types=?))"
        f" AND {key} IN ({used})",
        [csv, types],
    )


def load_catalogs(con: duckdb.DuckDBPyConnection, folder: Path = CATALOG_DIR) -> None:
    """Replace each catalog table with the rows of its CSV (all codes read as text), keeping rows in use."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table in CATALOG_TABLES:
            csv = str(folder / f"{table}.csv")
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            if LOAD_COLUMN in cols:
                if scalar(con, f"SELECT count({LOAD_COLUMN}) FROM {table}"):
                    continue  # uploaded by a planner: the upload wins over the repository's CSV
                cols.remove(LOAD_COLUMN)
            types = {c: "VARCHAR" for c in cols if c not in ("orden", "fila", "columna")}
            _keep_referenced(con, table, cols[0], csv, types)
            con.execute(f"DELETE FROM {table}")
            listed = ", ".join(cols)
            con.execute(
                f"INSERT INTO {table} ({listed}) SELECT {listed} FROM read_csv(?, header=true, types=?)",
                [csv, types],
            )
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _catalogo_conservado")
            con.execute("DROP TABLE _catalogo_conservado")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def umae_name_sql(alias: str) -> str:
    """A UMAE's full name as people know it (SQL over the `umae` row `alias`):
    «Hospital de Especialidades, CMN La Raza», never the bare «Hospital de Especialidades»
    several complexes share."""
    return f"({alias}.nombre || coalesce(', ' || {alias}.complejo, ''))"
