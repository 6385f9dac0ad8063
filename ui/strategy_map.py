"""The strategy map screen: PIIMSS objectives as status boxes, their KPIs (click to open) and projects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import strategy
from indicators.catalog import BY_ID
from indicators.periods import parse_period
from indicators.status import NO_TARGET, STATUS_ICON, STATUS_TONE
from ui import counts, data
from ui.cards import card_scope, status_text
from ui.filters import Filters
from ui.format import fmt_month, fmt_number
from ui.safe import plain

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
            # a list that wraps at any width: a table cut long names and hid columns on a phone
            st.markdown("\n".join(_project_line(p) for p in mine.to_dict("records")))


def _project_line(p: dict) -> str:
    """«- **6** · Intercambio de servicios… · Dirección de Prestaciones Médicas · avance 18 % (11/2026)»."""
    a, m = p["avance"], p["al"]
    progress = "sin reporte" if pd.isna(a) else f"{a:,.0f} %" + ("" if pd.isna(m) else f" ({m:%m/%Y})")
    return f"- **{int(p['numero'])}** · {plain(p['nombre'])} · {plain(p['direccion'])} · avance {progress}"


def period_words(periodo: str) -> str:
    """«octubre 2026» for a month, «2026» for a year: the period the map's statuses are for."""
    return periodo if len(periodo) == 4 else fmt_month(parse_period(periodo).start)


def render(filters: Filters, version: str) -> None:
    """Objectives one under another (a tree: objective → its indicators → its projects),
    coloured and labelled by their roll-up status."""
    links = strategy.links()
    statuses = kpi_statuses(filters, version)
    objectives = strategy.objective_status(links, statuses)
    projects = strategy.projects()
    st.caption(
        counts.objectives_by_status(
            objectives["estado"].value_counts().to_dict(),
            ("En meta", "En riesgo", "Fuera de meta", "Sin meta"),
        )
        + f" · {counts.projects(len(projects))}"
    )
    for _, objective in objectives.iterrows():
        mine = links[links["cve_objetivo"] == objective["cve_objetivo"]]
        _box(objective, mine, statuses, projects)
    st.caption(strategy.RULE)
