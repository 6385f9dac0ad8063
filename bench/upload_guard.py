"""Hostile workbooks through the loader CLI: how fast, and with how much memory, they are refused.

`python -m bench.upload_guard` builds the adversarial probe's two files in a temporary
folder — one cell of 200 MB, 300,000 rows — runs `python -m loaders load FILE --validar` on each in
its own process (wall time, peak RSS from wait4) and writes the section «Archivos hostiles» of
docs/benchmarks.md. Before the guard the probe measured 2.76 GB of RSS for the first file and
8 min 54 s for the second.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import machine, write_section
from tests.loaders import bombs

ROOT = Path(__file__).resolve().parent.parent
SECTION = "Archivos hostiles"


def run(file: Path, db: Path) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB, exit code, first output line) of one CLI load in its own process."""
    args = [sys.executable, "-m", "loaders", "--db", str(db), "load", str(file), "--dataset", "plazas"]
    start = time.perf_counter()
    proc = subprocess.Popen([*args, "--validar"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    out = proc.stdout.read().decode().strip().splitlines() if proc.stdout else []
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), (out or [""])[0]


def main() -> int:
    import warehouse

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "cmi.duckdb"
        warehouse.connect(db)
        warehouse.close_all()
        files = {
            "una celda de 200 MB": bombs.xlsx(folder / "celda.xlsx", bombs.plazas_rows(3), huge_cell_mb=200),
            "300,000 filas": bombs.xlsx(folder / "filas.xlsx", bombs.plazas_rows(300_000)),
        }
        rows = []
        for label, path in files.items():
            seconds, rss, code, line = run(path, db)
            rows.append(
                f"| {label} | {path.stat().st_size / 1024:,.0f} KB | {seconds:.2f} | {rss:,.0f} | {code} | {line} |"
            )
    body = "\n".join(
        [
            f"`python -m bench.upload_guard` · {machine()}",
            "",
            "Los dos libros del sondeo adversarial, cargados con `python -m loaders load … --validar`",
            "en un proceso propio (tiempo total del proceso, incluido el arranque de Python; pico de RSS).",
            "Antes de la guarda: 2.76 GB de RSS con la celda de 200 MB y 8 min 54 s con las 300,000 filas.",
            "",
            "| libro | tamaño | tiempo (s) | pico RSS (MB) | salida | mensaje |",
            "|---|---:|---:|---:|---:|---|",
            *rows,
        ]
    )
    write_section(SECTION, body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
