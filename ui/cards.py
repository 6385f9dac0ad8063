"""KPI cards: value, delta against the chosen comparison, sparkline and a semáforo in words."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from indicators import commentary
from indicators.catalog import get
from indicators.definitions import ANNUAL, MONTHLY, Kpi
from indicators.engine import KpiValue
from indicators.forecast import Projection, projectable
from indicators.periodicity import period_name, period_short, points_noun
from indicators.periods import add_months, parse_period
from indicators.status import (
    META,
    NO_TARGET,
    PERIOD_BEFORE,
    STATUS_ICON,
    STATUS_TONE,
    YEAR_BEFORE,
    Difference,
    difference,
    limits,
    rule,
    status_reason,
)
from ui import data, sparkline
from ui.card_html import Card, grid_html
from ui.filters import Filters, scope_label
from ui.forecast_view import card_line, pace_line
from ui.format import fmt_difference, fmt_value, fmt_value_meta, value_formatter


def status_text(estado: str) -> str:
    """The semáforo as icon and word, readable without colour."""
    icon = STATUS_ICON.get(estado, STATUS_ICON[NO_TARGET])
    return f":{STATUS_TONE.get(estado, 'gray')}-badge[{icon} {estado}]"


def period_shown(kpi: Kpi, v: KpiValue) -> str:
    """The period a card's value comes from, in the KPI's own terms: «octubre 2026», «enero a
    octubre 2026», «Encuesta 2026» (an annual survey, under any month chosen)."""
    if not v.desde or not v.hasta:
        return v.periodo
    return period_name(kpi, v.desde, v.hasta)


def data_line(kpi: Kpi, v: KpiValue) -> str:
    """«Datos de octubre 2026», «Datos: Encuesta 2026»."""
    shown = period_shown(kpi, v)
    return f"Datos de {shown}" if kpi.frecuencia == MONTHLY else f"Datos: {shown}"


def _before(kpi: Kpi, v: KpiValue, comparison: str) -> str:
    """The period a card compares with: the month or year before, in the KPI's own terms."""
    assert v.desde and v.hasta
    start, end = parse_period(v.desde).start, parse_period(v.hasta).start
    monthly_period = parse_period(v.periodo).kind == "mes" and kpi.frecuencia == MONTHLY
    back = -1 if comparison == PERIOD_BEFORE and monthly_period else -12
    return period_short(kpi, f"{add_months(start, back):%Y-%m}", f"{add_months(end, back):%Y-%m}")


def comparison_label(kpi: Kpi, v: KpiValue, comparison: str) -> str:
    """What the card compares: «oct 2026 vs meta», «ene–oct 2026 vs ene–oct 2025», «Encuesta 2026
    vs Encuesta 2025»."""
    if not v.desde or not v.hasta:
        return f"{v.periodo} vs meta" if comparison == META else v.periodo
    shown = period_short(kpi, v.desde, v.hasta)
    if comparison == META:
        return f"{shown} vs meta"
    return f"{shown} vs {_before(kpi, v, comparison)}"


def delta_for(kpi: Kpi, v: KpiValue, comparison: str) -> Difference | None:
    """The difference against meta, the period before or the year before, as the status language
    reads it: coloured by the status (the value against its meta), with «mejor»/«peor» by sentido."""
    reference = {
        META: v.meta,
        YEAR_BEFORE: v.valor_anio_anterior,
        PERIOD_BEFORE: v.valor_periodo_anterior,
    }[comparison]
    return difference(kpi, v.valor, reference, comparison, v.meta)


def delta_words(kpi: Kpi, v: KpiValue, comparison: str, delta: Difference | None) -> str | None:
    """What the chip compares, and against an earlier period whether that is better or worse:
    «oct 2026 vs meta», «oct 2026 vs oct 2025 · peor»."""
    if delta is None:
        return None
    label = comparison_label(kpi, v, comparison)
    return f"{label} · {delta.verdict}" if delta.verdict else label


