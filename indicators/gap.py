"""«¿Quién explica la brecha?»: a KPI's gap to its meta split into each unit's contribution.

Sum KPIs (flows, stocks): the national gap V − M is Σ (vᵢ − mᵢ); each OOAD (or region)
contributes its own gap. Ratio KPIs: with wᵢ = dᵢ / D the unit's share of the denominator,
R − R* = Σ wᵢ (rᵢ − rᵢ*) + Σ wᵢ (rᵢ* − R*): the first term is the unit's *rate effect* (its own
gap times its weight), the second its *mix effect* (its weight times how far its own target
sits from the national one). Both add up exactly to the national gap. When the units do not
reconcile with the national figure (targets missing for some units, national target set on
its own), the difference is one more row, «Sin asignar», so the total is still exact.

UMAE are a detail of their host OOAD and cover only part of a scope, so a split by UMAE adds
one unit for the rest of the scope («Fuera de UMAE»): for a sum its value and meta are the
scope's minus the UMAE's; for a ratio its weight is the scope's denominator minus the UMAE's
and its rate the one that makes the weighted rates give the scope's rate.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indicators.definitions import DOWN, FLOW, RATIO, STOCK, Kpi

if TYPE_CHECKING:
    from indicators.periods import Scope

Db = Path | str | None

UNASSIGNED = "Sin asignar"
REST = "Fuera de UMAE"
COLUMNS = ["clave", "nombre", "efecto_tasa", "efecto_mezcla", "contribucion"]


def _with_residual(frame: pd.DataFrame, gap: float) -> pd.DataFrame:
    residual = gap - float(frame["contribucion"].sum())
    if abs(residual) > 1e-9 * max(1.0, abs(gap)):
        extra = {"clave": UNASSIGNED, "nombre": UNASSIGNED, "efecto_tasa": residual}
        frame = pd.concat([frame, pd.DataFrame([extra | {"efecto_mezcla": 0.0, "contribucion": residual}])])
    return frame.reset_index(drop=True)


def decompose_sum(units: pd.DataFrame, value: float, meta: float) -> pd.DataFrame:
    """Units (clave, nombre, valor, meta) of an additive KPI: contribution = own gap."""
    own = (units["valor"] - units["meta"]).fillna(0.0).astype("float64")
    frame = pd.DataFrame(
        {
            "clave": units["clave"],
            "nombre": units["nombre"],
            "efecto_tasa": own,
            "efecto_mezcla": 0.0,
            "contribucion": own,
        }
    )
    return _with_residual(frame, value - meta)


def with_rest(
    units: pd.DataFrame, value: float, meta: float, total_weight: float | None = None
) -> pd.DataFrame:
    """The units (UMAE) plus the rest of the scope as one more unit, so they partition the scope.

    Sum KPIs: the rest's value and meta are the scope's minus the units' (a unit without meta
    leaves its meta in the rest). Ratio KPIs (`total_weight` = the scope's denominator): the rest
    weighs the scope's denominator minus the units', its rate is what brings the weighted mean to
    `value`, and it has no own meta (the ratio split then uses the scope's).
    """
    if total_weight is None:
        rest = {"valor": value - float(units["valor"].sum()), "meta": meta - float(units["meta"].sum())}
    else:
        weight = total_weight - float(units["peso"].sum())
        inside = float((units["valor"] * units["peso"]).sum())
        rate = (value * total_weight - inside) / weight if weight else float("nan")
        rest = {"valor": rate, "meta": float("nan"), "peso": weight}
    row = pd.DataFrame([{"clave": REST, "nombre": REST, "region": None} | rest])
    return pd.concat([units, row], ignore_index=True)


def decompose_ratio(units: pd.DataFrame, value: float, meta: float) -> pd.DataFrame:
    """Units (clave, nombre, valor = rate, meta = target rate, peso = denominator) of a ratio."""
    w = units["peso"].astype("float64") / float(units["peso"].sum())
    target = units["meta"].fillna(meta).astype("float64")
    rate = w * (units["valor"].astype("float64") - target)
    mix = w * (target - meta)
    frame = pd.DataFrame(
        {
            "clave": units["clave"],
            "nombre": units["nombre"],
            "efecto_tasa": rate.fillna(0.0),
            "efecto_mezcla": mix.fillna(0.0),
            "contribucion": (rate + mix).fillna(0.0),
        }
    )
    return _with_residual(frame, value - meta)


def adverse(kpi: Kpi) -> float:
    """The sign of a gap that hurts: below the meta (−1), or above it for descending KPIs (+1)."""
    return 1.0 if kpi.sentido == DOWN else -1.0


def ordered(kpi: Kpi, frame: pd.DataFrame) -> pd.DataFrame:
    """Contributions from the one that hurts most to the one that helps most (rest and unassigned last)."""
    last = frame["clave"].isin([REST, UNASSIGNED])
    known = frame[~last]
    known = known.assign(_k=known["contribucion"] * adverse(kpi)).sort_values("_k", ascending=False)
    return pd.concat([known.drop(columns="_k"), frame[last]], ignore_index=True)


UNIT_NAMES = {
    "ooad": ("OOAD", "OOAD"),
    "region": ("región", "regiones"),
    "umae": ("UMAE", "UMAE"),
    "unidad": ("unidad médica", "unidades médicas"),
}


def _pct(x: float) -> str:
    return f"{x * 100:,.0f} %"


def sentence(kpi: Kpi, frame: pd.DataFrame, gap: float, nivel: str = "ooad", share: float = 0.7) -> str:
    """«3 OOAD explican el 72 % de la brecha: A (…), B (…), C (…).» — the fewest units that reach
    `share` of the gap (at most five); over 100 % when other units made up part of the miss, and
    then a second sentence says how much those units closed."""
    one, many = UNIT_NAMES[nivel]
    if gap == 0 or np.sign(gap) != adverse(kpi):
        return "El indicador no tiene brecha desfavorable frente a su meta."
    hurting = ordered(kpi, frame)
    hurting = hurting[
        ~hurting["clave"].isin([REST, UNASSIGNED]) & (np.sign(hurting["contribucion"]) == np.sign(gap))
    ]
    cumulative = (hurting["contribucion"] / gap).cumsum()
    reached = int((cumulative < share).sum()) + 1
    top = hurting.head(min(reached, 5, len(hurting)))
    pct = float((top["contribucion"] / gap).sum())
    names = ", ".join(
        f"{n} ({_pct(c / gap)})" for n, c in zip(top["nombre"], top["contribucion"], strict=True)
    )
    if len(top) == 1:
        said = f"1 {one} explica el {_pct(pct)} de la brecha: {names}."
    else:
        said = f"{len(top)} {many} explican el {_pct(pct)} de la brecha: {names}."
    return said + _offset(frame, gap, one, many)


def _offset(frame: pd.DataFrame, gap: float, one: str, many: str) -> str:
    """The units that did better than their meta and so close part of the gap: why the shares of
    those that widen it can add up to more than 100 %."""
    units = frame[~frame["clave"].isin([REST, UNASSIGNED])]
    helping = units[np.sign(units["contribucion"]) == -np.sign(gap)]
    share = float(-(helping["contribucion"] / gap).sum())
    if helping.empty or round(share * 100) == 0:
        return ""
    n = len(helping)
    who = f"1 {one} la compensa" if n == 1 else f"{n} {many} la compensan"
    return f" En sentido contrario, {who} en {_pct(share)}: su resultado es mejor que su meta."


# --- from the warehouse ----------------------------------------------------------------------


def _weights(
    kpi: Kpi, span: tuple[date, date], scope: Scope, nivel: str | None, db: Db
) -> dict[str | None, float]:
    """Each unit's denominator over the span (the weight of its rate in the national ratio);
    without a level, the scope's own denominator under the key None."""
    from indicators.engine import _evaluate

    base = STOCK if kpi.base_razon == STOCK else FLOW
    den = replace(kpi, id=f"{kpi.id}__peso", numerador=str(kpi.denominador), denominador=None)
    den = replace(den, factor=1.0, agregacion=base)
    found = _evaluate([den], [span], scope, nivel, db, None)[den.id]
    return {g: v for (_, g), v in found.items() if v is not None}


def decompose(kpi_id: str, periodo: str, nivel: str = "ooad", ambito: str = "nacional", db: Db = None):
    """(value, meta, contributions) of a KPI's gap at a scope, split by region, OOAD, UMAE or medical unit
    (the units of an OOAD partition it, so they need no rest); None without meta."""
    from indicators import engine
    from indicators.catalog import get
    from indicators.periods import parse_scope

    kpi = get(kpi_id)
    v = engine.value(kpi_id, periodo, ambito, db)
    if v.valor is None or v.meta is None:
        return None
    units = engine.breakdown(kpi_id, periodo, nivel, ambito, db)
    if kpi.agregacion == RATIO:
        span = (date.fromisoformat(f"{v.desde}-01"), date.fromisoformat(f"{v.hasta}-01"))
        weights = _weights(kpi, span, parse_scope(ambito), nivel, db)
        units = units.assign(peso=units["clave"].map(weights).astype("float64"))
        if nivel == "umae":
            total = _weights(kpi, span, parse_scope(ambito), None, db)[None]
            units = with_rest(units, v.valor, v.meta, total)
        frame = decompose_ratio(units, v.valor, v.meta)
    else:
        if nivel == "umae":
            units = with_rest(units, v.valor, v.meta)
        frame = decompose_sum(units, v.valor, v.meta)
    return v.valor, v.meta, ordered(kpi, frame)


__all__ = [
    "COLUMNS",
    "REST",
    "UNASSIGNED",
    "UNIT_NAMES",
    "decompose",
    "decompose_ratio",
    "decompose_sum",
    "ordered",
    "sentence",
    "with_rest",
]
