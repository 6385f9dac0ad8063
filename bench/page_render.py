"""Server-side re-render time of the KPI screens after a filter change (AppTest on the demo warehouse).

Usage: python -m bench.page_render [--db data/cmi.duckdb] [--rounds 12]
Writes the section «Render de páginas» of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from bench.report import machine, write_section

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("pages/resumen.py", "pages/servicios_medicos.py", "pages/prestaciones_economicas_sociales.py")
REGIONS = ("Centro", "Norte", "Occidente", "Sureste")
COMPARISONS = ("Año anterior", "Periodo anterior", "Meta")


def _timed(at) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed * 1000


def measure(page: str, rounds: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from ui.session import User

    at = AppTest.from_file(str(ROOT / page), default_timeout=300)
    at.session_state["user"] = User("bench", "Benchmark", frozenset({"direccion_general"}))
    first = _timed(at)
    cold, warm = [], []
    months = at.sidebar.selectbox(key="mes").options
    for i in range(rounds):
        region = REGIONS[i % len(REGIONS)]
        at.sidebar.selectbox(key="region").set_value(region)
        at.sidebar.selectbox(key="mes").set_value(months[1 + i % 6])
        cold.append(_timed(at))  # (region, month) pairs do not repeat within 12 rounds
        at.sidebar.selectbox(key="comparacion").set_value(COMPARISONS[i % 3])
        warm.append(_timed(at))
    return {
        "primera": first,
        "cambio_mediana": statistics.median(cold),
        "cambio_p90": sorted(cold)[int(0.9 * (len(cold) - 1))],
        "cache_mediana": statistics.median(warm),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=os.environ.get("CMI_DB", str(ROOT / "data" / "cmi.duckdb")))
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    os.environ["CMI_DB"] = args.db
    rows = []
    for page in PAGES:
        r = measure(page, args.rounds)
        rows.append(
            f"| `{page}` | {r['primera']:,.0f} | {r['cambio_mediana']:,.0f} | {r['cambio_p90']:,.0f} "
            f"| {r['cache_mediana']:,.0f} |"
        )
        print(page, {k: round(v) for k, v in r.items()})
    body = "\n".join(
        [
            f"Comando: `python -m bench.page_render --rounds {args.rounds}` · {machine()}",
            "",
            "Tiempo del servidor para volver a dibujar la página (AppTest, en ms). «Cambio de filtro»: región y mes",
            "nuevos (consultas nuevas al motor); «caché»: solo cambia la comparación (resultados ya en caché).",
            "Meta: mediana del cambio de filtro < 300 ms.",
            "",
            "| página | primera carga | cambio de filtro, mediana | cambio de filtro, p90 | caché, mediana |",
            "|---|---:|---:|---:|---:|",
            *rows,
        ]
    )
    write_section("Render de páginas", body)


if __name__ == "__main__":
    main()
