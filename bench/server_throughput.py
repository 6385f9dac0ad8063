"""What one server process sustains: filter changes per second over Streamlit's own websocket.

No browser: each session is a websocket client that speaks Streamlit's protocol as the browser does
(a signed-in CMI session cookie, the page's widget states), changes region and month, and waits for
the server to finish the rerun. What is measured is the server's work: running the page, serialising
its elements and sending them. The floor app (bench/floor_app.py) runs the same loop in the same run.

Usage: python -m bench.server_throughput [--sesiones 1,4,25] [--cambios 12] [--db data/cmi.duckdb]
Writes the section «Un proceso, sin navegador» of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.typing import Subprotocol

from bench.browser_sessions import RssSampler
from bench.report import machine, write_section
from tests.fixtures_app import streamlit_server

ROOT = Path(__file__).resolve().parent.parent
USER = "ejecutivo"
TIMEOUT = 120.0


@dataclass
class Widgets:
    """The ids and options of the region and month selectboxes, as the server sent them."""

    ids: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def session_cookie(db: Path) -> str:
    """A signed-in session of the demo executive, as the browser's cookie would carry it."""
    os.environ["CMI_DB"] = str(db)
    from access import sessions
    from warehouse import close_all

    _, token = sessions.create(USER, "contraseña")
    cookie = sessions.redeem(token, sessions.secret())
    close_all()  # the server opens the file next
    if cookie is None:
        raise RuntimeError("no se pudo abrir la sesión de prueba")
    return f"{sessions.COOKIE}={cookie}"


async def _rerun(ws, page: str, widgets: dict[str, str], found: Widgets | None) -> None:
    """Ask for a rerun with these selectbox values and wait until the script has finished."""
    msg = BackMsg()
    msg.rerun_script.page_name = page
    for widget_id, value in widgets.items():
        state = msg.rerun_script.widget_states.widgets.add()
        state.id, state.string_value = widget_id, value
    await ws.send(msg.SerializeToString())
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(ws.recv(), TIMEOUT))
        kind = forward.WhichOneof("type")
        if kind == "delta" and found is not None:
            element = forward.delta.new_element
            if element.WhichOneof("type") == "selectbox" and element.selectbox.label in ("Región", "Mes"):
                found.ids[element.selectbox.label] = element.selectbox.id
                found.options[element.selectbox.label] = list(element.selectbox.options)
        elif kind == "script_finished" and forward.script_finished in (
            ForwardMsg.FINISHED_SUCCESSFULLY,
            ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
        ):
            if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise RuntimeError("la página no compila")
            return


class Gate:
    """Opens when every session has drawn its first page (or failed to): the changes start together."""

    def __init__(self, sessions: int) -> None:
        self.left, self.open = sessions, asyncio.Event()

    def arrived(self) -> None:
        self.left -= 1
        if self.left == 0:
            self.open.set()


async def _session(url: str, page: str, cookie: str, changes: int, gate: Gate, out: list) -> None:
    host = url.removeprefix("http://")
    headers = {"Origin": url, **({"Cookie": cookie} if cookie else {})}
    arrived = False
    try:
        async with websockets.connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=[Subprotocol("streamlit")],
            additional_headers=headers,
            max_size=None,
            open_timeout=TIMEOUT,
        ) as ws:
            found = Widgets()
            await _rerun(ws, page, {}, found)
            if set(found.ids) != {"Región", "Mes"}:
                raise RuntimeError(f"la página {page or 'piso'} no mostró los filtros (¿sesión no iniciada?)")
            regions = [o for o in found.options["Región"] if not o.startswith("Todas")]
            months = found.options["Mes"]
            gate.arrived()
            arrived = True
            await gate.open.wait()
            for i in range(changes):
                state = {found.ids["Región"]: regions[i % len(regions)], found.ids["Mes"]: months[1 + i % 12]}
                began = time.perf_counter()
                await _rerun(ws, page, state, None)
                out.append(time.perf_counter() - began)
    finally:
        if not arrived:
            gate.arrived()  # a failed session counts as an error; the others start anyway


