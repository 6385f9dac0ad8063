"""The executive report: one self-contained HTML file (Plotly inlined, no external requests),
printable to PDF from the browser, with the Resumen scorecard and a section per rubric.

`build_report_html` is a pure function of (period, scope, directorate, warehouse): no Streamlit.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from agreements import board as ag
from indicators import commentary, engine
from indicators.catalog import CATALOG
from indicators.definitions import MONTHLY, RUBRICS, Kpi
from indicators.periodicity import period_name
from indicators.periods import InvalidArgumentError, add_months, parse_period
from ui.agreement_figures import cut_caption
from ui.figures import STATUS_COLORS, trend
from ui.format import fmt_pct, fmt_value_meta

Db = Path | str | None

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSS = (TEMPLATES / "reporte.css").read_text(encoding="utf-8")
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)


def render(template: str, **context: object) -> str:
    """A page of ui/templates/ filled in; every value is HTML-escaped unless it is Markup."""
    return _ENV.get_template(template).render(**context)


def _row(kpi: Kpi, periodo: str, ambito: str, db: Db, direccion: str | None) -> dict[str, str]:
    scope = kpi.scope_or(ambito, None)
    base = {"id": kpi.id, "nombre": kpi.nombre, "rubro": kpi.rubro_nombre}
    figure = ag.CATALOG_FIGURES.get(kpi.id)
    if figure:  # an agreement figure: named as on every screen
        base["nombre"] = ag.label(figure)
    try:
        if scope is None:
            raise InvalidArgumentError("nivel")
        v = engine.value(
            kpi.id, periodo, scope, db=db, direccion=direccion if kpi.fuente == "acuerdos" else None
        )
    except InvalidArgumentError:
        return {**base, "valor": "—", "meta": "—", "cumplimiento": "—", "estado": "Sin datos"}
    valor = v.valor
    if figure:  # the board's own figure for the period's cut (the engine counts by the same rule)
        board = ag.kpis(
            db, direccion=direccion, filtros=ag.BoardFilters(ambito=str(scope)), **ag.cut(periodo).span
        )
        valor = getattr(board, figure)
    shown_value, shown_meta = fmt_value_meta(kpi, valor, v.meta)  # as the card prints them
    return {
        **base,
        "valor": shown_value,
        "meta": shown_meta,
        # a survey's figure is the year's, whatever month the report is for: «Encuesta 2026»
        "periodo_datos": period_name(kpi, v.desde, v.hasta)
        if kpi.frecuencia != MONTHLY and v.desde and v.hasta
        else "",
        "cumplimiento": fmt_pct(v.cumplimiento * 100 if v.cumplimiento is not None else None),
        "estado": v.estado,
    }


def scorecard_rows(
    periodo: str, ambito: str, db: Db = None, direccion: str | None = None
) -> list[dict[str, str]]:
    """Every KPI of the catalog for the period and scope, formatted for people (es-MX)."""
    return [_row(k, periodo, ambito, db, direccion) for k in CATALOG]


def _colored(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**r, "color": STATUS_COLORS.get(r["estado"], "#555")} for r in rows]


def _comments(kpis: list[Kpi], periodo: str, ambito: str, db: Db) -> list[dict[str, str]]:
    """The owners' current commentaries on the rubric's KPIs, each at the scope it is measured in."""
    items = []
    for kpi in kpis:
        note = commentary.latest([kpi.id], periodo, kpi.scope_or(ambito), db).get(kpi.id)
        if note:
            items.append(
                {
                    "kpi": kpi.nombre,
                    "por_que": str(note["por_que"]),
                    "que_se_hace": str(note["que_se_hace"]),
                    "usuario": str(note["usuario"]),
                    "fecha": f"{note['fecha']:%d/%m/%Y}",
                }
            )
    return items


def _trend_figure(kpi: Kpi, periodo: str, ambito: str, db: Db) -> go.Figure | None:
    period = parse_period(periodo)
    try:
        frame = engine.series(kpi.id, add_months(period.end, -11), period.end, ambito, db=db)
    except InvalidArgumentError:
        return None
    return trend(kpi, frame) if not frame.empty else None


def build_report_html(
    periodo: str,
    ambito: str = "nacional",
    db: Db = None,
    direccion: str | None = None,
    titulo: str | None = None,
) -> str:
    """The report as one HTML string; plotly.js is inlined once, no http(s) resource is referenced."""
    period = parse_period(periodo)
    rows = scorecard_rows(periodo, ambito, db, direccion)
    rubrics = []
    plotly_included = False
    for rubro, nombre in RUBRICS.items():
        kpis = [k for k in CATALOG if k.rubro == rubro]
        if not kpis:
            continue
        figures = []
        for kpi in kpis[:2]:
            scope = kpi.scope_or(ambito, None)
            fig = _trend_figure(kpi, periodo, scope, db) if scope and kpi.fuente != "acuerdos" else None
            if fig is None:
                continue
            fig_html = fig.to_html(
                full_html=False, include_plotlyjs=not plotly_included, config={"displayModeBar": False}
            )
            plotly_included = True
            figures.append(Markup(fig_html))  # Plotly's own markup, built from our figure
        ids = {k.id for k in kpis}
        rubrics.append(
            {
                "nombre": nombre,
                "rows": _colored([r for r in rows if r["id"] in ids]),
                "notes": _comments(kpis, periodo, ambito, db),
                "figures": figures,
                "nota": cut_caption(ag.cut(periodo), periodo) if rubro == "acuerdos" else "",
            }
        )
    return render(
        "reporte.html",
        title=titulo or "Cuadro de Mando Integral — Reporte ejecutivo",
        css=Markup(CSS),
        period=period.label,
        ambito=ambito,
        direccion=direccion,
        generated=f"{datetime.now():%d/%m/%Y %H:%M}",
        rows=_colored(rows),
        rubrics=rubrics,
    )
