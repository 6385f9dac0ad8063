"""Embedded vs shared warehouse, side by side in one run: scorecard batch, asg load, 4 readers.

Usage: python -m bench.shared_mode [--rows 4600000] [--rounds 9] [--readers 4]
Starts a throwaway PostgreSQL (Debian's package) in a temp folder, builds the demo warehouse as a
DuckDB file and copies it into a DuckLake, then measures each path in its own process. Writes the
section «Modo compartido (DuckLake) frente a embebido» of docs/benchmarks.md.
Goals: shared ≤ 1.5× embedded for the scorecard, ≤ 2× for the load; 4 concurrent readers, no error.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import machine, write_section

ROOT = Path(__file__).resolve().parent.parent
SCORECARD_GOAL, LOAD_GOAL = 1.5, 2.0

SCORECARD = """
import json, statistics, sys, time
import warehouse
from indicators import engine, results
from indicators.catalog import CATALOG
places, rounds = sys.argv[1].split("|"), int(sys.argv[2])
ids = [k.id for k in CATALOG]
periods = ["2019", "2023", "2024", "2025", "2024-06", "2025-03"]
for db in places:
    engine.values(ids, "2019", "nacional", db=db)  # connection opened, catalog read
times = {db: {"directo": [], "frio": [], "tibio": []} for db in places}
for i in range(rounds):
    for db in places:  # several warehouses: round by round, so each sees the same machine load
        t = time.perf_counter()
        key = engine.cache_key(db)  # what a page does first: the data version
        out = engine.values(ids, periods[i % len(periods)], "nacional", db=db)
        times[db]["directo"].append(time.perf_counter() - t)
        assert sum(v is not None for v in out.values()) >= 20, out
