"""The executive scorecard's tables: status counts per rubric and where the institute is failing."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from indicators.catalog import CATALOG, get
from indicators.definitions import RUBRICS
from indicators.engine import KpiValue
from indicators.status import NO_DATA, STATUS_ORDER
from ui import data
from ui.format import fmt_pct, fmt_status, fmt_value


def status_counts(values: dict[str, KpiValue | None], rubrics: Iterable[str] | None = None) -> pd.DataFrame:
    """KPIs per semáforo status for each rubric (all, or only `rubrics`)."""
    rows = []
    for rubric, name in RUBRICS.items():
        if rubrics is not None and rubric not in rubrics:
            continue
        kpis = [k for k in CATALOG if k.rubro == rubric]
        statuses = [v.estado if (v := values.get(k.id)) else NO_DATA for k in kpis]
        rows.append({"Rubro": name, **{s: statuses.count(s) for s in STATUS_ORDER}, "Total": len(kpis)})
    return pd.DataFrame(rows)


SHOWN = ["Indicador", "Nivel", "Ámbito", "Valor", "Meta", "Cumplimiento", "Estado"]
TARGET = ["rubro", "kpi", "region", "cve_ooad"]  # where a row leads: hidden, not exported


def failing(periodo: str, ambito: str, version: str, limit: int = 15) -> pd.DataFrame:
    """Region/OOAD × KPI combinations off target, farthest from their meta first, with where each row leads."""
    kpis = tuple(k.id for k in CATALOG if "ooad" in k.niveles and k.fuente != "acuerdos")
    frames = []
    for nivel in ("region", "ooad"):
        scope = ambito if nivel == "ooad" or ambito == "nacional" else "nacional"
        for kpi_id, frame in data.kpi_breakdowns(kpis, periodo, nivel, scope, version).items():
            frame = frame[frame["estado"].isin(["Fuera de meta", "En riesgo"])]
            if not frame.empty:
                frames.append(frame.assign(kpi=get(kpi_id), nivel="Región" if nivel == "region" else "OOAD"))
    if not frames:
        return pd.DataFrame(columns=[*SHOWN, *TARGET])
    allrows = pd.concat(frames, ignore_index=True).sort_values("cumplimiento").head(limit)
    return pd.DataFrame(
        {
            "Indicador": [k.nombre for k in allrows["kpi"]],
            "Nivel": allrows["nivel"],
            "Ámbito": allrows["nombre"],
            "Valor": [fmt_value(k, v) for k, v in zip(allrows["kpi"], allrows["valor"], strict=True)],
            "Meta": [fmt_value(k, v) for k, v in zip(allrows["kpi"], allrows["meta"], strict=True)],
            "Cumplimiento": [fmt_pct(c * 100) for c in allrows["cumplimiento"]],
            "Estado": [fmt_status(e) for e in allrows["estado"]],
            "rubro": [k.rubro for k in allrows["kpi"]],
            "kpi": [k.id for k in allrows["kpi"]],
            "region": allrows["region"],
            "cve_ooad": [
                c if n == "OOAD" else None for c, n in zip(allrows["clave"], allrows["nivel"], strict=True)
            ],
        }
    ).reset_index(drop=True)
