"""Agreement figures: one truth on every screen (issue 26, item 4).

For 3 periods (two closed months and the year in course) × 3 scopes (nacional, región Centro,
OOAD 10) on the demo warehouse, Resumen, «Seguimiento de acuerdos», the executive report, a
meeting's page and the CLI show the same figure, with the same label, as a count made here by
hand from the raw rows: each agreement's state on the period's cut (its last day, or today while
it runs) is the last state its history records on or before that day, a conclusion counting from
its fecha_conclusion.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from agreements import cli as agreements_cli
from indicators.periods import month_end, parse_period
from tests.page_query import set_filters
from ui.format import fmt_number, fmt_pct
from ui.report import build_report_html, scorecard_rows
from ui.session import User
from warehouse import clock, query_df

ROOT = Path(__file__).resolve().parents[2]
PERIODS = ("2026-11", "2026-10", "2026")  # two closed months; the year in course is read as of today
SCOPES = ("nacional", "region:Centro", "ooad:10")
OPEN = ("Registrado", "En proceso", "Solicitud de conclusión")
# label on every surface → figure counted by hand
SCREEN = {
    "Registrados · acumulado": "registrados",
    "Concluidos · acumulado": "concluidos",
    "Concluidos · en el periodo": "concluidos_periodo",
    "Abiertos · al corte": "abiertos",
    "Por validar · al corte": "por_validar",
    "Vencidos · al corte": "vencidos",
    "Cumplimiento · acumulado": "cumplimiento",
}
REPORT = {  # the scorecard's agreement KPIs, named in the report as on the screens
    "Registrados · en el periodo": "registrados_periodo",
    "Concluidos · en el periodo": "concluidos_periodo",
    "Cumplimiento · acumulado": "cumplimiento",
    "Vencidos · al corte": "vencidos",
}


# the CLI's JSON keys → the screens' labels
CLI_KEYS = {
    "registrados": "Registrados · acumulado",
    "concluidos": "Concluidos · acumulado",
    "concluidos_mes": "Concluidos · en el periodo",
    "en_proceso": "Abiertos · al corte",
    "por_validar": "Por validar · al corte",
    "vencidos": "Vencidos · al corte",
    "cumplimiento": "Cumplimiento · acumulado",
}


@pytest.fixture(scope="module")
def db(demo_db: Path) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CMI_DB", str(demo_db))
        yield demo_db
    warehouse.close_all()


@pytest.fixture(scope="module")
def rows(db: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    agreements = query_df(
        "SELECT folio, cve_reunion, region, cve_ooad, fecha_registro, fecha_compromiso, estado, fecha_conclusion"
        " FROM acuerdos",
        path=db,
    )
    history = query_df(
        "SELECT folio, id, fecha, valor_anterior, valor_nuevo FROM acuerdos_historial WHERE campo = 'estado'"
        " ORDER BY id",
        path=db,
    )
    return agreements, history


def cut_of(periodo: str) -> tuple[date, date]:
    """(first day, cut) of the period: its last day, or today while it runs."""
    period = parse_period(periodo)
    return period.start, min(month_end(period.end), clock.today())


def _day(x: object) -> date | None:
    return None if x is None or pd.isna(x) else pd.Timestamp(x).date()


def by_hand(
    rows: tuple[pd.DataFrame, pd.DataFrame], periodo: str, ambito: str, reunion: str | None = None
) -> dict[str, str]:
    """Every figure, counted agreement by agreement, formatted for people (es-MX)."""
    agreements, history = rows
    start, cut = cut_of(periodo)
    level, _, key = ambito.partition(":")
    changes = {folio: frame for folio, frame in history.groupby("folio")}
    n = dict.fromkeys(
        ("registrados", "registrados_periodo", "concluidos", "concluidos_periodo", "abiertos", "por_validar",
         "vencidos", "cancelados"), 0,
    )  # fmt: skip
    for a in agreements.itertuples():
        registered = _day(a.fecha_registro)
        if registered is None or registered > cut:
            continue
        if (level == "region" and a.region != key) or (level == "ooad" and a.cve_ooad != key):
            continue
        if reunion is not None and a.cve_reunion != reunion:
            continue
        own = changes.get(a.folio)
        state = a.estado
        if own is not None:
            days = [pd.Timestamp(f).date() for f in own["fecha"]]
            before = [v for d, v in zip(days, own["valor_nuevo"], strict=True) if d <= cut]
            after = [v for d, v in zip(days, own["valor_anterior"], strict=True) if d > cut]
            state = before[-1] if before else (after[0] if after and after[0] else a.estado)
        concluded = _day(a.fecha_conclusion)
        if a.estado == "Concluido" and concluded is not None and concluded <= cut:
            state = "Concluido"
        elif state == "Concluido":
            state = "En proceso"
        deadline = _day(a.fecha_compromiso)
        n["registrados"] += 1
        n["registrados_periodo"] += registered >= start
        n["concluidos"] += state == "Concluido"
        n["concluidos_periodo"] += state == "Concluido" and concluded is not None and concluded >= start
        n["abiertos"] += state in OPEN
        n["por_validar"] += state == "Solicitud de conclusión"
        n["vencidos"] += state in OPEN and deadline is not None and deadline < cut
        n["cancelados"] += state == "Cancelado"
    valid = n["registrados"] - n["cancelados"]
    shown = {k: fmt_number(v) for k, v in n.items()}
    shown["cumplimiento"] = fmt_pct(100 * n["concluidos"] / valid if valid else None)
    return shown


def user(ambito: str) -> User:
    return User("ejecutiva", "Ejecutiva", frozenset({"ejecutivo"}), None, ambito)


def page(name: str, ambito: str, periodo: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / name), default_timeout=180)
    at.session_state["user"] = user(ambito)
    set_filters(at, f_periodo=periodo)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _cli(argv: list[str]) -> dict[str, object]:
    """`python -m agreements …` tablero's JSON, or {"error": …} when the command refuses."""
    buffer, errors = io.StringIO(), io.StringIO()
    code: object
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(errors):
        try:
            code = agreements_cli.main(argv)
        except SystemExit as exc:
            code = exc.code
    if code != 0:
        return {"error": f"python -m agreements {' '.join(argv)} → {code}: {errors.getvalue().strip()}"}
    return json.loads(buffer.getvalue())


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def report_rows(html: str) -> dict[str, str]:
    """Indicator name → value, from the report's tables."""
    cells = re.findall(r'<tr><td>([^<]*)</td><td class="num">([^<]*)</td>', html)
    return dict(cells)


