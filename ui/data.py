"""Engine calls cached by (arguments, data version): an upload shows everywhere at once.

Every function takes `version` (warehouse file and latest load id) only to key the cache;
callers pass `current_version()`. Scope arguments (ambito, direccion) are part of every key,
and so is the signed-in user's own scope (`within`): the engine cuts every request to it, so
no URL, widget or page can widen what a scoped user sees. KPI lists are tuples so they hash.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from indicators import engine, forecast, gap, provenance, results
from indicators.engine import KpiValue
from indicators.forecast import Projection
from ui.session import current_user


def current_version() -> str:
    """The cache key of the data now: warehouse file and latest load id (one indexed max)."""
    return engine.cache_key()


def user_scope() -> str:
    """The signed-in user's ámbito (nacional without a user: pages refuse those anyway)."""
    user = current_user()
    return user.ambito if user else "nacional"


def load_id(version: str) -> int | None:
    """The latest load id inside a `current_version()` key (None: a caller's own key)."""
    parts = version.rsplit("#", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def _results(version: str) -> results.Results | None:
    """The KPI results of this data version (indicators/results.py), shared by every session."""
    load = load_id(version)
    return None if load is None else results.current(version=load)  # else the engine answers


@st.cache_data(max_entries=500, show_spinner=False)
def _bounded(kpi_ids: tuple[str, ...], ambito: str, within: str, version: str) -> str | None:
    """engine.bounded_scope's code (None: refused); catalogs change only with the data version."""
    try:
        return engine.bounded_scope(kpi_ids, ambito, within).code
    except engine.InvalidArgumentError:
        return None


@st.cache_data(max_entries=500, show_spinner=False)
def _within(ambito: str, within: str, version: str) -> str | None:
    """The known scope `ambito` cut to the user's scope (None: refused), per data version."""
    try:
        return engine.intersect(within, engine.known_scope(ambito)).code
    except engine.InvalidArgumentError:
        return None


@st.cache_data(max_entries=500, show_spinner=False)
def _kpi_values(
    kpi_ids: tuple[str, ...], periodo: str, ambito: str, within: str, version: str
) -> dict[str, KpiValue | None]:
    try:
        return engine.values(kpi_ids, periodo, ambito, within=within)
    except engine.InvalidArgumentError:
        return dict.fromkeys(kpi_ids)


def kpi_values(
    kpi_ids: tuple[str, ...], periodo: str, ambito: str, version: str
) -> dict[str, KpiValue | None]:
    within = user_scope()
    table = _results(version)
    if table is not None and table.covers(kpi_ids):
        scope = _bounded(kpi_ids, ambito, within, version)  # the engine's scope check and cut
        if scope is None:
            return dict.fromkeys(kpi_ids)
        found = table.values(kpi_ids, periodo, scope)
        if found is not None:
            return found
    return _kpi_values(kpi_ids, periodo, ambito, within, version)


def kpi_value(kpi_id: str, periodo: str, ambito: str, version: str) -> KpiValue | None:
    return kpi_values((kpi_id,), periodo, ambito, version)[kpi_id]


@st.cache_data(max_entries=500, show_spinner=False)
def _kpi_series_many(
    kpi_ids: tuple[str, ...], desde: date, hasta: date, ambito: str, within: str, version: str
) -> dict[str, pd.DataFrame]:
    try:
        return engine.series_many(kpi_ids, desde, hasta, ambito, within=within)
    except engine.InvalidArgumentError:
        return {k: pd.DataFrame(columns=["periodo", "valor", "meta"]) for k in kpi_ids}


def kpi_series_many(
    kpi_ids: tuple[str, ...], desde: date, hasta: date, ambito: str, version: str
) -> dict[str, pd.DataFrame]:
    return _kpi_series_many(kpi_ids, desde, hasta, ambito, user_scope(), version)


def kpi_sparklines(
    kpi_ids: tuple[str, ...], desde: date, hasta: date, ambito: str, version: str
) -> dict[str, list[float]]:
    """The values of kpi_series_many without metas (a card's sparkline), from the results table."""
    within = user_scope()
    table = _results(version)
    if table is not None and table.covers(kpi_ids):
        scope = _bounded(kpi_ids, ambito, within, version)
        if scope is None:
            return {k: [] for k in kpi_ids}
        found = table.sparklines(kpi_ids, desde, hasta, scope)
        if found is not None:
            return found
    frames = _kpi_series_many(kpi_ids, desde, hasta, ambito, within, version)
    return {k: [float(x) for x in f["valor"]] for k, f in frames.items()}


def kpi_series(kpi_id: str, desde: date, hasta: date, ambito: str, version: str) -> pd.DataFrame:
    return kpi_series_many((kpi_id,), desde, hasta, ambito, version)[kpi_id]


@st.cache_data(max_entries=500, show_spinner=False)
def _kpi_breakdowns(
    kpi_ids: tuple[str, ...], periodo: str, nivel: str, ambito: str, within: str, version: str
) -> dict[str, pd.DataFrame]:
    try:
        return engine.breakdowns(kpi_ids, periodo, nivel, ambito, within=within)
    except engine.InvalidArgumentError:
        return {k: pd.DataFrame(columns=engine.BREAKDOWN_COLUMNS) for k in kpi_ids}


def kpi_breakdowns(
    kpi_ids: tuple[str, ...], periodo: str, nivel: str, ambito: str, version: str
) -> dict[str, pd.DataFrame]:
    within = user_scope()
    found = _held_breakdown_rows(kpi_ids, periodo, nivel, ambito, within, version)
    if found is not None:
        return {k: results.breakdown_frame(rows) for k, rows in found.items()}
    return _kpi_breakdowns(kpi_ids, periodo, nivel, ambito, within, version)


def kpi_breakdown_rows(
    kpi_ids: tuple[str, ...], periodo: str, nivel: str, ambito: str, version: str
) -> dict[str, list[tuple]]:
    """kpi_breakdowns as row tuples (BREAKDOWN_COLUMNS, best first): no DataFrame for a caller that filters."""
    within = user_scope()
    found = _held_breakdown_rows(kpi_ids, periodo, nivel, ambito, within, version)
    if found is not None:
        return found
    frames = _kpi_breakdowns(kpi_ids, periodo, nivel, ambito, within, version)
    return {
        k: list(f[engine.BREAKDOWN_COLUMNS].itertuples(index=False, name=None)) for k, f in frames.items()
    }


def _held_breakdown_rows(
    kpi_ids: tuple[str, ...], periodo: str, nivel: str, ambito: str, within: str, version: str
) -> dict[str, list[tuple]] | None:
    """The breakdown rows from the results table; None when it does not hold them (the engine answers)."""
    table = _results(version)
    if table is None or not table.covers(kpi_ids):
        return None
    scope = _within(ambito, within, version)
    if scope is None:
        return {k: [] for k in kpi_ids}
    return table.breakdown_rows(kpi_ids, periodo, nivel, scope)


def kpi_breakdown(kpi_id: str, periodo: str, nivel: str, ambito: str, version: str) -> pd.DataFrame:
    return kpi_breakdowns((kpi_id,), periodo, nivel, ambito, version)[kpi_id]


@st.cache_resource(max_entries=500, show_spinner=False)  # shared, not copied: readers never change it
def _kpi_year_end(kpi_id: str, periodo: str, ambito: str, within: str, version: str) -> Projection | None:
    try:
        scope = engine.intersect(within, ambito).code
        return forecast.year_end(kpi_id, periodo, scope, table=_results(version))
    except engine.InvalidArgumentError:
        return None


def kpi_year_end(kpi_id: str, periodo: str, ambito: str, version: str) -> Projection | None:
    """The year-end projection of a KPI as of the period, or why it cannot be trusted (None when it
    does not apply)."""
    return _kpi_year_end(kpi_id, periodo, ambito, user_scope(), version)


@st.cache_data(max_entries=500, show_spinner=False)
def _kpi_gap(kpi_id: str, periodo: str, nivel: str, ambito: str, within: str, version: str) -> tuple | None:
    try:
        return gap.decompose(kpi_id, periodo, nivel, engine.intersect(within, ambito).code)
    except engine.InvalidArgumentError:
        return None


def kpi_gap(kpi_id: str, periodo: str, nivel: str, ambito: str, version: str) -> tuple | None:
    """(valor, meta, contributions) of the KPI's gap split by region or OOAD (None without meta)."""
    return _kpi_gap(kpi_id, periodo, nivel, ambito, user_scope(), version)


@st.cache_data(max_entries=50, show_spinner=False)
def catalogs(version: str) -> dict[str, pd.DataFrame]:
    """Regions, OOAD and states for filters and maps."""
    return engine.catalogs()


@st.cache_data(max_entries=500, show_spinner=False)
def kpi_sources(kpi_ids: tuple[str, ...], periodo: str, version: str) -> str:
    """The loads (file, user, time) that feed the KPIs' numbers for the period, in one line."""
    try:
        return provenance.sources_text(provenance.sources(kpi_ids, periodo))
    except engine.InvalidArgumentError:
        return "ninguna carga"


@st.cache_data(max_entries=50, show_spinner=False)
def data_origins(version: str) -> dict[str, str]:
    """Per dataset: «demostración», «real» or «mezcla», from what is loaded."""
    return provenance.origins()


@st.cache_data(max_entries=50, show_spinner=False)
def data_facts(version: str) -> engine.DataFacts:
    """Latest complete month, available months and whether demo data is loaded."""
    return engine.data_facts()
