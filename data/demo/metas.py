"""metas: monthly targets for every KPI of the catalog, by nation, region, OOAD, UMAE and unit.

Additive KPIs get an OOAD target (planned from the same month a year before, with a
per-OOAD stretch) and region/national targets that are their sums. Rates get the
institutional target rate; the agreements block only its compliance rate. The medical units
of an OOAD share its target of each flow in proportion to their own planned activity, so their
targets add up to the OOAD's; a unit has targets only for the measures its level reports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo import unidades
from data.demo.context import Context
from data.demo.finanzas import CONTRIBUTION_TARGET, cents_exact
from data.demo.geo import performance
from data.demo.timeline import Timeline
from indicators.catalog import CATALOG
from indicators.definitions import DOWN, RATIO, Kpi

RATE_TARGETS = {
    "oportunidad_quirurgica": 90.0,
    "ocupacion_hospitalaria": 85.0,
    "satisfaccion_atencion_medica": 82.0,
    "satisfaccion_guarderias": 98.0,
    "ocupacion_guarderias": 88.0,
    "surtimiento_recetas": 98.0,
    "ocupacion_plazas": 97.0,
    "ejercicio_presupuestal": 98.0,
    "cumplimiento_acuerdos": 85.0,
}
# Planned yearly growth of a target over the same month of the year before.
GROWTH = {
    "puestos_trabajo_afiliados": 0.012,
    "patrones_registrados": 0.012,
    "poblacion_derechohabiente_adscrita": 0.01,
    "plazas_ocupadas": 0.008,
    "capacidad_instalada_guarderias": 0.01,
    "ninos_inscritos_guarderias": 0.01,
    "dias_incapacidad_eg": 0.0,
    "certificados_incapacidad": 0.0,
    "gasto_incapacidades": 0.08,
    "ingresos_obrero_patronales": 0.08,
    "ingresos_totales": 0.07,
    "reservas_saldo": 0.1,
    "salario_base_cotizacion_promedio": 0.05,
}
DEFAULT_GROWTH = 0.02


def planned(tl: Timeline, actual: np.ndarray, growth: float) -> np.ndarray:
    """Same month a year before x (1 + growth); the first year targets its own actual."""
    prev = np.roll(actual, 12, axis=0) * (1 + growth)
    prev[tl.year == tl.years[0]] = actual[tl.year == tl.years[0]]
    return prev


def _rows(tl: Timeline, kpi: str, ambito: str, values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kpi": kpi,
            "periodo": np.array(tl.periods, dtype="datetime64[D]"),
            "ambito": ambito,
            "valor": np.asarray(values, dtype=float),
        }
    )


def _scopes(ctx: Context, kpi: Kpi) -> list[tuple[str, np.ndarray | None]]:
    """(ambito, OOAD mask) pairs this KPI takes; mask None for the nation."""
    scopes: list[tuple[str, np.ndarray | None]] = [("nacional", None)]
    if "region" in kpi.niveles:
        regions = ctx.geo.region_of()
        scopes += [(f"region:{r}", regions == r) for r in ctx.geo.regions]
    if "ooad" in kpi.niveles:
        scopes += [(f"ooad:{c}", np.arange(len(ctx.geo)) == i) for i, c in enumerate(ctx.geo.codes)]
    return scopes


def _additive(ctx: Context, kpi: Kpi) -> list[pd.DataFrame]:
    tl, geo = ctx.tl, ctx.geo
    rng = ctx.rng(f"metas.{kpi.id}")
    column = ctx.frames[kpi.fuente][kpi.numerador]
    actual = ctx.wide(kpi.fuente, kpi.numerador).astype(float)
    # Stretch the target more or less per OOAD, scaled to the KPI's risk band so that each
    # KPI shows the same mix of statuses whatever its thresholds.
    band = (1 - kpi.umbral_amarillo) / 0.05
    stretch = 1 + (performance(rng, len(geo), 0.985, 1.02, 1.08) - 1) * band
    if kpi.sentido == DOWN:
        stretch = 1 / stretch
    decimals = 0 if pd.api.types.is_integer_dtype(column) else 4
    target = np.round(planned(tl, actual, GROWTH.get(kpi.id, DEFAULT_GROWTH)) * stretch[None, :], decimals)
    return [
        _rows(tl, kpi.id, amb, target.sum(axis=1) if mask is None else target[:, mask].sum(axis=1))
        for amb, mask in _scopes(ctx, kpi)
    ]


def _ratio(ctx: Context, kpi: Kpi) -> list[pd.DataFrame]:
    """A rate without an institutional target: last year's rate of the scope, grown."""
    num, den = ctx.wide(kpi.fuente, kpi.numerador), ctx.wide(kpi.fuente, str(kpi.denominador))
    growth = GROWTH.get(kpi.id, 0.0)
    out = []
    for amb, mask in _scopes(ctx, kpi):
        m = slice(None) if mask is None else mask
        rate = kpi.factor * num[:, m].sum(axis=1) / den[:, m].sum(axis=1)
        out.append(_rows(ctx.tl, kpi.id, amb, np.round(planned(ctx.tl, rate, growth), 2)))
    return out