def differences(shown: dict[str, str], expected: dict[str, str], labels: dict[str, str]) -> dict[str, object]:
    return {
        label: (shown.get(label, "(no se muestra)"), expected[figure])
        for label, figure in labels.items()
        if shown.get(label) != expected[figure]
    }


@pytest.mark.parametrize("ambito", SCOPES)
@pytest.mark.parametrize("periodo", PERIODS)
def test_resumen_board_report_and_meeting_agree_to_the_unit(db, rows, periodo, ambito):
    expected = by_hand(rows, periodo, ambito)
    problems = {}
    problems["Resumen"] = differences(metrics(page("pages/resumen.py", ambito, periodo)), expected, SCREEN)
    board = page("pages/acuerdos.py", ambito, periodo)
    problems["Seguimiento"] = differences(metrics(board), expected, SCREEN)
    if (periodo, ambito) == (PERIODS[0], SCOPES[0]):  # a closed month: «Hoy» reads today's figures
        board.radio(key="acuerdos_corte").set_value("hoy").run()
        now = by_hand(rows, f"{clock.today():%Y-%m}", ambito)
        problems["Seguimiento, hoy"] = differences(metrics(board), now, SCREEN)
    # the report's tables (`scorecard_rows`, what build_report_html renders; the whole document once)
    if (periodo, ambito) == (PERIODS[0], SCOPES[0]):
        html = build_report_html(periodo, ambito, db)
        problems["Reporte HTML"] = differences(report_rows(html), expected, REPORT)
        if "cifras al 30 de noviembre de 2026" not in html:
            problems["Reporte HTML"]["corte"] = "el reporte no dice a qué fecha son las cifras de acuerdos"
    shown = {r["nombre"]: r["valor"] for r in scorecard_rows(periodo, ambito, db)}
    problems["Reporte"] = differences(shown, expected, REPORT)
    meeting = page("pages/reuniones.py", ambito, periodo)
    cve = meeting.selectbox(key="reunion_sel").value
    problems[f"Reunión {cve}"] = differences(metrics(meeting), by_hand(rows, periodo, ambito, cve), SCREEN)
    if ambito == "nacional":  # the CLI has no ámbito: the whole institution
        out = _cli(["--periodo", periodo, "tablero"])
        counted = {label: fmt_pct(out[k]) if k == "cumplimiento" else fmt_number(out[k])
                   for k, label in CLI_KEYS.items() if k in out}  # fmt: skip
        problems["CLI"] = differences(counted, expected, SCREEN) if "error" not in out else out
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}
