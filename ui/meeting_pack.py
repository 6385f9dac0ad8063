"""A meeting's follow-up pack as files: one self-contained HTML page and one workbook (no Streamlit).

Both come from `agreements.meetings.FollowUp`; every text is escaped (HTML: a Jinja2 template with
autoescape, like the executive report) or formula-guarded (XLSX), because descriptions and names
come from users' files.
"""

from __future__ import annotations

import io

import pandas as pd
from markupsafe import Markup

from agreements.meetings import FollowUp
from exports.excel import frame_sheet, write_xlsx
from ui.agreements_view import HEADLINE, breakdown_table, fmt_day, metric_label, metric_value
from ui.export import Format
from ui.format import fmt_date_long, fmt_number, fmt_pct
from ui.report import CSS, render

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def overdue_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The overdue list with the responsible directorate named."""
    return pd.DataFrame(
        {
            "Folio": frame["folio"],
            "OOAD / UMAE": frame["unidad"],
            "Mesa": frame["mesa"],
            "Responsable": frame["direccion"],
            "Compromiso": [fmt_day(d) for d in frame["fecha_compromiso"]],
            "Días de atraso": [int(d) for d in frame["dias_vencido"].fillna(0)],
            "Avance": [fmt_pct(a, 0) for a in frame["avance"]],
            "Descripción": frame["descripcion"],
        }
    )


def sections(pack: FollowUp) -> dict[str, pd.DataFrame]:
    """The pack's tables, by sheet name."""
    keys = (*HEADLINE, "cancelados")  # the figures the screens show, with their labels
    summary = pd.DataFrame(
        {
            "Cifra": [metric_label(key) for key in keys],
            "Valor": [metric_value(pack.kpis, key) for key in keys],
        }
    )
    return {
        "Resumen": summary,
        "Por mesa": breakdown_table(pack.por_mesa, "Mesa de trabajo"),
        "Por OOAD y UMAE": breakdown_table(pack.por_unidad, "OOAD / UMAE"),
        "Vencidos": overdue_table(pack.vencidos),
    }


def _title(pack: FollowUp) -> str:
    r = pack.reunion
    return f"Seguimiento de la {r['nombre']} ({r['region']})"


def _cells(frame: pd.DataFrame) -> list[list[dict[str, object]]]:
    """Each row's cells as text for people: numbers in es-MX format (aligned right), None blank."""
    rows = []
    for rec in frame.itertuples(index=False):
        cells: list[dict[str, object]] = []
        for v in rec:
            numeric = isinstance(v, int | float) and not isinstance(v, bool)
            text = fmt_number(v) if numeric else ("" if v is None else str(v))
            cells.append({"text": text, "numeric": numeric})
        rows.append(cells)
    return rows


def to_html(pack: FollowUp) -> str:
    """The executive follow-up report of one meeting, printable to PDF from the browser
    (ui/templates/reunion.html: every text escaped, as names and descriptions come from users)."""
    r = pack.reunion
    return render(
        "reunion.html",
        title=_title(pack),
        css=Markup(CSS),
        sede=r.get("sede") or "",
        desde=fmt_day(r["fecha_inicio"]),
        hasta=fmt_day(r["fecha_fin"]),
        corte=fmt_date_long(pack.as_of),
        sections=[
            {"name": name, "columns": [str(c) for c in frame.columns], "rows": _cells(frame)}
            for name, frame in sections(pack).items()
        ],
    )


def formats(pack: FollowUp) -> list[Format]:
    """The pack's two files for `ui.export.download_door`, each built only when it is asked for."""
    return [
        ("HTML", "html", "text/html", ":material/description:", lambda: to_html(pack).encode("utf-8")),
        ("Excel", "xlsx", XLSX_MIME, ":material/table_view:", lambda: to_xlsx(pack)),
    ]


def to_xlsx(pack: FollowUp) -> bytes:
    """The same pack as a workbook: one sheet per table, formulas neutralised."""
    header = [f"{_title(pack)} · corte al {fmt_day(pack.as_of)}"]
    buffer = io.BytesIO()
    write_xlsx(buffer, [frame_sheet(name, frame, header) for name, frame in sections(pack).items()])
    return buffer.getvalue()