# the app's path (ui/data.py): version check, then the results table of that version (indicators/results.py)
covered = [k.id for k in results.covered_kpis(places[0])]
for i in range(max(2, rounds // 3)):
    for db in places:  # cold: the first page after a load (version check + build)
        results._BUILT.clear()
        t = time.perf_counter()
        version = int(engine.cache_key(db).rsplit("#", 2)[1])
        table = results.current(db, version=version)
        times[db]["frio"].append(time.perf_counter() - t)
for db in places:
    results.current(db)
for i in range(rounds):
    for db in places:  # warm: a filter change (version check + a slice of the table)
        t = time.perf_counter()
        version = int(engine.cache_key(db).rsplit("#", 2)[1])
        out = results.current(db, version=version).values(covered, periods[i % len(periods)], "nacional")
        times[db]["tibio"].append(time.perf_counter() - t)
        assert sum(v is not None for v in out.values()) >= 15, out
medians = {db: {k: statistics.median(v) * 1000 for k, v in t.items()} for db, t in times.items()}
print(json.dumps({"median_ms": [medians[db] for db in places], "kpis": len(ids), "covered": len(covered)}))
"""

LOAD = """
import json, sys, time
import warehouse
from loaders import load_file
db = sys.argv[2]
warehouse.connect(db).execute("SET enable_progress_bar = false")
t = time.perf_counter()
result = load_file(sys.argv[1], db=db)
seconds = time.perf_counter() - t
assert result.loaded, result.message
ta = warehouse.query_rows("SELECT sum(puestos_trabajo) FROM afiliacion", path=db)[0][0]
print(json.dumps({"seconds": seconds, "rows": result.rows, "ta": int(ta)}))
"""


def _env(where: str) -> dict[str, str]:
    if where.startswith("ducklake:"):
        return {**os.environ, "CMI_WAREHOUSE": where, "CMI_DB": ""}
    return {**os.environ, "CMI_DB": where, "CMI_WAREHOUSE": ""}


def _child(code: str, *args: str, where: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**_env(where), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(err.strip().splitlines()[-1] if err.strip() else f"código {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1])


def small_writes(where: str, n: int = 40) -> dict[str, float]:
    """ms per autocommit INSERT / UPDATE / point read: a DuckLake table vs a PostgreSQL table."""
    import statistics

    import warehouse
    from warehouse import lake
    from warehouse.migrate import inline_small_writes

    out: dict[str, float] = {}
    with warehouse.cursor(where) as cur:
        alias = lake.alias_of(cur)
        lake.postgres_execute(cur, "CREATE TABLE IF NOT EXISTS bench_pequenas (id INTEGER, v VARCHAR)")
        cur.execute("CREATE TABLE IF NOT EXISTS bench_pequenas (id INTEGER, v VARCHAR)")
        inline_small_writes(cur, alias, ["bench_pequenas"])  # like the operational tables
        for label, table in (
            ("lago", "bench_pequenas"),
            ("postgres", f"{alias}{lake.PG_SUFFIX}.public.bench_pequenas"),
        ):
            for verb, sql in (
                ("insert", f"INSERT INTO {table} VALUES (?, 'a')"),
                ("update", f"UPDATE {table} SET v = 'b' WHERE id = ?"),
                ("read", f"SELECT v FROM {table} WHERE id = ?"),
            ):
                times = []
                for i in range(n):
                    t = time.perf_counter()
                    cur.execute(sql, [i]).fetchall()
                    times.append(time.perf_counter() - t)
                out[f"{label}_{verb}"] = statistics.median(times) * 1000
        cur.execute("DROP TABLE bench_pequenas")
        lake.postgres_execute(cur, "DROP TABLE bench_pequenas")
    warehouse.close_all()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4_600_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--readers", type=int, default=4)
    args = parser.parse_args()

    import warehouse
    from bench.asg_synth import write_asg
    from data.demo.build import build
    from warehouse import local_postgres
    from warehouse.transfer import copy_to_shared

    with (
        tempfile.TemporaryDirectory(prefix="cmi-bench-") as tmp,
        local_postgres.running(Path(tempfile.mkdtemp(prefix="cmi-pg-bench-"))) as server,
    ):
        folder = Path(tmp)
        embedded = str(folder / "demo.duckdb")
        build(embedded, force=True)
        shared = server.create_database("bench_demo")
        os.environ["CMI_LAKE_DATA"] = str(folder / "lago_demo")
        copy_to_shared(embedded, shared)
        warehouse.close_all()
        small = small_writes(shared)

        # one process asks both warehouses, alternating rounds: on a busy machine both see the same load
        both = _result(_child(SCORECARD, f"{embedded}|{shared}", str(args.rounds), where=shared))
        score = {"embebido": both["median_ms"][0], "compartido": both["median_ms"][1]}
        started = time.perf_counter()
        readers = [_child(SCORECARD, shared, str(args.rounds), where=shared) for _ in range(args.readers)]
        concurrent = [_result(p) for p in readers]
        concurrent_wall = time.perf_counter() - started

        csv = folder / "asg-2025-01-31.csv"
        totals = write_asg(csv, args.rows)
        load_embedded = str(folder / "carga.duckdb")
        load_shared = server.create_database("bench_carga")
        os.environ["CMI_LAKE_DATA"] = str(folder / "lago_carga")
        for where in (load_embedded, load_shared):
            warehouse.connect(where)  # created and migrated before timing
        warehouse.close_all()
        load = {
            name: _result(_child(LOAD, str(csv), where, where=where))
            for name, where in (("embebido", load_embedded), ("compartido", load_shared))
        }
        for name, r in load.items():
            assert r["ta"] == totals["ta"], (name, r, totals)
        lake_mb = sum(p.stat().st_size for p in (folder / "lago_carga").rglob("*") if p.is_file()) / 1e6
        file_mb = Path(load_embedded).stat().st_size / 1e6

    ratios = {path: score["compartido"][path] / score["embebido"][path] for path in score["embebido"]}
    l_ratio = load["compartido"]["seconds"] / load["embebido"]["seconds"]

    def verdict(ok: bool) -> str:
        return "cumple" if ok else "no cumple"

    def ms(path: str) -> str:
        return f"| {score['embebido'][path]:,.1f} | {score['compartido'][path]:,.1f} | {ratios[path]:.2f}× "

    s_ratio = ratios["directo"]
    rows = [
        "| medición | embebido | compartido | razón | meta |",
        "|---|---:|---:|---:|---|",
        f"| **tablero, lote del motor**: clave de caché + {both['kpis']} indicadores, mediana de {args.rounds} (ms) "
        f"{ms('directo')}| ≤ {SCORECARD_GOAL}× · {verdict(s_ratio <= SCORECARD_GOAL)} |",
        f"| tablero en la app, en frío: clave de caché + tabla de resultados de la versión (ms) {ms('frio')}| — |",
        f"| tablero en la app, cambio de filtro: clave de caché + {both['covered']} indicadores de la tabla (ms) "
        f"{ms('tibio')}| — |",
        f"| carga `asg` de {load['embebido']['rows']:,} filas (s) | {load['embebido']['seconds']:,.1f} "
        f"| {load['compartido']['seconds']:,.1f} | {l_ratio:.2f}× | ≤ {LOAD_GOAL}× · {verdict(l_ratio <= LOAD_GOAL)} |",
        f"| espacio tras la carga (MB) | {file_mb:,.0f} | {lake_mb:,.0f} (Parquet) | {lake_mb / file_mb:.2f}× | — |",
    ]
    medians = ", ".join(f"{r['median_ms'][0]['directo']:,.0f}" for r in concurrent)
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body = "\n".join(
        [
            f"Comando: `python -m bench.shared_mode --rows {args.rows} --rounds {args.rounds} --readers "
            f"{args.readers}` · {machine()} · carga media del equipo al terminar (1, 5, 15 min): {load_average}",
            "",
            "El mismo almacén de demostración como archivo DuckDB (embebido) y como DuckLake con catálogo en un",
            "PostgreSQL local y Parquet en disco local (compartido). El tablero: un proceso pregunta a los dos",
            "almacenes por turnos (misma carga del equipo para ambos); la carga, cada modo en su propio proceso.",
            "La meta del issue 18 se mide en el **lote del motor** (la fila en negritas: `engine.cache_key` +",
            "`engine.values` de todos los indicadores, el camino directo, que en compartido lee la copia del",
            "lago en memoria del proceso, `warehouse/mirror.py`). Lo que la app hace de verdad va debajo: en",
            "frío (primera página tras una carga: versión + construir la tabla de resultados del issue 17) y",
            "en un cambio de filtro (versión + leer la tabla en memoria).",
            "",
            *rows,
            "",
            "Escrituras pequeñas (mediana en ms de 40 sentencias con autocommit, desde el mismo proceso): "
            f"tabla DuckLake insert {small['lago_insert']:.1f}, update {small['lago_update']:.1f}, "
            f"lectura {small['lago_read']:.1f}; tabla PostgreSQL vía la extensión postgres insert "
            f"{small['postgres_insert']:.1f}, update {small['postgres_update']:.1f}, lectura {small['postgres_read']:.1f}.",
            "",
            f"{args.readers} procesos leyendo el lago a la vez (el mismo lote del tablero, {args.rounds} veces cada "
            f"uno): sin errores, {concurrent_wall:,.1f} s en total; medianas por proceso (ms): {medians}.",
        ]
    )
    write_section("Modo compartido (DuckLake) frente a embebido", body)
    print(body)


if __name__ == "__main__":
    main()
