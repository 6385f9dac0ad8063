"""Time to build the whole demo warehouse from nothing (goal: under 60 s).

Usage: python -m bench.demo_build [--rounds 3]. Writes the section «Almacén de demostración».
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.report import machine, write_section
from warehouse.rows import scalar

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cmi.duckdb"
        for _ in range(args.rounds):
            start = time.perf_counter()
            cmd = [sys.executable, "-m", "data.demo", "--db", str(db), "--force"]
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        con = duckdb.connect(str(db), read_only=True)
        tables = ("consultas", "afiliacion", "metas", "acuerdos", "acuerdos_historial")
        counts = {t: scalar(con, f"SELECT count(*) FROM {t}") for t in tables}
        size = db.stat().st_size / 1e6
        con.close()
    rows = " · ".join(f"{t} {n:,}" for t, n in counts.items())
    body = (
        f"Comando: `python -m bench.demo_build --rounds {args.rounds}` · {machine()}\n\n"
        f"Construcción completa (proceso nuevo, migraciones, catálogos, 9 conjuntos, metas, acuerdos, cuentas "
        f"demo): mediana **{statistics.median(times):.1f} s** (de {', '.join(f'{t:.1f}' for t in times)}); "
        f"meta < 60 s. Archivo de {size:,.0f} MB; filas: {rows}."
    )
    print(body)
    write_section("Almacén de demostración", body)


if __name__ == "__main__":
    main()
