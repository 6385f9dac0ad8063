"""`python -m indicators list | value | series | proyeccion`: the catalog and the engine as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from indicators import engine, forecast
from indicators.catalog import CATALOG, get
from indicators.definitions import MONTHLY, Kpi
from indicators.periodicity import period_name
from indicators.periods import InvalidArgumentError, month_end, parse_period
from indicators.status import META, PERIOD_BEFORE, STATUS_TONE, YEAR_BEFORE, difference, limits, rule
from warehouse.errors import UserError


def _scope_arguments(command: argparse.ArgumentParser) -> None:
    """--ambito and --usuario, the same for every command that reads a figure."""
    command.add_argument(
        "--ambito", default="nacional", help="nacional | region:NOMBRE | entidad:CLAVE_INEGI | ooad:CLAVE"
    )
    command.add_argument("--usuario", help="cuenta cuyo ámbito acota la consulta")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indicators", description="Indicadores del CMI IMSS.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="el catálogo de indicadores (JSON)")
    value = sub.add_parser("value", help="valor de un indicador en un periodo y ámbito")
    value.add_argument("kpi")
    value.add_argument("--periodo", required=True, help="AAAA o AAAA-MM")
    _scope_arguments(value)
    series = sub.add_parser("series", help="serie mensual de un indicador")
    series.add_argument("kpi")
    series.add_argument("--desde", default="2018-01", help="AAAA-MM")
    series.add_argument("--hasta", default=None, help="AAAA-MM (por omisión, el último mes con datos)")
    _scope_arguments(series)
    projection = sub.add_parser("proyeccion", help="proyección al cierre del año de un indicador")
    projection.add_argument("kpi")
    projection.add_argument("--periodo", required=True, help="AAAA-MM: el mes desde el que se proyecta")
    _scope_arguments(projection)
    return parser


def _projection(args: argparse.Namespace) -> dict:
    """The year-end projection the card shows, or why it is not trusted (`confiable` false)."""
    kpi = get(args.kpi)
    within = _within(args.usuario)
    scope = engine.intersect(within, args.ambito).code if within else args.ambito
    found = forecast.year_end(kpi.id, args.periodo, scope)
    if found is None:
        raise InvalidArgumentError(
            f"«{kpi.nombre}» no tiene proyección al cierre para {args.periodo} (no es un flujo o saldo "
            "mensual, no hay datos del periodo o el año ya terminó)."
        )
    head = {
        "kpi": kpi.id,
        "anio": found.anio,
        "hasta": f"{found.hasta:%Y-%m}",
        "ambito": scope,
        "meta_anual": found.meta,
        "regla_meta_anual": forecast.annual_meta_rule(kpi),
    }
    if isinstance(found, forecast.Unreliable):
        return {**head, "confiable": False, "motivo": found.motivo}
    return {
        **head,
        "confiable": True,
        "proyeccion": found.proyeccion,
        "inferior": found.inferior,
        "superior": found.superior,
        "nivel_intervalo": forecast.LEVEL,
        "probabilidad": found.probabilidad,
        "simulaciones": found.simulaciones,
        "simulaciones_que_alcanzan": found.reaching,
        "meses_restantes": found.meses_restantes,
    }


def _within(usuario: str | None) -> str | None:
    """The ámbito of the named account (None without --usuario): the CLI cuts to it like the screens."""
    if usuario is None:
        return None
    from access.users import get_user

    account = get_user(usuario)
    if account is None or not account.activo:
        raise InvalidArgumentError(f"El usuario «{usuario}» no existe o está desactivado.")
    return account.ambito


def _plain(kpi: Kpi) -> Callable[[float], str]:
    """Numbers in the rule's sentence: two decimals and the unit of percentages."""
    return lambda x: f"{x:,.2f}" + (" %" if kpi.formato == "porcentaje" else "")


def _value(args: argparse.Namespace) -> dict:
    """The KPI's figures and what the screens say of them: the period in the KPI's own terms,
    the semáforo's rule and colour, and each comparison with its colour (the status's) and its
    reading by sentido («mejor», «peor»)."""
    kpi = get(args.kpi)
    v = engine.value(args.kpi, args.periodo, args.ambito, within=_within(args.usuario))
    found = limits(kpi, v.meta)
    references = {META: v.meta, YEAR_BEFORE: v.valor_anio_anterior, PERIOD_BEFORE: v.valor_periodo_anterior}
    comparisons: dict[str, dict | None] = {}
    for comparison, reference in references.items():
        d = difference(kpi, v.valor, reference, comparison, v.meta)
        comparisons[comparison] = (
            None
            if d is None
            else {
                "diferencia": d.amount if d.unit == "pp" else d.amount * 100,
                "unidad": d.unit,
                "color": d.tone,  # the status's, as on the card's chip
                "lectura": d.verdict,  # «mejor» | «peor» | «igual» against an earlier period
            }
        )
    return v.as_dict() | {
        "periodo_datos": period_name(kpi, v.desde, v.hasta) if v.desde and v.hasta else v.periodo,
        "semaforo": {
            "color": STATUS_TONE[v.estado],
            "regla": rule(kpi, v.meta, _plain(kpi)),
            "limite_en_meta": found[0] if found else None,
            "limite_en_riesgo": found[1] if found else None,
        },
        "comparaciones": comparisons,
    }


def _series(args: argparse.Namespace) -> list[dict]:
    kpi = get(args.kpi)
    start = parse_period(args.desde).start
    end = parse_period(args.hasta).end if args.hasta else engine.last_month_with_data(kpi)
    if end is None:
        raise InvalidArgumentError(f"No hay datos de «{kpi.nombre}».")
    frame = engine.series(kpi.id, start, month_end(end), args.ambito, within=_within(args.usuario))
    return [
        {
            "periodo": f"{p:%Y-%m}" if kpi.frecuencia == MONTHLY else f"{p:%Y}",
            "valor": v,
            "meta": None if m != m else m,  # NaN → null
        }
        for p, v, m in zip(frame["periodo"], frame["valor"], frame["meta"], strict=True)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            result: object = [
                {**k.ficha(), "meta_anual": forecast.annual_meta_rule(k), "regla_semaforo": rule(k)}
                for k in CATALOG
            ]
        elif args.command == "value":
            result = _value(args)
        elif args.command == "proyeccion":
            result = _projection(args)
        else:
            result = _series(args)
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
