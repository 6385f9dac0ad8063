"""A load killed with SIGKILL leaves the warehouse as before; concurrent loads are serialised."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import warehouse
from bench.asg_synth import write_asg
from loaders import load_file
from tests.loaders.helpers import HEADER, consultas_lines, snapshot, write
from tests.warehouses import Warehouses, warehouse_env
from warehouse import query_rows
from warehouse.connection import Location

ROOT = Path(__file__).resolve().parents[2]


def _cli(db: Location, *args: str) -> subprocess.Popen:
    env = {**os.environ, **warehouse_env(db), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "loaders", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_kill_9_in_the_middle_of_a_large_load_leaves_the_warehouse_as_before(
    seeded: Location, tmp_path: Path, warehouses: Warehouses
) -> None:
    big = tmp_path / "asg-2025-01-31.csv"
    write_asg(big, 1_500_000)
    before = snapshot(seeded)
    size_before = warehouses.stored_bytes(seeded)
    warehouse.close_all()  # the child process must own the file (embedded mode)
    proc = _cli(seeded, "load", str(big), "--aceptar-advertencias")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if warehouses.stored_bytes(seeded) > size_before + 4_000_000:  # rows are being written
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the load finished before it could be killed; use a bigger file"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(seeded) == before
    assert query_rows("SELECT count(*) FROM cargas WHERE dataset = 'asg'", path=seeded)[0][0] == 0
    small = tmp_path / "asg-2025-02-28.csv"
    totals = write_asg(small, 2_000)
    assert load_file(small, db=seeded, accept_warnings=True).loaded  # the file is still healthy
    assert query_rows("SELECT sum(puestos_trabajo) FROM afiliacion", path=seeded)[0][0] == totals["ta"]


def test_two_loads_at_once_from_two_sessions_are_serialised(seeded: Path, tmp_path: Path) -> None:
    files = [
        write(tmp_path / "a.csv", [HEADER, *consultas_lines(["2024-05"], ["01", "09"])]),
        write(tmp_path / "b.csv", [HEADER, *consultas_lines(["2024-06"], ["01", "09"])]),
        write(
            tmp_path / "c.csv", [HEADER, *consultas_lines(["2024-05"], ["09", "35"])]
        ),  # 09 is in a.csv too
    ]
    start = threading.Barrier(len(files))
    results = {}

    def run(path: Path) -> None:
        start.wait()
        results[path.name] = load_file(path, db=seeded, accept_warnings=True)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["b.csv"].loaded
    # a and c both add 2024-05 of OOAD 09: exactly one wins, the other is refused as overlapping
    assert sorted(results[n].status for n in ("a.csv", "c.csv")) == ["cargada", "rechazada"]
    ids = sorted(r.load_id for r in results.values() if r.loaded)
    assert len(set(ids)) == 2
    months = query_rows(
        "SELECT strftime(periodo, '%Y-%m'), count(*) FROM consultas GROUP BY 1 ORDER BY 1", path=seeded
    )
    assert months[-2][0] == "2024-05" and months[-1] == ("2024-06", 2)


def test_cli_beside_another_process_loads_or_says_in_spanish_what_to_do(
    seeded: Location, tmp_path: Path, warehouses: Warehouses
) -> None:
    path = write(tmp_path / "consultas_x.csv", [HEADER, *consultas_lines(["2024-07"], ["01"])])
    before = warehouse.data_version(seeded)
    proc = _cli(seeded, "load", str(path), "--aceptar-advertencias")  # this process still holds the warehouse
    _out, err = proc.communicate(timeout=120)
    message = err.decode().strip()
    if warehouses.shared:  # many processes share a lake: the load commits and this process sees it
        assert proc.returncode == 0, message
        assert warehouse.data_version(seeded) > before
        assert query_rows("SELECT count(*) FROM consultas WHERE periodo = '2024-07-01'", path=seeded) == [
            (1,)
        ]
        return
    assert proc.returncode == 2
    assert "en uso por otro proceso" in message and "CMI_WAREHOUSE" in message and "Traceback" not in message
    assert len(message.splitlines()) == 1