def _national(ctx: Context, kpi: Kpi) -> list[pd.DataFrame]:
    tl, fin = ctx.tl, ctx.frames["finanzas"]
    if kpi.id == "presupuesto_ejercido":
        return [_rows(tl, kpi.id, "nacional", np.round(fin["presupuesto_autorizado"].to_numpy() * 0.97, 2))]
    actual = fin[kpi.numerador].to_numpy()
    rng = ctx.rng(f"metas.{kpi.id}")
    yearly = {y: rng.choice([0.975, 0.99, 1.0, 1.01, 1.03]) for y in tl.years}
    target = np.round(planned(tl, actual, GROWTH[kpi.id]) * np.array([yearly[y] for y in tl.year]), 2)
    if kpi.id == "ingresos_obrero_patronales":
        for year, total in CONTRIBUTION_TARGET.items():
            mask = tl.year == year
            if mask.sum() == 12:
                target[mask] = cents_exact(actual[mask], total)
    return [_rows(tl, kpi.id, "nacional", target)]


def _umae(ctx: Context, kpi: Kpi) -> list[pd.DataFrame]:
    """Targets of a hospital KPI for each UMAE: the institutional rate, or its own planned activity."""
    frame = ctx.frames["consultas_umae"]
    codes = list(dict.fromkeys(frame["cve_umae"]))
    if kpi.id in RATE_TARGETS:
        return [_rows(ctx.tl, kpi.id, f"umae:{c}", np.full(len(ctx.tl), RATE_TARGETS[kpi.id])) for c in codes]
    actual = frame[kpi.numerador].to_numpy().reshape(len(ctx.tl), len(codes)).astype(float)
    rng = ctx.rng(f"metas.umae.{kpi.id}")
    stretch = performance(rng, len(codes), 0.985, 1.02, 1.08)
    target = np.round(planned(ctx.tl, actual, GROWTH.get(kpi.id, DEFAULT_GROWTH)) * stretch[None, :])
    return [_rows(ctx.tl, kpi.id, f"umae:{c}", target[:, i]) for i, c in enumerate(codes)]


def _units(ctx: Context, kpi: Kpi, ooad_targets: pd.DataFrame) -> list[pd.DataFrame]:
    """Targets of a consultations KPI for each unit that reports it (its share of the OOAD's target)."""
    frame = ctx.frames["consultas_unidad"]
    codes = list(dict.fromkeys(frame["cve_unidad"]))
    wide = frame[kpi.numerador].to_numpy(dtype=float, na_value=np.nan).reshape(len(ctx.tl), len(codes))
    reporting = [i for i, _ in enumerate(codes) if not np.isnan(wide[:, i]).all()]
    if kpi.id in RATE_TARGETS:
        rate = np.full(len(ctx.tl), RATE_TARGETS[kpi.id])
        return [_rows(ctx.tl, kpi.id, f"unidad:{codes[i]}", rate) for i in reporting]
    rng = ctx.rng(f"metas.unidad.{kpi.id}")
    stretch = performance(rng, len(codes), 0.985, 1.02, 1.08)
    plan = planned(ctx.tl, np.nan_to_num(wide), GROWTH.get(kpi.id, DEFAULT_GROWTH)) * stretch[None, :]
    ooad_of = {r["cve_unidad"]: r["cve_ooad"] for r in unidades.catalog()}
    own = ooad_targets[ooad_targets["kpi"] == kpi.id].pivot(index="periodo", columns="ambito", values="valor")
    parts = []
    for i in reporting:
        peers = [j for j in reporting if ooad_of[codes[j]] == ooad_of[codes[i]]]
        share = plan[:, i] / np.maximum(plan[:, peers].sum(axis=1), 1)
        target = own[f"ooad:{ooad_of[codes[i]]}"].to_numpy() * share
        parts.append(_rows(ctx.tl, kpi.id, f"unidad:{codes[i]}", target))
    return parts


