"""The strategy map screen: PIIMSS objectives as status boxes, their KPIs (click to open) and projects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import strategy
from indicators.catalog import BY_ID
from indicators.status import NO_TARGET, STATUS_ICON, STATUS_TONE
from ui import data
from ui.cards import card_scope, status_text
from ui.filters import Filters
from ui.format import fmt_number
from ui.safe import plain

PER_ROW = 3
UNAVAILABLE = "No disponible a este nivel"


def kpi_statuses(filters: Filters, version: str) -> dict[str, str]:
    """Every catalog KPI's status for the period, each at the scope it is measured in."""
    by_scope: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for kpi in BY_ID.values():
        scope = card_scope(kpi, filters.ambito)
        if scope is None:  # no figure at this level: said so, and left out of the roll-up
            out[kpi.id] = UNAVAILABLE
        else:
            by_scope.setdefault(scope, []).append(kpi.id)
    for scope, ids in by_scope.items():
        for kpi_id, v in data.kpi_values(tuple(ids), filters.periodo, scope, version).items():
            if v is not None:
                out[kpi_id] = v.estado
    return out


def open_kpi(kpi_id: str) -> None:
    """Go to the KPI's rubric page with the KPI chosen for analysis (its selector is bound to the URL by label)."""
    kpi = BY_ID[kpi_id]
    params = st.query_params.to_dict()  # keep the global filters
    if kpi.rubro == "acuerdos":
        st.switch_page("pages/acuerdos.py", query_params=params)
    st.switch_page(f"pages/{kpi.rubro}.py", query_params=params | {f"kpi_{kpi.rubro}": kpi.nombre})


def _box(objective: pd.Series, links: pd.DataFrame, statuses: dict[str, str], projects: pd.DataFrame) -> None:
    color = STATUS_TONE.get(objective["estado"], STATUS_TONE[NO_TARGET])
    with st.container(border=True, key=f"objetivo_{objective['cve_objetivo']}"):
        title = f"{plain(objective['cve_objetivo'])} · {plain(objective['nombre_corto'])}"
        st.markdown(f":{color}-background[**{title}**]")
        score = "" if pd.isna(objective["puntaje"]) else f" · puntaje {objective['puntaje']:.2f}"
        st.markdown(f"{status_text(objective['estado'])}{score}", help=plain(objective["objetivo"]))
        for row in links.itertuples():
            if not isinstance(row.kpi, str) or row.kpi not in BY_ID:
                continue
            estado = statuses.get(row.kpi, NO_TARGET)
            icon = STATUS_ICON.get(estado, STATUS_ICON[NO_TARGET])
            label = f"{BY_ID[row.kpi].nombre} · {estado} · peso {fmt_number(row.peso)}"
            if st.button(
                label,
                icon=icon,
                key=f"mapa_{row.kpi}",
                type="tertiary",
                help=f"Responsable: {plain(row.responsable)} ({plain(row.cve_direccion)})",
            ):
                open_kpi(row.kpi)
        mine = projects[projects["cve_objetivo"] == objective["cve_objetivo"]]
        with st.expander(f"Proyectos estratégicos ({len(mine)})"):
            st.dataframe(
                pd.DataFrame(
                    {
                        "Núm.": mine["numero"],
                        "Proyecto": mine["nombre"],
                        "Responsable": mine["direccion"],
                        "Avance": [
                            "sin reporte"
                            if pd.isna(a)
                            else f"{a:,.0f} %" + ("" if pd.isna(m) else f" ({m:%m/%Y})")
                            for a, m in zip(mine["avance"], mine["al"], strict=True)
                        ],
                    }
                ),
                hide_index=True,
            )


def render(filters: Filters, version: str) -> None:
    """Objectives in rows of three, coloured and labelled by their roll-up status."""
    links = strategy.links()
    statuses = kpi_statuses(filters, version)
    objectives = strategy.objective_status(links, statuses)
    projects = strategy.projects()
    counts = objectives["estado"].value_counts()
    st.caption(
        " · ".join(
            f"{s}: {int(counts.get(s, 0))}" for s in ("En meta", "En riesgo", "Fuera de meta", "Sin meta")
        )
        + f" objetivos · {len(projects)} proyectos estratégicos"
    )
    for start in range(0, len(objectives), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, (_, objective) in zip(
            cols, objectives.iloc[start : start + PER_ROW].iterrows(), strict=False
        ):
            with col:
                mine = links[links["cve_objetivo"] == objective["cve_objetivo"]]
                _box(objective, mine, statuses, projects)
    st.caption(strategy.RULE)