def status_help(kpi: Kpi, valor: float | None, meta: float | None) -> str:
    """The «?» beside the semáforo: why this status, with the value where it changes, and the rule
    in one sentence («86.5 % ≥ 86.2 % (98 % de la meta 88.0 %). En meta si alcanza …»)."""
    fmt = value_formatter(kpi, valor, meta, *(limits(kpi, meta) or ()))
    return f"{status_reason(kpi, valor, meta, fmt)} {rule(kpi, meta, fmt)}"


_LEVEL_WORDS = {
    "region": "región",
    "entidad": "entidad federativa",
    "ooad": "OOAD",
    "unidad": "unidad médica",
}


def card_scope(kpi: Kpi, ambito: str, umae: str | None = None, unidad: str | None = None) -> str | None:
    """The scope a KPI's card reads under the filter.

    KPIs measured only nationally keep the national figure under any filter; a KPI measured below
    the nation but not at the filter's level (agreements by state) has no figure there: None. With
    a UMAE chosen, hospital KPIs show that UMAE and the others its OOAD. With a medical unit
    chosen, the KPIs measured by unit show it and the others have no figure (as for a state).
    """
    if unidad:
        ambito = f"unidad:{unidad}"
    if umae and "umae" in kpi.niveles:
        return f"umae:{umae}"
    return kpi.shown_at(ambito)


def unavailable_here(kpi: Kpi, ambito: str) -> str:
    """Why a KPI has no figure at the filter's level, in the engine's words."""
    levels = " y ".join(_LEVEL_WORDS[n] for n in kpi.niveles if n in _LEVEL_WORDS)
    level = _LEVEL_WORDS.get(ambito.split(":")[0], ambito)
    return f"No disponible a este nivel: este indicador se mide por {levels}, no por {level}."


def scorecard_values(
    kpis: Sequence[Kpi], filters: Filters, version: str
) -> tuple[dict[str, KpiValue | None], dict[str, list[float]]]:
    """Values and 13-month sparklines of several KPIs, one batch per scope (cached per data version)."""
    ids = tuple(k.id for k in kpis)
    return _scorecard(
        ids, filters.periodo, filters.ambito, filters.umae, filters.unidad, data.user_scope(), version
    )


@st.cache_data(max_entries=500, show_spinner=False)
def _scorecard(
    ids: tuple[str, ...],
    periodo: str,
    ambito: str,
    umae: str | None,
    unidad: str | None,
    within: str,  # the viewer's scope: data.kpi_values reads it, so it is part of the key
    version: str,
) -> tuple[dict[str, KpiValue | None], dict[str, list[float]]]:
    values: dict[str, KpiValue | None] = {}
    sparks: dict[str, list[float]] = {}
    end = parse_period(periodo).end
    by_scope: dict[str, list[Kpi]] = {}
    for kpi in map(get, ids):
        scope = card_scope(kpi, ambito, umae, unidad)
        if scope is not None:
            by_scope.setdefault(scope, []).append(kpi)
    for scope, group_kpis in by_scope.items():
        values |= data.kpi_values(tuple(k.id for k in group_kpis), periodo, scope, version)
        monthly = tuple(k.id for k in group_kpis if k.frecuencia != ANNUAL)
        yearly = tuple(k.id for k in group_kpis if k.frecuencia == ANNUAL)  # six surveys, not 13 months
        for group, months in ((monthly, 12), (yearly, 72)):
            if group:
                sparks |= data.kpi_sparklines(group, add_months(end, -months), end, scope, version)
    return values, sparks


