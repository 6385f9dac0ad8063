"""Agreement figures as of the end of a past month, rebuilt from the history and counted by hand.

The hand-built set (tests/agreements/hand_built.py) plus three histories:

- RR-CEN-2026-0003, cancelled today, was cancelled on 2026-05-15: registered until then, and past
  its 2026-03-01 deadline;
- RR-NOR-2026-0001 asked for conclusion on 2026-04-20 and was returned on 2026-05-10;
- RR-CEN-2026-0005 was concluded on 2026-07-05 (its fecha_conclusion; no history row).

As of 2026-04-30 (the end of April 2026) nine agreements exist (CEN-0006 is registered in July):
concluded CEN-0001 (15/03, on time, 54 days) and CEN-0002 (10/04, late, 80 days); open the other
seven; overdue CEN-0003, NOR-0002 and NOR-2025-0001; waiting for the DG NOR-2026-0001.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from agreements import board as ag
from agreements import meetings as mt
from indicators import engine
from tests.agreements.conftest import PLANNER
from ui import agreement_figures as figs
from ui import agreements_view as view
from warehouse import transaction
from warehouse.ids import next_id

END_OF_APRIL = date(2026, 4, 30)
HISTORY = [
    # folio, day, before, after
    ("RR-CEN-2026-0003", "2026-01-20", None, "Registrado"),
    ("RR-CEN-2026-0003", "2026-05-15", "Registrado", "Cancelado"),
    ("RR-NOR-2026-0001", "2026-02-10", None, "Registrado"),
    ("RR-NOR-2026-0001", "2026-03-01", "Registrado", "En proceso"),
    ("RR-NOR-2026-0001", "2026-04-20", "En proceso", "Solicitud de conclusión"),
    ("RR-NOR-2026-0001", "2026-05-10", "Solicitud de conclusión", "En proceso"),
]


@pytest.fixture
def history_db(board_db):
    with transaction(board_db) as cur:
        for folio, day, before, after in HISTORY:
            cur.execute(
                "INSERT INTO acuerdos_historial (id, folio, usuario, fecha, campo, valor_anterior, valor_nuevo)"
                " VALUES (?, ?, 'dg', ?, 'estado', ?, ?)",
                [
                    next_id(cur, "seq_acuerdos_historial"),
                    folio,
                    datetime.fromisoformat(f"{day} 10:00"),
                    before,
                    after,
                ],
            )
    return board_db


def test_the_cut_of_a_period():
    today = date(2026, 12, 7)
    april = ag.cut("2026-04", today)
    assert (april.desde, april.corte, april.hasta, april.en_curso) == (
        date(2026, 4, 1), END_OF_APRIL, END_OF_APRIL, False
    )  # fmt: skip
    year = ag.cut("2026", today)  # the year in course: as of today
    assert (year.desde, year.corte, year.hasta, year.en_curso) == (
        date(2026, 1, 1), today, date(2026, 12, 31), True
    )  # fmt: skip
    assert ag.cut("2026-12", today).corte == today
    assert ag.cut("2025", today).corte == date(2025, 12, 31)


def test_figures_at_the_end_of_april_by_hand(history_db):
    k = ag.kpis(history_db, **ag.cut("2026-04", date(2026, 12, 7)).span)
    assert k == ag.BoardKpis(
        registrados=9,
        concluidos=2,
        en_proceso=7,
        vencidos=3,  # CEN-0003 (not cancelled yet), NOR-0002, NOR-2025-0001
        cancelados=0,
        cumplimiento=pytest.approx(100 * 2 / 9),
        en_plazo=50.0,  # CEN-0001 on time, CEN-0002 late
        dias_promedio=67.0,  # (54 + 80) / 2
        por_validar=1,  # NOR-2026-0001, returned in May
        registrados_mes=0,
        concluidos_mes=1,  # CEN-0002 on 10/04
    )
    states = ag.agreements(history_db, as_of=END_OF_APRIL).set_index("folio")["estado"]
    assert states["RR-CEN-2026-0003"] == "Registrado"
    assert states["RR-NOR-2026-0001"] == "Solicitud de conclusión"
    assert states["RR-CEN-2026-0005"] == "En proceso"  # concluded in July


def test_figures_at_the_end_of_june_by_hand(history_db):
    k = ag.kpis(history_db, **ag.cut("2026-06", date(2026, 12, 7)).span)
    # CEN-0003 cancelled in May; NOR-2026-0001 back in process; NOR-2026-0001 now overdue (10/06)
    assert (k.registrados, k.concluidos, k.cancelados, k.en_proceso, k.vencidos, k.por_validar) == (
        9,
        2,
        1,
        6,
        3,
        0,
    )
    assert k.cumplimiento == pytest.approx(100 * 2 / 8)


def test_region_norte_at_the_end_of_april(history_db):
    norte = ag.BoardFilters(ambito="region:Norte")
    k = ag.kpis(history_db, filtros=norte, **ag.cut("2026-04", date(2026, 12, 7)).span)
    assert (k.registrados, k.concluidos, k.en_proceso, k.vencidos, k.por_validar, k.cumplimiento) == (
        4, 0, 4, 2, 1, 0.0
    )  # fmt: skip


def test_engine_counts_as_the_board(history_db):
    """The scorecard's agreement KPIs are the board's figures for the same period and scope."""
    for periodo in ("2026-04", "2026-06", "2026-07"):
        for ambito in ("nacional", "region:Norte", "ooad:09"):
            k = ag.kpis(history_db, filtros=ag.BoardFilters(ambito=ambito), **ag.cut(periodo).span)
            for kpi_id, figure in ag.CATALOG_FIGURES.items():
                v = engine.value(kpi_id, periodo, ambito, db=history_db)
                assert v.valor == pytest.approx(getattr(k, figure)), (kpi_id, periodo, ambito)


def test_meeting_names_umae_in_full(history_db):
    meeting = mt.Meeting(
        "R9", "Reunión con UMAE", "2026", 1, "Centro", date(2026, 3, 1), date(2026, 3, 2),
        umae=("U01", "U02"), mesas=("M1",),
    )  # fmt: skip
    mt.create(meeting, PLANNER, db=history_db)
    names = mt.meeting("R9", history_db)["umae_nombres"]
    assert names == ["Hospital de Cardiología, CMN Siglo XXI", "Hospital de Especialidades, CMN Siglo XXI"]


def test_breakdown_chart_draws_the_table_beside_it(history_db):
    """Each segment of a breakdown's bars is a column of its table, to the unit (the meeting page
    drew «En proceso» as open-not-overdue beside a table that counted every open agreement)."""
    frame = ag.breakdown("mesa", history_db, as_of=END_OF_APRIL)
    table = view.breakdown_table(frame, "Mesa de trabajo")
    fig = figs.breakdown_bars(frame, "Acuerdos por mesa de trabajo")
    assert [t.name for t in fig.data] == ["Concluidos", "Abiertos en plazo", "Vencidos"]
    for trace in fig.data:
        assert list(trace.x)[::-1] == table[trace.name].tolist(), trace.name
    parts = table[["Concluidos", "Abiertos en plazo", "Vencidos", "Cancelados"]].sum(axis=1)
    assert parts.tolist() == table["Registrados"].tolist()  # a partition: every agreement once
