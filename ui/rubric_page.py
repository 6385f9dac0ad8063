"""One rubric's screen: its KPI cards, then trend, rankings and map of the chosen KPI."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pandas as pd
import streamlit as st

from indicators.catalog import by_rubric, get
from indicators.definitions import ANNUAL, RUBRICS, Kpi
from indicators.forecast import YearEnd, projectable
from indicators.periods import add_months, parse_period
from ui import agreements_view, alerts_view, charts, commentary_view, data, figures, gap_view
from ui.cards import card_grid, card_scope, period_shown
from ui.export import column_config
from ui.filters import Filters, request_drilldown
from ui.forecast_view import card_line, pace_line
from ui.format import fmt_month, fmt_value
from ui.layout import PENDING_KPI, breadcrumb, chart_place, export_buttons, page_filters, scope_name
from ui.safe import plain
from ui.session import current_user


def _clicked_key(event: object) -> str | None:
    points = getattr(getattr(event, "selection", None), "points", None) or []
    return points[0].get("customdata") if points else None


class Drill(NamedTuple):
    """The words of a ranking that drills one level down: title, hover label, select."""

    title: str
    key_label: str
    noun: str  # «de 35 OOAD …» in the summary caption
    select_label: str
    placeholder: str
    note: str = ""
    where: str = ""  # the chart's scope and period, under its title


def _ranking(
    kpi: Kpi,
    ranked: pd.DataFrame,
    title: str,
    key_label: str,
    noun: str,
    key: str,
    note: str = "",
    where: str = "",
) -> object:
    """Ranked bars (clickable) and the one-line summary under them; the chart's selection event."""
    event = st.plotly_chart(
        charts.ranking(kpi.id, ranked, title, key_label, where),
        on_select="rerun",
        selection_mode="points",
        config=figures.PLOTLY_CONFIG,
        key=key,
    )
    st.caption(plain(figures.ranking_summary(kpi, ranked, noun)) + note)
    return event


def _drill_ranking(kpi: Kpi, ranked: pd.DataFrame, drill: Drill, key: str) -> str | None:
    """The ranking plus a select that does from the keyboard what a click on a bar does: the key chosen."""
    event = _ranking(kpi, ranked, drill.title, drill.key_label, drill.noun, key, drill.note, drill.where)
    names = dict(zip(ranked["clave"], ranked["nombre"], strict=True))
    picked = st.selectbox(
        drill.select_label,
        list(names),
        format_func=names.__getitem__,
        index=None,
        placeholder=drill.placeholder,
        key=f"ir_{key}",
    )
    return _clicked_key(event) or picked


def _table(kpi: Kpi, frame: pd.DataFrame) -> pd.DataFrame:
    """A breakdown as people read and analysts export it: raw numbers, Spanish headers."""
    return pd.DataFrame(
        {
            "Clave": frame["clave"],
            "Nombre": frame["nombre"],
            "Región": frame["region"],
            f"Valor ({kpi.unidad})": frame["valor"],
            "Meta": frame["meta"],
            "Cumplimiento": frame["cumplimiento"],
            "Estado": frame["estado"],
        }
    )


def _shown(kpi: Kpi, table: pd.DataFrame) -> pd.DataFrame:
    """The breakdown as read on screen: cumplimiento in percent (the export keeps the ratio)."""
    return table.assign(Cumplimiento=table["Cumplimiento"] * 100)


def _table_config(kpi: Kpi, table: pd.DataFrame) -> dict:
    """One number format per column: the KPI's for value and meta, one decimal for cumplimiento."""
    fmt = {
        "porcentaje": "%,.1f %%",
        "mdp": "$%,.0f MDP",
        "pesos": "$%,.2f",
        "decimal": "%,.1f",
    }.get(kpi.formato, "%,.0f")
    config = column_config(table)
    value = f"Valor ({kpi.unidad})"
    config[value] = st.column_config.NumberColumn(value, format=fmt)
    config["Meta"] = st.column_config.NumberColumn("Meta", format=fmt)
    config["Cumplimiento"] = st.column_config.NumberColumn("Cumplimiento", format="%.1f %%")
    config["Clave"] = st.column_config.TextColumn("Clave", width=40)
    config["Región"] = st.column_config.TextColumn("Región", width=75)
    config["Nombre"] = st.column_config.TextColumn("Nombre", width=150)
    config["Estado"] = st.column_config.TextColumn("Estado", width="medium")
    return config


def _trend_text(kpi: Kpi, table: pd.DataFrame) -> pd.DataFrame:
    """The trend's rows as read: each number in the KPI's format."""
    shown = table.drop(columns=["Unidad"]).set_index("Periodo")
    return shown.map(lambda v: fmt_value(kpi, v))


