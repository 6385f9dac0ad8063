"""`python -m warehouse migrate-to|mantenimiento|hashes`: operate the warehouse from a terminal.

- migrate-to DESTINO [--db ORIGEN] [--datos CARPETA] [--reemplazar]: copy an embedded warehouse
  (a DuckDB file, stopped dashboard) into a shared one (ducklake:postgres:…), in one commit.
- mantenimiento [--dias N]: compact the shared warehouse and expire snapshots older than N days
  (7); on a DuckDB file, CHECKPOINT.
- hashes [--db …]: row count and hash of every table, to compare two warehouses.
"""

from __future__ import annotations

import argparse
import sys
import time

import duckdb

from warehouse.config import db_path
from warehouse.connection import WarehouseBusyError
from warehouse.lake import LakeError
from warehouse.maintenance import maintain
from warehouse.settings import settings
from warehouse.transfer import TransferError, copy_to_shared, table_hashes

COMMANDS = ("migrate-to", "mantenimiento", "hashes")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description="Operación del almacén CMI.")
    commands = parser.add_subparsers(dest="command", required=True)
    copy = commands.add_parser("migrate-to", help="copiar un almacén embebido a uno compartido")
    copy.add_argument("destino", help="ducklake:postgres:dbname=… host=… (el catálogo en PostgreSQL)")
    copy.add_argument("--db", help="archivo DuckDB de origen (por omisión CMI_DB o data/cmi.duckdb)")
    copy.add_argument("--datos", help="carpeta o bucket de los Parquet (por omisión CMI_LAKE_DATA)")
    copy.add_argument("--reemplazar", action="store_true", help="sustituir lo que el destino ya tenga")
    keep = commands.add_parser("mantenimiento", help="compactar y expirar instantáneas antiguas")
    keep.add_argument("--dias", type=int, default=7, help="conservar las instantáneas de los últimos N días")
    keep.add_argument("--db", help="almacén (por omisión CMI_WAREHOUSE, CMI_DB o data/cmi.duckdb)")
    sums = commands.add_parser("hashes", help="filas y hash de cada tabla")
    sums.add_argument("--db", help="almacén (por omisión CMI_WAREHOUSE, CMI_DB o data/cmi.duckdb)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        if args.command == "migrate-to":
            source = args.db or str(settings().db)  # the embedded file: CMI_DB or data/cmi.duckdb
            counts = copy_to_shared(source, args.destino, replace=args.reemplazar, data_path=args.datos)
            print(
                f"Se copiaron {len(counts)} tablas ({sum(counts.values()):,} filas) de {source} al almacén "
                f"compartido en {time.perf_counter() - started:.1f} s."
            )
        elif args.command == "mantenimiento":
            report = maintain(args.db, args.dias)
            if report is None:
                print("Almacén embebido: CHECKPOINT hecho.")
            else:
                print(
                    f"Instantáneas: {report.snapshots_before} → {report.snapshots_after}; "
                    f"archivos Parquet: {report.files_before} → {report.files_after}."
                )
        else:
            for table, digest in table_hashes(args.db or db_path()).items():
                print(f"{table}\t{digest}")
    except (TransferError, LakeError, WarehouseBusyError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except duckdb.IOException as exc:
        print(
            f"Error: no se pudo abrir el almacén de origen ({exc}); cierre el tablero y vuelva a intentar.",
            file=sys.stderr,
        )
        return 2
    return 0
