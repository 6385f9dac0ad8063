"""Shared mode: the engine's requests read this process's copy of the lake (warehouse/mirror.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import warehouse
from tests.warehouses import SHARED, warehouse_env
from warehouse import connection, mirror

ROOT = Path(__file__).resolve().parents[2]
shared_only = pytest.mark.parametrize("warehouses", [SHARED], indirect=True)


def test_change_lists_name_the_tables_whose_rows_changed_or_ask_for_everything() -> None:
    rows = "inserted_into_table:4,deleted_from_table:5,inlined_insert:23,inlined_delete:9"
    assert mirror.changed_tables([rows, "inlined_insert:23", None]) == {4, 5, 9, 23}
    assert mirror.changed_tables(['created_table:"main"."x",inlined_insert:1']) is None
    assert mirror.changed_tables(["altered_table:78"]) is None
    assert mirror.changed_tables([]) == set()


@warehouse.one_snapshot
def _settings(db: str) -> list[tuple]:
    return warehouse.query_rows("SELECT clave, valor FROM ajustes ORDER BY clave", path=db)


@warehouse.one_snapshot
def _regions(db: str) -> list[str]:
    return [r[0] for r in warehouse.query_rows("SELECT region FROM regiones ORDER BY region", path=db)]


def _write_from_another_process(db: str, sql: str) -> None:
    code = f"import warehouse\nwith warehouse.transaction() as cur:\n    cur.execute({sql!r})\n"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **warehouse_env(db), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


@shared_only
def test_requests_read_the_copy_and_a_commit_elsewhere_recopies_only_its_tables(warehouses) -> None:
    db = str(warehouses.new("copia"))
    with warehouse.transaction(db) as cur:
        cur.execute("INSERT INTO ajustes VALUES ('a', '1')")
    assert ("a", "1") in _settings(db)
    copy = connection._mirrors[db]
    assert copy.snapshot == warehouse.snapshot(db)
    assert copy.held and all(kind == "TABLE" for name, kind in copy.held.values() if name == "ajustes")
    regions = _regions(db)
    assert len(regions) == 4
    # a mark in this process's copy of regiones: it stays until regiones itself changes in the lake
    warehouse.connect(db).execute(
        f"INSERT INTO {copy.name}.main.regiones (region, orden) VALUES ('Marca', 99)"
    )

    _write_from_another_process(db, "INSERT INTO ajustes VALUES ('b', '2')")
    assert ("b", "2") in _settings(db)  # the next request sees the other process's commit
    assert copy.snapshot == warehouse.snapshot(db)
    assert _regions(db) == sorted([*regions, "Marca"])  # regiones was not copied again

    _write_from_another_process(db, "DELETE FROM regiones WHERE region = 'Norte'")
    assert _regions(db) == [r for r in regions if r != "Norte"]  # now it was (and the mark is gone)
    assert warehouse.query_rows("SELECT count(*) FROM regiones", path=db)[0][0] == 3  # the lake itself


@shared_only
def test_large_tables_and_new_tables_are_read_from_the_lake_through_the_copy(warehouses, monkeypatch) -> None:
    db = str(warehouses.new("grandes"))
    monkeypatch.setattr(mirror, "MAX_ROWS", 3)  # regiones (4 rows) counts as large
    assert len(_regions(db)) == 4
    copy = connection._mirrors[db]
    assert ("regiones", "VIEW") in copy.held.values() and ("ajustes", "TABLE") in copy.held.values()

    with warehouse.transaction(db) as cur:  # a schema change: every table is looked at again
        cur.execute("CREATE TABLE nueva (x INTEGER)")
        cur.execute("INSERT INTO nueva VALUES (7)")
    pinned = warehouse.one_snapshot(lambda db: warehouse.query_rows("SELECT x FROM nueva", path=db))
    assert pinned(db) == [(7,)]
    assert ("nueva", "TABLE") in copy.held.values()