def _trend_table(kpi: Kpi, series: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """The rows behind the trend chart: month, value, meta and the same month a year before
    (an annual survey: its year, value and meta; the survey before is the row above)."""
    if kpi.frecuencia == ANNUAL:
        return pd.DataFrame(
            {
                "Periodo": [f"{p:%Y}" for p in series["periodo"]],
                "Valor": series["valor"],
                "Meta": series["meta"],
                "Unidad": kpi.unidad,
            }
        )
    shifted = before.assign(periodo=pd.to_datetime(before["periodo"]) + pd.DateOffset(years=1))
    merged = series.merge(
        shifted[["periodo", "valor"]].rename(columns={"valor": "anterior"}), on="periodo", how="left"
    )
    return pd.DataFrame(
        {
            "Periodo": [f"{p:%Y-%m}" for p in merged["periodo"]],
            "Valor": merged["valor"],
            "Meta": merged["meta"],
            "Año anterior": merged["anterior"],
            "Unidad": kpi.unidad,
        }
    )


def render(rubric: str) -> None:
    """Draw the rubric page under the global filters."""
    filters, version, user_scope = page_filters()
    st.title(RUBRICS[rubric])
    breadcrumb(filters)
    kpis = by_rubric(rubric)
    card_grid(kpis, filters, version, projections=True)
    st.divider()
    options = [k.id for k in kpis]
    if st.session_state.get(PENDING_KPI) in options:  # opened from «¿Dónde estamos fallando?»
        st.session_state[f"kpi_{rubric}"] = st.session_state.pop(PENDING_KPI)
    _analysis(rubric, options, filters, version, user_scope)


@st.fragment
def _analysis(rubric: str, options: list[str], filters: Filters, version: str, user_scope: str) -> None:
    """«Indicador a analizar» and its charts: choosing another KPI or following it reruns this section only.

    A click that drills down (a bar, the breadcrumb) or a saved commentary still reruns the page.
    """
    chosen = st.selectbox(
        "Indicador a analizar",
        options,
        format_func=lambda k: get(k).nombre,
        key=f"kpi_{rubric}",
        bind="query-params",
    )
    kpi = get(chosen or options[0])
    _detail(kpi, filters, version, user_scope)
    _beyond(kpi, filters, version, user_scope)


def _scope_of(kpi: Kpi, filters: Filters) -> str:
    """The scope the KPI's charts read: its card's, or the OOAD for a KPI not measured by unit."""
    scope = card_scope(kpi, filters.ambito, filters.umae, filters.unidad)
    if scope is None and filters.unidad:
        return filters.ambito
    return scope or "nacional"


def _detail(kpi: Kpi, filters: Filters, version: str, user_scope: str) -> None:
    period = parse_period(filters.periodo)
    scope = _scope_of(kpi, filters)
    if filters.unidad and not scope.startswith("unidad:"):
        st.info(
            f"«{kpi.nombre}» no se mide por unidad médica: las gráficas muestran el OOAD"
            f" {plain(filters.ooad_nombre or filters.ooad)}.",
            icon=":material/info:",
        )
    value = data.kpi_value(kpi.id, filters.periodo, scope, version)
    end = date.fromisoformat(value.hasta + "-01") if value and value.hasta else period.end
    start = add_months(end, -23)
    if kpi.frecuencia == ANNUAL:  # one point a survey: the last seven, and no «año anterior» line
        start = date(end.year - 6, 1, 1)
    # the subtitle's last period: a survey's own name («Encuesta 2026»), not December's
    until = period_shown(kpi, value) if value and kpi.frecuencia == ANNUAL else fmt_month(end)
    series = data.kpi_series(kpi.id, start, end, scope, version)
    before = (
        series.iloc[0:0]
        if kpi.frecuencia == ANNUAL
        else data.kpi_series(kpi.id, add_months(start, -12), add_months(end, -12), scope, version)
    )
    projection = data.kpi_year_end(kpi.id, filters.periodo, scope, version) if projectable(kpi) else None
    st.plotly_chart(
        charts.trend(
            kpi.id,
            series,
            before,
            projection.mensual if isinstance(projection, YearEnd) else None,
            f"{scope_name(scope, version)} · hasta {until}",
        ),
        key=f"trend_{kpi.id}",
        config=figures.PLOTLY_CONFIG,
    )
    if projection is not None:
        st.caption(f"{card_line(projection)}. {pace_line(kpi, projection)}")
    st.caption(figures.trend_summary(kpi, series))
    with st.expander("Ver los datos de la gráfica", icon=":material/table_rows:"):
        st.table(_trend_text(kpi, _trend_table(kpi, series, before)))
    loads = {"Cargas": data.kpi_sources((kpi.id,), filters.periodo, version)}
    st.caption(f"Cargas que alimentan las cifras de {filters.periodo}: {plain(loads['Cargas'])}")
    export_buttons(
        _trend_table(kpi, series, before), f"{kpi.id}_tendencia_{filters.periodo}", filters, loads, version
    )
    agreements_view.aiming_table(kpi.id, current_user())
    if "ooad" not in kpi.niveles:
        st.info("Este indicador se mide solo a nivel nacional; no tiene desglose por región u OOAD.")
        return
    if scope.startswith("umae:"):  # the bottom level: compare with the other UMAE of its OOAD
        _umae_ranking(kpi, filters, version, user_scope)
        return
    if scope.startswith("unidad:"):  # the bottom level: compare with the other units of its OOAD
        _unit_ranking(kpi, filters, version, user_scope)
        return
    left, right = st.columns([2, 3])
    with left:
        if user_scope.startswith("ooad:"):
            st.caption("Su perfil consulta un solo OOAD: la comparación de regiones no aplica.")
        else:
            _regions(kpi, filters, version, user_scope)
    with right:
        ranking_scope = _allowed(user_scope, f"region:{filters.region}" if filters.region else "nacional")
        ooad = data.kpi_breakdown(kpi.id, filters.periodo, "ooad", ranking_scope, version)
        level = "ooad"
        if ooad.empty:  # a state-level series: rank the states, never split them into offices
            by_state = data.kpi_breakdown(kpi.id, filters.periodo, "entidad", ranking_scope, version)
            if not by_state.empty:
                ooad, level = by_state, "entidad"
                st.caption("No disponible por OOAD: los datos de este periodo son por entidad federativa.")
        where = filters.region or "nacional"
        place = chart_place(ranking_scope, filters.periodo, version)
        if level == "ooad":
            clicked = _drill_ranking(
                kpi,
                ooad,
                Drill(
                    f"Ranking de OOAD · {where}", "OOAD", "OOAD", "Ir al OOAD", "Elija un OOAD…", where=place
                ),
                f"ooad_{kpi.id}_{filters.ambito}",
            )
        else:  # states are ranked, not drilled: the map beside drills to a state
            _ranking(
                kpi,
                ooad,
                f"Ranking de entidades · {where}",
                "Entidad",
                "entidades",
                f"ooad_{kpi.id}_{filters.ambito}",
                where=place,
            )
            clicked = None
        if level == "ooad" and clicked and clicked != filters.ooad:
            region = ooad.loc[ooad["clave"] == clicked, "region"].iloc[0]
            request_drilldown(region, clicked)
    map_col, table_col = st.columns([2, 3])
    with map_col:
        states = data.kpi_breakdown(
            kpi.id, filters.periodo, "entidad", _allowed(user_scope, filters.ambito), version
        )
        cats = data.catalogs(version)
        in_region = (
            frozenset(cats["ooad"].loc[cats["ooad"]["region"] == filters.region, "cve_entidad"])
            if filters.region
            else None
        )
        event = st.plotly_chart(
            charts.tile_map(kpi.id, cats["entidades"], states, in_region),
            on_select="rerun",
            selection_mode="points",
            config=figures.PLOTLY_CONFIG,
            key=f"mapa_{kpi.id}_{filters.ambito}",
        )
        st.caption(figures.status_legend(outside=in_region is not None))
        state_names = dict(zip(cats["entidades"]["cve_entidad"], cats["entidades"]["nombre"], strict=True))
        picked = st.selectbox(
            "Ir a la entidad",
            list(state_names),
            format_func=state_names.__getitem__,
            index=None,
            placeholder="Elija una entidad…",
            key=f"ir_entidad_{kpi.id}_{filters.ambito}",
        )
        clicked = _clicked_key(event)
        state = clicked[3] if clicked else picked
        if state:
            _drill_to_state(state, filters, version)
    with table_col:
        table = _table(kpi, ooad)
        st.dataframe(
            _shown(kpi, table), hide_index=True, width="stretch", column_config=_table_config(kpi, table)
        )
        export_buttons(table, f"{kpi.id}_{filters.periodo}_{level}", filters, loads, version)
    if "umae" in kpi.niveles:
        _umae_ranking(kpi, filters, version, user_scope)
    if "unidad" in kpi.niveles and filters.ooad:
        _unit_ranking(kpi, filters, version, user_scope)


def _unit_ranking(kpi: Kpi, filters: Filters, version: str, user_scope: str) -> None:
    """The medical units of the chosen OOAD that report the KPI; a click or the select opens one."""
    ranked = data.kpi_breakdown(
        kpi.id, filters.periodo, "unidad", _allowed(user_scope, filters.ambito), version
    )
    if ranked.empty:
        return
    drill = Drill(
        f"Unidades médicas · {filters.ooad_nombre or filters.ooad}",
        "Unidad",
        "unidades",
        "Ir a la unidad médica",
        "Elija una unidad…",
        " Las unidades del OOAD suman exactamente sus cifras.",
        chart_place(filters.ambito, filters.periodo, version),
    )
    clicked = _drill_ranking(kpi, ranked, drill, f"unidad_{kpi.id}_{filters.ambito}")
    if clicked and clicked != filters.unidad:
        unit = data.catalogs(version)["unidades"].set_index("cve_unidad").loc[clicked]
        request_drilldown(unit["region"], unit["cve_ooad"], unidad=clicked)


def _umae_ranking(kpi: Kpi, filters: Filters, version: str, user_scope: str) -> None:
    """The UMAE in the scope (those of the OOAD when one is chosen); a click or the select opens one."""
    ranked = data.kpi_breakdown(
        kpi.id, filters.periodo, "umae", _allowed(user_scope, filters.ambito), version
    )
    if ranked.empty:
        return
    where = filters.ooad_nombre or filters.region or "nacional"
    drill = Drill(
        f"UMAE (tercer nivel) · {where}",
        "UMAE",
        "UMAE",
        "Ir a la UMAE",
        "Elija una UMAE…",
        " Las cifras de cada UMAE forman parte de las del OOAD donde se ubica.",
        chart_place(filters.ambito, filters.periodo, version),
    )
    clicked = _drill_ranking(kpi, ranked, drill, f"umae_{kpi.id}_{filters.ambito}")
    if clicked and clicked != filters.umae:
        host = data.catalogs(version)["umae"].set_index("cve_umae").loc[clicked]
        request_drilldown(host["region"], host["cve_ooad"], umae=clicked)


def _beyond(kpi: Kpi, filters: Filters, version: str, user_scope: str) -> None:
    """Below the breakdowns: who explains the gap, following the KPI, the owner's commentary."""
    scope = _scope_of(kpi, filters)
    value = data.kpi_value(kpi.id, filters.periodo, scope, version)
    st.divider()
    gap_view.render(kpi, filters, version, _allowed(user_scope, scope), value.estado if value else None)
    alerts_view.follow_toggle(kpi, filters.periodo, scope, scope_name(scope, version))
    commentary_view.section(kpi, filters.periodo, scope, scope_name(scope, version))


def _regions(kpi: Kpi, filters: Filters, version: str, user_scope: str) -> None:
    """The four regions side by side; a click on a bar drills the page down to that region."""
    regions = data.kpi_breakdown(kpi.id, filters.periodo, "region", _allowed(user_scope, "nacional"), version)
    event = st.plotly_chart(
        charts.ranking(
            kpi.id,
            regions,
            "Comparación de regiones",
            "Región",
            chart_place("nacional", filters.periodo, version),
        ),
        on_select="rerun",
        selection_mode="points",
        config=figures.PLOTLY_CONFIG,
        key=f"regiones_{kpi.id}_{filters.ambito}",
    )
    st.caption(plain(figures.ranking_summary(kpi, regions, "regiones")))
    picked = st.selectbox(
        "Ir a la región",
        list(regions["clave"]),
        index=None,
        placeholder="Elija una región…",
        key=f"ir_region_{kpi.id}_{filters.ambito}",
    )
    export_buttons(_table(kpi, regions), f"{kpi.id}_{filters.periodo}_regiones", filters, version=version)
    clicked = _clicked_key(event) or picked
    if clicked and clicked != filters.region:
        request_drilldown(clicked, None)


def _drill_to_state(cve_entidad: str, filters: Filters, version: str) -> None:
    """A state's tile opens its OOAD; a state with two OOAD (CDMX, México, Veracruz) opens its region."""
    offices = data.catalogs(version)["ooad"]
    offices = offices[offices["cve_entidad"] == cve_entidad]
    if offices.empty:
        return
    ooad = offices["cve_ooad"].iloc[0] if len(offices) == 1 else None
    region = offices["region"].iloc[0]
    if (region, ooad) != (filters.region, filters.ooad):
        request_drilldown(region, ooad)


def _allowed(user_scope: str, wanted: str) -> str:
    """A scoped user never sees rankings beyond its own region or OOAD."""
    return wanted if user_scope == "nacional" else user_scope
