"""`python -m warehouse users add|list|passwd`: manage local accounts from a terminal.

Passwords are read with getpass (twice, must match) or, for scripts, one line from stdin with
--password-stdin; they are never accepted as command-line arguments.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from access.users import ROLES, AccountError, add_user, list_users, set_password
from warehouse.errors import UserError

CLI_USER = "cli"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Contraseña: ")
    if getpass.getpass("Confirme la contraseña: ") != first:
        raise AccountError("Las contraseñas no coinciden.")
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m warehouse", description="Administración del almacén CMI."
    )
    parser.add_argument("--db", help="archivo DuckDB (por omisión CMI_DB o data/cmi.duckdb)")
    groups = parser.add_subparsers(dest="group", required=True)
    users = groups.add_parser("users", help="cuentas locales").add_subparsers(dest="command", required=True)
    add = users.add_parser("add", help="crear una cuenta (pide la contraseña)")
    add.add_argument("usuario")
    add.add_argument("--rol", action="append", required=True, choices=ROLES, help="repetible")
    add.add_argument("--nombre", default="")
    add.add_argument("--email")
    add.add_argument("--direccion", help="clave de la dirección normativa, p. ej. DPM")
    add.add_argument("--ambito", default="nacional", help="nacional | region:NOMBRE | ooad:CLAVE")
    add.add_argument("--password-stdin", action="store_true", help="leer la contraseña de stdin")
    users.add_parser("list", help="listar cuentas")
    passwd = users.add_parser("passwd", help="restablecer la contraseña de una cuenta")
    passwd.add_argument("usuario")
    passwd.add_argument("--password-stdin", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "add":
            password = _read_password(args.password_stdin)
            acc = add_user(
                args.usuario,
                args.nombre or args.usuario,
                password,
                args.rol,
                email=args.email,
                cve_direccion=args.direccion,
                ambito=args.ambito,
                by=CLI_USER,
                path=args.db,
            )
            print(f"Usuario {acc.usuario} creado con roles: {', '.join(sorted(acc.roles))}.")
        elif args.command == "passwd":
            set_password(args.usuario, _read_password(args.password_stdin), by=CLI_USER, path=args.db)
            print(f"Contraseña de {args.usuario} restablecida.")
        else:
            for a in list_users(args.db):
                estado = "activo" if a.activo else "inactivo"
                roles = ",".join(sorted(a.roles))
                print(f"{a.usuario}\t{a.nombre}\t{roles}\t{a.cve_direccion or '-'}\t{a.ambito}\t{estado}")
    except UserError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0
