"""«¿Llegaremos a la meta?» in words: the year-end projection as the card and the trend read it."""

from __future__ import annotations

from indicators.definitions import DOWN, FLOW, Kpi
from indicators.forecast import LEVEL, MIN_MONTHS, PLAUSIBLE, Projection, Unreliable, YearEnd
from ui import counts
from ui.format import MONTHS_SHORT, fmt_number, fmt_value


def _pct(x: float | None, digits: int = 0) -> str:
    return "—" if x is None else f"{x * 100:,.{digits}f} %"


def _chance(p: float) -> str:
    """A probability that never reads «0 %» or «100 %» unless it is (995 of 1,000 is «> 99 %»)."""
    if 0 < p < 0.01:
        return "< 1 %"
    if 0.99 < p < 1:
        return "> 99 %"
    return _pct(p)


def card_line(f: Projection) -> str:
    """«Cierre 2026 · proyección: 96 % de la meta anual, intervalo 93–99 %» (or the value, without meta),
    or «Cierre 2026 · proyección no confiable: …» with the reason."""
    if isinstance(f, Unreliable):
        return f"Cierre {f.anio} · proyección no confiable: {f.motivo}"
    share, low, high = f.share(f.proyeccion), f.share(f.inferior), f.share(f.superior)
    if share is not None and low is not None and high is not None:  # there is a meta
        lo, hi = sorted((low, high))
        digits = 0 if round(hi * 100) - round(lo * 100) >= 2 else 1  # never «100–100 %»
        head = (
            f"proyección: {_pct(share, digits)} de la meta anual, "
            f"intervalo {lo * 100:,.{digits}f}–{hi * 100:,.{digits}f} %"
        )
    else:
        head = f"proyección: {fmt_number(f.proyeccion)} (sin meta anual completa)"
    return f"Cierre {f.anio} · {head}"


def chance_line(kpi: Kpi, f: YearEnd) -> str:
    """Why «97.4 % de la meta» can go with «Probabilidad: 0 %»: where the central projection lands
    against the meta, and in how many of the simulated years the meta is reached."""
    if f.meta is None or f.probabilidad is None or f.reaching is None:
        return ""
    gap = f.proyeccion / f.meta - 1
    where = (
        "queda en la meta"
        if round(abs(gap) * 100, 1) == 0
        else f"queda {abs(gap) * 100:,.1f} % {'por debajo' if gap < 0 else 'por encima'} de ella"
    )
    reached = "no la rebasa" if kpi.sentido == DOWN else "la alcanza"
    return (
        f"Probabilidad de alcanzar la meta anual ({fmt_value(kpi, f.meta)}): {_chance(f.probabilidad)}. "
        f"La proyección central {where}, y {reached} en {fmt_number(f.reaching)} de "
        f"{fmt_number(f.simulaciones)} años simulados."
    )


def pace_line(kpi: Kpi, f: Projection) -> str:
    """Probability of reaching the meta and the monthly pace needed against the projected one;
    for an unreliable projection, the rule it failed and the annual meta it would be judged against."""
    since = f"con datos a {MONTHS_SHORT[f.hasta.month - 1]} {f.hasta.year}"
    if isinstance(f, Unreliable):
        meta = "" if f.meta is None else f" Meta anual: {fmt_value(kpi, f.meta)}."
        return (
            f"Sin cifra de cierre ({since}): se proyecta con {MIN_MONTHS} meses o más desde el último cambio "
            f"de nivel de la serie y solo si el intervalo queda entre {PLAUSIBLE[0] * 100:.0f} % y "
            f"{PLAUSIBLE[1] * 100:.0f} % de la meta anual.{meta}"
        )
    if f.meta is None or f.probabilidad is None or f.ritmo_necesario is None:
        return f"Sin meta anual completa para calcular la probabilidad ({since})."
    what = "por mes" if kpi.agregacion == FLOW else "de cambio neto por mes"
    paced = fmt_value(kpi, f.ritmo_proyectado) if kpi.agregacion == FLOW else _signed(f.ritmo_proyectado)
    if (
        (f.ritmo_necesario <= 0)
        if kpi.sentido != DOWN
        else (f.ritmo_necesario >= 0 and kpi.agregacion != FLOW)
    ):
        margin = "lo observado" if kpi.agregacion == FLOW else "el nivel actual"
        return (
            f"{chance_line(kpi, f)} La meta anual ya se cumple con {margin}; ritmo proyectado: {paced} {what} "
            f"{counts.remaining_months(f.meses_restantes)} ({since}; intervalo de {LEVEL * 100:.0f} %)."
        )
    needed = fmt_value(kpi, f.ritmo_necesario) if kpi.agregacion == FLOW else _signed(f.ritmo_necesario)
    return (
        f"{chance_line(kpi, f)} Ritmo necesario: {needed} {what} "
        f"{counts.remaining_months(f.meses_restantes)}; ritmo proyectado: {paced} ({since}; "
        f"intervalo de {LEVEL * 100:.0f} %)."
    )


def _signed(x: float) -> str:
    return ("+" if x >= 0 else "−") + fmt_number(abs(x))


__all__ = ["card_line", "chance_line", "pace_line"]
