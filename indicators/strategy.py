"""The strategy map: PIIMSS 2020-2024 objectives → KPIs (with weights and owners) → status roll-up.

Roll-up rule (also shown in each ficha): every KPI with a meta scores 1 «En meta», ½ «En riesgo»
and 0 «Fuera de meta»; the objective's score is the weighted mean of its KPIs' scores (KPIs
«Sin meta» are left out). Score ≥ 0.8: «En meta»; ≥ 0.5: «En riesgo»; below: «Fuera de meta»;
no KPI with a meta: «Sin meta».
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from indicators.status import AT_RISK, NO_TARGET, OFF_TARGET, ON_TARGET

Db = Path | str | None

SCORES = {ON_TARGET: 1.0, AT_RISK: 0.5, OFF_TARGET: 0.0}
ON_TARGET_FROM, AT_RISK_FROM = 0.8, 0.5
RULE = (
    "Estado del objetivo: cada indicador con meta vale 1 «En meta», ½ «En riesgo» y 0 «Fuera de meta»; "
    "el objetivo promedia esos valores con los pesos de sus indicadores, que suman 100 en cada objetivo"
    " (sin contar los «Sin meta»). "
    f"Promedio ≥ {ON_TARGET_FROM:.1f}: «En meta»; ≥ {AT_RISK_FROM:.1f}: «En riesgo»; menor: «Fuera de meta»."
)


def rollup(statuses: Mapping[str, str], weights: Mapping[str, float]) -> tuple[str, float | None]:
    """(status, score) of an objective from its KPIs' statuses and weights."""
    scored = [(SCORES[s], float(weights[k])) for k, s in statuses.items() if s in SCORES and k in weights]
    total = sum(w for _, w in scored)
    if not scored or total <= 0:
        return NO_TARGET, None
    score = sum(s * w for s, w in scored) / total
    if score >= ON_TARGET_FROM:
        return ON_TARGET, score
    if score >= AT_RISK_FROM:
        return AT_RISK, score
    return OFF_TARGET, score


def links(db: Db = None) -> pd.DataFrame:
    """Objectives with their KPIs: cve_objetivo, orden, nombre_corto, objetivo, kpi, peso, owner."""
    from warehouse import query_df

    return query_df(
        "SELECT o.cve_objetivo, o.orden, o.nombre_corto, o.nombre AS objetivo, i.kpi, i.peso, "
        "i.cve_direccion, d.nombre AS direccion, i.responsable FROM objetivos o "
        "LEFT JOIN indicadores_estrategia i USING (cve_objetivo) "
        "LEFT JOIN direcciones d ON d.cve_direccion = i.cve_direccion ORDER BY o.orden, i.peso DESC, i.kpi",
        path=db,
    )


def projects(db: Db = None) -> pd.DataFrame:
    """The strategic projects with their objective, owner directorate and latest progress: the
    last month uploaded as «avance_proyectos», else the catalog's value (None: no report)."""
    from warehouse import query_df

    return query_df(
        "WITH ultimo AS (SELECT cve_proyecto, arg_max(avance, periodo) AS avance, max(periodo) AS al "
        "FROM avance_proyectos GROUP BY ALL) "
        "SELECT p.numero, p.cve_proyecto, p.nombre, p.cve_objetivo, p.cve_direccion, d.nombre AS direccion, "
        "coalesce(u.avance, p.avance) AS avance, u.al FROM proyectos_estrategicos p "
        "LEFT JOIN direcciones d USING (cve_direccion) LEFT JOIN ultimo u USING (cve_proyecto) ORDER BY p.numero",
        path=db,
    )


def owner(kpi_id: str, db: Db = None) -> dict[str, object] | None:
    """The KPI's objective, weight and owner (directorate and person), or None when unmapped."""
    frame = links(db)
    row = frame[frame["kpi"] == kpi_id]
    return None if row.empty else row.iloc[0].to_dict()


def objective_status(frame: pd.DataFrame, statuses: Mapping[str, str]) -> pd.DataFrame:
    """One row per objective with its roll-up status and score, from the links and KPI statuses."""
    rows = []
    for (code, order, short, name), group in frame.groupby(
        ["cve_objetivo", "orden", "nombre_corto", "objetivo"], sort=True
    ):
        kpis = [k for k in group["kpi"] if isinstance(k, str)]
        weights = dict(zip(group["kpi"], group["peso"], strict=True))
        status, score = rollup({k: statuses.get(k, NO_TARGET) for k in kpis}, weights)
        rows.append((code, order, short, name, status, score, len(kpis)))
    return pd.DataFrame(
        rows,
        columns=["cve_objetivo", "orden", "nombre_corto", "objetivo", "estado", "puntaje", "indicadores"],
    ).sort_values("orden", ignore_index=True)


__all__ = ["RULE", "SCORES", "links", "objective_status", "owner", "projects", "rollup"]
