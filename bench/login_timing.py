"""Sign-in time for a known and an unknown user name (user enumeration by timing).

Usage: python -m bench.login_timing [--rounds 15]
A fresh warehouse in a temporary folder, one account hashed at the production cost
(access.users.BCRYPT_ROUNDS); `access.login.authenticate` timed for a wrong password
of the known name, an unknown name and the right password, interleaved, each attempt from its
own source so throttling never steps in. Writes «Inicio de sesión» of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import warehouse
from access import login, users
from bench.report import machine, write_section

PASSWORD = "Clave-De-Medicion-2026"


LABELS = ("conocido, contraseña errónea", "inexistente", "conocido, correcta")


def measure(rounds: int) -> dict[str, list[tuple[float, float]]]:
    """(wall ms, CPU ms) of every attempt, by kind of attempt."""
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in LABELS}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "cmi.duckdb"
        users.add_user("ana.medicion", "Ana", PASSWORD, ["analista"], path=db)
        attempts = dict(
            zip(
                LABELS,
                [
                    ("ana.medicion", "no-es-la-clave"),
                    ("nadie.medicion", "no-es-la-clave"),
                    ("ana.medicion", PASSWORD),
                ],
                strict=True,
            )
        )
        login.authenticate("calentamiento", "x", origen="0", path=db)  # dummy hash built, connection open
        for i in range(rounds):
            for label, (usuario, password) in attempts.items():
                wall, cpu = time.perf_counter(), time.process_time()
                login.authenticate(usuario, password, origen=f"{label}-{i}", path=db)
                times[label].append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
        warehouse.close_all()
    return times


def _gap(a: float, b: float) -> float:
    return abs(a - b) / max(a, b) * 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    times = measure(args.rounds)
    wall = {k: statistics.median(w for w, _ in v) for k, v in times.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
    known, unknown = LABELS[0], LABELS[1]
    rows = "\n".join(f"| {k} | {wall[k]:.0f} | {cpu[k]:.0f} |" for k in LABELS)
    write_section(
        "Inicio de sesión",
        f"`python -m bench.login_timing --rounds {args.rounds}` — {machine()}; bcrypt de costo "
        f"{users.BCRYPT_ROUNDS}, `access.login.authenticate` (lo que llama el formulario); medianas.\n\n"
        "| intento | reloj (ms) | CPU (ms) |\n|---|---:|---:|\n"
        f"{rows}\n\n"
        f"Nombre conocido frente a inexistente: **{_gap(cpu[known], cpu[unknown]):.1f} %** en tiempo de CPU, "
        f"{_gap(wall[known], wall[unknown]):.1f} % en tiempo de reloj (meta: menos de 10 %; el reloj incluye "
        "la espera por los demás procesos de la máquina). Un nombre inexistente se compara contra un hash "
        "del mismo costo que los reales.",
    )
    print(
        f"CPU: conocido {cpu[known]:.0f} ms, inexistente {cpu[unknown]:.0f} ms ({_gap(cpu[known], cpu[unknown]):.1f} %);"
        f" reloj: {wall[known]:.0f} / {wall[unknown]:.0f} ms ({_gap(wall[known], wall[unknown]):.1f} %)"
    )


if __name__ == "__main__":
    main()
