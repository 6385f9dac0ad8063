"""Query time of every agreements-board function on the demo warehouse (optionally scaled up).

Usage: python -m bench.agreements_board [--db data/cmi.duckdb] [--scale 10] [--rounds 15]
Copies the warehouse to a temporary file; with --scale N every agreement is cloned N-1 times
(new folios) to see how the board grows with the number of agreements.
Writes the section «Tablero de acuerdos» of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import warehouse
from agreements import actions as act
from agreements import board as ag
from bench.report import machine, write_section

CALLS = {
    "kpis": lambda db, d: ag.kpis(db, direccion=d),
    "breakdown (direccion)": lambda db, d: ag.breakdown("direccion", db, direccion=d),
    "breakdown (unidad)": lambda db, d: ag.breakdown("unidad", db, direccion=d),
    "aging": lambda db, d: ag.aging(db, direccion=d),
    "upcoming": lambda db, d: ag.upcoming(db, direccion=d),
    "completion_curves": lambda db, d: ag.completion_curves(db, direccion=d),
    "agreements (500, texto)": lambda db, d: ag.agreements(
        db, direccion=d, filtros=ag.BoardFilters(texto="abasto")
    ),
}


class _Bench:
    usuario = "bench"
    roles = frozenset({"director_normativo"})

    def __init__(self, cve: str) -> None:
        self.cve_direccion = cve


def _scale(db: Path, factor: int) -> None:
    with warehouse.transaction(db) as cur:
        for i in range(1, factor):
            cur.execute(
                "INSERT INTO acuerdos SELECT folio || '-X' || ?::VARCHAR, * EXCLUDE (folio) FROM acuerdos "
                "WHERE NOT contains(folio, '-X')",
                [i],
            )
            cur.execute(
                "INSERT INTO acuerdos_corresponsables SELECT folio || '-X' || ?::VARCHAR, cve_direccion "
                "FROM acuerdos_corresponsables WHERE NOT contains(folio, '-X')",
                [i],
            )


def _median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(warehouse.db_path()))
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp()) / "bench.duckdb"
    shutil.copy(args.db, tmp)
    rows = []
    sizes = []
    for factor in (1, args.scale):
        if factor > 1:
            _scale(tmp, factor)
        n = warehouse.query_rows("SELECT count(*) FROM acuerdos", path=tmp)[0][0]
        sizes.append(n)
        for name, call in CALLS.items():
            rows.append(
                (
                    n,
                    name,
                    _median_ms(lambda c=call: c(tmp, None), args.rounds),
                    _median_ms(lambda c=call: c(tmp, "DPM"), args.rounds),
                )
            )
    # one progress capture: read + update + history + inbox, in one transaction
    target = warehouse.query_rows(
        "SELECT folio, version FROM acuerdos WHERE estado = 'En proceso' AND cve_direccion = 'DPM' LIMIT 1",
        path=tmp,
    )[0]
    start = time.perf_counter()
    act.record_progress(target[0], _Bench("DPM"), 55, "bench", target[1], db=tmp)
    write_ms = (time.perf_counter() - start) * 1000
    warehouse.close_all()
    table = "| acuerdos | función | DG, todas (ms) | DPM, su ámbito (ms) |\n|---:|---|---:|---:|\n"
    table += "".join(f"| {n:,} | `{name}` | {a:,.1f} | {b:,.1f} |\n" for n, name, a, b in rows)
    write_section(
        "Tablero de acuerdos",
        f"`python -m bench.agreements_board --scale {args.scale} --rounds {args.rounds}` · {machine()}\n\n"
        f"Almacén de demostración ({sizes[0]:,} acuerdos) y el mismo clonado ×{args.scale} ({sizes[-1]:,}); mediana de "
        f"{args.rounds} llamadas por función, sin caché de Streamlit, al {date.today():%Y-%m-%d}. "
        f"Registrar un avance (lectura, actualización, historial y bandeja en una transacción, "
        f"{sizes[-1]:,} acuerdos): {write_ms:,.1f} ms.\n\n" + table,
    )
    print(table)


if __name__ == "__main__":
    main()
