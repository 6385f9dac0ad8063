"""Engine calls cached by (arguments, data version): an upload shows everywhere at once.

Every function takes `version` (warehouse file and latest load id) only to key the cache;
callers pass `current_version()`. Scope arguments (ambito, direccion) are part of every key.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from indicators import engine
from indicators.engine import KpiValue


def current_version() -> str:
    """The cache key of the data now: warehouse file and latest load id (one indexed max)."""
    return engine.cache_key()


@st.cache_data(max_entries=5000, show_spinner=False)
def kpi_value(
    kpi_id: str, periodo: str, ambito: str, version: str, direccion: str | None = None
) -> KpiValue | None:
    try:
        return engine.value(kpi_id, periodo, ambito, direccion=direccion)
    except engine.InvalidArgumentError:
        return None


@st.cache_data(max_entries=2000, show_spinner=False)
def kpi_series(kpi_id: str, desde: date, hasta: date, ambito: str, version: str) -> pd.DataFrame:
    try:
        return engine.series(kpi_id, desde, hasta, ambito)
    except engine.InvalidArgumentError:
        return pd.DataFrame(columns=["periodo", "valor", "meta"])


@st.cache_data(max_entries=2000, show_spinner=False)
def kpi_breakdown(kpi_id: str, periodo: str, nivel: str, ambito: str, version: str) -> pd.DataFrame:
    try:
        return engine.breakdown(kpi_id, periodo, nivel, ambito)
    except engine.InvalidArgumentError:
        return pd.DataFrame(columns=["clave", "nombre", "region", "valor", "meta", "cumplimiento", "estado"])


@st.cache_data(max_entries=50, show_spinner=False)
def catalogs(version: str) -> dict[str, pd.DataFrame]:
    """Regions, OOAD and states for filters and maps."""
    return engine.catalogs()


@st.cache_data(max_entries=50, show_spinner=False)
def data_facts(version: str) -> dict[str, object]:
    """Latest complete month, available months and whether demo data is loaded."""
    return engine.data_facts()
