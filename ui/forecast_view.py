"""«¿Llegaremos a la meta?» in words: the year-end projection as the card and the trend read it."""

from __future__ import annotations

from indicators.definitions import FLOW, Kpi
from indicators.forecast import LEVEL, YearEnd
from ui import counts
from ui.format import MONTHS_SHORT, fmt_number, fmt_value


def _pct(x: float | None, digits: int = 0) -> str:
    return "—" if x is None else f"{x * 100:,.{digits}f} %"


def card_line(f: YearEnd) -> str:
    """«Proyección al cierre de 2026: 96 % de la meta, intervalo 93–99 %» (or the value, without meta)."""
    share, low, high = f.share(f.proyeccion), f.share(f.inferior), f.share(f.superior)
    if share is not None and low is not None and high is not None:  # there is a meta
        lo, hi = sorted((low, high))
        digits = 0 if round(hi * 100) - round(lo * 100) >= 2 else 1  # never «100–100 %»
        head = (
            f"proyección: {_pct(share, digits)} de la meta, "
            f"intervalo {lo * 100:,.{digits}f}–{hi * 100:,.{digits}f} %"
        )
    else:
        head = f"proyección: {fmt_number(f.proyeccion)} (sin meta anual completa)"
    return f"Cierre {f.anio} · {head}"


def pace_line(kpi: Kpi, f: YearEnd) -> str:
    """Probability of reaching the meta and the monthly pace needed against the projected one."""
    since = f"con datos a {MONTHS_SHORT[f.hasta.month - 1]} {f.hasta.year}"
    if f.meta is None or f.probabilidad is None or f.ritmo_necesario is None:
        return f"Sin meta anual completa para calcular la probabilidad ({since})."
    what = "por mes" if kpi.agregacion == FLOW else "de cambio neto por mes"
    needed = fmt_value(kpi, f.ritmo_necesario) if kpi.agregacion == FLOW else _signed(f.ritmo_necesario)
    paced = fmt_value(kpi, f.ritmo_proyectado) if kpi.agregacion == FLOW else _signed(f.ritmo_proyectado)
    return (
        f"Probabilidad de alcanzar la meta: {_pct(f.probabilidad)}. Ritmo necesario: {needed} {what} "
        f"{counts.remaining_months(f.meses_restantes)}; ritmo proyectado: {paced} ({since}; "
        f"intervalo de {LEVEL * 100:.0f} %)."
    )


def _signed(x: float) -> str:
    return ("+" if x >= 0 else "−") + fmt_number(abs(x))


__all__ = ["card_line", "pace_line"]
