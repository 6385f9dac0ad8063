"""What a person waits for: filter changes in real Chromium sessions, CMI beside a bare floor app.

Each session signs in (CMI) and changes region, then month, a few times; one change is timed from
the click on the option to the moment Streamlit is idle and the page shows new numbers. The floor
app (bench/floor_app.py: one DuckDB aggregate, 4 metrics, 1 line) runs the same loop in the same
run, so the ratio says what the CMI's own work costs on this machine at that moment.

Usage: python -m bench.browser_sessions [--sesiones 1,5,10,25] [--rondas 3] [--db data/cmi.duckdb]
Writes the section «Sesiones en navegador» of docs/benchmarks.md.
With --procesos 1,2 (and e.g. --sesiones 25): the CMI alone, on a copy of the warehouse in a shared
lake (a throwaway PostgreSQL), served by 1 then 2 processes behind nginx (deploy/proxy.sh); writes
the section «Procesos detrás de una dirección».
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from bench.report import machine, write_section
from tests.fixtures_app import CHROMIUM, streamlit_server

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ("Centro", "Norte", "Occidente", "Sureste")
TIMEOUT_MS = 60_000
ARRIVAL_SECONDS = 1.0
USER = "ejecutivo"
BUSY = "document.querySelector('[data-testid=\"stStatusWidget\"]')"
# the figures on the page: the CMI's cards (ui/card_html.py) and the floor app's st.metric
NUMBERS = (
    "[...document.querySelectorAll('[data-testid=\"stMetricValue\"], .cmi-card-value')]"
    ".map(e => e.innerText).join('|')"
)
CHANGED = f"before => !{BUSY} && ({NUMBERS}) !== before && ({NUMBERS}) !== ''"


class RssSampler(threading.Thread):
    """Samples a process's resident memory (MB) every half second while a run lasts."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()

    def now(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak = max(self.peak, self.now())

    def stop(self) -> None:
        self._stop.set()


async def _choose(page, label: str, option: str) -> None:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text=label)
    await box.first.click()
    await page.get_by_role("option", name=option, exact=True).first.click()


async def _numbers(page) -> str:
    return await page.evaluate(f"() => {NUMBERS}")


