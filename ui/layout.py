"""Pieces every KPI screen shares: filters in the sidebar, breadcrumb, export buttons."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from indicators.catalog import get
from indicators.periods import parse_period
from ui import data, filters
from ui import export as ui_export
from ui.filters import PENDING, SCROLL_TOP, Filters, request_drilldown
from ui.safe import plain
from ui.session import current_user


@st.cache_resource(max_entries=4, show_spinner=False)
def _places(version: str) -> filters.Places:
    """What the filters offer at this data version (immutable, so one copy serves every session)."""
    return filters.places_of(data.catalogs(version))


def page_filters(needs_kpi_data: bool = True) -> tuple[Filters, str, str]:
    """Draw the global filters for this screen; return them, the data version and the user's scope.

    A KPI screen stops with a notice on a warehouse without monthly data; other screens
    (agreements, export) go on with the current month as the period.
    """
    version = data.current_version()
    facts = data.data_facts(version)
    if not facts["months"] and needs_kpi_data:
        st.info("El almacén todavía no tiene datos. Cárguelos en «Cargar datos».", icon=":material/database:")
        st.stop()
    user = current_user()
    user_scope = user.ambito if user else "nacional"
    chosen = filters.render(
        facts["months"], _places(version), user_scope, facts.get("partial"), facts["latest"]
    )
    for notice in st.session_state.pop("_avisos_filtros", []):
        st.warning(notice, icon=":material/link_off:")
    return chosen, version, user_scope


def partial_note(periodo: str, version: str) -> str | None:
    """«parcial: 3 de 35 OOAD» when the chosen month (or a year's last month) is not complete."""
    partial = data.data_facts(version).get("partial") or {}
    return next((text for month, text in partial.items() if f"{month:%Y-%m}".startswith(periodo)), None)


def breadcrumb(current: Filters) -> None:
    """Nacional › Región › Entidad › OOAD › UMAE or unit; each step above the current one goes back up (never above the user's scope)."""
    user = current_user()
    level = (user.ambito if user else "nacional").partition(":")[0]
    # (label, region, ooad, entidad) of each step
    steps: list[tuple[str, str | None, str | None, str | None]] = [("Nacional", None, None, None)]
    if current.region:
        steps.append((current.region, current.region, None, None))
    if current.entidad:
        steps.append((current.entidad_nombre or current.entidad, current.region, None, current.entidad))
    if current.ooad:
        steps.append((current.ooad_nombre or current.ooad, current.region, current.ooad, current.entidad))
    if level == "ooad":
        steps = steps[-1:]
    elif level == "region":
        steps = steps[1:] or steps[-1:]
    if current.umae:
        steps.append((current.umae_nombre or current.umae, current.region, current.ooad, current.entidad))
    if current.unidad:
        steps.append((current.unidad_nombre or current.unidad, current.region, current.ooad, current.entidad))
    # one line of text that wraps like a sentence, not columns with gaps
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key="miga"):
        for i, (label, region, ooad, state) in enumerate(steps):
            if i == len(steps) - 1:
                st.markdown(f"**{plain(label)}**", width="content")
            elif st.button(f"{plain(label)} ›", key=f"miga_{i}", type="tertiary"):
                request_drilldown(region, ooad, state)
    scroll_to_top()


def scroll_to_top() -> None:
    """After a drill (`request_drilldown`) the page's top, with the changed figures, comes into view:
    a marker es.js watches for (the CSP allows no inline script)."""
    drill = st.session_state.pop(SCROLL_TOP, None)
    if drill is not None:
        st.html(f'<div data-cmi-scroll-top="{int(drill)}" hidden></div>', width="content")


PENDING_KPI = "_indicador_pendiente"


def open_kpi(rubric: str, kpi_id: str, region: str | None, ooad: str | None) -> None:
    """Open a KPI on its rubric page at a region or OOAD (code), keeping period and comparison.

    The filters and `kpi_<rubric>` are widgets bound to the address, so the page opened writes
    the whole view into its URL (shareable); bound parameters cannot be set directly, hence
    the widgets' state is set and the sidebar applies the drill-down before it is drawn.
    """
    st.session_state[PENDING] = {"region": region, "ooad": ooad}
    st.session_state[PENDING_KPI] = kpi_id
    # the KPI selector (bound, with format_func) reads its option's label from the address
    st.switch_page(f"pages/{rubric}.py", query_params={f"kpi_{rubric}": get(kpi_id).nombre})


def export_buttons(
    frame: pd.DataFrame,
    name: str,
    current: Filters,
    extra: dict[str, str] | None = None,
    version: str | None = None,
    columns: Sequence[str] | None = None,
) -> None:
    """Download buttons for the rows behind a table (CSV, Excel, Parquet); `extra` joins the header.

    `version` (the page's `current_version()`) saves asking the warehouse for it again; `columns`,
    the ones on screen, are taken from `frame` only when a file is built."""
    load = None if version is None else data.load_id(version)
    ui_export.export_buttons(
        frame, name, current.as_dict() | (extra or {}), data_version=load, columns=columns
    )


def scope_name(scope: str, version: str) -> str:
    """An ámbito by its name, never its code: «nacional», «región Centro», «OOAD Jalisco»."""
    return filters.scope_label(scope, _places(version))


def chart_place(scope: str, periodo: str, version: str) -> str:
    """What a chart's subtitle says: its scope and period («OOAD Jalisco · noviembre 2026»)."""
    return f"{scope_name(scope, version)} · {parse_period(periodo).label}"


def code_names(column: str) -> dict[str, str]:
    """Code -> name of a catalog column (cve_ooad, cve_entidad, cve_umae, cve_unidad), for a person to pick from."""
    return filters.code_names(column, _places(data.current_version()))
