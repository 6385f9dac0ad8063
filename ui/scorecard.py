"""The executive scorecard's tables: status counts per rubric and where the institute is failing."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pyarrow as pa
import streamlit as st

from indicators.catalog import CATALOG, get
from indicators.definitions import RUBRICS
from indicators.engine import KpiValue
from indicators.status import AT_RISK, NO_DATA, OFF_TARGET, STATUS_ORDER
from ui import data
from ui.format import fmt_pct, fmt_status, fmt_value_meta


def status_counts(values: dict[str, KpiValue | None], rubrics: Iterable[str] | None = None) -> pa.Table:
    """KPIs per semáforo status for each rubric (all, or only `rubrics`).

    An Arrow table, which st.dataframe sends as it is: a pandas frame would be converted to Arrow
    on every run (5 % of Resumen's server time for five rows)."""
    rows = []
    for rubric, name in RUBRICS.items():
        if rubrics is not None and rubric not in rubrics:
            continue
        kpis = [k for k in CATALOG if k.rubro == rubric]
        statuses = [v.estado if (v := values.get(k.id)) else NO_DATA for k in kpis]
        rows.append({"Rubro": name, **{s: statuses.count(s) for s in STATUS_ORDER}, "Total": len(kpis)})
    return pa.Table.from_pylist(rows)


SHOWN = ["Indicador", "Nivel", "Ámbito", "Valor", "Meta", "Cumplimiento", "Estado"]
TARGET = ["rubro", "kpi", "region", "cve_ooad"]  # where a row leads: hidden, not exported
FAILING = (OFF_TARGET, AT_RISK)


def failing(periodo: str, ambito: str, version: str, limit: int = 15) -> pd.DataFrame:
    """Region/OOAD × KPI combinations off target, farthest from their meta first, with where each row leads."""
    return _failing(periodo, ambito, data.user_scope(), version, limit)


@st.cache_data(max_entries=500, show_spinner=False)
def _failing(periodo: str, ambito: str, within: str, version: str, limit: int) -> pd.DataFrame:
    # `within`, the viewer's scope, is read again by data.kpi_breakdown_rows: it is part of the key
    kpis = tuple(k.id for k in CATALOG if "ooad" in k.niveles and k.fuente != "acuerdos")
    found = []  # (kpi, nivel, clave, nombre, region, valor, meta, cumplimiento, estado)
    for nivel in ("region", "ooad"):
        scope = ambito if nivel == "ooad" or ambito == "nacional" else "nacional"
        label = "Región" if nivel == "region" else "OOAD"
        for kpi_id, rows in data.kpi_breakdown_rows(kpis, periodo, nivel, scope, version).items():
            kpi = get(kpi_id)
            found += [(kpi, label, *row) for row in rows if row[6] in FAILING]
    if not found:
        return pd.DataFrame(columns=[*SHOWN, *TARGET])
    missing = float("inf")  # an off-target row without cumplimiento goes last, as NaN does in pandas
    worst = sorted(found, key=lambda r: missing if pd.isna(r[7]) else r[7])[:limit]
    shown = [fmt_value_meta(r[0], r[5], r[6]) for r in worst]  # value and meta told apart, as on the cards
    return pd.DataFrame(
        {
            "Indicador": [r[0].nombre for r in worst],
            "Nivel": [r[1] for r in worst],
            "Ámbito": [r[3] for r in worst],
            "Valor": [value for value, _ in shown],
            "Meta": [meta for _, meta in shown],
            "Cumplimiento": [fmt_pct(r[7] * 100) for r in worst],
            "Estado": [fmt_status(r[8]) for r in worst],
            "rubro": [r[0].rubro for r in worst],
            "kpi": [r[0].id for r in worst],
            "region": [r[4] for r in worst],
            "cve_ooad": [r[2] if r[1] == "OOAD" else None for r in worst],
        }
    )
