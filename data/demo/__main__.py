"""CLI: python -m data.demo [--db PATH] [--force]."""

from __future__ import annotations

import argparse
import sys
import time

from data.demo.build import build
from warehouse.config import db_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data.demo",
        description="Construye el almacén con datos de demostración calibrados a cifras publicadas.",
    )
    parser.add_argument(
        "--db",
        default=None,
        help="archivo DuckDB o almacén ducklake:postgres:… (por omisión CMI_WAREHOUSE, CMI_DB o data/cmi.duckdb)",
    )
    parser.add_argument("--force", action="store_true", help="reconstruir aunque el archivo ya exista")
    args = parser.parse_args(argv)
    target = args.db or db_path()
    started = time.perf_counter()
    if not build(target, force=args.force):
        print(f"El almacén {target} ya existe; use --force para reconstruirlo.")
        return 0
    print(f"Almacén de demostración creado en {target} ({time.perf_counter() - started:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