def generate(ctx: Context) -> pd.DataFrame:
    parts: list[pd.DataFrame] = [p for k in CATALOG if "umae" in k.niveles for p in _umae(ctx, k)]
    for kpi in CATALOG:
        if kpi.id in RATE_TARGETS:
            rate = np.full(len(ctx.tl), RATE_TARGETS[kpi.id])
            parts += [_rows(ctx.tl, kpi.id, amb, rate) for amb, _ in _scopes(ctx, kpi)]
        elif kpi.fuente == "acuerdos":
            continue
        elif kpi.agregacion == RATIO:
            parts += _ratio(ctx, kpi)
        elif "ooad" not in kpi.niveles:
            parts += _national(ctx, kpi)
        else:
            parts += _additive(ctx, kpi)
    frame = pd.concat(parts, ignore_index=True)
    offices = frame[frame["ambito"].str.startswith("ooad:")]
    units = [p for k in CATALOG if "unidad" in k.niveles for p in _units(ctx, k, offices)]
    return _to_year_end(ctx, pd.concat([frame, *units], ignore_index=True))


def _to_year_end(ctx: Context, metas: pd.DataFrame) -> pd.DataFrame:
    """A planner's targets cover the whole year: the months after the last one with data take
    the same month a year before, moved by how much that scope's target moved over the last year
    (its last month's target over the same month's a year before), so a level the targets reached
    during the year (e.g. a programme that tripled its insured) carries on to December; rates stay
    as they are. An OOAD's medical units move as their OOAD, and the regions and the nation of
    an additive KPI are again the sums of their OOAD, so the targets still add up."""
    last = pd.Timestamp(metas["periodo"].max())
    missing = 12 - last.month
    if missing == 0:
        return metas
    when = pd.to_datetime(metas["periodo"])
    ahead = metas[(when > last - pd.DateOffset(years=1)) & (when.dt.year < last.year)].copy()
    ahead["periodo"] = (pd.to_datetime(ahead["periodo"]) + pd.DateOffset(years=1)).to_numpy(
        dtype="datetime64[D]"
    )
    key = ["kpi", "ambito"]
    now = metas[when == last].set_index(key)["valor"]
    before = metas[when == last - pd.DateOffset(years=1)].set_index(key)["valor"]
    moved = (now / before.where(before != 0)).fillna(1.0).rename("moved")
    ooad_of = {f"unidad:{r['cve_unidad']}": f"ooad:{r['cve_ooad']}" for r in unidades.catalog()}
    ahead["scope"] = ahead["ambito"].map(ooad_of).fillna(ahead["ambito"])
    ahead = ahead.join(moved.rename_axis(["kpi", "scope"]), on=["kpi", "scope"])
    rates = set(RATE_TARGETS) | {k.id for k in CATALOG if k.agregacion == RATIO}
    ahead.loc[ahead["kpi"].isin(rates), "moved"] = 1.0
    ahead["valor"] = ahead["valor"] * ahead.pop("moved").fillna(1.0)
    additive = {k.id for k in CATALOG if k.id not in rates and k.fuente != "acuerdos" and "ooad" in k.niveles}
    region_of = dict(zip((f"ooad:{c}" for c in ctx.geo.codes), ctx.geo.region_of(), strict=True))
    offices = ahead[ahead["kpi"].isin(additive) & ahead["ambito"].str.startswith("ooad:")]
    sums = pd.concat(
        [
            offices.groupby(["kpi", "periodo"])["valor"]
            .sum()
            .rename("total")
            .reset_index()
            .assign(ambito="nacional"),
            offices.assign(ambito="region:" + offices["ambito"].map(region_of).astype(str))
            .groupby(["kpi", "periodo", "ambito"])["valor"]
            .sum()
            .rename("total")
            .reset_index(),
        ]
    )
    ahead = ahead.merge(sums, on=["kpi", "periodo", "ambito"], how="left")
    ahead["valor"] = ahead.pop("total").fillna(ahead["valor"])
    return pd.concat([metas, ahead.drop(columns="scope")], ignore_index=True)
