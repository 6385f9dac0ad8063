"""`python -m agreements.cli` exits only with the documented codes 0, 1, 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import warehouse
from tests.indicators import tiny_warehouse

ROOT = Path(__file__).resolve().parents[2]


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "agreements.cli", *args],
        cwd=ROOT,
        env={"CMI_DB": str(db), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def test_a_busy_warehouse_exits_2_in_spanish(tmp_path):
    db = tiny_warehouse.build(tmp_path / "tiny.duckdb")
    warehouse.connect(db)  # this process holds the file, as a running dashboard would
    try:
        busy = _cli(db, "tablero")
    finally:
        warehouse.close_all()
    assert busy.returncode == 2, busy.stderr
    assert "está en uso por otro proceso" in busy.stderr
    assert _cli(db, "tablero").returncode == 0
    bad_date = _cli(db, "--al", "ayer", "tablero")
    assert bad_date.returncode == 2 and "Fecha inválida" in bad_date.stderr