async def _run(
    url: str, page: str, cookie: str, sessions: int, changes: int
) -> tuple[float, list[float], int]:
    """`sessions` clients open the page, then change filters at once: (seconds, latencies, errors)."""
    gate = Gate(sessions)
    latencies: list[float] = []
    tasks = [
        asyncio.create_task(_session(url, page, cookie, changes, gate, latencies)) for _ in range(sessions)
    ]
    await gate.open.wait()
    began = time.perf_counter()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    for error in errors[:3]:
        print("  error:", repr(error)[:300], flush=True)
    return time.perf_counter() - began, latencies, len(errors)


@dataclass
class Row:
    app: str
    sessions: int
    per_second: float
    median_ms: float
    p95_ms: float
    cpu_ms: float
    errors: int
    rss: str


def measure(url: str, pid: int, app: str, page: str, cookie: str, sessions: int, changes: int) -> Row:
    sampler = RssSampler(pid)
    before = sampler.now()
    sampler.start()
    cpu = _cpu_seconds(pid)
    elapsed, latencies, errors = asyncio.run(_run(url, page, cookie, sessions, changes))
    cpu = _cpu_seconds(pid) - cpu
    time.sleep(3)
    sampler.stop()
    done = len(latencies)
    ordered = sorted(latencies) or [float("nan")]
    return Row(
        app,
        sessions,
        done / elapsed if elapsed else 0.0,
        statistics.median(ordered) * 1000,
        ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000,
        cpu / done * 1000 if done else float("nan"),
        errors,
        f"{before:.0f} → {max(sampler.peak, before):.0f} → {sampler.now():.0f} MB",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=os.environ.get("CMI_DB", str(ROOT / "data" / "cmi.duckdb")))
    parser.add_argument("--sesiones", default="1,4,25")
    parser.add_argument("--cambios", type=int, default=12)
    parser.add_argument("--paginas", default="resumen,servicios_medicos")
    args = parser.parse_args()
    counts = [int(n) for n in args.sesiones.split(",")]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for page in args.paginas.split(","):
            db = Path(tmp) / f"{page}.duckdb"
            shutil.copy(args.db, db)
            cookie = session_cookie(db)
            with streamlit_server(db, Path(tmp) / f"{page}.log") as (url, process):
                asyncio.run(_run(url, page, cookie, 1, 2))  # warm: the first page builds the results table
                for n in counts:
                    rows.append(measure(url, process.pid, f"CMI, {page}", page, cookie, n, args.cambios))
                    print(rows[-1], flush=True)
        floor_db = Path(tmp) / "piso.duckdb"
        shutil.copy(args.db, floor_db)
        with streamlit_server(floor_db, Path(tmp) / "piso.log", script="bench/floor_app.py") as (
            url,
            process,
        ):
            asyncio.run(_run(url, "", "", 1, 2))
            for n in counts:
                rows.append(measure(url, process.pid, "piso", "", "", n, args.cambios))
                print(rows[-1], flush=True)
    table = [
        "| app | sesiones | cambios/s | mediana (ms) | p95 (ms) | CPU del servidor por cambio (ms) | errores | memoria |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        *(
            f"| {r.app} | {r.sessions} | {r.per_second:.1f} | {r.median_ms:,.0f} | {r.p95_ms:,.0f}"
            f" | {r.cpu_ms:.0f} | {r.errors} | {r.rss} |"
            for r in rows
        ),
    ]
    body = "\n".join(
        [
            f"Comando: `python -m bench.server_throughput --sesiones {args.sesiones} --cambios {args.cambios}`"
            f" · {machine()} · carga media al terminar: {os.getloadavg()[0]:.1f}",
            "",
            "Un servidor `streamlit run app.py` (un proceso) y clientes websocket que hablan el protocolo de",
            "Streamlit como el navegador (cookie de una sesión iniciada, estados de los widgets): cada sesión",
            f"abre la página y luego cambia región y mes {args.cambios} veces, todas a la vez; un cambio cuenta",
            "desde que se envía hasta que el servidor termina de correr la página y de enviarla. Sin navegador:",
            "mide el trabajo del servidor. «Piso»: bench/floor_app.py en la misma corrida. CPU: tiempo de CPU",
            "del proceso servidor (usuario + sistema) entre los cambios medidos. Memoria: antes → pico → 3 s después.",
            "",
            *table,
        ]
    )
    write_section("Un proceso, sin navegador", body)


if __name__ == "__main__":
    main()