def kpi_card(
    kpi: Kpi,
    v: KpiValue | None,
    sparkline_points: list[float],
    filters: Filters,
    projection: Projection | None = None,
    note: dict[str, object] | None = None,
) -> Card:
    """What the KPI's card shows under the filters (and its year-end projection, if given)."""
    if card_scope(kpi, filters.ambito, filters.umae, filters.unidad) is None:
        where = f"unidad:{filters.unidad}" if filters.unidad else filters.ambito
        return Card(kpi.nombre, ayuda=kpi.definicion, nota=unavailable_here(kpi, where))
    if v is None:
        return Card(kpi.nombre, ayuda=kpi.definicion, nota="Sin datos para este periodo")
    if v.valor is None:
        return Card(kpi.nombre, ayuda=kpi.definicion, nota=v.nota or f"Sin dato para {period_shown(kpi, v)}")
    delta = delta_for(kpi, v, filters.comparacion)
    valor, meta = fmt_value_meta(kpi, v.valor, v.meta)
    wanted = (
        f"umae:{filters.umae}"
        if filters.umae
        else (f"unidad:{filters.unidad}" if filters.unidad else filters.ambito)
    )
    shown = (
        filters.ooad_nombre if v.ambito == filters.ambito and filters.ooad_nombre else scope_label(v.ambito)
    )
    scope_note = "" if v.ambito == wanted else f" · {shown}"
    partial = f" · {v.cobertura}" if v.cobertura else ""
    return Card(
        kpi.nombre,
        valor=valor,
        ayuda=f"{kpi.definicion} Meta: {meta}.",
        comparacion=delta_words(kpi, v, filters.comparacion, delta),
        tendencia=sparkline.data_url(sparkline_points) or "",
        tendencia_texto=trend_words(kpi, sparkline_points),
        estado=v.estado,
        estado_razon=status_help(kpi, v.valor, v.meta),
        meta=f"Meta: {meta}{scope_note}",
        datos=f"{data_line(kpi, v)}{partial}",
        proyeccion=card_line(projection) if projection is not None else "",
        proyeccion_detalle=pace_line(kpi, projection) if projection is not None else "",
        comentario=note,
        delta=fmt_difference(delta),
        tono=delta.tone if delta else "gray",  # the status's colour, whatever the comparison
        flecha=delta.arrow if delta else "off",
    )


def trend_words(kpi: Kpi, points: Sequence[float | None]) -> str:
    """What the card's trend line says, for a screen reader: «Tendencia de 13 meses: de 7.4 M a 7.9 M»."""
    shown = [p for p in points if p is not None]
    if len(shown) < 2:
        return ""
    return f"Tendencia de {points_noun(kpi, len(shown))}: de {fmt_value(kpi, shown[0])} a {fmt_value(kpi, shown[-1])}"


def card_grid(
    kpis: Sequence[Kpi],
    filters: Filters,
    version: str,
    columns: int = 4,
    computed: tuple[dict[str, KpiValue | None], dict[str, list[float]]] | None = None,
    projections: bool = False,
    notes: dict[str, dict[str, object]] | None = None,
) -> dict[str, KpiValue | None]:
    """The cards of several KPIs in a grid (values and owners' notes read here unless given);
    returns the values.

    With `projections`, monthly flows and stocks also show their year-end projection.
    """
    values, sparks = computed or scorecard_values(kpis, filters, version)
    if sum(k.formato == "mdp" for k in kpis) > 1:
        columns = min(columns, 3)  # "$469,292 MDP" needs a wider card than four to a row
    notes = card_notes(kpis, filters) if notes is None else notes
    cards = []
    for kpi in kpis:
        scope = card_scope(kpi, filters.ambito, filters.umae, filters.unidad)
        projection = (
            data.kpi_year_end(kpi.id, filters.periodo, scope, version)
            if projections and scope and projectable(kpi) and values.get(kpi.id) is not None
            else None
        )
        cards.append(
            kpi_card(kpi, values.get(kpi.id), sparks.get(kpi.id, []), filters, projection, notes.get(kpi.id))
        )
    st.html(grid_html(cards, columns))
    return {k.id: values.get(k.id) for k in kpis}


def card_notes(kpis: Sequence[Kpi], filters: Filters) -> dict[str, dict[str, object]]:
    """The owners' current commentaries on these KPIs for the period, each at its card's scope
    (one query; not cached: a commentary shows at the next interaction)."""
    at: dict[str, str] = {}
    for kpi in kpis:
        scope = card_scope(kpi, filters.ambito, filters.umae, filters.unidad)
        if scope is not None:
            at[kpi.id] = scope
    return commentary.latest_at(at, filters.periodo)


__all__ = [
    "card_grid",
    "card_notes",
    "card_scope",
    "comparison_label",
    "data_line",
    "delta_for",
    "delta_words",
    "kpi_card",
    "period_shown",
    "scorecard_values",
    "status_help",
    "status_text",
    "unavailable_here",
]
