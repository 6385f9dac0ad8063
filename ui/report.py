"""The executive report: one self-contained HTML file (Plotly inlined, no external requests),
printable to PDF from the browser, with the Resumen scorecard and a section per rubric.

`build_report_html` is a pure function of (period, scope, directorate, warehouse): no Streamlit.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

import plotly.graph_objects as go

from indicators import commentary, engine
from indicators.catalog import CATALOG
from indicators.definitions import RUBRICS, Kpi
from indicators.periods import InvalidArgumentError, add_months, parse_period
from ui.figures import STATUS_COLORS, trend
from ui.format import fmt_pct, fmt_value

Db = Path | str | None

CSS = """
body { font-family: 'Source Sans', Helvetica, Arial, sans-serif; color: #1d1d1b; margin: 2rem; }
h1 { color: #235B4E; margin-bottom: 0; }
h2 { color: #235B4E; border-bottom: 2px solid #BC955C; padding-bottom: .2rem; }
.meta { color: #555; margin-top: .2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #d0d0d0; padding: .3rem .5rem; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
th { background: #f1efe9; }
.estado { font-weight: 600; }
.figure { page-break-inside: avoid; }
@media print {
  body { margin: 0; }
  section.rubro { page-break-before: always; }
  tr { page-break-inside: avoid; }
  thead { display: table-header-group; }
  @page { size: letter; margin: 1.5cm; }
}
"""


def _row(kpi: Kpi, periodo: str, ambito: str, db: Db, direccion: str | None) -> dict[str, str]:
    scope = kpi.scope_or(ambito, None)
    base = {"id": kpi.id, "nombre": kpi.nombre, "rubro": kpi.rubro_nombre}
    try:
        if scope is None:
            raise InvalidArgumentError("nivel")
        v = engine.value(
            kpi.id, periodo, scope, db=db, direccion=direccion if kpi.fuente == "acuerdos" else None
        )
    except InvalidArgumentError:
        return {**base, "valor": "—", "meta": "—", "cumplimiento": "—", "estado": "Sin datos"}
    return {
        **base,
        "valor": fmt_value(kpi, v.valor),
        "meta": fmt_value(kpi, v.meta),
        "cumplimiento": fmt_pct(v.cumplimiento * 100 if v.cumplimiento is not None else None),
        "estado": v.estado,
    }


def scorecard_rows(
    periodo: str, ambito: str, db: Db = None, direccion: str | None = None
) -> list[dict[str, str]]:
    """Every KPI of the catalog for the period and scope, formatted for people (es-MX)."""
    return [_row(k, periodo, ambito, db, direccion) for k in CATALOG]


def _table(rows: list[dict[str, str]]) -> str:
    head = "<tr><th>Indicador</th><th>Valor</th><th>Meta</th><th>Cumplimiento</th><th>Estado</th></tr>"
    body = []
    for r in rows:
        color = STATUS_COLORS.get(r["estado"], "#555")
        body.append(
            f"<tr><td>{html.escape(r['nombre'])}</td><td class='num'>{html.escape(r['valor'])}</td>"
            f"<td class='num'>{html.escape(r['meta'])}</td><td class='num'>{html.escape(r['cumplimiento'])}</td>"
            f"<td class='estado' style='color:{color}'>{html.escape(r['estado'])}</td></tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


def _comments(kpis: list[Kpi], periodo: str, ambito: str, db: Db) -> str:
    """The owners' current commentaries on the rubric's KPIs, each at the scope it is measured in."""
    items = []
    for kpi in kpis:
        scope = kpi.scope_or(ambito)
        note = commentary.latest([kpi.id], periodo, scope, db).get(kpi.id)
        if note:
            items.append(
                f"<dt>{html.escape(kpi.nombre)}</dt><dd><b>¿Por qué?</b> {html.escape(str(note['por_que']))}"
                f"<br><b>¿Qué se hace?</b> {html.escape(str(note['que_se_hace']))}"
                f" <span class='meta'>({html.escape(str(note['usuario']))}, {note['fecha']:%d/%m/%Y})</span></dd>"
            )
    return (
        f"<h3>Comentarios de los responsables</h3><dl class='comentarios'>{''.join(items)}</dl>"
        if items
        else ""
    )


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
    title = titulo or "Cuadro de Mando Integral — Reporte ejecutivo"
    parts = [
        "<!DOCTYPE html><html lang='es-MX'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='meta'>Periodo: {html.escape(period.label)} · Ámbito: {html.escape(ambito)}"
        + (f" · Dirección: {html.escape(direccion)}" if direccion else "")
        + f" · Generado: {datetime.now():%d/%m/%Y %H:%M}</p>",
        "<section class='resumen'><h2>Resumen</h2>",
        _table(rows),
        "</section>",
    ]
    plotly_included = False
    for rubro, nombre in RUBRICS.items():
        kpis = [k for k in CATALOG if k.rubro == rubro]
        if not kpis:
            continue
        parts.append(f"<section class='rubro'><h2>{html.escape(nombre)}</h2>")
        parts.append(_table([r for r in rows if r["id"] in {k.id for k in kpis}]))
        parts.append(_comments(kpis, periodo, ambito, db))
        for kpi in kpis[:2]:
            scope = kpi.scope_or(ambito, None)
            fig = _trend_figure(kpi, periodo, scope, db) if scope and kpi.fuente != "acuerdos" else None
            if fig is None:
                continue
            fig_html = fig.to_html(
                full_html=False, include_plotlyjs=not plotly_included, config={"displayModeBar": False}
            )
            plotly_included = True
            parts.append(f"<div class='figure'>{fig_html}</div>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)
