"""Ingest benchmark: the real-format asg file (4.6 M rows) — bare DuckDB vs our full load vs pandas.

`python -m bench.ingest [--rows N]` generates the file in a temporary directory (never committed),
runs each path in its own process (wall time of the work itself, peak RSS of the process) and
writes the section "## Carga del archivo asg" of docs/benchmarks.md, keeping the other sections.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Carga del archivo asg"
TARGET_RATIO = 1.5
TARGET_RSS_MB = 1536

BARE = """
import duckdb, json, sys, time
con = duckdb.connect(sys.argv[2])
con.execute("SET enable_progress_bar = false")
t = time.perf_counter()
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, delim='|', header=true, encoding='latin-1')", [sys.argv[1]])
con.execute("CHECKPOINT")
print(json.dumps({"seconds": time.perf_counter() - t}))
"""

FULL = """
import json, sys, time
import warehouse
from loaders import load_file
warehouse.connect(sys.argv[2]).execute("SET enable_progress_bar = false")
t = time.perf_counter()
result = load_file(sys.argv[1], db=sys.argv[2])
warehouse.connect(sys.argv[2]).execute("CHECKPOINT")
seconds = time.perf_counter() - t
assert result.loaded, result.message
ta = warehouse.query_rows("SELECT sum(puestos_trabajo) FROM afiliacion", path=sys.argv[2])[0][0]
print(json.dumps({"seconds": seconds, "rows": result.rows, "ta": int(ta)}))
"""

PANDAS = """
import duckdb, json, sys, time
import pandas as pd
dims = ["cve_delegacion", "cve_subdelegacion", "cve_entidad", "cve_municipio", "sector_economico_1",
        "sector_economico_2", "sector_economico_4", "tamano_patron", "sexo", "rango_edad", "rango_salarial",
        "rango_uma"]
t = time.perf_counter()
frame = pd.read_csv(sys.argv[1], sep="|", encoding="latin-1", dtype={d: str for d in dims}, keep_default_na=False,
                    na_values=[""])
frame.columns = [c if not c.startswith("tama") else "tamano_patron" for c in frame.columns]
frame = frame.astype({d: str for d in dims})
agg = frame.groupby("cve_delegacion", as_index=False)[["ta", "ta_sal", "masa_sal_ta", "asegurados"]].sum()
con = duckdb.connect(sys.argv[2])
con.execute("SET enable_progress_bar = false")
con.register("frame", frame)
con.register("agg", agg)
con.execute("CREATE TABLE detalle AS SELECT * FROM frame")
con.execute("CREATE TABLE afiliacion AS SELECT * FROM agg")
con.execute("CHECKPOINT")
print(json.dumps({"seconds": time.perf_counter() - t}))
"""


def run_child(code: str, *args: str) -> dict:
    """Run a snippet in a fresh process; return its JSON line plus its peak RSS in MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    assert proc.stdout is not None and proc.stderr is not None  # both are PIPE above
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"falló el proceso de medición:\n{err[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["rss_mb"] = usage.ru_maxrss / 1024
    return result


def write_section(text: str) -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    lines = current.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.strip() == SECTION), None)
    if start is None:
        body = current.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        body = "\n".join(
            [
                *lines[:start],
                *text.rstrip("\n").splitlines(),
                *([""] if end < len(lines) else []),
                *lines[end:],
            ]
        )
        body = body.rstrip("\n") + "\n"
    DOC.write_text(body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=4_600_000)
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each DuckDB path (the best is kept)")
    args = parser.parse_args(argv)
    from bench.asg_synth import write_asg

    load_at_start = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="cmi_bench_") as tmp:
        path = Path(tmp) / "asg-2025-01-31.csv"
        t = time.perf_counter()
        totals = write_asg(path, args.rows, encoding="latin-1")
        gen = time.perf_counter() - t
        size_mb = path.stat().st_size / 1e6
        print(f"archivo: {args.rows:,} filas, {size_mb:,.0f} MB (generado en {gen:.1f} s)", flush=True)
        bares, fulls = [], []
        for i in range(args.repeat):  # interleaved, best of each: the machine may be shared
            bares.append(run_child(BARE, str(path), str(Path(tmp) / f"bare{i}.duckdb")))
            print(f"DuckDB solo: {bares[-1]['seconds']:.2f} s, {bares[-1]['rss_mb']:.0f} MB", flush=True)
            fulls.append(run_child(FULL, str(path), str(Path(tmp) / f"full{i}.duckdb")))
            print(f"carga completa: {fulls[-1]['seconds']:.2f} s, {fulls[-1]['rss_mb']:.0f} MB", flush=True)
        bare = min(bares, key=lambda r: r["seconds"]) | {"rss_mb": max(r["rss_mb"] for r in bares)}
        full = min(fulls, key=lambda r: r["seconds"]) | {"rss_mb": max(r["rss_mb"] for r in fulls)}
        assert full["ta"] == totals["ta"], "Σ ta no coincide"
        pandas = None
        if not args.no_pandas:
            pandas = run_child(PANDAS, str(path), str(Path(tmp) / "pandas.duckdb"))
            print(f"pandas: {pandas['seconds']:.2f} s, {pandas['rss_mb']:.0f} MB", flush=True)
    ratio = full["seconds"] / bare["seconds"]
    ok = ratio <= TARGET_RATIO and full["rss_mb"] < TARGET_RSS_MB
    rows = [
        "| camino | tiempo (s) | × DuckDB solo | memoria pico (MB) |",
        "|---|---:|---:|---:|",
        f"| DuckDB solo: `CREATE TABLE t AS SELECT * FROM read_csv(...)` + `CHECKPOINT` | {bare['seconds']:.2f} | 1.00"
        f" | {bare['rss_mb']:,.0f} |",
        f"| Carga completa (`loaders.load_file`: hash, lectura, validación, detalle, afiliacion, cubo, registro)"
        f" | {full['seconds']:.2f} | {ratio:.2f} | {full['rss_mb']:,.0f} |",
    ]
    if pandas:
        rows.append(
            f"| pandas (`read_csv` + groupby + tabla DuckDB) | {pandas['seconds']:.2f}"
            f" | {pandas['seconds'] / bare['seconds']:.2f} | {pandas['rss_mb']:,.0f} |"
        )
    text = "\n".join(
        [
            SECTION,
            "",
            f"Medido el {datetime.now():%Y-%m-%d %H:%M} con `python -m bench.ingest` en {platform.node() or 'esta máquina'}"
            f" ({os.cpu_count()} núcleos, Python {platform.python_version()}). Archivo generado con el formato real"
            f" (`bench/asg_synth.py`): {args.rows:,} filas, {size_mb:,.0f} MB, Latin-1, delimitador `|`,"
            f" Σ ta = {totals['ta']:,}. Cada camino corre en su propio proceso; el tiempo es el del trabajo"
            f" (sin arranque de Python), el mejor de {args.repeat} corridas alternadas, y la memoria es el RSS pico"
            " del proceso (el mayor de las corridas). Carga media de la máquina al empezar:"
            f" {load_at_start:.1f} (la comparten otros procesos).",
            "",
            *rows,
            "",
            f"Meta: carga completa ≤ {TARGET_RATIO} × DuckDB solo y memoria pico < {TARGET_RSS_MB:,} MB:"
            f" **{'cumplida' if ok else 'no cumplida'}** ({ratio:.2f} ×, {full['rss_mb']:,.0f} MB)."
            " Después de la carga, Σ puestos_trabajo de `afiliacion` = Σ ta del archivo.",
        ]
    )
    write_section(text)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
