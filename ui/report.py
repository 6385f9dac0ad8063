"""The executive report: one self-contained HTML file (no scripts, no external requests),
printable to PDF from the browser: a Resumen of statuses by rubric, then a section per rubric
that lists each of its indicators once (value, meta, status, year-end projection) with two
trend charts drawn as small SVG images.

`build_report_html` is a pure function of (period, scope, directorate, warehouse): no Streamlit.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from agreements import board as ag
from indicators import commentary, engine, forecast
from indicators.catalog import CATALOG
from indicators.definitions import MONTHLY, RUBRICS, Kpi
from indicators.periodicity import period_name
from indicators.periods import InvalidArgumentError, add_months, parse_period
from ui.agreement_figures import cut_caption
from ui.figures import STATUS_COLORS, trend
from ui.forecast_view import card_line
from ui.format import fmt_pct, fmt_value_meta, value_formatter
from ui.static_chart import figure_svg
from warehouse import data_version

Db = Path | str | None

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSS = (TEMPLATES / "reporte.css").read_text(encoding="utf-8")
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)


def render(template: str, **context: object) -> str:
    """A page of ui/templates/ filled in; every value is HTML-escaped unless it is Markup."""
    return _ENV.get_template(template).render(**context)


def _row(kpi: Kpi, periodo: str, ambito: str, db: Db, direccion: str | None) -> dict[str, str]:
    scope = kpi.shown_at(ambito)  # as its card: a national-only KPI keeps the national figure
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
        return {**base, "valor": "—", "meta": "—", "cumplimiento": "—", "estado": "Sin datos", "cierre": "—"}
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
        "cierre": _year_end(kpi, periodo, scope, db),
    }


@functools.lru_cache(maxsize=512)  # a row and its trend chart share one fit; keyed by the data version
def _fitted(
    kpi_id: str, periodo: str, scope: str, db: str | None, version: int
) -> forecast.Projection | None:
    return forecast.year_end(kpi_id, periodo, scope, db)


def projection(kpi: Kpi, periodo: str, scope: str, db: Db) -> forecast.Projection | None:
    """The KPI's year-end projection as the card shows it (`forecast.year_end`), or None."""
    if not forecast.projectable(kpi):
        return None
    return _fitted(kpi.id, periodo, scope, None if db is None else str(db), data_version(db))


def _year_end(kpi: Kpi, periodo: str, scope: str, db: Db) -> str:
    """The card's projection line without its «Cierre 2026 · » lead (the column says it), or «—»."""
    found = projection(kpi, periodo, scope, db)
    if found is None:
        return "—"
    line = card_line(found).split(" · ", 1)[1]
    return line[0].upper() + line[1:]


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


def _trend_svg(kpi: Kpi, periodo: str, ambito: str, db: Db) -> Markup | None:
    """The KPI's last twelve months (and its projection to December) as the rubric page draws
    them (`ui.figures.trend`), as a static SVG image."""
    period = parse_period(periodo)
    try:
        frame = engine.series(kpi.id, add_months(period.end, -11), period.end, ambito, db=db)
    except InvalidArgumentError:
        return None
    shown = frame["valor"].dropna()
    if shown.empty:
        return None
    found = projection(kpi, periodo, ambito, db)
    ahead = found.mensual if isinstance(found, forecast.YearEnd) else None
    label = value_formatter(kpi, *shown, *frame["meta"].dropna())
    alt = f"{kpi.nombre}: últimos 12 meses, de {label(shown.iloc[0])} a {label(shown.iloc[-1])}"
    svg = figure_svg(trend(kpi, frame, None, ahead), label=label, alt=alt)
    return Markup(svg) if svg else None  # our own SVG: every text in it is escaped


STATUS_ORDER = ("En meta", "En riesgo", "Fuera de meta", "Sin meta", "Sin datos")


def status_counts(rows: list[dict[str, str]]) -> list[dict[str, object]]:
    """The Resumen: per rubric, how many of its indicators are in each status (each indicator is
    listed once, in its rubric's section)."""
    out = []
    for nombre in dict.fromkeys(r["rubro"] for r in rows):
        mine = [r["estado"] for r in rows if r["rubro"] == nombre]
        out.append({"rubro": nombre, "total": len(mine), **{s: mine.count(s) for s in STATUS_ORDER}})
    return out


def build_report_html(
    periodo: str,
    ambito: str = "nacional",
    db: Db = None,
    direccion: str | None = None,
    titulo: str | None = None,
) -> str:
    """The report as one HTML string: no script and no http(s) resource."""
    period = parse_period(periodo)
    rows = scorecard_rows(periodo, ambito, db, direccion)
    rubrics = []
    for rubro, nombre in RUBRICS.items():
        kpis = [k for k in CATALOG if k.rubro == rubro]
        if not kpis:
            continue
        figures = []
        for kpi in kpis[:2]:
            scope = kpi.shown_at(ambito)
            svg = _trend_svg(kpi, periodo, scope, db) if scope and kpi.fuente != "acuerdos" else None
            if svg is not None:
                figures.append(svg)
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
        summary=status_counts(rows),
        statuses=STATUS_ORDER,
        colors=STATUS_COLORS,
        rubrics=rubrics,
    )
