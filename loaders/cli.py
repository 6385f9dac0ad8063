"""`python -m loaders`: load, history, undo, template, catalogo, export — the upload page's code path.

Exit codes: 0 loaded (or done), 2 refused or database busy (nothing changed), 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from access.users import cli_identity, get_user
from exports.datasets import FORMATS, export
from loaders.contracts import CONTRACTS, UnknownDatasetError, template, template_csv_bom, template_xlsx
from loaders.findings import LoadResult
from loaders.history import history, undo
from loaders.load import load_file
from loaders.store import MODES
from warehouse import query_df
from warehouse.errors import UserError

# `python -m loaders catalogo NAME`: the codes a file's key column may carry.
CATALOGS = {
    "ooad": "SELECT cve_ooad, nombre, region, cve_entidad FROM ooad ORDER BY cve_ooad",
    "entidad": "SELECT cve_entidad, nombre, abreviatura FROM entidades ORDER BY cve_entidad",
    "region": "SELECT region FROM regiones ORDER BY orden",
    "umae": "SELECT cve_umae, nombre, complejo, cve_ooad FROM umae ORDER BY cve_umae",
    "unidad": "SELECT cve_unidad, nombre, tipo, cve_ooad FROM unidades ORDER BY cve_unidad",
    "objetivo": "SELECT cve_objetivo, nombre_corto FROM objetivos ORDER BY orden",
    "indicador": "SELECT kpi, nombre, rubro FROM indicadores ORDER BY rubro, kpi",
    "direccion": "SELECT cve_direccion, nombre FROM direcciones ORDER BY cve_direccion",
}


def catalog_frame(name: str, db: str | None = None) -> pd.DataFrame:
    """The rows of one catalog, as the CLI prints them."""
    return query_df(CATALOGS[name], path=db)


DATASETS = (*CONTRACTS, "asg", "delegaciones")
EXPORTABLE = [name for name, c in CONTRACTS.items() if c.is_table]


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» no es un periodo AAAA-MM") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m loaders", description="Carga de archivos al almacén del CMI IMSS."
    )
    p.add_argument("--db", help="archivo DuckDB (por omisión CMI_DB o data/cmi.duckdb)")
    sub = p.add_subparsers(dest="command", required=True)
    ld = sub.add_parser("load", help="validar y cargar un archivo")
    ld.add_argument("file")
    ld.add_argument("--dataset", choices=DATASETS, help="conjunto de datos (se detecta por las columnas)")
    ld.add_argument("--modo", choices=MODES, default="agregar")
    ld.add_argument("--usuario", help="cuenta que carga (se verifica); por omisión, el usuario del sistema")
    ld.add_argument("--periodo", type=_month, help="mes de un archivo asg cuyo nombre no lo indica (AAAA-MM)")
    ld.add_argument("--hoja", help="hoja de un archivo Excel (por omisión la primera)")
    ld.add_argument("--validar", action="store_true", help="solo validar, sin cargar")
    ld.add_argument(
        "--aceptar-advertencias",
        action="store_true",
        help="cargar aunque haya advertencias de plausibilidad (quedan en la bitácora)",
    )
    sub.add_parser("history", help="historial de cargas")
    ud = sub.add_parser("undo", help="deshacer una carga")
    ud.add_argument("load_id", type=int)
    ud.add_argument("--usuario", help="cuenta que deshace (se verifica); por omisión, el usuario del sistema")
    tp = sub.add_parser("template", help="plantilla en blanco de un conjunto de datos (CSV o Excel)")
    tp.add_argument("dataset", choices=list(CONTRACTS))
    tp.add_argument("--formato", choices=("csv", "xlsx"), default="csv")
    tp.add_argument(
        "--salida", help="archivo de salida (obligatorio para xlsx; por omisión, CSV a la salida estándar)"
    )
    cat = sub.add_parser("catalogo", help="claves válidas de un catálogo: " + ", ".join(CATALOGS))
    cat.add_argument("catalogo", choices=list(CATALOGS))
    ex = sub.add_parser("export", help="exportar un conjunto de datos en el formato de su contrato")
    ex.add_argument("dataset", choices=EXPORTABLE)
    ex.add_argument("--desde", type=_month)
    ex.add_argument("--hasta", type=_month)
    ex.add_argument("--formato", choices=FORMATS, default="csv")
    ex.add_argument(
        "--grano", choices=("ooad", "entidad", "nacional"), help="nivel de las filas (por omisión OOAD)"
    )
    ex.add_argument("--salida", help="archivo de salida (por omisión, CSV a la salida estándar)")
    ex.add_argument("--usuario", help="cuenta que exporta (se verifica); por omisión, el usuario del sistema")
    return p


def print_result(result: LoadResult) -> None:
    print(result.message)
    for finding in result.report.findings:
        print(f"  - {finding.message}")
    if result.changes:
        print("Cambios por medida:")
        for line in result.changes:
            print(f"  - {line}")
    if result.cautions.total:
        print(f"Advertencias ({result.cautions.total:,}):")
        for finding in result.cautions.findings:
            print(f"  - {finding.message}")
    for warning in result.warnings:
        print(f"Aviso: {warning}")


def run(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    db = args.db
    if args.command == "template":
        if args.salida:
            data = template_xlsx(args.dataset) if args.formato == "xlsx" else template_csv_bom(args.dataset)
            Path(args.salida).write_bytes(data)
            print(f"Plantilla de «{args.dataset}» escrita en {args.salida}.")
            return 0
        if args.formato == "xlsx":
            print("Indique --salida ARCHIVO.xlsx para la plantilla de Excel.", file=sys.stderr)
            return 2
        sys.stdout.write(template(args.dataset))
        return 0
    if args.command == "catalogo":
        print(catalog_frame(args.catalogo, db).to_string(index=False))
        return 0
    if args.command == "history":
        frame = history(db=db)
        if frame.empty:
            print("Todavía no hay cargas.")
        else:
            print(frame.drop(columns=["sha256"]).to_string(index=False))
        return 0
    if args.command == "undo":
        result = undo(args.load_id, cli_identity(args.usuario, "cargar", db), db=db)
        print(result.message)
        return result.exit_code
    if args.command == "export":
        who = cli_identity(args.usuario, "exportar", db)
        account = get_user(args.usuario, db) if args.usuario else None  # checked just above
        ambito = account.ambito if account else "nacional"
        rows = export(
            args.dataset,
            args.desde,
            args.hasta,
            args.formato,
            args.salida,
            db=db,
            grain=args.grano,
            user=who,
            ambito=ambito,
        )
        if args.salida:
            print(f"Se exportaron {rows:,} filas de «{args.dataset}» a {args.salida}.")
        if rows == 0:
            print(empty_export_note(args.dataset, args.grano), file=sys.stderr)
        return 0
    result = load_file(
        args.file,
        dataset=args.dataset,
        mode=args.modo,
        user=cli_identity(args.usuario, "cargar", db),
        period=args.periodo,
        sheet=args.hoja,
        db=db,
        dry_run=args.validar,
        accept_warnings=args.aceptar_advertencias,
    )
    print_result(result)
    return result.exit_code


_GRAIN_WORDS = {"entidad": "entidad federativa", "nacional": "total nacional"}


def empty_export_note(dataset: str, grain: str | None) -> str:
    """Why an export has no rows: at a grain above the OOAD, only rows loaded at that grain are exported."""
    if grain in _GRAIN_WORDS:
        return (
            f"Sin filas: «{dataset}» no tiene filas cargadas por {_GRAIN_WORDS[grain]} en esos periodos."
            f" Las cifras por {_GRAIN_WORDS[grain]} del tablero suman las de los OOAD: exporte con --grano ooad."
        )
    return f"Sin filas: «{dataset}» no tiene filas en esos periodos y su ámbito."


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except UnknownDatasetError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # an unexpected failure: say so in one line, exit 1
        print(f"Falla inesperada: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