class Gate:
    """Every session waits here until all have signed in (or failed to): the changes start together."""

    def __init__(self, sessions: int) -> None:
        self.left, self.open = sessions, asyncio.Event()

    async def arrive(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.open.set()
        await self.open.wait()


async def _session(browser, url: str, index: int, rounds: int, sign_in: bool, out: dict, gate: Gate) -> None:
    context = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="es-MX")
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        try:  # people arrive one a second, not all in the same instant; the changes below run together
            await asyncio.sleep(index * ARRIVAL_SECONDS)
            entering = time.perf_counter()
            await page.goto(url)
            if sign_in:
                await page.get_by_label("Usuario").fill(USER)
                await page.get_by_label("Contraseña").fill(f"demo-{USER}")
                await page.get_by_role("button", name="Entrar").click()
            await page.wait_for_function(f"() => !{BUSY} && ({NUMBERS}) !== ''", timeout=TIMEOUT_MS)
            out["entries"].append(time.perf_counter() - entering)
        except Exception as exc:
            out["entry_errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
            return
        finally:
            await gate.arrive()
        months = None
        for r in range(rounds):
            for label in ("Región", "Mes"):
                if label == "Región":
                    option = REGIONS[(index + r) % 4]
                else:
                    months = months or await _month_options(page)
                    option = months[1 + (index + r) % 6]
                before = await _numbers(page)
                start = time.perf_counter()
                await _choose(page, label, option)
                await page.wait_for_function(CHANGED, arg=before, timeout=TIMEOUT_MS)
                out["times"].append(time.perf_counter() - start)
    except Exception as exc:  # a timeout or a broken page is an error of this session, counted
        out["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await context.close()


async def _month_options(page) -> list[str]:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Mes")
    await box.first.click()
    options = await page.get_by_role("option").all_inner_texts()
    await page.keyboard.press("Escape")
    return options


async def _run(url: str, sessions: int, rounds: int, sign_in: bool) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {"times": [], "errors": [], "entry_errors": [], "entries": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        start = time.perf_counter()
        gate = Gate(sessions)
        await asyncio.gather(
            *(_session(browser, url, i, rounds, sign_in, out, gate) for i in range(sessions))
        )
        out["wall"] = time.perf_counter() - start
        await browser.close()
    return out


def _stats(times: list[float]) -> tuple[float, float]:
    if not times:
        return float("nan"), float("nan")
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def measure(db: Path, levels: list[int], rounds: int) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="cmi_bench_") as tmp, ExitStack() as stack:
        servers = {}
        for name, script in (("CMI", "dashboard.py"), ("piso", "bench/floor_app.py")):
            copy = Path(tmp) / f"{name}.duckdb"
            shutil.copy(db, copy)
            servers[name] = stack.enter_context(
                streamlit_server(copy, Path(tmp) / f"{name}.log", env={"CMI_DB": str(copy)}, script=script)
            )
        for sessions in levels:
            result = {}
            for name, (url, process) in servers.items():
                sampler = RssSampler(process.pid)
                before = sampler.now()
                sampler.start()
                result[name] = asyncio.run(_run(url, sessions, rounds, sign_in=name == "CMI"))
                sampler.stop()
                time.sleep(5)
                result[name] |= {"rss": (before, sampler.peak, sampler.now())}
                med, p95 = _stats(result[name]["times"])
                entry = _stats(result[name]["entries"])
                print(
                    f"{name} x{sessions}: mediana {med:.2f}s p95 {p95:.2f}s errores {len(result[name]['errors'])}"
                    f" (al entrar: {len(result[name]['entry_errors'])}; entrada mediana {entry[0]:.1f}s"
                    f" p95 {entry[1]:.1f}s)"
                )
                for error in (result[name]["entry_errors"] + result[name]["errors"])[:3]:
                    print("   ", error)
            cmi, floor = (_stats(result[n]["times"]) for n in ("CMI", "piso"))
            rss = result["CMI"]["rss"]
            rows.append(
                f"| {sessions} | {cmi[0]:.2f} s ({cmi[1]:.2f}) | {floor[0]:.2f} s ({floor[1]:.2f}) "
                f"| {cmi[0] / floor[0]:.1f}× | {len(result['CMI']['entry_errors'])} + {len(result['CMI']['errors'])}"
                f" / {len(result['piso']['entry_errors'])} + {len(result['piso']['errors'])} "
                f"| {rss[0]:.0f} → {rss[1]:.0f} → {rss[2]:.0f} MB |"
            )
    return rows


def measure_processes(db: Path, counts: list[int], sessions: int, rounds: int) -> list[str]:
    """The same sessions through one nginx address, served by 1, 2, … processes on one lake."""
    from tests.fixtures_app import proxy_server
    from warehouse import local_postgres
    from warehouse.transfer import copy_to_shared

    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="cmi_bench_") as tmp,
        local_postgres.running(Path(tempfile.mkdtemp(prefix="cmi-pg-bench-"))) as server,
    ):
        lake = server.create_database("procesos")
        os.environ["CMI_LAKE_DATA"] = str(Path(tmp) / "lago")
        copy_to_shared(str(db), lake)
        for count in counts:
            with ExitStack() as stack:
                folder = Path(tempfile.mkdtemp(prefix=f"procesos{count}_", dir=tmp))
                servers = [
                    stack.enter_context(streamlit_server(lake, folder / f"cmi{i}.log", script="dashboard.py"))
                    for i in range(count)
                ]
                url = stack.enter_context(proxy_server([u for u, _ in servers], folder))
                for _ in range(
                    2 * count
                ):  # the first page of each process copies the lake and builds results
                    asyncio.run(_run(url, 1, 0, sign_in=True))
                samplers = [RssSampler(process.pid) for _, process in servers]
                for sampler in samplers:
                    sampler.start()
                result = asyncio.run(_run(url, sessions, rounds, sign_in=True))
                for sampler in samplers:
                    sampler.stop()
            med, p95 = _stats(result["times"])
            peak = sum(s.peak for s in samplers)
            print(
                f"{count} procesos x{sessions}: mediana {med:.2f}s p95 {p95:.2f}s errores {len(result['errors'])}"
            )
            for error in result["errors"][:3]:
                print("   ", error)
            rows.append(
                f"| {count} | {sessions} | {med:.2f} s ({p95:.2f}) | {len(result['errors'])} "
                f"| {len(result['times'])} | {peak:.0f} MB |"
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=os.environ.get("CMI_DB", str(ROOT / "data" / "cmi.duckdb")))
    parser.add_argument("--sesiones", default="1,5,10,25")
    parser.add_argument("--rondas", type=int, default=3)
    parser.add_argument("--procesos", default="", help="p. ej. 1,2: procesos detrás de nginx")
    args = parser.parse_args()
    levels = [int(n) for n in args.sesiones.split(",")]
    if args.procesos:
        counts = [int(n) for n in args.procesos.split(",")]
        rows = measure_processes(Path(args.db), counts, levels[-1], args.rondas)
        write_section(
            "Procesos detrás de una dirección",
            "\n".join(
                [
                    f"Comando: `python -m bench.browser_sessions --procesos {args.procesos} --sesiones "
                    f"{levels[-1]} --rondas {args.rondas}` · {machine()} · carga media del equipo al terminar "
                    f"(1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}",
                    "",
                    "Las mismas sesiones de Chromium (entran, cambian región y mes) por una sola dirección",
                    "(nginx, `deploy/proxy.sh`, afinidad por cookie) servidas por 1 o 2 procesos del CMI sobre",
                    "un mismo lago (copia del almacén en un DuckLake con PostgreSQL local); antes de medir, unas",
                    "sesiones de calentamiento dejan a cada proceso con su copia del lago y su tabla de",
                    "resultados (lo que paga la primera página tras arrancar). Memoria: suma de",
                    "los picos de los procesos. Dos procesos solo ayudan si hay núcleos libres: en un equipo",
                    "de 2 núcleos ocupado por otros trabajos la comparación no dice cuánto rinde el segundo.",
                    "",
                    "| procesos | sesiones | cambio de filtro mediana (p95) | errores | cambios medidos | memoria |",
                    "|---:|---:|---:|---:|---:|---:|",
                    *rows,
                ]
            ),
        )
        return
    rows = measure(Path(args.db), levels, args.rondas)
    body = "\n".join(
        [
            f"Comando: `python -m bench.browser_sessions --sesiones {args.sesiones} --rondas {args.rondas}` "
            f"· {machine()} · carga media del equipo al terminar (1, 5, 15 min): "
            + ", ".join(f"{x:.1f}" for x in os.getloadavg()),
            "",
            "Sesiones de Chromium a la vez, cada una cambia región y mes "
            f"{args.rondas} veces; un cambio se mide desde el clic en la opción hasta que Streamlit queda",
            "en reposo con números nuevos en la página. Las sesiones entran una por segundo y, cuando todas",
            "entraron (o fallaron al entrar), cambian los filtros a la vez. Errores: al entrar + en los cambios.",
            "«Piso»: `bench/floor_app.py`, una página mínima",
            "(una consulta DuckDB, 4 métricas, una línea) en la misma corrida. Memoria del servidor CMI:",
            "antes → pico → 5 s después de cerrar las sesiones.",
            "",
            "| sesiones | CMI mediana (p95) | piso mediana (p95) | razón | errores CMI / piso | memoria CMI |",
            "|---:|---:|---:|---:|---:|---:|",
            *rows,
        ]
    )
    write_section("Sesiones en navegador", body)


if __name__ == "__main__":
    main()
