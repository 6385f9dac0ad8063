"""Reloading the catalogs (as every applied migration does) keeps the codes stored data still uses."""

from __future__ import annotations

from pathlib import Path

import pytest

import warehouse
from bench.asg_synth import write_asg
from loaders import load_file
from warehouse import query_rows, transaction
from warehouse.catalogs import load_catalogs
from warehouse.config import CATALOG_DIR
from warehouse.connection import WRITE_LOCK

ROWS = 3_000


def test_sin_asignar_ooad_survives_a_new_migration(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "asg-2025-02-28.csv"
    totals = write_asg(path, ROWS, delegaciones=37)  # delegaciones 36 and 37 are not in the catalog
    assert load_file(path, db=db, accept_warnings=True).loaded
    assert query_rows("SELECT count(*) FROM afiliacion WHERE cve_ooad = '99'", path=db)[0][0] == 1
    with transaction(db) as cur:  # an unused row absent from the CSV: a reload drops it
        cur.execute("INSERT INTO ooad VALUES ('98', 'Obsoleto', 'Centro', '09', '')")
    catalog_before = query_rows("SELECT * FROM ooad WHERE cve_ooad <> '98' ORDER BY 1", path=db)

    # a migration applied later: forget one and reconnect, as a new release would
    with transaction(db) as cur:
        cur.execute("DELETE FROM schema_migrations WHERE version = '030_acuerdos_seguimiento'")
    warehouse.close_all()
    warehouse.connect(db)
    assert query_rows("SELECT count(*) FROM schema_migrations WHERE version LIKE '030%'", path=db)[0][0] == 1

    assert query_rows("SELECT * FROM ooad ORDER BY 1", path=db) == catalog_before
    assert query_rows("SELECT nombre FROM ooad WHERE cve_ooad = '99'", path=db) == [("Sin asignar",)]
    national = query_rows(
        "SELECT sum(a.puestos_trabajo) FROM afiliacion a JOIN ooad o USING (cve_ooad)", path=db
    )[0][0]
    assert national == totals["ta"]
    from indicators import engine

    assert engine.value("puestos_trabajo_afiliados", "2025-02", "nacional", db=db).valor == totals["ta"]


@pytest.mark.parametrize("used", [False, True])
def test_a_code_removed_from_the_csv_goes_only_when_unused(db: Path, tmp_path: Path, used: bool) -> None:
    folder = tmp_path / "catalogos"
    folder.mkdir()
    for csv in CATALOG_DIR.glob("*.csv"):
        lines = csv.read_text(encoding="utf-8").splitlines()
        if csv.name == "ooad.csv":
            lines = [ln for ln in lines if not ln.startswith("34,")]
        (folder / csv.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    count = query_rows("SELECT count(*) FROM ooad", path=db)[0][0]
    if used:
        with transaction(db) as cur:
            cur.execute("INSERT INTO plazas VALUES (DATE '2024-01-01', '34', 10, 9, NULL)")
    with WRITE_LOCK:
        load_catalogs(warehouse.connect(db), folder)
    kept = query_rows("SELECT count(*) FROM ooad WHERE cve_ooad = '34'", path=db)[0][0]
    assert kept == (1 if used else 0)
    assert query_rows("SELECT count(*) FROM ooad", path=db)[0][0] == count - (0 if used else 1)
