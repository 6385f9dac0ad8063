"""KPI results per data version (indicators/results.py): build time at 1× and 10× facts, slice reads,
and filter changes per second in one process without a browser (CMI Resumen beside the floor app).

Usage: python -m bench.results_build [--db data/cmi.duckdb] [--hilos 4] [--cambios 8]
Writes the section «Resultados por versión de datos» of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from bench.report import machine, write_section
from warehouse.rows import one_row

ROOT = Path(__file__).resolve().parent.parent
FACTS = ("consultas", "afiliacion", "guarderias", "incapacidades", "recetas", "plazas", "finanzas", "metas")
REGIONS = ("Centro", "Norte", "Occidente", "Sureste")


def grow(db: Path, times: int) -> None:
    """`times`× the facts: the same history repeated further back (new months, same OOAD)."""
    con = duckdb.connect(str(db))
    for table in FACTS:
        first, last = one_row(con, f"SELECT min(periodo), max(periodo) FROM {table}")
        span = (last.year - first.year + 1) * 12
        for k in range(1, times):
            con.execute(
                f"INSERT INTO {table} SELECT * REPLACE ((periodo - to_months({k * span}))::DATE AS periodo)"
                f" FROM {table} WHERE periodo >= ?",
                [first],
            )
    first, last = one_row(con, "SELECT min(anio), max(anio) FROM satisfaccion")
    for k in range(1, times):
        con.execute(
            f"INSERT INTO satisfaccion SELECT * REPLACE (anio - {k * (last - first + 1)} AS anio)"
            " FROM satisfaccion WHERE anio >= ?",
            [first],
        )
    con.close()


def build_times(db: Path, rounds: int) -> tuple[dict[str, float], object]:
    from indicators import results

    builds, cpu = [], []
    for _ in range(rounds):
        start = time.process_time()
        built = results.build(db)
        cpu.append(time.process_time() - start)  # every DuckDB thread of this process: the work itself
        builds.append(built.seconds)
    return {"build": statistics.median(builds), "cpu": statistics.median(cpu)} | read_times(built), built


def read_times(built) -> dict[str, float]:
    """Median ms of the screens' reads: 23 KPIs' values in a region, their OOAD breakdown, 13-month sparklines."""
    from datetime import date

    from indicators.catalog import CATALOG

    ids = [k.id for k in CATALOG if k.id in built.kpis and "region" in k.niveles]
    periodo = built.con.execute("SELECT max(codigo) FROM r WHERE length(codigo) = 7").fetchall()[0][0]
    end = date(int(periodo[:4]), int(periodo[5:]), 1)
    start = date(end.year - 1, end.month, 1)
    reads: list[float] = []
    breakdowns: list[float] = []
    sparks: list[float] = []
    for region in REGIONS * 5:
        scope = f"region:{region}"
        for out, read, arguments in (
            (reads, built.values, (ids, periodo, scope)),
            (breakdowns, built.breakdowns, (ids, periodo, "ooad", scope)),
            (sparks, built.sparklines, (ids, start, end, scope)),
        ):
            started = time.perf_counter()
            assert read(*arguments) is not None
            out.append((time.perf_counter() - started) * 1000)
    return {
        "rows": built.rows,
        "values_ms": statistics.median(reads),
        "breakdowns_ms": statistics.median(breakdowns),
        "sparklines_ms": statistics.median(sparks),
        "slices_mb": (built.by_period.table.nbytes + built.by_scope.table.nbytes) / 2**20,
    }


def longer(built, times: int):
    """The ×1 results repeated `times`× further back in time: the rows a ×`times` build would hold,
    for timing reads without the build (which at ×100 would take most of an hour here)."""
    from indicators import results

    span = built.con.execute("SELECT max(year(inicio)) - min(year(inicio)) + 1 FROM r").fetchall()[0][0]
    con = duckdb.connect(":memory:")
    rows = built.con.sql("SELECT * FROM r").to_arrow_table()  # noqa: F841 (read by DuckDB below)
    con.execute(
        "CREATE TABLE r AS SELECT * REPLACE ("
        f" lpad((left(codigo, 4)::INTEGER - k * {span})::VARCHAR, 4, '0') || substr(codigo, 5) AS codigo,"
        f" (inicio - to_years(k * {span}))::DATE AS inicio) FROM rows, range({times}) t(k)"
        " ORDER BY codigo, ambito, kpi"
    )
    count = con.execute("SELECT count(*) FROM r").fetchall()[0][0]
    return results.Results(built.key, con, built.kpis, count, 0.0, built.last, built.split_states)


def throughput(page: str, threads: int, changes: int, signed_in: bool) -> float:
    """Filter changes per second of `threads` AppTest sessions in this process, each changing region and month."""
    from streamlit.testing.v1 import AppTest

    from ui.session import User

    def session(out: list[int]) -> None:
        at = AppTest.from_file(str(ROOT / page), default_timeout=600)
        if signed_in:
            at.session_state["user"] = User("bench", "Benchmark", frozenset({"direccion_general"}))
        at.run()
        months = at.sidebar.selectbox[1].options if not signed_in else at.sidebar.selectbox(key="mes").options
        barrier.wait()
        for i in range(changes):
            if signed_in:
                at.sidebar.selectbox(key="region").set_value(REGIONS[i % 4])
                at.sidebar.selectbox(key="mes").set_value(months[1 + i % 12])
            else:
                at.sidebar.selectbox[0].set_value(REGIONS[i % 4])
                at.sidebar.selectbox[1].set_value(months[1 + i % 12])
            at.run()
            if at.exception:
                raise RuntimeError(at.exception[0].value)
            out.append(1)

    done: list[int] = []
    barrier = threading.Barrier(threads + 1)
    workers = [threading.Thread(target=session, args=(done,)) for _ in range(threads)]
    for w in workers:
        w.start()
    barrier.wait()
    start = time.perf_counter()
    for w in workers:
        w.join()
    return len(done) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=os.environ.get("CMI_DB", str(ROOT / "data" / "cmi.duckdb")))
    parser.add_argument("--hilos", type=int, default=4)
    parser.add_argument("--cambios", type=int, default=8)
    parser.add_argument("--rondas", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for times in (1, 10):
            db = Path(tmp) / f"x{times}.duckdb"
            shutil.copy(args.db, db)
            if times > 1:
                grow(db, times)
            r, built = build_times(db, args.rondas)
            print(times, r, flush=True)
            rows.append(
                f"| ×{times} | {r['rows']:,} | {r['build']:.2f} | {r['cpu']:.2f} | {r['values_ms']:.1f}"
                f" | {r['breakdowns_ms']:.1f} | {r['sparklines_ms']:.1f} | {r['slices_mb']:,.0f} |"
            )
            if times == 1:
                r = read_times(longer(built, 100))
                print(100, r, flush=True)
                hundred = (
                    f"| ×100 (solo lectura) | {r['rows']:,} | — | — | {r['values_ms']:.1f}"
                    f" | {r['breakdowns_ms']:.1f} | {r['sparklines_ms']:.1f} | {r['slices_mb']:,.0f} |"
                )
            del built
        rows.append(hundred)
        from warehouse import close_all

        close_all()
        speeds = {}
        for page in ("pages/resumen.py", "pages/servicios_medicos.py"):
            db = Path(tmp) / f"rt_{Path(page).stem}.duckdb"
            shutil.copy(args.db, db)
            os.environ["CMI_DB"] = str(db)
            speeds[page] = throughput(page, args.hilos, args.cambios, signed_in=True)
            close_all()  # the next app opens its own copy
        floor_db = Path(tmp) / "piso.duckdb"
        shutil.copy(args.db, floor_db)
        os.environ["CMI_DB"] = str(floor_db)
        floor = throughput("bench/floor_app.py", args.hilos, args.cambios, signed_in=False)
        print(speeds, f"piso {floor:.1f}/s", flush=True)
    body = "\n".join(
        [
            f"Comando: `python -m bench.results_build --hilos {args.hilos} --cambios {args.cambios}` · {machine()}",
            f"· carga media de la máquina al terminar: {os.getloadavg()[0]:.1f} (2 núcleos compartidos)",
            "",
            "Cada versión de datos (carga, reversión) se calcula una vez, en una consulta DuckDB, para todos",
            "los indicadores del tablero × meses y años × ámbitos (nacional, región, entidad, OOAD); las pantallas",
            "leen rebanadas por llave. ×10 = diez veces los hechos (la misma historia repetida hacia atrás, así",
            "que también diez veces los periodos). ×100: las filas de ×1 repetidas cien veces hacia atrás, solo para",
            "medir la lectura (construirla aquí tomaría casi una hora). Lectura: los 23 indicadores regionales en una",
            "región; su desglose por OOAD; sus minigráficas de 13 meses (mediana, ms).",
            "",
            "| hechos | filas de resultados | construcción, reloj (s) | construcción, CPU (s) | lectura de valores (ms)"
            " | desglose OOAD (ms) | minigráficas (ms) | rebanadas Arrow (MB) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"Sin navegador, {args.hilos} sesiones (AppTest en hilos) de un proceso, {args.cambios} cambios de región y",
            "mes cada una: «Resumen ejecutivo» y «Servicios médicos» del CMI frente a la app piso (bench/floor_app.py)",
            "en la misma corrida.",
            "",
            "| app | cambios de filtro por segundo |",
            "|---|---:|",
            f"| CMI, Resumen | {speeds['pages/resumen.py']:.1f} |",
            f"| CMI, Servicios médicos | {speeds['pages/servicios_medicos.py']:.1f} |",
            f"| piso | {floor:.1f} |",
        ]
    )
    write_section("Resultados por versión de datos", body)


if __name__ == "__main__":
    main()
