"""Peak memory of exporting a 4,000,000-row IMSS detail table (asegurados_detalle) to Parquet and CSV.

Each export runs in its own subprocess, which reports its own peak RSS (VmHWM; getrusage fallback);
the goal is under 1 GB. The table is generated inside DuckDB in a temporary warehouse file.

Usage: python -m bench.export_memory [--rows 4000000] [--keep DIR]
Writes the section «Exportación de detalle» of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import machine, write_section

ROOT = Path(__file__).resolve().parent.parent
GOAL_MB = 1024
CASES = (("copy", "parquet"), ("copy", "csv"), ("stream", "parquet"), ("stream", "csv"))

_FILL = """
INSERT INTO asegurados_detalle
SELECT DATE '2024-02-01',
    ((i % 40) + 1)::VARCHAR, ((i // 40) % 4 + 1)::VARCHAR, ((i % 32) + 1)::VARCHAR,
    ((i // 160) % 570 + 1)::VARCHAR, ((i // 7) % 9 + 1)::VARCHAR, ((i // 7) % 90 + 10)::VARCHAR,
    ((i // 7) % 9000 + 1000)::VARCHAR, 'S' || ((i // 3) % 7 + 1), ((i % 2) + 1)::VARCHAR,
    'E' || ((i // 11) % 14 + 1), 'W' || ((i // 13) % 25 + 1), 'U' || ((i // 17) % 12 + 1),
    hash(i) % 50, hash(i) % 3, hash(i) % 40, hash(i) % 7, hash(i) % 5, hash(i) % 30, hash(i) % 9,
    hash(i) % 40, hash(i) % 7, hash(i) % 5, hash(i) % 30, hash(i) % 9,
    (hash(i) % 100000) / 3.0, (hash(i) % 9000) / 7.0, (hash(i) % 8000) / 3.0,
    (hash(i) % 70000) / 9.0, (hash(i) % 6000) / 11.0, 1
FROM range(?) t(i)
"""


def build(db: Path, rows: int) -> None:
    """A warehouse file holding `rows` detail rows of one month (generated in SQL, no Python rows)."""
    import warehouse
    from warehouse.connection import connect

    con = connect(db)
    con.execute(_FILL, [rows])
    warehouse.close_all()


def child(method: str, fmt: str, db: Path, out: Path) -> dict:
    """Run one export in this process and report rows, seconds, size and peak RSS."""
    from exports.selection import ExportFilters, get_dataset, select_sql
    from exports.table import copy_to_file, stream_to_file

    start = time.perf_counter()
    sql, params = select_sql("asegurados_detalle", ExportFilters(periodo="2024-02"), "nacional", db=db)
    if method == "copy":
        rows = copy_to_file(sql, params, out, fmt, db, keep_order=get_dataset("asegurados_detalle").ordered)
    else:
        rows = stream_to_file(sql, params, out, fmt, db)
    seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": seconds, "mb": out.stat().st_size / 1e6, "peak_mb": peak_mb()}


def peak_mb() -> float:
    """This process's peak RSS: VmHWM (reset at exec, so the parent's memory is not counted);
    resource.getrusage where /proc is missing (its ru_maxrss can carry the parent's pre-exec RSS)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline() -> float:
    """Peak RSS of a subprocess that only imports the export modules (the floor of every case)."""
    code = "import exports.table, exports.selection, bench.export_memory as b; print(b.peak_mb())"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def run_case(method: str, fmt: str, db: Path, work: Path) -> dict:
    out = work / f"detalle_{method}.{fmt}"
    cmd = [sys.executable, "-m", "bench.export_memory", "--child", method, fmt, str(db), str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--child", nargs=4, metavar=("METHOD", "FORMAT", "DB", "OUT"))
    parser.add_argument("--build", metavar="DB")
    args = parser.parse_args(argv)
    if args.build:
        build(Path(args.build), args.rows)
        return
    if args.child:
        method, fmt, db, out = args.child
        print(json.dumps(child(method, fmt, Path(db), Path(out))))
        return
    with tempfile.TemporaryDirectory(prefix="cmi_bench_export_") as tmp:
        work = Path(tmp)
        db = work / "detalle.duckdb"
        start = time.perf_counter()
        cmd = [sys.executable, "-m", "bench.export_memory", "--build", str(db), "--rows", str(args.rows)]
        subprocess.run(cmd, cwd=ROOT, check=True)  # in a subprocess: this process stays small
        built = time.perf_counter() - start
        floor = baseline()
        results = [(m, f, run_case(m, f, db, work)) for m, f in CASES]
    lines = [
        f"`python -m bench.export_memory --rows {args.rows}` · {machine()}",
        "",
        f"Tabla `asegurados_detalle` sintética de {args.rows:,} filas × 30 columnas (un mes), "
        f"generada en DuckDB en {built:.1f} s. Cada exportación corre en un subproceso que informa su "
        f"pico de memoria residente (VmHWM de /proc, el RSS máximo del proceso tras su exec; "
        f"`resource.getrusage` sumaría el RSS del padre al hacer fork); meta: menos de {GOAL_MB:,} MB. "
        f"Solo importar los módulos de exportación cuesta {floor:.0f} MB.",
        "",
        "| método | formato | filas | tiempo (s) | archivo (MB) | pico RSS (MB) | meta |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    names = {
        "copy": "`COPY … TO` (copy_to_file, PRESERVE_ORDER false)",
        "stream": "lotes Arrow de 100,000 filas (stream_to_file)",
    }
    for method, fmt, r in results:
        ok = "cumple" if r["peak_mb"] < GOAL_MB else "NO cumple"
        lines.append(
            f"| {names[method]} | {fmt} | {r['rows']:,} | {r['seconds']:.1f} | {r['mb']:,.1f} | "
            f"{r['peak_mb']:,.0f} | {ok} |"
        )
    body = "\n".join(lines)
    write_section("Exportación de detalle", body)
    print(body)


if __name__ == "__main__":
    main()
