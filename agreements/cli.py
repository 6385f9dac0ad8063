"""`python -m agreements tablero | lista | resumen-diario` (also `python -m agreements.cli`).

`tablero` and `lista` print the agreements board as JSON. `--direccion CLAVE` restricts to the
agreements where that directorate is responsible or co-responsible (a directorate user's scope);
without it, all agreements (Dirección General). `--usuario CUENTA` cuts both lists to what that
account sees on the screens: its ámbito (region or OOAD) and, unless it sees every agreement,
its directorate.

`resumen-diario` e-mails each person with a directorate and an e-mail address what falls due in
the next 7 days and what became overdue yesterday (once per person and day; needs CMI_SMTP_HOST).
A scheduler calls it daily, e.g. cron `0 7 * * 1-5 .venv/bin/python -m agreements.cli
resumen-diario`. Exit 0 when every digest went out, 1 when some e-mail failed, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

from access.roles import may
from access.users import get_user
from agreements import board as ag
from agreements import notices
from warehouse.errors import UserError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m agreements.cli", description="Seguimiento de acuerdos del CMI IMSS."
    )
    parser.add_argument("--direccion", default=None, help="clave de la dirección (su ámbito); omitir = todas")
    parser.add_argument("--usuario", default=None, help="cuenta cuyo ámbito y dirección acotan la consulta")
    parser.add_argument("--al", default=None, help="fecha de corte AAAA-MM-DD (por omisión, hoy)")
    parser.add_argument(
        "--periodo",
        default=None,
        help="periodo AAAA-MM o AAAA: cifras al cierre del periodo (o a hoy si está en curso), como en las pantallas",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("tablero", help="indicadores del tablero")
    lista = sub.add_parser("lista", help="acuerdos filtrados")
    lista.add_argument("--estado", choices=[*ag.STATES, ag.OVERDUE])
    lista.add_argument("--mesa")
    lista.add_argument("--region")
    lista.add_argument("--ooad")
    lista.add_argument("--buscar", help="texto en folio o descripción")
    lista.add_argument("--limite", type=int, default=500)
    sub.add_parser("resumen-diario", help="envía por correo el resumen diario de vencimientos a cada persona")
    return parser


def _scope(usuario: str | None, direccion: str | None) -> tuple[str | None, str]:
    """(directorate, ámbito) the query is cut to: the account's, as on its screens (none: all)."""
    if usuario is None:
        return direccion, "nacional"
    account = get_user(usuario)
    if account is None or not account.activo:
        raise UserError(f"El usuario «{usuario}» no existe o está desactivado.")
    own = None if may(account.roles, "ver_todos_los_acuerdos") else account.cve_direccion
    if own is not None and direccion not in (None, own):
        raise UserError(f"La dirección {direccion} está fuera de su ámbito ({own}).")
    return own or direccion, account.ambito


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        as_of = date.fromisoformat(args.al) if args.al else None
    except ValueError:
        print(f"Fecha inválida: «{args.al}». Use AAAA-MM-DD.", file=sys.stderr)
        return 2
    try:
        if args.command == "resumen-diario":
            if not notices.smtp_configured():
                print("Falta CMI_SMTP_HOST: no se envió ningún resumen.", file=sys.stderr)
                return 2
            sent = notices.daily_digest(as_of)
            for r in sent:
                print(
                    f"{r.usuario}: {r.proximos} por vencer, {r.vencidos} vencidos"
                    + (f" · {r.error}" if r.error else "")
                )
            print(f"Resúmenes enviados: {sum(r.error is None for r in sent)} de {len(sent)}.")
            return 1 if any(r.error for r in sent) else 0
        if args.periodo and as_of:
            print("Indique --al o --periodo, no ambos.", file=sys.stderr)
            return 2
        span = ag.cut(args.periodo).span if args.periodo else {"as_of": as_of}
        direccion, ambito = _scope(args.usuario, args.direccion)
        if args.command == "tablero":
            figures = ag.kpis(direccion=direccion, filtros=ag.BoardFilters(ambito=ambito), **span).as_dict()
            result: object = {"corte": f"{span['as_of'] or ag.cut().corte:%Y-%m-%d}", **figures}
        else:
            filtros = ag.BoardFilters(
                region=args.region,
                cve_ooad=args.ooad,
                estado=args.estado,
                cve_mesa=args.mesa,
                texto=args.buscar,
                ambito=ambito,
            )
            frame = ag.agreements(
                direccion=direccion, as_of=span["as_of"], filtros=filtros, limit=args.limite
            )
            for col in ("fecha_registro", "fecha_compromiso", "fecha_conclusion"):
                frame[col] = frame[col].dt.strftime("%Y-%m-%d")
            result = json.loads(frame.to_json(orient="records", force_ascii=False))
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
