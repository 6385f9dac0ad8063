"""Answers kept per lake snapshot (warehouse.per_snapshot) follow every commit, of any process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import warehouse
from warehouse import per_snapshot, query_rows

ROOT = Path(__file__).resolve().parents[2]
ADD_REGION = (
    "import sys, warehouse\n"
    "with warehouse.transaction(sys.argv[1]) as cur:\n"
    "    cur.execute(\"INSERT INTO regiones (region, orden) VALUES ('Isla', 9)\")\n"
)
calls: list[str] = []


@per_snapshot
def regions(db: Path | str | None = None) -> list[str]:
    calls.append("leída")
    return [r[0] for r in query_rows("SELECT region FROM regiones ORDER BY orden", path=db)]


def test_a_kept_answer_changes_when_another_process_commits(warehouses, monkeypatch) -> None:
    db = warehouses.new()
    warehouses.select(monkeypatch, db)
    calls.clear()
    first = regions(db=db)
    assert first == ["Norte", "Occidente", "Centro", "Sureste"]
    first.append("cambiada por quien llamó")  # a copy: the kept answer stays as read
    assert regions(db=db) == ["Norte", "Occidente", "Centro", "Sureste"]
    # shared: asked the lake once (the snapshot did not move); embedded: every time
    assert len(calls) == (1 if warehouses.shared else 2)
    if not warehouses.shared:
        warehouse.close_all()  # the embedded file is held by one process
    subprocess.run(
        [sys.executable, "-c", ADD_REGION, str(db)],
        cwd=ROOT,
        env={**os.environ, **warehouses.env(db)},
        check=True,
        timeout=300,
    )
    before = warehouse.snapshot(db)
    assert regions(db=db) == ["Norte", "Occidente", "Centro", "Sureste", "Isla"]
    assert warehouse.snapshot(db) == before  # reading moved nothing
    assert (before is None) == (not warehouses.shared)
